package relay

import (
	"container/list"
	"fmt"
	"slices"
	"time"

	"github.com/porchlight/porchlight/signaling/wire"
)

// envelope is one message kept for an address until a subscriber acks it.
type envelope struct {
	to     wire.Address
	id     string
	from   string // the sender's key: never delivered back to it
	frame  []byte // the encoded deliver frame
	size   int    // payload bytes, counted against the limits
	stored time.Time
	elem   *list.Element // in mailboxes.order
}

// mailboxLimits bound what the relay keeps while recipients are offline.
type mailboxLimits struct {
	envelopes  int           // per address
	bytes      int           // payload bytes per address
	maxAge     time.Duration // per envelope
	totalBytes int           // payload bytes over all addresses
}

// mailboxes holds the envelopes of every address. The per-address limits
// keep one flooded address from crowding out another; past the global limit
// the oldest envelopes (of any address) make room. It is not safe for
// concurrent use: the Server guards it with its mutex.
type mailboxes struct {
	limits mailboxLimits
	boxes  map[wire.Address]*box
	order  list.List // of *envelope, oldest first
	bytes  int
}

type box struct {
	envs  []*envelope // oldest first
	bytes int
}

func newMailboxes(l mailboxLimits) *mailboxes {
	return &mailboxes{limits: l, boxes: make(map[wire.Address]*box)}
}

// put stores e. It returns false, and no error, when an envelope with e's id
// is already stored for e.to: a resent message is stored once.
func (m *mailboxes) put(e *envelope, now time.Time) (bool, error) {
	m.expire(now)
	b := m.boxes[e.to]
	if b != nil {
		if slices.ContainsFunc(b.envs, func(x *envelope) bool { return x.id == e.id }) {
			return false, nil
		}
		if len(b.envs) >= m.limits.envelopes || b.bytes+e.size > m.limits.bytes {
			return false, &wire.Error{Code: wire.CodeMailboxFull, Message: fmt.Sprintf(
				"address holds %d envelopes of %d bytes (limits %d, %d)", len(b.envs), b.bytes, m.limits.envelopes, m.limits.bytes)}
		}
	}
	if e.size > m.limits.bytes || e.size > m.limits.totalBytes {
		return false, &wire.Error{Code: wire.CodeMailboxFull, Message: "envelope larger than a mailbox"}
	}
	for m.bytes+e.size > m.limits.totalBytes {
		m.remove(m.order.Front().Value.(*envelope))
	}
	b = m.boxes[e.to] // eviction may have emptied it
	if b == nil {
		b = &box{}
		m.boxes[e.to] = b
	}
	e.stored = now
	e.elem = m.order.PushBack(e)
	b.envs = append(b.envs, e)
	b.bytes += e.size
	m.bytes += e.size
	return true, nil
}

// pending returns the envelopes stored for an address, oldest first.
func (m *mailboxes) pending(to wire.Address, now time.Time) []*envelope {
	m.expire(now)
	if b := m.boxes[to]; b != nil {
		return slices.Clone(b.envs)
	}
	return nil
}

// ack removes the envelope with the given id from an address's mailbox.
func (m *mailboxes) ack(to wire.Address, id string) bool {
	b := m.boxes[to]
	if b == nil {
		return false
	}
	i := slices.IndexFunc(b.envs, func(x *envelope) bool { return x.id == id })
	if i < 0 {
		return false
	}
	m.remove(b.envs[i])
	return true
}

func (m *mailboxes) remove(e *envelope) {
	b := m.boxes[e.to]
	b.envs = slices.DeleteFunc(b.envs, func(x *envelope) bool { return x == e })
	b.bytes -= e.size
	if len(b.envs) == 0 {
		delete(m.boxes, e.to)
	}
	m.order.Remove(e.elem)
	m.bytes -= e.size
}

// expire drops envelopes older than the age limit.
func (m *mailboxes) expire(now time.Time) {
	for f := m.order.Front(); f != nil; f = m.order.Front() {
		e := f.Value.(*envelope)
		if now.Sub(e.stored) < m.limits.maxAge {
			return
		}
		m.remove(e)
	}
}

// len returns how many envelopes are stored, and their payload bytes.
func (m *mailboxes) len() (int, int) { return m.order.Len(), m.bytes }

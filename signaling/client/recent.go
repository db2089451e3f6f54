package client

import "github.com/porchlight/porchlight/signaling/wire"

// recentIDs remembers the last envelopes handed to the handler, so that a
// redelivery (after a lost ack, or a resend) is acked but not handled twice.
type recentIDs struct {
	set  map[recentKey]struct{}
	ring []recentKey
	next int
}

type recentKey struct {
	to wire.Address
	id string
}

func newRecentIDs(n int) recentIDs {
	return recentIDs{set: make(map[recentKey]struct{}, n), ring: make([]recentKey, 0, n)}
}

// add remembers an envelope, forgetting the oldest past capacity. It reports
// whether the envelope is new.
func (r *recentIDs) add(to wire.Address, id string) bool {
	k := recentKey{to, id}
	if _, ok := r.set[k]; ok {
		return false
	}
	if len(r.ring) < cap(r.ring) {
		r.ring = append(r.ring, k)
	} else {
		delete(r.set, r.ring[r.next])
		r.ring[r.next] = k
		r.next = (r.next + 1) % len(r.ring)
	}
	r.set[k] = struct{}{}
	return true
}

// Package events is the core's in-process publish/subscribe bus. The local
// API streams it to the tray, the window and the CLI. A slow subscriber never
// blocks a publisher: when its buffer is full it loses events and is told so
// by a closed channel, and can resubscribe and reread the state.
package events

import (
	"sync"
	"time"

	"github.com/porchlight/porchlight/app/api"
)

// Bus fans events out to subscribers.
type Bus struct {
	mu   sync.Mutex
	subs map[chan api.Event]struct{}
}

// New returns an empty bus.
func New() *Bus { return &Bus{subs: make(map[chan api.Event]struct{})} }

// Subscribe returns a channel of future events and a function that ends the
// subscription. The channel is closed if the subscriber falls too far behind.
func (b *Bus) Subscribe() (<-chan api.Event, func()) {
	ch := make(chan api.Event, 256)
	b.mu.Lock()
	b.subs[ch] = struct{}{}
	b.mu.Unlock()
	return ch, func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		if _, ok := b.subs[ch]; ok {
			delete(b.subs, ch)
			close(ch)
		}
	}
}

// Publish sends ev to every subscriber, stamping its time if unset.
func (b *Bus) Publish(ev api.Event) {
	if ev.Time.IsZero() {
		ev.Time = time.Now()
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for ch := range b.subs {
		select {
		case ch <- ev:
		default:
			delete(b.subs, ch)
			close(ch)
		}
	}
}

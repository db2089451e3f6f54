package link

import (
	"testing"
	"time"
)

func TestWindowFor(t *testing.T) {
	tests := []struct {
		rtt  time.Duration
		want uint64
	}{
		{0, windowMin},                      // not measured yet
		{100 * time.Microsecond, windowMin}, // loopback
		{2 * time.Millisecond, windowMin},   // a LAN
		{20 * time.Millisecond, 2_000_000},  // across a city
		{50 * time.Millisecond, windowMax},  // across a country
		{2 * time.Second, windowMax},        // a satellite on a bad day
	}
	for _, tt := range tests {
		if got := windowFor(tt.rtt); got != tt.want {
			t.Errorf("windowFor(%v) = %d, want %d", tt.rtt, got, tt.want)
		}
	}
}

// TestWindowFollowsThePath: on loopback the window stays small enough for
// the receiver's buffers; across a 50 ms path it opens to windowMax.
func TestWindowFollowsThePath(t *testing.T) {
	tests := []struct {
		name    string
		connect func(t *testing.T) (offerer, answerer *Link)
		want    uint64
	}{
		{"loopback", connect, windowMin},
		{"50 ms round trip", func(t *testing.T) (*Link, *Link) {
			return connectVirtual(t, newVirtualWorld(t, fullCone.typ, fullCone.typ, 25*time.Millisecond))
		}, windowMax},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			offerer, answerer := tt.connect(t)
			for side, l := range map[string]*Link{"offerer": offerer, "answerer": answerer} {
				l.mu.Lock()
				in := l.incoming
				l.mu.Unlock()
				// The first reading comes just after the link is ready.
				deadline := time.Now().Add(5 * time.Second)
				for in.window.Load() != tt.want && time.Now().Before(deadline) {
					time.Sleep(10 * time.Millisecond)
				}
				if got := in.window.Load(); got != tt.want {
					t.Errorf("%s's window = %d bytes, want %d", side, got, tt.want)
				}
			}
		})
	}
}

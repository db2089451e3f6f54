package link

import (
	"time"
)

// The send window: how many bytes a data channel may have queued or in
// flight before Write waits.
//
// pion's receiver hands each packet through two 1 MB buffers (ICE's and
// the DTLS mux's) that drop, rather than push back, when full. With a
// window larger than those, a receiver that falls behind for a moment (a
// busy core, a GC) loses packets in its own process; SCTP's timer, never
// under one second in pion, then stalls the link. On loopback a 4 MiB
// window measured 52-86 MB/s from run to run with stalls of about a
// second; 768 KiB gave 86-89 MB/s and no stall. A path with a long round
// trip needs a window near its bandwidth-delay product instead, and there
// the window is mostly in the network, not in the receiver's buffers. On
// a 50 ms vnet path a 1 MiB window held the link to ~10 MB/s; 2 MiB gave
// ~20 MB/s, 3 MiB 25-29, 4 MiB 35-39; 6 and 8 MiB 21-43 MB/s, wildly
// variable (vnet, like a socket buffer, drops past 1024 queued packets).
//
// So the window follows the path's round trip, as ICE measures it (its
// checks are answered below those buffers, so queueing in them does not
// inflate it): roundTrip × windowRate, between windowMin and windowMax.
const (
	// windowMin plus one message (writeMessageSize) and its headers stays
	// under the receiver's 1 MB buffers.
	windowMin  = 640 << 10
	windowMax  = 4 << 20
	windowRate = 100e6 // bytes per second the window is sized for
	// windowCheck is how often the round trip is read again.
	windowCheck = 2 * time.Second
)

// windowFor returns the send window for a path whose least round trip seen
// is rtt; zero means not yet measured.
func windowFor(rtt time.Duration) uint64 {
	w := uint64(rtt.Seconds() * windowRate)
	return min(max(w, windowMin), windowMax)
}

// tuneWindow sets the send window of conns from the selected ICE pair's
// round trip, now and every windowCheck, until the link ends. It keeps the
// least round trip seen on the current pair: the path's own delay, without
// queueing; a new pair starts afresh.
func (l *Link) tuneWindow(conns ...*dataConn) {
	var (
		pairID string
		least  time.Duration
		window uint64
	)
	ticker := time.NewTicker(windowCheck)
	defer ticker.Stop()
	for {
		stats, ok := l.pc.SCTP().Transport().ICETransport().GetSelectedCandidatePairStats()
		if ok && stats.CurrentRoundTripTime > 0 {
			rtt := time.Duration(stats.CurrentRoundTripTime * float64(time.Second))
			if stats.ID != pairID || rtt < least {
				pairID, least = stats.ID, rtt
			}
			if w := windowFor(least); w != window {
				window = w
				l.log.Debug("send window", "bytes", w, "rtt", least)
				for _, c := range conns {
					c.setWindow(w)
				}
			}
		}
		select {
		case <-ticker.C:
		case <-l.done:
			return
		}
	}
}

// Package udpbatch wraps a UDP socket so that bursts of datagrams cross
// the kernel together: writes are queued and sent by one goroutine, runs
// of equal-sized datagrams to one address go out as a single
// segmentation-offload send (Linux UDP_SEGMENT), and the kernel may hand
// several received datagrams over in one read (UDP_GRO), which Read splits
// again. To the caller it is still one datagram per call.
//
// WebRTC sends every SCTP packet as its own 1.2 KB datagram, and on a fast
// path the per-datagram cost of the kernel's UDP stack is a fifth of all
// the CPU a transfer spends; see docs/decisions/0008-link-throughput.md.
//
// Where the platform has no segmentation offload, writes still leave
// through the sending goroutine, one datagram per system call.
package udpbatch

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"runtime"
	"sync"
	"time"
)

const (
	// maxQueued bounds the bytes waiting to be sent; a writer beyond it
	// waits, as it would for a full socket buffer.
	maxQueued = 512 << 10
	// maxSegments is the most datagrams one offload send carries (the
	// kernel's UDP_MAX_SEGMENTS).
	maxSegments = 64
	// maxBatchBytes bounds one offload send: a UDP payload is at most
	// 65,507 bytes over IPv4.
	maxBatchBytes = 65000
	// readBufferSize holds the largest coalesced read.
	readBufferSize = 1 << 16
	// lingerYields is how many times the sender lets other goroutines run
	// before taking a short queue, so that a writer in the middle of a
	// burst can add to it. Measured on loopback (2 cores, WebRTC link vs
	// the anchor, same run): sending at once gave 1.35-1.37x, no wrapper
	// 1.55-1.57x, one yield 1.80-2.14x, with ~15 datagrams per batch
	// instead of ~1.1.
	lingerYields = 1
	// keepBuffer is the largest send buffer kept once traffic is light.
	keepBuffer = 64 << 10
	// closeFlush bounds how long Close waits for queued datagrams to leave.
	closeFlush = time.Second
)

// Conn is a UDP socket with batched writes and, where offered, coalesced
// reads. It implements pion's transport.UDPConn and ice.AddrPortReaderWriter.
type Conn struct {
	*net.UDPConn // for the methods not overridden here
	log          *slog.Logger

	mu     sync.Mutex
	room   *sync.Cond // signalled when queued bytes fall or the conn closes
	work   *sync.Cond // signalled when a datagram is queued or the conn closes
	queue  batch      // datagrams waiting for the sender
	closed bool

	offload offload   // what the platform can do; the sender's alone
	stopped chan bool // closed when the sender has finished

	readMu   sync.Mutex
	readBuf  []byte
	readOOB  []byte
	segments []byte         // coalesced datagrams not yet returned
	segSize  int            // the size of each but the last in segments
	segFrom  netip.AddrPort // where segments came from
}

// batch is a run of datagrams laid end to end in one buffer.
type batch struct {
	data  []byte
	items []item
}

type item struct {
	to   netip.AddrPort
	size int
}

func (b *batch) reset() {
	b.data = b.data[:0]
	b.items = b.items[:0]
}

// Wrap takes over conn: every read and write must go through the returned
// Conn. log receives send errors at debug level; nil discards them.
func Wrap(conn *net.UDPConn, log *slog.Logger) *Conn {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	c := &Conn{
		UDPConn: conn,
		log:     log,
		stopped: make(chan bool),
		readBuf: make([]byte, readBufferSize),
		readOOB: make([]byte, 64),
	}
	c.room = sync.NewCond(&c.mu)
	c.work = sync.NewCond(&c.mu)
	c.offload = enableOffload(conn)
	go c.send()
	return c
}

// WriteToAddrPort queues b for to. It returns at once unless the queue is
// full. A send that fails is logged and dropped, as the network may drop
// any datagram: handing the error to a later, unrelated write would let
// one unreachable ICE candidate fail the link's data (pion's SCTP ends the
// association on a write error).
func (c *Conn) WriteToAddrPort(b []byte, to netip.AddrPort) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for !c.closed && len(c.queue.data) > 0 && len(c.queue.data)+len(b) > maxQueued {
		c.room.Wait()
	}
	if c.closed {
		return 0, net.ErrClosed
	}
	c.queue.data = append(c.queue.data, b...)
	c.queue.items = append(c.queue.items, item{to: to, size: len(b)})
	c.work.Signal()
	return len(b), nil
}

// WriteTo is WriteToAddrPort for a *net.UDPAddr.
func (c *Conn) WriteTo(b []byte, addr net.Addr) (int, error) {
	ua, ok := addr.(*net.UDPAddr)
	if !ok {
		return 0, fmt.Errorf("udpbatch: write to %T: not a UDP address", addr)
	}
	return c.WriteToAddrPort(b, ua.AddrPort())
}

// WriteToUDP is WriteToAddrPort for a *net.UDPAddr.
func (c *Conn) WriteToUDP(b []byte, addr *net.UDPAddr) (int, error) {
	return c.WriteToAddrPort(b, addr.AddrPort())
}

// WriteToUDPAddrPort is WriteToAddrPort under net.UDPConn's name.
func (c *Conn) WriteToUDPAddrPort(b []byte, to netip.AddrPort) (int, error) {
	return c.WriteToAddrPort(b, to)
}

// Write is refused: the socket is unconnected.
func (c *Conn) Write([]byte) (int, error) {
	return 0, errors.New("udpbatch: write without an address")
}

// send is the one goroutine that writes to the socket. It takes whatever
// has been queued, all at once, and sends it in as few calls as it can.
// After Close it sends what is left (a DTLS close_notify, an SCTP ABORT:
// the peer should hear them) and stops.
func (c *Conn) send() {
	defer close(c.stopped)
	var out batch
	for {
		c.mu.Lock()
		for !c.closed && len(c.queue.items) == 0 {
			c.work.Wait()
		}
		if len(c.queue.items) == 0 {
			c.mu.Unlock()
			return
		}
		for range lingerYields {
			if c.closed || len(c.queue.items) >= maxSegments/2 {
				break
			}
			c.mu.Unlock()
			runtime.Gosched()
			c.mu.Lock()
		}
		c.queue, out = out, c.queue
		c.room.Broadcast()
		c.mu.Unlock()

		if err := c.sendBatch(&out); err != nil {
			c.log.Debug("udp send", "err", err)
		}
		if cap(out.data) > keepBuffer && len(out.data) < keepBuffer/16 {
			out = batch{} // traffic is light again: give a burst's buffer back
		}
		out.reset()
	}
}

// sendBatch sends b, grouping runs of datagrams into offload sends. It
// returns the first error and carries on past it.
func (c *Conn) sendBatch(b *batch) error {
	var first error
	offset := 0
	for items := b.items; len(items) > 0; {
		count, total := nextRun(items, c.offload.segment)
		if err := c.write(b.data[offset:offset+total], items[0].size, count, items[0].to); err != nil && first == nil {
			first = err
		}
		offset += total
		items = items[count:]
	}
	return first
}

// nextRun returns how many datagrams at the head of items can leave in one
// send, and their total size: with segmentation, a run to one address of
// equal sizes, of which the last may be shorter; without, one.
func nextRun(items []item, segment bool) (count, total int) {
	to, size := items[0].to, items[0].size
	count, total = 1, size
	if !segment {
		return count, total
	}
	for count < len(items) && count < maxSegments {
		next := items[count]
		if next.to != to || next.size > size || total+next.size > maxBatchBytes {
			break
		}
		count++
		total += next.size
		if next.size < size {
			break // a short datagram ends a run
		}
	}
	return count, total
}

// write sends count datagrams of size bytes (the last may be shorter)
// laid end to end in data.
func (c *Conn) write(data []byte, size, count int, to netip.AddrPort) error {
	if count == 1 {
		_, err := c.UDPConn.WriteToUDPAddrPort(data, to)
		return err
	}
	_, _, err := c.UDPConn.WriteMsgUDPAddrPort(data, c.offload.segmentOOB(size), to)
	if err == nil {
		return nil
	}
	if !offloadRefused(err) {
		return err
	}
	// The route's device cannot segment: stop asking, and send these one by one.
	c.log.Debug("udp segmentation offload refused; sending datagrams singly", "err", err)
	c.offload.segment = false
	var first error
	for len(data) > 0 {
		n := min(size, len(data))
		if _, err := c.UDPConn.WriteToUDPAddrPort(data[:n], to); err != nil && first == nil {
			first = err
		}
		data = data[n:]
	}
	return first
}

// ReadFromAddrPort returns one datagram. When the kernel handed over
// several at once, the rest are kept for the next calls.
func (c *Conn) ReadFromAddrPort(b []byte) (int, netip.AddrPort, error) {
	c.readMu.Lock()
	defer c.readMu.Unlock()
	if len(c.segments) == 0 {
		if !c.offload.coalesce {
			return c.UDPConn.ReadFromUDPAddrPort(b)
		}
		n, oobn, _, from, err := c.UDPConn.ReadMsgUDPAddrPort(c.readBuf, c.readOOB)
		if err != nil {
			return 0, from, err
		}
		c.segments, c.segFrom = c.readBuf[:n], from
		c.segSize = coalescedSize(c.readOOB[:oobn])
		if c.segSize <= 0 {
			c.segSize = n
		}
	}
	seg := c.segments[:min(c.segSize, len(c.segments))]
	c.segments = c.segments[len(seg):]
	// As with a plain socket, a datagram longer than b is cut short.
	return copy(b, seg), c.segFrom, nil
}

// ReadFrom is ReadFromAddrPort with a *net.UDPAddr.
func (c *Conn) ReadFrom(b []byte) (int, net.Addr, error) {
	n, from, err := c.ReadFromAddrPort(b)
	if err != nil {
		return n, nil, err
	}
	return n, net.UDPAddrFromAddrPort(from), nil
}

// ReadFromUDP is ReadFromAddrPort with a *net.UDPAddr.
func (c *Conn) ReadFromUDP(b []byte) (int, *net.UDPAddr, error) {
	n, from, err := c.ReadFromAddrPort(b)
	if err != nil {
		return n, nil, err
	}
	return n, net.UDPAddrFromAddrPort(from), nil
}

// ReadFromUDPAddrPort is ReadFromAddrPort under net.UDPConn's name.
func (c *Conn) ReadFromUDPAddrPort(b []byte) (int, netip.AddrPort, error) {
	return c.ReadFromAddrPort(b)
}

// Read returns one datagram's bytes.
func (c *Conn) Read(b []byte) (int, error) {
	n, _, err := c.ReadFromAddrPort(b)
	return n, err
}

// SetDeadline sets the read deadline; writes never wait on the network.
func (c *Conn) SetDeadline(t time.Time) error { return c.UDPConn.SetReadDeadline(t) }

// SetWriteDeadline is accepted and has no effect: writes only queue.
func (c *Conn) SetWriteDeadline(time.Time) error { return nil }

// Close refuses further writes, lets the sender finish what is queued
// (for at most closeFlush), and closes the socket.
func (c *Conn) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return net.ErrClosed
	}
	c.closed = true
	c.work.Broadcast()
	c.room.Broadcast()
	c.mu.Unlock()
	_ = c.UDPConn.SetWriteDeadline(time.Now().Add(closeFlush))
	<-c.stopped
	return c.UDPConn.Close()
}

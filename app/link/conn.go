package link

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/datachannel"
	"github.com/pion/transport/v4/deadline"
)

// Message sizes on a data channel.
//
// Measured with test/bench_links_test.go (1 GiB on loopback, 256 MiB at
// 50 ms, each transfer run twice beside the anchor, on a shared 2-core
// box). These settings, with those in settings.go, window.go, http.go and
// app/link/udpbatch, give 2.1x the anchor on loopback (127 vs 61 MB/s) and
// 3.6x at 50 ms (37 vs 10 MB/s); docs/decisions/0008-link-throughput.md
// tells how they were found.
const (
	// writeMessageSize is the largest message a Write sends; longer writes
	// are split. It is also the initial read buffer. 256 KiB messages cost
	// less CPU per byte than 64 KiB ones (fewer messages to queue and
	// reassemble): ~30 vs ~35 s of CPU per GB on the 50 ms path, together
	// with zero checksums and 1 MiB HTTP/2 frames.
	writeMessageSize = 256 << 10
	// maxMessageSize is the largest message we accept (advertised in our
	// SDP); the read buffer grows up to it.
	maxMessageSize = 1 << 20
)

// channel is what a detached pion data channel offers.
type channel interface {
	datachannel.ReadWriteCloserDeadliner
	BufferedAmount() uint64
	SetBufferedAmountLowThreshold(th uint64)
	OnBufferedAmountLow(f func())
}

// dataConn adapts a detached data channel, which carries messages, into a
// net.Conn, which carries a byte stream.
type dataConn struct {
	ch    channel
	label string

	readMu sync.Mutex
	buf    []byte // holds the last message read
	unread []byte // the part of buf not yet returned by Read

	writeMu       sync.Mutex
	window        atomic.Uint64 // the send window, in bytes
	drained       chan struct{} // signalled when the send queue falls to half the window
	writeDeadline *deadline.Deadline

	closeMu sync.Mutex // orders Close against SetReadDeadline
	closed  chan struct{}
}

var _ net.Conn = (*dataConn)(nil)

func newDataConn(ch channel, label string) *dataConn {
	c := &dataConn{
		ch:            ch,
		label:         label,
		buf:           make([]byte, writeMessageSize),
		drained:       make(chan struct{}, 1),
		writeDeadline: deadline.New(),
		closed:        make(chan struct{}),
	}
	c.setWindow(windowMin)
	ch.OnBufferedAmountLow(func() {
		select {
		case c.drained <- struct{}{}:
		default:
		}
	})
	return c
}

// Read hands out the bytes of one message at a time, keeping what does not
// fit in p for the next call.
func (c *dataConn) Read(p []byte) (int, error) {
	c.readMu.Lock()
	defer c.readMu.Unlock()
	for len(c.unread) == 0 {
		n, err := c.readMessage()
		if err != nil {
			return 0, err
		}
		c.unread = c.buf[:n]
	}
	n := copy(p, c.unread)
	c.unread = c.unread[n:]
	return n, nil
}

// readMessage reads the next message into c.buf. A message larger than the
// buffer stays queued in pion (io.ErrShortBuffer), so the buffer grows and
// the read is tried again.
func (c *dataConn) readMessage() (int, error) {
	for {
		n, err := c.ch.Read(c.buf)
		switch {
		case err == nil:
			return n, nil
		case errors.Is(err, io.ErrShortBuffer) && len(c.buf) < maxMessageSize:
			c.buf = make([]byte, min(2*len(c.buf), maxMessageSize))
		case c.isClosed():
			return 0, net.ErrClosed
		case errors.Is(err, os.ErrDeadlineExceeded):
			return 0, os.ErrDeadlineExceeded
		case errors.Is(err, io.EOF):
			return 0, io.EOF
		default:
			return 0, fmt.Errorf("read data channel %s: %w", c.label, err)
		}
	}
}

// Write sends p as messages of at most writeMessageSize, waiting while
// more than the send window (window.go) is queued or in flight, until the
// queue has drained to half of it.
func (c *dataConn) Write(p []byte) (int, error) {
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	written := 0
	for written < len(p) {
		if err := c.waitForRoom(); err != nil {
			return written, err
		}
		end := min(len(p), written+writeMessageSize)
		n, err := c.ch.Write(p[written:end])
		written += n
		if err != nil {
			if c.isClosed() {
				return written, net.ErrClosed
			}
			return written, fmt.Errorf("write data channel %s: %w", c.label, err)
		}
	}
	return written, nil
}

// setWindow sets the send window to w bytes.
func (c *dataConn) setWindow(w uint64) {
	c.window.Store(w)
	c.ch.SetBufferedAmountLowThreshold(w / 2)
}

// waitForRoom blocks while more than the send window is queued.
func (c *dataConn) waitForRoom() error {
	for c.ch.BufferedAmount() > c.window.Load() {
		select {
		case <-c.drained:
		case <-c.closed:
			return net.ErrClosed
		case <-c.writeDeadline.Done():
			return os.ErrDeadlineExceeded
		}
	}
	select {
	case <-c.closed:
		return net.ErrClosed
	case <-c.writeDeadline.Done():
		return os.ErrDeadlineExceeded
	default:
		return nil
	}
}

// Close closes the data channel and wakes any blocked Read or Write.
func (c *dataConn) Close() error {
	c.closeMu.Lock()
	defer c.closeMu.Unlock()
	if c.isClosed() {
		return nil
	}
	close(c.closed)
	// A deadline in the past is the only way to wake a blocked pion Read.
	_ = c.ch.SetReadDeadline(time.Unix(1, 0))
	if err := c.ch.Close(); err != nil {
		return fmt.Errorf("close data channel %s: %w", c.label, err)
	}
	return nil
}

func (c *dataConn) isClosed() bool {
	select {
	case <-c.closed:
		return true
	default:
		return false
	}
}

func (c *dataConn) SetDeadline(t time.Time) error {
	if err := c.SetReadDeadline(t); err != nil {
		return err
	}
	return c.SetWriteDeadline(t)
}

func (c *dataConn) SetReadDeadline(t time.Time) error {
	c.closeMu.Lock()
	defer c.closeMu.Unlock()
	if c.isClosed() {
		return net.ErrClosed
	}
	if err := c.ch.SetReadDeadline(t); err != nil {
		return fmt.Errorf("set read deadline: %w", err)
	}
	return nil
}

func (c *dataConn) SetWriteDeadline(t time.Time) error {
	c.writeDeadline.Set(t)
	return nil
}

func (c *dataConn) LocalAddr() net.Addr  { return channelAddr(c.label) }
func (c *dataConn) RemoteAddr() net.Addr { return channelAddr(c.label) }

// channelAddr names a data channel where net.Conn wants an address.
type channelAddr string

func (a channelAddr) Network() string { return "webrtc" }
func (a channelAddr) String() string  { return "webrtc:" + string(a) }

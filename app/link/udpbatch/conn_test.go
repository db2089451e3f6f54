package udpbatch

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"runtime"
	"sync"
	"testing"
	"time"
)

func TestNextRun(t *testing.T) {
	a := netip.MustParseAddrPort("127.0.0.1:1000")
	b := netip.MustParseAddrPort("127.0.0.1:2000")
	many := func(n, size int, to netip.AddrPort) []item {
		items := make([]item, n)
		for i := range items {
			items[i] = item{to: to, size: size}
		}
		return items
	}
	tests := []struct {
		name         string
		items        []item
		segment      bool
		count, total int
	}{
		{"one", many(1, 1200, a), true, 1, 1200},
		{"equal sizes", many(5, 1200, a), true, 5, 6000},
		{"without offload, one at a time", many(5, 1200, a), false, 1, 1200},
		{"a short one ends the run", append(many(3, 1200, a), item{a, 100}, item{a, 1200}), true, 4, 3700},
		{"a longer one starts a new run", append(many(2, 100, a), item{a, 1200}), true, 2, 200},
		{"another address starts a new run", append(many(2, 1200, a), item{b, 1200}), true, 2, 2400},
		{"at most maxSegments", many(maxSegments+10, 500, a), true, maxSegments, maxSegments * 500},
		{"at most maxBatchBytes", many(60, 1400, a), true, maxBatchBytes / 1400, maxBatchBytes / 1400 * 1400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			count, total := nextRun(tt.items, tt.segment)
			if count != tt.count || total != tt.total {
				t.Errorf("nextRun = %d datagrams, %d bytes; want %d, %d", count, total, tt.count, tt.total)
			}
		})
	}
}

func listen(t *testing.T) *net.UDPConn {
	t.Helper()
	c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	_ = c.SetReadBuffer(4 << 20)
	_ = c.SetWriteBuffer(4 << 20)
	return c
}

// packetConn is what both a plain and a wrapped socket offer.
type packetConn interface {
	ReadFromUDPAddrPort(b []byte) (int, netip.AddrPort, error)
	WriteToUDPAddrPort(b []byte, to netip.AddrPort) (int, error)
	LocalAddr() net.Addr
	SetReadDeadline(time.Time) error
	Close() error
}

// datagram i is size bytes: its index, then the index's low byte repeated.
func datagram(i, size int) []byte {
	b := bytes.Repeat([]byte{byte(i)}, size)
	binary.BigEndian.PutUint32(b, uint32(i))
	return b
}

// sizes is a mix that exercises runs: full-sized datagrams in long runs,
// short ones ending them, and small ones in between.
func sizes(n int) []int {
	s := make([]int, n)
	for i := range s {
		switch {
		case i%97 == 0:
			s[i] = 40
		case i%31 == 0:
			s[i] = 700
		default:
			s[i] = 1228
		}
	}
	return s
}

func TestDatagramsArriveWholeAndInOrder(t *testing.T) {
	plain := func(c *net.UDPConn) packetConn { return c }
	wrapped := func(c *net.UDPConn) packetConn { return Wrap(c, nil) }
	tests := []struct {
		name             string
		sender, receiver func(*net.UDPConn) packetConn
	}{
		{"wrapped to wrapped", wrapped, wrapped},
		{"wrapped to plain", wrapped, plain},
		{"plain to wrapped", plain, wrapped},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			send, recv := tt.sender(listen(t)), tt.receiver(listen(t))
			defer send.Close()
			defer recv.Close()
			to := recv.LocalAddr().(*net.UDPAddr).AddrPort()
			from := send.LocalAddr().(*net.UDPAddr).AddrPort()
			want := sizes(3000)

			got := make(chan error, 1)
			go func() {
				buf := make([]byte, 2048)
				_ = recv.SetReadDeadline(time.Now().Add(10 * time.Second))
				for i, size := range want {
					n, src, err := recv.ReadFromUDPAddrPort(buf)
					if err != nil {
						got <- err
						return
					}
					if src != from {
						got <- fmt.Errorf("datagram %d from %s, want %s", i, src, from)
						return
					}
					if !bytes.Equal(buf[:n], datagram(i, size)) {
						got <- fmt.Errorf("datagram %d: got %d bytes starting % x, want %d bytes", i, n, buf[:min(n, 8)], size)
						return
					}
				}
				got <- nil
			}()
			for i, size := range want {
				if _, err := send.WriteToUDPAddrPort(datagram(i, size), to); err != nil {
					t.Fatal(err)
				}
				if i%500 == 0 {
					runtime.Gosched()
				}
			}
			if err := <-got; err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestSendsAreSegmentedAndReadsCoalesced checks that a burst really leaves
// in offload sends: a socket asking for coalesced reads sees datagrams
// arrive several to a read.
func TestSendsAreSegmentedAndReadsCoalesced(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("segmentation offload is Linux's")
	}
	send := Wrap(listen(t), nil)
	defer send.Close()
	if !send.offload.segment {
		t.Skip("this kernel has no UDP_SEGMENT")
	}
	raw := listen(t)
	defer raw.Close()
	if o := enableOffload(raw); !o.coalesce {
		t.Skip("this kernel has no UDP_GRO")
	}
	to := raw.LocalAddr().(*net.UDPAddr).AddrPort()

	// Queue a burst while the sender is held, so that it takes it whole.
	send.mu.Lock()
	const n = 20
	for i := range n {
		send.queue.data = append(send.queue.data, datagram(i, 1000)...)
		send.queue.items = append(send.queue.items, item{to: to, size: 1000})
	}
	send.work.Signal()
	send.mu.Unlock()

	buf, oob := make([]byte, readBufferSize), make([]byte, 64)
	_ = raw.SetReadDeadline(time.Now().Add(5 * time.Second))
	n0, oobn, _, _, err := raw.ReadMsgUDPAddrPort(buf, oob)
	if err != nil {
		t.Fatal(err)
	}
	if size := coalescedSize(oob[:oobn]); size != 1000 || n0 <= 1000 {
		t.Fatalf("first read: %d bytes, datagrams of %d; want several of 1000", n0, size)
	}
}

func TestShortBufferCutsDatagram(t *testing.T) {
	send, recv := Wrap(listen(t), nil), Wrap(listen(t), nil)
	defer send.Close()
	defer recv.Close()
	to := recv.LocalAddr().(*net.UDPAddr).AddrPort()
	for i := range 2 {
		if _, err := send.WriteToAddrPort(datagram(i, 1000), to); err != nil {
			t.Fatal(err)
		}
	}
	_ = recv.SetReadDeadline(time.Now().Add(5 * time.Second))
	small := make([]byte, 10)
	n, _, err := recv.ReadFromAddrPort(small)
	if err != nil || n != 10 || !bytes.Equal(small, datagram(0, 1000)[:10]) {
		t.Fatalf("short read = %d, %v (% x); want the first 10 bytes of datagram 0", n, err, small[:n])
	}
	// The rest of datagram 0 is gone, as with a plain socket; 1 is whole.
	buf := make([]byte, 2048)
	n, _, err = recv.ReadFromAddrPort(buf)
	if err != nil || !bytes.Equal(buf[:n], datagram(1, 1000)) {
		t.Fatalf("next read = %d bytes, %v; want datagram 1", n, err)
	}
}

func TestCloseWakesWritersAndReaders(t *testing.T) {
	c := Wrap(listen(t), nil)
	// Once the sender waits for work, fill the queue without waking it,
	// so that the next write has to wait for room.
	time.Sleep(20 * time.Millisecond)
	c.mu.Lock()
	c.queue.data = make([]byte, maxQueued)
	c.queue.items = append(c.queue.items, item{size: maxQueued})
	c.mu.Unlock()

	var wg sync.WaitGroup
	errs := make(chan error, 2)
	wg.Add(2)
	go func() {
		defer wg.Done()
		_, err := c.WriteToAddrPort(make([]byte, 100), netip.MustParseAddrPort("127.0.0.1:9"))
		errs <- err
	}()
	go func() {
		defer wg.Done()
		_, _, err := c.ReadFromAddrPort(make([]byte, 100))
		errs <- err
	}()
	time.Sleep(50 * time.Millisecond)
	if err := c.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if !errors.Is(err, net.ErrClosed) {
			t.Errorf("blocked call ended with %v; want net.ErrClosed", err)
		}
	}
	if _, err := c.WriteToAddrPort([]byte("x"), netip.MustParseAddrPort("127.0.0.1:9")); !errors.Is(err, net.ErrClosed) {
		t.Errorf("write after Close: %v; want net.ErrClosed", err)
	}
	if err := c.Close(); !errors.Is(err, net.ErrClosed) {
		t.Errorf("second Close: %v; want net.ErrClosed", err)
	}
}

// TestCloseSendsWhatWasQueued: the last datagrams before Close (a DTLS
// close_notify, an SCTP ABORT) still leave.
func TestCloseSendsWhatWasQueued(t *testing.T) {
	send, recv := Wrap(listen(t), nil), listen(t)
	defer recv.Close()
	to := recv.LocalAddr().(*net.UDPAddr).AddrPort()
	const n = 50
	for i := range n {
		if _, err := send.WriteToAddrPort(datagram(i, 1000), to); err != nil {
			t.Fatal(err)
		}
	}
	if err := send.Close(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 2048)
	_ = recv.SetReadDeadline(time.Now().Add(5 * time.Second))
	for i := range n {
		k, err := recv.Read(buf)
		if err != nil || !bytes.Equal(buf[:k], datagram(i, 1000)) {
			t.Fatalf("datagram %d: %d bytes, %v", i, k, err)
		}
	}
}

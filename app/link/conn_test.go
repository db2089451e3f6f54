package link

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"testing"
	"time"

	"github.com/pion/webrtc/v4"
)

// extraChannel opens one more pre-negotiated data channel on l (the peer
// must open the same id) and returns it detached.
func extraChannel(t *testing.T, l *Link, id uint16) channel {
	t.Helper()
	negotiated := true
	dc, err := l.pc.CreateDataChannel("test", &webrtc.DataChannelInit{Negotiated: &negotiated, ID: &id})
	if err != nil {
		t.Fatalf("create data channel: %v", err)
	}
	opened := make(chan channel, 1)
	dc.OnOpen(func() {
		raw, err := dc.DetachWithDeadline()
		if err != nil {
			t.Errorf("detach: %v", err)
		}
		ch, _ := raw.(channel)
		opened <- ch
	})
	select {
	case ch := <-opened:
		if ch == nil {
			t.FailNow()
		}
		return ch
	case <-time.After(testTimeout):
		t.Fatal("data channel did not open")
		return nil
	}
}

// channelPair returns a raw data channel on one side of a fresh link and a
// dataConn on the other end of it.
func channelPair(t *testing.T) (raw channel, conn *dataConn) {
	offerer, answerer := connect(t)
	raw = extraChannel(t, offerer, 2)
	conn = newDataConn(extraChannel(t, answerer, 2), "test")
	t.Cleanup(func() { _ = conn.Close() })
	return raw, conn
}

func TestReadMessageLargerThanBuffers(t *testing.T) {
	raw, conn := channelPair(t)

	// Larger than the conn's initial read buffer, and read through a
	// caller buffer far smaller still; then a small message after it.
	big := make([]byte, 300<<10)
	fill(big, 1)
	small := []byte("and then a small one")
	for _, msg := range [][]byte{big, small} {
		if _, err := raw.Write(msg); err != nil {
			t.Fatalf("write %d-byte message: %v", len(msg), err)
		}
	}

	var got []byte
	buf := make([]byte, 1000)
	for len(got) < len(big)+len(small) {
		n, err := conn.Read(buf)
		if err != nil {
			t.Fatalf("read after %d bytes: %v", len(got), err)
		}
		got = append(got, buf[:n]...)
	}
	if want := append(big, small...); !bytes.Equal(got, want) {
		t.Fatal("bytes read differ from the messages sent")
	}
}

func TestWriteSplitsIntoMessages(t *testing.T) {
	raw, conn := channelPair(t)
	data := make([]byte, 3*writeMessageSize+123)
	fill(data, 2)
	// raw is on the other side; write from conn's side towards it.
	go func() {
		if _, err := conn.Write(data); err != nil {
			t.Errorf("Write: %v", err)
		}
	}()
	var got []byte
	buf := make([]byte, maxMessageSize)
	for len(got) < len(data) {
		n, err := raw.Read(buf)
		if err != nil {
			t.Fatalf("read message: %v", err)
		}
		if n > writeMessageSize {
			t.Fatalf("got a %d-byte message, want at most %d", n, writeMessageSize)
		}
		got = append(got, buf[:n]...)
	}
	if !bytes.Equal(got, data) {
		t.Fatal("bytes received differ from the bytes written")
	}
}

func TestConnDeadlinesAndClose(t *testing.T) {
	_, conn := channelPair(t)

	if err := conn.SetReadDeadline(time.Now().Add(50 * time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	var ne net.Error
	if _, err := conn.Read(make([]byte, 10)); !errors.Is(err, os.ErrDeadlineExceeded) || !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("Read past the deadline: %v, want a timeout", err)
	}
	if err := conn.SetReadDeadline(time.Time{}); err != nil {
		t.Fatal(err)
	}

	readDone := make(chan error, 1)
	go func() {
		_, err := conn.Read(make([]byte, 10))
		readDone <- err
	}()
	time.Sleep(50 * time.Millisecond)
	if err := conn.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	select {
	case err := <-readDone:
		if !errors.Is(err, net.ErrClosed) && !errors.Is(err, io.EOF) {
			t.Errorf("Read after Close: %v, want net.ErrClosed", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not wake a blocked Read")
	}
	if _, err := conn.Write([]byte("x")); !errors.Is(err, net.ErrClosed) {
		t.Errorf("Write after Close: %v, want net.ErrClosed", err)
	}
}

// fill fills b with bytes that depend on seed.
func fill(b []byte, seed byte) {
	_, _ = rand.NewChaCha8([32]byte{seed}).Read(b)
}

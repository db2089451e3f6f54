package instance

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func socketIn(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "pl")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return filepath.Join(dir, "window.sock")
}

// open claims socket as the first window and serves it, passing requests on.
func open(t *testing.T, socket string) <-chan Request {
	t.Helper()
	l, err := Claim(context.Background(), socket, Request{View: "home"})
	if err != nil {
		t.Fatalf("first start: %v", err)
	}
	got := make(chan Request, 4)
	go l.Serve(func(r Request) { got <- r })
	t.Cleanup(func() { l.Close() })
	return got
}

func TestSecondStartForwardsView(t *testing.T) {
	socket := socketIn(t)
	got := open(t, socket)
	fi, err := os.Stat(socket)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 || fi.Mode().Type() != os.ModeSocket {
		t.Errorf("socket mode = %v, want a socket with 0600", fi.Mode())
	}

	want := Request{View: "accept", Link: "porchlight://invite#abc"}
	l, err := Claim(context.Background(), socket, want)
	if !errors.Is(err, ErrForwarded) || l != nil {
		t.Fatalf("second start: %v, %v; want ErrForwarded", l, err)
	}
	select {
	case r := <-got:
		if r != want {
			t.Errorf("open window got %+v, want %+v", r, want)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the open window never heard of the second start")
	}
}

func TestStaleSocketIsReplaced(t *testing.T) {
	socket := socketIn(t)
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: socket, Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	ln.SetUnlinkOnClose(false)
	ln.Close() // as a window that crashed leaves it
	if err := Forward(context.Background(), socket, Request{View: "home"}); !errors.Is(err, ErrNoWindow) {
		t.Fatalf("forward to a stale socket: %v, want ErrNoWindow", err)
	}
	got := open(t, socket)
	if err := Forward(context.Background(), socket, Request{View: "share"}); err != nil {
		t.Fatalf("forward to the new window: %v", err)
	}
	if r := <-got; r.View != "share" {
		t.Errorf("got %+v", r)
	}
}

func TestListenRefusesWhileAWindowIsOpen(t *testing.T) {
	socket := socketIn(t)
	got := open(t, socket)
	if _, err := Listen(socket); err == nil {
		t.Fatal("a second window listened on a live socket")
	}
	select {
	case r := <-got:
		t.Errorf("the probe reached the window as %+v", r)
	case <-time.After(50 * time.Millisecond):
	}
}

func TestForwardWithoutWindow(t *testing.T) {
	err := Forward(context.Background(), socketIn(t), Request{View: "home"})
	if !errors.Is(err, ErrNoWindow) {
		t.Fatalf("err = %v, want ErrNoWindow", err)
	}
}

package oneconn

import (
	"errors"
	"net"
	"testing"
)

func TestListenerHandsOutOnce(t *testing.T) {
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	done := make(chan struct{})
	l := Listener(a, done, a.LocalAddr())
	if c, err := l.Accept(); err != nil || c != a {
		t.Fatalf("first Accept = %v, %v", c, err)
	}
	close(done)
	if _, err := l.Accept(); !errors.Is(err, net.ErrClosed) {
		t.Fatalf("second Accept after done = %v", err)
	}
}

// Package oneconn turns one established connection into a net.Listener, so
// that an http.Server can serve HTTP/2 on a link made some other way (a
// WebRTC data channel, a LAN TLS connection).
package oneconn

import (
	"net"
	"sync"
)

type listener struct {
	mu   sync.Mutex
	conn net.Conn // nil once accepted
	done <-chan struct{}
	addr net.Addr
}

// Listener hands out conn once, then blocks until done closes. addr is what
// Addr reports.
func Listener(conn net.Conn, done <-chan struct{}, addr net.Addr) net.Listener {
	return &listener{conn: conn, done: done, addr: addr}
}

func (l *listener) Accept() (net.Conn, error) {
	l.mu.Lock()
	conn := l.conn
	l.conn = nil
	l.mu.Unlock()
	if conn != nil {
		return conn, nil
	}
	<-l.done
	return nil, net.ErrClosed
}

func (l *listener) Close() error   { return nil }
func (l *listener) Addr() net.Addr { return l.addr }

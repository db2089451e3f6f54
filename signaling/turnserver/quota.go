package turnserver

import (
	"errors"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/turn/v5"
	"golang.org/x/time/rate"
)

// quotas count relayed bytes per client (the user ID authenticate returns)
// and in total.
type quotas struct {
	perHour, perSecond int64
	all                *rate.Limiter
	total              atomic.Int64 // bytes relayed since start
	refuse             func(reason string)

	mu      sync.Mutex
	clients map[string]*usage
}

type usage struct {
	window time.Time // start of the current hour
	bytes  int64     // in the current hour
	rate   *rate.Limiter
	conns  int
}

func newQuotas(perHour, perSecond, totalPerSecond int64, refuse func(string)) *quotas {
	return &quotas{
		perHour: perHour, perSecond: perSecond,
		all:     rate.NewLimiter(rate.Limit(totalPerSecond), int(totalPerSecond)),
		refuse:  refuse,
		clients: make(map[string]*usage),
	}
}

// allow counts n bytes for client and reports whether they fit its quotas.
func (q *quotas) allow(client string, n int, now time.Time) bool {
	q.mu.Lock()
	u := q.clients[client]
	if now.Sub(u.window) >= time.Hour {
		u.window, u.bytes = now, 0
	}
	over := u.bytes+int64(n) > q.perHour
	if !over {
		u.bytes += int64(n)
	}
	q.mu.Unlock()
	switch {
	case over:
		q.refuse("quota_client_hour")
	case !u.rate.AllowN(now, n):
		q.refuse("quota_client_rate")
	case !q.all.AllowN(now, n):
		q.refuse("quota_total_rate")
	default:
		q.total.Add(int64(n))
		return true
	}
	return false
}

func (q *quotas) open(client string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	u := q.clients[client]
	if u == nil {
		u = &usage{window: time.Now(), rate: rate.NewLimiter(rate.Limit(q.perSecond), int(q.perSecond))}
		q.clients[client] = u
	}
	u.conns++
}

// close forgets a client with no allocation left. A client that reallocates
// within the hour starts afresh: allocations cost a login and credentials.
func (q *quotas) close(client string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if u := q.clients[client]; u != nil {
		if u.conns--; u.conns == 0 {
			delete(q.clients, client)
		}
	}
}

// relayAddresses allocates UDP relay sockets, wrapped in quotaConn, and no
// TCP ones.
type relayAddresses struct {
	turn.RelayAddressGeneratorStatic
	quota *quotas
}

var errUDPOnly = errors.New("this relay offers TURN over UDP only")

func (r *relayAddresses) AllocatePacketConn(c turn.AllocateListenerConfig) (net.PacketConn, net.Addr, error) {
	conn, addr, err := r.RelayAddressGeneratorStatic.AllocatePacketConn(c)
	if err != nil {
		return nil, nil, err
	}
	r.quota.open(c.UserID)
	return &quotaConn{PacketConn: conn, client: c.UserID, quota: r.quota}, addr, nil
}

func (r *relayAddresses) AllocateListener(turn.AllocateListenerConfig) (net.Listener, net.Addr, error) {
	return nil, nil, errUDPOnly
}

func (r *relayAddresses) AllocateConn(turn.AllocateConnConfig) (net.Conn, error) {
	return nil, errUDPOnly
}

// quotaConn is a relay socket that drops what is over its client's quotas.
type quotaConn struct {
	net.PacketConn
	client string
	quota  *quotas
	once   sync.Once
}

func (c *quotaConn) ReadFrom(p []byte) (int, net.Addr, error) {
	for {
		n, addr, err := c.PacketConn.ReadFrom(p)
		if err != nil || c.quota.allow(c.client, n, time.Now()) {
			return n, addr, err
		}
	}
}

func (c *quotaConn) WriteTo(p []byte, addr net.Addr) (int, error) {
	if !c.quota.allow(c.client, len(p), time.Now()) {
		return len(p), nil // dropped, as a congested network would
	}
	return c.PacketConn.WriteTo(p, addr)
}

func (c *quotaConn) Close() error {
	c.once.Do(func() { c.quota.close(c.client) })
	return c.PacketConn.Close()
}

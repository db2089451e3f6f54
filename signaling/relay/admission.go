package relay

import (
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/porchlight/porchlight/signaling/wire"
)

// admission decides, before the WebSocket upgrade, whether a new connection
// fits the relay's limits: connections in all, connections per IP, and new
// connections per second per IP and in total. Refusing before the upgrade
// costs the relay almost nothing.
type admission struct {
	maxConns, maxPerIP int
	perIPRate          rate.Limit
	perIPBurst         int
	total              *rate.Limiter

	mu        sync.Mutex
	conns     int
	ips       map[string]*ipState
	lastSweep time.Time
}

type ipState struct {
	conns int
	rate  *rate.Limiter
}

// refusal is why admission refused a connection; reason labels the metric.
type refusal struct {
	status int
	reason string
	err    *wire.Error
}

func newAdmission(cfg Config) *admission {
	return &admission{
		maxConns:   cfg.MaxConnections,
		maxPerIP:   cfg.MaxConnectionsPerIP,
		perIPRate:  rate.Limit(cfg.NewConnectionsPerSecondPerIP),
		perIPBurst: cfg.NewConnectionBurstPerIP,
		total:      rate.NewLimiter(rate.Limit(cfg.NewConnectionsPerSecond), cfg.NewConnectionBurst),
		ips:        make(map[string]*ipState),
	}
}

// admit takes a connection slot for ip, or says why not. Every admitted
// connection must be released.
func (a *admission) admit(ip string, now time.Time) *refusal {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.sweep(now)
	st := a.ips[ip]
	if st == nil {
		st = &ipState{rate: rate.NewLimiter(a.perIPRate, a.perIPBurst)}
		a.ips[ip] = st
	}
	switch {
	case a.conns >= a.maxConns:
		return refuse(http.StatusServiceUnavailable, "capacity", "relay full: %d connections", a.maxConns)
	case st.conns >= a.maxPerIP:
		return refuse(http.StatusTooManyRequests, "connections_per_ip", "%d connections from your address, max %d", st.conns, a.maxPerIP)
	case !st.rate.AllowN(now, 1):
		return refuse(http.StatusTooManyRequests, "connection_rate_ip", "over %g new connections per second from your address", float64(a.perIPRate))
	case !a.total.AllowN(now, 1):
		return refuse(http.StatusServiceUnavailable, "connection_rate_total", "relay busy: over %g new connections per second", float64(a.total.Limit()))
	}
	st.conns++
	a.conns++
	return nil
}

func (a *admission) release(ip string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.conns--
	if st := a.ips[ip]; st != nil {
		st.conns--
	}
}

// sweep forgets, once a minute, the addresses without connections whose rate
// limiter has refilled, so the map stays as small as the live clients.
func (a *admission) sweep(now time.Time) {
	if now.Sub(a.lastSweep) < time.Minute {
		return
	}
	a.lastSweep = now
	for ip, st := range a.ips {
		if st.conns == 0 && st.rate.TokensAt(now) >= float64(a.perIPBurst) {
			delete(a.ips, ip)
		}
	}
}

func refuse(status int, reason, format string, args ...any) *refusal {
	return &refusal{status: status, reason: reason, err: &wire.Error{Code: wire.CodeTooManyConnections, Message: fmt.Sprintf(format, args...)}}
}

// write answers the upgrade request with the refusal.
func (r *refusal) write(w http.ResponseWriter) {
	w.Header().Set(wire.RefusalHeader, strconv.Itoa(int(r.err.Code)))
	w.Header().Set("Retry-After", "10")
	http.Error(w, r.err.Error(), r.status)
}

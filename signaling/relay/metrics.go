package relay

import (
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
)

// metrics are the relay's counters. Gauges (connections, mailboxes) are read
// from the Server when scraped.
type metrics struct {
	accepted  atomic.Int64 // connections upgraded
	loggedIn  atomic.Int64 // logins accepted
	received  atomic.Int64 // send frames received
	forwarded atomic.Int64 // deliver frames queued to subscribers, live or from a mailbox
	turnCreds atomic.Int64 // TURN credentials issued

	mu         sync.Mutex
	rejections map[string]int64 // by reason
}

func (m *metrics) reject(reason string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.rejections == nil {
		m.rejections = make(map[string]int64)
	}
	m.rejections[reason]++
}

// rejectionReasons are always exported, so dashboards see zeros.
var rejectionReasons = []string{
	"capacity", "connections_per_ip", "connection_rate_ip", "connection_rate_total",
	"bad frame", "auth failed", "version unsupported", "rate limited", "too large",
	"mailbox full", "too many subscriptions", "too slow", "unavailable",
}

// TURNStats is what a TURN server reports for /metrics and /status.
type TURNStats struct {
	Allocations  int
	BytesRelayed int64 // both directions, all clients
	Refused      map[string]int64
}

// TURNIssuer issues time-limited TURN credentials to a logged-in client,
// identified by its public key. Package turnserver implements it.
type TURNIssuer interface {
	Issue(clientKey []byte) (TURNCredentials, error)
	Stats() TURNStats
}

// TURNCredentials are what a turn frame carries.
type TURNCredentials struct {
	Username, Password string
	TTLSeconds         int
	URLs               []string
}

// serveMetrics writes the Prometheus text format by hand.
func (s *Server) serveMetrics(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	st := s.Stats()
	metric := func(name, typ, help string, value any) {
		fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s %s\n%s %v\n", name, help, name, typ, name, value)
	}
	metric("porchlight_relay_connections", "gauge", "Open client connections, logged in or logging in.", st.Connections)
	metric("porchlight_relay_connections_max", "gauge", "Connections the relay accepts at most.", s.cfg.MaxConnections)
	metric("porchlight_relay_clients_logged_in", "gauge", "Logged-in client connections.", st.LoggedIn)
	metric("porchlight_relay_subscriptions", "gauge", "Subscriptions over all connections.", st.Subscriptions)
	metric("porchlight_relay_connections_accepted_total", "counter", "WebSocket upgrades accepted.", s.metrics.accepted.Load())
	metric("porchlight_relay_logins_total", "counter", "Logins accepted.", s.metrics.loggedIn.Load())
	metric("porchlight_relay_messages_received_total", "counter", "Send frames received.", s.metrics.received.Load())
	metric("porchlight_relay_messages_forwarded_total", "counter", "Envelopes queued to subscribers.", s.metrics.forwarded.Load())
	metric("porchlight_relay_mailbox_envelopes", "gauge", "Envelopes held for offline recipients.", st.MailboxEnvelopes)
	metric("porchlight_relay_mailbox_bytes", "gauge", "Payload bytes held for offline recipients.", st.MailboxBytes)
	metric("porchlight_relay_turn_enabled", "gauge", "1 if this relay offers TURN.", boolInt(s.cfg.TURN != nil))
	metric("porchlight_relay_turn_credentials_total", "counter", "TURN credentials issued.", s.metrics.turnCreds.Load())
	var ts TURNStats
	if s.cfg.TURN != nil {
		ts = s.cfg.TURN.Stats()
	}
	metric("porchlight_relay_turn_allocations", "gauge", "TURN allocations.", ts.Allocations)
	metric("porchlight_relay_turn_bytes_total", "counter", "Bytes relayed by TURN, both directions.", ts.BytesRelayed)
	writeLabelled(w, "porchlight_relay_turn_refused_total", "TURN packets or permissions refused, by reason.", ts.Refused, nil)

	s.metrics.mu.Lock()
	rej := maps.Clone(s.metrics.rejections)
	s.metrics.mu.Unlock()
	writeLabelled(w, "porchlight_relay_rejections_total", "Connections and frames refused, by reason.", rej, rejectionReasons)
}

func writeLabelled(w io.Writer, name, help string, values map[string]int64, always []string) {
	fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s counter\n", name, help, name)
	keys := slices.Clone(always)
	for k := range values {
		if !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Fprintf(w, "%s{reason=%q} %d\n", name, k, values[k])
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

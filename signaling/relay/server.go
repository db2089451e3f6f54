// Package relay is the Porchlight signaling relay: an http.Handler that logs
// clients in by their Ed25519 keys, forwards sealed envelopes to the
// subscribers of an address, and keeps them in a small bounded mailbox until
// a subscriber acknowledges them. The protocol is in package wire.
//
// The relay knows keys and addresses, never who owns an address nor what an
// envelope says; its logs hold neither payloads nor addresses.
package relay

import (
	"crypto/ed25519"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"
	"golang.org/x/time/rate"

	"github.com/porchlight/porchlight/signaling/wire"
)

// Config sets the relay's URLs and limits. Zero limits take the defaults in
// brackets.
type Config struct {
	// PublicURLs are the URLs clients dial, in any form CanonicalURL
	// accepts; logins must be bound to one of them. If empty, the relay
	// uses ws://ListenAddr/v1/ws.
	PublicURLs []string
	ListenAddr string // host:port the relay listens on, for the default public URL

	MaxSubscriptions  int           // per connection [256]
	MessagesPerSecond float64       // send frames per key, sustained [10]
	MessageBurst      int           // send frames per key, in a burst [50]
	HandshakeTimeout  time.Duration // from upgrade to login [10s]
	IdleTimeout       time.Duration // without a frame from the client [60s]
	WriteTimeout      time.Duration // for one frame to the client [10s]
	SendQueue         int           // frames queued to a client before it is dropped [64]

	MailboxEnvelopes  int           // per address [64]
	MailboxBytes      int           // payload bytes per address [256 KiB]
	MailboxMaxAge     time.Duration // [7 days]
	MailboxTotalBytes int           // payload bytes over all addresses [64 MiB]

	MaxConnections               int     // in all, logged in or not [10000]
	MaxConnectionsPerIP          int     // from one IP address [32]
	NewConnectionsPerSecondPerIP float64 // from one IP address, sustained [2]
	NewConnectionBurstPerIP      int     // from one IP address, in a burst [16]
	NewConnectionsPerSecond      float64 // in all, sustained [200]
	NewConnectionBurst           int     // in all, in a burst [400]

	Version string     // the relay software's version, for /status
	STUN    bool       // a STUN server runs beside the relay, for /status
	TURN    TURNIssuer // issues TURN credentials; nil when TURN is off
}

func (c Config) withDefaults() Config {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	defDur := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&c.MaxSubscriptions, 256)
	if c.MessagesPerSecond <= 0 {
		c.MessagesPerSecond = 10
	}
	def(&c.MessageBurst, 50)
	defDur(&c.HandshakeTimeout, 10*time.Second)
	defDur(&c.IdleTimeout, 60*time.Second)
	defDur(&c.WriteTimeout, 10*time.Second)
	def(&c.SendQueue, 64)
	def(&c.MailboxEnvelopes, 64)
	def(&c.MailboxBytes, 256<<10)
	defDur(&c.MailboxMaxAge, 7*24*time.Hour)
	def(&c.MailboxTotalBytes, 64<<20)
	def(&c.MaxConnections, 10000)
	def(&c.MaxConnectionsPerIP, 32)
	if c.NewConnectionsPerSecondPerIP <= 0 {
		c.NewConnectionsPerSecondPerIP = 2
	}
	def(&c.NewConnectionBurstPerIP, 16)
	if c.NewConnectionsPerSecond <= 0 {
		c.NewConnectionsPerSecond = 200
	}
	def(&c.NewConnectionBurst, 400)
	if c.Version == "" {
		c.Version = "dev"
	}
	return c
}

// Server is the relay. Create it with New.
type Server struct {
	cfg  Config
	urls []string // canonical public URLs
	log  *slog.Logger
	mux  *http.ServeMux
	wg   sync.WaitGroup // one per connection

	admission *admission
	metrics   metrics

	mu       sync.Mutex
	closed   bool
	conns    map[*conn]struct{}
	subs     map[wire.Address]map[*conn]struct{}
	limiters map[string]*keyLimiter // by key, shared by its connections
	mail     *mailboxes
	clientIP map[string]int // logged-in connections by remote IP, for TURN
}

type keyLimiter struct {
	*rate.Limiter
	conns int
}

// Stats is a snapshot of what the relay holds.
type Stats struct {
	Connections      int // logged in or logging in
	LoggedIn         int
	Subscriptions    int // over all connections
	MailboxEnvelopes int
	MailboxBytes     int // payload bytes
}

// New returns a relay serving wire.Path (and the paths of other versions, to
// tell their clients to upgrade), GET /healthz, GET /metrics (Prometheus
// text), GET /status (JSON Status) and GET /i (the invite landing page).
func New(cfg Config, logger *slog.Logger) *Server {
	cfg = cfg.withDefaults()
	s := &Server{
		cfg:       cfg,
		log:       logger,
		mux:       http.NewServeMux(),
		conns:     make(map[*conn]struct{}),
		subs:      make(map[wire.Address]map[*conn]struct{}),
		limiters:  make(map[string]*keyLimiter),
		clientIP:  make(map[string]int),
		admission: newAdmission(cfg),
		mail: newMailboxes(mailboxLimits{
			envelopes:  cfg.MailboxEnvelopes,
			bytes:      cfg.MailboxBytes,
			maxAge:     cfg.MailboxMaxAge,
			totalBytes: cfg.MailboxTotalBytes,
		}),
	}
	raw := cfg.PublicURLs
	if len(raw) == 0 && cfg.ListenAddr != "" {
		raw = []string{"ws://" + cfg.ListenAddr + wire.Path}
	}
	for _, r := range raw {
		u, err := wire.CanonicalURL(r)
		if err != nil {
			logger.Error("ignoring public url", "err", err)
			continue
		}
		s.urls = append(s.urls, u)
	}
	if len(s.urls) == 0 {
		logger.Error("relay has no public url: every login will be refused")
	}
	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprint(w, "ok")
	})
	s.mux.HandleFunc("GET /{version}/ws", s.serveWebSocket)
	s.mux.HandleFunc("GET /metrics", s.serveMetrics)
	s.mux.HandleFunc("GET /status", s.serveStatus)
	s.mux.HandleFunc("GET /i", serveInvitePage)
	return s
}

// URLs returns the canonical public URLs that logins are bound to.
func (s *Server) URLs() []string { return slices.Clone(s.urls) }

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// Close tells every client that the relay is going away, and returns once
// their connections are closed. The mailboxes are lost.
func (s *Server) Close() error {
	s.mu.Lock()
	s.closed = true
	conns := slices.Collect(maps.Keys(s.conns))
	s.mu.Unlock()
	for _, c := range conns {
		go c.ws.Close(websocket.StatusGoingAway, "relay shutting down")
	}
	s.wg.Wait()
	return nil
}

// Stats returns what the relay holds now.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := Stats{Connections: len(s.conns)}
	for _, n := range s.clientIP {
		st.LoggedIn += n
	}
	for _, subs := range s.subs {
		st.Subscriptions += len(subs)
	}
	st.MailboxEnvelopes, st.MailboxBytes = s.mail.len()
	return st
}

func (s *Server) serveWebSocket(w http.ResponseWriter, r *http.Request) {
	digits, ok := strings.CutPrefix(r.PathValue("version"), "v")
	version, err := strconv.Atoi(digits)
	if !ok || err != nil || version < 0 {
		http.NotFound(w, r)
		return
	}
	if len(s.urls) == 0 {
		http.Error(w, "relay has no public url", http.StatusServiceUnavailable)
		return
	}
	ip := remoteHost(r)
	if refused := s.admission.admit(ip, time.Now()); refused != nil {
		s.metrics.reject(refused.reason)
		s.log.Debug("refused connection", "remote", ip, "reason", refused.reason)
		refused.write(w)
		return
	}
	ws, err := websocket.Accept(smallBuffers{w}, r, &websocket.AcceptOptions{CompressionMode: websocket.CompressionDisabled})
	if err != nil {
		s.admission.release(ip)
		s.log.Debug("refused websocket upgrade", "err", err)
		return
	}
	s.metrics.accepted.Add(1)
	c := newConn(s, ws, ip)
	if !s.track(c) {
		s.admission.release(ip)
		ws.Close(websocket.StatusGoingAway, "relay shutting down")
		return
	}
	// The connection gets a goroutine of its own, and this handler returns:
	// net/http then lets go of the request, its buffers and its goroutine's
	// grown stack, which would otherwise stay for the life of the client.
	go func() {
		defer s.admission.release(ip)
		defer s.untrack(c)
		if version != wire.Version {
			c.fail(&wire.Error{Code: wire.CodeVersionUnsupported, Message: upgradeHint(version)})
			return
		}
		c.serve()
	}()
}

// upgradeHint tells a client of another protocol version who must upgrade.
func upgradeHint(clientVersion int) string {
	if clientVersion < wire.Version {
		return fmt.Sprintf("this relay speaks protocol v%d, your client v%d: upgrade Porchlight", wire.Version, clientVersion)
	}
	return fmt.Sprintf("this relay speaks protocol v%d only, your client v%d: the relay needs an upgrade, or use another relay", wire.Version, clientVersion)
}

func (s *Server) track(c *conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.conns[c] = struct{}{}
	s.wg.Add(1)
	return true
}

func (s *Server) untrack(c *conn) {
	s.mu.Lock()
	delete(s.conns, c)
	for a := range c.subs {
		s.removeSub(c, a)
	}
	if l := s.limiters[c.key]; c.limit != nil && l != nil {
		if l.conns--; l.conns == 0 {
			delete(s.limiters, c.key)
		}
		if s.clientIP[c.ip]--; s.clientIP[c.ip] <= 0 {
			delete(s.clientIP, c.ip)
		}
	}
	s.mu.Unlock()
	c.cancel(errClosed)
	s.wg.Done()
}

// loggedIn gives c the rate limiter of its key.
func (s *Server) loggedIn(c *conn, key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.limiters[key]
	if l == nil {
		l = &keyLimiter{Limiter: rate.NewLimiter(rate.Limit(s.cfg.MessagesPerSecond), s.cfg.MessageBurst)}
		s.limiters[key] = l
	}
	l.conns++
	c.key, c.limit = key, l.Limiter
	s.clientIP[c.ip]++
	s.metrics.loggedIn.Add(1)
}

// HasClientIP reports whether a client logged in to the relay connects from
// ip. TURN relays only toward such addresses.
func (s *Server) HasClientIP(ip net.IP) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.clientIP[ip.String()] > 0
}

// subscribe adds subscriptions up to the limit and queues the envelopes
// waiting for them.
func (s *Server) subscribe(c *conn, addrs []wire.Address) {
	var waiting []*envelope
	refused := 0
	now := time.Now()
	s.mu.Lock()
	for _, a := range addrs {
		if _, ok := c.subs[a]; ok {
			continue
		}
		if len(c.subs) >= s.cfg.MaxSubscriptions {
			refused++
			continue
		}
		if c.subs == nil {
			c.subs = make(map[wire.Address]struct{})
		}
		c.subs[a] = struct{}{}
		if s.subs[a] == nil {
			s.subs[a] = make(map[*conn]struct{})
		}
		s.subs[a][c] = struct{}{}
		for _, e := range s.mail.pending(a, now) {
			if e.from != c.key {
				waiting = append(waiting, e)
			}
		}
	}
	s.mu.Unlock()
	if refused > 0 {
		c.reply(errorFrame("", &wire.Error{Code: wire.CodeTooManySubscriptions, Message: fmt.Sprintf(
			"%d addresses refused: at most %d subscriptions per connection", refused, s.cfg.MaxSubscriptions)}))
	}
	c.flush(waiting)
}

func (s *Server) unsubscribe(c *conn, addrs []wire.Address) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, a := range addrs {
		s.removeSub(c, a)
	}
}

func (s *Server) removeSub(c *conn, a wire.Address) {
	delete(c.subs, a)
	if subs := s.subs[a]; subs != nil {
		delete(subs, c)
		if len(subs) == 0 {
			delete(s.subs, a)
		}
	}
}

// send stores an envelope and forwards it to the address's subscribers
// other than the sender's key. Storing and forwarding happen under one lock
// with subscribe, so a subscriber gets each envelope either forwarded or
// from the mailbox.
func (s *Server) send(c *conn, f wire.Frame) {
	s.metrics.received.Add(1)
	if !c.limit.Allow() {
		c.reply(errorFrame(f.ID, &wire.Error{Code: wire.CodeRateLimited, Message: fmt.Sprintf(
			"over %g messages per second", s.cfg.MessagesPerSecond)}))
		return
	}
	frame, err := wire.EncodeFrame(wire.Frame{Type: wire.TypeDeliver, ID: f.ID, To: f.To, Payload: f.Payload})
	if err != nil {
		c.reply(errorFrame(f.ID, err))
		return
	}
	e := &envelope{to: f.To, id: f.ID, from: c.key, frame: frame, size: len(f.Payload)}
	s.mu.Lock()
	stored, err := s.mail.put(e, time.Now())
	if stored {
		for sub := range s.subs[f.To] {
			if sub.key != c.key && sub.enqueue(outgoing{frame: frame}) {
				s.metrics.forwarded.Add(1)
			}
		}
	}
	s.mu.Unlock()
	if err != nil {
		c.reply(errorFrame(f.ID, err))
		return
	}
	c.reply(wire.Frame{Type: wire.TypeAccepted, ID: f.ID})
}

// ack drops an envelope from a mailbox the connection subscribes to, and
// reports whether there was one.
func (s *Server) ack(c *conn, f wire.Frame) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := c.subs[f.To]
	return ok && s.mail.ack(f.To, f.ID)
}

// verifyLogin reports whether sig signs the login message of one of the
// relay's URLs.
func (s *Server) verifyLogin(pub, sig, nonce []byte) bool {
	for _, u := range s.urls {
		if ed25519.Verify(pub, wire.LoginMessage(u, wire.Version, nonce), sig) {
			return true
		}
	}
	return false
}

// turnCredentials answers a turn_creds frame.
func (s *Server) turnCredentials(c *conn, f wire.Frame) {
	if s.cfg.TURN == nil {
		c.reply(errorFrame(f.ID, &wire.Error{Code: wire.CodeUnavailable, Message: "this relay does not offer TURN"}))
		return
	}
	cr, err := s.cfg.TURN.Issue([]byte(c.key))
	if err != nil {
		c.logger().Error("issue turn credentials", "err", err)
		c.reply(errorFrame(f.ID, &wire.Error{Code: wire.CodeUnavailable, Message: "turn credentials unavailable"}))
		return
	}
	s.metrics.turnCreds.Add(1)
	c.reply(wire.Frame{Type: wire.TypeTURNCreds, ID: f.ID, Username: cr.Username, Password: cr.Password, TTL: cr.TTLSeconds, URLs: cr.URLs})
}

// remoteHost returns the IP of the request's peer, in net.IP.String form.
func remoteHost(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if ip := net.ParseIP(host); ip != nil {
		return ip.String()
	}
	return host
}

// Package relaypool keeps the resident connected to each of their relays at
// once, subscribes the same addresses on all of them, and sends each
// envelope through every relay that is up, so that a friend is reached
// through any relay the two share.
package relaypool

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/pion/webrtc/v4"

	"github.com/porchlight/porchlight/signaling/client"
	"github.com/porchlight/porchlight/signaling/wire"
)

// ErrNoRelay reports that no relay is connected to carry a message.
var ErrNoRelay = errors.New("no relay is reachable")

// Pool is a set of relay clients sharing one identity and one handler.
type Pool struct {
	key     ed25519.PrivateKey
	handler func(client.Message)
	log     *slog.Logger

	mu       sync.Mutex
	ctx      context.Context
	clients  map[string]*client.Client
	order    []string
	subs     map[wire.Address]struct{}
	creds    map[string]client.TURNCredentials // by relay URL
	noTURN   map[string]time.Time              // relays that said no, and when
	onChange func()
}

// New returns a pool that logs in with key and passes every delivered
// message to handler.
func New(key ed25519.PrivateKey, handler func(client.Message), logger *slog.Logger) *Pool {
	return &Pool{
		key:     key,
		handler: handler,
		log:     logger,
		clients: make(map[string]*client.Client),
		subs:    make(map[wire.Address]struct{}),
		creds:   make(map[string]client.TURNCredentials),
		noTURN:  make(map[string]time.Time),
	}
}

// OnChange registers fn to run whenever a relay's state changes.
func (p *Pool) OnChange(fn func()) {
	p.mu.Lock()
	p.onChange = fn
	p.mu.Unlock()
}

// Serve runs the relay clients until ctx ends. Relays added before or
// during Serve are connected.
func (p *Pool) Serve(ctx context.Context) error {
	p.mu.Lock()
	p.ctx = ctx
	for _, url := range p.order {
		p.start(p.clients[url])
	}
	p.mu.Unlock()
	<-ctx.Done()
	return nil
}

// Add connects to a relay (once per URL).
func (p *Pool) Add(url string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.clients[url]; ok {
		return
	}
	c := client.New(url, p.key, p.handler, p.log.With("relay", url))
	c.OnStateChange(func(client.State) { p.changed() })
	subs := make([]wire.Address, 0, len(p.subs))
	for a := range p.subs {
		subs = append(subs, a)
	}
	c.Subscribe(subs...)
	p.clients[url] = c
	p.order = append(p.order, url)
	if p.ctx != nil {
		p.start(c)
	}
}

func (p *Pool) start(c *client.Client) {
	ctx := p.ctx
	go func() {
		if err := c.Serve(ctx); err != nil && ctx.Err() == nil {
			p.log.Warn("relay client stopped", "err", err)
		}
	}()
}

func (p *Pool) changed() {
	p.mu.Lock()
	fn := p.onChange
	p.mu.Unlock()
	if fn != nil {
		fn()
	}
}

// Subscribe asks every relay, now and later, to deliver envelopes for addrs.
func (p *Pool) Subscribe(addrs ...wire.Address) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, a := range addrs {
		p.subs[a] = struct{}{}
	}
	for _, c := range p.clients {
		c.Subscribe(addrs...)
	}
}

// Unsubscribe stops delivery for addrs.
func (p *Pool) Unsubscribe(addrs ...wire.Address) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, a := range addrs {
		delete(p.subs, a)
	}
	for _, c := range p.clients {
		c.Unsubscribe(addrs...)
	}
}

// Send hands payload for address to every connected relay. It succeeds if
// at least one relay accepted it.
func (p *Pool) Send(ctx context.Context, to wire.Address, payload []byte) error {
	sum := sha256.Sum256(payload)
	id := hex.EncodeToString(sum[:12])
	p.mu.Lock()
	clients := make([]*client.Client, 0, len(p.clients))
	for _, url := range p.order {
		if c := p.clients[url]; c.State().Connected {
			clients = append(clients, c)
		}
	}
	p.mu.Unlock()
	if len(clients) == 0 {
		return ErrNoRelay
	}
	errs := make(chan error, len(clients))
	for _, c := range clients {
		go func() { errs <- c.Send(ctx, to, id, payload) }()
	}
	var failures []error
	for range clients {
		if err := <-errs; err != nil {
			failures = append(failures, err)
		}
	}
	if len(failures) == len(clients) {
		return fmt.Errorf("send through relays: %w", errors.Join(failures...))
	}
	return nil
}

// States reports every relay's connection, in the order they were added.
func (p *Pool) States() []client.State {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]client.State, 0, len(p.order))
	for _, url := range p.order {
		out = append(out, p.clients[url].State())
	}
	return out
}

// URLs lists the relays in the pool.
func (p *Pool) URLs() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.order)
}

// ICEServers returns STUN and TURN servers from every connected relay that
// offers them, with fresh time-limited TURN credentials. Relays without
// TURN are skipped; no public server is ever added.
func (p *Pool) ICEServers(ctx context.Context) []webrtc.ICEServer {
	p.mu.Lock()
	clients := make([]*client.Client, 0, len(p.clients))
	for _, url := range p.order {
		if c := p.clients[url]; c.State().Connected {
			clients = append(clients, c)
		}
	}
	p.mu.Unlock()
	var out []webrtc.ICEServer
	for _, c := range clients {
		creds, err := p.turnCreds(ctx, c)
		if err != nil {
			continue
		}
		var stun []string
		for _, u := range creds.URLs {
			if rest, ok := strings.CutPrefix(u, "turn:"); ok {
				host, _, _ := strings.Cut(rest, "?")
				stun = append(stun, "stun:"+host)
			}
		}
		out = append(out,
			webrtc.ICEServer{URLs: stun},
			webrtc.ICEServer{URLs: creds.URLs, Username: creds.Username, Credential: creds.Password})
	}
	return out
}

// turnCreds asks a relay for TURN credentials, reusing them until a minute
// before they expire.
func (p *Pool) turnCreds(ctx context.Context, c *client.Client) (client.TURNCredentials, error) {
	url := c.State().URL
	p.mu.Lock()
	cached, ok := p.creds[url]
	refused, wasRefused := p.noTURN[url]
	p.mu.Unlock()
	if ok && time.Until(cached.Expires) > time.Minute {
		return cached, nil
	}
	if wasRefused && time.Since(refused) < 5*time.Minute {
		return cached, errors.New("this relay offers no TURN")
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	creds, err := c.TURNCredentials(ctx)
	if errors.Is(err, wire.ErrUnavailable) {
		p.mu.Lock()
		p.noTURN[url] = time.Now() // ask again later: the operator may turn it on
		p.mu.Unlock()
	}
	if err != nil {
		return creds, err
	}
	p.mu.Lock()
	p.creds[url] = creds
	p.mu.Unlock()
	return creds, nil
}

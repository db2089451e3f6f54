// Package client is a long-running client of one Porchlight relay. It logs
// in with the installation's Ed25519 key, keeps its subscriptions across
// reconnects, hands every delivered envelope to a handler once and acks it,
// sends envelopes, and measures the round trip to the relay.
package client

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/porchlight/porchlight/signaling/wire"
)

// ErrOffline is returned by Send while the client is not logged in to the
// relay, or when the connection drops before the relay accepts the envelope.
var ErrOffline = errors.New("relay offline")

// Message is an envelope the relay delivered.
type Message struct {
	Relay   string // the relay's URL
	To      wire.Address
	ID      string
	Payload []byte
}

// State is the client's view of its relay.
type State struct {
	URL       string
	Connected bool
	RTT       time.Duration // round trip of the last ping; 0 while offline
	LastError string        // why the last connection failed or ended, or what the relay last refused
	Since     time.Time     // when Connected last changed
}

// Client is a client of one relay. Create it with New and run Serve.
type Client struct {
	url     string
	urlErr  error
	key     ed25519.PrivateKey
	handler func(Message)
	log     *slog.Logger
	epoch   time.Time // pings carry the time since epoch

	pingInterval time.Duration
	backoffMin   time.Duration
	backoffMax   time.Duration

	subMu sync.Mutex // serialises subscription changes and the frames that announce them

	notifyMu sync.Mutex // serialises state changes with their callbacks, so they arrive in order

	mu       sync.Mutex
	subs     map[wire.Address]struct{}
	sess     *session // nil while offline
	state    State
	watchers []func(State)
	seen     recentIDs
}

// New returns a client of the relay at url (any form wire.CanonicalURL
// accepts) that logs in with key. handler is called for every delivered
// envelope, one at a time, from a goroutine of the client; it may call Send.
// The envelope is acked once handler returns. A nil logger discards logs.
func New(url string, key ed25519.PrivateKey, handler func(Message), logger *slog.Logger) *Client {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	canon, err := wire.CanonicalURL(url)
	if err != nil {
		canon = url
	}
	return &Client{
		url:          canon,
		urlErr:       err,
		key:          key,
		handler:      handler,
		log:          logger.With("relay", canon),
		epoch:        time.Now(),
		pingInterval: 15 * time.Second,
		backoffMin:   500 * time.Millisecond,
		backoffMax:   30 * time.Second,
		subs:         make(map[wire.Address]struct{}),
		state:        State{URL: canon, Since: time.Now()},
		seen:         newRecentIDs(4096),
	}
}

// Serve connects to the relay, logs in, subscribes, and reconnects with
// exponential backoff and jitter whenever the connection ends, until ctx is
// done; then it returns ctx's error. Call it once.
func (c *Client) Serve(ctx context.Context) error {
	if c.urlErr != nil {
		return c.urlErr
	}
	attempt := 0
	for {
		loggedIn, err := c.connect(ctx)
		if ctx.Err() != nil {
			c.update(func(s *State) { s.Connected, s.RTT = false, 0 })
			return ctx.Err()
		}
		if loggedIn {
			attempt = 0
		}
		delay := c.backoff(attempt)
		if errors.Is(err, wire.ErrVersionUnsupported) {
			delay = c.backoffMax // only an upgrade helps
		}
		attempt++
		c.log.Info("relay connection ended", "err", err, "retry_in", delay.Round(time.Millisecond))
		c.update(func(s *State) { s.Connected, s.RTT, s.LastError = false, 0, err.Error() })
		select {
		case <-time.After(delay):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// backoff doubles from backoffMin up to backoffMax, with the upper half
// jittered so that clients of a restarted relay do not return all at once.
func (c *Client) backoff(attempt int) time.Duration {
	d := c.backoffMax
	if attempt < 16 {
		d = min(c.backoffMax, c.backoffMin<<attempt)
	}
	return d/2 + rand.N(d/2+1)
}

// State returns the client's state now.
func (c *Client) State() State {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.state
}

// OnStateChange registers f to be called, in order, with every new state:
// on connect, disconnect, a new round trip or a refusal from the relay.
func (c *Client) OnStateChange(f func(State)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.watchers = append(c.watchers, f)
}

func (c *Client) update(change func(*State)) {
	c.notifyMu.Lock()
	defer c.notifyMu.Unlock()
	c.mu.Lock()
	old := c.state
	change(&c.state)
	if c.state.Connected != old.Connected {
		c.state.Since = time.Now()
	}
	st, watchers := c.state, slices.Clone(c.watchers)
	c.mu.Unlock()
	if st == old {
		return
	}
	for _, f := range watchers {
		f(st)
	}
}

// Subscribe asks the relay for the envelopes sent to addrs, now and after
// every reconnect.
func (c *Client) Subscribe(addrs ...wire.Address) { c.changeSubs(wire.TypeSub, addrs) }

// Unsubscribe stops what Subscribe started.
func (c *Client) Unsubscribe(addrs ...wire.Address) { c.changeSubs(wire.TypeUnsub, addrs) }

func (c *Client) changeSubs(typ wire.Type, addrs []wire.Address) {
	c.subMu.Lock()
	defer c.subMu.Unlock()
	c.mu.Lock()
	var changed []wire.Address
	for _, a := range addrs {
		_, had := c.subs[a]
		switch {
		case typ == wire.TypeSub && !had:
			c.subs[a] = struct{}{}
		case typ == wire.TypeUnsub && had:
			delete(c.subs, a)
		default:
			continue
		}
		changed = append(changed, a)
	}
	s := c.sess
	c.mu.Unlock()
	if s != nil && len(changed) > 0 {
		if err := s.writeSubs(typ, changed); err != nil {
			// The session is ending; the next one subscribes afresh.
			c.log.Debug("announce subscriptions", "err", err)
		}
	}
}

// Send hands an envelope for to to the relay and waits until the relay has
// stored it. It returns ErrOffline at once if the client is not logged in,
// and a *wire.Error (wire.ErrMailboxFull, wire.ErrRateLimited, ...) if the
// relay refuses it. Resending an id the relay still holds is harmless.
func (c *Client) Send(ctx context.Context, to wire.Address, id string, payload []byte) error {
	b, err := wire.EncodeFrame(wire.Frame{Type: wire.TypeSend, ID: id, To: to, Payload: payload})
	if err != nil {
		return fmt.Errorf("send %s: %w", id, err)
	}
	c.mu.Lock()
	s := c.sess
	c.mu.Unlock()
	if s == nil {
		return fmt.Errorf("send %s: %w", id, ErrOffline)
	}
	if err := s.send(ctx, id, b); err != nil {
		return fmt.Errorf("send %s: %w", id, err)
	}
	return nil
}

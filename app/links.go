package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/porchlight/porchlight/app/envelope"
	"github.com/porchlight/porchlight/app/lan"
	"github.com/porchlight/porchlight/app/link"
	"github.com/porchlight/porchlight/app/store"
	"github.com/porchlight/porchlight/services/peer"
)

// Envelope types of link signaling between friends.
const (
	msgOffer    = "offer"
	msgAnswer   = "answer"
	msgFarewell = "farewell" // the friend ended the friendship
)

// signalTTL bounds how long an offer or answer stays valid.
const signalTTL = time.Minute

// dialTimeout bounds one attempt to reach a friend.
const dialTimeout = 30 * time.Second

type signal struct {
	Session string `json:"session"`
	SDP     string `json:"sdp"`
}

// peerLink is a live connection to a friend, over the LAN (app/lan) or
// WebRTC (app/link): services see no difference.
type peerLink interface {
	Serve(base context.Context, h http.Handler) error
	Client() *http.Client
	Done() <-chan struct{}
	Close() error
	Path() string
}

// liveLink is the link in use to a friend, and who dialled it.
type liveLink struct {
	peerLink
	outgoing bool
}

// pingEvery is how often a live link's round trip is measured.
const pingEvery = 15 * time.Second

// defaultIdle is how long a link may carry no request, either way, before
// it is closed; the next request dials again. PORCHLIGHT_LINK_IDLE (a Go
// duration) overrides it.
const defaultIdle = 10 * time.Minute

func alive(l peerLink) bool {
	select {
	case <-l.Done():
		return false
	default:
		return true
	}
}

// dial is one attempt to link to a friend; waiters share its outcome.
type dial struct {
	done chan struct{}
	link peerLink
	err  error
}

// links keeps at most one live link per friend: the LAN when the friend is
// a neighbour, else WebRTC through relay signaling, dialled on demand.
type links struct {
	app *App

	mu   sync.Mutex
	live map[string]liveLink // friend ID → link
	rtt  map[string]time.Duration
	used map[string]time.Time // friend ID → last request on the link
	// idleAfter closes links unused this long.
	idleAfter time.Duration
	dialing   map[string]*dial // friend ID → attempt under way
	answers   map[string]chan string
	answered  map[string]string // session → our answer, for retried offers
}

func newLinks(a *App) *links {
	idle := defaultIdle
	if d, err := time.ParseDuration(os.Getenv("PORCHLIGHT_LINK_IDLE")); err == nil && d > 0 {
		idle = d
	}
	return &links{idleAfter: idle, app: a, live: map[string]liveLink{}, rtt: map[string]time.Duration{}, used: map[string]time.Time{}, dialing: map[string]*dial{}, answers: map[string]chan string{}, answered: map[string]string{}}
}

// path reports how the resident is linked to a friend right now.
func (l *links) path(friendID string) (string, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if lk, ok := l.live[friendID]; ok {
		return lk.Path(), l.rtt[friendID]
	}
	return "none", 0
}

// measure times a request to the friend's /ping while the link lives.
func (l *links) measure(friendID string, lk peerLink) {
	t := time.NewTicker(min(pingEvery, l.idleAfter/2))
	defer t.Stop()
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		start := time.Now()
		req, _ := http.NewRequestWithContext(ctx, "GET", "http://peer/ping", nil)
		if resp, err := lk.Client().Do(req); err == nil {
			resp.Body.Close()
			l.mu.Lock()
			if l.live[friendID].peerLink == lk {
				l.rtt[friendID] = time.Since(start)
			}
			l.mu.Unlock()
		}
		cancel()
		select {
		case <-lk.Done():
			return
		case <-t.C:
		}
		l.mu.Lock()
		idle := time.Since(l.used[friendID]) > l.idleAfter
		l.mu.Unlock()
		if idle {
			l.app.log.Info("closing an idle link", "friend", friendID)
			lk.Close()
			return
		}
	}
}

// touch records that a link to the friend carried a request.
func (l *links) touch(friendID string) {
	l.mu.Lock()
	l.used[friendID] = time.Now()
	l.mu.Unlock()
}

// get returns a live link to f, dialling if there is none.
func (l *links) get(ctx context.Context, f store.Friend) (peerLink, error) {
	l.mu.Lock()
	if lk, ok := l.live[f.ID]; ok {
		if alive(lk) {
			l.mu.Unlock()
			return lk.peerLink, nil
		}
		delete(l.live, f.ID)
	}
	d, ok := l.dialing[f.ID]
	if !ok {
		d = &dial{done: make(chan struct{})}
		l.dialing[f.ID] = d
		go l.dial(f, d)
	}
	l.mu.Unlock()
	select {
	case <-d.done:
		return d.link, d.err
	case <-ctx.Done():
		return nil, fmt.Errorf("link to %s: %w", f.Name, ctx.Err())
	}
}

// dial links to f: over the LAN if they are a neighbour, else by WebRTC.
func (l *links) dial(f store.Friend, d *dial) {
	ctx, cancel := context.WithTimeout(l.app.runCtx(), dialTimeout)
	defer cancel()
	if c := l.app.dialLAN(ctx, f); c != nil {
		l.adopt(f, c, true)
		return
	}
	lk, err := l.offer(ctx, f)
	if err != nil {
		err = fmt.Errorf("link to %s: %w (they may be offline or asleep)", f.Name, err)
		l.resolve(f.ID, nil, err)
		return
	}
	l.adopt(f, lk, true)
}

func (l *links) offer(ctx context.Context, f store.Friend) (*link.Link, error) {
	pending, sdp, err := link.Offer(ctx, l.app.linkConfig(ctx))
	if err != nil {
		return nil, err
	}
	session := newSession()
	ch := make(chan string, 1)
	l.mu.Lock()
	l.answers[session] = ch
	l.mu.Unlock()
	defer func() {
		l.mu.Lock()
		delete(l.answers, session)
		l.mu.Unlock()
	}()
	// Resend the offer until answered: a relay may drop it, or the friend
	// may be reconnecting to their relay.
	retry := time.NewTicker(3 * time.Second)
	defer retry.Stop()
	for {
		if err := l.app.sendToFriend(ctx, f, msgOffer, signal{Session: session, SDP: sdp}); err != nil {
			l.app.log.Debug("offer not sent", "friend", f.ID, "err", err)
		}
		select {
		case answer := <-ch:
			lk, err := pending.Complete(ctx, answer)
			if err != nil {
				pending.Close()
				return nil, err
			}
			return lk, nil
		case <-retry.C:
		case <-ctx.Done():
			pending.Close()
			return nil, errors.New("no answer")
		}
	}
}

// adopt makes lk the link to f, serving the resident's services to them
// and waking anyone waiting for a link. If a live link already exists, one
// fixed rule, applied the same on both sides, says which survives: the LAN
// beats WebRTC, and between two of a kind the one the lower ID dialled.
func (l *links) adopt(f store.Friend, lk peerLink, outgoing bool) {
	l.mu.Lock()
	if old, ok := l.live[f.ID]; ok && old.peerLink != lk && alive(old) {
		if l.keepOld(f.ID, old, lk, outgoing) {
			l.mu.Unlock()
			lk.Close()
			l.resolve(f.ID, old.peerLink, nil)
			return
		}
		old.Close()
	}
	l.live[f.ID] = liveLink{lk, outgoing}
	l.mu.Unlock()
	l.resolve(f.ID, lk, nil)

	l.touch(f.ID)
	base := peer.WithIdentity(l.app.runCtx(), peer.Identity{ID: f.ID, Name: f.Name})
	services := l.app.services()
	go lk.Serve(base, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/ping" {
			l.touch(f.ID)
		}
		services.ServeHTTP(w, r)
	}))
	go l.measure(f.ID, lk)
	go func() {
		<-lk.Done()
		l.mu.Lock()
		if l.live[f.ID].peerLink == lk {
			delete(l.live, f.ID)
		}
		l.mu.Unlock()
		l.app.publishFriend(context.Background(), f)
	}()
	l.app.log.Info("linked", "friend", f.ID, "path", lk.Path())
	l.app.publishFriend(context.Background(), f)
}

func (l *links) keepOld(peerID string, old liveLink, lk peerLink, outgoing bool) bool {
	oldLAN, newLAN := old.Path() == lan.Path, lk.Path() == lan.Path
	if oldLAN != newLAN {
		return oldLAN
	}
	lower := l.app.id.ID() < peerID
	return old.outgoing == lower && outgoing != lower
}

func (l *links) resolve(friendID string, lk peerLink, err error) {
	l.mu.Lock()
	d, ok := l.dialing[friendID]
	delete(l.dialing, friendID)
	l.mu.Unlock()
	if ok {
		d.link, d.err = lk, err
		close(d.done)
	}
}

// handleOffer answers a friend's offer. When both sides dial at once, the
// side with the lower ID keeps its own outgoing attempt.
func (l *links) handleOffer(f store.Friend, s signal) {
	l.mu.Lock()
	if prev, ok := l.answered[s.Session]; ok {
		l.mu.Unlock()
		l.app.sendToFriend(l.app.runCtx(), f, msgAnswer, signal{Session: s.Session, SDP: prev})
		return
	}
	if _, dialing := l.dialing[f.ID]; dialing && l.app.id.ID() < f.ID {
		l.mu.Unlock()
		return
	}
	l.answered[s.Session] = "" // claimed; filled in below
	l.mu.Unlock()

	ctx, cancel := context.WithTimeout(l.app.runCtx(), dialTimeout)
	defer cancel()
	lk, answer, err := link.Answer(ctx, l.app.linkConfig(ctx), s.SDP)
	if err != nil {
		l.app.log.Warn("answer offer", "friend", f.ID, "err", err)
		return
	}
	l.mu.Lock()
	l.answered[s.Session] = answer
	l.mu.Unlock()
	time.AfterFunc(2*signalTTL, func() {
		l.mu.Lock()
		delete(l.answered, s.Session)
		l.mu.Unlock()
	})
	if err := l.app.sendToFriend(ctx, f, msgAnswer, signal{Session: s.Session, SDP: answer}); err != nil {
		l.app.log.Warn("send answer", "friend", f.ID, "err", err)
	}
	if err := lk.Ready(ctx); err != nil {
		l.app.log.Warn("link not ready", "friend", f.ID, "err", err)
		lk.Close()
		return
	}
	l.adopt(f, lk, false)
}

func (l *links) handleAnswer(s signal) {
	l.mu.Lock()
	ch, ok := l.answers[s.Session]
	l.mu.Unlock()
	if ok {
		select {
		case ch <- s.SDP:
		default:
		}
	}
}

func (l *links) closeAll() {
	l.mu.Lock()
	defer l.mu.Unlock()
	for id, lk := range l.live {
		lk.Close()
		delete(l.live, id)
	}
}

func newSession() string {
	b := make([]byte, 12)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// sendToFriend seals body to f and sends it to their inbox on every relay.
func (a *App) sendToFriend(ctx context.Context, f store.Friend, typ string, body any) error {
	sealed, err := envelope.Seal(a.id, f.Keys, typ, body, signalTTL)
	if err != nil {
		return err
	}
	return a.pool.Send(ctx, inboxAddress(f.Secret, f.ID), sealed)
}

// handleFriendMessage dispatches an envelope from a friend's inbox address;
// it must be signed by that friend's key.
func (a *App) handleFriendMessage(ctx context.Context, friendID string, m *envelope.Message) {
	if m.From.ID() != friendID {
		a.log.Warn("refused envelope signed by someone other than the friend", "friend", friendID)
		return
	}
	f, err := a.store.Friend(ctx, friendID)
	if err != nil {
		return
	}
	if m.Type == msgFarewell {
		a.forgetFriend(ctx, f, "they ended the friendship")
		return
	}
	var s signal
	if err := json.Unmarshal(m.Body, &s); err != nil || s.Session == "" {
		a.log.Warn("refused malformed signal", "friend", friendID)
		return
	}
	switch m.Type {
	case msgOffer:
		go a.links.handleOffer(f, s)
	case msgAnswer:
		a.links.handleAnswer(s)
	}
}

// friendClient is an HTTP client whose requests reach f's services.
func (a *App) friendClient(ctx context.Context, f store.Friend) (*http.Client, error) {
	lk, err := a.links.get(ctx, f)
	if err != nil {
		return nil, err
	}
	a.links.touch(f.ID)
	return lk.Client(), nil
}

// drop closes the live link to a friend, if any.
func (l *links) drop(friendID string) {
	l.mu.Lock()
	lk, ok := l.live[friendID]
	delete(l.live, friendID)
	l.mu.Unlock()
	if ok {
		lk.Close()
	}
}

package client_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/porchlight/porchlight/signaling/client"
	"github.com/porchlight/porchlight/signaling/relay"
	"github.com/porchlight/porchlight/signaling/wire"
)

// testRelay is a relay on a loopback port that can be stopped and started
// again on the same port.
type testRelay struct {
	t    *testing.T
	cfg  relay.Config
	addr string
	URL  string
	srv  *relay.Server
	hs   *httptest.Server
}

func startRelay(t *testing.T, cfg relay.Config) *testRelay {
	t.Helper()
	r := &testRelay{t: t, cfg: cfg, addr: "127.0.0.1:0"}
	r.start()
	r.URL = "ws://" + r.addr + wire.Path
	t.Cleanup(r.stop)
	return r
}

func (r *testRelay) start() {
	r.t.Helper()
	ln, err := net.Listen("tcp", r.addr)
	if err != nil {
		r.t.Fatal(err)
	}
	r.addr = ln.Addr().String()
	cfg := r.cfg
	cfg.ListenAddr = r.addr
	r.srv = relay.New(cfg, slog.New(slog.DiscardHandler))
	r.hs = httptest.NewUnstartedServer(r.srv)
	r.hs.Listener.Close()
	r.hs.Listener = ln
	r.hs.Start()
}

func (r *testRelay) stop() {
	r.srv.Close()
	r.hs.Close()
}

// peer is a running client, what its handler received and the states it
// was told of.
type peer struct {
	*client.Client
	got chan client.Message

	mu     sync.Mutex
	states []client.State
}

func startPeer(t *testing.T, url string, subs ...wire.Address) *peer {
	t.Helper()
	_, key, _ := ed25519.GenerateKey(nil)
	p := &peer{got: make(chan client.Message, 100)}
	p.Client = client.New(url, key, func(m client.Message) { p.got <- m }, nil)
	p.OnStateChange(func(s client.State) {
		p.mu.Lock()
		defer p.mu.Unlock()
		p.states = append(p.states, s)
	})
	p.Subscribe(subs...)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Serve(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Errorf("Serve returned %v", err)
		}
	})
	return p
}

// waitState waits for a state that ok accepts.
func (p *peer) waitState(t *testing.T, ok func(client.State) bool) client.State {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		s := p.State()
		if ok(s) {
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("state never as expected; last %+v", s)
		}
	}
}

// connections returns the Connected values the state callbacks saw, without repeats.
func (p *peer) connections() []bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	var seen []bool
	for _, s := range p.states {
		if len(seen) == 0 || seen[len(seen)-1] != s.Connected {
			seen = append(seen, s.Connected)
		}
	}
	return seen
}

func connected(s client.State) bool { return s.Connected }

func (p *peer) receive(t *testing.T) client.Message {
	t.Helper()
	select {
	case m := <-p.got:
		return m
	case <-time.After(10 * time.Second):
		t.Fatal("no message delivered")
		return client.Message{}
	}
}

func (p *peer) receiveNothing(t *testing.T) {
	t.Helper()
	select {
	case m := <-p.got:
		t.Fatalf("unexpected message %+v", m)
	case <-time.After(200 * time.Millisecond):
	}
}

func send(t *testing.T, p *peer, to wire.Address, id, payload string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := p.Send(ctx, to, id, []byte(payload)); err != nil {
		t.Fatalf("Send %s: %v", id, err)
	}
}

// waitStats polls the relay until ok accepts its stats.
func (r *testRelay) waitStats(t *testing.T, ok func(relay.Stats) bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !ok(r.srv.Stats()); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("relay stats never as expected: %+v", r.srv.Stats())
		}
	}
}

func TestSendAndReceive(t *testing.T) {
	r := startRelay(t, relay.Config{})
	a := wire.Address{1}
	alice, bob := startPeer(t, r.URL), startPeer(t, r.URL, a)
	alice.waitState(t, connected)
	bob.waitState(t, connected)
	r.waitStats(t, func(s relay.Stats) bool { return s.Subscriptions == 1 })

	send(t, alice, a, "m1", "sealed offer")
	m := bob.receive(t)
	want := client.Message{Relay: r.URL, To: a, ID: "m1", Payload: []byte("sealed offer")}
	if m.Relay != want.Relay || m.To != want.To || m.ID != want.ID || !bytes.Equal(m.Payload, want.Payload) {
		t.Fatalf("received %+v, want %+v", m, want)
	}
	r.waitStats(t, func(s relay.Stats) bool { return s.MailboxEnvelopes == 0 }) // acked

	bob.Unsubscribe(a)
	r.waitStats(t, func(s relay.Stats) bool { return s.Subscriptions == 0 })
	send(t, alice, a, "m2", "nobody listening")
	bob.receiveNothing(t)
}

func TestMailboxWhileOffline(t *testing.T) {
	r := startRelay(t, relay.Config{})
	a := wire.Address{2}
	alice := startPeer(t, r.URL)
	alice.waitState(t, connected)
	send(t, alice, a, "m1", "while you were out")

	bob := startPeer(t, r.URL, a)
	if m := bob.receive(t); m.ID != "m1" || string(m.Payload) != "while you were out" {
		t.Fatalf("received %+v", m)
	}
	r.waitStats(t, func(s relay.Stats) bool { return s.MailboxEnvelopes == 0 })
}

func TestDuplicateNotHandledTwice(t *testing.T) {
	r := startRelay(t, relay.Config{})
	a := wire.Address{3}
	alice, bob := startPeer(t, r.URL), startPeer(t, r.URL, a)
	alice.waitState(t, connected)
	bob.waitState(t, connected)
	r.waitStats(t, func(s relay.Stats) bool { return s.Subscriptions == 1 })

	send(t, alice, a, "m1", "once")
	bob.receive(t)
	r.waitStats(t, func(s relay.Stats) bool { return s.MailboxEnvelopes == 0 })
	send(t, alice, a, "m1", "once") // a resend after the ack: the relay delivers again
	bob.receiveNothing(t)
	r.waitStats(t, func(s relay.Stats) bool { return s.MailboxEnvelopes == 0 }) // acked all the same
}

func TestReconnectAfterRestart(t *testing.T) {
	r := startRelay(t, relay.Config{})
	a := wire.Address{4}
	alice, bob := startPeer(t, r.URL), startPeer(t, r.URL, a)
	bob.waitState(t, connected)

	r.stop()
	offline := func(s client.State) bool { return !s.Connected }
	alice.waitState(t, offline)
	down := bob.waitState(t, offline)
	if down.LastError == "" || down.RTT != 0 {
		t.Fatalf("state after the relay stopped: %+v", down)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := alice.Send(ctx, a, "m0", []byte("x")); !errors.Is(err, client.ErrOffline) {
		t.Fatalf("Send while offline: %v", err)
	}

	r.start() // same port, empty mailboxes
	alice.waitState(t, connected)
	up := bob.waitState(t, connected)
	if up.LastError != "" || !up.Since.After(down.Since) {
		t.Fatalf("state after reconnecting: %+v, before: %+v", up, down)
	}
	r.waitStats(t, func(s relay.Stats) bool { return s.Subscriptions == 1 }) // re-subscribed
	send(t, alice, a, "m1", "after the restart")
	if m := bob.receive(t); m.ID != "m1" {
		t.Fatalf("received %+v", m)
	}
	if got, want := bob.connections(), []bool{true, false, true}; !slices.Equal(got, want) {
		t.Fatalf("state callbacks saw Connected %v, want %v", got, want)
	}
}

func TestRTT(t *testing.T) {
	r := startRelay(t, relay.Config{})
	p := startPeer(t, r.URL)
	s := p.waitState(t, func(s client.State) bool { return s.Connected && s.RTT > 0 })
	if s.RTT > 5*time.Second || s.URL != r.URL {
		t.Fatalf("state %+v", s)
	}
}

func TestSendErrors(t *testing.T) {
	r := startRelay(t, relay.Config{MailboxEnvelopes: 1})
	a := wire.Address{5}
	ctx := context.Background()

	_, key, _ := ed25519.GenerateKey(nil)
	idle := client.New(r.URL, key, nil, nil) // never served
	start := time.Now()
	if err := idle.Send(ctx, a, "m1", []byte("x")); !errors.Is(err, client.ErrOffline) || time.Since(start) > 100*time.Millisecond {
		t.Fatalf("Send without Serve: %v after %v", err, time.Since(start))
	}

	p := startPeer(t, r.URL)
	p.waitState(t, connected)
	tests := []struct {
		name    string
		id      string
		payload []byte
		want    error
	}{
		{"accepted", "m1", []byte("x"), nil},
		{"same id again", "m1", []byte("x"), nil},
		{"mailbox full", "m2", []byte("x"), wire.ErrMailboxFull},
		{"too large", "m3", make([]byte, wire.MaxPayload+1), wire.ErrTooLarge},
		{"bad id", "has space", []byte("x"), wire.ErrBadFrame},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := p.Send(ctx, a, tt.id, tt.payload)
			if (tt.want == nil && err != nil) || !errors.Is(err, tt.want) {
				t.Fatalf("Send = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestLoginRefused(t *testing.T) {
	r := startRelay(t, relay.Config{PublicURLs: []string{"wss://relay.example.org"}})
	p := startPeer(t, r.URL) // dials a URL the relay does not call its own
	s := p.waitState(t, func(s client.State) bool { return s.LastError != "" })
	if s.Connected || !strings.Contains(s.LastError, "auth failed") {
		t.Fatalf("state %+v", s)
	}
}

func TestVersionMismatch(t *testing.T) {
	nonce := strings.Repeat("A", 43) + "="
	tests := []struct {
		name  string
		first string // the relay's first frame
		want  string
	}{
		{"newer relay", `{"type":"challenge","v":2,"nonce":"` + nonce + `","relay_url":"x"}`,
			"version unsupported: relay speaks protocol v2, this client v1: upgrade Porchlight"},
		{"older relay", `{"type":"challenge","v":0,"nonce":"` + nonce + `","relay_url":"x"}`,
			"version unsupported: relay speaks protocol v0, this client v1: the relay needs an upgrade, or use another relay"},
		{"refused path", `{"type":"error","code":4002,"message":"v1 is gone: upgrade Porchlight"}`,
			"version unsupported: v1 is gone: upgrade Porchlight"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// A relay of another version, as far as its first frame goes.
			hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				ws, err := websocket.Accept(w, r, nil)
				if err != nil {
					return
				}
				defer ws.CloseNow()
				ws.Write(r.Context(), websocket.MessageText, []byte(tt.first))
				ws.Read(r.Context())
			}))
			defer hs.Close()
			p := startPeer(t, "ws"+strings.TrimPrefix(hs.URL, "http"))
			s := p.waitState(t, func(s client.State) bool { return s.LastError != "" })
			if s.LastError != tt.want {
				t.Fatalf("LastError %q, want %q", s.LastError, tt.want)
			}
		})
	}
}

func TestHandlerMaySend(t *testing.T) {
	r := startRelay(t, relay.Config{})
	offer, answer := wire.Address{6}, wire.Address{7}
	alice := startPeer(t, r.URL, answer)
	_, key, _ := ed25519.GenerateKey(nil)
	var bob *client.Client
	var once sync.Once
	replied := make(chan error, 1)
	bob = client.New(r.URL, key, func(m client.Message) {
		once.Do(func() { replied <- bob.Send(context.Background(), answer, "a1", []byte("answer")) })
	}, nil)
	bob.Subscribe(offer)
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan struct{})
	go func() { bob.Serve(ctx); close(served) }()
	defer func() { cancel(); <-served }()

	alice.waitState(t, connected)
	send(t, alice, offer, "o1", "offer")
	select {
	case err := <-replied:
		if err != nil {
			t.Fatalf("Send from the handler: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("handler never replied")
	}
	if m := alice.receive(t); m.ID != "a1" {
		t.Fatalf("received %+v", m)
	}
}

package relay_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/porchlight/porchlight/signaling/relay"
	"github.com/porchlight/porchlight/signaling/wire"
)

func TestLogin(t *testing.T) {
	r := startRelay(t, relay.Config{})
	other, _, _ := ed25519.GenerateKey(nil)
	tests := []struct {
		name     string
		path     string // instead of wire.Path
		login    func(c *rawClient, nonce []byte) wire.Frame
		wantCode wire.Code // 0: welcome
		wantMsg  string
	}{
		{name: "ok", login: func(c *rawClient, nonce []byte) wire.Frame {
			return loginFrame(c, r.URL, wire.Version, nonce)
		}},
		{name: "wrong signature", wantCode: wire.CodeAuthFailed, login: func(c *rawClient, nonce []byte) wire.Frame {
			f := loginFrame(c, r.URL, wire.Version, nonce)
			f.Pub = other
			return f
		}},
		{name: "signed for another relay", wantCode: wire.CodeAuthFailed, login: func(c *rawClient, nonce []byte) wire.Frame {
			return loginFrame(c, "wss://evil.example/v1/ws", wire.Version, nonce)
		}},
		{name: "replayed nonce", wantCode: wire.CodeAuthFailed, login: func(c *rawClient, _ []byte) wire.Frame {
			return loginFrame(c, r.URL, wire.Version, make([]byte, wire.NonceSize))
		}},
		{name: "old client", wantCode: wire.CodeVersionUnsupported, wantMsg: "upgrade Porchlight", login: func(c *rawClient, nonce []byte) wire.Frame {
			f := loginFrame(c, r.URL, 0, nonce)
			f.V = 0 // as a client before versions would
			return f
		}},
		{name: "newer client", wantCode: wire.CodeVersionUnsupported, wantMsg: "relay needs an upgrade", login: func(c *rawClient, nonce []byte) wire.Frame {
			return wire.Frame{Type: wire.TypeLogin, V: wire.Version + 1}
		}},
		{name: "no login", wantCode: wire.CodeAuthFailed, login: func(c *rawClient, nonce []byte) wire.Frame {
			return wire.Frame{Type: wire.TypePing}
		}},
		{name: "old path", path: "/v0/ws", wantCode: wire.CodeVersionUnsupported, wantMsg: "upgrade Porchlight"},
		{name: "newer path", path: "/v2/ws", wantCode: wire.CodeVersionUnsupported, wantMsg: "relay needs an upgrade"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url := r.URL
			if tt.path != "" {
				url = strings.TrimSuffix(r.URL, wire.Path) + tt.path
			}
			c := dial(t, url)
			if tt.login != nil {
				ch := c.expect(wire.TypeChallenge)
				if ch.RelayURL != r.URL || len(ch.Nonce) != wire.NonceSize {
					t.Fatalf("challenge %+v", ch)
				}
				b, err := json.Marshal(tt.login(c, ch.Nonce)) // not EncodeFrame: it refuses other versions
				if err != nil {
					t.Fatal(err)
				}
				c.writeRaw(b)
			}
			if tt.wantCode == 0 {
				c.expect(wire.TypeWelcome)
				return
			}
			f := c.expectClosed(tt.wantCode)
			if !strings.Contains(f.Message, tt.wantMsg) {
				t.Fatalf("error message %q, want it to say %q", f.Message, tt.wantMsg)
			}
		})
	}
}

func loginFrame(c *rawClient, url string, version int, nonce []byte) wire.Frame {
	return wire.Frame{Type: wire.TypeLogin, V: wire.Version, Pub: c.pub(),
		Sig: ed25519.Sign(c.key, wire.LoginMessage(url, version, nonce))}
}

func TestBadFrames(t *testing.T) {
	r := startRelay(t, relay.Config{})
	tests := []struct {
		name  string
		frame []byte
		want  wire.Code
	}{
		{"oversized", append(append([]byte(`{"type":"ping","message":"`), bytes.Repeat([]byte("x"), wire.MaxFrame)...), `"}`...), wire.CodeTooLarge},
		{"huge", bytes.Repeat([]byte("x"), 4<<20), wire.CodeTooLarge},
		{"payload too large", []byte(`{"type":"send","id":"a","to":"` + addr(1).String() + `","payload":"` +
			base64.StdEncoding.EncodeToString(make([]byte, wire.MaxPayload+1)) + `"}`), wire.CodeTooLarge},
		{"not json", []byte(`hello`), wire.CodeBadFrame},
		{"relay-only frame", []byte(`{"type":"deliver","id":"a","payload":"eA=="}`), wire.CodeBadFrame},
		{"second login", []byte(`{"type":"login","v":1,"pub":"` + base64.StdEncoding.EncodeToString(make([]byte, 32)) +
			`","sig":"` + base64.StdEncoding.EncodeToString(make([]byte, 64)) + `"}`), wire.CodeBadFrame},
		{"binary message", nil, wire.CodeBadFrame},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := login(t, r.URL)
			if tt.frame == nil {
				c.ws.Write(context.Background(), websocket.MessageBinary, []byte(`{"type":"ping"}`))
			} else {
				c.writeRaw(tt.frame)
			}
			c.expectClosed(tt.want)
		})
	}
}

func TestForward(t *testing.T) {
	r := startRelay(t, relay.Config{})
	alice, bob, carol := login(t, r.URL), login(t, r.URL), login(t, r.URL)
	a := addr(1)
	bob.sub(a)
	carol.sub(a)
	alice.sub(a) // a sender never gets its own envelopes back
	alice.mustSend(a, "m1", []byte("sealed offer"))
	for _, c := range []*rawClient{bob, carol} {
		f := c.expect(wire.TypeDeliver)
		if f.ID != "m1" || f.To != a || string(f.Payload) != "sealed offer" {
			t.Fatalf("delivered %+v", f)
		}
	}
	alice.sync() // the next frame alice gets is the pong, not a deliver

	bob.write(wire.Frame{Type: wire.TypeUnsub, Addrs: []wire.Address{a}})
	bob.sync()
	alice.mustSend(a, "m2", []byte("x"))
	carol.expect(wire.TypeDeliver)
	bob.sync()
}

func TestMailbox(t *testing.T) {
	r := startRelay(t, relay.Config{})
	alice := login(t, r.URL)
	a := addr(2)
	alice.mustSend(a, "m1", []byte("while you were out"))
	r.waitStats(t, func(s relay.Stats) bool { return s.MailboxEnvelopes == 1 })

	// Delivered on subscribe, and again after a reconnect while not acked.
	for range 2 {
		bob := login(t, r.URL)
		bob.write(wire.Frame{Type: wire.TypeSub, Addrs: []wire.Address{a}})
		if f := bob.expect(wire.TypeDeliver); f.ID != "m1" || string(f.Payload) != "while you were out" {
			t.Fatalf("delivered %+v", f)
		}
		bob.ws.CloseNow()
	}

	bob := login(t, r.URL)
	bob.write(wire.Frame{Type: wire.TypeSub, Addrs: []wire.Address{a}})
	bob.expect(wire.TypeDeliver)
	bob.write(wire.Frame{Type: wire.TypeAck, ID: "m1", To: a})
	bob.sync()
	if st := r.Stats(); st.MailboxEnvelopes != 0 || st.MailboxBytes != 0 {
		t.Fatalf("after ack: %+v", st)
	}
	carol := login(t, r.URL)
	carol.sub(a) // the pong comes first: nothing is waiting
}

func TestAckNeedsSubscription(t *testing.T) {
	r := startRelay(t, relay.Config{})
	alice, mallory := login(t, r.URL), login(t, r.URL)
	alice.mustSend(addr(3), "m1", []byte("x"))
	mallory.write(wire.Frame{Type: wire.TypeAck, ID: "m1", To: addr(3)})
	mallory.sync()
	if st := r.Stats(); st.MailboxEnvelopes != 1 {
		t.Fatalf("ack without subscription removed the envelope: %+v", st)
	}
}

func TestMailboxLimits(t *testing.T) {
	r := startRelay(t, relay.Config{MailboxEnvelopes: 3, MailboxBytes: 100, MailboxTotalBytes: 250})
	alice := login(t, r.URL)
	full, other := addr(4), addr(5)
	for _, id := range []string{"m1", "m2", "m3"} {
		alice.mustSend(full, id, []byte("x"))
	}
	if f := alice.send(full, "m4", []byte("x")); f.Code != wire.CodeMailboxFull {
		t.Fatalf("fourth envelope: %+v", f)
	}
	// One full address does not crowd out another.
	alice.mustSend(other, "big1", bytes.Repeat([]byte("y"), 60))
	if f := alice.send(other, "big2", bytes.Repeat([]byte("y"), 60)); f.Code != wire.CodeMailboxFull {
		t.Fatalf("envelope over the byte limit: %+v", f)
	}
	// Past the global limit, the oldest envelopes make room.
	for i := range 4 {
		alice.mustSend(addr(byte(10+i)), "fill", bytes.Repeat([]byte("z"), 50))
	}
	st := r.Stats()
	if st.MailboxBytes > 250 {
		t.Fatalf("global limit broken: %+v", st)
	}
	bob := login(t, r.URL)
	bob.sub(full) // m1..m3 were the oldest: evicted, so the pong comes first
}

func TestDuplicateIDs(t *testing.T) {
	r := startRelay(t, relay.Config{})
	alice, bob := login(t, r.URL), login(t, r.URL)
	a := addr(6)
	bob.sub(a)
	alice.mustSend(a, "same", []byte("once"))
	alice.mustSend(a, "same", []byte("once"))
	bob.expect(wire.TypeDeliver)
	bob.sync() // no second deliver
	if st := r.Stats(); st.MailboxEnvelopes != 1 {
		t.Fatalf("stored %d envelopes, want 1", st.MailboxEnvelopes)
	}
}

func TestRateLimit(t *testing.T) {
	r := startRelay(t, relay.Config{MessagesPerSecond: 0.001, MessageBurst: 2})
	alice := login(t, r.URL)
	alice.mustSend(addr(7), "m1", []byte("x"))
	alice.mustSend(addr(7), "m2", []byte("x"))
	if f := alice.send(addr(7), "m3", []byte("x")); f.Code != wire.CodeRateLimited {
		t.Fatalf("third send: %+v", f)
	}
	// The same key on a second connection shares the budget; other frames
	// over it close the connection.
	again := dial(t, r.URL)
	again.key = alice.key
	ch := again.expect(wire.TypeChallenge)
	again.write(loginFrame(again, r.URL, wire.Version, ch.Nonce))
	again.expect(wire.TypeWelcome)
	again.write(wire.Frame{Type: wire.TypePing})
	again.expectClosed(wire.CodeRateLimited)

	// Acks are free only when they remove an envelope.
	acker := login(t, r.URL)
	for i := range 3 {
		acker.write(wire.Frame{Type: wire.TypeAck, ID: fmt.Sprint("nothing", i), To: addr(7)})
	}
	acker.expectClosed(wire.CodeRateLimited)
}

func TestTooManySubscriptions(t *testing.T) {
	r := startRelay(t, relay.Config{MaxSubscriptions: 2})
	c := login(t, r.URL)
	c.write(wire.Frame{Type: wire.TypeSub, Addrs: []wire.Address{addr(1), addr(2), addr(3)}})
	if f := c.expect(wire.TypeError); f.Code != wire.CodeTooManySubscriptions {
		t.Fatalf("got %+v", f)
	}
	c.sync() // not fatal
	if st := r.Stats(); st.Subscriptions != 2 {
		t.Fatalf("subscriptions %d, want 2", st.Subscriptions)
	}
}

// A client that never reads is dropped once its small queue is full; the
// relay does not buffer for it.
func TestSlowClientDropped(t *testing.T) {
	r := startRelay(t, relay.Config{
		SendQueue: 4, MessagesPerSecond: 1e6, MessageBurst: 1e6,
		MailboxEnvelopes: 1e6, MailboxBytes: 1 << 30, MailboxTotalBytes: 1 << 30,
	})
	alice, sloth := login(t, r.URL), login(t, r.URL)
	a := addr(8)
	sloth.sub(a) // and never reads again
	payload := bytes.Repeat([]byte("p"), wire.MaxPayload)
	for i := range 4000 { // 128 MiB, far more than the socket buffers hold
		alice.mustSend(a, fmt.Sprintf("m%d", i), payload)
		if r.Stats().Connections == 1 {
			t.Logf("dropped after %d envelopes", i+1)
			r.waitStats(t, func(s relay.Stats) bool { return s.Subscriptions == 0 })
			return
		}
	}
	t.Fatalf("a client that never reads was not dropped: %+v", r.Stats())
}

func TestIdleAndHandshakeTimeouts(t *testing.T) {
	r := startRelay(t, relay.Config{HandshakeTimeout: 200 * time.Millisecond, IdleTimeout: 300 * time.Millisecond})
	silent := dial(t, r.URL)
	silent.expect(wire.TypeChallenge)
	if _, err := silent.read(); err == nil {
		t.Fatal("connection without login stayed open")
	}
	idle := login(t, r.URL)
	if _, err := idle.read(); err == nil {
		t.Fatal("idle connection stayed open")
	}
	r.waitStats(t, func(s relay.Stats) bool { return s.Connections == 0 })
}

func TestCloseSaysGoingAway(t *testing.T) {
	r := startRelay(t, relay.Config{})
	c := login(t, r.URL)
	done := make(chan struct{})
	go func() { r.Close(); close(done) }()
	_, err := c.read()
	if got := websocket.CloseStatus(err); got != websocket.StatusGoingAway {
		t.Fatalf("close status %d (%v), want going away", got, err)
	}
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not return")
	}
}

func TestHealthz(t *testing.T) {
	r := startRelay(t, relay.Config{})
	base := "http://" + strings.TrimSuffix(strings.TrimPrefix(r.URL, "ws://"), wire.Path)
	for path, want := range map[string]int{"/healthz": 200, "/nope": 404, "/v1/other": 404, "/x1/ws": 404} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != want || (want == 200 && string(body) != "ok") {
			t.Errorf("GET %s = %d %q, want %d", path, resp.StatusCode, body, want)
		}
	}
}

func TestLogsHoldNoPayloadsOrAddresses(t *testing.T) {
	r := startRelay(t, relay.Config{MailboxEnvelopes: 1})
	alice, bob := login(t, r.URL), login(t, r.URL)
	a := addr(9)
	bob.sub(a)
	secret := []byte("SECRET-PAYLOAD-MARKER")
	alice.mustSend(a, "m1", secret)
	bob.expect(wire.TypeDeliver)
	alice.send(a, "m2", secret) // refused: mailbox full
	alice.writeRaw([]byte(`{"type":"send","id":"m3","to":"` + a.String() + `","payload":"` +
		base64.StdEncoding.EncodeToString(secret) + `","bogus":` + "\x00}"))
	alice.expectClosed(wire.CodeBadFrame)
	bob.ws.CloseNow()
	r.waitStats(t, func(s relay.Stats) bool { return s.Connections == 0 })
	logs := r.logs.String()
	if logs == "" {
		t.Fatal("no logs at debug level")
	}
	for _, s := range []string{string(secret), base64.StdEncoding.EncodeToString(secret), a.String()} {
		if strings.Contains(logs, s) {
			t.Fatalf("logs contain %q:\n%s", s, logs)
		}
	}
}

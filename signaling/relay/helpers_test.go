package relay_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"log/slog"
	"net"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/porchlight/porchlight/signaling/relay"
	"github.com/porchlight/porchlight/signaling/wire"
)

// testRelay is a relay served on a loopback port.
type testRelay struct {
	*relay.Server
	URL  string
	logs *syncBuffer
}

func startRelay(t *testing.T, cfg relay.Config) *testRelay {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg.ListenAddr = ln.Addr().String()
	logs := &syncBuffer{}
	srv := relay.New(cfg, slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	hs := httptest.NewUnstartedServer(srv)
	hs.Listener.Close()
	hs.Listener = ln
	hs.Start()
	t.Cleanup(func() {
		srv.Close()
		hs.Close()
	})
	return &testRelay{Server: srv, URL: "ws://" + ln.Addr().String() + wire.Path, logs: logs}
}

// waitStats polls the relay's stats until ok accepts them.
func (r *testRelay) waitStats(t *testing.T, ok func(relay.Stats) bool) relay.Stats {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		st := r.Stats()
		if ok(st) {
			return st
		}
		if time.Now().After(deadline) {
			t.Fatalf("stats never as expected: %+v", st)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// rawClient speaks the wire protocol by hand.
type rawClient struct {
	t   *testing.T
	ws  *websocket.Conn
	key ed25519.PrivateKey
}

func dial(t *testing.T, url string) *rawClient {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	ws, _, err := websocket.Dial(ctx, url, nil)
	if err != nil {
		t.Fatalf("dial %s: %v", url, err)
	}
	ws.SetReadLimit(wire.MaxFrame)
	t.Cleanup(func() { ws.CloseNow() })
	_, key, _ := ed25519.GenerateKey(nil)
	return &rawClient{t: t, ws: ws, key: key}
}

// login dials and logs in with a fresh key.
func login(t *testing.T, url string) *rawClient {
	t.Helper()
	c := dial(t, url)
	ch := c.expect(wire.TypeChallenge)
	c.write(wire.Frame{Type: wire.TypeLogin, V: wire.Version, Pub: c.pub(),
		Sig: ed25519.Sign(c.key, wire.LoginMessage(url, wire.Version, ch.Nonce))})
	c.expect(wire.TypeWelcome)
	return c
}

func (c *rawClient) pub() []byte { return c.key.Public().(ed25519.PublicKey) }

func (c *rawClient) write(f wire.Frame) {
	c.t.Helper()
	b, err := wire.EncodeFrame(f)
	if err != nil {
		c.t.Fatalf("encode: %v", err)
	}
	c.writeRaw(b)
}

func (c *rawClient) writeRaw(b []byte) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := c.ws.Write(ctx, websocket.MessageText, b); err != nil {
		c.t.Fatalf("write: %v", err)
	}
}

func (c *rawClient) read() (wire.Frame, error) {
	// Generous: under -race on a busy 2-core machine, pumping megabytes
	// through the relay was once seen taking over 5 s for one answer.
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	_, b, err := c.ws.Read(ctx)
	if err != nil {
		return wire.Frame{}, err
	}
	return wire.DecodeFrame(b)
}

func (c *rawClient) expect(typ wire.Type) wire.Frame {
	c.t.Helper()
	f, err := c.read()
	if err != nil {
		c.t.Fatalf("want %s frame: %v", typ, err)
	}
	if f.Type != typ {
		c.t.Fatalf("want %s frame, got %+v", typ, f)
	}
	return f
}

// expectClosed wants an error frame with code, then a close with the same code.
func (c *rawClient) expectClosed(code wire.Code) wire.Frame {
	c.t.Helper()
	f := c.expect(wire.TypeError)
	if f.Code != code {
		c.t.Fatalf("error frame %+v, want code %d", f, code)
	}
	_, err := c.read()
	if got := websocket.CloseStatus(err); got != websocket.StatusCode(code) {
		c.t.Fatalf("close status %d (%v), want %d", got, err, code)
	}
	return f
}

// sync makes sure the relay handled every frame sent before it.
func (c *rawClient) sync() {
	c.t.Helper()
	c.write(wire.Frame{Type: wire.TypePing, T: 42})
	if f := c.expect(wire.TypePong); f.T != 42 {
		c.t.Fatalf("pong t = %d", f.T)
	}
}

func (c *rawClient) sub(addrs ...wire.Address) {
	c.t.Helper()
	c.write(wire.Frame{Type: wire.TypeSub, Addrs: addrs})
	c.sync()
}

// send sends an envelope and returns the relay's answer.
func (c *rawClient) send(to wire.Address, id string, payload []byte) wire.Frame {
	c.t.Helper()
	c.write(wire.Frame{Type: wire.TypeSend, ID: id, To: to, Payload: payload})
	f, err := c.read()
	if err != nil {
		c.t.Fatalf("read answer to send %s: %v", id, err)
	}
	if f.ID != id || (f.Type != wire.TypeAccepted && f.Type != wire.TypeError) {
		c.t.Fatalf("answer to send %s: %+v", id, f)
	}
	return f
}

func (c *rawClient) mustSend(to wire.Address, id string, payload []byte) {
	c.t.Helper()
	if f := c.send(to, id, payload); f.Type != wire.TypeAccepted {
		c.t.Fatalf("send %s refused: %+v", id, f)
	}
}

func addr(b byte) wire.Address {
	var a wire.Address
	a[0], a[31] = b, b
	return a
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

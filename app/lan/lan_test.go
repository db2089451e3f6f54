package lan

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"testing"
	"time"

	"github.com/porchlight/porchlight/app/identity"
)

// Tests run on the loopback interface only.

const testTimeout = 10 * time.Second

type peer struct {
	key ed25519.PrivateKey
	id  string
}

func newPeer(t testing.TB) peer {
	t.Helper()
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return peer{key: key, id: identity.IDOf(key.Public().(ed25519.PublicKey))}
}

func newSecret(t testing.TB) []byte {
	t.Helper()
	s := make([]byte, 32)
	if _, err := rand.Read(s); err != nil {
		t.Fatal(err)
	}
	return s
}

func testLogger(t testing.TB) *slog.Logger {
	level := slog.LevelWarn
	if os.Getenv("LAN_TEST_DEBUG") != "" {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level})).With("test", t.Name())
}

func config(t testing.TB, p peer, visibility string, friends map[string][]byte) Config {
	return Config{
		Key:        p.key,
		Interfaces: []string{"lo"},
		Visibility: visibility,
		Friends:    func() map[string][]byte { return friends },
		Logger:     testLogger(t).With("me", identity.Short(p.id)),
	}
}

// listen starts a listener on loopback and returns the links it accepts.
func listen(t testing.TB, cfg Config) (*Listener, <-chan *Conn) {
	t.Helper()
	conns := make(chan *Conn, 4)
	l, err := Listen(t.Context(), cfg, func(_ string, c *Conn) { conns <- c })
	if err != nil {
		t.Fatalf("Listen: %v", err)
	}
	t.Cleanup(func() { _ = l.Close() })
	return l, conns
}

// v4 is the listener's 127.0.0.1 address.
func v4(t testing.TB, l *Listener) netip.AddrPort {
	t.Helper()
	for _, a := range l.Addrs() {
		if a.Addr().Is4() {
			return a
		}
	}
	t.Fatalf("no IPv4 address in %v", l.Addrs())
	return netip.AddrPort{}
}

func ctx(t testing.TB) context.Context {
	c, cancel := context.WithTimeout(t.Context(), testTimeout)
	t.Cleanup(cancel)
	return c
}

// link makes a link from a to b, who are friends, and returns both ends.
func link(t testing.TB) (a, b peer, atA, atB *Conn) {
	t.Helper()
	a, b = newPeer(t), newPeer(t)
	secret := newSecret(t)
	l, conns := listen(t, config(t, b, VisibilityFriends, map[string][]byte{a.id: secret}))
	atA, err := Dial(ctx(t), config(t, a, "", nil), v4(t, l), b.id, secret)
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	t.Cleanup(func() { _ = atA.Close() })
	select {
	case atB = <-conns:
	case <-time.After(testTimeout):
		t.Fatal("listener made no link")
	}
	t.Cleanup(func() { _ = atB.Close() })
	return a, b, atA, atB
}

func hello(name string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "%s serves %s %s", name, r.Method, r.URL.Path)
	})
}

func get(t *testing.T, c *Conn, path string) string {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx(t), http.MethodGet, "http://peer"+path, nil)
	resp, err := c.Client().Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	return string(body)
}

func TestLinkCarriesHTTPBothWays(t *testing.T) {
	a, b, atA, atB := link(t)
	if atA.PeerID() != b.id || atB.PeerID() != a.id {
		t.Fatalf("peer IDs: at A %s, at B %s", atA.PeerID(), atB.PeerID())
	}
	if atA.Path() != "lan" {
		t.Errorf("Path = %q", atA.Path())
	}
	go atA.Serve(t.Context(), hello("A"))
	go atB.Serve(t.Context(), hello("B"))
	for i := range 3 {
		if got, want := get(t, atA, fmt.Sprintf("/x%d", i)), fmt.Sprintf("B serves GET /x%d", i); got != want {
			t.Errorf("A→B: got %q, want %q", got, want)
		}
		if got, want := get(t, atB, "/y"), "A serves GET /y"; got != want {
			t.Errorf("B→A: got %q, want %q", got, want)
		}
	}

	atA.Close()
	select {
	case <-atB.Done():
	case <-time.After(testTimeout):
		t.Fatal("B did not notice A closing")
	}
	if !errors.Is(atB.Err(), ErrLost) || !errors.Is(atA.Err(), ErrClosed) {
		t.Errorf("errors: at A %v, at B %v", atA.Err(), atB.Err())
	}
	if _, err := atA.Client().Get("http://peer/"); !errors.Is(err, ErrClosed) {
		t.Errorf("request after close: %v", err)
	}
}

func TestDialRefusesWrongPeer(t *testing.T) {
	a, b, c := newPeer(t), newPeer(t), newPeer(t)
	secret := newSecret(t)
	// C knows A's secret (say it leaked), and answers where A looks for B.
	l, _ := listen(t, config(t, c, VisibilityFriends, map[string][]byte{a.id: secret}))
	var reported *WrongPeerError
	cfg := config(t, a, "", nil)
	cfg.OnWrongPeer = func(e *WrongPeerError) { reported = e }

	_, err := Dial(ctx(t), cfg, v4(t, l), b.id, secret)
	if !errors.Is(err, ErrWrongPeer) {
		t.Fatalf("Dial: got %v, want ErrWrongPeer", err)
	}
	var wrong *WrongPeerError
	if !errors.As(err, &wrong) || wrong.Want != b.id || wrong.Got != c.id {
		t.Errorf("error %#v, want Want=B Got=C", wrong)
	}
	if reported == nil || reported.Got != c.id {
		t.Errorf("OnWrongPeer got %v", reported)
	}
	t.Log(err)
}

func TestListenerRefusesWrongKey(t *testing.T) {
	a, b, d := newPeer(t), newPeer(t), newPeer(t)
	secret := newSecret(t)
	reported := make(chan *WrongPeerError, 1)
	cfg := config(t, b, VisibilityFriends, map[string][]byte{a.id: secret})
	cfg.OnWrongPeer = func(e *WrongPeerError) { reported <- e }
	l, conns := listen(t, cfg)

	// D holds A's secret but not A's key.
	if _, err := Dial(ctx(t), config(t, d, "", nil), v4(t, l), b.id, secret); err == nil {
		t.Fatal("Dial with the wrong key succeeded")
	}
	select {
	case e := <-reported:
		if e.Want != a.id || e.Got != d.id {
			t.Errorf("reported want %s got %s", e.Want, e.Got)
		}
	case <-time.After(testTimeout):
		t.Fatal("listener did not report the wrong key")
	}
	select {
	case <-conns:
		t.Fatal("listener made a link")
	default:
	}
}

// A caller without a friendship secret learns nothing: not the key, not the
// certificate, only a random nonce (and in "visible" mode, a refusal).
func TestStrangerGetsNothing(t *testing.T) {
	for _, tc := range []struct {
		visibility string
		tail       []byte // after the nonce
		dialErr    error
	}{
		{VisibilityFriends, nil, ErrRefused},
		{VisibilityHidden, nil, ErrRefused},
		{VisibilityVisible, []byte{statusRefused}, ErrNotFriend},
	} {
		t.Run(tc.visibility, func(t *testing.T) {
			a, b := newPeer(t), newPeer(t)
			l, _ := listen(t, config(t, b, tc.visibility, map[string][]byte{a.id: newSecret(t)}))
			conn, err := net.Dial("tcp", v4(t, l).String())
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			_ = conn.SetDeadline(time.Now().Add(testTimeout))
			nonce := make([]byte, nonceSize)
			if _, err := io.ReadFull(conn, nonce); err != nil {
				t.Fatalf("read nonce: %v", err)
			}
			if _, err := conn.Write(newSecret(t)); err != nil { // a wrong proof
				t.Fatal(err)
			}
			rest, err := io.ReadAll(conn)
			if err != nil {
				t.Fatalf("read to the end: %v", err)
			}
			if !bytes.Equal(rest, tc.tail) {
				t.Errorf("after the nonce got %d bytes %x, want %x", len(rest), rest, tc.tail)
			}
			if bytes.Contains(append(nonce, rest...), b.key.Public().(ed25519.PublicKey)) {
				t.Error("the listener's key was sent")
			}

			_, err = Dial(ctx(t), config(t, a, "", nil), v4(t, l), b.id, newSecret(t))
			if !errors.Is(err, tc.dialErr) {
				t.Errorf("Dial with a wrong secret: got %v, want %v", err, tc.dialErr)
			}
		})
	}
}

func TestPrefer(t *testing.T) {
	low, high := "aaaa", "bbbb"
	for _, tc := range []struct {
		local, remote string
		keepOutgoing  bool
	}{
		{low, high, true},
		{high, low, false},
	} {
		if got := Prefer(tc.local, tc.remote); got != tc.keepOutgoing {
			t.Errorf("Prefer(%s, %s) = %v", tc.local, tc.remote, got)
		}
	}
	// Both ends of a simultaneous dial agree on exactly one survivor.
	a, b := newPeer(t), newPeer(t)
	if Prefer(a.id, b.id) == Prefer(b.id, a.id) {
		t.Error("both sides keep (or both drop) their outgoing link")
	}
}

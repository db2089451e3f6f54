package relay_test

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/porchlight/porchlight/signaling/client"
	"github.com/porchlight/porchlight/signaling/relay"
	"github.com/porchlight/porchlight/signaling/wire"
)

func TestMetrics(t *testing.T) {
	r := startRelay(t, relay.Config{})
	a, b := login(t, r.URL), login(t, r.URL)
	b.sub(addr(1))
	a.mustSend(addr(1), "m1", []byte("sealed"))
	b.expect(wire.TypeDeliver)
	a.mustSend(addr(2), "m2", []byte("kept")) // nobody listens: mailbox
	m := scrape(t, r, "/metrics")
	for _, want := range []string{
		"porchlight_relay_connections 2\n",
		"porchlight_relay_clients_logged_in 2\n",
		"porchlight_relay_messages_received_total 2\n",
		"porchlight_relay_messages_forwarded_total 1\n",
		"porchlight_relay_mailbox_envelopes 2\n", // m1 waits for b's ack
		"porchlight_relay_mailbox_bytes 10\n",
		"porchlight_relay_turn_enabled 0\n",
		`porchlight_relay_rejections_total{reason="too slow"} 0`,
		"# TYPE porchlight_relay_messages_forwarded_total counter\n",
	} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics lack %q:\n%s", want, m)
		}
	}
}

func TestStatus(t *testing.T) {
	r := startRelay(t, relay.Config{MaxConnections: 100, Version: "v9.9.9", STUN: true})
	login(t, r.URL)
	var st relay.Status
	if err := json.Unmarshal([]byte(scrape(t, r, "/status")), &st); err != nil {
		t.Fatal(err)
	}
	want := relay.Status{Version: "v9.9.9", Protocol: wire.Version, URLs: []string{r.URL}, Capacity: 100, Load: 0.01, Clients: 1, STUN: true}
	if st.Version != want.Version || st.Protocol != want.Protocol || st.URLs[0] != r.URL || st.Capacity != 100 ||
		st.Load != want.Load || st.Clients != 1 || !st.STUN || st.TURN {
		t.Fatalf("status %+v, want %+v", st, want)
	}
}

func TestInvitePage(t *testing.T) {
	r := startRelay(t, relay.Config{})
	resp, err := http.Get(strings.Replace(strings.TrimSuffix(r.URL, wire.Path), "ws://", "http://", 1) + "/i")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Fatalf("content type %q", ct)
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'sha256-") || !strings.Contains(csp, "default-src 'none'") {
		t.Fatalf("csp %q", csp)
	}
	page := scrape(t, r, "/i")
	if !strings.Contains(page, `"porchlight://invite" + secret`) || !strings.Contains(page, "window.location.hash") {
		t.Fatalf("page does not hand the fragment to the app:\n%s", page)
	}
	if got := resp.Header.Get("Referrer-Policy"); got != "no-referrer" {
		t.Fatalf("referrer policy %q", got)
	}
}

type fakeTURN struct{ issued [][]byte }

func (f *fakeTURN) Issue(key []byte) (relay.TURNCredentials, error) {
	f.issued = append(f.issued, key)
	return relay.TURNCredentials{Username: "1:ab", Password: "pw", TTLSeconds: 60, URLs: []string{"turn:127.0.0.1:3478?transport=udp"}}, nil
}

func (f *fakeTURN) Stats() relay.TURNStats { return relay.TURNStats{Allocations: 3, BytesRelayed: 77} }

func TestTURNCredentials(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	t.Run("off", func(t *testing.T) {
		r := startRelay(t, relay.Config{})
		c := serveClient(t, ctx, r.URL)
		if _, err := c.TURNCredentials(ctx); !errors.Is(err, wire.ErrUnavailable) {
			t.Fatalf("TURNCredentials with TURN off: %v", err)
		}
	})
	t.Run("on", func(t *testing.T) {
		turn := &fakeTURN{}
		r := startRelay(t, relay.Config{TURN: turn})
		c := serveClient(t, ctx, r.URL)
		cr, err := c.TURNCredentials(ctx)
		if err != nil || cr.Username != "1:ab" || cr.Password != "pw" || len(cr.URLs) != 1 || time.Until(cr.Expires) < 50*time.Second {
			t.Fatalf("TURNCredentials = %+v, %v", cr, err)
		}
		if len(turn.issued) != 1 || len(turn.issued[0]) != 32 {
			t.Fatalf("issued to %x", turn.issued)
		}
		m := scrape(t, r, "/metrics")
		for _, want := range []string{"porchlight_relay_turn_enabled 1\n", "porchlight_relay_turn_bytes_total 77\n", "porchlight_relay_turn_credentials_total 1\n"} {
			if !strings.Contains(m, want) {
				t.Errorf("metrics lack %q", want)
			}
		}
		if !r.HasClientIP(net.IPv4(127, 0, 0, 1)) || r.HasClientIP(net.IPv4(127, 0, 0, 2)) {
			t.Fatal("HasClientIP does not know the logged-in client's address")
		}
	})
	t.Run("before login", func(t *testing.T) {
		r := startRelay(t, relay.Config{TURN: &fakeTURN{}})
		c := dial(t, r.URL)
		c.expect(wire.TypeChallenge)
		c.write(wire.Frame{Type: wire.TypeTURNAsk, ID: "t1"})
		c.expectClosed(wire.CodeAuthFailed)
	})
}

// serveClient runs a client until the test ends and waits for its login.
func serveClient(t *testing.T, ctx context.Context, url string) *client.Client {
	t.Helper()
	c := client.New(url, newKey(), nil, nil)
	up := make(chan struct{}, 1)
	c.OnStateChange(func(s client.State) {
		if s.Connected {
			select {
			case up <- struct{}{}:
			default:
			}
		}
	})
	cctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { c.Serve(cctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	select {
	case <-up:
	case <-ctx.Done():
		t.Fatal("client never logged in")
	}
	return c
}

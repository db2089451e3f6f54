package relay_test

import (
	"context"
	"crypto/ed25519"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/porchlight/porchlight/signaling/client"
	"github.com/porchlight/porchlight/signaling/relay"
	"github.com/porchlight/porchlight/signaling/wire"
)

// tryDial dials and returns the HTTP status of a refused upgrade (0 if it
// was accepted).
func tryDial(t *testing.T, url string) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	ws, resp, err := websocket.Dial(ctx, url, nil)
	if err == nil {
		t.Cleanup(func() { ws.CloseNow() })
		return 0
	}
	if resp == nil {
		t.Fatalf("dial: %v", err)
	}
	if got := resp.Header.Get(wire.RefusalHeader); got != strconv.Itoa(int(wire.CodeTooManyConnections)) {
		t.Fatalf("refusal header %q on status %d", got, resp.StatusCode)
	}
	return resp.StatusCode
}

func TestConnectionLimits(t *testing.T) {
	tests := []struct {
		name       string
		cfg        relay.Config
		accepted   int
		wantStatus int
		wantReason string
	}{
		{"per ip", relay.Config{MaxConnectionsPerIP: 3}, 3, http.StatusTooManyRequests, "connections_per_ip"},
		{"rate per ip", relay.Config{NewConnectionBurstPerIP: 4, NewConnectionsPerSecondPerIP: 0.01}, 4, http.StatusTooManyRequests, "connection_rate_ip"},
		{"rate in all", relay.Config{NewConnectionBurst: 2, NewConnectionsPerSecond: 0.01}, 2, http.StatusServiceUnavailable, "connection_rate_total"},
		{"capacity", relay.Config{MaxConnections: 5}, 5, http.StatusServiceUnavailable, "capacity"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := startRelay(t, tt.cfg)
			for i := range tt.accepted {
				if status := tryDial(t, r.URL); status != 0 {
					t.Fatalf("connection %d refused with %d", i, status)
				}
			}
			for range 3 { // a flood from one IP keeps being refused cheaply
				if status := tryDial(t, r.URL); status != tt.wantStatus {
					t.Fatalf("connection over the limit: status %d, want %d", status, tt.wantStatus)
				}
			}
			if m := scrape(t, r, "/metrics"); !strings.Contains(m, `porchlight_relay_rejections_total{reason="`+tt.wantReason+`"} 3`) {
				t.Fatalf("metrics do not count 3 %s rejections:\n%s", tt.wantReason, m)
			}
		})
	}
}

func TestClientSeesTooManyConnections(t *testing.T) {
	r := startRelay(t, relay.Config{MaxConnectionsPerIP: 1})
	tryDial(t, r.URL)
	c := client.New(r.URL, newKey(), nil, nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	states := make(chan client.State, 4)
	c.OnStateChange(func(s client.State) { states <- s })
	go c.Serve(ctx)
	select {
	case s := <-states:
		if !strings.Contains(s.LastError, wire.CodeTooManyConnections.String()) {
			t.Fatalf("state %+v, want a too-many-connections error", s)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no state change")
	}
}

// A connection released by a client that left frees its slot.
func TestConnectionSlotReleased(t *testing.T) {
	r := startRelay(t, relay.Config{MaxConnectionsPerIP: 1})
	c := login(t, r.URL)
	c.ws.Close(websocket.StatusNormalClosure, "")
	r.waitStats(t, func(s relay.Stats) bool { return s.Connections == 0 })
	login(t, r.URL)
}

func scrape(t *testing.T, r *testRelay, path string) string {
	t.Helper()
	resp, err := http.Get("http://" + strings.TrimPrefix(strings.TrimSuffix(r.URL, wire.Path), "ws://") + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %v", path, resp.StatusCode, err)
	}
	return string(b)
}

func newKey() ed25519.PrivateKey {
	_, k, _ := ed25519.GenerateKey(nil)
	return k
}

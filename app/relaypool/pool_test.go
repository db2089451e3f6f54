package relaypool

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/porchlight/porchlight/signaling/client"
	"github.com/porchlight/porchlight/signaling/relay"
	"github.com/porchlight/porchlight/signaling/wire"
)

func startRelay(t *testing.T) string {
	t.Helper()
	srv := httptest.NewUnstartedServer(nil)
	url := "ws://" + srv.Listener.Addr().String() + wire.Path
	r := relay.New(relay.Config{PublicURLs: []string{url}}, slog.New(slog.DiscardHandler))
	srv.Config.Handler = r
	srv.Start()
	t.Cleanup(func() { r.Close(); srv.Close() })
	return url
}

func newPool(t *testing.T, ctx context.Context, got chan<- client.Message) *Pool {
	_, key, _ := ed25519.GenerateKey(rand.Reader)
	p := New(key, func(m client.Message) { got <- m }, slog.New(slog.DiscardHandler))
	go p.Serve(ctx)
	return p
}

func TestSendReachesSubscriberOnAnySharedRelay(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	shared, onlyAna := startRelay(t), startRelay(t)
	gotAna, gotBen := make(chan client.Message, 4), make(chan client.Message, 4)
	ana, ben := newPool(t, ctx, gotAna), newPool(t, ctx, gotBen)
	ana.Add(onlyAna)
	ana.Add(shared)
	ben.Add(shared)
	var addr wire.Address
	rand.Read(addr[:])
	ben.Subscribe(addr)
	for !connected(ana, 2) || !connected(ben, 1) {
		if ctx.Err() != nil {
			t.Fatalf("relays never connected: %+v %+v", ana.States(), ben.States())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := ana.Send(ctx, addr, []byte("hello Ben")); err != nil {
		t.Fatalf("Send: %v", err)
	}
	select {
	case m := <-gotBen:
		if string(m.Payload) != "hello Ben" || m.To != addr {
			t.Fatalf("Ben got %+v", m)
		}
	case <-ctx.Done():
		t.Fatal("Ben got nothing")
	}
	if s := ana.ICEServers(ctx); len(s) != 0 {
		t.Fatalf("relays without TURN gave ICE servers %+v", s)
	}
}

func TestSendWithoutRelays(t *testing.T) {
	_, key, _ := ed25519.GenerateKey(rand.Reader)
	p := New(key, func(client.Message) {}, slog.New(slog.DiscardHandler))
	if err := p.Send(context.Background(), wire.Address{}, []byte("x")); err != ErrNoRelay {
		t.Fatalf("Send with no relay = %v", err)
	}
	p.Add("ws://127.0.0.1:1/v1/ws")
	if urls := p.URLs(); len(urls) != 1 || !strings.HasPrefix(urls[0], "ws://") {
		t.Fatalf("URLs = %v", urls)
	}
}

func connected(p *Pool, n int) bool {
	c := 0
	for _, s := range p.States() {
		if s.Connected {
			c++
		}
	}
	return c == n
}

package tray

import (
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/porchlight/porchlight/app/api"
)

// fakeCore serves the two local API calls the tray makes over a Unix
// socket. Its first event stream says hello and reports a friend, then
// breaks; the second says hello and stays open.
type fakeCore struct {
	streams atomic.Int32
}

func (f *fakeCore) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/v1/status":
		json.NewEncoder(w).Encode(api.Status{Name: "Ana", State: api.StateOn, Friends: 1})
	case "/v1/events":
		enc := json.NewEncoder(w)
		if f.streams.Add(1) == 1 {
			enc.Encode(api.Event{Type: api.EventHello, Status: &api.Status{Name: "Ana", State: api.StateDim}})
			enc.Encode(api.Event{Type: api.EventFriend, Friend: &api.Friend{Name: "Bo"}})
			return // the stream breaks
		}
		enc.Encode(api.Event{Type: api.EventHello, Status: &api.Status{Name: "Ana", State: api.StateOn, Friends: 2}})
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	default:
		http.NotFound(w, r)
	}
}

func TestFollow(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "core.sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: &fakeCore{}}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })

	ctx, cancel := context.WithCancel(context.Background())
	lines := make(chan string, 16)
	done := make(chan struct{})
	go func() {
		defer close(done)
		follow(ctx, api.NewClient(sock), func(st *api.Status) { lines <- statusLine(st) }, slog.New(slog.DiscardHandler))
	}()
	want := []string{
		"Ana — no relay reachable", // hello
		"Ana — hosting, 1 friend",  // a friend came: the status was read again
		"Starting…",                // the stream broke
		"Ana — hosting, 2 friends", // hello again
	}
	for i, w := range want {
		select {
		case got := <-lines:
			if got != w {
				t.Errorf("line %d = %q, want %q", i, got, w)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("line %d: nothing shown, want %q", i, w)
		}
	}
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("follow did not return when its context ended")
	}
}

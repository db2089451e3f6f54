package localapi

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/porchlight/porchlight/app/api"
	"github.com/porchlight/porchlight/app/events"
)

// memCore is a real, in-memory Core: enough state to exercise every route.
type memCore struct {
	bus *events.Bus
	mu  sync.Mutex
	sh  []api.Share
}

func (m *memCore) Status(context.Context) api.Status {
	return api.Status{Name: "Ana", State: api.StateDim, Shares: len(m.sh)}
}
func (m *memCore) CreateInvite(_ context.Context, r api.NewInvite) (api.Invite, error) {
	return api.Invite{ID: "i1", Label: r.Label, Link: "porchlight://invite#x"}, nil
}
func (m *memCore) Invites(context.Context) ([]api.Invite, error) { return nil, nil }
func (m *memCore) InspectInvite(_ context.Context, link string) (api.InviteInfo, error) {
	return api.InviteInfo{}, &api.Error{Status: 400, Message: "this is not a Porchlight invite link"}
}
func (m *memCore) Accept(context.Context, string) (api.Join, error) {
	return api.Join{}, errors.New("boom")
}
func (m *memCore) AcceptCode(context.Context, string) (api.Join, error) { return api.Join{}, nil }
func (m *memCore) Joins(context.Context) ([]api.Join, error)            { return []api.Join{}, nil }
func (m *memCore) Friends(context.Context) ([]api.Friend, error)        { return []api.Friend{}, nil }
func (m *memCore) RemoveFriend(context.Context, string) error           { return nil }
func (m *memCore) RenameFriend(_ context.Context, f, n string) (api.Friend, error) {
	return api.Friend{Name: n}, nil
}
func (m *memCore) RevokeInvite(context.Context, string) error { return nil }
func (m *memCore) Shares(context.Context) ([]api.Share, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]api.Share{}, m.sh...), nil
}
func (m *memCore) AddShare(_ context.Context, r api.NewShare) (api.Share, error) {
	s := api.Share{Name: r.Name, Path: r.Path}
	m.mu.Lock()
	m.sh = append(m.sh, s)
	m.mu.Unlock()
	m.bus.Publish(api.Event{Type: api.EventShare, Share: &s})
	return s, nil
}
func (m *memCore) RemoteShares(_ context.Context, f string) ([]api.RemoteShare, error) {
	return nil, &api.Error{Status: 409, Message: "ambiguous", Candidates: []string{"Ben (a)", "Ben (b)"}}
}
func (m *memCore) List(_ context.Context, f, s, p string, o, l int) (api.Listing, error) {
	return api.Listing{Path: "/" + p, Total: o + l}, nil
}
func (m *memCore) StartTransfer(context.Context, api.NewTransfer) (api.Transfer, error) {
	return api.Transfer{}, nil
}
func (m *memCore) Transfer(_ context.Context, id string) (api.Transfer, error) {
	return api.Transfer{ID: id}, nil
}
func (m *memCore) Transfers(context.Context) ([]api.Transfer, error) { return nil, nil }
func (m *memCore) StartUpload(context.Context, api.NewUpload) (api.Transfer, error) {
	return api.Transfer{}, nil
}
func (m *memCore) ControlTransfer(_ context.Context, id, action string) (api.Transfer, error) {
	return api.Transfer{ID: id, State: action}, nil
}
func (m *memCore) UpdateShare(_ context.Context, name string, u api.ShareUpdate) (api.Share, error) {
	return api.Share{Name: name, Mode: u.Mode}, nil
}
func (m *memCore) RemoveShare(context.Context, string) error { return nil }
func (m *memCore) Neighbours(context.Context) ([]api.Neighbour, error) {
	return []api.Neighbour{}, nil
}
func (m *memCore) SetVisibility(context.Context, string) error { return nil }
func (m *memCore) SetName(context.Context, string) error       { return nil }
func (m *memCore) ExportBackup(context.Context, string) (api.Backup, error) {
	return api.Backup{}, nil
}
func (m *memCore) RestoreBackup(context.Context, string, []byte) (api.Restored, error) {
	return api.Restored{}, nil
}
func (m *memCore) SetPaused(context.Context, bool) error  { return nil }
func (m *memCore) AddRelay(context.Context, string) error { return nil }
func (m *memCore) RequestNeighbour(context.Context, string) (api.Request, error) {
	return api.Request{}, nil
}
func (m *memCore) Newcomers(context.Context) ([]api.Newcomer, error) { return nil, nil }
func (m *memCore) AnswerNewcomer(_ context.Context, id string, _ bool) (api.Newcomer, error) {
	return api.Newcomer{ID: id}, nil
}
func (m *memCore) Requests(context.Context) ([]api.Request, error) { return nil, nil }
func (m *memCore) AnswerRequest(_ context.Context, id string, ok bool) (api.Request, error) {
	return api.Request{ID: id}, nil
}
func (m *memCore) Mount(_ context.Context, r api.NewMount) (api.Mount, error) {
	return api.Mount{Share: r.Share}, nil
}
func (m *memCore) Subscribe() (<-chan api.Event, func()) { return m.bus.Subscribe() }

func serve(t *testing.T) (*api.Client, string) {
	t.Helper()
	sock := filepath.Join(t.TempDir(), "api.sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: New(&memCore{bus: events.New()}, slog.New(slog.DiscardHandler))}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return api.NewClient(sock), sock
}

func TestRoutesThroughClient(t *testing.T) {
	c, _ := serve(t)
	ctx := context.Background()
	if st, err := c.Status(ctx); err != nil || st.Name != "Ana" {
		t.Fatalf("Status = %+v, %v", st, err)
	}
	if inv, err := c.CreateInvite(ctx, api.NewInvite{Label: "Ben"}); err != nil || inv.Label != "Ben" {
		t.Fatalf("CreateInvite = %+v, %v", inv, err)
	}
	var ae *api.Error
	if _, err := c.InspectInvite(ctx, "nope"); !errors.As(err, &ae) || ae.Status != 400 || !strings.Contains(ae.Message, "not a Porchlight invite") {
		t.Fatalf("InspectInvite error = %v", err)
	}
	if _, err := c.RemoteShares(ctx, "Ben"); !errors.As(err, &ae) || len(ae.Candidates) != 2 {
		t.Fatalf("RemoteShares error = %#v", err)
	}
	if _, err := c.Accept(ctx, "x"); err == nil || err.Error() != "boom" {
		t.Fatalf("Accept error = %v", err)
	}
	if l, err := c.List(ctx, "Ben", "Photos", "a b/c", 10, 5); err != nil || l.Path != "/a b/c" || l.Total != 15 {
		t.Fatalf("List = %+v, %v", l, err)
	}
}

func TestRefusesBrowsers(t *testing.T) {
	_, sock := serve(t)
	hc := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, "unix", sock)
	}}}
	for _, h := range []string{"Origin", "Referer"} {
		req, _ := http.NewRequest("GET", "http://porchlight/v1/status", nil)
		req.Header.Set(h, "http://evil.example")
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("with %s: status %d, want 403", h, resp.StatusCode)
		}
	}
}

func TestRefusesUnknownFields(t *testing.T) {
	_, sock := serve(t)
	hc := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, "unix", sock)
	}}}
	resp, err := hc.Post("http://porchlight/v1/shares", "application/json", strings.NewReader(`{"name":"x","path":"/x","evil":1}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("status %d, want 400", resp.StatusCode)
	}
}

func TestEventStream(t *testing.T) {
	c, _ := serve(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var got []string
	err := c.Events(ctx, func(ev api.Event) error {
		got = append(got, ev.Type)
		switch ev.Type {
		case api.EventHello:
			if ev.Status == nil || ev.Status.Name != "Ana" {
				t.Errorf("hello without status: %+v", ev)
			}
			go c.AddShare(ctx, api.NewShare{Name: "Photos", Path: "/p"})
		case api.EventShare:
			if ev.Share.Name != "Photos" {
				t.Errorf("share event %+v", ev.Share)
			}
			return errors.New("done")
		}
		return nil
	})
	if err == nil || err.Error() != "done" {
		t.Fatalf("Events = %v after %v", err, got)
	}
}

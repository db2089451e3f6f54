package app

import (
	"context"
	"net/http"
	"sync"

	"github.com/porchlight/porchlight/app/api"
	"github.com/porchlight/porchlight/app/davproxy"
	"github.com/porchlight/porchlight/app/store"
)

// mounts are the loopback WebDAV proxies to friends' shares, one per
// friend and share, kept while the core runs.
type mounts struct {
	mu     sync.Mutex
	byName map[string]*davproxy.Proxy // friend ID + "/" + share
}

// Mount serves a friend's share on a loopback WebDAV address for the
// resident's own programs (localapi.Core).
func (a *App) Mount(ctx context.Context, req api.NewMount) (api.Mount, error) {
	f, err := a.resolveFriend(ctx, req.Friend)
	if err != nil {
		return api.Mount{}, err
	}
	if req.Share == "" {
		return api.Mount{}, badRequest("name the share as FRIEND:/SHARE")
	}
	// Ask once now, so a share that does not exist or is not ours to use
	// is reported here rather than in the file manager.
	var shares []api.RemoteShare
	if err := a.callFriend(ctx, f.ID, "/share/shares", &shares); err != nil {
		return api.Mount{}, err
	}
	found := false
	for _, s := range shares {
		found = found || s.Name == req.Share
	}
	if !found {
		return api.Mount{}, &api.Error{Status: http.StatusNotFound, Message: f.Name + " shares nothing called " + req.Share + " with you"}
	}
	key := f.ID + "/" + req.Share
	a.mounts.mu.Lock()
	defer a.mounts.mu.Unlock()
	p, ok := a.mounts.byName[key]
	if !ok {
		backend := func(ctx context.Context) (http.RoundTripper, error) { return a.friendTransport(ctx, f) }
		if p, err = davproxy.Start(req.Share, "/dav", backend, a.log.With("subsystem", "davproxy")); err != nil {
			return api.Mount{}, err
		}
		a.mounts.byName[key] = p
	}
	return api.Mount{Friend: f.Name, Share: req.Share, URL: p.URL, User: davproxy.User, Password: p.Password}, nil
}

func (a *App) friendTransport(ctx context.Context, f store.Friend) (http.RoundTripper, error) {
	c, err := a.friendClient(ctx, f)
	if err != nil {
		return nil, err
	}
	return c.Transport, nil
}

func (m *mounts) closeAll() {
	m.mu.Lock()
	defer m.mu.Unlock()
	for k, p := range m.byName {
		p.Close()
		delete(m.byName, k)
	}
}

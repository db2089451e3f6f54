package app

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/porchlight/porchlight/app/lan"
	"github.com/porchlight/porchlight/services/peer"
	"github.com/porchlight/porchlight/services/share"
)

// requireFriend sits in front of every service a friend reaches over a link:
// the peer must still be a friend when each request arrives, so a removed
// friend's next request is refused even on a link that is still up.
func (a *App) requireFriend(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, ok := peer.FromContext(r.Context())
		if ok && r.URL.Path != "/ping" && a.paused(r.Context()) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusServiceUnavailable)
			json.NewEncoder(w).Encode(map[string]string{"error": "sharing is paused for now"})
			return
		}
		if ok {
			if _, err := a.store.Friend(r.Context(), p.ID); err == nil {
				next.ServeHTTP(w, r)
				return
			}
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusForbidden)
		json.NewEncoder(w).Encode(map[string]string{"error": "you are not a friend of this resident"})
	})
}

// mayUseShare is the grant check for shares: the share must not be paused,
// and be open to all friends (the default grant of a new friend), to this
// friend by name, or to friends on this network while this one is.
func (a *App) mayUseShare(ctx context.Context, f share.Folder) bool {
	p, ok := peer.FromContext(ctx)
	if !ok {
		return false
	}
	if f.Audience == share.AudienceNeighbours {
		sh, err := a.store.Share(ctx, f.Name)
		path, _ := a.links.path(p.ID)
		return err == nil && !sh.Paused && path == lan.Path
	}
	ok, err := a.store.MayUse(ctx, f.Name, p.ID)
	if err != nil {
		a.log.Warn("grant check", "share", f.Name, "err", err)
	}
	return ok
}

package app

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/porchlight/porchlight/services/peer"
	"github.com/porchlight/porchlight/services/share"
)

// requireFriend sits in front of every service a friend reaches over a link:
// the peer must still be a friend when each request arrives, so a removed
// friend's next request is refused even on a link that is still up.
func (a *App) requireFriend(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, ok := peer.FromContext(r.Context())
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

// mayUseShare is the grant check for shares: a share whose audience is all
// friends is open to every friend (the default grant of a new friend).
func (a *App) mayUseShare(ctx context.Context, f share.Folder) bool {
	if _, ok := peer.FromContext(ctx); !ok {
		return false
	}
	return f.Audience == share.AudienceAllFriends
}

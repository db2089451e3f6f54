package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/porchlight/porchlight/app/api"
	"github.com/porchlight/porchlight/app/identity"
	"github.com/porchlight/porchlight/app/store"
	"github.com/porchlight/porchlight/services/share"
	"github.com/porchlight/porchlight/signaling/wire"
)

// Status reports the resident's own state (localapi.Core).
func (a *App) Status(ctx context.Context) api.Status {
	name, chosen := a.ownName(ctx)
	st := api.Status{
		ID: a.id.ID(), ShortID: identity.Short(a.id.ID()), Name: name, NameChosen: chosen,
		DataDir: a.cfg.DataDir, State: api.StateDim, Started: a.started, Version: Version, Visibility: a.visibility(ctx),
		Relays: []api.RelayStatus{},
	}
	for _, rs := range a.pool.States() {
		r := api.RelayStatus{URL: rs.URL, State: "offline", Error: rs.LastError}
		if rs.Connected {
			r.State, r.RTTMillis, r.Error = "online", rs.RTT.Milliseconds(), ""
			st.State = api.StateOn
		}
		st.Relays = append(st.Relays, r)
	}
	if a.paused(ctx) {
		st.State = api.StateOff
	}
	if fs, err := a.store.Friends(ctx); err == nil {
		st.Friends = len(fs)
	} else {
		st.Problems = append(st.Problems, err.Error())
	}
	if ss, err := a.store.Folders(ctx); err == nil {
		st.Shares = len(ss)
	} else {
		st.Problems = append(st.Problems, err.Error())
	}
	return st
}

func (a *App) apiFriend(f store.Friend) api.Friend {
	path, rtt := a.links.path(f.ID)
	return api.Friend{ID: f.ID, ShortID: identity.Short(f.ID), Name: f.Name, Relays: f.Relays, Added: f.Added, Link: path, RTTMicros: rtt.Microseconds()}
}

// Friends lists the resident's friends (localapi.Core).
func (a *App) Friends(ctx context.Context) ([]api.Friend, error) {
	fs, err := a.store.Friends(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]api.Friend, 0, len(fs))
	for _, f := range fs {
		out = append(out, a.apiFriend(f))
	}
	return out, nil
}

// resolveFriend finds a friend by ID, name, or a unique prefix of their ID.
func (a *App) resolveFriend(ctx context.Context, q string) (store.Friend, error) {
	fs, err := a.store.Friends(ctx)
	if err != nil {
		return store.Friend{}, err
	}
	lq := strings.ToLower(strings.ReplaceAll(q, "-", ""))
	var byName, byPrefix []store.Friend
	for _, f := range fs {
		if f.ID == lq {
			return f, nil
		}
		if strings.EqualFold(f.Name, q) {
			byName = append(byName, f)
		}
		if len(lq) >= 4 && strings.HasPrefix(f.ID, lq) {
			byPrefix = append(byPrefix, f)
		}
	}
	matches := byName
	if len(matches) == 0 {
		matches = byPrefix
	}
	switch len(matches) {
	case 1:
		return matches[0], nil
	case 0:
		return store.Friend{}, &api.Error{Status: http.StatusNotFound, Message: fmt.Sprintf("no friend called %q (see `porchlight friends`)", q)}
	}
	e := &api.Error{Status: http.StatusConflict, Message: fmt.Sprintf("%q could mean %d friends; use a longer ID prefix", q, len(matches))}
	for _, f := range matches {
		e.Candidates = append(e.Candidates, f.Name+" ("+f.ID+")")
	}
	return store.Friend{}, e
}

// Shares lists the resident's shared folders (localapi.Core).
func (a *App) Shares(ctx context.Context) ([]api.Share, error) {
	shs, err := a.store.Shares(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]api.Share, 0, len(shs))
	for _, sh := range shs {
		out = append(out, a.apiShare(ctx, sh))
	}
	return out, nil
}

func (a *App) apiShare(ctx context.Context, sh store.Share) api.Share {
	s := api.Share{Name: sh.Name, Path: sh.Path, Audience: string(sh.Audience), Mode: string(sh.Mode), Paused: sh.Paused}
	for _, id := range sh.Friends {
		if f, err := a.store.Friend(ctx, id); err == nil {
			s.Friends = append(s.Friends, f.Name)
		}
	}
	return s
}

func parseMode(m string) (share.Mode, error) {
	switch share.Mode(m) {
	case "":
		return share.ModeReadOnly, nil
	case share.ModeReadOnly, share.ModeReadWrite, share.ModeDropBox:
		return share.Mode(m), nil
	}
	return "", badRequest("mode %q must be ro (read-only), rw (read-write) or drop (upload only)", m)
}

// friendIDs resolves names or ID prefixes to friend IDs.
func (a *App) friendIDs(ctx context.Context, names []string) ([]string, error) {
	ids := make([]string, 0, len(names))
	for _, n := range names {
		f, err := a.resolveFriend(ctx, n)
		if err != nil {
			return nil, err
		}
		ids = append(ids, f.ID)
	}
	return ids, nil
}

// AddShare shares a folder: with all friends unless some are chosen,
// read-only unless another mode is asked (localapi.Core).
func (a *App) AddShare(ctx context.Context, req api.NewShare) (api.Share, error) {
	name := strings.TrimSpace(req.Name)
	if name == "" {
		name = filepath.Base(req.Path)
	}
	if _, err := share.CleanPath(name); err != nil || len(name) > 100 || !utf8.ValidString(name) || strings.ContainsAny(name, "/\\:") {
		return api.Share{}, badRequest("a share name needs 1 to 100 characters, without / \\ or :, and not a reserved name")
	}
	if !filepath.IsAbs(req.Path) {
		return api.Share{}, badRequest("the folder must be given as an absolute path, not %q", req.Path)
	}
	info, err := os.Stat(req.Path)
	if err != nil {
		return api.Share{}, badRequest("cannot share %s: %v", req.Path, errors.Unwrap(err))
	}
	if !info.IsDir() {
		return api.Share{}, badRequest("cannot share %s: it is not a folder", req.Path)
	}
	mode, err := parseMode(req.Mode)
	if err != nil {
		return api.Share{}, err
	}
	ids, err := a.friendIDs(ctx, req.Friends)
	if err != nil {
		return api.Share{}, err
	}
	sh := store.Share{Folder: share.Folder{Name: name, Path: filepath.Clean(req.Path), Audience: share.AudienceAllFriends, Mode: mode}, Friends: ids}
	switch {
	case len(ids) > 0:
		sh.Audience = share.AudienceChosen
	case req.Audience == string(share.AudienceNeighbours):
		sh.Audience = share.AudienceNeighbours
	case req.Audience != "" && req.Audience != string(share.AudienceAllFriends):
		return api.Share{}, badRequest("audience %q must be friends, neighbours, or a list of friends", req.Audience)
	}
	if err := a.store.AddShare(ctx, sh); err != nil {
		if errors.Is(err, store.ErrExists) {
			return api.Share{}, &api.Error{Status: http.StatusConflict, Message: fmt.Sprintf("you already share a folder called %q", name)}
		}
		return api.Share{}, err
	}
	return a.publishShare(ctx, sh), nil
}

func (a *App) publishShare(ctx context.Context, sh store.Share) api.Share {
	s := a.apiShare(ctx, sh)
	a.bus.Publish(api.Event{Type: api.EventShare, Share: &s})
	a.publishStatus()
	return s
}

// UpdateShare changes who may use a share, how, or pauses it
// (localapi.Core).
func (a *App) UpdateShare(ctx context.Context, name string, u api.ShareUpdate) (api.Share, error) {
	sh, err := a.store.Share(ctx, name)
	if errors.Is(err, share.ErrNotFound) {
		return api.Share{}, &api.Error{Status: http.StatusNotFound, Message: fmt.Sprintf("you share nothing called %q", name)}
	}
	if err != nil {
		return api.Share{}, err
	}
	if u.Mode != "" {
		if sh.Mode, err = parseMode(u.Mode); err != nil {
			return api.Share{}, err
		}
	}
	switch u.Audience {
	case "":
	case string(share.AudienceAllFriends):
		sh.Audience, sh.Friends = share.AudienceAllFriends, nil
	case string(share.AudienceChosen):
		if sh.Friends, err = a.friendIDs(ctx, u.Friends); err != nil {
			return api.Share{}, err
		}
		sh.Audience = share.AudienceChosen
	case string(share.AudienceNeighbours):
		sh.Audience, sh.Friends = share.AudienceNeighbours, nil
	default:
		return api.Share{}, badRequest("audience %q must be friends, chosen or neighbours", u.Audience)
	}
	if u.Paused != nil {
		sh.Paused = *u.Paused
	}
	if err := a.store.UpdateShare(ctx, sh); err != nil {
		return api.Share{}, err
	}
	return a.publishShare(ctx, sh), nil
}

// RemoveShare stops sharing a folder (localapi.Core).
func (a *App) RemoveShare(ctx context.Context, name string) error {
	sh, err := a.store.Share(ctx, name)
	if err != nil {
		return &api.Error{Status: http.StatusNotFound, Message: fmt.Sprintf("you share nothing called %q", name)}
	}
	if err := a.store.RemoveShare(ctx, name); err != nil {
		return err
	}
	s := a.apiShare(ctx, sh)
	s.Removed = true
	a.bus.Publish(api.Event{Type: api.EventShare, Share: &s})
	a.publishStatus()
	return nil
}

// services is what the resident serves to friends over links: every
// service behind the grant check.
func (a *App) services() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /ping", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	shares := share.NewHandler(a.store, a.mayUseShare, a.log.With("subsystem", "share"))
	mux.Handle("/share/", http.StripPrefix("/share", shares))
	dav := share.NewDAVHandler(a.store, a.mayUseShare, a.log.With("subsystem", "dav"))
	mux.Handle("/dav/", http.StripPrefix("/dav", dav))
	return a.requireFriend(mux)
}

// RemoteShares lists the folders a friend shares with us (localapi.Core).
func (a *App) RemoteShares(ctx context.Context, friend string) ([]api.RemoteShare, error) {
	var out []api.RemoteShare
	return out, a.callFriend(ctx, friend, "/share/shares", &out)
}

// List reads a folder in a friend's share (localapi.Core).
func (a *App) List(ctx context.Context, friend, shareName, path string, offset, limit int) (api.Listing, error) {
	q := url.Values{}
	q.Set("offset", strconv.Itoa(offset))
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	var l api.Listing
	return l, a.callFriend(ctx, friend, remoteSharePath(shareName, "list", path)+"?"+q.Encode(), &l)
}

func remoteSharePath(shareName, verb, path string) string {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	return "/share/shares/" + url.PathEscape(shareName) + "/" + verb + "/" + strings.Join(parts, "/")
}

// callFriend GETs path from a friend's services and decodes the JSON answer.
func (a *App) callFriend(ctx context.Context, friend, path string, out any) error {
	f, err := a.resolveFriend(ctx, friend)
	if err != nil {
		return err
	}
	c, err := a.friendClient(ctx, f)
	if err != nil {
		return &api.Error{Status: http.StatusBadGateway, Message: err.Error()}
	}
	req, err := http.NewRequestWithContext(ctx, "GET", "http://peer"+path, nil)
	if err != nil {
		return err
	}
	resp, err := c.Do(req)
	if err != nil {
		return &api.Error{Status: http.StatusBadGateway, Message: fmt.Sprintf("ask %s: %v", f.Name, err)}
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return remoteError(f.Name, resp)
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 64<<20)).Decode(out); err != nil {
		return fmt.Errorf("read answer from %s: %w", f.Name, err)
	}
	return nil
}

// remoteError turns a friend's error answer into one for the resident.
func remoteError(friendName string, resp *http.Response) error {
	var eb api.ErrorBody
	json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&eb)
	if eb.Error == "" {
		eb.Error = resp.Status
	}
	return &api.Error{Status: resp.StatusCode, Message: friendName + ": " + eb.Error}
}

// RemoveFriend ends a friendship: their grants go, a live link is closed,
// and their next request is refused (localapi.Core).
func (a *App) RemoveFriend(ctx context.Context, friend string) error {
	f, err := a.resolveFriend(ctx, friend)
	if err != nil {
		return err
	}
	// Tell them, so their Porchlight stops listing us; the relay keeps the
	// farewell if they are offline.
	if err := a.sendToFriend(ctx, f, msgFarewell, struct{}{}); err != nil {
		a.log.Info("farewell not sent", "friend", f.ID, "err", err)
	}
	return a.forgetFriend(ctx, f, "removed by you")
}

// forgetFriend deletes a friendship and everything hanging on it.
func (a *App) forgetFriend(ctx context.Context, f store.Friend, why string) error {
	if err := a.store.RemoveFriend(ctx, f.ID); err != nil {
		return err
	}
	a.links.drop(f.ID)
	if err := a.refreshRoutes(ctx); err != nil {
		return err
	}
	a.log.Info("friendship ended", "friend", f.ID, "why", why)
	af := a.apiFriend(f)
	af.Removed = true
	a.bus.Publish(api.Event{Type: api.EventFriend, Friend: &af})
	a.publishStatus()
	return nil
}

// RenameFriend changes the name the resident knows a friend by
// (localapi.Core).
func (a *App) RenameFriend(ctx context.Context, friend, name string) (api.Friend, error) {
	name = trimName(strings.TrimSpace(name))
	if name == "" {
		return api.Friend{}, badRequest("a friend's name cannot be empty")
	}
	f, err := a.resolveFriend(ctx, friend)
	if err != nil {
		return api.Friend{}, err
	}
	if err := a.store.RenameFriend(ctx, f.ID, name); err != nil {
		return api.Friend{}, err
	}
	f.Name = name
	a.publishFriend(ctx, f)
	return a.apiFriend(f), nil
}

// sweepUploads removes what uploads cut off by a crash left in shares that
// take uploads; uploads that start after this run began are left alone.
func (a *App) sweepUploads(ctx context.Context, cutoff time.Time) {
	shs, err := a.store.Shares(ctx)
	if err != nil {
		return
	}
	for _, sh := range shs {
		if sh.Mode == share.ModeReadOnly {
			continue
		}
		if n, err := share.SweepStaleUploads(sh.Path, cutoff); n > 0 || err != nil {
			a.log.Info("removed unfinished uploads", "share", sh.Name, "files", n, "err", err)
		}
	}
}

// paused reports whether the resident paused all sharing.
func (a *App) paused(ctx context.Context) bool {
	v, _ := a.store.Setting(ctx, "paused")
	return v == "true"
}

// SetPaused pauses or resumes all sharing: while paused, friends' requests
// are answered "paused" and the porch light is off (localapi.Core).
func (a *App) SetPaused(ctx context.Context, paused bool) error {
	if err := a.store.SetSetting(ctx, "paused", strconv.FormatBool(paused)); err != nil {
		return err
	}
	a.log.Info("sharing", "paused", paused)
	a.publishStatus()
	return nil
}

// AddRelay adds a relay the resident chose and connects to it
// (localapi.Core).
func (a *App) AddRelay(ctx context.Context, raw string) error {
	u, err := wire.CanonicalURL(strings.TrimSpace(raw))
	if err != nil {
		return badRequest("%q is not a relay address: it looks like wss://relay.example.org/v1/ws", raw)
	}
	if err := a.store.AddRelay(ctx, u, "user"); err != nil {
		return err
	}
	a.pool.Add(u)
	a.publishStatus()
	return nil
}

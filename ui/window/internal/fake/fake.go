// Package fake is an in-memory Porchlight core for the window's tests and
// screenshots. Its Client keeps friends, shares, invites and joins in memory,
// implements the window's Client interface, and pushes events to whoever
// follows its stream, the way the real local API does.
package fake

import (
	"cmp"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/porchlight/porchlight/app/api"
)

// Invite errors, worded like the core's so the window shows them as they are.
var (
	errNotInvite = &api.Error{Status: 400, Message: "this is not a Porchlight invite link"}
	errUnknown   = &api.Error{Status: 400, Message: "this invite link is incomplete or damaged; ask for it again and copy all of it"}
)

// Client is an in-memory core. The zero value is not usable; call New.
type Client struct {
	mu        sync.Mutex
	running   bool
	status    api.Status
	friends   []api.Friend
	shares    []api.Share
	joins     []api.Join
	offers    map[string]api.InviteInfo // link -> what it offers
	invites   []api.Invite
	created   []api.NewInvite
	accepted  []string
	codes     map[string]api.InviteInfo // short code -> what it offers
	codesUsed []string
	newcomers []api.Newcomer
	requests  []api.Request
	settings  api.Settings
	backups   []string // passphrases ExportBackup was called with
	followers map[*follower]struct{}
	now       func() time.Time

	neighbours []api.Neighbour
	remote     map[string]*remoteFriend // friend ID -> what they share
	transfers  []*transfer
	nextXfer   int
	step       time.Duration // how often running transfers progress; 0 freezes them
	ticking    bool          // the progress goroutine runs
	listed     int           // List calls
}

// follower is one open event stream; gone closes when the core stops.
type follower struct {
	events chan api.Event
	gone   chan struct{}
}

// New returns a running core with the given status.
func New(status api.Status) *Client {
	return &Client{
		running:   true,
		status:    status,
		offers:    map[string]api.InviteInfo{},
		codes:     map[string]api.InviteInfo{},
		settings:  api.Settings{Visibility: "friends"},
		followers: map[*follower]struct{}{},
		now:       time.Now,
		remote:    map[string]*remoteFriend{},
		step:      100 * time.Millisecond,
	}
}

// SetFriends replaces the friend list without emitting events.
func (c *Client) SetFriends(fs ...api.Friend) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.friends = slices.Clone(fs)
	c.status.Friends = len(fs)
}

// SetShares replaces the share list without emitting events.
func (c *Client) SetShares(ss ...api.Share) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.shares = slices.Clone(ss)
	c.status.Shares = len(ss)
}

// Offer makes link a valid invite link that InspectInvite describes as info.
func (c *Client) Offer(link string, info api.InviteInfo) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offers[link] = info
}

// SetRunning starts or stops the core. While stopped every call fails with
// api.ErrNotRunning and open event streams break.
func (c *Client) SetRunning(running bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.running = running
	if !running {
		c.breakStreams()
	}
}

// BreakStreams ends every open event stream, as a dropped connection would,
// while the core keeps running.
func (c *Client) BreakStreams() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.breakStreams()
}

func (c *Client) breakStreams() {
	for f := range c.followers {
		close(f.gone)
		delete(c.followers, f)
	}
}

// Followers says how many event streams are open.
func (c *Client) Followers() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.followers)
}

// Accepted lists the links Accept was called with.
func (c *Client) Accepted() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.accepted)
}

// UpdateStatus changes the resident's state with fn and emits EventStatus.
func (c *Client) UpdateStatus(fn func(*api.Status)) {
	c.mu.Lock()
	fn(&c.status)
	s := c.status
	s.Relays = slices.Clone(s.Relays)
	c.mu.Unlock()
	c.Emit(api.Event{Type: api.EventStatus, Status: &s})
}

// AddFriend adds (or updates) a friend and emits EventFriend.
func (c *Client) AddFriend(f api.Friend) {
	c.mu.Lock()
	c.upsertFriend(f)
	c.mu.Unlock()
	c.Emit(api.Event{Type: api.EventFriend, Friend: &f})
}

// CompleteJoin answers the join for inviteID as the inviter would: the
// inviter becomes a friend, then EventFriend and EventJoin are emitted.
func (c *Client) CompleteJoin(inviteID string) error {
	c.mu.Lock()
	i := slices.IndexFunc(c.joins, func(j api.Join) bool { return j.InviteID == inviteID })
	if i < 0 {
		c.mu.Unlock()
		return fmt.Errorf("complete join %s: no such join", inviteID)
	}
	c.joins[i].State = "done"
	j := c.joins[i]
	f := api.Friend{ID: j.InviterID, ShortID: shortID(j.InviterID), Name: j.InviterName, Added: c.now(), Link: "relayed"}
	c.upsertFriend(f)
	c.mu.Unlock()
	c.Emit(api.Event{Type: api.EventFriend, Friend: &f})
	c.Emit(api.Event{Type: api.EventJoin, Join: &j})
	return nil
}

// Emit sends ev to every open event stream.
func (c *Client) Emit(ev api.Event) {
	if ev.Time.IsZero() {
		ev.Time = c.now()
	}
	c.mu.Lock()
	fs := make([]*follower, 0, len(c.followers))
	for f := range c.followers {
		fs = append(fs, f)
	}
	c.mu.Unlock()
	for _, f := range fs {
		select {
		case f.events <- ev:
		case <-f.gone:
		}
	}
}

func (c *Client) upsertFriend(f api.Friend) {
	if i := slices.IndexFunc(c.friends, func(g api.Friend) bool { return g.ID == f.ID }); i >= 0 {
		c.friends[i] = f
	} else {
		c.friends = append(c.friends, f)
	}
	c.status.Friends = len(c.friends)
}

func (c *Client) check() error {
	if !c.running {
		return api.ErrNotRunning
	}
	return nil
}

// Status returns the resident's state.
func (c *Client) Status(ctx context.Context) (api.Status, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.check(); err != nil {
		return api.Status{}, err
	}
	s := c.status
	s.Relays = slices.Clone(s.Relays)
	return s, nil
}

// Friends lists friends.
func (c *Client) Friends(ctx context.Context) ([]api.Friend, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.check(); err != nil {
		return nil, err
	}
	return slices.Clone(c.friends), nil
}

// Shares lists shared folders.
func (c *Client) Shares(ctx context.Context) ([]api.Share, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.check(); err != nil {
		return nil, err
	}
	return slices.Clone(c.shares), nil
}

// InspectInvite describes an offered link, or fails like the core does.
func (c *Client) InspectInvite(ctx context.Context, link string) (api.InviteInfo, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.check(); err != nil {
		return api.InviteInfo{}, err
	}
	info, ok := c.offers[strings.TrimSpace(link)]
	switch {
	case ok:
		return info, nil
	case strings.HasPrefix(strings.TrimSpace(link), "porchlight://invite#"):
		return api.InviteInfo{}, errUnknown
	default:
		return api.InviteInfo{}, errNotInvite
	}
}

// Accept records a waiting join for an offered link.
func (c *Client) Accept(ctx context.Context, link string) (api.Join, error) {
	c.mu.Lock()
	if err := c.check(); err != nil {
		c.mu.Unlock()
		return api.Join{}, err
	}
	c.accepted = append(c.accepted, link)
	info, ok := c.offers[strings.TrimSpace(link)]
	if !ok {
		c.mu.Unlock()
		return api.Join{}, errNotInvite
	}
	j := api.Join{InviteID: info.ID, InviterID: info.InviterID, InviterName: info.InviterName, State: "waiting"}
	c.joins = append(c.joins, j)
	c.mu.Unlock()
	c.Emit(api.Event{Type: api.EventJoin, Join: &j})
	return j, nil
}

// Joins lists accepted invites.
func (c *Client) Joins(ctx context.Context) ([]api.Join, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.check(); err != nil {
		return nil, err
	}
	return slices.Clone(c.joins), nil
}

// AddShare shares a folder, by default with all friends and read-only, and
// emits EventShare.
func (c *Client) AddShare(ctx context.Context, req api.NewShare) (api.Share, error) {
	c.mu.Lock()
	if err := c.check(); err != nil {
		c.mu.Unlock()
		return api.Share{}, err
	}
	name := req.Name
	if name == "" {
		name = filepath.Base(req.Path)
	}
	if slices.ContainsFunc(c.shares, func(s api.Share) bool { return s.Name == name }) {
		c.mu.Unlock()
		return api.Share{}, &api.Error{Status: 409, Message: fmt.Sprintf("a share named %q already exists", name)}
	}
	mode := cmp.Or(req.Mode, "ro")
	if !validMode(mode) {
		c.mu.Unlock()
		return api.Share{}, &api.Error{Status: 400, Message: fmt.Sprintf("unknown mode %q: use ro, rw or drop", mode)}
	}
	s := api.Share{Name: name, Path: req.Path, Audience: "friends", Mode: mode}
	if req.Audience == "neighbours" {
		s.Audience = "neighbours"
	}
	if len(req.Friends) > 0 {
		names, err := c.friendNames(req.Friends)
		if err != nil {
			c.mu.Unlock()
			return api.Share{}, err
		}
		s.Audience, s.Friends = "chosen", names
	}
	c.shares = append(c.shares, s)
	c.status.Shares = len(c.shares)
	c.mu.Unlock()
	c.Emit(api.Event{Type: api.EventShare, Share: &s})
	return s, nil
}

// Events streams EventHello and then every emitted event, until ctx ends
// or the core stops.
func (c *Client) Events(ctx context.Context, fn func(api.Event) error) error {
	c.mu.Lock()
	if err := c.check(); err != nil {
		c.mu.Unlock()
		return err
	}
	f := &follower{events: make(chan api.Event, 256), gone: make(chan struct{})}
	c.followers[f] = struct{}{}
	hello := c.status
	hello.Relays = slices.Clone(hello.Relays)
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		if _, ok := c.followers[f]; ok {
			delete(c.followers, f)
			close(f.gone)
		}
		c.mu.Unlock()
	}()
	if err := fn(api.Event{Type: api.EventHello, Time: c.now(), Status: &hello}); err != nil {
		return err
	}
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-f.gone:
			return fmt.Errorf("follow events: %w", io.ErrUnexpectedEOF)
		case ev := <-f.events:
			if err := fn(ev); err != nil {
				return err
			}
		}
	}
}

func shortID(id string) string {
	if len(id) > 8 {
		return id[:8]
	}
	return id
}

// inviteLink makes a link as long as the core's (about 580 characters): the
// payload carries the inviter's keys and relays.
func inviteLink(id string, s api.Status) string {
	payload := fmt.Sprintf(`{"v":1,"id":%q,"name":%q,"inviter":%q,"relays":%q,"keys":%q}`,
		id, s.Name, s.ID, relayURLs(s), strings.Repeat("k3Y", 100))
	return "porchlight://invite#" + base64.RawURLEncoding.EncodeToString([]byte(payload))
}

func relayURLs(s api.Status) []string {
	var out []string
	for _, r := range s.Relays {
		out = append(out, r.URL)
	}
	return out
}

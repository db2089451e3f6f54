package fake

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/porchlight/porchlight/app/api"
)

// codeWords make the fake's short codes, like the core's "4-purple-sausage".
var codeWords = []string{"purple", "sausage", "harbour", "lantern", "meadow", "pebble", "walnut", "comet"}

// codePattern is the shape of a short code, after normalising.
var codePattern = regexp.MustCompile(`^\d+-[a-z]+-[a-z]+$`)

// CreateInvite makes a link that this same fake can inspect and accept, and
// a short code that AcceptCode takes when req.Code is set. It checks req
// the way the core does and records it (see Created).
func (c *Client) CreateInvite(ctx context.Context, req api.NewInvite) (api.Invite, error) {
	c.mu.Lock()
	if err := c.check(); err != nil {
		c.mu.Unlock()
		return api.Invite{}, err
	}
	ttl := 7 * 24 * time.Hour
	if req.ExpiresIn != "" {
		d, err := time.ParseDuration(req.ExpiresIn)
		if err != nil || d <= 0 || d > 90*24*time.Hour {
			c.mu.Unlock()
			return api.Invite{}, &api.Error{Status: 400, Message: fmt.Sprintf("expiry %q must be a duration between 1s and 2160h", req.ExpiresIn)}
		}
		ttl = d
	}
	if req.MaxUses < 0 || req.MaxUses > 100 {
		c.mu.Unlock()
		return api.Invite{}, &api.Error{Status: 400, Message: "an invite can be used by 1 to 100 people"}
	}
	offered, err := c.offer(req.OfferShares)
	if err != nil {
		c.mu.Unlock()
		return api.Invite{}, err
	}
	c.created = append(c.created, req)
	n := len(c.invites) + 1
	id := fmt.Sprintf("inv%04d", n)
	link := inviteLink(id, c.status)
	inv := api.Invite{ID: id, Link: link, Label: req.Label, Expires: c.now().Add(ttl), MaxUses: max(req.MaxUses, 1), State: "open"}
	info := api.InviteInfo{ID: id, InviterID: c.status.ID, InviterName: c.status.Name, ShortID: c.status.ShortID, Shares: offered, Label: req.Label, Expires: inv.Expires}
	c.offers[link] = info
	if req.Code {
		inv.Code = fmt.Sprintf("%d-%s-%s", n+3, codeWords[n%len(codeWords)], codeWords[(n+1)%len(codeWords)])
		c.codes[inv.Code] = info
	}
	listed := inv
	listed.Link, listed.Code = "", ""
	c.invites = append(c.invites, listed)
	c.mu.Unlock()
	c.Emit(api.Event{Type: api.EventInvite, Invite: &listed})
	return inv, nil
}

// offer is what an invite grants: the named shares, or by default every
// share open to all friends.
func (c *Client) offer(names []string) ([]string, error) {
	var out []string
	for _, s := range c.shares {
		if len(names) == 0 && s.Audience == "friends" || slices.Contains(names, s.Name) {
			out = append(out, s.Name)
		}
	}
	if len(names) > 0 && len(out) != len(names) {
		return nil, &api.Error{Status: 400, Message: fmt.Sprintf("some offered shares do not exist: %v", names)}
	}
	return out, nil
}

// Created lists the requests CreateInvite accepted, in order.
func (c *Client) Created() []api.NewInvite {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.created)
}

// SetInvites replaces the invitations without emitting events.
func (c *Client) SetInvites(invs ...api.Invite) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.invites = slices.Clone(invs)
}

// Invites lists the invitations, without their secrets.
func (c *Client) Invites(ctx context.Context) ([]api.Invite, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.check(); err != nil {
		return nil, err
	}
	return slices.Clone(c.invites), nil
}

// RevokeInvite withdraws an invitation: its link and code stop working,
// and EventInvite is emitted.
func (c *Client) RevokeInvite(ctx context.Context, id string) error {
	c.mu.Lock()
	if err := c.check(); err != nil {
		c.mu.Unlock()
		return err
	}
	i := slices.IndexFunc(c.invites, func(inv api.Invite) bool { return inv.ID == id })
	if i < 0 {
		c.mu.Unlock()
		return &api.Error{Status: 404, Message: fmt.Sprintf("no invite %q", id)}
	}
	c.invites[i].State = "revoked"
	inv := c.invites[i]
	for link, info := range c.offers {
		if info.ID == id {
			delete(c.offers, link)
		}
	}
	for code, info := range c.codes {
		if info.ID == id {
			delete(c.codes, code)
		}
	}
	c.mu.Unlock()
	c.Emit(api.Event{Type: api.EventInvite, Invite: &inv})
	return nil
}

// OfferCode makes code a short code that AcceptCode takes, joining the
// inviter info describes.
func (c *Client) OfferCode(code string, info api.InviteInfo) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.codes[code] = info
}

// CodesAccepted lists the codes AcceptCode was called with, as given.
func (c *Client) CodesAccepted() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.codesUsed)
}

// AcceptCode joins by a short code. An offered code makes the inviter a
// friend at once (both are online) and burns the code; any other code
// fails as the core's does after one wrong guess.
func (c *Client) AcceptCode(ctx context.Context, code string) (api.Join, error) {
	c.mu.Lock()
	if err := c.check(); err != nil {
		c.mu.Unlock()
		return api.Join{}, err
	}
	c.codesUsed = append(c.codesUsed, code)
	norm := strings.ToLower(strings.Join(strings.Fields(strings.ReplaceAll(code, "-", " ")), "-"))
	if !codePattern.MatchString(norm) {
		c.mu.Unlock()
		return api.Join{}, &api.Error{Status: 400, Message: "this is not a Porchlight code; it looks like 4-purple-sausage"}
	}
	info, ok := c.codes[norm]
	if !ok {
		c.mu.Unlock()
		return api.Join{}, &api.Error{Status: 404, Message: "nobody is waiting with this code; check it with your friend, or ask for a new one"}
	}
	delete(c.codes, norm)
	j := api.Join{InviteID: info.ID, InviterID: info.InviterID, InviterName: info.InviterName, State: "done"}
	c.joins = append(c.joins, j)
	f := api.Friend{ID: info.InviterID, ShortID: shortID(info.InviterID), Name: info.InviterName, Added: c.now(), Link: "relayed"}
	c.upsertFriend(f)
	c.mu.Unlock()
	c.Emit(api.Event{Type: api.EventFriend, Friend: &f})
	c.Emit(api.Event{Type: api.EventJoin, Join: &j})
	return j, nil
}

// Knock has a newcomer wait to be let in, and emits EventNewcomer.
func (c *Client) Knock(n api.Newcomer) {
	c.mu.Lock()
	n.State = "waiting"
	if n.Asked.IsZero() {
		n.Asked = c.now()
	}
	c.newcomers = append(c.newcomers, n)
	c.mu.Unlock()
	c.Emit(api.Event{Type: api.EventNewcomer, Newcomer: &n})
}

// Newcomers lists who used an invite that asks, waiting or answered.
func (c *Client) Newcomers(ctx context.Context) ([]api.Newcomer, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.check(); err != nil {
		return nil, err
	}
	return slices.Clone(c.newcomers), nil
}

// AnswerNewcomer lets a waiting newcomer in (they become a friend) or turns
// them away, and emits EventNewcomer.
func (c *Client) AnswerNewcomer(ctx context.Context, id string, admit bool) (api.Newcomer, error) {
	c.mu.Lock()
	if err := c.check(); err != nil {
		c.mu.Unlock()
		return api.Newcomer{}, err
	}
	i := slices.IndexFunc(c.newcomers, func(n api.Newcomer) bool { return n.ID == id })
	if i < 0 || c.newcomers[i].State != "waiting" {
		c.mu.Unlock()
		return api.Newcomer{}, &api.Error{Status: 404, Message: fmt.Sprintf("nobody is waiting as %q", id)}
	}
	n := &c.newcomers[i]
	n.State = "refused"
	var f *api.Friend
	if admit {
		n.State = "admitted"
		f = &api.Friend{ID: n.FriendID, ShortID: n.ShortID, Name: n.Name, Added: c.now(), Link: "relayed"}
		c.upsertFriend(*f)
	}
	out := *n
	c.mu.Unlock()
	if f != nil {
		c.Emit(api.Event{Type: api.EventFriend, Friend: f})
	}
	c.Emit(api.Event{Type: api.EventNewcomer, Newcomer: &out})
	return out, nil
}

package app

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/porchlight/porchlight/app/api"
	"github.com/porchlight/porchlight/app/envelope"
	"github.com/porchlight/porchlight/app/identity"
	"github.com/porchlight/porchlight/app/invite"
	"github.com/porchlight/porchlight/app/store"
	"github.com/porchlight/porchlight/services/share"
)

// Envelope types of the invite protocol.
const (
	msgJoin    = "join"    // friend → inviter, at the invite's drop address
	msgWelcome = "welcome" // inviter → friend, at the invite's reply address
	msgRefuse  = "refuse"  // inviter → friend: the invite cannot be used
)

// DefaultInviteTTL is how long an invite stays valid unless asked otherwise.
const DefaultInviteTTL = 7 * 24 * time.Hour

// joinRetry is how often an unanswered join request is sent again.
const joinRetry = 5 * time.Second

type joinRequest struct {
	InviteID  string   `json:"invite_id"`
	Proof     []byte   `json:"proof"`
	Name      string   `json:"name"`
	Relays    []string `json:"relays"`
	Discovery []byte   `json:"discovery,omitempty"` // the joiner's discovery secret
}

type welcome struct {
	InviteID  string   `json:"invite_id"`
	Secret    []byte   `json:"secret"`
	Name      string   `json:"name"`
	Relays    []string `json:"relays"`
	Discovery []byte   `json:"discovery,omitempty"` // the inviter's discovery secret
}

type refusal struct {
	InviteID string `json:"invite_id"`
	Reason   string `json:"reason"`
}

func badRequest(format string, args ...any) error {
	return &api.Error{Status: http.StatusBadRequest, Message: fmt.Sprintf(format, args...)}
}

// CreateInvite makes an invitation link (localapi.Core).
func (a *App) CreateInvite(ctx context.Context, req api.NewInvite) (api.Invite, error) {
	ttl := DefaultInviteTTL
	if req.ExpiresIn != "" {
		d, err := time.ParseDuration(req.ExpiresIn)
		if err != nil || d <= 0 || d > 90*24*time.Hour {
			return api.Invite{}, badRequest("expiry %q must be a duration between 1s and 2160h", req.ExpiresIn)
		}
		ttl = d
	}
	if req.MaxUses < 0 || req.MaxUses > 100 {
		return api.Invite{}, badRequest("an invite can be used by 1 to 100 people")
	}
	offer, err := a.offer(ctx, req.OfferShares)
	if err != nil {
		return api.Invite{}, err
	}
	relays, err := a.store.Relays(ctx)
	if err != nil {
		return api.Invite{}, err
	}
	secret := invite.NewSecret()
	inv := invite.Invite{Name: a.name(ctx), Relays: relays, Secret: secret, Expires: time.Now().Add(ttl).Truncate(time.Second), Label: req.Label, Offer: offer}
	link, err := invite.Link(a.id, inv)
	if err != nil {
		return api.Invite{}, err
	}
	rec := store.Invite{ID: invite.ID(secret), Secret: secret, Label: req.Label, Offer: offer, Expires: inv.Expires, MaxUses: max(req.MaxUses, 1), Confirm: req.Confirm}
	if err := a.store.CreateInvite(ctx, rec); err != nil {
		return api.Invite{}, err
	}
	if err := a.refreshRoutes(ctx); err != nil {
		return api.Invite{}, err
	}
	out := apiInvite(rec, time.Now())
	out.Link = link
	if req.Code {
		if out.Code, err = a.hostCode(ctx, link); err != nil {
			return api.Invite{}, err
		}
	}
	a.bus.Publish(api.Event{Type: api.EventInvite, Invite: &out})
	return out, nil
}

// offer is what an invite grants: the named shares, or by default every
// share open to all friends.
func (a *App) offer(ctx context.Context, names []string) (invite.Offer, error) {
	folders, err := a.store.Folders(ctx)
	if err != nil {
		return invite.Offer{}, err
	}
	var off invite.Offer
	for _, f := range folders {
		// By default, the shares open to all friends; a named share is
		// offered whoever its audience is.
		if len(names) == 0 && f.Audience == share.AudienceAllFriends || slices.Contains(names, f.Name) {
			off.Shares = append(off.Shares, f.Name)
		}
	}
	if len(names) > 0 && len(off.Shares) != len(names) {
		return off, badRequest("some offered shares do not exist: %v", names)
	}
	return off, nil
}

func inviteState(inv store.Invite, now time.Time) string {
	switch {
	case inv.Revoked:
		return "revoked"
	case inv.Uses >= inv.MaxUses:
		return "used"
	case now.After(inv.Expires):
		return "expired"
	}
	return "open"
}

func apiInvite(inv store.Invite, now time.Time) api.Invite {
	return api.Invite{ID: inv.ID, Label: inv.Label, Expires: inv.Expires, MaxUses: inv.MaxUses, Uses: inv.Uses, State: inviteState(inv, now)}
}

// Invites lists the resident's invitations (localapi.Core).
func (a *App) Invites(ctx context.Context) ([]api.Invite, error) {
	invs, err := a.store.Invites(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]api.Invite, 0, len(invs))
	for _, inv := range invs {
		out = append(out, apiInvite(inv, time.Now()))
	}
	return out, nil
}

// parseInvite decodes and checks a link, with errors meant for residents.
func (a *App) parseInvite(link string) (*invite.Invite, error) {
	inv, err := invite.Parse(link)
	if err != nil {
		return nil, badRequest("%v", err)
	}
	if err := inv.Check(time.Now()); err != nil {
		return nil, badRequest("%v", err)
	}
	if inv.Inviter.ID() == a.id.ID() {
		return nil, badRequest("this is your own invite: send it to the friend you want to invite")
	}
	return inv, nil
}

// InspectInvite tells who sent an invite and what it offers (localapi.Core).
func (a *App) InspectInvite(ctx context.Context, link string) (api.InviteInfo, error) {
	inv, err := a.parseInvite(link)
	if err != nil {
		return api.InviteInfo{}, err
	}
	_, ferr := a.store.Friend(ctx, inv.Inviter.ID())
	return api.InviteInfo{
		ID: inv.ID(), InviterID: inv.Inviter.ID(), InviterName: trimName(inv.Name), ShortID: identity.Short(inv.Inviter.ID()),
		Relays: inv.Relays, Shares: trimNames(inv.Offer.Shares), Label: trimName(inv.Label), Expires: inv.Expires,
		AlreadyFriend: ferr == nil,
	}, nil
}

// Accept accepts an invite: the join request goes to the invite's drop
// address and is resent until the inviter answers (localapi.Core).
func (a *App) Accept(ctx context.Context, link string) (api.Join, error) {
	inv, err := a.parseInvite(link)
	if err != nil {
		return api.Join{}, err
	}
	j := store.Join{InviteID: inv.ID(), Link: link, InviterID: inv.Inviter.ID(), InviterName: trimName(inv.Name)}
	if err := a.store.AddJoin(ctx, j); err != nil {
		return api.Join{}, err
	}
	for _, r := range inv.Relays {
		if err := a.store.AddRelay(ctx, r, "invite"); err != nil {
			return api.Join{}, err
		}
		a.pool.Add(r)
	}
	if err := a.refreshRoutes(ctx); err != nil {
		return api.Join{}, err
	}
	a.sendJoin(ctx, inv)
	return a.join(ctx, inv.ID())
}

func (a *App) join(ctx context.Context, inviteID string) (api.Join, error) {
	joins, err := a.Joins(ctx)
	if err != nil {
		return api.Join{}, err
	}
	for _, j := range joins {
		if j.InviteID == inviteID {
			return j, nil
		}
	}
	return api.Join{}, fmt.Errorf("join %s: %w", inviteID, store.ErrNotFound)
}

// Joins lists accepted invites (localapi.Core).
func (a *App) Joins(ctx context.Context) ([]api.Join, error) {
	js, err := a.store.Joins(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]api.Join, 0, len(js))
	for _, j := range js {
		out = append(out, api.Join{InviteID: j.InviteID, InviterID: j.InviterID, InviterName: j.InviterName, State: j.State, Error: j.Error})
	}
	return out, nil
}

func (a *App) sendJoin(ctx context.Context, inv *invite.Invite) {
	relays, _ := a.store.Relays(ctx)
	req := joinRequest{InviteID: inv.ID(), Proof: invite.Proof(inv.Secret, a.id.ID()), Name: a.name(ctx), Relays: relays, Discovery: a.discoverySecret(ctx)}
	sealed, err := envelope.Seal(a.id, inv.Inviter, msgJoin, req, time.Until(inv.Expires))
	if err != nil {
		a.log.Warn("seal join request", "err", err)
		return
	}
	if err := a.pool.Send(ctx, invite.DropAddress(inv.Secret), sealed); err != nil {
		a.log.Info("join request not sent yet; will retry", "invite", inv.ID(), "err", err)
	}
}

// retryJoins resends unanswered join requests until they are answered, so a
// friendship completes when the inviter comes back online.
func (a *App) retryJoins(ctx context.Context) error {
	t := time.NewTicker(joinRetry)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		joins, err := a.store.Joins(ctx)
		if err != nil {
			return err
		}
		for _, j := range joins {
			if j.State != store.JoinWaiting {
				continue
			}
			inv, err := invite.Parse(j.Link)
			if err != nil {
				continue
			}
			if inv.Check(time.Now()) != nil {
				a.store.RefuseJoin(ctx, j.InviteID, "the invite expired before "+trimName(inv.Name)+" answered")
				a.publishJoin(ctx, j.InviteID)
				continue
			}
			a.sendJoin(ctx, inv)
		}
	}
}

// handleJoinRequest runs on the inviter's side when a join request arrives
// at one of its invites' drop addresses.
func (a *App) handleJoinRequest(ctx context.Context, inviteID string, m *envelope.Message) {
	if m.Type != msgJoin {
		return
	}
	var req joinRequest
	if err := json.Unmarshal(m.Body, &req); err != nil || req.InviteID != inviteID {
		a.log.Warn("refused malformed join request", "invite", inviteID)
		return
	}
	inv, err := a.store.Invite(ctx, inviteID)
	if err != nil {
		return
	}
	joinerID := m.From.ID()
	if !invite.CheckProof(inv.Secret, joinerID, req.Proof) {
		a.log.Warn("refused join request without the invite's secret", "invite", inviteID)
		return
	}
	joiner := store.Friend{ID: joinerID, Name: trimName(req.Name), Keys: m.From, Relays: req.Relays, Discovery: req.Discovery}
	if inv.Confirm && !a.newcomerAdmitted(ctx, inv, joiner) {
		return // the resident decides; the joiner keeps asking meanwhile
	}
	a.welcomeJoiner(ctx, inv, joiner)
}

// welcomeJoiner redeems the invite for joiner (checking single use and
// expiry in one transaction) and answers them: welcome, or why not.
func (a *App) welcomeJoiner(ctx context.Context, inv store.Invite, joiner store.Friend) {
	joiner.Secret = make([]byte, 32)
	rand.Read(joiner.Secret)
	friend, created, err := a.store.Redeem(ctx, inv.ID, joiner)
	if err != nil {
		a.log.Info("join request refused", "invite", inv.ID, "err", err)
		var reason string
		for _, e := range []error{store.ErrInviteUsed, store.ErrInviteExpired, store.ErrInviteRevoked} {
			if errors.Is(err, e) {
				reason = e.Error()
			}
		}
		if reason != "" {
			a.reply(ctx, inv.Secret, joiner.Keys, msgRefuse, refusal{InviteID: inv.ID, Reason: reason})
		}
		return
	}
	relays, _ := a.store.Relays(ctx)
	a.reply(ctx, inv.Secret, joiner.Keys, msgWelcome, welcome{InviteID: inv.ID, Secret: friend.Secret, Name: a.name(ctx), Relays: relays, Discovery: a.discoverySecret(ctx)})
	if created {
		// The invite's offer becomes the new friend's grants: shares open
		// to all friends they get anyway; chosen-friends shares name them.
		for _, name := range inv.Offer.Shares {
			if err := a.store.Grant(ctx, name, friend.ID); err != nil {
				a.log.Warn("grant offered share", "share", name, "err", err)
			}
		}
		a.log.Info("new friend", "friend", friend.ID, "name", friend.Name)
		a.refreshRoutes(ctx)
		a.publishFriend(ctx, friend)
		a.publishInvites(ctx, inv.ID)
	}
}

func (a *App) reply(ctx context.Context, secret []byte, to identity.Public, typ string, body any) {
	sealed, err := envelope.Seal(a.id, to, typ, body, 24*time.Hour)
	if err != nil {
		a.log.Warn("seal answer", "type", typ, "err", err)
		return
	}
	if err := a.pool.Send(ctx, invite.ReplyAddress(secret), sealed); err != nil {
		a.log.Warn("send answer", "type", typ, "err", err)
	}
}

// handleJoinAnswer runs on the friend's side when the inviter answers.
func (a *App) handleJoinAnswer(ctx context.Context, inviteID string, m *envelope.Message) {
	joins, err := a.store.Joins(ctx)
	if err != nil {
		return
	}
	idx := slices.IndexFunc(joins, func(j store.Join) bool { return j.InviteID == inviteID })
	if idx < 0 || joins[idx].State != store.JoinWaiting {
		return
	}
	j := joins[idx]
	if m.From.ID() != j.InviterID {
		a.log.Warn("refused invite answer from someone other than the inviter", "invite", inviteID)
		return
	}
	switch m.Type {
	case msgWelcome:
		var w welcome
		if err := json.Unmarshal(m.Body, &w); err != nil || w.InviteID != inviteID || len(w.Secret) < 16 {
			a.log.Warn("refused malformed welcome", "invite", inviteID)
			return
		}
		f := store.Friend{ID: j.InviterID, Name: trimName(w.Name), Keys: m.From, Secret: w.Secret, Relays: w.Relays, Discovery: w.Discovery}
		if f.Name == "" {
			f.Name = j.InviterName
		}
		if err := a.store.CompleteJoin(ctx, inviteID, f); err != nil {
			a.log.Error("complete join", "err", err)
			return
		}
		a.log.Info("new friend", "friend", f.ID, "name", f.Name)
		a.refreshRoutes(ctx)
		a.publishFriend(ctx, f)
	case msgRefuse:
		var r refusal
		json.Unmarshal(m.Body, &r)
		a.store.RefuseJoin(ctx, inviteID, j.InviterName+" says: "+r.Reason)
		a.refreshRoutes(ctx)
	default:
		return
	}
	a.publishJoin(ctx, inviteID)
}

func (a *App) publishJoin(ctx context.Context, inviteID string) {
	if j, err := a.join(ctx, inviteID); err == nil {
		a.bus.Publish(api.Event{Type: api.EventJoin, Join: &j})
	}
}

func (a *App) publishFriend(ctx context.Context, f store.Friend) {
	af := a.apiFriend(f)
	a.bus.Publish(api.Event{Type: api.EventFriend, Friend: &af})
	a.publishStatus() // the friend count changed
}

func (a *App) publishInvites(ctx context.Context, id string) {
	if inv, err := a.store.Invite(ctx, id); err == nil {
		ai := apiInvite(inv, time.Now())
		a.bus.Publish(api.Event{Type: api.EventInvite, Invite: &ai})
	}
}

// RevokeInvite withdraws an invitation (localapi.Core).
func (a *App) RevokeInvite(ctx context.Context, id string) error {
	if err := a.store.RevokeInvite(ctx, id); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return &api.Error{Status: http.StatusNotFound, Message: "no invite " + id + " (see `porchlight invites`)"}
		}
		return err
	}
	a.publishInvites(ctx, id)
	return nil
}

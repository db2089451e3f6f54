package app

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/porchlight/porchlight/app/api"
	"github.com/porchlight/porchlight/app/identity"
	"github.com/porchlight/porchlight/app/store"
)

// newcomerAdmitted reports whether the resident let joiner in through an
// invite that asks for confirmation. A first request is recorded and
// shown; a refused one is answered with the refusal.
func (a *App) newcomerAdmitted(ctx context.Context, inv store.Invite, joiner store.Friend) bool {
	n, err := a.store.Newcomer(ctx, inv.ID, joiner.ID)
	if err != nil {
		if n, err = a.store.AddNewcomer(ctx, inv.ID, joiner); err != nil {
			a.log.Warn("record newcomer", "err", err)
			return false
		}
		a.log.Info("a newcomer waits for you to let them in", "invite", inv.ID, "name", joiner.Name)
		a.publishNewcomer(inv, n)
	}
	switch n.State {
	case store.NewcomerAdmitted:
		return true
	case store.NewcomerRefused:
		a.reply(ctx, inv.Secret, joiner.Keys, msgRefuse, refusal{InviteID: inv.ID, Reason: a.name(ctx) + " did not let you in"})
	}
	return false
}

func newcomerID(inviteID, friendID string) string { return inviteID + "-" + friendID[:8] }

func (a *App) apiNewcomer(inv store.Invite, n store.Newcomer) api.Newcomer {
	return api.Newcomer{ID: newcomerID(n.InviteID, n.Friend.ID), FriendID: n.Friend.ID, ShortID: identity.Short(n.Friend.ID),
		Name: n.Friend.Name, Invite: inv.Label, State: n.State, Asked: n.Created}
}

func (a *App) publishNewcomer(inv store.Invite, n store.Newcomer) {
	an := a.apiNewcomer(inv, n)
	a.bus.Publish(api.Event{Type: api.EventNewcomer, Newcomer: &an})
}

// Newcomers lists people waiting to be let in, and those answered
// (localapi.Core).
func (a *App) Newcomers(ctx context.Context) ([]api.Newcomer, error) {
	ns, err := a.store.Newcomers(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]api.Newcomer, 0, len(ns))
	for _, n := range ns {
		inv, err := a.store.Invite(ctx, n.InviteID)
		if err != nil {
			continue
		}
		out = append(out, a.apiNewcomer(inv, n))
	}
	return out, nil
}

// AnswerNewcomer lets a newcomer in, or turns them away (localapi.Core).
func (a *App) AnswerNewcomer(ctx context.Context, id string, admit bool) (api.Newcomer, error) {
	inviteID, prefix, _ := strings.Cut(id, "-")
	ns, err := a.store.Newcomers(ctx)
	if err != nil {
		return api.Newcomer{}, err
	}
	for _, n := range ns {
		if n.InviteID != inviteID || !strings.HasPrefix(n.Friend.ID, prefix) || prefix == "" {
			continue
		}
		if n.State != store.NewcomerWaiting {
			return api.Newcomer{}, badRequest("%s was already answered (%s)", n.Friend.Name, n.State)
		}
		inv, err := a.store.Invite(ctx, inviteID)
		if err != nil {
			return api.Newcomer{}, err
		}
		n.State = store.NewcomerRefused
		if admit {
			n.State = store.NewcomerAdmitted
		}
		if err := a.store.SetNewcomerState(ctx, inviteID, n.Friend.ID, n.State); err != nil {
			return api.Newcomer{}, err
		}
		if admit {
			a.welcomeJoiner(ctx, inv, n.Friend)
		} else {
			a.newcomerAdmitted(ctx, inv, n.Friend) // sends the refusal
		}
		a.publishNewcomer(inv, n)
		return a.apiNewcomer(inv, n), nil
	}
	return api.Newcomer{}, &api.Error{Status: http.StatusNotFound, Message: fmt.Sprintf("nobody waits as %q (see `porchlight newcomers`)", id)}
}

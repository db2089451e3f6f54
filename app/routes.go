package app

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"time"

	"github.com/porchlight/porchlight/app/invite"
	"github.com/porchlight/porchlight/app/store"
	"github.com/porchlight/porchlight/signaling/client"
	"github.com/porchlight/porchlight/signaling/wire"
)

// A route says what an address the resident listens on is for.
type route struct {
	kind string // routeFriend, routeInvite or routeJoin
	key  string // friend ID, invite ID or invite ID
}

// refusalGrace is how long after an invite expires its drop address is
// still watched, to answer late join requests with a refusal.
const refusalGrace = 24 * time.Hour

const (
	routeFriend = "friend" // a friend's messages to us
	routeInvite = "invite" // join requests for one of our invites
	routeJoin   = "join"   // the answer to an invite we accepted
	routeCode   = "code"   // a short code's meeting place (not sealed)
)

// inboxAddress is where friends send envelopes for recipientID: derived
// from the friendship's secret, so only the two friends can compute it and
// nobody who merely knows a key can tell when its owner is online.
func inboxAddress(secret []byte, recipientID string) [32]byte {
	b := []byte("porchlight/v1/address/inbox\x00")
	b = binary.BigEndian.AppendUint16(b, uint16(len(secret)))
	b = append(b, secret...)
	return sha256.Sum256(append(b, recipientID...))
}

// refreshRoutes recomputes the addresses to listen on from the store and
// (un)subscribes the relays to match.
func (a *App) refreshRoutes(ctx context.Context) error {
	want := make(map[[32]byte]route)
	friends, err := a.store.Friends(ctx)
	if err != nil {
		return err
	}
	for _, f := range friends {
		want[inboxAddress(f.Secret, a.id.ID())] = route{routeFriend, f.ID}
	}
	invites, err := a.store.Invites(ctx)
	if err != nil {
		return err
	}
	now := time.Now()
	for _, inv := range invites {
		// Listen a day past expiry, and after an invite is used up or
		// withdrawn, so that a late joiner is told why, not left waiting.
		if now.Before(inv.Expires.Add(refusalGrace)) {
			want[invite.DropAddress(inv.Secret)] = route{routeInvite, inv.ID}
		}
	}
	joins, err := a.store.Joins(ctx)
	if err != nil {
		return err
	}
	for _, j := range joins {
		if j.State != store.JoinWaiting {
			continue
		}
		if inv, err := invite.Parse(j.Link); err == nil {
			want[invite.ReplyAddress(inv.Secret)] = route{routeJoin, j.InviteID}
		}
	}

	for _, addr := range a.codes.addresses() {
		want[addr] = route{routeCode, ""}
	}

	a.mu.Lock()
	var add, drop []wire.Address
	for addr := range want {
		if _, ok := a.routes[addr]; !ok {
			add = append(add, addr)
		}
	}
	for addr := range a.routes {
		if _, ok := want[addr]; !ok {
			drop = append(drop, addr)
		}
	}
	a.routes = want
	a.mu.Unlock()
	a.pool.Unsubscribe(drop...)
	a.pool.Subscribe(add...)
	return nil
}

// receive handles an envelope a relay delivered to one of our addresses.
// It runs on the relay client's goroutine; the relay gets its ack when it
// returns, so anything slow is started in the background.
func (a *App) receive(m client.Message) {
	a.mu.Lock()
	r, ok := a.routes[m.To]
	a.mu.Unlock()
	if !ok {
		return
	}
	if r.kind == routeCode {
		a.handleCodeMessage(a.runCtx(), m.To, m)
		return
	}
	msg, err := a.opener.Open(m.Payload)
	if err != nil {
		a.log.Warn("refused envelope", "relay", m.Relay, "route", r.kind, "err", err)
		return
	}
	ctx := a.runCtx()
	switch r.kind {
	case routeInvite:
		a.handleJoinRequest(ctx, r.key, msg)
	case routeJoin:
		a.handleJoinAnswer(ctx, r.key, msg)
	case routeFriend:
		a.handleFriendMessage(ctx, r.key, msg)
	}
}

package window

import (
	"context"
	"errors"
	"fmt"
	"time"

	"fyne.io/fyne/v2"

	"github.com/porchlight/porchlight/app/api"
)

// Reconnect backoff for the event stream.
const (
	minBackoff = 250 * time.Millisecond
	maxBackoff = 8 * time.Second
)

// follow keeps one event stream open, reconnecting with backoff, until ctx
// ends. Every (re)connect starts with EventHello, which reloads everything.
func (w *Window) follow(ctx context.Context) {
	backoff := minBackoff
	for ctx.Err() == nil {
		err := w.client.Events(ctx, func(ev api.Event) error {
			backoff = minBackoff
			w.handle(ctx, ev)
			return nil
		})
		if ctx.Err() != nil {
			return
		}
		w.log.Debug("event stream ended", "err", err, "retry_in", backoff)
		w.streamBroke(err)
		select {
		case <-ctx.Done():
			return
		case <-w.retry:
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, maxBackoff)
	}
}

// Retry reconnects at once instead of waiting out the backoff.
func (w *Window) Retry() {
	select {
	case w.retry <- struct{}{}:
	default:
	}
}

// handle applies one event; it runs on the stream's goroutine.
func (w *Window) handle(ctx context.Context, ev api.Event) {
	switch ev.Type {
	case api.EventHello:
		fyne.Do(w.reached)
		if err := w.Refresh(ctx); err != nil {
			w.log.Warn("refresh after connect", "err", err)
		}
	case api.EventStatus:
		if ev.Status != nil {
			s := *ev.Status
			fyne.Do(func() { w.home.setStatus(s); w.friends.visibility.set(s.Visibility) })
		}
	case api.EventFriend:
		if ev.Friend != nil {
			f := *ev.Friend
			fyne.Do(func() { w.accept.friendChanged(f) })
		}
		w.refreshFriends(ctx)
	case api.EventJoin:
		if ev.Join != nil {
			j := *ev.Join
			fyne.Do(func() { w.accept.joinChanged(j) })
		}
	case api.EventShare:
		w.refreshShares(ctx)
	case api.EventTransfer:
		if ev.Transfer != nil {
			t := *ev.Transfer
			fyne.Do(func() { w.transfers.changed(t) })
		}
	case api.EventNeighbours:
		w.refreshNeighbours(ctx)
	case api.EventInvite:
		w.refreshInvites(ctx)
	case api.EventNewcomer:
		w.refreshNewcomers(ctx)
	case api.EventRequest:
		if ev.Request != nil {
			r := *ev.Request
			fyne.Do(func() { w.friends.requestChanged(r) })
		}
	}
}

// Refresh reloads every view from the core. The event stream calls it on
// every (re)connect. It waits for the core, so call it off fyne's goroutine.
func (w *Window) Refresh(ctx context.Context) error {
	s, err := w.client.Status(ctx)
	if err != nil {
		w.lost(err)
		return fmt.Errorf("refresh status: %w", err)
	}
	fyne.Do(func() { w.home.setStatus(s); w.friends.visibility.set(s.Visibility) })
	errs := []error{w.refreshFriends(ctx), w.refreshShares(ctx), w.refreshNeighbours(ctx), w.refreshTransfers(ctx),
		w.refreshInvites(ctx), w.refreshNewcomers(ctx), w.refreshRequests(ctx)}
	joins, err := w.client.Joins(ctx)
	if err != nil {
		errs = append(errs, fmt.Errorf("refresh joins: %w", err))
	} else {
		fyne.Do(func() { w.accept.joinsLoaded(joins) })
	}
	return errors.Join(errs...)
}

func (w *Window) refreshFriends(ctx context.Context) error {
	fs, err := w.client.Friends(ctx)
	if err != nil {
		w.lost(err)
		return fmt.Errorf("refresh friends: %w", err)
	}
	fyne.Do(func() {
		w.home.setFriends(fs)
		w.friends.setFriends(fs)
		w.browse.setFriends(fs)
		w.share.setFriends(fs)
	})
	return nil
}

func (w *Window) refreshNeighbours(ctx context.Context) error {
	ns, err := w.client.Neighbours(ctx)
	if err != nil {
		w.lost(err)
		return fmt.Errorf("refresh neighbours: %w", err)
	}
	fyne.Do(func() { w.friends.setNeighbours(ns) })
	return nil
}

func (w *Window) refreshTransfers(ctx context.Context) error {
	ts, err := w.client.Transfers(ctx)
	if err != nil {
		w.lost(err)
		return fmt.Errorf("refresh transfers: %w", err)
	}
	fyne.Do(func() { w.transfers.setTransfers(ts) })
	return nil
}

func (w *Window) refreshShares(ctx context.Context) error {
	ss, err := w.client.Shares(ctx)
	if err != nil {
		w.lost(err)
		return fmt.Errorf("refresh shares: %w", err)
	}
	fyne.Do(func() {
		w.home.setShares(ss)
		w.share.setShares(ss)
		w.invite.setShares(ss)
	})
	return nil
}

func (w *Window) refreshInvites(ctx context.Context) error {
	invs, err := w.client.Invites(ctx)
	if err != nil {
		w.lost(err)
		return fmt.Errorf("refresh invites: %w", err)
	}
	fyne.Do(func() { w.invite.list.setInvites(invs) })
	return nil
}

func (w *Window) refreshNewcomers(ctx context.Context) error {
	ns, err := w.client.Newcomers(ctx)
	if err != nil {
		w.lost(err)
		return fmt.Errorf("refresh newcomers: %w", err)
	}
	fyne.Do(func() { w.invite.list.setNewcomers(ns) })
	return nil
}

func (w *Window) refreshRequests(ctx context.Context) error {
	rs, err := w.client.Requests(ctx)
	if err != nil {
		w.lost(err)
		return fmt.Errorf("refresh friend requests: %w", err)
	}
	fyne.Do(func() { w.friends.requestsLoaded(rs) })
	return nil
}

// lost covers the window with the not-running notice when err says the
// core is not running; other errors are left to whoever made the call.
// It is safe to call from any goroutine.
func (w *Window) lost(err error) {
	if errors.Is(err, api.ErrNotRunning) {
		fyne.Do(func() {
			w.main.Hide()
			w.offline.content.Show()
		})
	}
}

// streamBroke reports why the event stream ended, until it is back.
func (w *Window) streamBroke(err error) {
	var apiErr *api.Error
	switch {
	case errors.Is(err, api.ErrNotRunning):
		w.lost(err)
	case errors.As(err, &apiErr):
		fyne.Do(func() {
			w.banner.show(sentence("Porchlight refused to send updates: " + apiErr.Message + "; trying again"))
		})
	default:
		fyne.Do(func() { w.banner.show("Lost touch with Porchlight; reconnecting…") })
	}
}

// reached shows the views again once the core answers.
func (w *Window) reached() {
	w.offline.content.Hide()
	w.main.Show()
	w.banner.hide()
}

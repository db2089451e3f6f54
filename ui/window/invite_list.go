package window

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/porchlight/porchlight/app/api"
)

// Newcomer states, as the local API reports them.
const newcomerWaiting = "waiting"

// inviteList is the lower half of the Invite view: the people waiting to be
// let in through invitations that ask, and the invitations made, each with
// a button to withdraw it.
type inviteList struct {
	w         *Window
	waiting   *widget.Card // hidden while nobody waits
	newcomers *fyne.Container
	invites   *widget.Card
	rows      *fyne.Container
	err       *widget.Label
}

func newInviteList(w *Window) *inviteList {
	l := &inviteList{w: w, newcomers: container.NewVBox(), rows: container.NewVBox(), err: errorText()}
	l.waiting = panel("Waiting to come in", l.newcomers)
	l.invites = panel("Your invitations", container.NewVBox(l.err, l.rows))
	l.setNewcomers(nil)
	l.setInvites(nil)
	return l
}

// setNewcomers lists who waits to be let in.
func (l *inviteList) setNewcomers(ns []api.Newcomer) {
	var rows []fyne.CanvasObject
	for _, n := range ns {
		if n.State == newcomerWaiting {
			rows = append(rows, l.newcomerRow(n))
		}
	}
	setRows(l.newcomers, rows)
	if len(rows) == 0 {
		l.waiting.Hide()
	} else {
		l.waiting.Show()
	}
}

func (l *inviteList) newcomerRow(n api.Newcomer) fyne.CanvasObject {
	detail := fmt.Sprintf("ID %s · used your invitation “%s”", n.ShortID, cmp.Or(n.Invite, "without a label"))
	in := widget.NewButtonWithIcon("Let in", theme.ConfirmIcon(), func() { l.answer(n, true) })
	in.Importance = widget.HighImportance
	away := widget.NewButtonWithIcon("Turn away", theme.CancelIcon(), func() { l.answer(n, false) })
	away.Importance = widget.LowImportance
	return container.NewBorder(nil, nil, avatar(n.Name), container.NewCenter(container.NewHBox(in, away)), itemText(n.Name, detail))
}

// answer lets a newcomer in or turns them away, in the background; the
// core's EventNewcomer updates the list.
func (l *inviteList) answer(n api.Newcomer, admit bool) {
	l.w.call(func(ctx context.Context) {
		_, err := l.w.client.AnswerNewcomer(ctx, n.ID, admit)
		l.w.lost(err)
		fyne.Do(func() { showError(l.err, errorMessage("Could not answer "+n.Name, err)) })
		if err == nil {
			l.w.refreshNewcomers(ctx)
		}
	})
}

// setInvites lists the invitations, newest first.
func (l *inviteList) setInvites(invs []api.Invite) {
	invs = slices.Clone(invs)
	slices.Reverse(invs)
	rows := make([]fyne.CanvasObject, 0, len(invs))
	for _, inv := range invs {
		rows = append(rows, l.inviteRow(inv))
	}
	if len(rows) == 0 {
		rows = append(rows, note("No invitations yet."))
	}
	setRows(l.rows, rows)
}

func (l *inviteList) inviteRow(inv api.Invite) fyne.CanvasObject {
	title := cmp.Or(inv.Label, "Invitation without a label")
	icon := widget.NewIcon(theme.MailSendIcon())
	if inv.State != "open" {
		return container.NewBorder(nil, nil, icon, nil, itemText(title, inviteState(inv)))
	}
	withdraw := widget.NewButtonWithIcon("Withdraw", theme.DeleteIcon(), func() { l.askWithdraw(inv) })
	withdraw.Importance = widget.LowImportance
	return container.NewBorder(nil, nil, icon, container.NewCenter(withdraw), itemText(title, inviteState(inv)))
}

// inviteState says in words where an invitation stands.
func inviteState(inv api.Invite) string {
	switch inv.State {
	case "open":
		return fmt.Sprintf("Open · used by %d of %d · until %s", inv.Uses, inv.MaxUses, inv.Expires.Local().Format("Mon 2 Jan 15:04"))
	case "used":
		return "Used up"
	case "expired":
		return "Expired on " + inv.Expires.Local().Format("Mon 2 Jan")
	case "revoked":
		return "Withdrawn"
	}
	return inv.State
}

// askWithdraw asks before an invitation stops working.
func (l *inviteList) askWithdraw(inv api.Invite) {
	what := "this invitation"
	if inv.Label != "" {
		what = "the invitation for " + inv.Label
	}
	l.w.confirmDanger("Withdraw "+what+"?", "Its link and code will stop working.\nFriends who already joined stay friends.",
		"Withdraw", "Keep", func(ctx context.Context) { l.withdraw(ctx, inv) })
}

func (l *inviteList) withdraw(ctx context.Context, inv api.Invite) {
	err := l.w.client.RevokeInvite(ctx, inv.ID)
	l.w.lost(err)
	fyne.Do(func() { showError(l.err, errorMessage("Could not withdraw the invitation", err)) })
	if err == nil {
		l.w.refreshInvites(ctx)
	}
}

package window

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/porchlight/porchlight/app/api"
)

// requestList follows friend requests between neighbours: it asks a
// neighbour, shows the code both screens must agree on, pops that dialog
// when a neighbour asks, and lists the requests still to be confirmed.
type requestList struct {
	v         *friendsView
	byID      map[string]api.Request
	order     []string                 // request IDs as first seen
	open      map[string]dialog.Dialog // code dialogs showing, by request ID
	shown     map[string]bool          // requests whose dialog has popped up once
	confirmed map[string]bool          // requests the resident confirmed, waiting for the other side
	rows      *fyne.Container
	content   *widget.Card // hidden while no request waits
}

func newRequestList(v *friendsView) *requestList {
	l := &requestList{v: v, byID: map[string]api.Request{}, open: map[string]dialog.Dialog{},
		shown: map[string]bool{}, confirmed: map[string]bool{}, rows: container.NewVBox()}
	l.content = panel("Friend requests", l.rows)
	l.content.Hide()
	return l
}

// ask sends a friend request to a visible neighbour in the background and
// shows the code to compare.
func (l *requestList) ask(n api.Neighbour) {
	name := cmp.Or(n.Name, "your neighbour")
	l.v.w.call(func(ctx context.Context) {
		r, err := l.v.w.client.RequestNeighbour(ctx, n.ID)
		l.v.w.lost(err)
		fyne.Do(func() {
			l.v.report(errorMessage("Could not ask "+name, err), "")
			if err == nil {
				l.changed(r)
				l.showCode(r)
			}
		})
	})
}

// changed takes in a request's new state: it pops the code dialog for a
// neighbour's new request, closes it once the request is settled, and says
// how it ended.
func (l *requestList) changed(r api.Request) {
	old, known := l.byID[r.ID]
	if !known {
		l.order = append(l.order, r.ID)
	}
	l.byID[r.ID] = r
	if r.State != api.RequestConfirm {
		if d, ok := l.open[r.ID]; ok {
			delete(l.open, r.ID)
			d.Hide()
		}
		if known && old.State == api.RequestConfirm {
			l.settled(r)
		}
	} else if !r.Outgoing && !l.shown[r.ID] {
		l.showCode(r)
	}
	l.list()
}

// settled says how a request ended.
func (l *requestList) settled(r api.Request) {
	switch r.State {
	case api.RequestDone:
		l.v.report("", fmt.Sprintf("You and %s are now friends.", r.PeerName))
	case api.RequestRefused:
		l.v.report("", fmt.Sprintf("No friendship with %s: the request was turned down.", r.PeerName))
	default:
		l.v.report(sentence(fmt.Sprintf("The friend request with %s failed: %s", r.PeerName, cmp.Or(r.Error, r.State))), "")
	}
}

// list shows the requests still waiting to be confirmed.
func (l *requestList) list() {
	var rows []fyne.CanvasObject
	for _, id := range l.order {
		if r := l.byID[id]; r.State == api.RequestConfirm {
			rows = append(rows, l.row(r))
		}
	}
	setRows(l.rows, rows)
	if len(rows) == 0 {
		l.content.Hide()
	} else {
		l.content.Show()
	}
}

func (l *requestList) row(r api.Request) fyne.CanvasObject {
	detail := fmt.Sprintf("asks to be friends · code %s", r.Code)
	if r.Outgoing {
		detail = fmt.Sprintf("you asked · code %s", r.Code)
	}
	if l.confirmed[r.ID] {
		return container.NewBorder(nil, nil, avatar(r.PeerName), nil, itemText(r.PeerName, fmt.Sprintf("you confirmed · waiting for %s", r.PeerName)))
	}
	compare := widget.NewButtonWithIcon("Compare codes", theme.VisibilityIcon(), func() { l.showCode(r) })
	return container.NewBorder(nil, nil, avatar(r.PeerName), container.NewCenter(compare), itemText(r.PeerName, detail))
}

// showCode shows the code both screens must agree on, with Confirm and
// Not the same; one dialog per request at a time.
func (l *requestList) showCode(r api.Request) {
	l.shown[r.ID] = true
	if _, ok := l.open[r.ID]; ok || r.State != api.RequestConfirm {
		return
	}
	code := canvas.NewText(r.Code, theme.Color(theme.ColorNameForeground))
	code.TextSize, code.TextStyle, code.Alignment = 40, fyne.TextStyle{Bold: true, Monospace: true}, fyne.TextAlignCenter
	body := container.NewVBox(
		widget.NewLabel(fmt.Sprintf("Check that %s's screen shows", r.PeerName)),
		code,
		widget.NewLabel(fmt.Sprintf("Confirm only if the numbers are the same.\nIf not, someone else may be pretending to be %s.", r.PeerName)),
	)
	var d dialog.Dialog
	d = dialog.NewCustomConfirm(fmt.Sprintf("Be friends with %s?", r.PeerName), "Confirm", "Not the same", body, func(ok bool) {
		if l.open[r.ID] != d {
			return // closed because the request was settled elsewhere
		}
		delete(l.open, r.ID)
		l.answer(r, ok)
	}, l.v.w.win)
	l.open[r.ID] = d
	d.Show()
}

// answer confirms or refuses a request in the background.
func (l *requestList) answer(r api.Request, confirm bool) {
	if confirm {
		l.confirmed[r.ID] = true
		l.list()
	}
	l.v.w.call(func(ctx context.Context) {
		got, err := l.v.w.client.AnswerRequest(ctx, r.ID, confirm)
		l.v.w.lost(err)
		fyne.Do(func() {
			if err != nil {
				delete(l.confirmed, r.ID)
				l.v.report(errorMessage("Could not answer "+r.PeerName, err), "")
				l.list()
				return
			}
			l.changed(got)
		})
	})
}

// pending lists the requests waiting to be confirmed, for tests.
func (l *requestList) pending() []api.Request {
	var out []api.Request
	for _, id := range l.order {
		if r := l.byID[id]; r.State == api.RequestConfirm {
			out = append(out, r)
		}
	}
	return slices.Clip(out)
}

package window

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/porchlight/porchlight/app/api"
)

// Join states, as the local API reports them.
const (
	joinWaiting = "waiting"
	joinDone    = "done"
	joinRefused = "refused"
)

// acceptView takes an invitation link, says who sent it and what they offer,
// accepts it, and follows the join until the friendship is made.
type acceptView struct {
	w       *Window
	link    *widget.Entry
	check   *widget.Button
	err     *widget.Label
	offer   fyne.CanvasObject
	inviter *widget.Label
	face    *fyne.Container
	id      *widget.RichText
	shares  *fyne.Container
	detail  *widget.RichText
	accept  *widget.Button
	spinner *widget.Activity
	outcome *widget.Label
	looking fyne.CanvasObject // while a short code is being answered
	seeking *widget.Activity

	checked string    // the link the offer describes
	pending *api.Join // the join after Accept, until it is done or refused
	content fyne.CanvasObject
}

func newAcceptView(w *Window) *acceptView {
	v := &acceptView{
		w:       w,
		link:    widget.NewEntry(),
		err:     errorText(),
		inviter: subheading(""),
		id:      caption(""),
		face:    container.NewStack(),
		shares:  container.NewVBox(),
		detail:  caption(""),
		spinner: widget.NewActivity(),
		outcome: note(""),
		seeking: widget.NewActivity(),
	}
	v.link.SetPlaceHolder("porchlight://invite#…  or a code like 4-purple-sausage")
	v.link.OnSubmitted = func(string) { v.submitLink() }
	v.check = widget.NewButtonWithIcon("Open invitation", theme.SearchIcon(), v.submitLink)
	v.accept = widget.NewButtonWithIcon("Accept invitation", theme.ConfirmIcon(), v.submitAccept)
	v.accept.Importance = widget.HighImportance
	v.spinner.Hide()
	v.outcome.TextStyle.Bold = true
	v.outcome.Hide()

	who := container.NewBorder(nil, nil, v.face, nil, container.NewVBox(v.inviter, v.id))
	v.offer = widget.NewCard("", "", container.NewVBox(
		who, v.shares, v.detail,
		container.NewHBox(v.accept),
		container.NewBorder(nil, nil, v.spinner, nil, v.outcome),
	))
	v.offer.Hide()

	v.looking = container.NewHBox(v.seeking, widget.NewLabel("Looking for your friend… this can take half a minute."))
	v.looking.Hide()

	form := container.NewBorder(nil, nil, nil, v.check, v.link)
	v.content = page("Accept an invitation",
		"Paste the invitation link a friend sent you, or type the code they read out to you. With a link, you see who it is from before you accept.",
		container.NewVBox(form, v.looking, v.err, v.offer))
	return v
}

// open fills in link and looks it up; Show calls it for --view accept URL.
func (v *acceptView) open(link string) {
	v.link.SetText(link)
	v.submitLink()
}

// submitLink looks the entered link up in the background.
func (v *acceptView) submitLink() {
	link := strings.TrimSpace(v.link.Text)
	if link == "" {
		showError(v.err, "Paste the invitation link first.")
		return
	}
	if code, ok := shortCode(link); ok {
		v.submitCode(code)
		return
	}
	v.check.Disable()
	v.w.call(func(ctx context.Context) { v.inspect(ctx, link) })
}

// inspect asks the core what link offers and shows it, or why it is no good.
func (v *acceptView) inspect(ctx context.Context, link string) {
	info, err := v.w.client.InspectInvite(ctx, link)
	v.w.lost(err)
	fyne.Do(func() {
		v.check.Enable()
		if err != nil {
			v.offer.Hide()
			v.checked = ""
			showError(v.err, err.Error())
			return
		}
		showError(v.err, "")
		v.showOffer(link, info)
	})
}

func (v *acceptView) showOffer(link string, info api.InviteInfo) {
	v.checked, v.pending = link, nil
	v.inviter.SetText(fmt.Sprintf("%s invites you to be friends", info.InviterName))
	setCaption(v.id, fmt.Sprintf("ID %s: if you can, check it with %s.", info.ShortID, info.InviterName))
	setRows(v.face, []fyne.CanvasObject{avatar(info.InviterName)})
	rows := []fyne.CanvasObject{note("They do not share any folders yet.")}
	if len(info.Shares) > 0 {
		rows = []fyne.CanvasObject{note(fmt.Sprintf("%s shares with you:", info.InviterName))}
		for _, s := range info.Shares {
			rows = append(rows, container.NewBorder(nil, nil, widget.NewIcon(theme.FolderIcon()), nil, widget.NewLabel(s)))
		}
	}
	setRows(v.shares, rows)
	var detail []string
	if info.Label != "" {
		detail = append(detail, "Invitation “"+info.Label+"”")
	}
	if !info.Expires.IsZero() {
		detail = append(detail, "valid until "+info.Expires.Local().Format("Monday 2 January at 15:04"))
	}
	setCaption(v.detail, strings.Join(detail, ", "))
	v.spinner.Stop()
	v.spinner.Hide()
	v.accept.Show()
	if info.AlreadyFriend {
		v.accept.Disable()
		v.setOutcome(fmt.Sprintf("You and %s are already friends.", info.InviterName), widget.MediumImportance)
	} else {
		v.accept.Enable()
		v.outcome.Hide()
	}
	v.offer.Show()
}

// submitAccept accepts the shown invitation in the background.
func (v *acceptView) submitAccept() {
	if v.checked == "" {
		return
	}
	v.accept.Disable()
	link := v.checked
	v.w.call(func(ctx context.Context) { v.acceptLink(ctx, link) })
}

// acceptLink accepts link and follows the join it starts.
func (v *acceptView) acceptLink(ctx context.Context, link string) {
	j, err := v.w.client.Accept(ctx, link)
	v.w.lost(err)
	fyne.Do(func() {
		if err != nil {
			v.accept.Enable()
			showError(v.err, errorMessage("Could not accept the invitation", err))
			return
		}
		showError(v.err, "")
		v.pending = &j
		v.joinChanged(j)
	})
}

// joinChanged follows the pending join; other joins are ignored.
func (v *acceptView) joinChanged(j api.Join) {
	if v.pending == nil || !sameJoin(*v.pending, j) || v.pending.State == joinDone && j.State == joinWaiting {
		return
	}
	name := v.pending.InviterName
	if j.InviterName == "" {
		j.InviterName = name
	}
	v.pending = &j
	switch j.State {
	case joinDone:
		v.friendsNow(j.InviterName)
	case joinRefused:
		v.spinner.Stop()
		v.spinner.Hide()
		msg := fmt.Sprintf("%s did not let you join.", j.InviterName)
		if j.Error != "" {
			msg += " " + j.Error
		}
		v.setOutcome(msg, widget.DangerImportance)
	default:
		v.accept.Hide()
		v.spinner.Show()
		v.spinner.Start()
		v.setOutcome(fmt.Sprintf("Accepted. Waiting for %s to come online…", j.InviterName), widget.MediumImportance)
	}
}

// friendChanged completes a waiting join when its inviter shows up as a
// friend (the core reports the friend before the join).
func (v *acceptView) friendChanged(f api.Friend) {
	if v.pending == nil || v.pending.State == joinDone || f.ID != v.pending.InviterID {
		return
	}
	j := *v.pending
	j.State = joinDone
	v.joinChanged(j)
}

// joinsLoaded catches up with joins that changed while the stream was down.
func (v *acceptView) joinsLoaded(joins []api.Join) {
	for _, j := range joins {
		v.joinChanged(j)
	}
}

func (v *acceptView) friendsNow(name string) {
	v.spinner.Stop()
	v.spinner.Hide()
	v.accept.Hide()
	v.setOutcome(fmt.Sprintf("You and %s are now friends.", name), widget.SuccessImportance)
}

func (v *acceptView) setOutcome(text string, imp widget.Importance) {
	v.outcome.Importance = imp
	v.outcome.SetText(text)
	v.outcome.Show()
}

func sameJoin(a, b api.Join) bool {
	if a.InviteID != "" && b.InviteID != "" {
		return a.InviteID == b.InviteID
	}
	return a.InviterID == b.InviterID
}

package window

import (
	"context"
	"fmt"
	"image"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/porchlight/porchlight/app/api"
)

// How long an invitation works, as the view offers it, and the Go duration
// the local API takes for each.
const (
	expiryDay   = "1 day"
	expiryWeek  = "7 days"
	expiryMonth = "30 days"
)

var expiresIn = map[string]string{expiryDay: "24h", expiryWeek: "168h", expiryMonth: "720h"}

// How many people an invitation lets in.
const (
	peopleOne  = "One person"
	peopleUpTo = "Up to"
)

// inviteView makes an invitation: the resident chooses what the friend gets,
// for how long and for how many, then copies the link, shows the QR code or
// reads a short code aloud. Below it lists the invitations made and who
// waits to be let in (invite_list.go).
type inviteView struct {
	w       *Window
	form    fyne.CanvasObject // the choices, until an invitation is made
	label   *widget.Entry
	shares  []api.Share
	offered map[string]bool // share name -> ticked; unseen shares default to open-to-all
	checks  *fyne.Container
	expiry  *widget.RadioGroup
	people  *widget.RadioGroup
	upTo    *widget.Entry
	confirm *widget.Check
	create  *widget.Button
	err     *widget.Label
	result  fyne.CanvasObject
	link    *widget.Label
	copy    *widget.Button
	copied  *widget.Label
	expires *widget.RichText
	qr      *canvas.Raster
	modules [][]bool // the QR code of the link shown
	current string   // the link shown
	made    api.NewInvite
	codeBtn *widget.Button
	codeBox fyne.CanvasObject
	code    *widget.Label
	again   *widget.Button
	list    *inviteList
	content fyne.CanvasObject
}

func newInviteView(w *Window) *inviteView {
	v := &inviteView{w: w, label: widget.NewEntry(), offered: map[string]bool{}, checks: container.NewGridWithColumns(3),
		upTo: widget.NewEntry(), err: errorText(), expires: caption("")}
	v.label.SetPlaceHolder("Who is it for? (optional, e.g. Sam next door)")
	v.label.OnSubmitted = func(string) { v.submit() }
	v.expiry = widget.NewRadioGroup([]string{expiryDay, expiryWeek, expiryMonth}, nil)
	v.expiry.Horizontal, v.expiry.Required = true, true
	v.expiry.SetSelected(expiryWeek)
	v.upTo.SetText("5")
	v.upTo.Disable()
	v.people = widget.NewRadioGroup([]string{peopleOne, peopleUpTo}, func(s string) {
		if s == peopleUpTo {
			v.upTo.Enable()
		} else {
			v.upTo.Disable()
		}
	})
	v.people.Horizontal, v.people.Required = true, true
	v.people.SetSelected(peopleOne)
	v.confirm = widget.NewCheck("Let each newcomer in by hand", nil)
	v.create = widget.NewButtonWithIcon("Create invitation", theme.ContentAddIcon(), v.submit)
	v.create.Importance = widget.HighImportance
	v.setShares(nil)

	upTo := container.NewGridWrap(fyne.NewSize(56, v.upTo.MinSize().Height), v.upTo)
	form := widget.NewForm(
		widget.NewFormItem("For", v.label),
		widget.NewFormItem("They get", v.checks),
		widget.NewFormItem("Works for", v.expiry),
		widget.NewFormItem("Who can use it", container.NewHBox(v.people, upTo, widget.NewLabel("people"))),
		widget.NewFormItem("", v.confirm),
	)
	v.form = widget.NewCard("", "", container.NewVBox(form, container.NewHBox(v.create)))

	v.result = v.newResult()
	v.result.Hide()
	v.list = newInviteList(w)
	body := container.NewVBox(v.form, v.err, v.result, v.list.waiting, v.list.invites)
	v.content = page("Invite a friend",
		"Make an invitation for someone you trust. Once they accept it, you can share folders with each other.",
		body)
	return v
}

// newResult is the card that shows an invitation: link, QR code, and a
// short code on request.
func (v *inviteView) newResult() fyne.CanvasObject {
	v.link = widget.NewLabel("")
	v.link.Truncation = fyne.TextTruncateEllipsis
	v.link.Selectable = true
	v.copy = widget.NewButtonWithIcon("Copy link", theme.ContentCopyIcon(), v.copyLink)
	v.copied = widget.NewLabel("Copied: paste it into a message.")
	v.copied.Importance = widget.SuccessImportance
	v.copied.Hide()
	v.expires.Wrapping = fyne.TextWrapWord // the window is narrow beside the navigation
	v.qr = canvas.NewRaster(func(w, h int) image.Image { return drawQR(v.modules, w, h) })
	v.qr.SetMinSize(fyne.NewSize(260, 260))
	v.codeBtn = widget.NewButtonWithIcon("Read a code aloud instead", theme.VolumeUpIcon(), v.submitCode)
	v.again = widget.NewButtonWithIcon("New invitation", theme.ContentAddIcon(), v.startOver)
	v.again.Importance = widget.LowImportance

	v.code = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true, Monospace: true})
	v.code.SizeName = theme.SizeNameHeadingText
	v.codeBox = container.NewVBox(
		note("Read this to your friend. They type it in Porchlight's Accept tab:"),
		v.code,
		caption("Valid for 10 minutes, while you both have Porchlight open."),
	)
	v.codeBox.Hide()

	details := container.NewVBox(
		subheading("Your invitation"),
		note("Send this link to your friend, or let them scan the code. They open it in Porchlight's Accept tab."),
		v.link,
		container.NewHBox(v.copy, v.copied),
		v.expires,
		container.NewHBox(v.codeBtn, v.again),
		v.codeBox,
	)
	return widget.NewCard("", "", container.NewBorder(nil, nil, nil, container.NewCenter(v.qr), details))
}

// setShares offers the resident's shares to tick, keeping the ticks made;
// a share seen for the first time is ticked when it is open to all friends.
func (v *inviteView) setShares(ss []api.Share) {
	v.shares = slices.Clone(ss)
	objs := make([]fyne.CanvasObject, 0, len(ss))
	for _, s := range ss {
		on, seen := v.offered[s.Name]
		if !seen {
			on = s.Audience == "friends"
			v.offered[s.Name] = on
		}
		c := widget.NewCheck(s.Name, func(on bool) { v.offered[s.Name] = on })
		c.Checked = on
		objs = append(objs, c)
	}
	if len(objs) == 0 {
		objs = append(objs, note("Nothing shared yet: you can share folders later."))
	}
	setRows(v.checks, objs)
}

// request is the invitation the form describes, or why it cannot be made.
func (v *inviteView) request() (api.NewInvite, string) {
	req := api.NewInvite{Label: strings.TrimSpace(v.label.Text), ExpiresIn: expiresIn[v.expiry.Selected], Confirm: v.confirm.Checked}
	openToAll := false
	for _, s := range v.shares {
		if v.offered[s.Name] {
			req.OfferShares = append(req.OfferShares, s.Name)
		}
		openToAll = openToAll || s.Audience == "friends"
	}
	if len(req.OfferShares) == 0 && openToAll {
		// The local API reads "no shares" as "the shares open to all".
		return req, "Tick at least one folder to offer."
	}
	if v.people.Selected == peopleUpTo {
		n, err := strconv.Atoi(strings.TrimSpace(v.upTo.Text))
		if err != nil || n < 2 || n > 100 {
			return req, "Say how many people may use it: a number from 2 to 100."
		}
		req.MaxUses = n
	}
	return req, ""
}

// submit creates the invitation the form describes, in the background.
func (v *inviteView) submit() {
	req, problem := v.request()
	if problem != "" {
		showError(v.err, problem)
		return
	}
	v.create.Disable()
	v.w.call(func(ctx context.Context) { v.createInvite(ctx, req) })
}

// createInvite asks the core for an invitation and shows it.
func (v *inviteView) createInvite(ctx context.Context, req api.NewInvite) {
	inv, err := v.w.client.CreateInvite(ctx, req)
	if err != nil {
		v.w.lost(err)
		fyne.Do(func() {
			v.create.Enable()
			showError(v.err, errorMessage("Could not create the invitation", err))
		})
		return
	}
	modules, qrErr := qrModules(inv.Link)
	fyne.Do(func() {
		v.create.Enable()
		showError(v.err, errorMessage("Could not draw the QR code", qrErr))
		v.made = req
		v.show(inv, modules)
	})
}

func (v *inviteView) show(inv api.Invite, modules [][]bool) {
	v.current = inv.Link
	v.link.SetText(inv.Link)
	v.copied.Hide()
	v.codeBox.Hide()
	v.codeBtn.Enable()
	v.codeBtn.Show()
	setCaption(v.expires, inviteSummary(inv))
	v.modules = modules
	v.qr.Refresh()
	v.form.Hide()
	v.result.Show()
}

// inviteSummary says whom an invitation is for, how many it lets in and
// until when.
func inviteSummary(inv api.Invite) string {
	who := "one friend"
	if inv.MaxUses > 1 {
		who = fmt.Sprintf("up to %d friends", inv.MaxUses)
	}
	text := fmt.Sprintf("Works for %s until %s.", who, inv.Expires.Local().Format("Monday 2 January at 15:04"))
	if inv.Label != "" {
		text = fmt.Sprintf("For %s. %s", inv.Label, text)
	}
	return text
}

// submitCode makes a second invitation like the one shown, with a short
// code to read aloud.
func (v *inviteView) submitCode() {
	req := v.made
	req.Code = true
	v.codeBtn.Disable()
	v.w.call(func(ctx context.Context) {
		inv, err := v.w.client.CreateInvite(ctx, req)
		v.w.lost(err)
		fyne.Do(func() {
			if err != nil {
				v.codeBtn.Enable()
				showError(v.err, errorMessage("Could not make a code", err))
				return
			}
			showError(v.err, "")
			v.codeBtn.Hide()
			v.code.SetText(inv.Code)
			v.codeBox.Show()
		})
	})
}

// startOver goes back to the form for another invitation.
func (v *inviteView) startOver() {
	v.result.Hide()
	v.current, v.modules = "", nil
	v.label.SetText("")
	showError(v.err, "")
	v.form.Show()
}

func (v *inviteView) copyLink() {
	if v.current == "" {
		return
	}
	v.w.app.Clipboard().SetContent(v.current)
	v.copied.Show()
}

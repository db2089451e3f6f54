package window

import (
	"context"
	"fmt"
	"image"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/porchlight/porchlight/app/api"
)

// inviteView makes an invitation: a link to copy and a QR code to scan.
type inviteView struct {
	w       *Window
	label   *widget.Entry
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
	content fyne.CanvasObject
}

func newInviteView(w *Window) *inviteView {
	v := &inviteView{w: w, label: widget.NewEntry(), err: errorText(), expires: caption("")}
	v.label.SetPlaceHolder("Who is it for? (optional, e.g. Sam next door)")
	v.label.OnSubmitted = func(string) { v.submit() }
	v.create = widget.NewButtonWithIcon("Create invitation", theme.ContentAddIcon(), v.submit)
	v.create.Importance = widget.HighImportance

	v.link = widget.NewLabel("")
	v.link.Truncation = fyne.TextTruncateEllipsis
	v.link.Selectable = true
	v.copy = widget.NewButtonWithIcon("Copy link", theme.ContentCopyIcon(), v.copyLink)
	v.copied = widget.NewLabel("Copied: paste it into a message to your friend.")
	v.copied.Importance = widget.SuccessImportance
	v.copied.Hide()
	v.expires.Wrapping = fyne.TextWrapWord // the window is narrow beside the navigation
	v.qr = canvas.NewRaster(func(w, h int) image.Image { return drawQR(v.modules, w, h) })
	v.qr.SetMinSize(fyne.NewSize(280, 280))

	details := container.NewVBox(
		subheading("Your invitation"),
		note("Send this link to your friend, or let them scan the code. They open it in Porchlight's Accept tab."),
		v.link,
		container.NewHBox(v.copy, v.copied),
		v.expires,
	)
	v.result = widget.NewCard("", "", container.NewBorder(nil, nil, nil, container.NewCenter(v.qr), details))
	v.result.Hide()

	form := container.NewBorder(nil, nil, nil, v.create, v.label)
	body := container.NewVBox(form, v.err, v.result)
	v.content = page("Invite a friend",
		"Make an invitation for someone you trust. Once they accept it, you can share folders with each other.",
		body)
	return v
}

// submit creates an invitation in the background.
func (v *inviteView) submit() {
	label := strings.TrimSpace(v.label.Text)
	v.create.Disable()
	v.w.call(func(ctx context.Context) { v.createInvite(ctx, label) })
}

// createInvite asks the core for an invitation and shows it.
func (v *inviteView) createInvite(ctx context.Context, label string) {
	inv, err := v.w.client.CreateInvite(ctx, api.NewInvite{Label: label})
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
		v.show(inv, modules)
	})
}

func (v *inviteView) show(inv api.Invite, modules [][]bool) {
	v.current = inv.Link
	v.link.SetText(inv.Link)
	v.copied.Hide()
	who := "one friend"
	if inv.MaxUses > 1 {
		who = fmt.Sprintf("%d friends", inv.MaxUses)
	}
	text := fmt.Sprintf("Works for %s until %s.", who, inv.Expires.Local().Format("Monday 2 January at 15:04"))
	if inv.Label != "" {
		text = fmt.Sprintf("For %s. %s", inv.Label, text)
	}
	setCaption(v.expires, text)
	v.modules = modules
	v.qr.Refresh()
	v.result.Show()
}

func (v *inviteView) copyLink() {
	if v.current == "" {
		return
	}
	v.w.app.Clipboard().SetContent(v.current)
	v.copied.Show()
}

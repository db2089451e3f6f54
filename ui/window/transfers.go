package window

import (
	"context"
	"fmt"
	"path"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/porchlight/porchlight/app/api"
)

// transfersView lists downloads and uploads with their progress, speed and
// time left, and pauses, resumes or cancels them.
type transfersView struct {
	w       *Window
	items   []api.Transfer // newest first
	list    *widget.List
	empty   *widget.Label
	err     *widget.Label
	content fyne.CanvasObject
}

func newTransfersView(w *Window) *transfersView {
	v := &transfersView{w: w, err: errorText(), empty: note("Nothing is being downloaded or uploaded. Browse a friend's shares to download something.")}
	v.list = widget.NewList(func() int { return len(v.items) }, func() fyne.CanvasObject { return newTransferRow() }, func(i widget.ListItemID, o fyne.CanvasObject) {
		if i < len(v.items) {
			o.(*transferRow).set(v.items[i], v)
		}
	})
	v.list.HideSeparators = false
	top := container.NewVBox(heading("Transfers"), v.err, v.empty)
	v.content = container.NewPadded(container.NewBorder(top, nil, nil, nil, v.list))
	return v
}

// setTransfers replaces the list, e.g. after the stream reconnects.
func (v *transfersView) setTransfers(ts []api.Transfer) {
	v.items = slices.Clone(ts)
	v.list.Refresh()
	v.counted()
}

// changed applies one transfer's new state; a new transfer goes on top.
func (v *transfersView) changed(t api.Transfer) {
	if i := slices.IndexFunc(v.items, func(o api.Transfer) bool { return o.ID == t.ID }); i >= 0 {
		v.items[i] = t
		v.list.RefreshItem(i)
	} else {
		v.items = slices.Insert(v.items, 0, t)
		v.list.Refresh()
	}
	v.counted()
}

// counted updates the empty notice and the running count in the navigation.
func (v *transfersView) counted() {
	if len(v.items) == 0 {
		v.empty.Show()
	} else {
		v.empty.Hide()
	}
	running := 0
	for _, t := range v.items {
		if t.State == api.TransferRunning {
			running++
		}
	}
	v.w.setTransfersBadge(running)
}

// act pauses, resumes or cancels a transfer in the background; the event
// that follows updates the row, and so does the answer.
func (v *transfersView) act(what string, id string, call func(context.Context, string) (api.Transfer, error)) {
	v.w.call(func(ctx context.Context) {
		t, err := call(ctx, id)
		v.w.lost(err)
		fyne.Do(func() {
			showError(v.err, errorMessage("Could not "+what+" the transfer", err))
			if err == nil {
				v.changed(t)
			}
		})
	})
}

// transferRow is one transfer: what and with whom, a progress bar, how it
// goes, and buttons to pause, resume or cancel it.
type transferRow struct {
	widget.BaseWidget
	icon     *widget.Icon
	title    *widget.RichText
	bar      *widget.ProgressBar
	spinner  *widget.ProgressBarInfinite
	state    *widget.RichText
	pause    *widget.Button
	resume   *widget.Button
	cancel   *widget.Button
	progress *fyne.Container
	buttons  *fyne.Container
}

func newTransferRow() *transferRow {
	r := &transferRow{
		icon:    widget.NewIcon(theme.DownloadIcon()),
		title:   titleText(),
		bar:     widget.NewProgressBar(),
		spinner: widget.NewProgressBarInfinite(),
		state:   caption(""),
		pause:   widget.NewButtonWithIcon("Pause", theme.MediaPauseIcon(), nil),
		resume:  widget.NewButtonWithIcon("Resume", theme.MediaPlayIcon(), nil),
		cancel:  widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), nil),
	}
	r.state.Truncation = fyne.TextTruncateEllipsis
	r.spinner.Stop()
	r.spinner.Hide()
	r.resume.Hide()
	r.cancel.Importance = widget.LowImportance
	r.progress = container.NewStack(r.bar, r.spinner)
	r.buttons = container.NewHBox(r.pause, r.resume, r.cancel)
	r.ExtendBaseWidget(r)
	return r
}

func (r *transferRow) CreateRenderer() fyne.WidgetRenderer {
	buttons := container.NewCenter(r.buttons)
	body := container.NewVBox(r.title, r.progress, r.state)
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, container.NewCenter(r.icon), buttons, body))
}

func (r *transferRow) set(t api.Transfer, v *transfersView) {
	r.icon.SetResource(theme.DownloadIcon())
	whose := fmt.Sprintf("from %s’s “%s”", t.Friend, t.Share)
	if t.Kind == api.TransferUpload {
		r.icon.SetResource(theme.UploadIcon())
		whose = fmt.Sprintf("to %s’s “%s”", t.Friend, t.Share)
	}
	r.title.Segments[0].(*widget.TextSegment).Text = path.Base(t.Path)
	r.title.Segments[1].(*widget.TextSegment).Text = "  " + whose
	r.title.Refresh()
	if t.Size < 0 && t.State == api.TransferRunning {
		r.bar.Hide()
		r.spinner.Show()
		r.spinner.Start()
	} else {
		r.spinner.Stop()
		r.spinner.Hide()
		r.bar.Show()
		r.bar.SetValue(fraction(t))
	}
	setCaption(r.state, transferState(t)+" · "+t.Dest)
	active := t.State == api.TransferRunning || t.State == api.TransferPaused || t.State == api.TransferFailed
	r.pause.Hidden = t.State != api.TransferRunning
	r.resume.Hidden = t.State != api.TransferPaused && t.State != api.TransferFailed
	r.cancel.Hidden = !active
	r.pause.OnTapped = func() { v.act("pause", t.ID, v.w.client.PauseTransfer) }
	r.resume.OnTapped = func() { v.act("resume", t.ID, v.w.client.ResumeTransfer) }
	r.cancel.OnTapped = func() { v.act("cancel", t.ID, v.w.client.CancelTransfer) }
	r.buttons.Refresh()
	r.progress.Refresh()
}

// titleText is a bold name followed, on the same line, by muted detail.
func titleText() *widget.RichText {
	detail := captionStyle
	detail.Inline = true
	rt := widget.NewRichText(
		&widget.TextSegment{Text: "", Style: widget.RichTextStyle{Inline: true, TextStyle: fyne.TextStyle{Bold: true}}},
		&widget.TextSegment{Text: "", Style: detail},
	)
	rt.Truncation = fyne.TextTruncateEllipsis
	return rt
}

// fraction is how much of t is done, 0 to 1.
func fraction(t api.Transfer) float64 {
	switch {
	case t.State == api.TransferDone:
		return 1
	case t.Size <= 0:
		return 0
	default:
		return min(1, float64(t.Bytes)/float64(t.Size))
	}
}

// transferState says how a transfer goes, in a line.
func transferState(t api.Transfer) string {
	amount := humanSize(t.Bytes)
	if t.Size >= 0 {
		amount = fmt.Sprintf("%s of %s", humanSize(t.Bytes), humanSize(t.Size))
	}
	var parts []string
	switch t.State {
	case api.TransferRunning:
		parts = []string{amount}
		if t.Size < 0 && t.Bytes == 0 {
			parts = []string{"Starting…"}
		}
		if t.Rate > 0 {
			parts = append(parts, humanRate(t.Rate))
		}
		if left := timeLeft(t.Bytes, t.Size, t.Rate); left != "" {
			parts = append(parts, left)
		}
	case api.TransferPaused:
		parts = []string{"Paused", amount}
	case api.TransferDone:
		parts = []string{"Done", humanSize(max(t.Size, t.Bytes))}
	case api.TransferCancelled:
		parts = []string{"Cancelled"}
	case api.TransferFailed:
		parts = []string{"Failed", amount}
		if t.Error != "" {
			parts[0] = "Failed: " + t.Error
		}
	default:
		parts = []string{t.State, amount}
	}
	return strings.Join(parts, " · ")
}

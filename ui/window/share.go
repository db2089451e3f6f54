package window

import (
	"context"
	"fmt"
	"net/url"
	"path/filepath"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/porchlight/porchlight/app/api"
)

// Who a new share is for, and how friends may use it, as the view offers.
const (
	whoAll    = "All my friends"
	whoChosen = "Only the friends I choose"
	whoNear   = "Friends while they are on this network"

	howReadOnly  = "Read-only: they can browse and download"
	howReadWrite = "Read and write: they can also add and change files"
	howDropBox   = "Drop box: they can only add files, not see any"
)

var modeFor = map[string]string{howReadOnly: "ro", howReadWrite: "rw", howDropBox: "drop"}

// shareView shares a folder with all or chosen friends, read-only,
// read-write or as a drop box, and lists what is shared with buttons to
// pause, resume or stop each share.
type shareView struct {
	w       *Window
	path    string // the folder picked
	folder  *widget.Label
	choose  *widget.Button
	name    *widget.Entry
	who     *widget.RadioGroup
	chosen  map[string]bool // friend IDs ticked
	checks  *fyne.Container
	how     *widget.RadioGroup
	submit  *widget.Button
	err     *widget.Label
	done    *widget.Label
	list    *fyne.Container
	content fyne.CanvasObject
}

func newShareView(w *Window) *shareView {
	v := &shareView{w: w, folder: widget.NewLabel("No folder chosen"), name: widget.NewEntry(), err: errorText(), done: note(""), list: container.NewVBox(),
		chosen: map[string]bool{}, checks: container.NewGridWithColumns(3)}
	v.folder.Truncation = fyne.TextTruncateEllipsis
	v.choose = widget.NewButtonWithIcon("Choose folder…", theme.FolderOpenIcon(), v.openPicker)
	v.name.SetPlaceHolder("The name friends will see")
	v.name.OnSubmitted = func(string) { v.submitShare() }
	v.who = widget.NewRadioGroup([]string{whoAll, whoChosen, whoNear}, func(string) { v.showChecks() })
	v.who.Horizontal = true
	v.who.Required = true
	v.who.SetSelected(whoAll)
	v.how = widget.NewRadioGroup([]string{howReadOnly, howReadWrite, howDropBox}, nil)
	v.how.Required = true
	v.how.SetSelected(howReadOnly)
	v.submit = widget.NewButtonWithIcon("Share", theme.UploadIcon(), v.submitShare)
	v.submit.Importance = widget.HighImportance
	v.submit.Disable()
	v.done.Importance = widget.SuccessImportance
	v.done.Hide()
	v.setShares(nil)
	v.setFriends(nil)

	form := widget.NewForm(
		widget.NewFormItem("Folder", container.NewBorder(nil, nil, nil, v.choose, v.folder)),
		widget.NewFormItem("Name", v.name),
		widget.NewFormItem("Who", container.NewVBox(v.who, v.checks)),
		widget.NewFormItem("How", v.how),
	)
	card := widget.NewCard("", "", container.NewVBox(form, container.NewHBox(v.submit), v.err, v.done))
	v.content = page("Share a folder",
		"Choose a folder, who may see it, and what they may do with it.",
		container.NewVBox(card, subheading("Your shares"), v.list))
	return v
}

// setFriends offers the friends to choose from, keeping the ticks.
func (v *shareView) setFriends(fs []api.Friend) {
	fs = slices.Clone(fs)
	slices.SortFunc(fs, func(a, b api.Friend) int { return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)) })
	objs := make([]fyne.CanvasObject, 0, len(fs))
	for _, f := range fs {
		c := widget.NewCheck(f.Name, func(on bool) { v.chosen[f.ID] = on })
		c.Checked = v.chosen[f.ID]
		objs = append(objs, c)
	}
	if len(objs) == 0 {
		objs = append(objs, note("No friends yet."))
	}
	setRows(v.checks, objs)
	v.showChecks()
}

// showChecks shows the friends to tick while "chosen friends" is picked.
func (v *shareView) showChecks() {
	if v.who.Selected == whoChosen {
		v.checks.Show()
	} else {
		v.checks.Hide()
	}
}

// openPicker shows fyne's folder dialog; a chosen folder goes to pick.
func (v *shareView) openPicker() {
	d := dialog.NewFolderOpen(func(dir fyne.ListableURI, err error) {
		if err != nil {
			showError(v.err, errorMessage("Could not open the folder", err))
			return
		}
		if dir != nil {
			v.pick(dir.Path())
		}
	}, v.w.win)
	d.Resize(fyne.NewSize(720, 480))
	d.Show()
}

// pick makes path the folder to share, named after it unless the resident
// already typed a name of their own.
func (v *shareView) pick(path string) {
	if v.name.Text == "" || v.name.Text == filepath.Base(v.path) {
		v.name.SetText(filepath.Base(path))
	}
	v.path = path
	v.folder.SetText(path)
	v.submit.Enable()
	v.done.Hide()
	showError(v.err, "")
}

// submitShare shares the picked folder in the background.
func (v *shareView) submitShare() {
	if v.path == "" {
		showError(v.err, "Choose a folder first.")
		return
	}
	req := api.NewShare{Name: strings.TrimSpace(v.name.Text), Path: v.path, Mode: modeFor[v.how.Selected]}
	if v.who.Selected == whoNear {
		req.Audience = "neighbours"
	}
	if req.Name == "" {
		req.Name = filepath.Base(req.Path)
	}
	if v.who.Selected == whoChosen {
		for id, on := range v.chosen {
			if on {
				req.Friends = append(req.Friends, id)
			}
		}
		if len(req.Friends) == 0 {
			showError(v.err, "Tick at least one friend, or share with all your friends.")
			return
		}
		slices.Sort(req.Friends)
	}
	v.submit.Disable()
	v.w.call(func(ctx context.Context) { v.addShare(ctx, req) })
}

// addShare asks the core to share req and lists the shares again.
func (v *shareView) addShare(ctx context.Context, req api.NewShare) {
	s, err := v.w.client.AddShare(ctx, req)
	v.w.lost(err)
	if err != nil {
		fyne.Do(func() {
			v.submit.Enable()
			showError(v.err, errorMessage("Could not share the folder", err))
		})
		return
	}
	fyne.Do(func() {
		v.path = ""
		v.folder.SetText("No folder chosen")
		v.name.SetText("")
		v.who.SetSelected(whoAll)
		v.how.SetSelected(howReadOnly)
		clear(v.chosen)
		for _, o := range v.checks.Objects {
			if c, ok := o.(*widget.Check); ok {
				c.SetChecked(false)
			}
		}
		showError(v.err, "")
		v.done.SetText(fmt.Sprintf("“%s” is shared with %s, %s.", s.Name, whoWords(s), modeWords(s.Mode)))
		v.done.Show()
	})
	if err := v.w.refreshShares(ctx); err != nil {
		v.w.log.Warn("list shares after sharing", "err", err)
	}
}

func (v *shareView) setShares(ss []api.Share) {
	rows := make([]fyne.CanvasObject, 0, len(ss))
	for _, s := range ss {
		rows = append(rows, v.shareRow(s))
	}
	if len(rows) == 0 {
		rows = append(rows, note("Nothing shared yet."))
	}
	setRows(v.list, rows)
}

// shareRow is one of the resident's shares with its buttons.
func (v *shareView) shareRow(s api.Share) fyne.CanvasObject {
	detail := fmt.Sprintf("%s · %s · %s", whoWords(s), modeWords(s.Mode), s.Path)
	icon := theme.FolderIcon()
	toggle := widget.NewButtonWithIcon("Pause", theme.MediaPauseIcon(), func() { v.setPaused(s, true) })
	if s.Paused {
		detail = "Paused · " + detail
		icon = theme.MediaPauseIcon()
		toggle = widget.NewButtonWithIcon("Resume", theme.MediaPlayIcon(), func() { v.setPaused(s, false) })
	}
	stop := widget.NewButtonWithIcon("Stop sharing", theme.CancelIcon(), func() { v.askStop(s) })
	stop.Importance = widget.LowImportance
	actions := container.NewCenter(container.NewHBox(toggle, stop))
	return container.NewBorder(nil, nil, widget.NewIcon(icon), actions, itemText(s.Name, detail))
}

// setPaused pauses or resumes a share in the background.
func (v *shareView) setPaused(s api.Share, paused bool) {
	v.w.call(func(ctx context.Context) {
		_, err := v.w.client.UpdateShare(ctx, s.Name, api.ShareUpdate{Paused: &paused})
		v.w.lost(err)
		what := "pause"
		if !paused {
			what = "resume"
		}
		fyne.Do(func() { showError(v.err, errorMessage("Could not "+what+" “"+s.Name+"”", err)) })
		if err == nil {
			v.w.refreshShares(ctx)
		}
	})
}

// askStop asks before a share stops.
func (v *shareView) askStop(s api.Share) {
	v.w.confirmDanger("Stop sharing “"+s.Name+"”?", "Friends will no longer see or download it.\nThe folder itself stays on your computer, untouched.",
		"Stop sharing", "Keep sharing", func(ctx context.Context) { v.stop(ctx, s) })
}

func (v *shareView) stop(ctx context.Context, s api.Share) {
	err := v.w.client.RemoveShare(ctx, s.Name)
	v.w.lost(err)
	fyne.Do(func() {
		showError(v.err, errorMessage("Could not stop sharing “"+s.Name+"”", err))
		if err == nil {
			v.done.SetText(fmt.Sprintf("“%s” is no longer shared.", s.Name))
			v.done.Show()
		}
	})
	if err == nil {
		v.w.refreshShares(ctx)
	}
}

// folderPath turns a file:// URL into a path; anything else is a path already.
func folderPath(s string) string {
	if u, err := url.Parse(s); err == nil && u.Scheme == "file" {
		return filepath.FromSlash(u.Path)
	}
	return s
}

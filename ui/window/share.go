package window

import (
	"context"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/porchlight/porchlight/app/api"
)

// shareView shares a folder and lists what is shared.
type shareView struct {
	w       *Window
	path    string // the folder picked
	folder  *widget.Label
	choose  *widget.Button
	name    *widget.Entry
	submit  *widget.Button
	err     *widget.Label
	done    *widget.Label
	list    *fyne.Container
	content fyne.CanvasObject
}

func newShareView(w *Window) *shareView {
	v := &shareView{w: w, folder: widget.NewLabel("No folder chosen"), name: widget.NewEntry(), err: errorText(), done: note(""), list: container.NewVBox()}
	v.folder.Truncation = fyne.TextTruncateEllipsis
	v.choose = widget.NewButtonWithIcon("Choose folder…", theme.FolderOpenIcon(), v.openPicker)
	v.name.SetPlaceHolder("The name friends will see")
	v.name.OnSubmitted = func(string) { v.submitShare() }
	v.submit = widget.NewButtonWithIcon("Share", theme.UploadIcon(), v.submitShare)
	v.submit.Importance = widget.HighImportance
	v.submit.Disable()
	v.done.Importance = widget.SuccessImportance
	v.done.Hide()
	v.setShares(nil)

	form := widget.NewForm(
		widget.NewFormItem("Folder", container.NewBorder(nil, nil, nil, v.choose, v.folder)),
		widget.NewFormItem("Name", v.name),
	)
	card := widget.NewCard("", "", container.NewVBox(form, container.NewHBox(v.submit), v.err, v.done))
	v.content = page("Share a folder",
		"New shares are open to all your friends, who can download but not change them.",
		container.NewVBox(card, subheading("Your shares"), v.list))
	return v
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
	req := api.NewShare{Name: strings.TrimSpace(v.name.Text), Path: v.path}
	if req.Name == "" {
		req.Name = filepath.Base(req.Path)
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
		showError(v.err, "")
		v.done.SetText(fmt.Sprintf("“%s” is shared with %s, %s.", s.Name, audienceWords(s.Audience), modeWords(s.Mode)))
		v.done.Show()
	})
	if err := v.w.refreshShares(ctx); err != nil {
		v.w.log.Warn("list shares after sharing", "err", err)
	}
}

func (v *shareView) setShares(ss []api.Share) {
	rows := make([]fyne.CanvasObject, 0, len(ss))
	for _, s := range ss {
		rows = append(rows, shareRow(s))
	}
	if len(rows) == 0 {
		rows = append(rows, note("Nothing shared yet."))
	}
	setRows(v.list, rows)
}

// folderPath turns a file:// URL into a path; anything else is a path already.
func folderPath(s string) string {
	if u, err := url.Parse(s); err == nil && u.Scheme == "file" {
		return filepath.FromSlash(u.Path)
	}
	return s
}

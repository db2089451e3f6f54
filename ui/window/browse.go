package window

import (
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/porchlight/porchlight/app/api"
)

// pageSize is how many entries of a folder the Browse view reads at a time.
const pageSize = 200

// browseView shows a friend's shares: pick a friend and a share, walk its
// folders, search the current one, download files and folders, upload.
//
// Folders are read pageSize entries at a time, more as the list is scrolled
// to its end or "Load more" is pressed. Search filters by name among the
// entries loaded so far: it does not ask the friend's computer.
type browseView struct {
	w *Window

	friends    []api.Friend
	friendSel  *widget.Select
	wantFriend string // a friend to open once the friends are known
	shares     []api.RemoteShare
	shareSel   *widget.Select

	friend  string          // ID of the friend browsed
	share   api.RemoteShare // the share browsed
	dir     string          // the folder shown, "/" for the share itself
	entries []api.Entry     // loaded so far
	shown   []api.Entry     // entries matching the search
	total   int
	next    int  // offset of the next page; 0 when all are loaded
	loading bool // a page is on its way
	gen     int  // counts folder changes, so late pages are dropped

	saveDir string
	dests   destinations

	up       *widget.Button
	crumbs   *fyne.Container
	search   *widget.Entry
	list     *widget.List
	status   *widget.Label
	more     *widget.Button
	saveTo   *widget.Label
	upload   *widget.Button
	getAll   *widget.Button
	err      *widget.Label
	info     *widget.Label
	folder   fyne.CanvasObject // header, list and footer; hidden until a share is open
	content  fyne.CanvasObject
	download func(api.Entry) // what a row's download button does; tests may watch it
}

func newBrowseView(w *Window) *browseView {
	v := &browseView{w: w, dir: "/", saveDir: downloadsDir(), err: errorText(), info: note(""), status: widget.NewLabel("")}
	v.download = v.downloadEntry
	v.friendSel = widget.NewSelect(nil, v.friendChosen)
	v.friendSel.PlaceHolder = "Choose a friend"
	v.shareSel = widget.NewSelect(nil, v.shareChosen)
	v.shareSel.PlaceHolder = "Choose a share"
	v.shareSel.Disable()
	v.up = widget.NewButtonWithIcon("", theme.MoveUpIcon(), func() { v.openDir(path.Dir(v.dir)) })
	v.up.Disable()
	v.crumbs = container.NewHBox()
	v.search = widget.NewEntry()
	v.search.SetPlaceHolder("Search this folder")
	v.search.ActionItem = widget.NewIcon(theme.SearchIcon())
	v.search.OnChanged = func(string) { v.applyFilter() }
	v.list = widget.NewList(func() int { return len(v.shown) }, func() fyne.CanvasObject { return newEntryRow() }, v.updateRow)
	v.list.OnSelected = v.selected
	v.more = widget.NewButtonWithIcon("Load more", theme.MoreVerticalIcon(), func() { v.loadMore() })
	v.more.Hide()
	v.saveTo = widget.NewLabel(v.saveDir)
	v.saveTo.Truncation = fyne.TextTruncateEllipsis
	change := widget.NewButtonWithIcon("Change…", theme.FolderOpenIcon(), v.pickSaveDir)
	v.upload = widget.NewButtonWithIcon("Upload…", theme.UploadIcon(), v.pickUpload)
	v.upload.Hide()
	v.getAll = widget.NewButtonWithIcon("Download folder", theme.DownloadIcon(), v.downloadCurrent)
	v.info.Importance = widget.SuccessImportance
	v.info.Hide()

	pickers := container.NewHBox(fixedWidth(180, v.friendSel), fixedWidth(200, v.shareSel))
	saveRow := container.NewBorder(nil, nil, widget.NewLabelWithStyle("Save to", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), change, v.saveTo)
	top := container.NewVBox(container.NewBorder(nil, nil, pickers, nil, v.search), v.err, v.info)
	nav := container.NewBorder(nil, nil, v.up, fixedWidth(410, saveRow), container.NewHScroll(v.crumbs))
	footer := container.NewBorder(nil, nil, nil, container.NewHBox(v.upload, v.getAll), container.NewHBox(v.status, v.more))
	header := container.NewVBox(nav, entryHeader(), widget.NewSeparator())
	v.folder = container.NewBorder(header, footer, nil, nil, v.list)
	v.folder.Hide()
	v.setInfo("Choose a friend to see the folders they share with you.", widget.MediumImportance)

	title := heading("Browse")
	v.content = container.NewPadded(container.NewBorder(container.NewVBox(title, top), nil, nil, nil, v.folder))
	return v
}

// setFriends offers the friends to browse, keeping the one browsed.
func (v *browseView) setFriends(fs []api.Friend) {
	fs = slices.Clone(fs)
	slices.SortFunc(fs, func(a, b api.Friend) int { return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)) })
	v.friends = fs
	v.friendSel.SetOptions(friendLabels(fs))
	if v.friend != "" {
		if i := slices.IndexFunc(fs, func(f api.Friend) bool { return f.ID == v.friend }); i >= 0 {
			v.friendSel.Selected = friendLabels(fs)[i]
			v.friendSel.Refresh()
		} else {
			v.reset("That friend is gone.")
		}
	}
	if v.wantFriend != "" {
		v.openFriend(v.wantFriend)
	}
}

// friendLabels names friends for the picker, telling apart the same name.
func friendLabels(fs []api.Friend) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Name
		if slices.IndexFunc(fs, func(g api.Friend) bool { return g.Name == f.Name && g.ID != f.ID }) >= 0 {
			out[i] = fmt.Sprintf("%s (%s)", f.Name, f.ShortID)
		}
	}
	return out
}

// openFriend browses a friend given by ID or name, once friends are known.
func (v *browseView) openFriend(q string) {
	i := slices.IndexFunc(v.friends, func(f api.Friend) bool { return f.ID == q })
	if i < 0 {
		i = slices.IndexFunc(v.friends, func(f api.Friend) bool { return strings.EqualFold(f.Name, q) })
	}
	if i < 0 {
		v.wantFriend = q
		return
	}
	v.wantFriend = ""
	v.friendSel.SetSelected(friendLabels(v.friends)[i]) // calls friendChosen if it changed
	if v.friend != v.friends[i].ID {
		v.friendChosen(v.friendSel.Selected)
	}
}

// friendChosen loads the shares of the friend picked.
func (v *browseView) friendChosen(label string) {
	i := slices.Index(friendLabels(v.friends), label)
	if i < 0 {
		return
	}
	f := v.friends[i]
	v.reset("")
	v.friend = f.ID
	v.shareSel.ClearSelected()
	v.shareSel.SetOptions(nil)
	v.shareSel.Disable()
	v.setInfo(fmt.Sprintf("Asking %s what they share…", f.Name), widget.MediumImportance)
	gen := v.gen
	v.w.call(func(ctx context.Context) {
		ss, err := v.w.client.RemoteShares(ctx, f.ID)
		v.w.lost(err)
		fyne.Do(func() {
			if gen != v.gen {
				return
			}
			if err != nil {
				v.setInfo("", widget.MediumImportance)
				showError(v.err, errorMessage("Could not see what "+f.Name+" shares", err))
				return
			}
			v.sharesLoaded(f, ss)
		})
	})
}

func (v *browseView) sharesLoaded(f api.Friend, ss []api.RemoteShare) {
	v.shares = ss
	names := make([]string, len(ss))
	for i, s := range ss {
		names[i] = s.Name
	}
	v.shareSel.SetOptions(names)
	switch len(ss) {
	case 0:
		v.setInfo(f.Name+" does not share any folders with you yet.", widget.MediumImportance)
	case 1:
		v.shareSel.Enable()
		v.shareSel.SetSelected(names[0])
	default:
		v.shareSel.Enable()
		v.setInfo(fmt.Sprintf("%s shares %d folders with you: choose one.", f.Name, len(ss)), widget.MediumImportance)
	}
}

// shareChosen opens the top of the share picked.
func (v *browseView) shareChosen(name string) {
	i := slices.IndexFunc(v.shares, func(s api.RemoteShare) bool { return s.Name == name })
	if i < 0 {
		return
	}
	v.share = v.shares[i]
	v.openDir("/")
}

// reset forgets the friend browsed and says why, if why is not empty.
func (v *browseView) reset(why string) {
	v.gen++
	v.friend, v.share, v.dir = "", api.RemoteShare{}, "/"
	v.entries, v.shown, v.total, v.next, v.loading = nil, nil, 0, 0, false
	v.folder.Hide()
	showError(v.err, "")
	if why != "" {
		v.friendSel.ClearSelected()
		v.shareSel.SetOptions(nil)
		v.shareSel.Disable()
		v.setInfo(why, widget.MediumImportance)
	}
}

// openDir shows folder dir of the share browsed, from its first page.
func (v *browseView) openDir(dir string) {
	v.gen++
	v.dir = path.Join("/", dir)
	v.entries, v.shown, v.total, v.next, v.loading = nil, nil, 0, 0, false
	v.search.SetText("")
	v.list.UnselectAll()
	v.list.MinSize() // makes the list's renderer, which ScrollToTop needs, if it was never shown
	v.list.ScrollToTop()
	v.list.Refresh()
	v.setCrumbs()
	v.up.Disable()
	if v.dir != "/" {
		v.up.Enable()
	}
	showError(v.err, "")
	v.upload.Hide()
	if v.share.Mode == "rw" || v.share.Mode == "drop" {
		v.upload.Show()
	}
	if !v.folder.Visible() {
		v.folder.Show()
		v.content.Refresh() // lay the folder out now it takes part
	}
	if v.share.Mode == "drop" {
		v.getAll.Hide()
		v.search.Disable()
		v.more.Hide()
		v.status.SetText("")
		v.setInfo(fmt.Sprintf("“%s” is a drop box: you can put files in it, but not see what is inside.", v.share.Name), widget.MediumImportance)
		return
	}
	v.getAll.Show()
	v.search.Enable()
	v.setInfo("", widget.MediumImportance)
	v.status.SetText("Loading…")
	v.loadPage(0)
}

// setCrumbs shows where the folder is: share › folder › subfolder, each a
// way back up.
func (v *browseView) setCrumbs() {
	crumb := func(label, dir string) fyne.CanvasObject {
		b := widget.NewButton(label, func() { v.openDir(dir) })
		b.Importance = widget.LowImportance
		if dir == v.dir {
			b.Importance = widget.MediumImportance
		}
		return b
	}
	objs := []fyne.CanvasObject{crumb(v.share.Name, "/")}
	var at string
	for _, part := range strings.Split(strings.Trim(v.dir, "/"), "/") {
		if part == "" {
			continue
		}
		at += "/" + part
		objs = append(objs, widget.NewLabel("›"), crumb(part, at))
	}
	setRows(v.crumbs, objs)
}

// loadMore reads the next page, if there is one.
func (v *browseView) loadMore() {
	if v.next > 0 {
		v.loadPage(v.next)
	}
}

// loadPage reads the page of the folder shown that starts at offset.
func (v *browseView) loadPage(offset int) {
	if v.loading {
		return
	}
	v.loading = true
	v.more.Disable()
	gen, friend, share, dir := v.gen, v.friend, v.share.Name, v.dir
	v.w.call(func(ctx context.Context) {
		l, err := v.w.client.List(ctx, friend, share, dir, offset, pageSize)
		v.w.lost(err)
		fyne.Do(func() {
			if gen != v.gen {
				return
			}
			v.loading = false
			v.more.Enable()
			if err != nil {
				v.status.SetText("")
				showError(v.err, errorMessage("Could not open "+path.Join(share, dir), err))
				return
			}
			v.entries = append(v.entries, l.Entries...)
			v.total, v.next = l.Total, l.NextOffset
			v.applyFilter()
		})
	})
}

// applyFilter shows the loaded entries whose names hold the search text.
func (v *browseView) applyFilter() {
	q := strings.ToLower(strings.TrimSpace(v.search.Text))
	v.shown = v.entries
	if q != "" {
		v.shown = nil
		for _, e := range v.entries {
			if strings.Contains(strings.ToLower(e.Name), q) {
				v.shown = append(v.shown, e)
			}
		}
	}
	v.list.Refresh()
	v.setStatus(q != "")
	if v.next > 0 {
		v.more.Show()
	} else {
		v.more.Hide()
	}
}

func (v *browseView) setStatus(searching bool) {
	loaded := len(v.entries)
	switch {
	case searching && v.next > 0:
		v.status.SetText(fmt.Sprintf("%s found among the first %s of %s", items(len(v.shown), "match", "matches"), count(loaded), items(v.total, "item", "items")))
	case searching:
		v.status.SetText(fmt.Sprintf("%s found among %s", items(len(v.shown), "match", "matches"), items(v.total, "item", "items")))
	case v.total == 0:
		v.status.SetText("This folder is empty")
	case v.next > 0:
		v.status.SetText(fmt.Sprintf("Showing %s of %s", count(loaded), items(v.total, "item", "items")))
	default:
		v.status.SetText(items(v.total, "item", "items"))
	}
}

// updateRow fills row i of the list, and reads the next page when the last
// loaded row comes into view (unless searching, which would read them all).
func (v *browseView) updateRow(i widget.ListItemID, o fyne.CanvasObject) {
	if i >= len(v.shown) {
		return
	}
	e := v.shown[i]
	o.(*entryRow).set(e, time.Now(), func() { v.download(e) })
	if i == len(v.shown)-1 && v.next > 0 && !v.loading && v.search.Text == "" {
		v.loadPage(v.next)
	}
}

// selected opens a folder tapped in the list.
func (v *browseView) selected(i widget.ListItemID) {
	v.list.Unselect(i)
	if i < len(v.shown) && v.shown[i].Dir {
		v.openDir(path.Join(v.dir, v.shown[i].Name))
	}
}

// downloadEntry downloads a file, or a whole folder, into the save folder.
func (v *browseView) downloadEntry(e api.Entry) {
	if e.Dir {
		v.downloadFolder(path.Join(v.dir, e.Name), e.Name)
		return
	}
	if err := os.MkdirAll(v.saveDir, 0o755); err != nil {
		showError(v.err, errorMessage("Could not make the folder to save in", err))
		return
	}
	dest := v.dests.claim(v.saveDir, e.Name)
	req := api.NewTransfer{Friend: v.friend, Share: v.share.Name, Path: path.Join(v.dir, e.Name), Dest: dest}
	v.w.call(func(ctx context.Context) {
		_, err := v.w.client.StartTransfer(ctx, req)
		v.w.lost(err)
		if err != nil {
			v.dests.release(dest)
		}
		fyne.Do(func() {
			showError(v.err, errorMessage("Could not download "+e.Name, err))
			if err == nil {
				v.setInfo(fmt.Sprintf("Downloading “%s” to %s. Follow it under Transfers.", e.Name, dest), widget.SuccessImportance)
			}
		})
	})
}

// downloadCurrent downloads the folder shown.
func (v *browseView) downloadCurrent() {
	name := v.share.Name
	if v.dir != "/" {
		name = path.Base(v.dir)
	}
	v.downloadFolder(v.dir, name)
}

// downloadFolder starts one download per file of dir (in the share
// browsed) into a new folder called name in the save folder.
func (v *browseView) downloadFolder(dir, name string) {
	if err := os.MkdirAll(v.saveDir, 0o755); err != nil {
		showError(v.err, errorMessage("Could not make the folder to save in", err))
		return
	}
	local := v.dests.claim(v.saveDir, name)
	f := remoteFolder{friend: v.friend, share: v.share.Name, dir: dir}
	showError(v.err, "")
	v.setInfo(fmt.Sprintf("Looking through “%s”…", name), widget.MediumImportance)
	v.w.busy.Go(func() {
		report := func(p folderProgress) {
			fyne.Do(func() {
				v.setInfo(fmt.Sprintf("Looking through “%s”: %s started so far…", name, items(p.started, "download", "downloads")), widget.MediumImportance)
			})
		}
		p, err := downloadFolder(v.w.ctx, v.w.client, f, local, report)
		v.w.lost(err)
		fyne.Do(func() { v.folderDone(name, local, p, err) })
	})
}

func (v *browseView) folderDone(name, local string, p folderProgress, err error) {
	msg := fmt.Sprintf("Downloading %s of “%s” into %s. Follow them under Transfers.", items(p.started, "file", "files"), name, local)
	if p.started == 0 && p.failed == 0 && err == nil {
		msg = fmt.Sprintf("“%s” has no files to download; its folders are made in %s.", name, local)
	}
	v.setInfo(msg, widget.SuccessImportance)
	switch {
	case err != nil:
		showError(v.err, fmt.Sprintf("Stopped after starting %s: %v", items(p.started, "download", "downloads"), err))
	case p.failed > 0:
		showError(v.err, fmt.Sprintf("%s could not start: %v", items(p.failed, "file", "files"), p.firstErr))
	default:
		showError(v.err, "")
	}
}

// pickSaveDir lets the resident choose where downloads go.
func (v *browseView) pickSaveDir() {
	d := dialog.NewFolderOpen(func(dir fyne.ListableURI, err error) {
		if err != nil {
			showError(v.err, errorMessage("Could not open the folder", err))
			return
		}
		if dir != nil {
			v.setSaveDir(dir.Path())
		}
	}, v.w.win)
	if l, err := storage.ListerForURI(storage.NewFileURI(v.saveDir)); err == nil {
		d.SetLocation(l)
	}
	d.Resize(fyne.NewSize(720, 480))
	d.Show()
}

// setSaveDir makes dir the folder downloads go to.
func (v *browseView) setSaveDir(dir string) {
	v.saveDir = filepath.Clean(dir)
	v.saveTo.SetText(v.saveDir)
}

// pickUpload lets the resident choose a file to upload to the folder shown.
func (v *browseView) pickUpload() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			showError(v.err, errorMessage("Could not open the file", err))
			return
		}
		if r == nil {
			return
		}
		r.Close()
		v.uploadFile(r.URI().Path())
	}, v.w.win)
	d.Resize(fyne.NewSize(720, 480))
	d.Show()
}

// uploadFile sends a local file into the folder shown.
func (v *browseView) uploadFile(src string) {
	name := filepath.Base(src)
	req := api.NewUpload{Friend: v.friend, Share: v.share.Name, Path: path.Join(v.dir, name), Source: src}
	v.w.call(func(ctx context.Context) {
		_, err := v.w.client.StartUpload(ctx, req)
		v.w.lost(err)
		fyne.Do(func() {
			showError(v.err, errorMessage("Could not upload "+name, err))
			if err == nil {
				v.setInfo(fmt.Sprintf("Uploading “%s” to %s. Follow it under Transfers.", name, path.Join(req.Share, v.dir)), widget.SuccessImportance)
			}
		})
	})
}

// setInfo shows a line of news above the folder, or hides it when empty.
func (v *browseView) setInfo(text string, imp widget.Importance) {
	v.info.Importance = imp
	v.info.SetText(text)
	if text == "" {
		v.info.Hide()
	} else {
		v.info.Show()
	}
}

// items is n with the right noun: "1 file", "1,000 files".
func items(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return count(n) + " " + many
}

// count writes n with thousands separators.
func count(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

package window

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/porchlight/porchlight/app/api"
)

// friendsView lists friends with how each is connected, lets the resident
// browse, rename or remove them, and shows the Porchlights nearby.
type friendsView struct {
	w          *Window
	list       *fyne.Container
	neighbours *fyne.Container
	visibility *visibilityChoice
	requests   *requestList
	err        *widget.Label
	done       *widget.Label
	content    fyne.CanvasObject
}

func newFriendsView(w *Window) *friendsView {
	v := &friendsView{w: w, list: container.NewVBox(), neighbours: container.NewVBox(), err: errorText(), done: note("")}
	v.done.Importance = widget.SuccessImportance
	v.done.Hide()
	v.visibility = newVisibilityChoice(v)
	v.requests = newRequestList(v)
	v.setFriends(nil)
	v.setNeighbours(nil)
	nearby := container.NewVBox(v.visibility.content, v.neighbours)
	v.content = page("Friends", "",
		container.NewVBox(v.err, v.done, v.requests.content, panel("Your friends", v.list), panel("Neighbours on this network", nearby)))
	return v
}

func (v *friendsView) setFriends(fs []api.Friend) {
	fs = slices.Clone(fs)
	slices.SortFunc(fs, func(a, b api.Friend) int { return cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)) })
	rows := make([]fyne.CanvasObject, 0, len(fs))
	for _, f := range fs {
		rows = append(rows, v.friendRow(f))
	}
	if len(rows) == 0 {
		rows = append(rows, note("No friends yet. Invite someone from the Invite tab."))
	}
	setRows(v.list, rows)
}

func (v *friendsView) friendRow(f api.Friend) fyne.CanvasObject {
	state, c := linkState(f.Link)
	browse := widget.NewButtonWithIcon("Browse", theme.FolderOpenIcon(), func() { v.w.browseFriend(f.ID) })
	rename := widget.NewButtonWithIcon("Rename", theme.DocumentCreateIcon(), func() { v.askRename(f) })
	remove := widget.NewButtonWithIcon("Remove", theme.DeleteIcon(), func() { v.askRemove(f) })
	remove.Importance = widget.LowImportance
	actions := container.NewHBox(browse, rename, remove)
	return container.NewBorder(nil, nil, dot(c), container.NewCenter(actions), itemText(f.Name, fmt.Sprintf("ID %s · %s", f.ShortID, state)))
}

// askRename asks for a friend's new name.
func (v *friendsView) askRename(f api.Friend) {
	name := widget.NewEntry()
	name.SetText(f.Name)
	d := dialog.NewForm("Rename "+f.Name, "Rename", "Cancel",
		[]*widget.FormItem{widget.NewFormItem("Name", name)},
		func(ok bool) {
			if n := strings.TrimSpace(name.Text); ok && n != "" && n != f.Name {
				v.w.call(func(ctx context.Context) { v.rename(ctx, f, n) })
			}
		}, v.w.win)
	d.Resize(fyne.NewSize(420, d.MinSize().Height))
	d.Show()
	v.w.win.Canvas().Focus(name)
}

func (v *friendsView) rename(ctx context.Context, f api.Friend, name string) {
	_, err := v.w.client.RenameFriend(ctx, f.ID, name)
	v.w.lost(err)
	fyne.Do(func() { v.report(errorMessage("Could not rename "+f.Name, err), "") })
}

// askRemove asks before ending a friendship, saying what it takes away.
func (v *friendsView) askRemove(f api.Friend) {
	v.w.confirmDanger("Remove "+f.Name+"?", removeWarning(f.Name), "Remove", "Keep",
		func(ctx context.Context) { v.remove(ctx, f) })
}

// removeWarning says what removing a friend takes away.
func removeWarning(name string) string {
	return fmt.Sprintf("%s will no longer reach anything you share,\nand you will no longer see what %s shares with you.", name, name)
}

func (v *friendsView) remove(ctx context.Context, f api.Friend) {
	err := v.w.client.RemoveFriend(ctx, f.ID)
	v.w.lost(err)
	fyne.Do(func() {
		v.report(errorMessage("Could not remove "+f.Name, err), f.Name+" is no longer your friend.")
	})
	if err == nil {
		if err := v.w.refreshFriends(ctx); err != nil {
			v.w.log.Warn("list friends after removing one", "err", err)
		}
	}
}

// report shows what went wrong, or what was done when nothing did.
func (v *friendsView) report(failure, success string) {
	showError(v.err, failure)
	if failure == "" && success != "" {
		v.done.SetText(success)
		v.done.Show()
	} else {
		v.done.Hide()
	}
}

func (v *friendsView) setNeighbours(ns []api.Neighbour) {
	rows := make([]fyne.CanvasObject, 0, len(ns))
	now := time.Now()
	for _, n := range ns {
		rows = append(rows, v.neighbourRow(n, now))
	}
	if len(rows) == 0 {
		rows = append(rows, note("No other Porchlight seen on this network."))
	}
	setRows(v.neighbours, rows)
}

// neighbourRow is one Porchlight nearby; a visible one that is not a
// friend yet can be asked to be friends.
func (v *friendsView) neighbourRow(n api.Neighbour, now time.Time) fyne.CanvasObject {
	name := cmp.Or(n.Name, "A Porchlight nearby")
	detail := []string{"not a friend yet"}
	c := colorNone
	if n.Friend {
		detail, c = []string{"your friend"}, colorGood
	}
	if len(n.Addrs) > 0 {
		detail = append(detail, strings.Join(n.Addrs, ", "))
	}
	if seen := modifiedDate(n.Seen, now); seen != "" {
		detail = append(detail, "seen "+strings.ToLower(seen[:1])+seen[1:])
	}
	var ask fyne.CanvasObject
	if n.ID != "" && !n.Friend {
		ask = container.NewCenter(widget.NewButtonWithIcon("Ask to be friends", theme.ContentAddIcon(), func() { v.requests.ask(n) }))
	}
	return container.NewBorder(nil, nil, dot(c), ask, itemText(name, strings.Join(detail, " · ")))
}

// requestChanged follows a friend request between neighbours.
func (v *friendsView) requestChanged(r api.Request) { v.requests.changed(r) }

// requestsLoaded catches up with the friend requests after a (re)connect.
func (v *friendsView) requestsLoaded(rs []api.Request) {
	for _, r := range rs {
		v.requests.changed(r)
	}
}

// browseFriend opens the Browse view on a friend's shares.
func (w *Window) browseFriend(friend string) {
	w.tabs.Select(w.tabFor[ViewBrowse])
	w.browse.openFriend(friend)
}

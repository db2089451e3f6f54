package window

import (
	"path/filepath"
	"slices"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/porchlight/porchlight/app/api"
	"github.com/porchlight/porchlight/ui/window/internal/fake"
	"github.com/porchlight/porchlight/ui/window/internal/uitest"
)

func TestShareAddsFolderAndListsIt(t *testing.T) {
	core := fake.New(sampleStatus())
	core.SetShares(api.Share{Name: "Recipes", Path: "/home/ana/Recipes", Audience: "friends", Mode: "ro"})
	h := newHarness(t, core)
	h.start()
	dir := filepath.Join(t.TempDir(), "Choir rehearsals")

	h.ui(func() {
		h.w.Show(ViewShare, "")
		if !h.w.share.submit.Disabled() {
			t.Error("Share is enabled before a folder is chosen")
		}
		h.w.share.pick(dir) // what the folder dialog calls
		if got := h.w.share.name.Text; got != "Choir rehearsals" {
			t.Errorf("name = %q, want the folder's name", got)
		}
		test.Tap(h.w.share.submit)
	})
	h.waitText(h.w.share.content, "“Choir rehearsals” is shared with all friends, read-only.")
	h.waitText(h.w.share.list, "Recipes", "Choir rehearsals", dir)
	h.waitText(h.w.home.shares, "Choir rehearsals")

	ss, err := core.Shares(h.ctx)
	if err != nil || len(ss) != 2 || ss[1].Path != dir {
		t.Errorf("core shares = %+v, %v; want the new folder added", ss, err)
	}
}

func TestShareKeepsTypedNameAndShowsErrors(t *testing.T) {
	core := fake.New(sampleStatus())
	core.SetShares(api.Share{Name: "Photos", Path: "/old/Photos", Audience: "friends", Mode: "ro"})
	h := newHarness(t, core)
	h.start()
	h.ui(func() {
		h.w.Show(ViewShare, "file:///home/ana/Pictures")
		if got := h.w.share.path; got != "/home/ana/Pictures" {
			t.Errorf("path = %q from a file:// URL", got)
		}
		h.w.share.name.SetText("Photos")
		h.w.share.pick("/home/ana/Other")
		if got := h.w.share.name.Text; got != "Photos" {
			t.Errorf("name = %q, want the typed name kept", got)
		}
		test.Tap(h.w.share.submit)
	})
	h.waitText(h.w.share.err, "Could not share the folder: a share named \"Photos\" already exists.")
	h.ui(func() {
		if h.w.share.submit.Disabled() {
			t.Error("Share stays disabled after an error")
		}
	})
}

func TestShareWithChosenFriendsAndMode(t *testing.T) {
	core := fake.New(sampleStatus())
	core.SetFriends(
		api.Friend{ID: "samid", ShortID: "3JH8-QW2N", Name: "Sam Okafor", Link: "direct"},
		api.Friend{ID: "ritaid", ShortID: "9PLM-4XC7", Name: "Rita Desai", Link: "relayed"},
		api.Friend{ID: "meiid", ShortID: "W7RZ-6NHE", Name: "Mei Wong", Link: "none"},
	)
	h := newHarness(t, core)
	h.start()
	h.ui(func() {
		h.w.Show(ViewShare, "")
		h.w.share.pick(filepath.Join(t.TempDir(), "Minutes"))
		h.w.share.who.SetSelected(whoChosen)
	})
	h.waitText(h.w.share.checks, "Sam Okafor", "Mei Wong")

	h.ui(func() { test.Tap(h.w.share.submit) })
	h.waitText(h.w.share.err, "Tick at least one friend, or share with all your friends.")

	h.ui(func() {
		for _, name := range []string{"Sam Okafor", "Mei Wong"} {
			test.Tap(uitest.Find(h.w.share.checks, func(c *widget.Check) bool { return c.Text == name }))
		}
		h.w.share.how.SetSelected(howReadWrite)
		test.Tap(h.w.share.submit)
	})
	h.waitText(h.w.share.content, "“Minutes” is shared with Mei Wong and Sam Okafor, read and write.")
	ss, _ := core.Shares(h.ctx)
	if len(ss) != 1 || ss[0].Audience != "chosen" || ss[0].Mode != "rw" || !slices.Equal(ss[0].Friends, []string{"Mei Wong", "Sam Okafor"}) {
		t.Errorf("core shares = %+v, want Minutes for Mei and Sam, read-write", ss)
	}
	h.ui(func() {
		if h.w.share.who.Selected != whoAll || h.w.share.how.Selected != howReadOnly || h.w.share.checks.Visible() {
			t.Error("the form is not back to all friends, read-only, after sharing")
		}
	})
}

func TestShareDropBox(t *testing.T) {
	core := fake.New(sampleStatus())
	h := newHarness(t, core)
	h.start()
	h.ui(func() {
		h.w.Show(ViewShare, "")
		h.w.share.pick("/home/ana/Inbox")
		h.w.share.how.SetSelected(howDropBox)
		test.Tap(h.w.share.submit)
	})
	h.waitText(h.w.share.content, "“Inbox” is shared with all friends, drop box.")
	if ss, _ := core.Shares(h.ctx); len(ss) != 1 || ss[0].Mode != "drop" || ss[0].Audience != "friends" {
		t.Errorf("core shares = %+v, want a drop box for all friends", ss)
	}
}

func TestSharePauseResumeAndStop(t *testing.T) {
	core := fake.New(sampleStatus())
	core.SetShares(
		api.Share{Name: "Recipes", Path: "/home/ana/Recipes", Audience: "friends", Mode: "ro"},
		api.Share{Name: "Photos", Path: "/home/ana/Photos", Audience: "chosen", Mode: "rw", Friends: []string{"Sam Okafor"}},
	)
	h := newHarness(t, core)
	h.start()
	h.ui(func() { h.w.Show(ViewShare, "") })
	h.waitText(h.w.share.list, "Recipes", "Photos", "Sam Okafor · read and write · /home/ana/Photos")

	h.tapButton(h.rowWith(h.w.share.list, "Recipes"), "Pause")
	h.waitText(h.w.share.list, "Paused · all friends · read-only")
	if ss, _ := core.Shares(h.ctx); !ss[0].Paused {
		t.Error("Recipes is not paused in the core")
	}
	h.tapButton(h.rowWith(h.w.share.list, "Recipes"), "Resume")
	h.eventually("Recipes resumed", func() bool { return !containsText(h.w.share.list, "Paused") })

	h.tapButton(h.rowWith(h.w.share.list, "Photos"), "Stop sharing")
	h.tapButton(h.dialogShown("Stop sharing “Photos”?", "The folder itself stays on your computer"), "Stop sharing")
	h.waitText(h.w.share.content, "“Photos” is no longer shared.")
	h.eventually("Photos gone", func() bool { return !containsText(h.w.share.list, "/home/ana/Photos") })
	if ss, _ := core.Shares(h.ctx); len(ss) != 1 || ss[0].Name != "Recipes" {
		t.Errorf("core shares = %+v, want only Recipes", ss)
	}
}

func TestShareWithFriendsOnThisNetwork(t *testing.T) {
	core := fake.New(sampleStatus())
	h := newHarness(t, core)
	h.start()
	dir := filepath.Join(t.TempDir(), "Porch")
	h.ui(func() {
		h.w.Show(ViewShare, "")
		h.w.share.pick(dir)
		h.w.share.who.SetSelected(whoNear)
		test.Tap(h.w.share.submit)
	})
	h.waitText(h.w.share.content, "“Porch” is shared with friends on this network, read-only.")
	ss, _ := core.Shares(h.ctx)
	if len(ss) != 1 || ss[0].Audience != "neighbours" {
		t.Fatalf("core shares = %+v, want one for neighbours", ss)
	}
}

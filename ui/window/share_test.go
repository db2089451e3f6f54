package window

import (
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/porchlight/porchlight/app/api"
	"github.com/porchlight/porchlight/ui/window/internal/fake"
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

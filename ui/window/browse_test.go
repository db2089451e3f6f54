package window

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/porchlight/porchlight/app/api"
	"github.com/porchlight/porchlight/ui/window/internal/fake"
	"github.com/porchlight/porchlight/ui/window/internal/uitest"
)

// browseCore is a resident whose friend Sam shares "Photos" with them.
func browseCore(mode string, entries ...api.Entry) *fake.Client {
	core := fake.New(sampleStatus())
	core.SetFriends(api.Friend{ID: "samid", ShortID: "3JH8-QW2N", Name: "Sam Okafor", Link: "direct"})
	core.ShareWithMe("samid", api.RemoteShare{Name: "Photos", Mode: mode})
	core.PutEntries("samid", "Photos", "/", entries...)
	return core
}

// openBrowse shows Sam's only share and waits until want is shown.
func (h *harness) openBrowse(want ...string) {
	h.t.Helper()
	h.ui(func() { h.w.Show(ViewBrowse, "Sam Okafor") })
	h.waitText(h.w.browse.content, want...)
}

func TestBrowseLoadsBigFoldersPageByPage(t *testing.T) {
	var es []api.Entry
	for i := 1; i <= 1000; i++ {
		es = append(es, api.Entry{Name: fmt.Sprintf("IMG_%04d.jpg", i), Size: 2_500_000, Modified: time.Now()})
	}
	core := browseCore("ro", es...)
	h := newHarness(t, core)
	h.start()
	h.openBrowse("Showing 200 of 1,000 items", "IMG_0001.jpg", "2.5 MB")
	h.ui(func() {
		if n := len(h.w.browse.entries); n != 200 {
			t.Errorf("%d entries loaded at first, want 200", n)
		}
		if !h.w.browse.more.Visible() {
			t.Error("Load more is hidden while 800 entries are left")
		}
		if h.w.browse.upload.Visible() {
			t.Error("Upload is offered on a read-only share")
		}
		test.Tap(h.w.browse.more)
	})
	h.waitText(h.w.browse.status, "Showing 400 of 1,000 items")

	h.ui(func() { test.Type(h.w.browse.search, "img_01") })
	h.waitText(h.w.browse.status, "100 matches found among the first 400 of 1,000 items")
	h.ui(func() {
		if n := len(h.w.browse.shown); n != 100 {
			t.Errorf("%d entries shown for “img_01”, want 100", n)
		}
		for _, e := range h.w.browse.shown {
			if !strings.HasPrefix(e.Name, "IMG_01") {
				t.Errorf("%s shown for “img_01”", e.Name)
			}
		}
		h.w.browse.search.SetText("")
		for h.w.browse.next > 0 && !h.w.browse.loading {
			h.w.browse.loadMore()
		}
	})
	h.eventually("every page", func() bool {
		if !h.w.browse.loading && h.w.browse.next > 0 {
			h.w.browse.loadMore()
		}
		return len(h.w.browse.entries) == 1000
	})
	h.waitText(h.w.browse.status, "1,000 items")
	h.ui(func() {
		if h.w.browse.more.Visible() {
			t.Error("Load more is shown with everything loaded")
		}
	})
}

func TestBrowseWalksFolders(t *testing.T) {
	core := browseCore("ro", api.Entry{Name: "Album", Dir: true}, api.Entry{Name: "cover.jpg", Size: 10})
	core.PutEntries("samid", "Photos", "/Album", api.Entry{Name: "beach.jpg", Size: 2000})
	h := newHarness(t, core)
	h.start()
	h.openBrowse("Album", "cover.jpg", "2 items")
	h.ui(func() { h.w.browse.selected(0) }) // what tapping the Album row does
	h.waitText(h.w.browse.content, "beach.jpg", "1 item")
	h.ui(func() {
		if h.w.browse.dir != "/Album" || h.w.browse.up.Disabled() {
			t.Errorf("in %q with Up disabled=%v", h.w.browse.dir, h.w.browse.up.Disabled())
		}
		test.Tap(h.w.browse.up)
	})
	h.waitText(h.w.browse.content, "cover.jpg", "2 items")
}

func TestBrowseDownloadPicksAFreeName(t *testing.T) {
	core := browseCore("ro", api.Entry{Name: "notes.txt", Size: 300})
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o600); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, core)
	h.start()
	h.openBrowse("notes.txt")
	h.ui(func() { h.w.browse.setSaveDir(dir) })

	var row *entryRow
	h.ui(func() {
		row = uitest.Find(h.w.browse.list, func(r *entryRow) bool { return r.name.Text == "notes.txt" })
	})
	if row == nil {
		t.Fatal("no row for notes.txt")
	}
	h.ui(func() { test.Tap(row.download) })
	h.waitText(h.w.browse.info, "Downloading “notes.txt” to "+filepath.Join(dir, "notes (2).txt"))
	h.ui(func() { test.Tap(row.download) }) // the first one is not on disk yet
	h.waitText(h.w.browse.info, filepath.Join(dir, "notes (3).txt"))

	ts, err := core.Transfers(h.ctx)
	if err != nil || len(ts) != 2 {
		t.Fatalf("transfers = %v, %v; want two", ts, err)
	}
	for i, want := range []string{"notes (3).txt", "notes (2).txt"} {
		if ts[i].Path != "/notes.txt" || ts[i].Dest != filepath.Join(dir, want) || ts[i].Friend != "Sam Okafor" || ts[i].Share != "Photos" {
			t.Errorf("transfer %d = %+v, want /notes.txt to %s", i, ts[i], want)
		}
	}
}

func TestBrowseDownloadsAWholeFolder(t *testing.T) {
	core := browseCore("ro", api.Entry{Name: "Album", Dir: true})
	core.PutEntries("samid", "Photos", "/Album", api.Entry{Name: "a.jpg", Size: 10}, api.Entry{Name: "b.jpg", Size: 20}, api.Entry{Name: "Empty", Dir: true})
	core.PutEntries("samid", "Photos", "/Album/Sub", api.Entry{Name: "c.jpg", Size: 30})
	dir := t.TempDir()
	h := newHarness(t, core)
	h.start()
	h.openBrowse("Album")
	h.ui(func() {
		h.w.browse.setSaveDir(dir)
		h.w.browse.download(h.w.browse.shown[0])
	})
	h.waitText(h.w.browse.info, "Downloading 3 files of “Album” into "+filepath.Join(dir, "Album"))

	ts, err := core.Transfers(h.ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tr := range ts {
		got = append(got, tr.Path+" -> "+strings.TrimPrefix(tr.Dest, dir))
	}
	slices.Sort(got)
	want := []string{
		"/Album/Sub/c.jpg -> /Album/Sub/c.jpg",
		"/Album/a.jpg -> /Album/a.jpg",
		"/Album/b.jpg -> /Album/b.jpg",
	}
	if !slices.Equal(got, want) {
		t.Errorf("transfers:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if info, err := os.Stat(filepath.Join(dir, "Album", "Empty")); err != nil || !info.IsDir() {
		t.Errorf("empty subfolder not made: %v", err)
	}
}

func TestBrowseUploadOnlyWhereAllowed(t *testing.T) {
	core := browseCore("ro", api.Entry{Name: "a.txt"})
	core.ShareWithMe("samid", api.RemoteShare{Name: "Inbox", Mode: "drop"})
	core.ShareWithMe("samid", api.RemoteShare{Name: "Shared notes", Mode: "rw"})
	h := newHarness(t, core)
	h.start()
	h.openBrowse("shares 3 folders with you")

	pick := func(share string) {
		h.ui(func() { h.w.browse.shareSel.SetSelected(share) })
	}
	pick("Photos")
	h.waitText(h.w.browse.content, "a.txt")
	h.ui(func() {
		if h.w.browse.upload.Visible() {
			t.Error("Upload offered on a read-only share")
		}
	})
	pick("Inbox")
	h.waitText(h.w.browse.info, "“Inbox” is a drop box: you can put files in it, but not see what is inside.")
	h.ui(func() {
		if !h.w.browse.upload.Visible() {
			t.Error("Upload hidden on a drop box")
		}
	})
	pick("Shared notes")
	h.waitText(h.w.browse.status, "This folder is empty")

	src := filepath.Join(t.TempDir(), "minutes.odt")
	if err := os.WriteFile(src, []byte("minutes"), 0o600); err != nil {
		t.Fatal(err)
	}
	h.ui(func() {
		if !h.w.browse.upload.Visible() {
			t.Error("Upload hidden on a read-write share")
		}
		h.w.browse.uploadFile(src) // what the file dialog calls
	})
	h.waitText(h.w.browse.info, "Uploading “minutes.odt” to Shared notes")
	ts, _ := core.Transfers(h.ctx)
	if len(ts) != 1 || ts[0].Kind != api.TransferUpload || ts[0].Path != "/minutes.odt" || ts[0].Dest != src || ts[0].Share != "Shared notes" {
		t.Errorf("transfers = %+v, want the upload", ts)
	}
}

func TestBrowseSaysWhyItCannot(t *testing.T) {
	core := browseCore("ro")
	core.SetFriends(api.Friend{ID: "samid", ShortID: "3JH8-QW2N", Name: "Sam Okafor", Link: "none"})
	h := newHarness(t, core)
	h.start()
	h.openBrowse("Could not see what Sam Okafor shares: Sam Okafor is not connected right now; try again when they are online.")
	h.ui(func() {
		if h.w.browse.folder.Visible() {
			t.Error("the folder list shows without a share")
		}
	})
}

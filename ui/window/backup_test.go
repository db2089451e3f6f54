package window

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/widget"

	"github.com/porchlight/porchlight/app/api"
	"github.com/porchlight/porchlight/ui/window/internal/fake"
	"github.com/porchlight/porchlight/ui/window/internal/uitest"
)

// TestBackupSavesIntoDocuments: Back up… asks for a passphrase twice,
// refuses a short or mismatched one, and saves the core's sealed backup
// into the Documents folder, readable by the resident only.
func TestBackupSavesIntoDocuments(t *testing.T) {
	docs := t.TempDir()
	t.Setenv("XDG_DOCUMENTS_DIR", docs)
	core := fake.New(sampleStatus())
	core.SetFriends(api.Friend{ID: "samid", ShortID: "3JH8-QW2N", Name: "Sam Okafor"})
	h := newHarness(t, core)
	h.start()
	h.tapButton(h.w.home.content, "Back up…")
	dlg := h.dialogShown("Back up your friendships", "write it down")

	var pass, again *widget.Entry
	h.ui(func() {
		entries := []*widget.Entry{}
		uitest.Find(dlg, func(e *widget.Entry) bool { entries = append(entries, e); return false })
		if len(entries) != 2 {
			t.Fatalf("the dialog has %d entries, want 2", len(entries))
		}
		pass, again = entries[0], entries[1]
	})
	for _, tt := range []struct{ pass, again, says string }{
		{"short", "short", "at least 10 characters"},
		{"a long passphrase", "a long passphrasE", "differ"},
	} {
		h.ui(func() { pass.SetText(tt.pass); again.SetText(tt.again) })
		h.tapButton(dlg, "Save backup")
		h.waitText(dlg, tt.says)
	}
	if got := core.Backups(); len(got) != 0 {
		t.Fatalf("the core was asked for backups %q before the passphrases were right", got)
	}

	h.ui(func() { pass.SetText("a long passphrase"); again.SetText("a long passphrase") })
	h.tapButton(dlg, "Save backup")
	h.eventually("the backup to be saved", func() bool {
		top := h.w.win.Canvas().Overlays().Top()
		return top != nil && containsText(top, "Your identity and 1 friendships are in") && containsText(top, docs)
	})
	if got := core.Backups(); !slices.Equal(got, []string{"a long passphrase"}) {
		t.Fatalf("backups asked for: %q", got)
	}
	files, _ := filepath.Glob(filepath.Join(docs, "Porchlight backup *.plbackup"))
	if len(files) != 1 {
		t.Fatalf("Documents holds %v, want one backup", files)
	}
	data, err := os.ReadFile(files[0])
	if err != nil || string(data) != "sealed:a long passphrase" {
		t.Fatalf("the backup file holds %q (%v)", data, err)
	}
	if info, _ := os.Stat(files[0]); info.Mode().Perm() != 0o600 {
		t.Errorf("the backup file's mode is %v, want 0600", info.Mode().Perm())
	}
	if !strings.HasSuffix(files[0], ".plbackup") {
		t.Errorf("backup named %s", files[0])
	}
}

// TestRestoreFromTheFirstRun: on a new computer the first-run question
// offers to restore a backup; a wrong passphrase is said so, the right one
// brings the resident back.
func TestRestoreFromTheFirstRun(t *testing.T) {
	st := sampleStatus()
	st.Name, st.NameChosen = "Neighbour 7QX4-K2MP", false
	core := fake.New(st)
	file := filepath.Join(t.TempDir(), "Porchlight backup.plbackup")
	if err := os.WriteFile(file, []byte("sealed:plum tree by the gate"), 0o600); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, core)
	h.start()
	h.waitText(h.w.home.content, "Moving from another computer?")
	h.tapButton(h.w.home.content, "Restore a backup…")
	dlg := h.dialogShown("Restore from a backup", "no friends yet")

	var path, pass *widget.Entry
	h.ui(func() {
		entries := []*widget.Entry{}
		uitest.Find(dlg, func(e *widget.Entry) bool { entries = append(entries, e); return false })
		if len(entries) != 2 {
			t.Fatalf("the dialog has %d entries, want 2", len(entries))
		}
		path, pass = entries[0], entries[1]
	})
	h.tapButton(dlg, "Restore")
	h.waitText(dlg, "Choose the backup file")
	h.ui(func() { path.SetText(file); pass.SetText("apple tree by the gate") })
	h.tapButton(dlg, "Restore")
	h.waitText(dlg, "passphrase does not open")

	h.ui(func() { pass.SetText("plum tree by the gate") })
	h.tapButton(dlg, "Restore")
	h.eventually("the welcome back", func() bool {
		top := h.w.win.Canvas().Overlays().Top()
		return top != nil && containsText(top, "Your 1 friendships are back")
	})
	h.waitText(h.w.home.content, "Ana Lima", "Sam Okafor")
	h.ui(func() {
		if h.w.home.nameBox.Visible() {
			t.Error("after a restore the window still asks for a name")
		}
	})
}

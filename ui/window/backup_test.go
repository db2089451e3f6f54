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

package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/porchlight/porchlight/app/api"
)

// TestBackupCarriesFriendshipsToANewLaptop: Ana backs up, her laptop is
// lost, and a new one restored from the backup is the same Ana to Ben:
// same ID, still friends, and their link works. A wrong passphrase, a
// running Porchlight and a folder with someone else's friends are refused
// with a message, and nothing is changed.
func TestBackupCarriesFriendshipsToANewLaptop(t *testing.T) {
	r := startRelay(t)
	ana := newNode(t, "Ana", r.URL)
	ben := newNode(t, "Ben", r.URL)
	befriend(t, ana, ben)
	ben.MustRun("share add", "--name", "Garden", t.TempDir())
	var before api.Status
	ana.JSON(&before, "status")

	tmp := t.TempDir()
	pass := filepath.Join(tmp, "pass")
	if err := os.WriteFile(pass, []byte("correct horse battery staple\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	wrong := filepath.Join(tmp, "wrong")
	if err := os.WriteFile(wrong, []byte("not the passphrase at all\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(tmp, "ana.plbackup")
	out := ana.MustRun("backup", "--passphrase-file", pass, file)
	if !strings.Contains(out, "1 friendships") {
		t.Fatalf("backup said %q", out)
	}
	if info, err := os.Stat(file); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("backup file: %v, mode %v; want 0600", err, info.Mode().Perm())
	}
	if _, errOut, code := ana.Run("backup", "--passphrase-file", pass, file); code == 0 || !strings.Contains(errOut, "already exists") {
		t.Errorf("a second backup over the first: exit %d, %q", code, errOut)
	}
	short := filepath.Join(tmp, "short")
	os.WriteFile(short, []byte("short\n"), 0o600)
	if _, errOut, code := ana.Run("backup", "--passphrase-file", short, filepath.Join(tmp, "x")); code == 0 || !strings.Contains(errOut, "10") {
		t.Errorf("a backup with a short passphrase: exit %d, %q", code, errOut)
	}

	restore := func(dir, passFile string) (string, int) {
		into := &node{t: t, Dir: dir}
		stdout, stderr, code := into.Run("restore", "--passphrase-file", passFile, file)
		return stdout + stderr, code
	}
	// While Ana's Porchlight runs, it cannot be restored over.
	if msg, code := restore(ana.Dir, pass); code == 0 || !strings.Contains(msg, "quit it first") {
		t.Errorf("restore over a running Porchlight: exit %d, %q", code, msg)
	}
	// Ben's folder has friends of his own.
	ben.Stop()
	if msg, code := restore(ben.Dir, pass); code == 0 || !strings.Contains(msg, "already has friends") {
		t.Errorf("restore over Ben's friendships: exit %d, %q", code, msg)
	}
	ben.Start()

	// Ana's laptop is lost.
	ana.killHard()
	newDir := t.TempDir()
	if msg, code := restore(newDir, wrong); code == 0 || !strings.Contains(msg, "passphrase does not open") {
		t.Errorf("restore with the wrong passphrase: exit %d, %q", code, msg)
	}
	if _, err := os.Stat(filepath.Join(newDir, "identity.key")); err == nil {
		t.Error("a refused restore wrote an identity")
	}
	msg, code := restore(newDir, pass)
	if code != 0 || !strings.Contains(msg, "1 friendships") {
		t.Fatalf("restore: exit %d, %q", code, msg)
	}
	ana2 := &node{t: t, Name: "Ana", Dir: newDir, relays: []string{r.URL}, API: api.NewClient(api.SocketPath(newDir)), ifaces: "lo"}
	ana2.Start()
	t.Cleanup(ana2.Stop)
	var after api.Status
	ana2.JSON(&after, "status")
	if after.ID != before.ID {
		t.Fatalf("the restored Ana is %s, was %s", after.ID, before.ID)
	}
	if got := ana2.Friends(); len(got) != 1 || got[0] != "Ben" {
		t.Fatalf("the restored Ana's friends: %v", got)
	}
	// The friendship works: the link comes up and Ben's share answers.
	ana2.MustRun("ls", "Ben:/Garden")
}

// TestRestoreIntoARunningPorchlight: on a new laptop Porchlight is already
// running (the tray started it); the window hands it the backup, and it
// starts again as the same Ana, still Ben's friend. A Porchlight that
// already has friends, or a wrong passphrase, is refused with a message.
func TestRestoreIntoARunningPorchlight(t *testing.T) {
	r := startRelay(t)
	ana := newNode(t, "Ana", r.URL)
	ben := newNode(t, "Ben", r.URL)
	befriend(t, ana, ben)
	ben.MustRun("share add", "--name", "Garden", t.TempDir())
	const pass = "the plum tree by the gate"
	ctx := t.Context()
	b, err := ana.API.ExportBackup(ctx, pass)
	if err != nil {
		t.Fatal(err)
	}
	var before api.Status
	ana.JSON(&before, "status")
	ana.killHard()

	if _, err := ben.API.RestoreBackup(ctx, pass, b.Data); err == nil || !strings.Contains(err.Error(), "already have 1 friends") {
		t.Errorf("restore over Ben's friendships: %v", err)
	}
	fresh := newNode(t, "Ana", r.URL) // the new laptop
	if _, err := fresh.API.RestoreBackup(ctx, "not the passphrase", b.Data); err == nil || !strings.Contains(err.Error(), "passphrase does not open") {
		t.Errorf("restore with a wrong passphrase: %v", err)
	}
	if _, err := fresh.API.RestoreBackup(ctx, pass, []byte("PNG, not a backup")); err == nil || !strings.Contains(err.Error(), "not a Porchlight backup") {
		t.Errorf("restore of a picture: %v", err)
	}
	got, err := fresh.API.RestoreBackup(ctx, pass, b.Data)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != before.ID || got.Friends != 1 {
		t.Fatalf("restored %+v, want %s with 1 friend", got, before.ID)
	}
	waitFor(t, 15*time.Second, "the new laptop to start again as Ana", func() error {
		st, err := fresh.API.Status(ctx)
		if err != nil {
			return err
		}
		if st.ID != before.ID {
			return fmt.Errorf("still %s", st.ID)
		}
		return nil
	})
	if got := fresh.Friends(); len(got) != 1 || got[0] != "Ben" {
		t.Fatalf("the restored Ana's friends: %v", got)
	}
	fresh.MustRun("ls", "Ben:/Garden")
}

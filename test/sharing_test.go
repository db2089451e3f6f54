package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/porchlight/porchlight/app/api"
)

// killHard ends a daemon the way a crash or a dead battery would.
func (n *node) killHard() {
	n.cmd.Process.Signal(syscall.SIGKILL)
	n.cmd.Wait()
}

// awaitTransfer polls a transfer until cond holds.
func awaitTransfer(t *testing.T, n *node, id string, limit time.Duration, what string, cond func(api.Transfer) bool) api.Transfer {
	t.Helper()
	var last api.Transfer
	waitFor(t, limit, what, func() error {
		tr, err := n.API.Transfer(context.Background(), id)
		if err != nil {
			return err
		}
		last = tr
		if tr.State == api.TransferFailed {
			t.Fatalf("transfer failed: %s", tr.Error)
		}
		if !cond(tr) {
			return errNotYet(tr)
		}
		return nil
	})
	return last
}

func errNotYet(t api.Transfer) error {
	return fmt.Errorf("%s, %d of %d MiB", t.State, t.Bytes>>20, t.Size>>20)
}

// TestDownloadResumesAfterHostCrash: a 1 GiB download is cut by killing the
// host's daemon; when it comes back the download resumes where it stopped,
// and the file is verified before it appears under its name.
func TestDownloadResumesAfterHostCrash(t *testing.T) {
	r := startRelay(t)
	ana := newNode(t, "Ana", r.URL)
	ben := newNode(t, "Ben", r.URL)
	befriend(t, ana, ben)
	dir := t.TempDir()
	const size = 1 << 30
	want := writeRandomFile(t, filepath.Join(dir, "film.mkv"), size)
	ana.MustRun("share add", "--name", "Films", dir)

	dest := filepath.Join(t.TempDir(), "film.mkv")
	tr, err := ben.API.StartTransfer(t.Context(), api.NewTransfer{Friend: "Ana", Share: "Films", Path: "film.mkv", Dest: dest})
	if err != nil {
		t.Fatal(err)
	}
	awaitTransfer(t, ben, tr.ID, time.Minute, "a quarter of the film", func(tr api.Transfer) bool { return tr.Bytes > size/4 })
	ana.killHard()
	time.Sleep(time.Second)
	part, err := os.Stat(dest + ".porchlight-part")
	if err != nil {
		t.Fatalf("no part file while the host is down: %v", err)
	}
	if _, err := os.Stat(dest); err == nil {
		t.Fatal("the unfinished film appeared under its real name")
	}
	ana.Start()
	var resumedAt int64 = -1
	done := awaitTransfer(t, ben, tr.ID, 3*time.Minute, "the download to finish", func(tr api.Transfer) bool {
		if resumedAt < 0 && tr.State == api.TransferRunning {
			resumedAt = tr.Bytes
		}
		return tr.State == api.TransferDone
	})
	if resumedAt < part.Size()/2 {
		t.Errorf("after the restart the download was at %d bytes; the part file held %d: it started over", resumedAt, part.Size())
	}
	if done.Bytes != size {
		t.Fatalf("done with %d bytes", done.Bytes)
	}
	if got := fileSHA256(t, dest); got != want {
		t.Fatalf("sha256 %s, want %s", got, want)
	}
}

// TestUploadsAndGrants: uploads land only when complete, a crash mid-upload
// leaves nothing, a read-only share refuses writes, and a chosen-friends
// share is invisible to others.
func TestUploadsAndGrants(t *testing.T) {
	r := startRelay(t)
	ana := newNode(t, "Ana", r.URL)
	ben := newNode(t, "Ben", r.URL)
	cas := newNode(t, "Cas", r.URL)
	befriend(t, ana, ben)
	befriend(t, ana, cas)
	inbox, readonly := t.TempDir(), t.TempDir()
	ana.MustRun("share add", "--name", "Inbox", "--mode", "drop", "--friends", "Ben", inbox)
	ana.MustRun("share add", "--name", "Docs", readonly)

	src := filepath.Join(t.TempDir(), "letter.txt")
	os.WriteFile(src, []byte("dear Ana"), 0o644)
	ben.MustRun("put", src, "Ana:/Inbox/")
	ben.MustRun("put", src, "Ana:/Inbox/") // the same name again is kept apart
	entries, _ := os.ReadDir(inbox)
	if len(entries) != 2 {
		t.Fatalf("inbox holds %v, want two letters", names(entries))
	}

	_, errOut, code := ben.Run("put", src, "Ana:/Docs/letter.txt")
	if code == 0 || !strings.Contains(errOut, "read-only") {
		t.Fatalf("put into a read-only share: exit %d, %q", code, errOut)
	}
	if _, _, code := cas.Run("put", src, "Ana:/Inbox/"); code == 0 {
		t.Fatal("Cas wrote into Ben's drop box")
	}
	ana.MustRun("share add", "--name", "Porch", "--friends", "neighbours", t.TempDir())
	var remote []api.RemoteShare
	cas.JSON(&remote, "ls", "Ana:/")
	for _, s := range remote {
		if s.Name == "Inbox" {
			t.Fatal("Cas sees a share meant for Ben only")
		}
		if s.Name == "Porch" {
			t.Fatal("Cas, linked from afar, sees a share for friends on Ana's network")
		}
	}

	// A big upload cut by the host's crash leaves no file behind.
	big := filepath.Join(t.TempDir(), "big.bin")
	writeRandomFile(t, big, 300<<20)
	tr, err := ben.API.StartUpload(t.Context(), api.NewUpload{Friend: "Ana", Share: "Inbox", Path: "big.bin", Source: big})
	if err != nil {
		t.Fatal(err)
	}
	awaitTransfer(t, ben, tr.ID, time.Minute, "part of the upload", func(tr api.Transfer) bool { return tr.Bytes > 50<<20 })
	ana.killHard()
	ben.API.CancelTransfer(t.Context(), tr.ID)
	ana.Start() // Ana's core sweeps away what the cut upload left
	waitFor(t, 10*time.Second, "the inbox to hold only the two letters", func() error {
		if entries, _ = os.ReadDir(inbox); len(entries) != 2 {
			return fmt.Errorf("the inbox holds %v", names(entries))
		}
		return nil
	})
}

func names(es []os.DirEntry) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	return out
}

// TestMountWithLitmus: a friend's read-write share, mounted on a loopback
// WebDAV address, passes the litmus conformance suite's core groups.
func TestMountWithLitmus(t *testing.T) {
	if _, err := exec.LookPath("litmus"); err != nil {
		t.Skip("needs litmus (apt install litmus)")
	}
	r := startRelay(t)
	ana := newNode(t, "Ana", r.URL)
	ben := newNode(t, "Ben", r.URL)
	befriend(t, ana, ben)
	ana.MustRun("share add", "--name", "Shared", "--mode", "rw", t.TempDir())
	var m api.Mount
	ben.JSON(&m, "mount", "Ana:/Shared")
	cmd := exec.Command("litmus", m.URL, m.User, m.Password)
	cmd.Dir = t.TempDir() // litmus writes its logs into the working directory
	cmd.Env = append(os.Environ(), "TESTS=basic copymove props")
	out, err := cmd.CombinedOutput()
	t.Logf("litmus:\n%s", out)
	if err != nil {
		t.Fatalf("litmus failed: %v", err)
	}
}

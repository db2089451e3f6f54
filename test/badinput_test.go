package e2e

import (
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/porchlight/porchlight/app/api"
)

// TestBadInvites: malformed, truncated and tampered invites are refused with
// a clear message, and nothing changes.
func TestBadInvites(t *testing.T) {
	r := startRelay(t)
	ana := newNode(t, "Ana", r.URL)
	ben := newNode(t, "Ben", r.URL)
	link := strings.TrimSpace(ana.MustRun("invite"))
	payload := link[strings.Index(link, "#")+1:]
	raw, _ := base64.RawURLEncoding.DecodeString(payload)
	tampered := "porchlight://invite#" + base64.RawURLEncoding.EncodeToString([]byte(strings.Replace(string(raw), `"name":"Ana"`, `"name":"Eve"`, 1)))

	cases := []struct {
		name, link, want string
	}{
		{"malformed", "https://example.com/not-an-invite", "not a Porchlight invite"},
		{"truncated", link[:len(link)/2], "incomplete or damaged"},
		{"tampered", tampered, "altered"},
		{"own invite", link, "your own invite"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			who := ben
			if c.name == "own invite" {
				who = ana
			}
			_, errOut, code := who.Run("accept", c.link)
			if code == 0 || !strings.Contains(errOut, c.want) || strings.Count(strings.TrimSpace(errOut), "\n") > 0 {
				t.Fatalf("exit %d, stderr %q; want a one-line error containing %q", code, errOut, c.want)
			}
		})
	}
	if fs := ben.Friends(); len(fs) != 0 {
		t.Fatalf("bad invites changed Ben's friends: %v", fs)
	}
	var joins []api.Join
	if joins, _ = ben.API.Joins(t.Context()); len(joins) != 0 {
		t.Fatalf("bad invites left joins: %+v", joins)
	}
	var st api.Status
	ben.JSON(&st, "status")
	if len(st.Relays) != 1 {
		t.Fatalf("bad invites changed Ben's relays: %+v", st.Relays)
	}

	// The genuine link still works after all that.
	if out := ben.MustRun("accept", link); !strings.Contains(out, "now friends") {
		t.Fatalf("accept said %q", out)
	}
	// A single-use invite cannot be used twice.
	cas := newNode(t, "Cas", r.URL)
	_, errOut, code := cas.Run("accept", link)
	if code == 0 || !strings.Contains(errOut, "already been used") {
		t.Fatalf("second use: exit %d, %q", code, errOut)
	}
}

// TestHostilePaths: a friend cannot reach outside a share.
func TestHostilePaths(t *testing.T) {
	r := startRelay(t)
	ana := newNode(t, "Ana", r.URL)
	ben := newNode(t, "Ben", r.URL)
	befriend(t, ana, ben)
	home := t.TempDir()
	shared := filepath.Join(home, "shared")
	os.Mkdir(shared, 0o755)
	os.WriteFile(filepath.Join(home, "secret.txt"), []byte("the diary"), 0o644)
	os.WriteFile(filepath.Join(shared, "ok.txt"), []byte("fine"), 0o644)
	os.Symlink(filepath.Join(home, "secret.txt"), filepath.Join(shared, "escape.txt"))
	ana.MustRun("share add", "--name", "S", shared)

	dest := t.TempDir()
	for _, p := range []string{"Ana:/S/../secret.txt", "Ana:/S/escape.txt", "Ana:/S/%2e%2e/secret.txt", "Ana:/../S/ok.txt"} {
		_, errOut, code := ben.Run("get", p, filepath.Join(dest, "x"))
		if code == 0 {
			t.Errorf("get %s succeeded", p)
		}
		if strings.Contains(errOut, "the diary") {
			t.Errorf("get %s leaked the file: %s", p, errOut)
		}
		if _, err := os.Stat(filepath.Join(dest, "x")); err == nil {
			b, _ := os.ReadFile(filepath.Join(dest, "x"))
			t.Fatalf("get %s wrote %q", p, b)
		}
	}
	ben.MustRun("get", "Ana:/S/ok.txt", filepath.Join(dest, "ok.txt"))
	if b, _ := os.ReadFile(filepath.Join(dest, "ok.txt")); string(b) != "fine" {
		t.Fatalf("ok.txt = %q", b)
	}
}

// TestUnreachableRelay: a relay that is not there shows as offline, and the
// daemon keeps running.
func TestUnreachableRelay(t *testing.T) {
	dead := "ws://" + freeAddr(t) + "/v1/ws"
	ana := newNode(t, "Ana", dead)
	time.Sleep(500 * time.Millisecond)
	var st api.Status
	ana.JSON(&st, "status")
	if len(st.Relays) != 1 || st.Relays[0].State != "offline" || st.State != api.StateDim {
		t.Fatalf("status with a dead relay: %+v", st)
	}
	out := ana.MustRun("status")
	if !strings.Contains(out, "offline") {
		t.Fatalf("status says %q", out)
	}
	if ana.cmd.ProcessState != nil {
		t.Fatal("daemon exited")
	}
	// Inviting still works offline: the link carries everything.
	if link := ana.MustRun("invite"); !strings.HasPrefix(link, "porchlight://") {
		t.Fatalf("invite = %q", link)
	}
}

// TestOneDaemonPerDataDir: a second daemon on the same data dir says so and
// exits.
func TestOneDaemonPerDataDir(t *testing.T) {
	ana := newNode(t, "Ana")
	second := startProcess(t, "second", "porchlight", "daemon", "--data", ana.Dir, "--interfaces", "lo")
	done := make(chan error, 1)
	go func() { done <- second.Wait() }()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("second daemon exited 0")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("second daemon kept running")
	}
	if _, err := ana.API.Status(t.Context()); err != nil {
		t.Fatalf("first daemon hurt: %v", err)
	}
}

// TestAmbiguousFriend: two friends with one name must be told apart by ID.
func TestAmbiguousFriend(t *testing.T) {
	r := startRelay(t)
	ana := newNode(t, "Ana", r.URL)
	ben1 := newNode(t, "Ben", r.URL)
	ben2 := newNode(t, "Ben", r.URL)
	befriend(t, ana, ben1)
	link := strings.TrimSpace(ana.MustRun("invite"))
	ben2.MustRun("accept", link)
	waitFor(t, 10*time.Second, "two Bens", func() error {
		if n := len(ana.Friends()); n != 2 {
			return os.ErrNotExist
		}
		return nil
	})
	_, errOut, code := ana.Run("ls", "Ben:/")
	if code == 0 || !strings.Contains(errOut, "could mean 2 friends") || strings.Count(errOut, "Ben (") != 2 {
		t.Fatalf("ambiguous ls: exit %d, %q", code, errOut)
	}
	var fs []api.Friend
	ana.JSON(&fs, "friends")
	if _, errOut, code := ana.Run("ls", fs[0].ID[:10]+":/"); code != 0 {
		t.Fatalf("ls by ID prefix: %s", errOut)
	}
}

// TestAddRelay: a resident started without relays adds one; a bad address
// is refused with a clear message.
func TestAddRelay(t *testing.T) {
	r := startRelay(t)
	ana := newNode(t, "Ana")
	if _, errOut, code := ana.Run("relay add", "http//nope"); code == 0 || !strings.Contains(errOut, "not a relay address") {
		t.Fatalf("a bad relay: exit %d, %q", code, errOut)
	}
	ana.MustRun("relay add", r.URL)
	waitFor(t, 10*time.Second, "the relay to be online", func() error {
		var st api.Status
		ana.JSON(&st, "status")
		if len(st.Relays) != 1 || st.Relays[0].State != "online" || st.State != api.StateOn {
			return fmt.Errorf("status %+v", st)
		}
		return nil
	})
}

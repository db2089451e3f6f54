package e2e

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/porchlight/porchlight/app/api"
)

// befriend has a invite b through the relay and waits until both list each
// other.
func befriend(t *testing.T, a, b *node) {
	t.Helper()
	link := strings.TrimSpace(a.MustRun("invite", "--label", "for "+b.Name))
	if !strings.HasPrefix(link, "porchlight://invite#") || strings.Contains(link, "\n") {
		t.Fatalf("invite printed %q, want the link alone", link)
	}
	out := b.MustRun("accept", link)
	if !strings.Contains(out, "now friends") {
		t.Fatalf("accept said %q", out)
	}
	waitFor(t, 10*time.Second, a.Name+" lists "+b.Name, func() error {
		if !slices.Contains(a.Friends(), b.Name) {
			return fmt.Errorf("%s's friends: %v", a.Name, a.Friends())
		}
		return nil
	})
	if !slices.Contains(b.Friends(), a.Name) {
		t.Fatalf("%s's friends: %v", b.Name, b.Friends())
	}
}

// writeRandomFile fills path with size random bytes and returns their sha256.
func writeRandomFile(t *testing.T, path string, size int64) string {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.CopyN(io.MultiWriter(f, h), rand.Reader, size); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func fileSHA256(t *testing.T, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	io.Copy(h, f)
	return hex.EncodeToString(h.Sum(nil))
}

// TestSpine is the first Porchlight session end to end: invite, accept,
// share, list, download 50 MB, restart, and everything is still there.
func TestSpine(t *testing.T) {
	r := startRelay(t)
	ana := newNode(t, "Ana", r.URL)
	ben := newNode(t, "Ben", r.URL)

	befriend(t, ana, ben)

	shared := t.TempDir()
	os.Mkdir(filepath.Join(shared, "holiday"), 0o755)
	os.WriteFile(filepath.Join(shared, "holiday", "note.txt"), []byte("sunny"), 0o644)
	const size = 50 << 20
	want := writeRandomFile(t, filepath.Join(shared, "big.bin"), size)
	out := ana.MustRun("share add", "--name", "Stuff", shared)
	if !strings.Contains(out, `"Stuff"`) {
		t.Fatalf("share add said %q", out)
	}
	var shares []api.Share
	ana.JSON(&shares, "shares")
	if len(shares) != 1 || shares[0].Name != "Stuff" || shares[0].Audience != "friends" || shares[0].Mode != "ro" {
		t.Fatalf("shares = %+v", shares)
	}

	var remote []api.RemoteShare
	ben.JSON(&remote, "ls", "Ana:/")
	if len(remote) != 1 || remote[0].Name != "Stuff" {
		t.Fatalf("Ben sees Ana's shares %+v", remote)
	}
	var listing api.Listing
	ben.JSON(&listing, "ls", "Ana:/Stuff")
	names := []string{}
	for _, e := range listing.Entries {
		names = append(names, e.Name)
		if e.Name == "big.bin" && e.Size != size {
			t.Fatalf("big.bin listed with size %d", e.Size)
		}
	}
	if !slices.Equal(names, []string{"holiday", "big.bin"}) {
		t.Fatalf("listing = %v", names)
	}

	dest := filepath.Join(t.TempDir(), "big.bin")
	start := time.Now()
	ben.MustRun("get", "Ana:/Stuff/big.bin", dest)
	t.Logf("50 MB download over the WebRTC link: %v", time.Since(start))
	if got := fileSHA256(t, dest); got != want {
		t.Fatalf("downloaded sha256 %s, want %s", got, want)
	}
	if _, err := os.Stat(dest + ".porchlight-part"); !os.IsNotExist(err) {
		t.Fatalf("part file left behind: %v", err)
	}
	waitFor(t, 5*time.Second, "Ben's link to Ana with its round trip", func() error {
		var friends []api.Friend
		ben.JSON(&friends, "friends")
		if friends[0].Link != "direct" || friends[0].RTTMicros <= 0 {
			return fmt.Errorf("link %q, round trip %d µs", friends[0].Link, friends[0].RTTMicros)
		}
		return nil
	})

	// Ana restarts: the friendship and the share survive, and Ben can
	// reach the share again over a new link.
	ana.Stop()
	ana.Start()
	if !slices.Contains(ana.Friends(), "Ben") {
		t.Fatalf("after restart Ana's friends are %v", ana.Friends())
	}
	ana.JSON(&shares, "shares")
	if len(shares) != 1 || shares[0].Name != "Stuff" {
		t.Fatalf("after restart Ana's shares are %+v", shares)
	}
	waitFor(t, 40*time.Second, "Ben to reach Ana again", func() error {
		out, errOut, code := ben.Run("ls", "Ana:/Stuff/holiday")
		if code != 0 {
			return fmt.Errorf("%s", errOut)
		}
		if !strings.Contains(out, "note.txt") {
			return fmt.Errorf("listing %q", out)
		}
		return nil
	})
}

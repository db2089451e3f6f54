package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/porchlight/porchlight/app/api"
)

// The benchmarks run with `make bench` (PORCHLIGHT_BENCH=1), never in
// `make test`: they print measurements, they do not assert timings.

func benchOnly(t *testing.T) {
	t.Helper()
	if os.Getenv("PORCHLIGHT_BENCH") == "" {
		t.Skip("benchmark: run with `make bench`")
	}
}

// report prints one measured line in the bench table.
func report(metric string, value float64, unit string, target string) {
	fmt.Printf("BENCH %-44s %10.1f %-6s target %s\n", metric, value, unit, target)
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// TestBenchInviteToFriendship: from accepting an invite to both sides
// listing each other, through a loopback relay.
func TestBenchInviteToFriendship(t *testing.T) {
	benchOnly(t)
	r := startRelay(t)
	ana := newNode(t, "Ana", r.URL)
	var took []time.Duration
	for i := range 5 {
		ben := newNode(t, fmt.Sprintf("Ben%d", i), r.URL)
		inv, err := ana.API.CreateInvite(t.Context(), api.NewInvite{})
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		if _, err := ben.API.Accept(t.Context(), inv.Link); err != nil {
			t.Fatal(err)
		}
		waitFast(t, 10*time.Second, func() bool {
			return hasFriend(ben, "Ana") && hasFriend(ana, ben.Name)
		})
		took = append(took, time.Since(start))
		ben.Stop()
	}
	report("invite accepted -> friends on both sides", float64(median(took).Milliseconds()), "ms", "< 1500 ms")
}

// TestBenchLinkUp: time to the first answer from a friend's service, which
// includes setting up the WebRTC link through relay signaling; then the
// same call on the warm link.
func TestBenchLinkUp(t *testing.T) {
	benchOnly(t)
	r := startRelay(t)
	ana := newNode(t, "Ana", r.URL)
	ben := newNode(t, "Ben", r.URL)
	befriend(t, ana, ben)
	ana.MustRun("share add", "--name", "S", t.TempDir())
	start := time.Now()
	if _, err := ben.API.RemoteShares(t.Context(), "Ana"); err != nil {
		t.Fatal(err)
	}
	cold := time.Since(start)
	start = time.Now()
	if _, err := ben.API.RemoteShares(t.Context(), "Ana"); err != nil {
		t.Fatal(err)
	}
	warm := time.Since(start)
	report("link up through signaling + first request", float64(cold.Milliseconds()), "ms", "< 1000 ms")
	report("request on a warm link", float64(warm.Microseconds())/1000, "ms", "-")
}

// TestBenchDownload: a file download from a friend's share over the WebRTC
// link, through the core (what `porchlight get` does).
func TestBenchDownload(t *testing.T) {
	benchOnly(t)
	r := startRelay(t)
	ana := newNode(t, "Ana", r.URL)
	ben := newNode(t, "Ben", r.URL)
	befriend(t, ana, ben)
	dir := t.TempDir()
	const size = 256 << 20
	writeRandomFile(t, filepath.Join(dir, "big.bin"), size)
	ana.MustRun("share add", "--name", "S", dir)
	ben.MustRun("ls", "Ana:/S") // link up first: measure the transfer alone
	dest := filepath.Join(t.TempDir(), "big.bin")
	start := time.Now()
	ben.MustRun("get", "Ana:/S/big.bin", dest)
	el := time.Since(start)
	report("download over WebRTC link (256 MiB)", float64(size)/1e6/el.Seconds(), "MB/s", "see links bench")
}

func hasFriend(n *node, name string) bool {
	fs, err := n.API.Friends(context.Background())
	if err != nil {
		return false
	}
	return slices.ContainsFunc(fs, func(f api.Friend) bool { return strings.EqualFold(f.Name, name) })
}

func waitFast(t *testing.T, limit time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestBenchListing100k: the first page of a friend's folder holding
// 100,000 entries, as the window asks for it.
func TestBenchListing100k(t *testing.T) {
	benchOnly(t)
	r := startRelay(t)
	ana := newNode(t, "Ana", r.URL)
	ben := newNode(t, "Ben", r.URL)
	befriend(t, ana, ben)
	dir := t.TempDir()
	big := filepath.Join(dir, "big")
	os.Mkdir(big, 0o755)
	for i := range 100_000 {
		f, err := os.Create(filepath.Join(big, fmt.Sprintf("photo-%06d.jpg", i)))
		if err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	ana.MustRun("share add", "--name", "S", dir)
	ben.MustRun("ls", "Ana:/S") // link up first
	var took []time.Duration
	for i := range 6 {
		start := time.Now()
		page, err := ben.API.List(t.Context(), "Ana", "S", "big", i*200, 200)
		if err != nil {
			t.Fatal(err)
		}
		took = append(took, time.Since(start))
		if page.Total != 100_000 || len(page.Entries) != 200 {
			t.Fatalf("page of %d, total %d", len(page.Entries), page.Total)
		}
	}
	report("first page of a 100,000-entry folder", float64(took[0].Milliseconds()), "ms", "-")
	report("next pages of it", float64(median(took[1:]).Microseconds())/1000, "ms", "-")
}

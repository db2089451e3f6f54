package share

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/porchlight/porchlight/services/peer"
)

// litmusSummary matches litmus's line for a finished group, e.g.
// "<- summary for `basic': of 16 tests run: 16 passed, 0 failed. 100.0%".
var litmusSummary = regexp.MustCompile("summary for `(\\w+)': of (\\d+) tests run: (\\d+) passed, (\\d+) failed")

// TestLitmus runs the WebDAV conformance suite litmus (Debian package
// "litmus") against a read-write share served under a mount prefix, and
// requires the basic, copymove and props groups to pass.
func TestLitmus(t *testing.T) {
	bin, err := exec.LookPath("litmus")
	if err != nil {
		t.Skip("litmus is not installed (apt-get install litmus)")
	}
	c := NewMemoryCatalog(Folder{Name: "Share", Path: t.TempDir(), Mode: ModeReadWrite})
	allow := func(ctx context.Context, f Folder) bool { _, ok := peer.FromContext(ctx); return ok }
	srv := httptest.NewServer(withPeer(alice, http.StripPrefix("/dav", NewDAVHandler(c, allow, nil))))
	defer srv.Close()

	// litmus stops at the first group that fails, so each group runs alone.
	passed := map[string]bool{}
	var summary []string
	for _, group := range []string{"basic", "copymove", "props", "locks", "http"} {
		ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
		cmd := exec.CommandContext(ctx, bin, srv.URL+"/dav/Share/", "user", "pass")
		cmd.Dir = t.TempDir() // litmus writes debug.log and child.log here
		cmd.Env = append(os.Environ(), "TESTS="+group)
		out, _ := cmd.CombinedOutput() // litmus fails when a test fails; the summary tells
		cancel()
		t.Logf("litmus %s:\n%s", group, out)
		m := litmusSummary.FindStringSubmatch(string(out))
		if m == nil {
			summary = append(summary, group+" did not finish")
			continue
		}
		failed, _ := strconv.Atoi(m[4])
		passed[group] = failed == 0
		summary = append(summary, group+" "+m[3]+"/"+m[2])
	}
	t.Logf("litmus groups: %s", strings.Join(summary, ", "))
	for _, group := range []string{"basic", "copymove", "props"} {
		if !passed[group] {
			t.Errorf("litmus group %s did not pass", group)
		}
	}
}

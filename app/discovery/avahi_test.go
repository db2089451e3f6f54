package discovery

import (
	"bufio"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"
)

// avahi is avahi-daemon, with its own D-Bus, running in a namespace
// (testdata/avahi.sh).
type avahi struct {
	cmd   *exec.Cmd
	stdin interface{ Write([]byte) (int, error) }
	lines chan string
}

func startAvahi(t *testing.T, ns, ifname string) *avahi {
	t.Helper()
	for _, tool := range []string{"avahi-daemon", "avahi-browse", "avahi-publish", "dbus-daemon"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("needs %s (apt-get install avahi-daemon avahi-utils dbus)", tool)
		}
	}
	cmd := exec.Command("ip", "netns", "exec", ns, "sh", "testdata/avahi.sh", t.TempDir(), ifname)
	cmd.Stderr = os.Stderr
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatalf("start avahi: %v", err)
	}
	a := &avahi{cmd: cmd, stdin: stdin, lines: make(chan string, 100)}
	go func() {
		defer close(a.lines)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			a.lines <- sc.Text()
		}
	}()
	t.Cleanup(func() {
		_ = stdin.Close()
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	})
	if line := a.next(t, 10*time.Second); line != "ready" {
		t.Fatalf("avahi said %q, want ready", line)
	}
	return a
}

func (a *avahi) next(t *testing.T, timeout time.Duration) string {
	t.Helper()
	select {
	case line, ok := <-a.lines:
		if !ok {
			t.Fatal("avahi script ended")
		}
		return line
	case <-time.After(timeout):
		t.Fatal("avahi script is silent")
		return ""
	}
}

// browse returns the resolved lines of `avahi-browse -rpt _porchlight._tcp`.
func (a *avahi) browse(t *testing.T) []string {
	t.Helper()
	if _, err := a.stdin.Write([]byte("browse\n")); err != nil {
		t.Fatal(err)
	}
	var resolved []string
	for {
		line := a.next(t, 10*time.Second)
		if line == "end" {
			return resolved
		}
		if strings.HasPrefix(line, "=;") {
			resolved = append(resolved, line)
		}
	}
}

// TestAvahiInterop checks us against the system mDNS stack: avahi-browse
// sees our service, and we see one avahi-publish announces.
func TestAvahiInterop(t *testing.T) {
	l := newLAN(t)
	ours := startHelper(t, l.nsA, helperConfig{
		Interface: l.ifA, Port: 4001, Visibility: VisibilityVisible, ID: "aaaaidofana", Name: "Ana", TTL: testTTL,
	})
	av := startAvahi(t, l.nsB, l.ifB)

	ours.waitFor(t, 5*time.Second, "we see the service avahi-publish announces", func(ns []Neighbour) bool {
		return slices.ContainsFunc(ns, func(n Neighbour) bool {
			return n.Name == "Avahi Test" && n.ID == "" && len(n.Addrs) == 1 && n.Addrs[0].String() == l.addrB+":4711"
		})
	})

	// avahi-browse -t prints what avahi's cache holds; give it a few tries.
	want := []string{"pl-aaaaidofana", l.addrA, ";4001;", `"id=aaaaidofana"`, `"name=Ana"`}
	deadline := time.Now().Add(5 * time.Second)
	for {
		lines := av.browse(t)
		for _, line := range lines {
			if containsAll(line, want) {
				t.Logf("avahi-browse: %s", line)
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("avahi-browse does not show our service; it shows %q", lines)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

func containsAll(s string, parts []string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}

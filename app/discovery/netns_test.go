package discovery

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// mDNS tests run only inside network namespaces they make (the library's
// client joins the multicast group on the default interface): two
// namespaces joined by a veth pair, each running this test binary as a
// helper that prints its neighbours.

const helperEnv = "DISCOVERY_TEST_HELPER"

// lan is two namespaces on one link.
type lan struct {
	nsA, nsB     string
	ifA, ifB     string
	addrA, addrB string
}

func requireNetns(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root to make network namespaces")
	}
	if _, err := exec.LookPath("ip"); err != nil {
		t.Skip("needs the ip command (iproute2) to make network namespaces")
	}
}

func run(t *testing.T, args ...string) {
	t.Helper()
	if out, err := exec.Command(args[0], args[1:]...).CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// newLAN makes the namespaces; t.Cleanup deletes them (and the veth pair
// with them).
func newLAN(t *testing.T) lan {
	t.Helper()
	requireNetns(t)
	b := make([]byte, 3)
	_, _ = rand.Read(b)
	suffix := hex.EncodeToString(b)
	l := lan{
		nsA: "pldisc-" + suffix + "-a", nsB: "pldisc-" + suffix + "-b",
		ifA: "pla" + suffix, ifB: "plb" + suffix,
	}
	subnet := fmt.Sprintf("10.%d.%d", 100+int(b[0])%100, b[1])
	l.addrA, l.addrB = subnet+".1", subnet+".2"
	for _, ns := range []string{l.nsA, l.nsB} {
		run(t, "ip", "netns", "add", ns)
		t.Cleanup(func() { _ = exec.Command("ip", "netns", "del", ns).Run() })
	}
	// The pair is made inside the namespaces; the host's interfaces are
	// never touched.
	run(t, "ip", "-n", l.nsA, "link", "add", l.ifA, "type", "veth", "peer", "name", l.ifB, "netns", l.nsB)
	for _, side := range []struct{ ns, ifname, addr string }{{l.nsA, l.ifA, l.addrA}, {l.nsB, l.ifB, l.addrB}} {
		run(t, "ip", "netns", "exec", side.ns, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1")
		run(t, "ip", "-n", side.ns, "addr", "add", side.addr+"/24", "dev", side.ifname)
		run(t, "ip", "-n", side.ns, "link", "set", "lo", "up")
		run(t, "ip", "-n", side.ns, "link", "set", side.ifname, "up")
		run(t, "ip", "-n", side.ns, "route", "add", "224.0.0.0/4", "dev", side.ifname)
	}
	return l
}

// helperConfig is what the parent tells a helper.
type helperConfig struct {
	Interface  string
	Port       int
	Visibility string
	ID, Name   string
	Secret     []byte
	Friends    map[string][]byte
	TTL        time.Duration
}

// helper is a Service running in a namespace.
type helper struct {
	cmd     *exec.Cmd
	stdin   io.WriteCloser
	updates chan []Neighbour
	started time.Time
}

func startHelper(t *testing.T, ns string, cfg helperConfig) *helper {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	enc, _ := json.Marshal(cfg)
	cmd := exec.Command("ip", "netns", "exec", ns, exe, "-test.run=^TestHelperProcess$")
	cmd.Env = append(os.Environ(), helperEnv+"="+string(enc))
	cmd.Stderr = os.Stderr
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	h := &helper{cmd: cmd, stdin: stdin, updates: make(chan []Neighbour, 100)}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start helper: %v", err)
	}
	h.started = time.Now()
	go func() {
		defer close(h.updates)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			var ns []Neighbour
			if json.Unmarshal(sc.Bytes(), &ns) == nil {
				h.updates <- ns
			}
		}
	}()
	t.Cleanup(h.stop)
	return h
}

// stop ends the helper as a quitting app would: its context is cancelled.
func (h *helper) stop() {
	_ = h.stdin.Close()
	done := make(chan struct{})
	go func() { _ = h.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = h.cmd.Process.Kill()
		<-done
	}
}

// waitFor returns how long after start the helper's neighbours first met
// cond, failing after timeout.
func (h *helper) waitFor(t *testing.T, timeout time.Duration, what string, cond func([]Neighbour) bool) time.Duration {
	t.Helper()
	deadline := time.After(timeout)
	var last []Neighbour
	for {
		select {
		case ns, ok := <-h.updates:
			if !ok {
				t.Fatalf("helper exited before %s", what)
			}
			last = ns
			if cond(ns) {
				return time.Since(h.started)
			}
		case <-deadline:
			t.Fatalf("not within %v: %s; last neighbours %+v", timeout, what, last)
		}
	}
}

func hasID(id string) func([]Neighbour) bool {
	return func(ns []Neighbour) bool {
		for _, n := range ns {
			if n.ID == id {
				return true
			}
		}
		return false
	}
}

func not(f func([]Neighbour) bool) func([]Neighbour) bool {
	return func(ns []Neighbour) bool { return !f(ns) }
}

// TestHelperProcess is the helper's body when run by startHelper: it prints
// its neighbours as a JSON line whenever they change, until stdin closes.
func TestHelperProcess(t *testing.T) {
	raw := os.Getenv(helperEnv)
	if raw == "" {
		t.Skip("runs only as a helper inside a test's namespace")
	}
	var hc helperConfig
	if err := json.Unmarshal([]byte(raw), &hc); err != nil {
		t.Fatal(err)
	}
	level := slog.LevelInfo
	if os.Getenv("DISCOVERY_TEST_DEBUG") != "" {
		level = slog.LevelDebug
	}
	s, err := New(Config{
		Interfaces:      []string{hc.Interface},
		Port:            hc.Port,
		Visibility:      hc.Visibility,
		ID:              hc.ID,
		Name:            hc.Name,
		DiscoverySecret: hc.Secret,
		FriendSecrets:   func() map[string][]byte { return hc.Friends },
		TTL:             hc.TTL,
		Logger:          slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level})).With("helper", hc.Name),
	})
	if err != nil {
		t.Fatal(err)
	}
	out := json.NewEncoder(os.Stdout)
	s.OnChange(func() { _ = out.Encode(s.Neighbours()) })
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		cancel()
	}()
	if err := s.Serve(ctx); err != nil {
		t.Fatal(err)
	}
}

const testTTL = 3 * time.Second

func TestNeighboursAppearAndLeave(t *testing.T) {
	l := newLAN(t)
	secretB := []byte("0123456789abcdef0123456789abcdef")
	a := startHelper(t, l.nsA, helperConfig{
		Interface: l.ifA, Port: 4001, Visibility: VisibilityVisible, ID: "aaaaidofana", Name: "Ana",
		Friends: map[string][]byte{"bbbbidofben": secretB}, TTL: testTTL,
	})
	b := startHelper(t, l.nsB, helperConfig{
		Interface: l.ifB, Port: 4002, Visibility: VisibilityFriends, ID: "bbbbidofben", Name: "Ben",
		Secret: secretB, TTL: testTTL,
	})

	took := a.waitFor(t, 3*time.Second, "Ana recognises her friend Ben's token", func(ns []Neighbour) bool {
		return len(ns) == 1 && ns[0].ID == "bbbbidofben" && ns[0].Name == "" && ns[0].Token != "" &&
			len(ns[0].Addrs) == 1 && ns[0].Addrs[0].String() == l.addrB+":4002"
	})
	t.Logf("Ana saw Ben after %v", took)
	took = b.waitFor(t, 3*time.Second, "Ben sees Ana by name and ID", func(ns []Neighbour) bool {
		return len(ns) == 1 && ns[0].ID == "aaaaidofana" && ns[0].Name == "Ana" &&
			len(ns[0].Addrs) == 1 && ns[0].Addrs[0].String() == l.addrA+":4001"
	})
	t.Logf("Ben saw Ana after %v", took)

	b.stop()
	left := time.Now()
	a.waitFor(t, testTTL+3*time.Second, "Ben disappears after he leaves", not(hasID("bbbbidofben")))
	t.Logf("Ben was gone %v after leaving (TTL %v)", time.Since(left), testTTL)
}

func TestHiddenIsNotSeen(t *testing.T) {
	l := newLAN(t)
	a := startHelper(t, l.nsA, helperConfig{
		Interface: l.ifA, Port: 4001, Visibility: VisibilityVisible, ID: "aaaaidofana", Name: "Ana", TTL: testTTL,
	})
	b := startHelper(t, l.nsB, helperConfig{
		Interface: l.ifB, Port: 4002, Visibility: VisibilityHidden, ID: "bbbbidofben", Name: "Ben", TTL: testTTL,
	})
	b.waitFor(t, 3*time.Second, "hidden Ben still sees Ana", hasID("aaaaidofana"))
	// By now Ben has browsed, and Ana has queried, for seconds.
	time.Sleep(time.Second)
	select {
	case ns := <-a.updates:
		t.Fatalf("Ana sees %+v", ns)
	default:
	}
}

// A neighbour arriving after our warm-up, while we query only every 10 s,
// still appears within 3 s: its announcements reach our listening query.
func TestLateNeighbourAppearsByAnnouncement(t *testing.T) {
	l := newLAN(t)
	const ttl = 30 * time.Second // steady queries every 10 s
	a := startHelper(t, l.nsA, helperConfig{
		Interface: l.ifA, Port: 4001, Visibility: VisibilityVisible, ID: "aaaaidofana", Name: "Ana", TTL: ttl,
	})
	time.Sleep(warmUp + 500*time.Millisecond)
	b := startHelper(t, l.nsB, helperConfig{
		Interface: l.ifB, Port: 4002, Visibility: VisibilityVisible, ID: "bbbbidofben", Name: "Ben", TTL: ttl,
	})
	arrived := time.Now()
	b.waitFor(t, 3*time.Second, "Ben sees Ana", hasID("aaaaidofana"))
	a.waitFor(t, 3*time.Second, "Ana sees Ben, who came late", hasID("bbbbidofben"))
	t.Logf("Ana saw Ben %v after he arrived", time.Since(arrived))
}

// Package e2e drives real Porchlight binaries end to end: a relay process and
// several daemons, each with its own data dir, on loopback only. The tests
// read like a resident's session: invite, accept, share, list, download.
package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/porchlight/porchlight/app/api"
	"github.com/porchlight/porchlight/test/netns"
)

// binDir holds the binaries built once for all tests.
var binDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "porchlight-e2e-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binDir = dir
	if err := build(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func build() error {
	for _, b := range []struct {
		pkg string
		env []string
	}{
		{"./cmd/porchlight", nil},
		{"./cmd/porchlight-relay", []string{"CGO_ENABLED=0"}},
	} {
		cmd := exec.Command("go", "build", "-o", binDir+"/", b.pkg)
		cmd.Dir = ".."
		cmd.Env = append(os.Environ(), b.env...)
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("build %s: %v\n%s", b.pkg, err, out)
		}
	}
	return nil
}

// freeAddr returns a loopback address with a port nobody listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startProcess runs a binary with its output in a log file that is shown
// if the test fails.
func startProcess(t *testing.T, logName string, name string, args ...string) *exec.Cmd {
	t.Helper()
	return startProcessIn(t, nil, logName, name, nil, args...)
}

// startProcessIn is startProcess inside a network namespace (nil: here).
func startProcessIn(t *testing.T, ns *netns.NS, logName string, name string, env []string, args ...string) *exec.Cmd {
	t.Helper()
	logPath := filepath.Join(t.TempDir(), logName+".log")
	logf, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(filepath.Join(binDir, name), args...)
	if ns != nil {
		cmd = ns.Command(filepath.Join(binDir, name), args...)
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	if env != nil {
		cmd.Env = append(os.Environ(), env...)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stop(cmd)
		logf.Close()
		if t.Failed() {
			b, _ := os.ReadFile(logPath)
			t.Logf("---- %s log ----\n%s", logName, tail(string(b), 60))
		}
	})
	return cmd
}

func tail(s string, lines int) string {
	ls := strings.Split(s, "\n")
	if len(ls) > lines {
		ls = ls[len(ls)-lines:]
	}
	return strings.Join(ls, "\n")
}

// stop ends a process politely, then firmly.
func stop(cmd *exec.Cmd) {
	if cmd.ProcessState != nil {
		return
	}
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		<-done
	}
}

// relay is a running porchlight-relay.
type relay struct {
	URL string
	cmd *exec.Cmd
}

func startRelay(t *testing.T) *relay {
	t.Helper()
	addr := freeAddr(t)
	r := &relay{URL: "ws://" + addr + "/v1/ws"}
	r.cmd = startProcess(t, "relay", "porchlight-relay", "--listen", addr)
	waitFor(t, 10*time.Second, "relay healthz", func() error {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			return errors.New(resp.Status)
		}
		return nil
	})
	return r
}

// node is one resident's daemon.
type node struct {
	t      *testing.T
	Name   string
	Dir    string
	relays []string
	cmd    *exec.Cmd
	API    *api.Client
	// ns and ifaces place the daemon in a namespace of the test's network;
	// by default it runs here, on loopback.
	ns     *netns.NS
	ifaces string
	// env is added to the daemon's environment at its next Start.
	env []string
}

func newNode(t *testing.T, name string, relays ...string) *node {
	t.Helper()
	return newNodeIn(t, nil, "lo", name, relays...)
}

// newNodeIn starts a daemon inside ns, limited to the interface ifaces.
func newNodeIn(t *testing.T, ns *netns.NS, ifaces, name string, relays ...string) *node {
	t.Helper()
	dir, err := os.MkdirTemp("", "pl-"+strings.ToLower(name)+"-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	n := &node{t: t, Name: name, Dir: dir, relays: relays, API: api.NewClient(api.SocketPath(dir)), ns: ns, ifaces: ifaces}
	n.Start()
	return n
}

// Start runs the daemon and waits until its local API answers.
func (n *node) Start() {
	n.t.Helper()
	args := []string{"daemon", "--data", n.Dir, "--name", n.Name, "--interfaces", n.ifaces, "--log-level", "debug"}
	for _, r := range n.relays {
		args = append(args, "--relay", r)
	}
	n.cmd = startProcessIn(n.t, n.ns, n.Name, "porchlight", n.env, args...)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := n.API.WaitRunning(ctx); err != nil {
		n.t.Fatalf("%s did not start: %v", n.Name, err)
	}
}

// Stop ends the daemon with SIGTERM.
func (n *node) Stop() { stop(n.cmd) }

// Run runs `porchlight VERB [SUBVERB] --data DIR ARGS...` and returns its
// output; verb may hold a subverb ("share add").
func (n *node) Run(verb string, args ...string) (stdout, stderr string, code int) {
	n.t.Helper()
	// VERB [SUBVERB] --data DIR [FLAGS] [ARGS], as the CLI contract says.
	full := append(strings.Fields(verb), "--data", n.Dir)
	full = append(full, args...)
	cmd := exec.Command(filepath.Join(binDir, "porchlight"), full...)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	code = 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		n.t.Fatalf("run porchlight %s: %v", verb, err)
	}
	return o.String(), e.String(), code
}

// MustRun runs a verb that must succeed and returns its stdout.
func (n *node) MustRun(verb string, args ...string) string {
	n.t.Helper()
	out, errOut, code := n.Run(verb, args...)
	if code != 0 {
		n.t.Fatalf("%s: porchlight %s %v: exit %d: %s", n.Name, verb, args, code, errOut)
	}
	return out
}

// JSON runs a verb with --json and decodes its output into v.
func (n *node) JSON(v any, verb string, args ...string) {
	n.t.Helper()
	out := n.MustRun(verb, append([]string{"--json"}, args...)...)
	if err := json.Unmarshal([]byte(out), v); err != nil {
		n.t.Fatalf("%s: decode %s output: %v\n%s", n.Name, verb, err, out)
	}
}

// Friends returns the names of the node's friends.
func (n *node) Friends() []string {
	var fs []api.Friend
	n.JSON(&fs, "friends")
	names := make([]string, 0, len(fs))
	for _, f := range fs {
		names = append(names, f.Name)
	}
	return names
}

func waitFor(t *testing.T, limit time.Duration, what string, cond func() error) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		err := cond()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %s: %v", what, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

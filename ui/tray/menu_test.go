package tray_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/porchlight/porchlight/app/api"
	"github.com/porchlight/porchlight/test/desktoptest"
)

// TestTrayMenu runs the real porchlight on a virtual X display with its own
// session bus, reads the tray's menu the way a desktop panel does (the
// StatusNotifierItem's dbusmenu, over D-Bus), clicks it, and checks that a
// stub porchlight-window is started at the right view.
func TestTrayMenu(t *testing.T) {
	ctx, tmp, bin, d, calls, env := newSession(t)
	data := filepath.Join(tmp, "data")
	config := filepath.Join(tmp, "config")

	logFile := filepath.Join(tmp, "porchlight.log")
	tray := startTray(t, env, logFile, bin, "--data", data, "--interfaces", "lo", "--name", "Ana")
	if err := api.NewClient(api.SocketPath(data)).WaitRunning(ctx); err != nil {
		t.Fatalf("the core did not come up: %v\n%s", err, readFile(logFile))
	}

	m := d.findMenu(t, ctx, tray.Process.Pid)
	want := []string{"Ana — no relay reachable", "Open Porchlight", "Invite a friend…", "Accept an invite…", "Share a folder…", "",
		"No friends yet", "No neighbours nearby", "", "Pause sharing", "Start at login", "Quit"}
	items := m.awaitLayout(t, ctx, func(items []menuItem) bool { return slices.Equal(labels(items), want) })
	for _, label := range []string{"Ana — no relay reachable", "No friends yet", "No neighbours nearby"} {
		if items[byIndex(t, items, label)].enabled {
			t.Errorf("%q can be clicked; want it greyed out", label)
		}
	}
	t.Logf("tray menu at %s %s: %q", m.dest, m.path, labels(items))
	if mem, err := privateMemory(tray.Process.Pid); err == nil {
		t.Logf("porchlight (core + tray) private memory just after start: %.1f MB", float64(mem)/1024)
	}

	m.click(t, ctx, byLabel(t, items, "Invite a friend…"))
	awaitCall(t, ctx, calls, 1, []string{"--data", data, "--view", "invite"})

	// "Start at login" writes the autostart entry, for this data dir, and
	// removes it again.
	entry := filepath.Join(config, "autostart", "porchlight.desktop")
	m.click(t, ctx, byLabel(t, items, "Start at login"))
	awaitFile(t, ctx, entry, true)
	if got := readFile(entry); !strings.Contains(got, "Exec="+bin+" --data "+data+"\n") {
		t.Errorf("the autostart entry does not start this porchlight for %s:\n%s", data, got)
	}
	m.click(t, ctx, byLabel(t, items, "Start at login"))
	awaitFile(t, ctx, entry, false)

	// "Pause sharing" turns the porch light off; clicking again turns it on.
	client := api.NewClient(api.SocketPath(data))
	for _, want := range []string{api.StateOff, api.StateDim} {
		m.click(t, ctx, byLabel(t, items, "Pause sharing"))
		for st, _ := client.Status(ctx); st.State != want; st, _ = client.Status(ctx) {
			if ctx.Err() != nil {
				t.Fatalf("porch light %q after clicking Pause sharing, want %q", st.State, want)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	m.awaitLayout(t, ctx, func(items []menuItem) bool { return items[0].label == "Ana — no relay reachable" })

	// A second launch for the same data dir opens the running one's window.
	second := exec.CommandContext(ctx, bin, "--data", data, "--interfaces", "lo")
	second.Env = env
	if out, err := second.CombinedOutput(); err != nil {
		t.Fatalf("second porchlight: %v\n%s", err, out)
	}
	awaitCall(t, ctx, calls, 2, []string{"--data", data, "--view", "home"})

	m.click(t, ctx, byLabel(t, items, "Quit"))
	exited := make(chan error, 1)
	go func() { exited <- tray.Wait() }()
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("porchlight after Quit: %v\n%s", err, readFile(logFile))
		}
	case <-time.After(20 * time.Second):
		t.Errorf("porchlight still runs 20s after Quit\n%s", readFile(logFile))
	}
}

// TestFirstRunOpensTheWindow: the first time Porchlight starts, before the
// resident has a name, the window opens by itself at Home (where it asks
// for one); once they have one, starting again opens nothing.
func TestFirstRunOpensTheWindow(t *testing.T) {
	ctx, tmp, bin, d, calls, env := newSession(t)
	data := filepath.Join(tmp, "data")
	client := api.NewClient(api.SocketPath(data))

	logFile := filepath.Join(tmp, "first.log")
	first := startTray(t, env, logFile, bin, "--data", data, "--interfaces", "lo")
	if err := client.WaitRunning(ctx); err != nil {
		t.Fatalf("the core did not come up: %v\n%s", err, readFile(logFile))
	}
	awaitCall(t, ctx, calls, 1, []string{"--data", data, "--view", "home"})
	if err := client.UpdateSettings(ctx, api.Settings{Name: "Ana"}); err != nil {
		t.Fatal(err)
	}
	first.Process.Signal(os.Interrupt)
	if err := first.Wait(); err != nil {
		t.Fatalf("porchlight: %v\n%s", err, readFile(logFile))
	}

	logFile = filepath.Join(tmp, "second.log")
	second := startTray(t, env, logFile, bin, "--data", data, "--interfaces", "lo")
	if err := client.WaitRunning(ctx); err != nil {
		t.Fatalf("the core did not come up again: %v\n%s", err, readFile(logFile))
	}
	if st, err := client.Status(ctx); err != nil || st.Name != "Ana" {
		t.Fatalf("after a restart the name is %q (%v), want Ana", st.Name, err)
	}
	// The tray is up once its menu is; by then a first-run window would
	// have been asked for.
	d.findMenu(t, ctx, second.Process.Pid)
	time.Sleep(500 * time.Millisecond)
	if got := strings.Count(readFile(calls), "--view"); got != 1 {
		t.Errorf("the window was opened %d times in all, want once (the first run only):\n%s", got, readFile(calls))
	}
	second.Process.Signal(os.Interrupt)
	second.Wait()
}

// TestTrayListsFriends: once Ana has a friend, the tray's Friends item says
// how many are connected, its submenu names Ben and how he is linked, and
// clicking him opens the window on his shares.
func TestTrayListsFriends(t *testing.T) {
	ctx, tmp, bin, d, calls, env := newSession(t)

	relayURL := startRelay(t, ctx, filepath.Join(tmp, "porchlight-relay"), filepath.Join(tmp, "relay.log"))
	ana, ben := filepath.Join(tmp, "ana"), filepath.Join(tmp, "ben")
	tray := startTray(t, env, filepath.Join(tmp, "ana.log"), bin, "--data", ana, "--interfaces", "lo", "--name", "Ana", "--relay", relayURL)
	startTray(t, os.Environ(), filepath.Join(tmp, "ben.log"), bin, "daemon", "--data", ben, "--interfaces", "lo", "--name", "Ben", "--relay", relayURL)
	for _, dir := range []string{ana, ben} {
		if err := api.NewClient(api.SocketPath(dir)).WaitRunning(ctx); err != nil {
			t.Fatalf("%s did not come up: %v", dir, err)
		}
	}
	m := d.findMenu(t, ctx, tray.Process.Pid)
	m.awaitLayout(t, ctx, func(items []menuItem) bool { return slices.Contains(labels(items), "No friends yet") })

	link := strings.TrimSpace(runCLI(t, bin, "invite", "--data", ana))
	runCLI(t, bin, "accept", "--data", ben, link)
	items := m.awaitLayout(t, ctx, func(items []menuItem) bool { return slices.Contains(labels(items), "Friends: 0 of 1 connected") })
	friends := byLabel(t, items, "Friends: 0 of 1 connected")
	if !items[byIndex(t, items, "Friends: 0 of 1 connected")].enabled {
		t.Error("the Friends item is greyed out with a friend in it")
	}
	var sub []menuItem
	for ctx.Err() == nil {
		var err error
		if sub, err = m.submenu(ctx, friends); err == nil && slices.Equal(labels(sub), []string{"Ben — not connected"}) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if !slices.Equal(labels(sub), []string{"Ben — not connected"}) {
		t.Fatalf("the Friends submenu holds %q, want Ben", labels(sub))
	}
	benStatus, err := api.NewClient(api.SocketPath(ben)).Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	m.click(t, ctx, sub[0].id)
	awaitCall(t, ctx, calls, 1, []string{"--data", ana, "--view", "browse", benStatus.ID})
}

// startRelay runs the relay on a free loopback port and returns its URL.
func startRelay(t *testing.T, ctx context.Context, bin, logFile string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	startTray(t, os.Environ(), logFile, bin, "--listen", addr)
	for ctx.Err() == nil {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return "ws://" + addr + "/v1/ws"
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("the relay did not listen on %s:\n%s", addr, readFile(logFile))
	return ""
}

// runCLI runs a porchlight verb that must succeed and returns its output.
func runCLI(t *testing.T, bin string, args ...string) string {
	t.Helper()
	out, err := exec.Command(bin, args...).Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("porchlight %q: %v\n%s", args, err, stderr)
	}
	return string(out)
}

// TestHeadless checks that nothing starts GTK without a display: GTK would
// end the process. `porchlight` says so and runs the core alone; `porchlight
// daemon` never starts the tray, even with a display set that is not there.
func TestHeadless(t *testing.T) {
	if testing.Short() {
		t.Skip("builds porchlight")
	}
	tmp := t.TempDir()
	bin := buildPrograms(t, tmp)
	tests := []struct {
		name, display, stderr string
		args                  []string
	}{
		{"porchlight", "", "no display found; running without a tray", nil},
		{"porchlight daemon", ":4242", "", []string{"daemon"}},
	}
	for i, tt := range tests {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		data := filepath.Join(tmp, fmt.Sprint("data", i))
		logFile := filepath.Join(tmp, fmt.Sprint("porchlight", i, ".log"))
		env := append(os.Environ(), "DISPLAY="+tt.display, "WAYLAND_DISPLAY=")
		p := startTray(t, env, logFile, bin, append(tt.args, "--data", data, "--interfaces", "lo")...)
		if err := api.NewClient(api.SocketPath(data)).WaitRunning(ctx); err != nil {
			t.Fatalf("%s: the core did not come up: %v\n%s", tt.name, err, readFile(logFile))
		}
		p.Process.Signal(os.Interrupt)
		if err := p.Wait(); err != nil {
			t.Errorf("%s: %v\n%s", tt.name, err, readFile(logFile))
		}
		if !strings.Contains(readFile(logFile), tt.stderr) {
			t.Errorf("%s said:\n%s\nwant %q", tt.name, readFile(logFile), tt.stderr)
		}
	}
}

// buildPrograms builds porchlight and, beside it, the stub window; it
// returns porchlight's path.
// newSession readies one test's desktop: a virtual X display with its own
// session bus, porchlight built into tmp, and a stub window whose starts
// are logged to calls. env is the environment programs run in; ctx ends
// with the test, at the latest after 90 s.
func newSession(t *testing.T) (ctx context.Context, tmp, bin string, d desktop, calls string, env []string) {
	t.Helper()
	if testing.Short() {
		t.Skip("builds porchlight and starts an X server")
	}
	for _, prog := range []string{"Xvfb", "dbus-daemon", "gdbus"} {
		if _, err := exec.LookPath(prog); err != nil {
			t.Skipf("needs %s (apt install xvfb dbus libglib2.0-bin): %v", prog, err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	t.Cleanup(cancel)
	tmp = t.TempDir()
	bin = buildPrograms(t, tmp)
	d = desktop{desktoptest.Start(t, tmp)}
	calls = filepath.Join(tmp, "window-calls")
	env = append(d.env(tmp, calls), "XDG_CONFIG_HOME="+filepath.Join(tmp, "config"))
	return ctx, tmp, bin, d, calls, env
}

func buildPrograms(t *testing.T, dir string) string {
	t.Helper()
	for _, b := range []struct{ out, pkg string }{
		{"porchlight", "github.com/porchlight/porchlight/cmd/porchlight"},
		{"porchlight-relay", "github.com/porchlight/porchlight/cmd/porchlight-relay"},
		{"porchlight-window", "./testdata/windowstub"},
	} {
		if out, err := exec.Command("go", "build", "-o", filepath.Join(dir, b.out), b.pkg).CombinedOutput(); err != nil {
			t.Fatalf("go build %s: %v\n%s", b.pkg, err, out)
		}
	}
	return filepath.Join(dir, "porchlight")
}

func startTray(t *testing.T, env []string, logFile, bin string, args ...string) *exec.Cmd {
	t.Helper()
	log, err := os.Create(logFile)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { log.Close() })
	cmd := exec.Command(bin, args...)
	cmd.Env, cmd.Stdout, cmd.Stderr = env, log, log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	return cmd
}

// desktop is the test's own X display and session bus.
type desktop struct{ desktoptest.Desktop }

// env is porchlight's environment on this desktop, with the stub window's
// log and a temp dir of the test's.
func (d desktop) env(tmp, calls string) []string {
	return d.Env("TMPDIR="+tmp, "PORCHLIGHT_STUB_LOG="+calls)
}

// gdbus calls a D-Bus method on this desktop's session bus.
func (d desktop) gdbus(ctx context.Context, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "gdbus", args...)
	cmd.Env = append(os.Environ(), "DBUS_SESSION_BUS_ADDRESS="+d.Bus)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("gdbus %s: %v: %s", strings.Join(args, " "), err, out)
	}
	return string(out), nil
}

func (d desktop) call(ctx context.Context, dest, path, method string, args ...string) (string, error) {
	return d.gdbus(ctx, append([]string{"call", "--address", d.Bus, "--dest", dest, "--object-path", path, "--method", method, "--"}, args...)...)
}

// menu is a dbusmenu exported on the bus.
type menu struct {
	d          desktop
	dest, path string
}

var (
	uniqueName = regexp.MustCompile(`':[0-9.]+'`)
	nodeLine   = regexp.MustCompile(`^\s*node (/\S*) \{`)
	objectPath = regexp.MustCompile(`objectpath '([^']+)'`)
)

// findMenu finds the tray's menu as a panel would: the process's bus
// connections (org.freedesktop.DBus.ListNames and GetConnectionUnixProcessID),
// the StatusNotifierItem among their objects (introspection), and the
// object path in its Menu property.
func (d desktop) findMenu(t *testing.T, ctx context.Context, pid int) menu {
	t.Helper()
	var last error
	for ctx.Err() == nil {
		m, err := d.lookMenu(ctx, pid)
		if err == nil {
			return m
		}
		last = err
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("no tray menu on the bus: %v", last)
	return menu{}
}

func (d desktop) lookMenu(ctx context.Context, pid int) (menu, error) {
	out, err := d.call(ctx, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus.ListNames")
	if err != nil {
		return menu{}, err
	}
	for _, q := range uniqueName.FindAllString(out, -1) {
		name := strings.Trim(q, "'")
		out, err := d.call(ctx, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus.GetConnectionUnixProcessID", name)
		if err != nil || strings.TrimSpace(out) != fmt.Sprintf("(uint32 %d,)", pid) {
			continue
		}
		tree, err := d.gdbus(ctx, "introspect", "--address", d.Bus, "--dest", name, "--object-path", "/", "--recurse")
		if err != nil {
			continue
		}
		for _, item := range statusNotifierItems(tree) {
			out, err := d.call(ctx, name, item, "org.freedesktop.DBus.Properties.Get", "org.kde.StatusNotifierItem", "Menu")
			if err != nil {
				continue
			}
			if m := objectPath.FindStringSubmatch(out); m != nil {
				return menu{d: d, dest: name, path: m[1]}, nil
			}
		}
	}
	return menu{}, fmt.Errorf("process %d exports no StatusNotifierItem with a menu", pid)
}

// statusNotifierItems lists the objects in a gdbus introspection tree that
// implement org.kde.StatusNotifierItem.
func statusNotifierItems(tree string) []string {
	var paths []string
	node := ""
	for _, line := range strings.Split(tree, "\n") {
		if m := nodeLine.FindStringSubmatch(line); m != nil {
			node = m[1]
		} else if strings.TrimSpace(line) == "interface org.kde.StatusNotifierItem {" {
			paths = append(paths, node)
		}
	}
	return paths
}

// menuItem is one entry of the menu's top level.
type menuItem struct {
	id      int
	label   string
	enabled bool
}

var (
	layoutItem = regexp.MustCompile(`<\((\d+), \{([^{}]*)\}, `)
	labelProp  = regexp.MustCompile(`'label': <'((?:[^'\\]|\\.)*)'>`)
)

// layout reads the menu with com.canonical.dbusmenu.GetLayout.
func (m menu) layout(ctx context.Context) ([]menuItem, error) {
	out, err := m.d.call(ctx, m.dest, m.path, "com.canonical.dbusmenu.GetLayout", "0", "1", `["label", "enabled"]`)
	if err != nil {
		return nil, err
	}
	var items []menuItem
	for _, sub := range layoutItem.FindAllStringSubmatch(out, -1) {
		id, _ := strconv.Atoi(sub[1])
		it := menuItem{id: id, enabled: !strings.Contains(sub[2], "'enabled': <false>")}
		if l := labelProp.FindStringSubmatch(sub[2]); l != nil {
			it.label = l[1]
		}
		items = append(items, it)
	}
	return items, nil
}

// submenu reads the visible items under the item parent.
func (m menu) submenu(ctx context.Context, parent int) ([]menuItem, error) {
	out, err := m.d.call(ctx, m.dest, m.path, "com.canonical.dbusmenu.GetLayout", strconv.Itoa(parent), "1", `["label", "enabled", "visible"]`)
	if err != nil {
		return nil, err
	}
	var items []menuItem
	for _, sub := range layoutItem.FindAllStringSubmatch(out, -1) {
		id, _ := strconv.Atoi(sub[1])
		if id == parent || strings.Contains(sub[2], "'visible': <false>") {
			continue
		}
		it := menuItem{id: id, enabled: !strings.Contains(sub[2], "'enabled': <false>")}
		if l := labelProp.FindStringSubmatch(sub[2]); l != nil {
			it.label = l[1]
		}
		items = append(items, it)
	}
	return items, nil
}

// awaitLayout reads the menu until ok says it is complete.
func (m menu) awaitLayout(t *testing.T, ctx context.Context, ok func([]menuItem) bool) []menuItem {
	t.Helper()
	var items []menuItem
	var err error
	for ctx.Err() == nil {
		if items, err = m.layout(ctx); err == nil && ok(items) {
			return items
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("the menu never got complete; last read %q, %v", labels(items), err)
	return nil
}

// click sends the event a panel sends when the resident clicks an item.
func (m menu) click(t *testing.T, ctx context.Context, id int) {
	t.Helper()
	stamp := strconv.FormatInt(time.Now().Unix()&0xffffffff, 10)
	if _, err := m.d.call(ctx, m.dest, m.path, "com.canonical.dbusmenu.Event", strconv.Itoa(id), "clicked", `<"">`, stamp); err != nil {
		t.Fatal(err)
	}
}

func labels(items []menuItem) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.label)
	}
	return out
}

// byIndex is the position of the item labelled label.
func byIndex(t *testing.T, items []menuItem, label string) int {
	t.Helper()
	i := slices.IndexFunc(items, func(it menuItem) bool { return it.label == label })
	if i < 0 {
		t.Fatalf("no menu item %q in %q", label, labels(items))
	}
	return i
}

func byLabel(t *testing.T, items []menuItem, label string) int {
	t.Helper()
	for _, it := range items {
		if it.label == label {
			return it.id
		}
	}
	t.Fatalf("no menu item %q in %q", label, labels(items))
	return 0
}

// awaitCall waits for the stub window's n-th start and checks its arguments.
func awaitCall(t *testing.T, ctx context.Context, log string, n int, want []string) {
	t.Helper()
	for ctx.Err() == nil {
		lines := strings.Split(strings.TrimSpace(readFile(log)), "\n")
		if len(lines) >= n && lines[n-1] != "" {
			var got []string
			if err := json.Unmarshal([]byte(lines[n-1]), &got); err != nil {
				t.Fatalf("stub window log: %v", err)
			}
			if !slices.Equal(got, want) {
				t.Errorf("window start %d: porchlight-window %q, want %q", n, got, want)
			}
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("window start %d (%q) never came; the stub saw:\n%s", n, want, readFile(log))
}

func readFile(name string) string {
	b, _ := os.ReadFile(name)
	return string(b)
}

// privateMemory is a process's Private_Clean + Private_Dirty, in KiB.
func privateMemory(pid int) (int, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/smaps_rollup", pid))
	if err != nil {
		return 0, err
	}
	total := 0
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) >= 2 && (f[0] == "Private_Clean:" || f[0] == "Private_Dirty:") {
			n, _ := strconv.Atoi(f[1])
			total += n
		}
	}
	return total, nil
}

// awaitFile waits until name exists (or, with exists false, is gone).
func awaitFile(t *testing.T, ctx context.Context, name string, exists bool) {
	t.Helper()
	for ctx.Err() == nil {
		if _, err := os.Stat(name); (err == nil) == exists {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s: want exists=%v, still not so", name, exists)
}

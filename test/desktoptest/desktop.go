// Package desktoptest gives tests a desktop of their own: a virtual X
// display (Xvfb) and a D-Bus session bus, so the tray and the window can be
// run for real without touching the machine's own session.
package desktoptest

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Desktop is a running Xvfb display and session bus.
type Desktop struct {
	Display string // e.g. ":99"
	Bus     string // DBUS_SESSION_BUS_ADDRESS
}

// Missing reports which of Xvfb and dbus-daemon are missing.
func Missing() []string {
	var missing []string
	for _, prog := range []string{"Xvfb", "dbus-daemon"} {
		if _, err := exec.LookPath(prog); err != nil {
			missing = append(missing, prog)
		}
	}
	return missing
}

// Start runs Xvfb and a session bus (its socket in dir) until the test ends.
func Start(t testing.TB, dir string) Desktop {
	t.Helper()
	// Xvfb picks a free display and writes its number on fd 3.
	xvfb := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", "1024x768x24", "-nolisten", "tcp")
	display := readLine(t, xvfb, "Xvfb")
	bus := exec.Command("dbus-daemon", "--session", "--nofork", "--address=unix:path="+filepath.Join(dir, "bus"), "--print-address=3")
	addr := readLine(t, bus, "dbus-daemon")
	return Desktop{Display: ":" + display, Bus: addr}
}

// readLine starts cmd, which writes one line on fd 3, and returns the line.
func readLine(t testing.TB, cmd *exec.Cmd, name string) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.ExtraFiles = []*os.File{w}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	w.Close()
	defer r.Close()
	r.SetReadDeadline(time.Now().Add(15 * time.Second))
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil {
		t.Fatalf("%s did not say where it listens: %v", name, err)
	}
	return strings.TrimSpace(line)
}

// Env is the current environment pointed at this desktop only, without the
// accessibility bus (it would start more daemons), plus extra.
func (d Desktop) Env(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		switch strings.SplitN(kv, "=", 2)[0] {
		case "DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS":
		default:
			env = append(env, kv)
		}
	}
	env = append(env, "DISPLAY="+d.Display, "DBUS_SESSION_BUS_ADDRESS="+d.Bus, "NO_AT_BRIDGE=1")
	return append(env, extra...)
}

// Package launcher opens the Porchlight window: it starts the
// porchlight-window program at a view and lets it run on its own. The
// window is single-instance per data dir (a second start hands its view to
// the open window and exits), so opening is always just starting.
package launcher

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"

	"golang.org/x/term"
)

// WindowProgram is the name of the window's executable.
const WindowProgram = "porchlight-window"

// The window's views.
const (
	ViewHome      = "home"
	ViewInvite    = "invite"
	ViewAccept    = "accept"
	ViewShare     = "share"
	ViewFriends   = "friends"
	ViewBrowse    = "browse"
	ViewTransfers = "transfers"
)

var views = []string{ViewHome, ViewInvite, ViewAccept, ViewShare, ViewFriends, ViewBrowse, ViewTransfers}

// IsView reports whether the window has a view by that name.
func IsView(name string) bool { return slices.Contains(views, name) }

// Open starts the window for the core of dataDir at view; link is an invite
// link for ViewAccept, a folder for ViewShare, a friend's ID for
// ViewBrowse, or empty. It does not wait for the window to close.
func Open(dataDir, view, link string) error {
	if !IsView(view) {
		return fmt.Errorf("open window: unknown view %q (want one of %v)", view, views)
	}
	prog, err := windowPath()
	if err != nil {
		return err
	}
	args := []string{"--data", dataDir, "--view", view}
	if link != "" {
		args = append(args, link)
	}
	cmd := exec.Command(prog, args...)
	detach(cmd)
	// A terminal may show the window's complaints; a pipe must not be held
	// open by the window, or whoever reads our output waits for it to close.
	if term.IsTerminal(int(os.Stderr.Fd())) {
		cmd.Stderr = os.Stderr
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("open window: %w", err)
	}
	go cmd.Wait() // reap it whenever it closes
	return nil
}

// windowPath finds the window program beside the running executable (so an
// unpacked release or a build directory works as is), else on $PATH.
func windowPath() (string, error) {
	name := WindowProgram
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	if self, err := os.Executable(); err == nil {
		p := filepath.Join(filepath.Dir(self), name)
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			return p, nil
		}
	}
	p, err := exec.LookPath(name)
	if err != nil {
		if errors.Is(err, exec.ErrNotFound) {
			return "", fmt.Errorf("open window: %s is neither beside this program nor on $PATH", name)
		}
		return "", fmt.Errorf("open window: %w", err)
	}
	return p, nil
}

// HasDisplay reports whether a graphical session is there to show a tray or
// a window in. GTK ends the whole process when it finds no display, so ask
// before starting it.
func HasDisplay() bool {
	switch runtime.GOOS {
	case "darwin", "windows":
		return true
	}
	return os.Getenv("DISPLAY") != "" || os.Getenv("WAYLAND_DISPLAY") != ""
}

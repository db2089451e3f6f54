// Package autostart is Porchlight's "Start at login" switch: an XDG
// autostart entry ($XDG_CONFIG_HOME/autostart/porchlight.desktop, by
// default under ~/.config) that desktop sessions run when the resident logs
// in. The entry starts plain `porchlight`, which is the hidden mode: only
// the porch light in the tray, no window.
package autostart

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// FileName is the autostart entry's name, the same as the applications-menu
// entry's, so a desktop that lists both knows they are one program.
const FileName = "porchlight.desktop"

// Supported reports whether this system starts programs from XDG autostart
// entries (Linux and the BSDs; Windows and macOS have their own ways, which
// their installers handle).
func Supported() bool {
	return runtime.GOOS != "windows" && runtime.GOOS != "darwin"
}

// Path is where the autostart entry lives.
func Path() (string, error) {
	dir := os.Getenv("XDG_CONFIG_HOME")
	if dir == "" || !filepath.IsAbs(dir) {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("find the autostart folder: %w", err)
		}
		dir = filepath.Join(home, ".config")
	}
	return filepath.Join(dir, "autostart", FileName), nil
}

// Enable writes the autostart entry so that the desktop runs program with
// args at login. program is a name on $PATH or an absolute path (see
// Program).
func Enable(program string, args ...string) error {
	if !Supported() {
		return fmt.Errorf("start at login: %w on %s", errors.ErrUnsupported, runtime.GOOS)
	}
	line, err := execLine(append([]string{program}, args...))
	if err != nil {
		return fmt.Errorf("start at login: %w", err)
	}
	path, err := Path()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("start at login: %w", err)
	}
	entry := "[Desktop Entry]\n" +
		"Type=Application\n" +
		"Name=Porchlight\n" +
		"Comment=Share folders with friends and neighbours, from your own computer\n" +
		"Icon=porchlight\n" +
		"Exec=" + line + "\n" +
		"Terminal=false\n" +
		"X-GNOME-Autostart-enabled=true\n"
	tmp, err := os.CreateTemp(filepath.Dir(path), ".porchlight-*.desktop")
	if err != nil {
		return fmt.Errorf("start at login: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.WriteString(entry); err != nil {
		tmp.Close()
		return fmt.Errorf("start at login: %w", err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return fmt.Errorf("start at login: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("start at login: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("start at login: %w", err)
	}
	return nil
}

// Disable removes the autostart entry; without one there is nothing to do.
func Disable() error {
	path, err := Path()
	if err != nil {
		return err
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("stop starting at login: %w", err)
	}
	return nil
}

// Enabled reports whether the desktop will start Porchlight at login: the
// entry exists and is neither hidden nor switched off (as a desktop's own
// startup settings may do by editing it).
func Enabled() (bool, error) {
	if !Supported() {
		return false, nil
	}
	path, err := Path()
	if err != nil {
		return false, err
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read the autostart entry: %w", err)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		key, value, _ := strings.Cut(strings.TrimSpace(sc.Text()), "=")
		switch strings.TrimSpace(key) {
		case "Hidden":
			if strings.TrimSpace(value) == "true" {
				return false, nil
			}
		case "X-GNOME-Autostart-enabled":
			if strings.TrimSpace(value) == "false" {
				return false, nil
			}
		}
	}
	return true, nil
}

// Program is how the autostart entry should name the running program:
// "porchlight" when that name on $PATH is this very program (an installed
// package), else its absolute path (a build directory, an unpacked release).
func Program() (string, error) {
	self, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("find this program: %w", err)
	}
	if resolved, err := filepath.EvalSymlinks(self); err == nil {
		self = resolved
	}
	name := strings.TrimSuffix(filepath.Base(self), ".exe")
	if onPath, err := exec.LookPath(name); err == nil {
		if resolved, err := filepath.EvalSymlinks(onPath); err == nil && sameFile(resolved, self) {
			return name, nil
		}
	}
	return self, nil
}

func sameFile(a, b string) bool {
	fa, errA := os.Stat(a)
	fb, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(fa, fb)
}

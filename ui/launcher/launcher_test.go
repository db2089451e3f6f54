package launcher_test

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/porchlight/porchlight/ui/launcher"
)

// stubWindow puts a porchlight-window on $PATH that writes its arguments,
// one per line, into the returned file.
func stubWindow(t *testing.T) string {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("the stub window is a shell script")
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "args")
	script := "#!/bin/sh\nprintf '%s\\n' \"$@\" > " + out + ".tmp && mv " + out + ".tmp " + out + "\n"
	if err := os.WriteFile(filepath.Join(dir, launcher.WindowProgram), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	return out
}

func waitArgs(t *testing.T, file string) []string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		b, err := os.ReadFile(file)
		if err == nil {
			return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
		}
		if time.Now().After(deadline) {
			t.Fatalf("the window was not started: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestOpen(t *testing.T) {
	tests := []struct {
		view, link string
		want       []string
	}{
		{launcher.ViewInvite, "", []string{"--data", "/data/ana", "--view", "invite"}},
		{launcher.ViewAccept, "porchlight://invite/abc", []string{"--data", "/data/ana", "--view", "accept", "porchlight://invite/abc"}},
	}
	for _, tt := range tests {
		out := stubWindow(t)
		if err := launcher.Open("/data/ana", tt.view, tt.link); err != nil {
			t.Fatalf("Open(%q, %q): %v", tt.view, tt.link, err)
		}
		if got := waitArgs(t, out); strings.Join(got, " ") != strings.Join(tt.want, " ") {
			t.Errorf("Open(%q, %q) started the window with %q, want %q", tt.view, tt.link, got, tt.want)
		}
	}
}

func TestOpenFails(t *testing.T) {
	stubWindow(t)
	if err := launcher.Open("/data/ana", "settings", ""); err == nil || !strings.Contains(err.Error(), "unknown view") {
		t.Errorf("Open with an unknown view = %v, want an unknown view error", err)
	}
	t.Setenv("PATH", t.TempDir())
	if err := launcher.Open("/data/ana", launcher.ViewHome, ""); err == nil || !strings.Contains(err.Error(), "porchlight-window is neither beside") {
		t.Errorf("Open without the window program = %v, want a not-found error", err)
	}
}

func TestHasDisplay(t *testing.T) {
	if runtime.GOOS == "darwin" || runtime.GOOS == "windows" {
		t.Skip("always has a display")
	}
	tests := []struct {
		display, wayland string
		want             bool
	}{
		{"", "", false},
		{":0", "", true},
		{"", "wayland-0", true},
	}
	for _, tt := range tests {
		t.Setenv("DISPLAY", tt.display)
		t.Setenv("WAYLAND_DISPLAY", tt.wayland)
		if got := launcher.HasDisplay(); got != tt.want {
			t.Errorf("HasDisplay with DISPLAY=%q WAYLAND_DISPLAY=%q = %v, want %v", tt.display, tt.wayland, got, tt.want)
		}
	}
}

package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// stubWindow puts a porchlight-window on $PATH that writes its arguments,
// one per line, into the returned file.
func stubWindow(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	out := filepath.Join(dir, "args")
	script := "#!/bin/sh\nprintf '%s\\n' \"$@\" > " + out + ".tmp && mv " + out + ".tmp " + out + "\n"
	if err := os.WriteFile(filepath.Join(dir, "porchlight-window"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	return out
}

func TestWindow(t *testing.T) {
	data := t.TempDir()
	tests := []struct {
		args []string
		want string
	}{
		{nil, "--data " + data + " --view home"},
		{[]string{"--view", "invite"}, "--data " + data + " --view invite"},
		{[]string{"porchlight://invite/abc"}, "--data " + data + " --view accept porchlight://invite/abc"},
		{[]string{"--view", "accept", "porchlight://invite/abc"}, "--data " + data + " --view accept porchlight://invite/abc"},
	}
	t.Setenv("DISPLAY", ":99")
	for _, tt := range tests {
		out := stubWindow(t)
		var stderr bytes.Buffer
		args := append([]string{"window", "--data", data}, tt.args...)
		if code := Main(args, &Env{Stdout: &bytes.Buffer{}, Stderr: &stderr}); code != 0 {
			t.Fatalf("porchlight %s: exit %d: %s", strings.Join(args, " "), code, stderr.String())
		}
		got := waitFile(t, out)
		if got = strings.Join(strings.Fields(got), " "); got != tt.want {
			t.Errorf("porchlight %s started the window with %q, want %q", strings.Join(args, " "), got, tt.want)
		}
	}
}

func TestWindowRefuses(t *testing.T) {
	stubWindow(t)
	data := t.TempDir()
	tests := []struct {
		name    string
		display string
		args    []string
		code    int
		stderr  string
	}{
		{"no display", "", nil, 1, "no display found"},
		{"unknown view", ":99", []string{"--view", "settings"}, 2, `unknown view "settings"`},
		{"link without accept", ":99", []string{"--view", "share", "porchlight://invite/abc"}, 2, "goes with --view accept"},
		{"two links", ":99", []string{"a", "b"}, 2, "at most one"},
	}
	for _, tt := range tests {
		t.Setenv("DISPLAY", tt.display)
		t.Setenv("WAYLAND_DISPLAY", "")
		var stderr bytes.Buffer
		code := Main(append([]string{"window", "--data", data}, tt.args...), &Env{Stdout: &bytes.Buffer{}, Stderr: &stderr})
		if code != tt.code || !strings.Contains(stderr.String(), tt.stderr) {
			t.Errorf("%s: exit %d, stderr %q; want exit %d and %q", tt.name, code, stderr.String(), tt.code, tt.stderr)
		}
	}
}

func waitFile(t *testing.T, name string) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		b, err := os.ReadFile(name)
		if err == nil {
			return string(b)
		}
		if time.Now().After(deadline) {
			t.Fatalf("the window was not started: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestAutostart(t *testing.T) {
	config := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", config)
	entry := filepath.Join(config, "autostart", "porchlight.desktop")
	data := t.TempDir()
	run := func(args ...string) string {
		t.Helper()
		var stdout, stderr bytes.Buffer
		if code := Main(append([]string{"autostart"}, args...), &Env{Stdout: &stdout, Stderr: &stderr}); code != 0 {
			t.Fatalf("porchlight autostart %s: exit %d: %s", strings.Join(args, " "), code, stderr.String())
		}
		return stdout.String()
	}
	if out := run("status"); !strings.HasPrefix(out, "off:") {
		t.Errorf("status before on: %q", out)
	}
	if out := run("on"); !strings.HasPrefix(out, "on:") || !strings.Contains(out, entry) {
		t.Errorf("on: %q", out)
	}
	got, err := os.ReadFile(entry)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(got), "--data") {
		t.Errorf("without --data the entry names a data dir:\n%s", got)
	}
	run("on", "--data", data)
	if got, _ = os.ReadFile(entry); !strings.Contains(string(got), " --data "+data+"\n") {
		t.Errorf("with --data the entry does not name it:\n%s", got)
	}
	if out := run("status"); !strings.HasPrefix(out, "on:") {
		t.Errorf("status after on: %q", out)
	}
	if out := run("off"); !strings.HasPrefix(out, "off:") {
		t.Errorf("off: %q", out)
	}
	if _, err := os.Stat(entry); !os.IsNotExist(err) {
		t.Errorf("after off the entry is still there: %v", err)
	}
	var stderr bytes.Buffer
	if code := Main([]string{"autostart", "maybe"}, &Env{Stdout: &bytes.Buffer{}, Stderr: &stderr}); code != 2 {
		t.Errorf("autostart maybe: exit %d, want 2 (%s)", code, stderr.String())
	}
}

package cli

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

// The desktop hands a porchlight:// link to `porchlight open LINK`: the
// window opens at the accept view, after Porchlight itself is started when
// it is not running.
func TestOpen(t *testing.T) {
	data := t.TempDir()
	t.Setenv("DISPLAY", ":99")
	var started []string
	orig := startApp
	startApp = func(dir string) error { started = append(started, dir); return nil }
	t.Cleanup(func() { startApp = orig })
	out := stubWindow(t)
	var stderr bytes.Buffer
	if code := Main([]string{"open", "--data", data, "porchlight://invite#abc"}, &Env{Stdout: &bytes.Buffer{}, Stderr: &stderr}); code != 0 {
		t.Fatalf("porchlight open: exit %d: %s", code, stderr.String())
	}
	want := "--data " + data + " --view accept porchlight://invite#abc"
	if got := strings.Join(strings.Fields(waitFile(t, out)), " "); got != want {
		t.Errorf("porchlight open started the window with %q, want %q", got, want)
	}
	if !slices.Equal(started, []string{data}) {
		t.Errorf("with no Porchlight running for %s, open started %q", data, started)
	}
	if code := Main([]string{"open", "--data", data}, &Env{Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}}); code != 2 {
		t.Errorf("open without a link: exit %d, want 2", code)
	}
}

// Package ui_test holds the dependency rules of the user interfaces: they
// are clients of the local API, so the only core package they may reach is
// app/api, and each desktop binary links one toolkit only.
package ui_test

import (
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// root is the module's directory, seen from this package's.
const root = ".."

const (
	module  = "github.com/porchlight/porchlight"
	fyne    = "fyne.io/fyne/v2"
	systray = "github.com/getlantern/systray"
)

// deps maps each package a pattern (relative to the module root) matches
// to its transitive dependencies.
func deps(t *testing.T, pattern string) map[string][]string {
	t.Helper()
	cmd := exec.Command("go", "list", "-f", `{{.ImportPath}}{{range .Deps}} {{.}}{{end}}`, pattern)
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("go list %s: %v\n%s", pattern, err, stderr)
	}
	m := make(map[string][]string)
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if f := strings.Fields(line); len(f) > 0 {
			m[f[0]] = f[1:]
		}
	}
	return m
}

// isModule reports whether dep is mod or one of its packages.
func isModule(dep, mod string) bool { return dep == mod || strings.HasPrefix(dep, mod+"/") }

// isCore reports whether dep is a core package other than the API contract.
func isCore(dep string) bool { return isModule(dep, module+"/app") && dep != module+"/app/api" }

func TestImportRules(t *testing.T) {
	rules := []struct {
		pattern string
		why     string
		bad     func(dep string) bool
	}{
		{"./cmd/porchlight", "the tray process links no fyne (a GL window costs too much to hold all day, and fyne's systray clashes with getlantern's)",
			func(dep string) bool { return isModule(dep, fyne) }},
		{"./cmd/porchlight-window", "the window links no getlantern/systray (fyne brings its own)",
			func(dep string) bool { return isModule(dep, systray) }},
		{"./cmd/porchlight-window", "the window is only a client of the local API",
			isCore},
		{"./ui/...", "user interfaces are only clients of the local API",
			isCore},
	}
	// The rules below only mean something if the dependencies are read.
	if !slices.Contains(deps(t, "./cmd/porchlight")[module+"/cmd/porchlight"], systray) {
		t.Fatalf("go list shows no %s under ./cmd/porchlight; the rules cannot be checked", systray)
	}
	for _, r := range rules {
		if _, err := os.Stat(filepath.Join(root, strings.TrimSuffix(r.pattern, "/..."))); errors.Is(err, fs.ErrNotExist) {
			t.Logf("%s is not there yet; not checked: %s", r.pattern, r.why)
			continue
		}
		for pkg, ds := range deps(t, r.pattern) {
			for _, d := range ds {
				if r.bad(d) {
					t.Errorf("%s depends on %s, but %s", pkg, d, r.why)
				}
			}
		}
	}
}

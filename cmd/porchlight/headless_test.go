package main

import (
	"os/exec"
	"strings"
	"testing"
)

// A headless build (-tags headless, for servers and mesh nodes) holds no
// tray and so links no GUI library: nothing that reaches GTK or systray is
// among its packages.
func TestHeadlessBuildHasNoTray(t *testing.T) {
	out, err := exec.Command("go", "list", "-tags", "headless", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, pkg := range strings.Fields(string(out)) {
		for _, banned := range []string{"github.com/getlantern/systray", "fyne.io/", "github.com/porchlight/porchlight/ui/tray"} {
			if strings.HasPrefix(pkg, banned) {
				t.Errorf("the headless build includes %s", pkg)
			}
		}
	}
}

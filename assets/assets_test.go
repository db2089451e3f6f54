package assets_test

import (
	"bytes"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/porchlight/porchlight/app/api"
	"github.com/porchlight/porchlight/assets"
)

func TestIconSizes(t *testing.T) {
	tests := []struct {
		name string
		png  []byte
		size int
	}{
		{"tray on", assets.TrayIcon(api.StateOn), 64},
		{"tray dim", assets.TrayIcon(api.StateDim), 64},
		{"tray off", assets.TrayIcon(api.StateOff), 64},
		{"tray unknown state", assets.TrayIcon("starting"), 64},
		{"app", assets.AppIcon(), 256},
	}
	for _, tt := range tests {
		img, err := png.Decode(bytes.NewReader(tt.png))
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if b := img.Bounds(); b.Dx() != tt.size || b.Dy() != tt.size {
			t.Errorf("%s: %v, want %dx%d", tt.name, b, tt.size, tt.size)
		}
	}
	if bytes.Equal(assets.TrayIcon(api.StateOn), assets.TrayIcon(api.StateOff)) {
		t.Error("the on and off icons are the same")
	}
}

// TestIconsAreGenerated keeps the committed PNGs in step with ./gen.
func TestIconsAreGenerated(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the generator")
	}
	dir := t.TempDir()
	if out, err := exec.Command("go", "run", "./gen", "-out", dir).CombinedOutput(); err != nil {
		t.Fatalf("go run ./gen: %v\n%s", err, out)
	}
	for _, name := range []string{"tray-on.png", "tray-dim.png", "tray-off.png", "porchlight.png"} {
		want, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from what ./gen draws; run `go generate ./assets`", name)
		}
	}
}

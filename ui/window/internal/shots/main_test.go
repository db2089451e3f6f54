package main

import (
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

func TestRendersEveryView(t *testing.T) {
	dir := t.TempDir()
	if err := run(dir, 1); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"home.png", "invite.png", "accept.png", "share.png", "friends.png", "neighbour.png", "browse.png", "transfers.png"} {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := png.DecodeConfig(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if cfg.Width != 800 || cfg.Height != 560 {
			t.Errorf("%s is %dx%d, want 800x560", name, cfg.Width, cfg.Height)
		}
	}
}

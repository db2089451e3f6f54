package window

import (
	"os"
	"path/filepath"
	"testing"
)

func TestDestinationsClaimFreeNames(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"notes.txt", "archive.tar.gz", ".bashrc", "Photos"} {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	var d destinations
	for _, tt := range []struct{ name, want string }{
		{"notes.txt", "notes (2).txt"},
		{"notes.txt", "notes (3).txt"}, // (2) is promised to the download before
		{"archive.tar.gz", "archive (2).tar.gz"},
		{".bashrc", ".bashrc (2)"},
		{"Photos", "Photos (2)"},
		{"new.pdf", "new.pdf"},
	} {
		if got := d.claim(dir, tt.name); got != filepath.Join(dir, tt.want) {
			t.Errorf("claim(%q) = %q, want %q", tt.name, filepath.Base(got), tt.want)
		}
	}
	d.release(filepath.Join(dir, "new.pdf"))
	if got := d.claim(dir, "new.pdf"); got != filepath.Join(dir, "new.pdf") {
		t.Errorf("a released name is not free again: %q", got)
	}
}

func TestDownloadsDir(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", "")
	t.Setenv("XDG_DOWNLOAD_DIR", "")
	if got := downloadsDir(); got != filepath.Join(home, "Downloads") {
		t.Errorf("default = %q", got)
	}
	os.MkdirAll(filepath.Join(home, ".config"), 0o700)
	os.WriteFile(filepath.Join(home, ".config", "user-dirs.dirs"), []byte("# xdg\nXDG_DOWNLOAD_DIR=\"$HOME/Téléchargements\"\n"), 0o600)
	if got := downloadsDir(); got != filepath.Join(home, "Téléchargements") {
		t.Errorf("from user-dirs.dirs = %q", got)
	}
	t.Setenv("XDG_DOWNLOAD_DIR", "/srv/in")
	if got := downloadsDir(); got != "/srv/in" {
		t.Errorf("from $XDG_DOWNLOAD_DIR = %q", got)
	}
}

func TestHumanSizes(t *testing.T) {
	for n, want := range map[int64]string{0: "0 bytes", 1: "1 byte", 999: "999 bytes", 1000: "1.0 kB", 482_113: "482 kB", 734_003_200: "734 MB", 999_600: "1.0 MB", 2_500_000_000: "2.5 GB"} {
		if got := humanSize(n); got != want {
			t.Errorf("humanSize(%d) = %q, want %q", n, got, want)
		}
	}
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 100000: "100,000", 1234567: "1,234,567"} {
		if got := count(n); got != want {
			t.Errorf("count(%d) = %q, want %q", n, got, want)
		}
	}
}

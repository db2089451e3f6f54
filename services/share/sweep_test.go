package share

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestSweepStaleUploads(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "sub"), 0o755)
	stale := filepath.Join(dir, "sub", tempPrefix+"OLD")
	fresh := filepath.Join(dir, tempPrefix+"NEW")
	kept := filepath.Join(dir, "letter.txt")
	for _, p := range []string{stale, fresh, kept} {
		os.WriteFile(p, []byte("x"), 0o644)
	}
	old := time.Now().Add(-time.Hour)
	os.Chtimes(stale, old, old)
	n, err := SweepStaleUploads(dir, time.Now().Add(-time.Minute))
	if err != nil || n != 1 {
		t.Fatalf("swept %d, %v; want 1", n, err)
	}
	for p, want := range map[string]bool{stale: false, fresh: true, kept: true} {
		if _, err := os.Stat(p); (err == nil) != want {
			t.Errorf("%s exists=%v, want %v", filepath.Base(p), err == nil, want)
		}
	}
}

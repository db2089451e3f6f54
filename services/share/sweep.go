package share

import (
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// SweepStaleUploads removes the temporary files of uploads that were cut
// off by a crash (they are never listed, but take space), under a shared
// folder. Only files last written before cutoff go, so uploads running now
// are left alone. It reports how many it removed.
func SweepStaleUploads(dir string, cutoff time.Time) (int, error) {
	removed := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // an unreadable corner is skipped, not fatal
		}
		if d.Type().IsRegular() && isTempName(d.Name()) {
			if info, err := d.Info(); err == nil && info.ModTime().Before(cutoff) && os.Remove(p) == nil {
				removed++
			}
		}
		return nil
	})
	return removed, err
}

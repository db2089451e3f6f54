package window

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"

	"github.com/porchlight/porchlight/app/api"
)

// walkPage is how many entries a folder download reads per List call.
const walkPage = 1000

// downloadsDir is where downloads go unless the resident picks another
// folder: $XDG_DOWNLOAD_DIR, the one named in the XDG user-dirs file, or
// ~/Downloads.
func downloadsDir() string { return userDir("DOWNLOAD", "Downloads") }

// documentsDir is where the window saves backups.
func documentsDir() string { return userDir("DOCUMENTS", "Documents") }

// userDir is one of the resident's folders, as xdg-user-dirs names them
// (kind is DOWNLOAD, DOCUMENTS...): $XDG_<kind>_DIR, else the entry in
// user-dirs.dirs, else ~/fallback.
func userDir(kind, fallback string) string {
	if d := os.Getenv("XDG_" + kind + "_DIR"); filepath.IsAbs(d) {
		return d
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return os.TempDir()
	}
	if d := userDirsEntry(home, kind); d != "" {
		return d
	}
	return filepath.Join(home, fallback)
}

// userDirsEntry reads XDG_<kind>_DIR from user-dirs.dirs, the file
// xdg-user-dirs keeps, or returns "".
func userDirsEntry(home, kind string) string {
	config := os.Getenv("XDG_CONFIG_HOME")
	if !filepath.IsAbs(config) {
		config = filepath.Join(home, ".config")
	}
	f, err := os.Open(filepath.Join(config, "user-dirs.dirs"))
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		value, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "XDG_"+kind+"_DIR=")
		if !ok {
			continue
		}
		value = strings.Trim(value, `"`)
		if rest, ok := strings.CutPrefix(value, "$HOME"); ok {
			value = home + rest
		}
		if filepath.IsAbs(value) {
			return filepath.Clean(value)
		}
	}
	return ""
}

// destinations hands out local names for downloads that are free on disk
// and not already promised to a download started in this window.
type destinations struct {
	mu    sync.Mutex
	taken map[string]bool
}

// claim returns dir/name, or "name (2).ext", "name (3).ext"... when that is
// taken, and remembers it as taken.
func (d *destinations) claim(dir, name string) string {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.taken == nil {
		d.taken = map[string]bool{}
	}
	stem, ext := splitExt(name)
	p := filepath.Join(dir, name)
	for n := 2; d.taken[p] || exists(p); n++ {
		p = filepath.Join(dir, fmt.Sprintf("%s (%d)%s", stem, n, ext))
	}
	d.taken[p] = true
	return p
}

// release forgets a name claimed for a download that did not start.
func (d *destinations) release(p string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.taken, p)
}

// splitExt splits "notes.txt" into "notes" and ".txt", keeping hidden files
// (".bashrc") and compound extensions (".tar.gz") whole.
func splitExt(name string) (stem, ext string) {
	ext = filepath.Ext(name)
	stem = strings.TrimSuffix(name, ext)
	if stem == "" {
		return name, ""
	}
	if inner := filepath.Ext(stem); inner == ".tar" {
		return strings.TrimSuffix(stem, inner), inner + ext
	}
	return stem, ext
}

func exists(p string) bool {
	_, err := os.Lstat(p)
	return !errors.Is(err, os.ErrNotExist)
}

// remoteFolder is a folder in a friend's share.
type remoteFolder struct {
	friend string // ID
	share  string
	dir    string // "/" for the share itself
}

// folderProgress is how far a folder download has got.
type folderProgress struct {
	started, failed int
	firstErr        error
}

// downloadFolder walks f with List and starts one download per file into
// local (which it makes), recreating subfolders beneath it. It reports
// progress as it goes and stops at the first folder it cannot read.
func downloadFolder(ctx context.Context, c Client, f remoteFolder, local string, report func(folderProgress)) (folderProgress, error) {
	var p folderProgress
	queue := []string{f.dir}
	for len(queue) > 0 {
		dir := queue[0]
		queue = queue[1:]
		target := filepath.Join(local, filepath.FromSlash(strings.TrimPrefix(dir, f.dir)))
		if err := os.MkdirAll(target, 0o755); err != nil {
			return p, fmt.Errorf("make folder: %w", err)
		}
		for offset := 0; ; {
			l, err := listPage(ctx, c, f.friend, f.share, dir, offset)
			if err != nil {
				return p, fmt.Errorf("read %s: %w", path.Join(f.share, dir), err)
			}
			for _, e := range l.Entries {
				if e.Dir {
					queue = append(queue, path.Join(dir, e.Name))
					continue
				}
				req := api.NewTransfer{Friend: f.friend, Share: f.share, Path: path.Join(dir, e.Name), Dest: filepath.Join(target, e.Name)}
				if err := startTransfer(ctx, c, req); err != nil {
					if p.failed++; p.firstErr == nil {
						p.firstErr = err
					}
				} else {
					p.started++
				}
			}
			report(p)
			if offset = l.NextOffset; offset == 0 {
				break
			}
		}
	}
	return p, nil
}

func listPage(ctx context.Context, c Client, friend, share, dir string, offset int) (api.Listing, error) {
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	return c.List(ctx, friend, share, dir, offset, walkPage)
}

func startTransfer(ctx context.Context, c Client, req api.NewTransfer) error {
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	_, err := c.StartTransfer(ctx, req)
	return err
}

package share

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

const (
	defaultLimit = 500
	maxLimit     = 5000
)

// Listing is one page of a directory, as GET /shares/{name}/list/{path...}
// answers.
type Listing struct {
	// Path is the directory, "/" for the shared folder itself.
	Path    string  `json:"path"`
	Entries []Entry `json:"entries"`
	// Total counts the entries of the whole directory.
	Total int `json:"total"`
	// NextOffset is where the next page starts; absent (0) on the last page.
	NextOffset int `json:"next_offset,omitempty"`
}

// Entry is a file or directory in a Listing.
type Entry struct {
	Name string `json:"name"`
	Dir  bool   `json:"dir"`
	// Size is in bytes, 0 for directories.
	Size int64 `json:"size"`
	// Modified is in UTC, whole seconds, so it encodes as RFC 3339.
	Modified time.Time `json:"modified"`
}

func (h *handler) serveList(w http.ResponseWriter, r *http.Request) {
	offset, limit, err := parsePage(r.URL.Query())
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	folder, root, rel, ok := h.resolve(w, r, useRead)
	if !ok {
		return
	}
	defer root.Close()
	// Stat before opening: opening a named pipe would block.
	info, err := root.Stat(rel)
	if err != nil {
		h.writePathError(w, r, rel, err)
		return
	}
	if !info.IsDir() {
		writeError(w, http.StatusBadRequest, "not a directory")
		return
	}
	entries, err := h.listing.get(folder.Path+"\x00"+rel, info.ModTime(), func() ([]Entry, error) {
		dir, err := root.Open(rel)
		if err != nil {
			return nil, err
		}
		defer dir.Close()
		return readDir(root, rel, dir)
	})
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) {
		h.writePathError(w, r, rel, err)
		return
	}
	if err != nil {
		h.logger(r).Error("list directory", "share", r.PathValue("name"), "path", rel, "err", err)
		writeError(w, http.StatusInternalServerError, "internal error")
		return
	}
	start := min(offset, len(entries))
	end := min(start+limit, len(entries))
	page := Listing{Path: path.Join("/", rel), Entries: entries[start:end], Total: len(entries)}
	if end < len(entries) {
		page.NextOffset = end
	}
	writeJSON(w, http.StatusOK, page)
}

// parsePage reads offset (default 0) and limit (default 500, at most 5000).
func parsePage(q url.Values) (offset, limit int, err error) {
	count := func(key string) (int, error) {
		s := q.Get(key)
		if s == "" {
			return 0, nil
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return 0, errors.New(key + " must be a whole number")
		}
		return n, nil
	}
	if offset, err = count("offset"); err != nil {
		return 0, 0, err
	}
	if limit, err = count("limit"); err != nil {
		return 0, 0, err
	}
	return offset, min(cmp.Or(limit, defaultLimit), maxLimit), nil
}

// readDir returns the entries of dir (at rel in root), directories first,
// then by name. Symbolic links are shown as what they point to. Left out are
// links that dangle or lead outside the folder, special files, and names that
// CleanPath refuses: nothing is listed that cannot be opened. Nor are uploads
// still in progress.
func readDir(root *os.Root, rel string, dir *os.File) ([]Entry, error) {
	dirents, err := dir.ReadDir(-1)
	if err != nil {
		return nil, fmt.Errorf("read directory: %w", err)
	}
	entries := make([]Entry, 0, len(dirents))
	for _, d := range dirents {
		if _, err := CleanPath(d.Name()); err != nil || isTempName(d.Name()) {
			continue
		}
		info, err := d.Info()
		if err == nil && d.Type()&fs.ModeSymlink != 0 {
			info, err = root.Stat(path.Join(rel, d.Name()))
		}
		if err != nil || !info.IsDir() && !info.Mode().IsRegular() {
			continue
		}
		e := Entry{Name: d.Name(), Dir: info.IsDir(), Modified: info.ModTime().UTC().Truncate(time.Second)}
		if !e.Dir {
			e.Size = info.Size()
		}
		entries = append(entries, e)
	}
	slices.SortFunc(entries, compareEntries)
	return entries, nil
}

// compareEntries orders directories first, then names case-insensitively.
func compareEntries(a, b Entry) int {
	if a.Dir != b.Dir {
		if a.Dir {
			return -1
		}
		return 1
	}
	return cmp.Or(
		cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)),
		cmp.Compare(a.Name, b.Name),
	)
}

// listingTTL bounds how stale a cached listing may be: a folder's
// modification time changes when entries come and go, but not when a file
// in it grows.
const listingTTL = 10 * time.Second

// listingCache keeps the last folder listed, sorted, so that paging
// through a folder of 100,000 entries reads it once, not once a page.
type listingCache struct {
	mu      sync.Mutex
	key     string
	mod     time.Time
	at      time.Time
	entries []Entry
}

func (c *listingCache) get(key string, mod time.Time, read func() ([]Entry, error)) ([]Entry, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.key == key && c.mod.Equal(mod) && time.Since(c.at) < listingTTL {
		return c.entries, nil
	}
	entries, err := read()
	if err != nil {
		return nil, err
	}
	c.key, c.mod, c.at, c.entries = key, mod, time.Now(), entries
	return entries, nil
}

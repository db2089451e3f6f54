package share

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"strconv"
	"strings"
)

// tempPrefix starts the name of every file an upload is written to before it
// is complete. Such files are never listed, served or accepted as names.
const tempPrefix = ".porchlight-upload-"

// maxUpload bounds one upload: generous, but a peer cannot stream forever.
const maxUpload = 64 << 30

// maxConflictNames bounds the search for a free "name (N).ext".
const maxConflictNames = 10_000

// conflictPolicy says what publishing an upload does when its name is taken.
type conflictPolicy int

const (
	// keepBoth never replaces anything: the upload takes the first free name
	// of "name.ext", "name (2).ext", "name (3).ext"...
	keepBoth conflictPolicy = iota
	// overwrite replaces the file at the name atomically.
	overwrite
)

// errIsDir is returned when an upload would overwrite a directory.
var errIsDir = errors.New("a folder has that name")

// isTempName reports whether name is an upload's temporary file.
func isTempName(name string) bool {
	return strings.HasPrefix(name, tempPrefix)
}

// hidesTemp reports whether the clean relative path rel names or passes
// through an upload's temporary file.
func hidesTemp(rel string) bool {
	for part := range strings.SplitSeq(rel, "/") {
		if isTempName(part) {
			return true
		}
	}
	return false
}

// stagedFile is an upload being written to a hidden temporary file in the
// folder it will end up in, so that publishing it is a rename. Until commit
// succeeds, nothing appears under a real name; discard removes the file.
type stagedFile struct {
	root *os.Root
	dir  string // the clean folder, relative to root
	tmp  string // the temporary file, relative to root
	f    *os.File
}

// stage creates a temporary file in dir (clean, relative to root).
func stage(root *os.Root, dir string) (*stagedFile, error) {
	tmp := path.Join(dir, tempPrefix+rand.Text())
	f, err := root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
	if err != nil {
		return nil, fmt.Errorf("create upload file: %w", err)
	}
	return &stagedFile{root: root, dir: dir, tmp: tmp, f: f}, nil
}

// write copies src into the file until src ends or fails.
func (s *stagedFile) write(src io.Reader) (int64, error) {
	buf := make([]byte, 256<<10)
	n, err := io.CopyBuffer(struct{ io.Writer }{s.f}, src, buf)
	if err != nil {
		return n, fmt.Errorf("write upload: %w", err)
	}
	return n, nil
}

// discard removes the temporary file; the upload leaves nothing behind.
func (s *stagedFile) discard() {
	_ = s.f.Close()          // already failed or being thrown away
	_ = s.root.Remove(s.tmp) // best effort: a hidden leftover is never listed
}

// commit makes the upload durable and publishes it as name in its folder,
// following policy, and returns the name it got. On failure the temporary
// file is removed.
func (s *stagedFile) commit(name string, policy conflictPolicy) (string, error) {
	if err := s.f.Sync(); err != nil {
		s.discard()
		return "", fmt.Errorf("sync upload: %w", err)
	}
	if err := s.f.Close(); err != nil {
		_ = s.root.Remove(s.tmp)
		return "", fmt.Errorf("close upload: %w", err)
	}
	final, err := s.publish(name, policy)
	if err != nil {
		_ = s.root.Remove(s.tmp)
		return "", err
	}
	syncDir(s.root, s.dir)
	return final, nil
}

func (s *stagedFile) publish(name string, policy conflictPolicy) (string, error) {
	if policy == overwrite {
		target := path.Join(s.dir, name)
		if info, err := s.root.Lstat(target); err == nil && info.IsDir() {
			return "", errIsDir
		}
		if err := s.root.Rename(s.tmp, target); err != nil {
			return "", fmt.Errorf("publish upload: %w", err)
		}
		return name, nil
	}
	// A hard link fails when the name is taken, so no other upload can slip
	// in between a check and the rename. Where links are unsupported, fall
	// back to checking first.
	linkable := true
	for n := 1; n <= maxConflictNames; n++ {
		candidate := numbered(name, n)
		target := path.Join(s.dir, candidate)
		if linkable {
			err := s.root.Link(s.tmp, target)
			switch {
			case err == nil:
				_ = s.root.Remove(s.tmp) // the upload is published; the hidden name is only a leftover
				return candidate, nil
			case errors.Is(err, fs.ErrExist):
				continue
			}
			linkable = false
		}
		if _, err := s.root.Lstat(target); err == nil {
			continue
		} else if !errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("publish upload: %w", err)
		}
		if err := s.root.Rename(s.tmp, target); err != nil {
			return "", fmt.Errorf("publish upload: %w", err)
		}
		return candidate, nil
	}
	return "", fmt.Errorf("publish upload: no free name like %q: %w", name, fs.ErrExist)
}

// numbered returns name for n = 1, else name with " (n)" before its
// extension: "photo (2).jpg", "backup (3).tar.gz", ".profile (2)".
func numbered(name string, n int) string {
	if n == 1 {
		return name
	}
	ext := path.Ext(name)
	base := strings.TrimSuffix(name, ext)
	if strings.HasSuffix(base, ".tar") {
		base, ext = strings.TrimSuffix(base, ".tar"), ".tar"+ext
	}
	if base == "" {
		base, ext = name, ""
	}
	return base + " (" + strconv.Itoa(n) + ")" + ext
}

// syncDir makes a rename in dir durable, where the platform allows it.
func syncDir(root *os.Root, dir string) {
	d, err := root.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync() // not every platform can sync a directory; the rename stands
	_ = d.Close()
}

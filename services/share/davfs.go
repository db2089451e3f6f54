package share

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"strings"
	"sync/atomic"
	"syscall"

	"golang.org/x/net/webdav"
)

// rootFS is a webdav.FileSystem over one shared folder, opened as an os.Root
// for the length of one request. Every name goes through CleanPath and then
// the root, so nothing outside the folder can be reached; uploads in progress
// and special files are invisible.
//
// Files opened for writing are staged (see stagedFile): they appear under
// their name only when closed after everything was written, and for a PUT
// only when the request body arrived whole (see putState).
type rootFS struct {
	root  *os.Root
	props *deadProps
}

var _ webdav.FileSystem = (*rootFS)(nil)

// rel turns a webdav name ("/a/b", "", "/") into a clean path in the root.
func (rfs *rootFS) rel(op, name string) (string, error) {
	rel, err := CleanPath(strings.TrimPrefix(name, "/"))
	if err != nil {
		return "", &fs.PathError{Op: op, Path: name, Err: fs.ErrPermission}
	}
	if hidesTemp(rel) {
		return "", &fs.PathError{Op: op, Path: name, Err: fs.ErrNotExist}
	}
	return rel, nil
}

func (rfs *rootFS) Mkdir(ctx context.Context, name string, perm os.FileMode) error {
	rel, err := rfs.rel("mkdir", name)
	if err != nil {
		return err
	}
	if rel == "." {
		return &fs.PathError{Op: "mkdir", Path: name, Err: fs.ErrExist}
	}
	return notFoundIfOutside(rfs.root.Mkdir(rel, perm))
}

func (rfs *rootFS) OpenFile(ctx context.Context, name string, flag int, perm os.FileMode) (webdav.File, error) {
	rel, err := rfs.rel("open", name)
	if err != nil {
		return nil, err
	}
	if flag&(os.O_CREATE|os.O_TRUNC) != 0 {
		return rfs.create(ctx, name, rel)
	}
	// Nothing writes through a file opened without O_CREATE or O_TRUNC:
	// x/net/webdav opens one O_RDWR only to reach its dead properties.
	// Stat first: opening a named pipe would block.
	info, err := rfs.root.Stat(rel)
	if err != nil {
		return nil, notFoundIfOutside(err)
	}
	if !info.IsDir() && !info.Mode().IsRegular() {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	f, err := rfs.root.Open(rel)
	if err != nil {
		return nil, notFoundIfOutside(err)
	}
	return &davFile{File: f, fs: rfs, rel: rel}, nil
}

// create stages a file that will replace or become rel when it is closed.
func (rfs *rootFS) create(ctx context.Context, name, rel string) (webdav.File, error) {
	if rel == "." {
		return nil, &fs.PathError{Op: "create", Path: name, Err: fs.ErrExist}
	}
	dir, base := path.Split(rel)
	dir = path.Clean("./" + dir)
	if info, err := rfs.root.Stat(dir); err != nil {
		return nil, notFoundIfOutside(err)
	} else if !info.IsDir() {
		return nil, &fs.PathError{Op: "create", Path: name, Err: fs.ErrNotExist}
	}
	put, _ := ctx.Value(putStateKey{}).(*putState)
	if info, err := rfs.root.Lstat(rel); err == nil && info.IsDir() && (put == nil || !put.keep) {
		return nil, &fs.PathError{Op: "create", Path: name, Err: errIsDir}
	}
	up, err := stage(rfs.root, dir)
	if err != nil {
		return nil, err
	}
	return &stagingFile{up: up, fs: rfs, rel: rel, name: base, put: put}, nil
}

func (rfs *rootFS) RemoveAll(ctx context.Context, name string) error {
	rel, err := rfs.rel("remove", name)
	if err != nil {
		return err
	}
	if rel == "." {
		return &fs.PathError{Op: "remove", Path: name, Err: fs.ErrPermission}
	}
	if _, err := rfs.root.Lstat(rel); err != nil {
		return notFoundIfOutside(err)
	}
	if err := rfs.root.RemoveAll(rel); err != nil {
		return notFoundIfOutside(err)
	}
	rfs.props.remove(rel)
	return nil
}

func (rfs *rootFS) Rename(ctx context.Context, oldName, newName string) error {
	oldRel, err := rfs.rel("rename", oldName)
	if err != nil {
		return err
	}
	newRel, err := rfs.rel("rename", newName)
	if err != nil {
		return err
	}
	if oldRel == "." || newRel == "." || strings.HasPrefix(newRel+"/", oldRel+"/") {
		return &fs.PathError{Op: "rename", Path: newName, Err: fs.ErrPermission}
	}
	if err := rfs.root.Rename(oldRel, newRel); err != nil {
		return notFoundIfOutside(err)
	}
	rfs.props.move(oldRel, newRel)
	return nil
}

func (rfs *rootFS) Stat(ctx context.Context, name string) (os.FileInfo, error) {
	rel, err := rfs.rel("stat", name)
	if err != nil {
		return nil, err
	}
	info, err := rfs.root.Stat(rel)
	if err != nil {
		return nil, notFoundIfOutside(err)
	}
	if !info.IsDir() && !info.Mode().IsRegular() {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrNotExist}
	}
	return info, nil
}

// notFoundIfOutside reports paths that os.Root refuses (through a symbolic
// link leading outside the folder, or through a file) as missing, which is
// what they are as far as the share goes. Errors from the system keep their
// meaning.
func notFoundIfOutside(err error) error {
	var pe *fs.PathError
	var errno syscall.Errno
	if !errors.As(err, &pe) {
		return err
	}
	if errors.As(pe.Err, &errno) && errno != syscall.ENOTDIR && errno != syscall.ELOOP {
		return err
	}
	return &fs.PathError{Op: pe.Op, Path: pe.Path, Err: fs.ErrNotExist}
}

// davFile is a file or folder opened for reading.
type davFile struct {
	*os.File
	fs  *rootFS
	rel string
}

var _ webdav.DeadPropsHolder = (*davFile)(nil)

// Readdir lists what a listing shows: symbolic links as what they point to
// when that is inside the folder, no special files, no names CleanPath
// refuses and no uploads in progress.
func (f *davFile) Readdir(count int) ([]fs.FileInfo, error) {
	dirents, err := f.File.ReadDir(count)
	infos := make([]fs.FileInfo, 0, len(dirents))
	for _, d := range dirents {
		if _, cerr := CleanPath(d.Name()); cerr != nil || isTempName(d.Name()) {
			continue
		}
		info, ierr := f.fs.root.Stat(path.Join(f.rel, d.Name()))
		if ierr != nil || !info.IsDir() && !info.Mode().IsRegular() {
			continue
		}
		infos = append(infos, info)
	}
	return infos, err
}

func (f *davFile) Write([]byte) (int, error) {
	return 0, &fs.PathError{Op: "write", Path: f.rel, Err: fs.ErrPermission}
}

func (f *davFile) DeadProps() (map[xml.Name]webdav.Property, error) {
	return f.fs.props.get(f.rel), nil
}

func (f *davFile) Patch(patches []webdav.Proppatch) ([]webdav.Propstat, error) {
	return f.fs.props.patch(f.rel, patches), nil
}

// stagingFile is a file being written by PUT, COPY or LOCK. Close publishes
// it under its name, replacing what was there, if every write succeeded and,
// for a PUT, the request body ended cleanly; otherwise it removes it.
type stagingFile struct {
	up     *stagedFile
	fs     *rootFS
	rel    string
	name   string
	put    *putState // nil when not a PUT
	failed bool
	closed bool
}

var _ webdav.DeadPropsHolder = (*stagingFile)(nil)

var errNotReadable = errors.New("file is being written")

func (f *stagingFile) Write(p []byte) (int, error) {
	n, err := f.up.f.Write(p)
	if err != nil {
		f.failed = true
	}
	return n, err
}

// ReadFrom copies with a larger buffer than io.Copy's; any error, reading
// or writing, fails the file.
func (f *stagingFile) ReadFrom(r io.Reader) (int64, error) {
	n, err := f.up.write(r)
	if err != nil {
		f.failed = true
	}
	return n, err
}

func (f *stagingFile) Close() error {
	if f.closed {
		return fs.ErrClosed
	}
	f.closed = true
	if f.failed || f.put != nil && !f.put.complete.Load() {
		f.up.discard()
		return fmt.Errorf("close %s: %w", f.rel, errIncomplete)
	}
	policy := overwrite
	if f.put != nil && f.put.keep {
		policy = keepBoth
	}
	_, err := f.up.commit(f.name, policy)
	return err
}

func (f *stagingFile) Stat() (fs.FileInfo, error) { return f.up.f.Stat() }

func (f *stagingFile) Read([]byte) (int, error)           { return 0, errNotReadable }
func (f *stagingFile) Seek(int64, int) (int64, error)     { return 0, errNotReadable }
func (f *stagingFile) Readdir(int) ([]fs.FileInfo, error) { return nil, errNotReadable }

func (f *stagingFile) DeadProps() (map[xml.Name]webdav.Property, error) {
	return f.fs.props.get(f.rel), nil
}

func (f *stagingFile) Patch(patches []webdav.Proppatch) ([]webdav.Propstat, error) {
	return f.fs.props.patch(f.rel, patches), nil
}

// putState travels in a PUT's context from the handler to the staged file:
// whether the body reached its end cleanly, and whether a taken name must be
// kept (drop boxes) rather than replaced.
type putState struct {
	complete atomic.Bool
	keep     bool
}

type putStateKey struct{}

// trackedBody records in state whether the body was read to a clean end: a
// body cut short by the peer, or longer than allowed, fails instead.
type trackedBody struct {
	io.ReadCloser
	state *putState
}

func (b *trackedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err == io.EOF {
		b.state.complete.Store(true)
	}
	return n, err
}

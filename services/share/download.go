package share

import (
	"fmt"
	"io/fs"
	"net/http"
	"path"
)

func (h *handler) serveFile(w http.ResponseWriter, r *http.Request) {
	root, rel, ok := h.resolve(w, r)
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
	if info.IsDir() {
		writeError(w, http.StatusBadRequest, "is a directory")
		return
	}
	if !info.Mode().IsRegular() {
		writeError(w, http.StatusNotFound, "not found")
		return
	}
	f, err := root.Open(rel)
	if err != nil {
		h.writePathError(w, r, rel, err)
		return
	}
	defer f.Close()
	if info, err = f.Stat(); err != nil {
		h.writePathError(w, r, rel, err)
		return
	}
	w.Header().Set("ETag", etag(info))
	// A friend's file must not run as a page of the origin it is served from.
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Security-Policy", "sandbox")
	http.ServeContent(w, r, path.Base(rel), info.ModTime(), f)
}

// etag names a version of a file by its size and modification time.
func etag(info fs.FileInfo) string {
	return fmt.Sprintf(`"%x-%x"`, info.Size(), info.ModTime().UnixNano())
}

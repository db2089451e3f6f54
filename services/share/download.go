package share

import (
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

func (h *handler) serveFile(w http.ResponseWriter, r *http.Request) {
	_, root, rel, ok := h.resolve(w, r, useRead)
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
	if r.Method != http.MethodGet || !wantsSHA256(r.Header.Values(wantReprDigestHeader)) ||
		strings.Contains(r.Header.Get("Range"), ",") {
		// Multiple ranges are served from another goroutine: no digest.
		http.ServeContent(largeWrites{w}, r, path.Base(rel), info.ModTime(), f)
		return
	}
	hf := newHashingFile(r.Context(), f, info.Size())
	tw := &trailerWriter{ResponseWriter: w, r: r}
	http.ServeContent(largeWrites{tw}, r, path.Base(rel), info.ModTime(), hf)
	if !tw.sendsBody() || r.Context().Err() != nil {
		return
	}
	sum, err := hf.finish()
	if err != nil {
		// Without the trailer the client cannot verify, so it must not trust.
		h.logger(r).Warn("digest", "share", r.PathValue("name"), "path", rel, "err", err)
		return
	}
	w.Header().Set(reprDigestHeader, formatReprDigest(sum))
}

// downloadChunk is how much of a file each write of a download carries.
// io.Copy's 32 KiB becomes 32 KiB HTTP/2 frames, and over a WebRTC link
// each frame is a data channel message: small messages cost more CPU per
// byte (app/link's writeMessageSize).
const downloadChunk = 256 << 10

// largeWrites makes http.ServeContent copy the file downloadChunk bytes
// at a time.
type largeWrites struct {
	http.ResponseWriter
}

func (w largeWrites) ReadFrom(r io.Reader) (int64, error) {
	// The struct hides w's own ReadFrom, which would call itself.
	return io.CopyBuffer(struct{ io.Writer }{w.ResponseWriter}, r, make([]byte, downloadChunk))
}

// etag names a version of a file by its size and modification time.
func etag(info fs.FileInfo) string {
	return fmt.Sprintf(`"%x-%x"`, info.Size(), info.ModTime().UnixNano())
}

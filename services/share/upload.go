package share

import (
	"errors"
	"io/fs"
	"net/http"
	"path"
	"syscall"
)

// UploadResult is what PUT /shares/{name}/files/{path...} answers (201).
type UploadResult struct {
	// Name is the name the file got, which differs from the one asked for
	// when that was taken ("report (2).pdf").
	Name string `json:"name"`
	// Path is where the file is in the share, e.g. "/sub/report (2).pdf".
	Path string `json:"path"`
	// Size is the file's length in bytes.
	Size int64 `json:"size"`
}

func (h *handler) serveUpload(w http.ResponseWriter, r *http.Request) {
	f, root, rel, ok := h.resolve(w, r, useUpload)
	if !ok {
		return
	}
	defer root.Close()
	policy, err := conflictFor(r, f.Mode)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	if rel == "." {
		writeError(w, http.StatusBadRequest, "no file name")
		return
	}
	if r.ContentLength > maxUpload {
		writeError(w, http.StatusRequestEntityTooLarge, "file too large")
		return
	}
	dir, name := path.Split(rel)
	dir = path.Clean("./" + dir)
	if info, err := root.Stat(dir); err != nil || !info.IsDir() {
		writeError(w, http.StatusConflict, "folder does not exist")
		return
	}
	up, err := stage(root, dir)
	if err != nil {
		h.writeWriteError(w, r, rel, err)
		return
	}
	n, err := up.write(http.MaxBytesReader(w, r.Body, maxUpload))
	if err == nil && r.ContentLength >= 0 && n != r.ContentLength {
		err = errIncomplete
	}
	if err != nil {
		up.discard()
		h.writeWriteError(w, r, rel, err)
		return
	}
	final, err := up.commit(name, policy)
	if err != nil {
		h.writeWriteError(w, r, rel, err)
		return
	}
	h.logger(r).Info("upload", "share", f.Name, "path", path.Join(dir, final), "size", n)
	writeJSON(w, http.StatusCreated, UploadResult{Name: final, Path: path.Join("/", dir, final), Size: n})
}

var errIncomplete = errors.New("upload incomplete")

// conflictFor reads ?conflict=keep|overwrite; a drop box only keeps.
func conflictFor(r *http.Request, m Mode) (conflictPolicy, error) {
	switch r.URL.Query().Get("conflict") {
	case "", "keep":
		return keepBoth, nil
	case "overwrite":
		if m != ModeReadWrite {
			return 0, errors.New("a drop box never overwrites")
		}
		return overwrite, nil
	}
	return 0, errors.New("conflict must be keep or overwrite")
}

func (h *handler) serveMkdir(w http.ResponseWriter, r *http.Request) {
	f, root, rel, ok := h.resolve(w, r, useMkdir)
	if !ok {
		return
	}
	defer root.Close()
	if rel == "." {
		writeError(w, http.StatusConflict, "folder exists")
		return
	}
	if err := root.Mkdir(rel, 0o777); err != nil {
		switch {
		case errors.Is(err, fs.ErrExist):
			writeError(w, http.StatusConflict, "folder exists")
		case errors.Is(err, fs.ErrPermission):
			writeError(w, http.StatusForbidden, "permission denied")
		default:
			// Missing parents, and parents os.Root refuses (a symbolic
			// link leading outside the folder).
			h.logger(r).Info("make folder", "share", f.Name, "path", rel, "err", err)
			writeError(w, http.StatusConflict, "folder does not exist")
		}
		return
	}
	h.logger(r).Info("make folder", "share", f.Name, "path", rel)
	writeJSON(w, http.StatusCreated, struct {
		Path string `json:"path"`
	}{path.Join("/", rel)})
}

// writeWriteError answers for an upload or folder that could not be written.
func (h *handler) writeWriteError(w http.ResponseWriter, r *http.Request, rel string, err error) {
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		writeError(w, http.StatusRequestEntityTooLarge, "file too large")
	case errors.Is(err, errIsDir):
		writeError(w, http.StatusConflict, errIsDir.Error())
	case errors.Is(err, syscall.ENOSPC):
		h.logger(r).Warn("disk full", "share", r.PathValue("name"), "path", rel)
		writeError(w, http.StatusInsufficientStorage, "disk full")
	case errors.Is(err, fs.ErrPermission):
		writeError(w, http.StatusForbidden, "permission denied")
	case errors.Is(err, fs.ErrNotExist), errors.Is(err, syscall.ENOTDIR):
		writeError(w, http.StatusConflict, "folder does not exist")
	case errors.Is(err, errIncomplete), r.Context().Err() != nil:
		// The peer went away or sent less than it announced; it hears
		// nothing, or this, and nothing was published.
		h.logger(r).Info("upload incomplete", "share", r.PathValue("name"), "path", rel, "err", err)
		writeError(w, http.StatusBadRequest, errIncomplete.Error())
	default:
		h.logger(r).Warn("upload", "share", r.PathValue("name"), "path", rel, "err", err)
		writeError(w, http.StatusBadRequest, errIncomplete.Error())
	}
}

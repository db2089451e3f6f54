package share

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path"
	"strings"

	"github.com/porchlight/porchlight/services/peer"
)

// FolderInfo is what GET /shares tells a friend about one share.
type FolderInfo struct {
	Name string `json:"name"`
	Mode Mode   `json:"mode"`
}

type handler struct {
	catalog Catalog
	allow   Access
	log     *slog.Logger
	mux     *http.ServeMux
	listing listingCache
}

// NewHandler returns the share API, to be mounted (usually under
// http.StripPrefix) behind a peer link that puts the peer's identity in each
// request's context:
//
//	GET /shares                           the shares the peer may use ([]FolderInfo)
//	GET /shares/{name}/list/{path...}     one page of a directory (Listing); ?offset=N&limit=M
//	GET /shares/{name}/files/{path...}    a file's bytes (HEAD, Range and ETag work;
//	                                      Want-Repr-Digest: sha-256=1 adds a Repr-Digest trailer)
//	PUT /shares/{name}/files/{path...}    upload a file (UploadResult); ?conflict=keep|overwrite
//	POST /shares/{name}/mkdir/{path...}   create a folder (read-write shares)
//
// An upload is written to a hidden file in the target folder and renamed into
// place only once the whole body has arrived; ?conflict=keep (the default,
// and the only choice in a drop box) never replaces a file but picks
// "name (2).ext" and so on, ?conflict=overwrite replaces it atomically.
//
// Errors are JSON {"error": "..."}: 403 without a peer or for what the
// share's mode forbids, 400 for a hostile path, 404 for a missing file or a
// share that is missing or not the peer's to use (the two look the same),
// 409 for a missing parent folder. A nil logger discards logs.
func NewHandler(c Catalog, allow Access, logger *slog.Logger) http.Handler {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if allow == nil {
		allow = func(context.Context, Folder) bool { return false }
	}
	h := &handler{catalog: c, allow: allow, log: logger.With("subsystem", "share"), mux: http.NewServeMux()}
	h.mux.HandleFunc("GET /shares", h.serveShares)
	h.mux.HandleFunc("GET /shares/{name}/list", h.serveList)
	h.mux.HandleFunc("GET /shares/{name}/list/{path...}", h.serveList)
	h.mux.HandleFunc("GET /shares/{name}/files/{path...}", h.serveFile)
	h.mux.HandleFunc("GET /shares/{name}/files", h.serveFile)
	h.mux.HandleFunc("PUT /shares/{name}/files", h.serveUpload)
	h.mux.HandleFunc("PUT /shares/{name}/files/{path...}", h.serveUpload)
	h.mux.HandleFunc("POST /shares/{name}/mkdir", h.serveMkdir)
	h.mux.HandleFunc("POST /shares/{name}/mkdir/{path...}", h.serveMkdir)
	h.mux.HandleFunc("/", h.serveUnknown)
	return h
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if _, ok := peer.FromContext(r.Context()); !ok {
		writeError(w, http.StatusForbidden, "no peer")
		return
	}
	clean, err := CleanPath(strings.TrimPrefix(r.URL.Path, "/"))
	if err != nil {
		h.logger(r).Info("refused path", "path", r.URL.Path, "err", err)
		writeError(w, http.StatusBadRequest, "bad path")
		return
	}
	// Serve the cleaned path rather than let ServeMux redirect to it: behind
	// http.StripPrefix, its redirect would lose the prefix.
	if p := path.Join("/", clean); p != r.URL.Path {
		r2 := *r
		u := *r.URL
		u.Path, u.RawPath = p, ""
		r2.URL = &u
		r = &r2
	}
	h.mux.ServeHTTP(w, r)
}

func (h *handler) serveShares(w http.ResponseWriter, r *http.Request) {
	folders, err := h.catalog.Folders(r.Context())
	if err != nil {
		h.logger(r).Error("list shares", "err", err)
		writeError(w, http.StatusInternalServerError, "internal error")
		return
	}
	infos := []FolderInfo{}
	for _, f := range folders {
		if h.allow(r.Context(), f) {
			infos = append(infos, FolderInfo{Name: f.Name, Mode: f.Mode})
		}
	}
	writeJSON(w, http.StatusOK, infos)
}

func (h *handler) serveUnknown(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		writeError(w, http.StatusMethodNotAllowed, "method not allowed")
		return
	}
	writeError(w, http.StatusNotFound, "not found")
}

// use is what a request wants to do in a share.
type use int

const (
	useRead   use = iota // browse or download
	useUpload            // add files
	useMkdir             // create folders
)

// allows answers whether mode m permits u, and if not, why.
func (m Mode) allows(u use) (bool, string) {
	switch {
	case u == useRead && !m.canRead():
		return false, "share is upload only"
	case u != useRead && m == ModeReadOnly:
		return false, "this share is read-only"
	case u == useMkdir && m != ModeReadWrite:
		return false, "folders cannot be made in this share"
	case u == useUpload && m != ModeReadWrite && m != ModeDropBox:
		return false, "this share is read-only"
	}
	return true, ""
}

// resolve finds the share and the path within it that r names, checks that
// the share's mode permits u, and opens the shared folder as an os.Root for
// the caller to close. When it cannot, it answers r itself and returns false.
func (h *handler) resolve(w http.ResponseWriter, r *http.Request, u use) (Folder, *os.Root, string, bool) {
	name := r.PathValue("name")
	f, err := h.catalog.Folder(r.Context(), name)
	if err != nil && !errors.Is(err, ErrNotFound) {
		h.logger(r).Error("find share", "share", name, "err", err)
		writeError(w, http.StatusInternalServerError, "internal error")
		return Folder{}, nil, "", false
	}
	if err != nil || !h.allow(r.Context(), f) {
		// A share the peer may not use looks missing, so its name does not leak.
		writeError(w, http.StatusNotFound, "share not found")
		return Folder{}, nil, "", false
	}
	if ok, why := f.Mode.allows(u); !ok {
		writeError(w, http.StatusForbidden, why)
		return Folder{}, nil, "", false
	}
	rel, err := CleanPath(r.PathValue("path"))
	if err != nil {
		writeError(w, http.StatusBadRequest, "bad path")
		return Folder{}, nil, "", false
	}
	if hidesTemp(rel) {
		// An upload in progress is nobody's business.
		writeError(w, http.StatusNotFound, "not found")
		return Folder{}, nil, "", false
	}
	root, err := os.OpenRoot(f.Path)
	if err != nil {
		h.logger(r).Error("open shared folder", "share", name, "err", err)
		writeError(w, http.StatusServiceUnavailable, "share unavailable")
		return Folder{}, nil, "", false
	}
	return f, root, rel, true
}

// writePathError answers for a path the root could not resolve. Missing
// files and paths os.Root refuses (a symbolic link leading outside the
// folder, a file used as a directory) are all "not found" to the peer.
func (h *handler) writePathError(w http.ResponseWriter, r *http.Request, rel string, err error) {
	switch {
	case errors.Is(err, fs.ErrPermission):
		writeError(w, http.StatusForbidden, "permission denied")
	case errors.Is(err, fs.ErrNotExist):
		writeError(w, http.StatusNotFound, "not found")
	default:
		h.logger(r).Warn("resolve path", "share", r.PathValue("name"), "path", rel, "err", err)
		writeError(w, http.StatusNotFound, "not found")
	}
}

func (h *handler) logger(r *http.Request) *slog.Logger {
	id, _ := peer.FromContext(r.Context())
	return h.log.With("peer", id.ID)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v) // the peer went away; nothing left to tell it
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, struct {
		Error string `json:"error"`
	}{msg})
}

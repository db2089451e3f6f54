package share

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path"
	"slices"
	"strings"
	"sync"

	"golang.org/x/net/webdav"

	"github.com/porchlight/porchlight/services/peer"
)

// maxDAVBody bounds the body of every WebDAV request but PUT (XML for
// PROPFIND, PROPPATCH and LOCK).
const maxDAVBody = 1 << 20

// Methods each mode lets friends use over WebDAV.
var (
	readOnlyMethods  = []string{"OPTIONS", "GET", "HEAD", "PROPFIND"}
	dropBoxMethods   = []string{"OPTIONS", "PUT", "MKCOL"}
	readWriteMethods = []string{"OPTIONS", "GET", "HEAD", "PROPFIND", "PUT", "DELETE", "MKCOL",
		"COPY", "MOVE", "LOCK", "UNLOCK", "PROPPATCH"}
)

func (m Mode) davMethods() []string {
	switch m {
	case ModeReadOnly:
		return readOnlyMethods
	case ModeDropBox:
		return dropBoxMethods
	case ModeReadWrite:
		return readWriteMethods
	}
	return nil
}

type davHandler struct {
	catalog Catalog
	allow   Access
	log     *slog.Logger

	mu     sync.Mutex
	shares map[string]*davShare
}

// davShare is what outlives one request in a share: its locks and dead
// properties.
type davShare struct {
	path  string
	locks webdav.LockSystem
	props *deadProps
}

// NewDAVHandler serves every share over WebDAV (golang.org/x/net/webdav) at
// /{share}/..., behind a peer link that puts the peer's identity in each
// request's context. It may be mounted under http.StripPrefix: links it
// writes keep the prefix.
//
// Before WebDAV sees a request, the share's mode decides its method:
// read-only shares allow OPTIONS, GET, HEAD and PROPFIND; drop boxes allow
// OPTIONS, PUT and MKCOL (no listing, no reading, never replacing: a taken
// name gets "name (2).ext"); read-write shares allow everything, and the
// Overwrite header decides COPY and MOVE. PROPFIND needs Depth 0 or 1; paths
// and COPY/MOVE destinations go through CleanPath and stay in their share;
// request bodies are bounded. A PUT is written to a hidden file that is
// renamed into place only when the whole body arrived. PROPFIND on / lists
// the shares the peer may use.
//
// Without a peer the answer is 403; a share that is missing or not the
// peer's to use is 404. A nil logger discards logs.
func NewDAVHandler(c Catalog, allow Access, logger *slog.Logger) http.Handler {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if allow == nil {
		allow = func(context.Context, Folder) bool { return false }
	}
	return &davHandler{
		catalog: c,
		allow:   allow,
		log:     logger.With("subsystem", "share-dav"),
		shares:  make(map[string]*davShare),
	}
}

func (d *davHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	id, ok := peer.FromContext(r.Context())
	if !ok {
		http.Error(w, "no peer", http.StatusForbidden)
		return
	}
	log := d.log.With("peer", id.ID)
	mount := mountPrefix(r)
	name, rest, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	if name == "" {
		d.serveRoot(w, r, mount)
		return
	}
	f, err := d.catalog.Folder(r.Context(), name)
	if err != nil && !errors.Is(err, ErrNotFound) {
		log.Error("find share", "share", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if err != nil || !d.allow(r.Context(), f) {
		http.Error(w, "share not found", http.StatusNotFound)
		return
	}
	rel, err := CleanPath(rest)
	if err != nil {
		log.Info("refused path", "path", r.URL.Path, "err", err)
		http.Error(w, "bad path", http.StatusBadRequest)
		return
	}
	if hidesTemp(rel) {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	methods := f.Mode.davMethods()
	if !slices.Contains(readWriteMethods, r.Method) {
		w.Header().Set("Allow", strings.Join(methods, ", "))
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if !slices.Contains(methods, r.Method) {
		msg := "this share is read-only"
		if f.Mode == ModeDropBox {
			msg = "share is upload only"
		}
		http.Error(w, msg, http.StatusForbidden)
		return
	}
	if r.Method == "OPTIONS" && f.Mode != ModeReadWrite {
		w.Header().Set("Allow", strings.Join(methods, ", "))
		w.Header().Set("DAV", "1")
		w.Header().Set("MS-Author-Via", "DAV")
		return
	}
	if r.Method == "PROPFIND" {
		if depth := r.Header.Get("Depth"); depth != "0" && depth != "1" {
			refuseInfiniteDepth(w)
			return
		}
	}
	prefix := mount + "/" + name
	if r.Method == "COPY" || r.Method == "MOVE" {
		if status, msg := checkDestination(r, prefix, rel); status != 0 {
			log.Info("refused destination", "destination", r.Header.Get("Destination"), "reason", msg)
			http.Error(w, msg, status)
			return
		}
	}

	root, err := os.OpenRoot(f.Path)
	if err != nil {
		log.Error("open shared folder", "share", name, "err", err)
		http.Error(w, "share unavailable", http.StatusServiceUnavailable)
		return
	}
	defer root.Close()
	if r.Method == "PUT" {
		var ok bool
		if r, ok = preparePut(w, r, root, rel, f.Mode); !ok {
			return
		}
	} else if !readXMLBody(w, r) {
		return
	}
	r = withPath(r, prefix+"/"+strings.TrimPrefix(rel, "."), strings.HasSuffix(rest, "/"))
	share := d.share(f)
	h := &webdav.Handler{
		Prefix:     prefix,
		FileSystem: &rootFS{root: root, props: share.props},
		LockSystem: share.locks,
		Logger: func(r *http.Request, err error) {
			if err != nil {
				log.Debug("webdav", "method", r.Method, "path", r.URL.Path, "err", err)
			}
		},
	}
	h.ServeHTTP(w, r)
}

// share returns the locks and properties of f, fresh if its folder changed.
func (d *davHandler) share(f Folder) *davShare {
	d.mu.Lock()
	defer d.mu.Unlock()
	s := d.shares[f.Name]
	if s == nil || s.path != f.Path {
		s = &davShare{path: f.Path, locks: webdav.NewMemLS(), props: newDeadProps()}
		d.shares[f.Name] = s
	}
	return s
}

// preparePut bounds a PUT's body and records in its context whether the body
// ends cleanly (see stagingFile). On a read-write share, "If-None-Match: *"
// or "Overwrite: F" refuses to replace a file; a drop box never replaces one.
func preparePut(w http.ResponseWriter, r *http.Request, root *os.Root, rel string, m Mode) (*http.Request, bool) {
	if r.ContentLength > maxUpload {
		http.Error(w, "file too large", http.StatusRequestEntityTooLarge)
		return nil, false
	}
	if m == ModeReadWrite && (r.Header.Get("If-None-Match") == "*" || r.Header.Get("Overwrite") == "F") {
		if _, err := root.Lstat(rel); err == nil {
			http.Error(w, "file exists", http.StatusPreconditionFailed)
			return nil, false
		}
	}
	state := &putState{keep: m == ModeDropBox}
	r = r.WithContext(context.WithValue(r.Context(), putStateKey{}, state))
	r.Body = &trackedBody{ReadCloser: http.MaxBytesReader(w, r.Body, maxUpload), state: state}
	return r, true
}

// readXMLBody reads a request's body, bounded by maxDAVBody, checks that it
// is empty or well-formed XML without empty namespace prefixes ("xmlns:p=\"\"",
// which XML namespaces forbid and x/net/webdav lets through), and puts it back
// for webdav to parse. When the body is refused, it answers r and returns false.
func readXMLBody(w http.ResponseWriter, r *http.Request) bool {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxDAVBody))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
		} else {
			http.Error(w, "incomplete request body", http.StatusBadRequest)
		}
		return false
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	if len(bytes.TrimSpace(body)) == 0 {
		return true
	}
	dec := xml.NewDecoder(bytes.NewReader(body))
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return true
		}
		if err != nil {
			http.Error(w, "malformed XML", http.StatusBadRequest)
			return false
		}
		if start, ok := tok.(xml.StartElement); ok {
			for _, a := range start.Attr {
				if a.Name.Space == "xmlns" && a.Value == "" {
					http.Error(w, "empty namespace prefix", http.StatusBadRequest)
					return false
				}
			}
		}
	}
}

// checkDestination makes sure a COPY or MOVE stays in its share: the
// Destination must be a clean path under prefix, other than the share itself
// and not inside the source. It returns the status to refuse with, or 0.
func checkDestination(r *http.Request, prefix, src string) (int, string) {
	u, err := url.Parse(r.Header.Get("Destination"))
	if err != nil || u.Path == "" {
		return http.StatusBadRequest, "bad destination"
	}
	rest, ok := strings.CutPrefix(u.Path, prefix+"/")
	if !ok {
		return http.StatusForbidden, "destination outside the share"
	}
	dst, err := CleanPath(rest)
	if err != nil {
		return http.StatusBadRequest, "bad destination"
	}
	switch {
	case dst == "." || hidesTemp(dst):
		return http.StatusForbidden, "bad destination"
	case dst == src || src == "." || within(dst, src):
		return http.StatusForbidden, "destination inside the source"
	}
	return 0, ""
}

// mountPrefix finds the prefix that http.StripPrefix took off the request's
// path, so that links and destinations can carry it.
func mountPrefix(r *http.Request) string {
	u, err := url.ParseRequestURI(r.RequestURI)
	if err != nil {
		return ""
	}
	mount, ok := strings.CutSuffix(u.Path, r.URL.Path)
	if !ok {
		return ""
	}
	return strings.TrimSuffix(mount, "/")
}

// withPath returns r for the clean path p.
func withPath(r *http.Request, p string, dir bool) *http.Request {
	p = path.Clean(p)
	if dir {
		p += "/"
	}
	r2 := *r
	u := *r.URL
	u.Path, u.RawPath = p, ""
	r2.URL = &u
	return &r2
}

// refuseInfiniteDepth answers a PROPFIND that would walk a whole tree
// (RFC 4918, section 9.1: DAV:propfind-finite-depth).
func refuseInfiniteDepth(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.WriteHeader(http.StatusForbidden)
	fmt.Fprint(w, xml.Header+`<D:error xmlns:D="DAV:"><D:propfind-finite-depth/></D:error>`)
}

// serveRoot answers for / : OPTIONS, and PROPFIND listing the shares the
// peer may use as collections.
func (d *davHandler) serveRoot(w http.ResponseWriter, r *http.Request, mount string) {
	switch r.Method {
	case "OPTIONS":
		w.Header().Set("Allow", "OPTIONS, PROPFIND")
		w.Header().Set("DAV", "1")
		return
	case "PROPFIND":
	default:
		w.Header().Set("Allow", "OPTIONS, PROPFIND")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	depth := r.Header.Get("Depth")
	if depth != "0" && depth != "1" {
		refuseInfiniteDepth(w)
		return
	}
	names := []string{""}
	if depth == "1" {
		folders, err := d.catalog.Folders(r.Context())
		if err != nil {
			d.log.Error("list shares", "err", err)
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		for _, f := range folders {
			if d.allow(r.Context(), f) {
				names = append(names, f.Name)
			}
		}
	}
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.WriteHeader(http.StatusMultiStatus)
	fmt.Fprint(w, xml.Header+`<D:multistatus xmlns:D="DAV:">`)
	for _, name := range names {
		href := (&url.URL{Path: mount + "/" + name}).EscapedPath()
		if name != "" {
			href += "/"
		}
		fmt.Fprintf(w, `<D:response><D:href>%s</D:href><D:propstat><D:prop>`+
			`<D:resourcetype><D:collection/></D:resourcetype><D:displayname>%s</D:displayname>`+
			`</D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>`,
			escapeXML(href), escapeXML(name))
	}
	fmt.Fprint(w, `</D:multistatus>`)
}

func escapeXML(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s)) // a strings.Builder does not fail
	return b.String()
}

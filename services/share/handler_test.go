package share

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/porchlight/porchlight/services/peer"
)

const secret = "top secret"

var (
	alice = peer.Identity{ID: "alice-id", Name: "Alice"}
	bob   = peer.Identity{ID: "bob-id", Name: "Bob"}
)

// fixture is a resident's disk with three shares, and the share API mounted
// under /share the way the app mounts it.
//
//	outside/secret.txt       not shared
//	docs/                    share "docs": all friends, read-only
//	    readme.txt, sub/a.txt, Zeta/
//	    link-in -> readme.txt
//	    link-out -> ../outside/secret.txt, dir-out -> ../outside, abs-out -> /.../outside/secret.txt
//	private/notes.txt        share "private": chosen, only Bob
//	drop/                    share "drop": all friends, drop box
//	    upload.txt
//	rw/                      share "rw": all friends, read-write
//	    report.txt, sub/, dir-out -> ../outside
//
// The WebDAV handler is mounted under /dav.
type fixture struct {
	dir     string
	catalog *MemoryCatalog
	handler http.Handler // without a peer in the context
	dav     http.Handler // without a peer in the context
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	dir := t.TempDir()
	write := func(name, content string) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	symlink := func(target, name string) {
		t.Helper()
		if err := os.Symlink(target, filepath.Join(dir, filepath.FromSlash(name))); err != nil {
			t.Skipf("symlinks unavailable: %v", err)
		}
	}
	write("outside/secret.txt", secret)
	write("docs/readme.txt", "hello, neighbour")
	write("docs/sub/a.txt", "a")
	write("private/notes.txt", "for Bob")
	write("drop/upload.txt", "dropped")
	write("rw/report.txt", "old report")
	write("rw/sub/keep.txt", "keep")
	if err := os.Mkdir(filepath.Join(dir, "docs", "Zeta"), 0o755); err != nil {
		t.Fatal(err)
	}
	symlink("readme.txt", "docs/link-in")
	symlink("../outside/secret.txt", "docs/link-out")
	symlink("../outside", "docs/dir-out")
	symlink(filepath.Join(dir, "outside", "secret.txt"), "docs/abs-out")
	symlink("../outside", "rw/dir-out")

	c := NewMemoryCatalog(
		Folder{Name: "docs", Path: filepath.Join(dir, "docs")},
		Folder{Name: "private", Path: filepath.Join(dir, "private"), Audience: AudienceChosen},
		Folder{Name: "drop", Path: filepath.Join(dir, "drop"), Mode: ModeDropBox},
		Folder{Name: "rw", Path: filepath.Join(dir, "rw"), Mode: ModeReadWrite},
	)
	chosen := map[string][]string{"private": {bob.ID}}
	allow := func(ctx context.Context, f Folder) bool {
		id, ok := peer.FromContext(ctx)
		return ok && (f.Audience == AudienceAllFriends || slices.Contains(chosen[f.Name], id.ID))
	}
	h := http.StripPrefix("/share", NewHandler(c, allow, nil))
	dav := http.StripPrefix("/dav", NewDAVHandler(c, allow, nil))
	return &fixture{dir: dir, catalog: c, handler: h, dav: dav}
}

// as returns the API as the link serves it to id.
func (fx *fixture) as(id peer.Identity) http.Handler {
	return withPeer(id, fx.handler)
}

// davAs returns the WebDAV handler as the link serves it to id.
func (fx *fixture) davAs(id peer.Identity) http.Handler {
	return withPeer(id, fx.dav)
}

// withPeer serves h to id, as a link would.
func withPeer(id peer.Identity, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r.WithContext(peer.WithIdentity(r.Context(), id)))
	})
}

// do sends a request with a raw target, parsed the way a server parses it.
func do(h http.Handler, method, target string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, target, nil))
	return rec
}

func decode[T any](t *testing.T, rec *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		t.Fatalf("decode %q: %v", rec.Body.String(), err)
	}
	return v
}

func TestShares(t *testing.T) {
	fx := newFixture(t)
	tests := []struct {
		who  peer.Identity
		want []FolderInfo
	}{
		{alice, []FolderInfo{{"docs", ModeReadOnly}, {"drop", ModeDropBox}, {"rw", ModeReadWrite}}},
		{bob, []FolderInfo{{"docs", ModeReadOnly}, {"drop", ModeDropBox}, {"private", ModeReadOnly}, {"rw", ModeReadWrite}}},
	}
	for _, tt := range tests {
		rec := do(fx.as(tt.who), "GET", "/share/shares")
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: status %d, body %s", tt.who.Name, rec.Code, rec.Body)
		}
		if got := decode[[]FolderInfo](t, rec); !slices.Equal(got, tt.want) {
			t.Errorf("%s sees %v, want %v", tt.who.Name, got, tt.want)
		}
	}
}

func TestNoPeerIsForbidden(t *testing.T) {
	fx := newFixture(t)
	for _, target := range []string{
		"/share/shares",
		"/share/shares/docs/list/",
		"/share/shares/docs/files/readme.txt",
		"/share/shares/docs/files/../../outside/secret.txt",
		"/share/nowhere",
	} {
		rec := do(fx.handler, "GET", target)
		if rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), `"error"`) {
			t.Errorf("GET %s without a peer: %d %s, want 403 with a JSON error", target, rec.Code, rec.Body)
		}
	}
}

func TestInaccessibleShareLooksMissing(t *testing.T) {
	fx := newFixture(t)
	for _, route := range []string{"list/", "files/notes.txt"} {
		missing := do(fx.as(alice), "GET", "/share/shares/nosuch/"+route)
		hidden := do(fx.as(alice), "GET", "/share/shares/private/"+route)
		if missing.Code != http.StatusNotFound || hidden.Code != missing.Code || hidden.Body.String() != missing.Body.String() {
			t.Errorf("%s: hidden share %d %s, missing share %d %s; want the same 404",
				route, hidden.Code, hidden.Body, missing.Code, missing.Body)
		}
		if rec := do(fx.as(bob), "GET", "/share/shares/private/"+route); rec.Code != http.StatusOK {
			t.Errorf("%s as Bob: status %d, body %s, want 200", route, rec.Code, rec.Body)
		}
	}
}

func TestRoutes(t *testing.T) {
	fx := newFixture(t)
	tests := []struct {
		method, target string
		want           int
	}{
		{"GET", "/share/shares/", http.StatusOK},
		{"GET", "/share/shares/docs/list", http.StatusOK},
		{"GET", "/share/shares/docs/list//sub/./", http.StatusOK}, // cleaned, not redirected
		{"HEAD", "/share/shares/docs/files/readme.txt", http.StatusOK},
		{"GET", "/share/shares/drop/list/", http.StatusForbidden},
		{"GET", "/share/shares/drop/files/upload.txt", http.StatusForbidden},
		{"GET", "/share/shares/docs", http.StatusNotFound},
		{"GET", "/share/other", http.StatusNotFound},
		{"POST", "/share/shares", http.StatusMethodNotAllowed},
		{"DELETE", "/share/shares/docs/files/readme.txt", http.StatusMethodNotAllowed},
	}
	for _, tt := range tests {
		rec := do(fx.as(alice), tt.method, tt.target)
		if rec.Code != tt.want {
			t.Errorf("%s %s: status %d, body %s, want %d", tt.method, tt.target, rec.Code, rec.Body, tt.want)
		}
		if rec.Code >= 400 && rec.Header().Get("Content-Type") != "application/json" {
			t.Errorf("%s %s: error is %q, want JSON", tt.method, tt.target, rec.Header().Get("Content-Type"))
		}
	}
}

func TestHostilePaths(t *testing.T) {
	fx := newFixture(t)
	tests := []struct {
		name, target string
		want         int
	}{
		{"dot-dot", "files/../../outside/secret.txt", http.StatusBadRequest},
		{"dot-dot to etc", "files/../../../../../../etc/passwd", http.StatusBadRequest},
		{"encoded dot-dot", "files/%2e%2e/outside/secret.txt", http.StatusBadRequest},
		{"encoded upper", "files/%2E%2E/%2E%2E/etc/passwd", http.StatusBadRequest},
		{"half encoded", "files/.%2e/outside/secret.txt", http.StatusBadRequest},
		{"encoded slashes", "files/sub%2F..%2F..%2Foutside%2Fsecret.txt", http.StatusBadRequest},
		{"dot-dot listing", "list/..", http.StatusBadRequest},
		{"dot-dot share name", "../private/files/notes.txt", http.StatusBadRequest},
		{"encoded share name", "..%2Fprivate/files/notes.txt", http.StatusBadRequest},
		{"backslashes", `files/..\..\outside\secret.txt`, http.StatusBadRequest},
		{"encoded backslashes", "files/..%5C..%5Coutside%5Csecret.txt", http.StatusBadRequest},
		{"NUL", "files/readme.txt%00.jpg", http.StatusBadRequest},
		{"CON", "files/CON", http.StatusBadRequest},
		{"aux.txt", "files/aux.txt", http.StatusBadRequest},
		{"nested device", "files/sub/com1.log", http.StatusBadRequest},
		{"LPT1", "list/LPT1", http.StatusBadRequest},
		{"drive letter", "files/C:%5Cwindows%5Cwin.ini", http.StatusBadRequest},
		{"drive letter slash", "files/c:/windows/win.ini", http.StatusBadRequest},
		{"absolute stays inside", "files//etc/passwd", http.StatusNotFound},
		{"encoded absolute stays inside", "files/%2Fetc%2Fpasswd", http.StatusNotFound},
		{"symlink out", "files/link-out", http.StatusNotFound},
		{"absolute symlink out", "files/abs-out", http.StatusNotFound},
		{"through directory symlink out", "files/dir-out/secret.txt", http.StatusNotFound},
		{"list directory symlink out", "list/dir-out", http.StatusNotFound},
		{"file as directory", "files/readme.txt/x", http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := do(fx.as(alice), "GET", "/share/shares/docs/"+tt.target)
			if rec.Code != tt.want {
				t.Errorf("status %d, body %s, want %d", rec.Code, rec.Body, tt.want)
			}
			if strings.Contains(rec.Body.String(), secret) {
				t.Errorf("leaked the secret: %s", rec.Body)
			}
		})
	}
}

package share

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// send sends a request with a body and headers ("Key: value").
func send(h http.Handler, method, target, body string, header ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	for _, kv := range header {
		k, v, _ := strings.Cut(kv, ": ")
		req.Header.Add(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// files lists the names in the fixture's directory dir, hidden ones too.
func (fx *fixture) files(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(fx.dir, filepath.FromSlash(dir)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func (fx *fixture) read(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fx.dir, filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// noTempFiles fails the test if an upload's temporary file is left anywhere.
func (fx *fixture) noTempFiles(t *testing.T) {
	t.Helper()
	err := filepath.WalkDir(fx.dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && isTempName(d.Name()) {
			t.Errorf("temporary file left: %s", p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestUpload(t *testing.T) {
	tests := []struct {
		name, target, body string
		wantStatus         int
		want               UploadResult // checked when 201
		wantFile           string       // the file's content, at want.Path in the share
		wantError          string
	}{
		{name: "new file", target: "rw/files/new.txt", body: "fresh",
			wantStatus: 201, want: UploadResult{"new.txt", "/new.txt", 5}, wantFile: "fresh"},
		{name: "in a folder", target: "rw/files/sub/deep.bin", body: "0123456789",
			wantStatus: 201, want: UploadResult{"deep.bin", "/sub/deep.bin", 10}, wantFile: "0123456789"},
		{name: "empty", target: "rw/files/empty", body: "",
			wantStatus: 201, want: UploadResult{"empty", "/empty", 0}, wantFile: ""},
		{name: "keep is the default", target: "rw/files/report.txt", body: "new report",
			wantStatus: 201, want: UploadResult{"report (2).txt", "/report (2).txt", 10}, wantFile: "new report"},
		{name: "keep", target: "rw/files/report.txt?conflict=keep", body: "new report",
			wantStatus: 201, want: UploadResult{"report (2).txt", "/report (2).txt", 10}, wantFile: "new report"},
		{name: "overwrite", target: "rw/files/report.txt?conflict=overwrite", body: "new report",
			wantStatus: 201, want: UploadResult{"report.txt", "/report.txt", 10}, wantFile: "new report"},
		{name: "keep beside a folder", target: "rw/files/sub", body: "x",
			wantStatus: 201, want: UploadResult{"sub (2)", "/sub (2)", 1}, wantFile: "x"},
		{name: "drop box", target: "drop/files/new.txt", body: "for you",
			wantStatus: 201, want: UploadResult{"new.txt", "/new.txt", 7}, wantFile: "for you"},
		{name: "drop box keeps both", target: "drop/files/upload.txt", body: "mine",
			wantStatus: 201, want: UploadResult{"upload (2).txt", "/upload (2).txt", 4}, wantFile: "mine"},

		{name: "drop box never overwrites", target: "drop/files/upload.txt?conflict=overwrite", body: "x",
			wantStatus: 400, wantError: "a drop box never overwrites"},
		{name: "overwrite a folder", target: "rw/files/sub?conflict=overwrite", body: "x",
			wantStatus: 409, wantError: "a folder has that name"},
		{name: "bad conflict", target: "rw/files/a.txt?conflict=replace", body: "x", wantStatus: 400},
		{name: "read-only", target: "docs/files/new.txt", body: "x",
			wantStatus: 403, wantError: "this share is read-only"},
		{name: "read-only overwrite", target: "docs/files/readme.txt?conflict=overwrite", body: "x",
			wantStatus: 403, wantError: "this share is read-only"},
		{name: "hidden share", target: "private/files/new.txt", body: "x", wantStatus: 404},
		{name: "no parent", target: "rw/files/nosuch/new.txt", body: "x",
			wantStatus: 409, wantError: "folder does not exist"},
		{name: "file as parent", target: "rw/files/report.txt/new.txt", body: "x", wantStatus: 409},
		{name: "no name", target: "rw/files/", body: "x", wantStatus: 400},
		{name: "dot-dot", target: "rw/files/../docs/x.txt", body: "x", wantStatus: 400},
		{name: "dot-dot out", target: "rw/files/../../outside/x.txt", body: "x", wantStatus: 400},
		{name: "encoded dot-dot", target: "rw/files/%2e%2e/%2e%2e/outside/x.txt", body: "x", wantStatus: 400},
		{name: "encoded slash", target: "rw/files/sub%2F..%2F..%2Fx.txt", body: "x", wantStatus: 400},
		{name: "backslash", target: `rw/files/..\..\x.txt`, body: "x", wantStatus: 400},
		{name: "NUL", target: "rw/files/x.txt%00.jpg", body: "x", wantStatus: 400},
		{name: "device", target: "rw/files/CON", body: "x", wantStatus: 400},
		{name: "drive", target: "rw/files/C:x.txt", body: "x", wantStatus: 400},
		{name: "through symlink out", target: "rw/files/dir-out/x.txt", body: "x", wantStatus: 409},
		{name: "onto symlink out", target: "rw/files/dir-out?conflict=overwrite", body: "x", wantStatus: 201,
			want: UploadResult{"dir-out", "/dir-out", 1}, wantFile: "x"},
		{name: "temporary name", target: "rw/files/" + tempPrefix + "x", body: "x", wantStatus: 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fx := newFixture(t)
			rec := send(fx.as(alice), "PUT", "/share/shares/"+tt.target, tt.body)
			if rec.Code != tt.wantStatus {
				t.Fatalf("status %d, body %s, want %d", rec.Code, rec.Body, tt.wantStatus)
			}
			if rec.Header().Get("Content-Type") != "application/json" {
				t.Errorf("Content-Type %q, want JSON", rec.Header().Get("Content-Type"))
			}
			if tt.wantError != "" {
				if got := decode[map[string]string](t, rec)["error"]; got != tt.wantError {
					t.Errorf("error %q, want %q", got, tt.wantError)
				}
			}
			share, _, _ := strings.Cut(tt.target, "/")
			if rec.Code == http.StatusCreated {
				if got := decode[UploadResult](t, rec); got != tt.want {
					t.Errorf("result %+v, want %+v", got, tt.want)
				}
				if got := fx.read(t, share+tt.want.Path); got != tt.wantFile {
					t.Errorf("file holds %q, want %q", got, tt.wantFile)
				}
			}
			if got := fx.read(t, "rw/report.txt"); got != "old report" && tt.name != "overwrite" {
				t.Errorf("report.txt holds %q, was overwritten", got)
			}
			if got := fx.read(t, "drop/upload.txt"); got != "dropped" {
				t.Errorf("drop/upload.txt holds %q, was overwritten", got)
			}
			if got := fx.files(t, "outside"); !slices.Equal(got, []string{"secret.txt"}) {
				t.Errorf("outside holds %v, want only secret.txt", got)
			}
			fx.noTempFiles(t)
		})
	}
}

func TestUploadConflictNames(t *testing.T) {
	fx := newFixture(t)
	var got []string
	for range 3 {
		rec := send(fx.as(alice), "PUT", "/share/shares/drop/files/upload.txt", "again")
		got = append(got, decode[UploadResult](t, rec).Name)
	}
	if want := []string{"upload (2).txt", "upload (3).txt", "upload (4).txt"}; !slices.Equal(got, want) {
		t.Errorf("names %v, want %v", got, want)
	}
	for _, tt := range []struct {
		name string
		n    int
		want string
	}{
		{"photo.jpg", 2, "photo (2).jpg"},
		{"backup.tar.gz", 3, "backup (3).tar.gz"},
		{".profile", 2, ".profile (2)"},
		{"README", 2, "README (2)"},
		{"a.b.c", 1, "a.b.c"},
	} {
		if got := numbered(tt.name, tt.n); got != tt.want {
			t.Errorf("numbered(%q, %d) = %q, want %q", tt.name, tt.n, got, tt.want)
		}
	}
}

func TestMkdir(t *testing.T) {
	tests := []struct {
		target string
		want   int
	}{
		{"rw/mkdir/new", 201},
		{"rw/mkdir/sub/new", 201},
		{"rw/mkdir/sub", 409},
		{"rw/mkdir/nosuch/new", 409},
		{"rw/mkdir/", 409},
		{"rw/mkdir/../new", 400},
		{"rw/mkdir/dir-out/new", 409},
		{"docs/mkdir/new", 403},
		{"drop/mkdir/new", 403},
		{"private/mkdir/new", 404},
	}
	for _, tt := range tests {
		fx := newFixture(t)
		rec := send(fx.as(alice), "POST", "/share/shares/"+tt.target, "")
		if rec.Code != tt.want {
			t.Errorf("POST %s: status %d, body %s, want %d", tt.target, rec.Code, rec.Body, tt.want)
		}
		share, rest, _ := strings.Cut(tt.target, "/mkdir/")
		_, err := os.Stat(filepath.Join(fx.dir, share, rest))
		if tt.want == 201 && err != nil {
			t.Errorf("POST %s: %v", tt.target, err)
		}
		if tt.want != 201 && strings.HasSuffix(rest, "new") && err == nil {
			t.Errorf("POST %s refused with %d, yet the folder exists", tt.target, rec.Code)
		}
		if got := fx.files(t, "outside"); !slices.Equal(got, []string{"secret.txt"}) {
			t.Errorf("POST %s: outside holds %v", tt.target, got)
		}
	}
}

// TestReadOnlyRefusesWrites tries every writing method on a read-only share,
// through both handlers, and checks that nothing changed.
func TestReadOnlyRefusesWrites(t *testing.T) {
	fx := newFixture(t)
	before := fx.files(t, "docs")
	const proppatch = `<?xml version="1.0"?><D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><x xmlns="urn:x">1</x></D:prop></D:set></D:propertyupdate>`
	tests := []struct {
		handler        http.Handler
		method, target string
		body, header   string
		want           int
	}{
		{fx.as(alice), "PUT", "/share/shares/docs/files/readme.txt?conflict=overwrite", "x", "", 403},
		{fx.as(alice), "PUT", "/share/shares/docs/files/new.txt", "x", "", 403},
		{fx.as(alice), "POST", "/share/shares/docs/mkdir/new", "", "", 403},
		{fx.as(alice), "DELETE", "/share/shares/docs/files/readme.txt", "", "", 405},
		{fx.as(alice), "MOVE", "/share/shares/docs/files/readme.txt", "", "Destination: /share/shares/docs/files/moved.txt", 405},
		{fx.as(alice), "PROPPATCH", "/share/shares/docs/files/readme.txt", proppatch, "", 405},
		{fx.davAs(alice), "PUT", "/dav/docs/readme.txt", "x", "", 403},
		{fx.davAs(alice), "PUT", "/dav/docs/new.txt", "x", "", 403},
		{fx.davAs(alice), "DELETE", "/dav/docs/readme.txt", "", "", 403},
		{fx.davAs(alice), "MKCOL", "/dav/docs/new", "", "", 403},
		{fx.davAs(alice), "MOVE", "/dav/docs/readme.txt", "", "Destination: /dav/docs/moved.txt", 403},
		{fx.davAs(alice), "COPY", "/dav/docs/readme.txt", "", "Destination: /dav/docs/copy.txt", 403},
		{fx.davAs(alice), "PROPPATCH", "/dav/docs/readme.txt", proppatch, "", 403},
		{fx.davAs(alice), "LOCK", "/dav/docs/readme.txt", "", "", 403},
		{fx.davAs(alice), "POST", "/dav/docs/readme.txt", "x", "", 405},
		{fx.davAs(alice), "PATCH", "/dav/docs/readme.txt", "x", "", 405},
	}
	for _, tt := range tests {
		var header []string
		if tt.header != "" {
			header = append(header, tt.header)
		}
		rec := send(tt.handler, tt.method, tt.target, tt.body, header...)
		if rec.Code != tt.want {
			t.Errorf("%s %s: status %d, body %s, want %d", tt.method, tt.target, rec.Code, rec.Body, tt.want)
		}
	}
	if got := fx.files(t, "docs"); !slices.Equal(got, before) {
		t.Errorf("docs holds %v, was %v", got, before)
	}
	if got := fx.read(t, "docs/readme.txt"); got != "hello, neighbour" {
		t.Errorf("readme.txt holds %q", got)
	}
}

// TestTemporaryFilesHidden checks that an upload in progress is never listed
// or served, by either handler.
func TestTemporaryFilesHidden(t *testing.T) {
	fx := newFixture(t)
	tmp := tempPrefix + "inprogress"
	if err := os.WriteFile(filepath.Join(fx.dir, "rw", tmp), []byte("half"), 0o644); err != nil {
		t.Fatal(err)
	}
	list := do(fx.as(alice), "GET", "/share/shares/rw/list/")
	for _, e := range decode[Listing](t, list).Entries {
		if isTempName(e.Name) {
			t.Errorf("listing shows %s", e.Name)
		}
	}
	if rec := do(fx.as(alice), "GET", "/share/shares/rw/files/"+tmp); rec.Code != http.StatusNotFound {
		t.Errorf("GET the temporary file: %d, want 404", rec.Code)
	}
	propfind := send(fx.davAs(alice), "PROPFIND", "/dav/rw/", "", "Depth: 1")
	if propfind.Code != http.StatusMultiStatus || strings.Contains(propfind.Body.String(), tempPrefix) {
		t.Errorf("PROPFIND: %d %s", propfind.Code, propfind.Body)
	}
	for _, method := range []string{"GET", "PROPFIND", "DELETE", "PUT"} {
		if rec := send(fx.davAs(alice), method, "/dav/rw/"+tmp, "", "Depth: 0"); rec.Code != http.StatusNotFound {
			t.Errorf("%s the temporary file over WebDAV: %d, want 404", method, rec.Code)
		}
	}
}

// TestInterruptedUpload hangs up in the middle of uploads, through a real
// TCP connection, and checks that neither the file nor a temporary file is
// left behind.
func TestInterruptedUpload(t *testing.T) {
	tests := []struct {
		name, target string
		chunked      bool
	}{
		{"API, Content-Length", "/share/shares/rw/files/sub/big.bin", false},
		{"API, chunked", "/share/shares/rw/files/sub/big.bin", true},
		{"API, drop box", "/share/shares/drop/files/big.bin", false},
		{"WebDAV, Content-Length", "/dav/rw/sub/big.bin", false},
		{"WebDAV, chunked", "/dav/rw/sub/big.bin", true},
		{"WebDAV, drop box", "/dav/drop/big.bin", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fx := newFixture(t)
			served := make(chan int, 1)
			h := fx.as(alice)
			if strings.HasPrefix(tt.target, "/dav/") {
				h = fx.davAs(alice)
			}
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, r)
				served <- rec.Code
			}))
			defer srv.Close()
			dir := strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(tt.target, "/dav/"), "/share/shares/"), "/big.bin")
			dir = strings.Replace(dir, "/files", "", 1)
			before := fx.files(t, dir)

			conn, err := net.Dial("tcp", srv.Listener.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			const total = 1 << 20
			half := bytes.Repeat([]byte("x"), total/2)
			if tt.chunked {
				fmt.Fprintf(conn, "PUT %s HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n%x\r\n%s\r\n", tt.target, len(half), half)
			} else {
				fmt.Fprintf(conn, "PUT %s HTTP/1.1\r\nHost: test\r\nContent-Length: %d\r\n\r\n%s", tt.target, total, half)
			}
			// Hang up once the upload has begun writing.
			deadline := time.Now().Add(10 * time.Second)
			for !slices.ContainsFunc(fx.files(t, dir), isTempName) {
				if time.Now().After(deadline) {
					t.Fatal("the upload never started")
				}
				time.Sleep(5 * time.Millisecond)
			}
			conn.Close()
			select {
			case code := <-served:
				if code < 400 {
					t.Errorf("interrupted upload answered %d", code)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("the handler did not finish")
			}
			if got := fx.files(t, dir); !slices.Equal(got, before) {
				t.Errorf("%s holds %v after the interrupted upload, want %v", dir, got, before)
			}
			fx.noTempFiles(t)
		})
	}
}

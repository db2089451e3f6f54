package share

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

func TestDAVModes(t *testing.T) {
	const proppatch = `<?xml version="1.0"?><D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><x xmlns="urn:x">1</x></D:prop></D:set></D:propertyupdate>`
	tests := []struct {
		method, target, body string
		header               []string
		want                 int
	}{
		{"OPTIONS", "/dav/docs/", "", nil, 200},
		{"GET", "/dav/docs/readme.txt", "", nil, 200},
		{"HEAD", "/dav/docs/readme.txt", "", nil, 200},
		{"PROPFIND", "/dav/docs/", "", []string{"Depth: 1"}, 207},
		{"PROPFIND", "/dav/docs/readme.txt", "", []string{"Depth: 0"}, 207},

		{"OPTIONS", "/dav/drop/", "", nil, 200},
		{"PUT", "/dav/drop/new.txt", "x", nil, 201},
		{"MKCOL", "/dav/drop/newdir", "", nil, 201},
		{"GET", "/dav/drop/upload.txt", "", nil, 403},
		{"HEAD", "/dav/drop/upload.txt", "", nil, 403},
		{"PROPFIND", "/dav/drop/", "", []string{"Depth: 1"}, 403},
		{"PROPFIND", "/dav/drop/upload.txt", "", []string{"Depth: 0"}, 403},
		{"DELETE", "/dav/drop/upload.txt", "", nil, 403},
		{"MOVE", "/dav/drop/upload.txt", "", []string{"Destination: /dav/drop/moved.txt"}, 403},
		{"COPY", "/dav/drop/upload.txt", "", []string{"Destination: /dav/drop/copied.txt"}, 403},
		{"LOCK", "/dav/drop/upload.txt", "", nil, 403},
		{"PROPPATCH", "/dav/drop/upload.txt", proppatch, nil, 403},

		{"GET", "/dav/rw/report.txt", "", nil, 200},
		{"PUT", "/dav/rw/new.txt", "x", nil, 201},
		{"PUT", "/dav/rw/report.txt", "new report", nil, 201},
		{"MKCOL", "/dav/rw/newdir", "", nil, 201},
		{"MKCOL", "/dav/rw/sub", "", nil, 405},
		{"COPY", "/dav/rw/report.txt", "", []string{"Destination: /dav/rw/sub/copy.txt"}, 201},
		{"MOVE", "/dav/rw/report.txt", "", []string{"Destination: /dav/rw/moved.txt"}, 201},
		{"MOVE", "/dav/rw/report.txt", "", []string{"Destination: /dav/rw/sub/keep.txt", "Overwrite: F"}, 412},
		{"PROPPATCH", "/dav/rw/report.txt", proppatch, nil, 207},
		{"DELETE", "/dav/rw/report.txt", "", nil, 204},
		{"DELETE", "/dav/rw/", "", nil, 405},
		{"PUT", "/dav/rw/nosuch/new.txt", "x", nil, 409},
		{"PUT", "/dav/rw/report.txt", "x", []string{"If-None-Match: *"}, 412},
		{"PUT", "/dav/rw/new.txt", "x", []string{"If-None-Match: *"}, 201},

		{"GET", "/dav/private/notes.txt", "", nil, 404},
		{"PUT", "/dav/private/x.txt", "x", nil, 404},
		{"GET", "/dav/nosuch/x.txt", "", nil, 404},
	}
	for _, tt := range tests {
		fx := newFixture(t)
		rec := send(fx.davAs(alice), tt.method, tt.target, tt.body, tt.header...)
		if rec.Code != tt.want {
			t.Errorf("%s %s %v: status %d, body %.200s, want %d", tt.method, tt.target, tt.header, rec.Code, rec.Body, tt.want)
		}
	}
}

func TestDAVPutReplacesOrKeeps(t *testing.T) {
	fx := newFixture(t)
	if rec := send(fx.davAs(alice), "PUT", "/dav/rw/report.txt", "replaced"); rec.Code != 201 {
		t.Fatalf("PUT: %d %s", rec.Code, rec.Body)
	}
	if got := fx.read(t, "rw/report.txt"); got != "replaced" {
		t.Errorf("rw/report.txt holds %q, want it replaced", got)
	}
	for range 2 {
		if rec := send(fx.davAs(alice), "PUT", "/dav/drop/upload.txt", "mine"); rec.Code != 201 {
			t.Fatalf("PUT: %d %s", rec.Code, rec.Body)
		}
	}
	if got, want := fx.files(t, "drop"), []string{"upload (2).txt", "upload (3).txt", "upload.txt"}; !slices.Equal(got, want) {
		t.Errorf("drop holds %v, want %v", got, want)
	}
	if got := fx.read(t, "drop/upload.txt"); got != "dropped" {
		t.Errorf("drop/upload.txt holds %q, was replaced", got)
	}
	fx.noTempFiles(t)
}

func TestDAVAccess(t *testing.T) {
	fx := newFixture(t)
	if rec := send(fx.dav, "PROPFIND", "/dav/docs/", "", "Depth: 1"); rec.Code != http.StatusForbidden {
		t.Errorf("no peer: %d, want 403", rec.Code)
	}
	hidden := send(fx.davAs(alice), "GET", "/dav/private/notes.txt", "")
	missing := send(fx.davAs(alice), "GET", "/dav/nosuch/notes.txt", "")
	if hidden.Code != http.StatusNotFound || hidden.Body.String() != missing.Body.String() {
		t.Errorf("hidden share: %d %s; missing share: %d %s", hidden.Code, hidden.Body, missing.Code, missing.Body)
	}
	if rec := send(fx.davAs(bob), "GET", "/dav/private/notes.txt", ""); rec.Code != 200 || rec.Body.String() != "for Bob" {
		t.Errorf("Bob: %d %s", rec.Code, rec.Body)
	}
}

func TestDAVPropfindDepth(t *testing.T) {
	fx := newFixture(t)
	tests := []struct {
		target string
		header []string
		want   int
	}{
		{"/dav/docs/", nil, 403},
		{"/dav/docs/", []string{"Depth: infinity"}, 403},
		{"/dav/docs/", []string{"Depth: Infinity"}, 403},
		{"/dav/docs/", []string{"Depth: 2"}, 403},
		{"/dav/docs/", []string{"Depth: 0"}, 207},
		{"/dav/docs/", []string{"Depth: 1"}, 207},
		{"/dav/", nil, 403},
		{"/dav/", []string{"Depth: infinity"}, 403},
		{"/dav/", []string{"Depth: 1"}, 207},
	}
	for _, tt := range tests {
		rec := send(fx.davAs(alice), "PROPFIND", tt.target, "", tt.header...)
		if rec.Code != tt.want {
			t.Errorf("PROPFIND %s %v: %d, want %d", tt.target, tt.header, rec.Code, tt.want)
		}
		if rec.Code == 403 && !strings.Contains(rec.Body.String(), "propfind-finite-depth") {
			t.Errorf("PROPFIND %s %v: body %s, want DAV:propfind-finite-depth", tt.target, tt.header, rec.Body)
		}
	}
	root := send(fx.davAs(alice), "PROPFIND", "/dav/", "", "Depth: 1").Body.String()
	for _, want := range []string{"<D:href>/dav/</D:href>", "<D:href>/dav/docs/</D:href>", "<D:href>/dav/rw/</D:href>"} {
		if !strings.Contains(root, want) {
			t.Errorf("root listing lacks %s: %s", want, root)
		}
	}
	if strings.Contains(root, "private") {
		t.Errorf("root listing shows a share Alice may not use: %s", root)
	}
	listing := send(fx.davAs(alice), "PROPFIND", "/dav/docs/", "", "Depth: 1").Body.String()
	for _, want := range []string{"/dav/docs/readme.txt", "/dav/docs/sub/", "/dav/docs/link-in"} {
		if !strings.Contains(listing, want) {
			t.Errorf("listing lacks %s", want)
		}
	}
	for _, leak := range []string{"link-out", "dir-out", "abs-out", "secret"} {
		if strings.Contains(listing, leak) {
			t.Errorf("listing shows %s", leak)
		}
	}
}

func TestDAVBodiesBounded(t *testing.T) {
	fx := newFixture(t)
	big := `<?xml version="1.0"?><D:propfind xmlns:D="DAV:"><D:prop>` + strings.Repeat("<D:displayname/>", maxDAVBody/16) + `</D:prop></D:propfind>`
	if rec := send(fx.davAs(alice), "PROPFIND", "/dav/docs/", big, "Depth: 0"); rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("large PROPFIND: %d, want 413", rec.Code)
	}
	bad := `<?xml version="1.0"?><D:propfind xmlns:D="DAV:"><D:prop><bar:foo xmlns:bar=""/></D:prop></D:propfind>`
	if rec := send(fx.davAs(alice), "PROPFIND", "/dav/docs/", bad, "Depth: 0"); rec.Code != http.StatusBadRequest {
		t.Errorf("empty namespace prefix: %d, want 400", rec.Code)
	}
}

func TestDAVHostilePaths(t *testing.T) {
	tests := []struct {
		name, method, target string
		header               []string
		want                 int
	}{
		{"dot-dot", "GET", "/dav/docs/../private/notes.txt", nil, 400},
		{"dot-dot out", "GET", "/dav/docs/../../outside/secret.txt", nil, 400},
		{"encoded dot-dot", "GET", "/dav/docs/%2e%2e/private/notes.txt", nil, 400},
		{"encoded slash", "GET", "/dav/docs/sub%2F..%2F..%2Fprivate%2Fnotes.txt", nil, 400},
		{"backslash", "GET", `/dav/docs/..\private\notes.txt`, nil, 400},
		{"NUL", "GET", "/dav/docs/readme.txt%00", nil, 400},
		{"device", "GET", "/dav/docs/AUX", nil, 400},
		{"symlink out", "GET", "/dav/docs/link-out", nil, 404},
		{"absolute symlink out", "GET", "/dav/docs/abs-out", nil, 404},
		{"through symlink out", "GET", "/dav/docs/dir-out/secret.txt", nil, 404},
		{"propfind symlink out", "PROPFIND", "/dav/docs/dir-out", []string{"Depth: 1"}, 404},
		{"put dot-dot", "PUT", "/dav/rw/../docs/x.txt", nil, 400},
		{"put out", "PUT", "/dav/rw/../../outside/x.txt", nil, 400},
		{"put through symlink out", "PUT", "/dav/rw/dir-out/x.txt", nil, 409},
		{"put device", "PUT", "/dav/rw/nul.txt", nil, 400},
		{"mkcol through symlink out", "MKCOL", "/dav/rw/dir-out/new", nil, 409},
		{"delete dot-dot", "DELETE", "/dav/rw/../docs/readme.txt", nil, 400},
		{"delete through symlink out", "DELETE", "/dav/rw/dir-out/secret.txt", nil, 404},
		{"move to dot-dot", "MOVE", "/dav/rw/report.txt", []string{"Destination: /dav/rw/../docs/x.txt"}, 400},
		{"move out", "MOVE", "/dav/rw/report.txt", []string{"Destination: /dav/rw/../../outside/x.txt"}, 400},
		{"move encoded dot-dot", "MOVE", "/dav/rw/report.txt", []string{"Destination: /dav/rw/%2e%2e/docs/x.txt"}, 400},
		{"move absolute URL dot-dot", "MOVE", "/dav/rw/report.txt", []string{"Destination: http://example.com/dav/rw/../docs/x.txt"}, 400},
		{"move other host", "MOVE", "/dav/rw/report.txt", []string{"Destination: http://elsewhere.example/dav/rw/x.txt"}, 502},
		{"move to other share", "MOVE", "/dav/rw/report.txt", []string{"Destination: /dav/drop/x.txt"}, 403},
		{"move outside the mount", "MOVE", "/dav/rw/report.txt", []string{"Destination: /x.txt"}, 403},
		{"move to share prefix", "MOVE", "/dav/rw/report.txt", []string{"Destination: /dav/rwx/x.txt"}, 403},
		{"move onto share root", "MOVE", "/dav/rw/report.txt", []string{"Destination: /dav/rw/"}, 403},
		{"move share root", "MOVE", "/dav/rw/", []string{"Destination: /dav/rw/x"}, 403},
		{"move into itself", "MOVE", "/dav/rw/sub", []string{"Destination: /dav/rw/sub/inner"}, 403},
		{"copy into itself", "COPY", "/dav/rw/sub", []string{"Destination: /dav/rw/sub/inner"}, 403},
		{"copy through symlink out", "COPY", "/dav/rw/report.txt", []string{"Destination: /dav/rw/dir-out/x.txt"}, 409},
		{"move through symlink out", "MOVE", "/dav/rw/report.txt", []string{"Destination: /dav/rw/dir-out/x.txt"}, 403},
		{"copy from symlink out", "COPY", "/dav/rw/dir-out/secret.txt", []string{"Destination: /dav/rw/stolen.txt"}, 404},
		{"copy to device", "COPY", "/dav/rw/report.txt", []string{"Destination: /dav/rw/com1"}, 400},
		{"copy NUL", "COPY", "/dav/rw/report.txt", []string{"Destination: /dav/rw/x%00y"}, 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fx := newFixture(t)
			body := "x"
			if tt.method != "PUT" {
				body = ""
			}
			rec := send(fx.davAs(alice), tt.method, tt.target, body, tt.header...)
			if rec.Code != tt.want {
				t.Errorf("status %d, body %.200s, want %d", rec.Code, rec.Body, tt.want)
			}
			if strings.Contains(rec.Body.String(), secret) {
				t.Errorf("leaked the secret")
			}
			if got := fx.files(t, "outside"); !slices.Equal(got, []string{"secret.txt"}) {
				t.Errorf("outside holds %v", got)
			}
			if got := fx.read(t, "outside/secret.txt"); got != secret {
				t.Errorf("secret.txt holds %q", got)
			}
			if got := fx.files(t, "docs"); !slices.Equal(got, []string{"Zeta", "abs-out", "dir-out", "link-in", "link-out", "readme.txt", "sub"}) {
				t.Errorf("docs holds %v", got)
			}
			if got := fx.files(t, "rw"); slices.Contains(got, "stolen.txt") {
				t.Errorf("rw holds %v", got)
			}
			fx.noTempFiles(t)
		})
	}
}

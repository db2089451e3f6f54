package share

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

func TestDownload(t *testing.T) {
	fx := newFixture(t)
	content := make([]byte, 100_000)
	for i := range content {
		content[i] = byte(i * 7)
	}
	if err := os.WriteFile(filepath.Join(fx.dir, "docs", "sub", "big.bin"), content, 0o644); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(fx.as(alice))
	defer srv.Close()
	const big = "/share/shares/docs/files/sub/big.bin"

	get := func(method, target string, header http.Header) (*http.Response, []byte) {
		t.Helper()
		req, err := http.NewRequest(method, srv.URL+target, nil)
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range header {
			req.Header[k] = v
		}
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp, body
	}
	full, _ := get("GET", big, nil)
	etag := full.Header.Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}

	tests := []struct {
		name, method, target string
		header               http.Header
		wantStatus           int
		wantBody             []byte // nil: not checked
		wantRange            string
	}{
		{"whole", "GET", big, nil, http.StatusOK, content, ""},
		{"range", "GET", big, http.Header{"Range": {"bytes=1000-1999"}}, http.StatusPartialContent, content[1000:2000], "bytes 1000-1999/100000"},
		{"resume", "GET", big, http.Header{"Range": {"bytes=99000-"}}, http.StatusPartialContent, content[99000:], "bytes 99000-99999/100000"},
		{"suffix", "GET", big, http.Header{"Range": {"bytes=-10"}}, http.StatusPartialContent, content[len(content)-10:], "bytes 99990-99999/100000"},
		{"resume same version", "GET", big, http.Header{"Range": {"bytes=5-9"}, "If-Range": {etag}}, http.StatusPartialContent, content[5:10], "bytes 5-9/100000"},
		{"resume changed file", "GET", big, http.Header{"Range": {"bytes=5-9"}, "If-Range": {`"old"`}}, http.StatusOK, content, ""},
		{"unchanged", "GET", big, http.Header{"If-None-Match": {etag}}, http.StatusNotModified, []byte{}, ""},
		{"head", "HEAD", big, nil, http.StatusOK, []byte{}, ""},
		{"symlink inside", "GET", "/share/shares/docs/files/link-in", nil, http.StatusOK, []byte("hello, neighbour"), ""},
		{"directory", "GET", "/share/shares/docs/files/sub", nil, http.StatusBadRequest, []byte(`{"error":"is a directory"}` + "\n"), ""},
		{"missing", "GET", "/share/shares/docs/files/sub/nosuch", nil, http.StatusNotFound, []byte(`{"error":"not found"}` + "\n"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := get(tt.method, tt.target, tt.header)
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("status %d, want %d (body %.100q)", resp.StatusCode, tt.wantStatus, body)
			}
			if tt.wantBody != nil && !bytes.Equal(body, tt.wantBody) {
				t.Errorf("body %d bytes %.40q, want %d bytes %.40q", len(body), body, len(tt.wantBody), tt.wantBody)
			}
			if got := resp.Header.Get("Content-Range"); got != tt.wantRange {
				t.Errorf("Content-Range %q, want %q", got, tt.wantRange)
			}
		})
	}
	if head, _ := get("HEAD", big, nil); head.ContentLength != int64(len(content)) || head.Header.Get("ETag") != etag {
		t.Errorf("HEAD: length %d, ETag %q; want %d, %q", head.ContentLength, head.Header.Get("ETag"), len(content), etag)
	}
}

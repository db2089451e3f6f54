package share

import (
	"bytes"
	"crypto/sha256"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

func TestDigestTrailer(t *testing.T) {
	fx := newFixture(t)
	content := make([]byte, 3<<20+17)
	for i := range content {
		content[i] = byte(i*31 + i>>9)
	}
	if err := os.WriteFile(filepath.Join(fx.dir, "docs", "sub", "big.bin"), content, 0o644); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(content)
	srv := httptest.NewServer(fx.as(alice))
	defer srv.Close()
	const big = "/share/shares/docs/files/sub/big.bin"
	get := func(method string, header http.Header) (*http.Response, []byte) {
		t.Helper()
		req, err := http.NewRequest(method, srv.URL+big, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header = header
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp, body // the trailer is there once the body is read
	}
	etag := func() string { r, _ := get("HEAD", nil); return r.Header.Get("ETag") }()
	want := http.Header{"Want-Repr-Digest": {"sha-256=1"}}
	with := func(kv ...string) http.Header {
		h := want.Clone()
		for i := 0; i < len(kv); i += 2 {
			h.Set(kv[i], kv[i+1])
		}
		return h
	}
	n := len(content)
	tests := []struct {
		name       string
		method     string
		header     http.Header
		wantStatus int
		wantBody   []byte
		wantDigest bool
	}{
		{"whole", "GET", want, 200, content, true},
		{"range", "GET", with("Range", "bytes=1000-1999"), 206, content[1000:2000], true},
		{"resume", "GET", with("Range", "bytes=2000000-"), 206, content[2000000:], true},
		{"suffix", "GET", with("Range", "bytes=-10"), 206, content[n-10:], true},
		{"first byte", "GET", with("Range", "bytes=0-0"), 206, content[:1], true},
		{"resume same version", "GET", with("Range", "bytes=5-9", "If-Range", etag), 206, content[5:10], true},
		{"resume changed file", "GET", with("Range", "bytes=5-9", "If-Range", `"old"`), 200, content, true},
		{"among other algorithms", "GET", http.Header{"Want-Repr-Digest": {"sha-512=3, sha-256=10"}}, 200, content, true},
		{"not wanted", "GET", http.Header{"Want-Repr-Digest": {"sha-256=0"}}, 200, content, false},
		{"not asked", "GET", http.Header{}, 200, content, false},
		{"multiple ranges", "GET", with("Range", "bytes=0-1,5-6"), 206, nil, false},
		{"unchanged", "GET", with("If-None-Match", etag), 304, []byte{}, false},
		{"unsatisfiable", "GET", with("Range", "bytes=99999999-"), 416, nil, false},
		{"head", "HEAD", want, 200, []byte{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := get(tt.method, tt.header)
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.wantStatus)
			}
			if tt.wantBody != nil && !bytes.Equal(body, tt.wantBody) {
				t.Errorf("body has %d bytes, want %d", len(body), len(tt.wantBody))
			}
			if tt.wantStatus == 206 && resp.Header.Get("Content-Range") == "" && tt.name != "multiple ranges" {
				t.Errorf("no Content-Range")
			}
			got := resp.Trailer.Get("Repr-Digest")
			if !tt.wantDigest {
				if got != "" {
					t.Errorf("Repr-Digest %q, want none", got)
				}
				return
			}
			digest, err := ParseReprDigest(got)
			if err != nil || !bytes.Equal(digest, sum[:]) {
				t.Errorf("Repr-Digest %q (%v), want the sha-256 of the whole file", got, err)
			}
		})
	}
	if head, _ := get("HEAD", want); head.ContentLength != int64(n) {
		t.Errorf("HEAD with Want-Repr-Digest: length %d, want %d", head.ContentLength, n)
	}
}

func TestParseReprDigest(t *testing.T) {
	sum := sha256.Sum256([]byte("hello"))
	good := formatReprDigest(sum[:])
	tests := []struct {
		in string
		ok bool
	}{
		{good, true},
		{"sha-512=:AAAA:, " + good, true},
		{good + ";p=1", true},
		{"", false},
		{"sha-512=:AAAA:", false},
		{"sha-256=AAAA", false},
		{"sha-256=:not base64!:", false},
		{"sha-256=:AAAA:", false},
		{"sha-256", false},
	}
	for _, tt := range tests {
		got, err := ParseReprDigest(tt.in)
		if tt.ok != (err == nil) || tt.ok && !bytes.Equal(got, sum[:]) {
			t.Errorf("ParseReprDigest(%q) = %x, %v", tt.in, got, err)
		}
	}
}

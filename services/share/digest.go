package share

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
)

// Digests of whole files (RFC 9530). A download that asks with
//
//	Want-Repr-Digest: sha-256=1
//
// gets, after the body, the trailer
//
//	Repr-Digest: sha-256=:<base64 of the SHA-256 of the whole file>:
//
// also when it asked for a range: a client resuming a download verifies the
// file it has put together without reading it twice over the link.

const (
	wantReprDigestHeader = "Want-Repr-Digest"
	reprDigestHeader     = "Repr-Digest"
)

// wantsSHA256 reports whether a Want-Repr-Digest field value asks for
// sha-256 (a dictionary of algorithm=preference, 0 meaning "not acceptable").
func wantsSHA256(values []string) bool {
	for _, v := range values {
		for member := range strings.SplitSeq(v, ",") {
			key, pref, _ := strings.Cut(strings.TrimSpace(member), "=")
			pref, _, _ = strings.Cut(pref, ";") // parameters carry nothing here
			if n, err := strconv.Atoi(strings.TrimSpace(pref)); strings.TrimSpace(key) == "sha-256" && err == nil && n > 0 {
				return true
			}
		}
	}
	return false
}

// formatReprDigest returns a Repr-Digest field value for a SHA-256 sum.
func formatReprDigest(sum []byte) string {
	return "sha-256=:" + base64.StdEncoding.EncodeToString(sum) + ":"
}

// ParseReprDigest returns the SHA-256 sum carried by a Repr-Digest field
// value (RFC 9530) such as "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:",
// ignoring other algorithms in it. It fails when there is no well-formed
// sha-256 member.
func ParseReprDigest(h string) ([]byte, error) {
	for member := range strings.SplitSeq(h, ",") {
		key, value, ok := strings.Cut(strings.TrimSpace(member), "=")
		if !ok || strings.TrimSpace(key) != "sha-256" {
			continue
		}
		value, _, _ = strings.Cut(strings.TrimSpace(value), ";")
		if len(value) < 2 || value[0] != ':' || value[len(value)-1] != ':' {
			return nil, fmt.Errorf("parse Repr-Digest: sha-256 is not a byte sequence")
		}
		sum, err := base64.StdEncoding.DecodeString(value[1 : len(value)-1])
		if err != nil {
			return nil, fmt.Errorf("parse Repr-Digest: %w", err)
		}
		if len(sum) != sha256.Size {
			return nil, fmt.Errorf("parse Repr-Digest: sha-256 has %d bytes, want %d", len(sum), sha256.Size)
		}
		return sum, nil
	}
	return nil, errors.New("parse Repr-Digest: no sha-256")
}

// hashingFile is the file http.ServeContent reads, hashing on the way. It
// keeps a hash of the file's first `hashed` bytes and extends it with every
// read that reaches past them; a read that starts beyond them (a range
// request) first hashes the gap from the file. finish hashes the rest, so the
// sum covers the whole file whatever ranges were served.
type hashingFile struct {
	ctx    context.Context // hashing a gap stops when the request is gone
	f      *os.File
	size   int64
	h      hash.Hash
	hashed int64
	pos    int64
	err    error // the first error hashing the file, outside the served reads
}

func newHashingFile(ctx context.Context, f *os.File, size int64) *hashingFile {
	return &hashingFile{ctx: ctx, f: f, size: size, h: sha256.New()}
}

func (hf *hashingFile) Seek(offset int64, whence int) (int64, error) {
	pos, err := hf.f.Seek(offset, whence)
	if err == nil {
		hf.pos = pos
	}
	return pos, err
}

func (hf *hashingFile) Read(p []byte) (int, error) {
	hf.hashTo(hf.pos)
	n, err := hf.f.Read(p)
	if end := hf.pos + int64(n); hf.err == nil && hf.pos <= hf.hashed && end > hf.hashed {
		hf.h.Write(p[hf.hashed-hf.pos : n])
		hf.hashed = end
	}
	hf.pos += int64(n)
	return n, err
}

// hashTo extends the hash with the file's bytes up to offset.
func (hf *hashingFile) hashTo(offset int64) {
	if hf.err != nil || offset <= hf.hashed {
		return
	}
	gap := io.NewSectionReader(hf.f, hf.hashed, offset-hf.hashed)
	n, err := io.CopyBuffer(hf.h, contextReader{hf.ctx, gap}, make([]byte, 256<<10))
	hf.hashed += n
	if err == nil && hf.hashed < offset {
		err = io.ErrUnexpectedEOF // the file shrank
	}
	if err != nil {
		hf.err = fmt.Errorf("hash file: %w", err)
	}
}

// finish hashes what was not served and returns the sum of the whole file.
func (hf *hashingFile) finish() ([]byte, error) {
	hf.hashTo(hf.size)
	if hf.err != nil {
		return nil, hf.err
	}
	return hf.h.Sum(nil), nil
}

// contextReader stops reading once ctx is done.
type contextReader struct {
	ctx context.Context
	r   io.Reader
}

func (cr contextReader) Read(p []byte) (int, error) {
	if err := cr.ctx.Err(); err != nil {
		return 0, err
	}
	return cr.r.Read(p)
}

// trailerWriter declares the Repr-Digest trailer when a body is about to be
// sent. Over HTTP/1.1 a trailer needs a chunked body, so it drops the
// Content-Length that http.ServeContent set; HTTP/2 keeps both.
type trailerWriter struct {
	http.ResponseWriter
	r      *http.Request
	status int
}

func (tw *trailerWriter) WriteHeader(status int) {
	if tw.status == 0 {
		tw.status = status
		if tw.sendsBody() {
			h := tw.Header()
			h.Set("Trailer", reprDigestHeader)
			if tw.r.ProtoMajor < 2 {
				h.Del("Content-Length")
			}
		}
	}
	tw.ResponseWriter.WriteHeader(status)
}

func (tw *trailerWriter) Write(p []byte) (int, error) {
	if tw.status == 0 {
		tw.WriteHeader(http.StatusOK)
	}
	return tw.ResponseWriter.Write(p)
}

func (tw *trailerWriter) sendsBody() bool {
	return tw.r.Method == http.MethodGet && (tw.status == http.StatusOK || tw.status == http.StatusPartialContent)
}

// Unwrap lets http.ResponseController reach the connection.
func (tw *trailerWriter) Unwrap() http.ResponseWriter { return tw.ResponseWriter }

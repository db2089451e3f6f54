package app

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"

	"github.com/porchlight/porchlight/app/store"
	"github.com/porchlight/porchlight/services/share"
)

// countingWriter reports each write to a progress.
type countingWriter struct {
	w io.Writer
	p *progress
}

func (c countingWriter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.p.add(n)
	return n, err
}

// download fetches what is still missing of t into its part file, verifies
// the whole file against the host's digest, then renames it into place.
func (x *transfers) download(ctx context.Context, f store.Friend, t *store.Transfer) error {
	part := t.Local + PartSuffix
	out, err := os.OpenFile(part, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return permanentError{fmt.Errorf("write %s: %w", part, err)}
	}
	defer out.Close()
	have, err := out.Seek(0, io.SeekEnd)
	if err != nil {
		return permanentError{err}
	}
	c, err := x.app.friendClient(ctx, f)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, "GET", "http://peer"+remoteSharePath(t.Share, "files", t.Path), nil)
	if err != nil {
		return permanentError{err}
	}
	req.Header.Set("Want-Repr-Digest", "sha-256=1")
	if have > 0 && t.ETag != "" {
		req.Header.Set("Range", "bytes="+strconv.FormatInt(have, 10)+"-")
		req.Header.Set("If-Range", t.ETag) // a changed file comes back whole
	}
	resp, err := c.Do(req)
	if err != nil {
		return fmt.Errorf("download from %s: %w", f.Name, err)
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusPartialContent:
	case http.StatusOK:
		if err := out.Truncate(0); err != nil {
			return permanentError{err}
		}
		if _, err := out.Seek(0, io.SeekStart); err != nil {
			return permanentError{err}
		}
		have = 0
	case http.StatusRequestedRangeNotSatisfiable:
		out.Truncate(0)
		t.ETag = ""
		return fmt.Errorf("download from %s: the file changed; starting again", f.Name)
	default:
		return permanentError{remoteError(f.Name, resp)}
	}
	t.ETag = resp.Header.Get("ETag")
	t.Bytes, t.Error = have, ""
	if resp.ContentLength >= 0 {
		t.Size = have + resp.ContentLength
	}
	x.save(*t)
	// Large writes: fewer system calls and progress updates than io.Copy's 32 KiB.
	if _, err := io.CopyBuffer(countingWriter{out, &progress{x: x, t: t}}, resp.Body, make([]byte, 256<<10)); err != nil {
		x.save(*t)
		return fmt.Errorf("download from %s: %w", f.Name, err)
	}
	if t.Size >= 0 && t.Bytes != t.Size {
		return fmt.Errorf("download from %s: got %d of %d bytes", f.Name, t.Bytes, t.Size)
	}
	if err := verifyDigest(out, resp.Trailer.Get("Repr-Digest")); err != nil {
		out.Truncate(0)
		t.Bytes, t.ETag = 0, ""
		return fmt.Errorf("download from %s: %w", f.Name, err)
	}
	if err := out.Sync(); err != nil {
		return permanentError{err}
	}
	if err := out.Close(); err != nil {
		return permanentError{err}
	}
	if err := os.Rename(part, t.Local); err != nil {
		return permanentError{fmt.Errorf("finish %s: %w", t.Local, err)}
	}
	t.Size = t.Bytes
	return nil
}

// errDamaged reports a download whose bytes do not match the host's file.
var errDamaged = errors.New("the file arrived damaged; fetching it again")

// verifyDigest hashes the whole part file and compares it with the host's
// Repr-Digest trailer (RFC 9530), when the host sent one.
func verifyDigest(f *os.File, header string) error {
	if header == "" {
		return nil
	}
	want, err := share.ParseReprDigest(header)
	if err != nil {
		return nil // a digest we cannot read proves nothing either way
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return err
	}
	if !bytes.Equal(h.Sum(nil), want) {
		return errDamaged
	}
	return nil
}

// upload sends t's local file to the friend's share. The host keeps the
// upload apart until it is complete, so a broken one is simply sent again.
func (x *transfers) upload(ctx context.Context, f store.Friend, t *store.Transfer) error {
	in, err := os.Open(t.Local)
	if err != nil {
		return permanentError{fmt.Errorf("read %s: %w", t.Local, err)}
	}
	defer in.Close()
	info, err := in.Stat()
	if err != nil {
		return permanentError{err}
	}
	c, err := x.app.friendClient(ctx, f)
	if err != nil {
		return err
	}
	t.Bytes, t.Size, t.Error = 0, info.Size(), ""
	p := &progress{x: x, t: t}
	body := io.TeeReader(in, countingWriter{io.Discard, p})
	req, err := http.NewRequestWithContext(ctx, "PUT", "http://peer"+remoteSharePath(t.Share, "files", t.Path)+"?conflict=keep", body)
	if err != nil {
		return permanentError{err}
	}
	req.ContentLength = info.Size()
	resp, err := c.Do(req)
	if err != nil {
		return fmt.Errorf("upload to %s: %w", f.Name, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusCreated && resp.StatusCode != http.StatusOK {
		return permanentError{remoteError(f.Name, resp)}
	}
	var placed struct {
		Path string `json:"path"`
	}
	if json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&placed) == nil && placed.Path != "" {
		t.Path = placed.Path // kept apart from a file of the same name
	}
	return nil
}

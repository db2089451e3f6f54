package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/porchlight/porchlight/app/api"
	"github.com/porchlight/porchlight/app/store"
)

// PartSuffix marks a download that has not finished; it is renamed to its
// real name only when complete.
const PartSuffix = ".porchlight-part"

// transferAttempts bounds how often a broken download is resumed before it
// is reported failed.
const transferAttempts = 6

// transfers runs downloads from friends' shares.
type transfers struct {
	app *App

	mu   sync.Mutex
	byID map[string]*api.Transfer
	seq  int
}

func newTransfers(a *App) *transfers { return &transfers{app: a, byID: map[string]*api.Transfer{}} }

// StartTransfer starts downloading a file from a friend's share
// (localapi.Core).
func (a *App) StartTransfer(ctx context.Context, req api.NewTransfer) (api.Transfer, error) {
	f, err := a.resolveFriend(ctx, req.Friend)
	if err != nil {
		return api.Transfer{}, err
	}
	if !filepath.IsAbs(req.Dest) {
		return api.Transfer{}, badRequest("the destination must be an absolute path, not %q", req.Dest)
	}
	if _, err := os.Stat(req.Dest); err == nil {
		return api.Transfer{}, badRequest("%s already exists; choose another name", req.Dest)
	}
	if info, err := os.Stat(filepath.Dir(req.Dest)); err != nil || !info.IsDir() {
		return api.Transfer{}, badRequest("the folder %s does not exist", filepath.Dir(req.Dest))
	}
	if req.Share == "" || strings.Trim(req.Path, "/") == "" {
		return api.Transfer{}, badRequest("name a file as FRIEND:/SHARE/PATH")
	}
	t := a.xfers.add(api.Transfer{Friend: f.Name, Share: req.Share, Path: req.Path, Dest: req.Dest, State: api.TransferRunning})
	go a.xfers.run(f, t.ID)
	return t, nil
}

// Transfer returns one transfer (localapi.Core).
func (a *App) Transfer(id string) (api.Transfer, error) {
	a.xfers.mu.Lock()
	defer a.xfers.mu.Unlock()
	t, ok := a.xfers.byID[id]
	if !ok {
		return api.Transfer{}, &api.Error{Status: http.StatusNotFound, Message: "no transfer " + id}
	}
	return *t, nil
}

// Transfers lists transfers, newest first (localapi.Core).
func (a *App) Transfers() []api.Transfer {
	a.xfers.mu.Lock()
	defer a.xfers.mu.Unlock()
	out := make([]api.Transfer, 0, len(a.xfers.byID))
	for _, t := range a.xfers.byID {
		out = append(out, *t)
	}
	slices.SortFunc(out, func(x, y api.Transfer) int { return strings.Compare(y.ID, x.ID) })
	return out
}

func (x *transfers) add(t api.Transfer) api.Transfer {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.seq++
	t.ID = fmt.Sprintf("t%06d", x.seq)
	x.byID[t.ID] = &t
	return t
}

// update changes a transfer and publishes it.
func (x *transfers) update(id string, fn func(*api.Transfer)) {
	x.mu.Lock()
	t := x.byID[id]
	fn(t)
	snap := *t
	x.mu.Unlock()
	x.app.bus.Publish(api.Event{Type: api.EventTransfer, Transfer: &snap})
}

func (x *transfers) run(f store.Friend, id string) {
	t, _ := x.app.Transfer(id)
	ctx := x.app.runCtx()
	var err error
	for attempt := range transferAttempts {
		if attempt > 0 {
			select {
			case <-ctx.Done():
				return
			case <-time.After(time.Duration(attempt) * time.Second):
			}
		}
		if err = x.fetch(ctx, f, t); err == nil || isPermanent(err) {
			break
		}
		x.app.log.Info("download interrupted; resuming", "transfer", id, "err", err)
	}
	x.update(id, func(t *api.Transfer) {
		if err != nil {
			t.State, t.Error = api.TransferFailed, err.Error()
			return
		}
		t.State = api.TransferDone
	})
}

type permanentError struct{ error }

func isPermanent(err error) bool { return errors.As(err, new(permanentError)) }

// fetch downloads what is still missing of t into its part file, then
// renames it into place.
func (x *transfers) fetch(ctx context.Context, f store.Friend, t api.Transfer) error {
	part := t.Dest + PartSuffix
	out, err := os.OpenFile(part, os.O_WRONLY|os.O_CREATE, 0o644)
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
	if have > 0 {
		req.Header.Set("Range", "bytes="+strconv.FormatInt(have, 10)+"-")
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
		return fmt.Errorf("download from %s: the file changed; starting again", f.Name)
	default:
		return permanentError{remoteError(f.Name, resp)}
	}
	size := have + resp.ContentLength
	x.update(t.ID, func(t *api.Transfer) { t.Bytes, t.Size = have, size })
	pw := &progressWriter{w: out, n: have, report: func(n int64) {
		x.update(t.ID, func(t *api.Transfer) { t.Bytes = n })
	}}
	if _, err := io.Copy(pw, resp.Body); err != nil {
		return fmt.Errorf("download from %s: %w", f.Name, err)
	}
	if resp.ContentLength >= 0 && pw.n != size {
		return fmt.Errorf("download from %s: got %d of %d bytes", f.Name, pw.n, size)
	}
	if err := out.Sync(); err != nil {
		return permanentError{err}
	}
	if err := out.Close(); err != nil {
		return permanentError{err}
	}
	if err := os.Rename(part, t.Dest); err != nil {
		return permanentError{fmt.Errorf("finish %s: %w", t.Dest, err)}
	}
	x.update(t.ID, func(t *api.Transfer) { t.Bytes, t.Size = pw.n, pw.n })
	return nil
}

// progressWriter counts bytes and reports progress at most a few times a
// second.
type progressWriter struct {
	w      io.Writer
	n      int64
	last   time.Time
	report func(int64)
}

func (p *progressWriter) Write(b []byte) (int, error) {
	n, err := p.w.Write(b)
	p.n += int64(n)
	if now := time.Now(); now.Sub(p.last) > 250*time.Millisecond {
		p.last = now
		p.report(p.n)
	}
	return n, err
}

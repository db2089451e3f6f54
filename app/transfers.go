package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/porchlight/porchlight/app/api"
	"github.com/porchlight/porchlight/app/store"
)

// PartSuffix marks a download that has not finished; it is renamed to its
// real name only when complete and verified.
const PartSuffix = ".porchlight-part"

// maxRetryWait caps the wait between attempts of a broken transfer. A
// transfer keeps trying while its friend is away (asleep, offline): it ends
// only when done, refused for good, paused, cancelled, or no longer a
// friend's.
const maxRetryWait = time.Minute

// errPaused and errCancelled end a transfer's run on the resident's word.
var (
	errPaused    = errors.New("paused")
	errCancelled = errors.New("cancelled")
)

// transfers runs downloads and uploads. Their state lives in the store, so
// a transfer interrupted by sleep, a dropped link or a restart resumes.
type transfers struct {
	app *App

	mu      sync.Mutex
	running map[string]context.CancelCauseFunc
	rates   map[string]int64
}

func newTransfers(a *App) *transfers {
	return &transfers{app: a, running: map[string]context.CancelCauseFunc{}, rates: map[string]int64{}}
}

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
	return a.xfers.start(ctx, store.Transfer{Kind: api.TransferDownload, FriendID: f.ID, Share: req.Share, Path: req.Path, Local: req.Dest, Size: -1})
}

// StartUpload starts uploading a file into a friend's share
// (localapi.Core).
func (a *App) StartUpload(ctx context.Context, req api.NewUpload) (api.Transfer, error) {
	f, err := a.resolveFriend(ctx, req.Friend)
	if err != nil {
		return api.Transfer{}, err
	}
	info, err := os.Stat(req.Source)
	if !filepath.IsAbs(req.Source) || err != nil || !info.Mode().IsRegular() {
		return api.Transfer{}, badRequest("%q is not a file you can send", req.Source)
	}
	if req.Share == "" || strings.Trim(req.Path, "/") == "" {
		return api.Transfer{}, badRequest("name the place as FRIEND:/SHARE/PATH")
	}
	return a.xfers.start(ctx, store.Transfer{Kind: api.TransferUpload, FriendID: f.ID, Share: req.Share, Path: req.Path, Local: req.Source, Size: info.Size()})
}

func (x *transfers) start(ctx context.Context, t store.Transfer) (api.Transfer, error) {
	b := make([]byte, 6)
	rand.Read(b)
	t.ID = "t" + hex.EncodeToString(b)
	t.State = api.TransferRunning
	if err := x.app.store.SaveTransfer(ctx, t); err != nil {
		return api.Transfer{}, err
	}
	x.launch(t)
	return x.app.apiTransfer(ctx, t), nil
}

// resumeAll restarts the transfers that were running when Porchlight
// stopped.
func (x *transfers) resumeAll(ctx context.Context) error {
	ts, err := x.app.store.Transfers(ctx)
	if err != nil {
		return err
	}
	for _, t := range ts {
		if t.State == api.TransferRunning {
			x.launch(t)
		}
	}
	return nil
}

func (x *transfers) launch(t store.Transfer) {
	ctx, cancel := context.WithCancelCause(x.app.runCtx())
	x.mu.Lock()
	x.running[t.ID] = cancel
	x.mu.Unlock()
	go x.run(ctx, t)
}

func (a *App) apiTransfer(ctx context.Context, t store.Transfer) api.Transfer {
	name := t.FriendID
	if f, err := a.store.Friend(ctx, t.FriendID); err == nil {
		name = f.Name
	}
	a.xfers.mu.Lock()
	rate := a.xfers.rates[t.ID]
	a.xfers.mu.Unlock()
	if t.State != api.TransferRunning {
		rate = 0
	}
	return api.Transfer{ID: t.ID, Kind: t.Kind, Friend: name, Share: t.Share, Path: t.Path, Dest: t.Local,
		State: t.State, Bytes: t.Bytes, Size: t.Size, Rate: rate, Error: t.Error}
}

// Transfer returns one transfer (localapi.Core).
func (a *App) Transfer(ctx context.Context, id string) (api.Transfer, error) {
	t, err := a.store.Transfer(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return api.Transfer{}, &api.Error{Status: http.StatusNotFound, Message: "no transfer " + id}
	}
	if err != nil {
		return api.Transfer{}, err
	}
	return a.apiTransfer(ctx, t), nil
}

// Transfers lists transfers, newest first (localapi.Core).
func (a *App) Transfers(ctx context.Context) ([]api.Transfer, error) {
	ts, err := a.store.Transfers(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]api.Transfer, 0, len(ts))
	for _, t := range ts {
		out = append(out, a.apiTransfer(ctx, t))
	}
	return out, nil
}

// ControlTransfer pauses, resumes or cancels a transfer (localapi.Core).
func (a *App) ControlTransfer(ctx context.Context, id, action string) (api.Transfer, error) {
	t, err := a.store.Transfer(ctx, id)
	if err != nil {
		return api.Transfer{}, &api.Error{Status: http.StatusNotFound, Message: "no transfer " + id}
	}
	finished := t.State == api.TransferDone || t.State == api.TransferCancelled
	switch {
	case action == "pause" && t.State == api.TransferRunning:
		a.xfers.stop(id, errPaused)
		t.State = api.TransferPaused
	case action == "resume" && (t.State == api.TransferPaused || t.State == api.TransferFailed):
		t.State, t.Error = api.TransferRunning, ""
		if err := a.store.SaveTransfer(ctx, t); err != nil {
			return api.Transfer{}, err
		}
		a.xfers.launch(t)
	case action == "cancel" && !finished:
		a.xfers.stop(id, errCancelled)
		t.State = api.TransferCancelled
		if t.Kind == api.TransferDownload {
			os.Remove(t.Local + PartSuffix)
		}
	default:
		return api.Transfer{}, badRequest("cannot %s a transfer that is %s", action, t.State)
	}
	if err := a.store.SaveTransfer(ctx, t); err != nil {
		return api.Transfer{}, err
	}
	at := a.apiTransfer(ctx, t)
	a.bus.Publish(api.Event{Type: api.EventTransfer, Transfer: &at})
	return at, nil
}

// stop ends a running transfer's goroutine and waits for it to let go.
func (x *transfers) stop(id string, why error) {
	x.mu.Lock()
	cancel, ok := x.running[id]
	x.mu.Unlock()
	if ok {
		cancel(why)
	}
	for range 100 {
		x.mu.Lock()
		_, still := x.running[id]
		x.mu.Unlock()
		if !still {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// save records progress and tells the clients.
func (x *transfers) save(t store.Transfer) {
	ctx := context.Background()
	if err := x.app.store.SaveTransfer(ctx, t); err != nil {
		x.app.log.Warn("save transfer", "transfer", t.ID, "err", err)
	}
	at := x.app.apiTransfer(ctx, t)
	x.app.bus.Publish(api.Event{Type: api.EventTransfer, Transfer: &at})
}

func (x *transfers) run(ctx context.Context, t store.Transfer) {
	defer func() {
		x.mu.Lock()
		delete(x.running, t.ID)
		delete(x.rates, t.ID)
		x.mu.Unlock()
	}()
	f, err := x.app.store.Friend(ctx, t.FriendID)
	if err != nil {
		t.State, t.Error = api.TransferFailed, "they are no longer your friend"
		x.save(t)
		return
	}
	for attempt := 0; ; attempt++ {
		if attempt > 0 {
			select {
			case <-ctx.Done():
			case <-time.After(backoff(attempt)):
			}
		}
		if ctx.Err() != nil {
			break
		}
		if _, ferr := x.app.store.Friend(ctx, f.ID); ferr != nil {
			err = permanentError{errors.New("they are no longer your friend")}
			break
		}
		if t.Kind == api.TransferUpload {
			err = x.upload(ctx, f, &t)
		} else {
			err = x.download(ctx, f, &t)
		}
		if err == nil || isPermanent(err) || ctx.Err() != nil {
			break
		}
		x.app.log.Info("transfer interrupted; will resume", "transfer", t.ID, "attempt", attempt+1, "err", err)
		t.Error = "waiting to resume: " + err.Error()
		x.save(t)
	}
	switch cause := context.Cause(ctx); {
	case errors.Is(cause, errPaused), errors.Is(cause, errCancelled):
		return // ControlTransfer records the new state
	case ctx.Err() != nil:
		x.app.store.SaveTransfer(context.Background(), t) // Porchlight is stopping: resume on next start
		return
	case err != nil:
		t.State, t.Error = api.TransferFailed, err.Error()
	default:
		t.State, t.Error = api.TransferDone, ""
	}
	x.save(t)
}

func backoff(attempt int) time.Duration {
	return min(time.Duration(1<<min(attempt, 10))*250*time.Millisecond, maxRetryWait)
}

type permanentError struct{ error }

func isPermanent(err error) bool { return errors.As(err, new(permanentError)) }

// progress counts bytes through a transfer and reports them, with the
// recent rate, a few times a second.
type progress struct {
	x     *transfers
	t     *store.Transfer
	last  time.Time
	lastN int64
}

func (p *progress) add(n int) {
	p.t.Bytes += int64(n)
	now := time.Now()
	if el := now.Sub(p.last); el > 250*time.Millisecond {
		if !p.last.IsZero() {
			rate := int64(float64(p.t.Bytes-p.lastN) / el.Seconds())
			p.x.mu.Lock()
			old := p.x.rates[p.t.ID]
			if old > 0 {
				rate = (old + rate) / 2
			}
			p.x.rates[p.t.ID] = rate
			p.x.mu.Unlock()
		}
		p.last, p.lastN = now, p.t.Bytes
		p.x.save(*p.t)
	}
}

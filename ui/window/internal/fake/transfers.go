package fake

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/porchlight/porchlight/app/api"
)

// defaultSpeed is how fast a fake transfer goes, in bytes per second.
const defaultSpeed = 8 << 20

// transfer is one download or upload and the speed it goes at.
type transfer struct {
	api.Transfer
	speed int64
}

// SetProgressInterval sets how often running transfers advance (every
// 100 ms by default); 0 freezes them where they are, as in screenshots.
func (c *Client) SetProgressInterval(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.step = d
	c.tickLocked()
}

// AddTransfer adds a transfer as it is, e.g. half done, without emitting
// an event; a running one advances at its Rate.
func (c *Client) AddTransfer(t api.Transfer) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.ID == "" {
		c.nextXfer++
		t.ID = fmt.Sprintf("x%04d", c.nextXfer)
	}
	c.transfers = append(c.transfers, &transfer{Transfer: t, speed: cmp.Or(t.Rate, defaultSpeed)})
	c.tickLocked()
}

// Transfers lists transfers, newest first.
func (c *Client) Transfers(ctx context.Context) ([]api.Transfer, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.check(); err != nil {
		return nil, err
	}
	out := make([]api.Transfer, 0, len(c.transfers))
	for i := len(c.transfers) - 1; i >= 0; i-- {
		out = append(out, c.transfers[i].Transfer)
	}
	return out, nil
}

// StartTransfer starts downloading a file, checking its destination the way
// the core does: absolute, not there yet, in a folder that exists.
func (c *Client) StartTransfer(ctx context.Context, req api.NewTransfer) (api.Transfer, error) {
	c.mu.Lock()
	if _, err := c.remoteFriend(req.Friend); err != nil {
		c.mu.Unlock()
		return api.Transfer{}, err
	}
	i, _ := c.findFriend(req.Friend)
	f := c.friends[i]
	if err := checkDest(req.Dest); err != nil {
		c.mu.Unlock()
		return api.Transfer{}, err
	}
	e, ok := c.remoteEntry(f.ID, req.Share, req.Path)
	if !ok || e.Dir {
		c.mu.Unlock()
		return api.Transfer{}, &api.Error{Status: 404, Message: fmt.Sprintf("there is no file %s in %s's %q", req.Path, f.Name, req.Share)}
	}
	t := c.startLocked(api.Transfer{Kind: api.TransferDownload, Friend: f.Name, Share: req.Share, Path: path.Join("/", req.Path), Dest: req.Dest, Size: -1})
	c.mu.Unlock()
	c.Emit(api.Event{Type: api.EventTransfer, Transfer: &t})
	return t, nil
}

// StartUpload starts uploading a local file into a share that takes them.
func (c *Client) StartUpload(ctx context.Context, req api.NewUpload) (api.Transfer, error) {
	c.mu.Lock()
	rf, err := c.remoteFriend(req.Friend)
	if err != nil {
		c.mu.Unlock()
		return api.Transfer{}, err
	}
	i, _ := c.findFriend(req.Friend)
	f := c.friends[i]
	info, err := os.Stat(req.Source)
	if !filepath.IsAbs(req.Source) || err != nil || !info.Mode().IsRegular() {
		c.mu.Unlock()
		return api.Transfer{}, &api.Error{Status: 400, Message: fmt.Sprintf("%q is not a file you can send", req.Source)}
	}
	j := slices.IndexFunc(rf.shares, func(s api.RemoteShare) bool { return s.Name == req.Share })
	if j < 0 || rf.shares[j].Mode == "ro" {
		c.mu.Unlock()
		return api.Transfer{}, &api.Error{Status: 403, Message: "this share is read-only"}
	}
	t := c.startLocked(api.Transfer{Kind: api.TransferUpload, Friend: f.Name, Share: req.Share, Path: path.Join("/", req.Path), Dest: req.Source, Size: info.Size()})
	c.mu.Unlock()
	c.Emit(api.Event{Type: api.EventTransfer, Transfer: &t})
	return t, nil
}

func checkDest(dest string) error {
	if !filepath.IsAbs(dest) {
		return &api.Error{Status: 400, Message: fmt.Sprintf("the destination must be an absolute path, not %q", dest)}
	}
	if _, err := os.Stat(dest); err == nil {
		return &api.Error{Status: 400, Message: dest + " already exists; choose another name"}
	}
	if info, err := os.Stat(filepath.Dir(dest)); err != nil || !info.IsDir() {
		return &api.Error{Status: 400, Message: "the folder " + filepath.Dir(dest) + " does not exist"}
	}
	return nil
}

func (c *Client) startLocked(t api.Transfer) api.Transfer {
	c.nextXfer++
	t.ID = fmt.Sprintf("x%04d", c.nextXfer)
	t.State = api.TransferRunning
	c.transfers = append(c.transfers, &transfer{Transfer: t, speed: defaultSpeed})
	c.tickLocked()
	return t
}

// PauseTransfer pauses a running transfer.
func (c *Client) PauseTransfer(ctx context.Context, id string) (api.Transfer, error) {
	return c.transferAction(id, func(t *transfer) error {
		if t.State != api.TransferRunning {
			return fmt.Errorf("only a running transfer can be paused; this one is %s", t.State)
		}
		t.State, t.Rate = api.TransferPaused, 0
		return nil
	})
}

// ResumeTransfer continues a paused or failed transfer where it stopped.
func (c *Client) ResumeTransfer(ctx context.Context, id string) (api.Transfer, error) {
	return c.transferAction(id, func(t *transfer) error {
		if t.State != api.TransferPaused && t.State != api.TransferFailed {
			return fmt.Errorf("only a paused or failed transfer can be resumed; this one is %s", t.State)
		}
		t.State, t.Error = api.TransferRunning, ""
		return nil
	})
}

// CancelTransfer stops a transfer for good.
func (c *Client) CancelTransfer(ctx context.Context, id string) (api.Transfer, error) {
	return c.transferAction(id, func(t *transfer) error {
		if t.State == api.TransferDone || t.State == api.TransferCancelled {
			return fmt.Errorf("this transfer is already %s", t.State)
		}
		t.State, t.Rate = api.TransferCancelled, 0
		return nil
	})
}

func (c *Client) transferAction(id string, change func(*transfer) error) (api.Transfer, error) {
	c.mu.Lock()
	if err := c.check(); err != nil {
		c.mu.Unlock()
		return api.Transfer{}, err
	}
	i := slices.IndexFunc(c.transfers, func(t *transfer) bool { return t.ID == id })
	if i < 0 {
		c.mu.Unlock()
		return api.Transfer{}, &api.Error{Status: 404, Message: "no transfer " + id}
	}
	if err := change(c.transfers[i]); err != nil {
		c.mu.Unlock()
		return api.Transfer{}, &api.Error{Status: 409, Message: err.Error()}
	}
	t := c.transfers[i].Transfer
	c.tickLocked()
	c.mu.Unlock()
	c.Emit(api.Event{Type: api.EventTransfer, Transfer: &t})
	return t, nil
}

// tickLocked starts the progress goroutine if a transfer runs and none
// does; it stops by itself when nothing runs any more.
func (c *Client) tickLocked() {
	if c.ticking || c.step <= 0 || !slices.ContainsFunc(c.transfers, running) {
		return
	}
	c.ticking = true
	go c.progress()
}

func running(t *transfer) bool { return t.State == api.TransferRunning }

// progress advances running transfers every step, emitting EventTransfer
// for each, until none runs or the interval is set to 0.
func (c *Client) progress() {
	for {
		c.mu.Lock()
		step := c.step
		c.mu.Unlock()
		if step > 0 {
			time.Sleep(step)
		}
		c.mu.Lock()
		if c.step <= 0 || !slices.ContainsFunc(c.transfers, running) {
			c.ticking = false
			c.mu.Unlock()
			return
		}
		var changed []api.Transfer
		for _, t := range c.transfers {
			if running(t) {
				c.advance(t, step)
				changed = append(changed, t.Transfer)
			}
		}
		c.mu.Unlock()
		for _, t := range changed {
			c.Emit(api.Event{Type: api.EventTransfer, Transfer: &t})
		}
	}
}

// advance moves t on by one step; a download learns its size on the first.
func (c *Client) advance(t *transfer, step time.Duration) {
	if t.Size < 0 {
		if i := slices.IndexFunc(c.friends, func(f api.Friend) bool { return f.Name == t.Friend }); i >= 0 {
			if e, ok := c.remoteEntry(c.friends[i].ID, t.Share, t.Path); ok {
				t.Size = e.Size
			}
		}
		t.Rate = t.speed
		return
	}
	t.Rate = t.speed
	t.Bytes = min(t.Bytes+t.speed*int64(step)/int64(time.Second), t.Size)
	if t.Bytes >= t.Size {
		t.State, t.Rate = api.TransferDone, 0
		if t.Kind == api.TransferUpload {
			c.uploaded(t.Transfer)
		}
	}
}

// uploaded lists a finished upload in the friend's folder.
func (c *Client) uploaded(t api.Transfer) {
	i := slices.IndexFunc(c.friends, func(f api.Friend) bool { return f.Name == t.Friend })
	if i < 0 || c.remote[c.friends[i].ID] == nil {
		return
	}
	folders := c.remote[c.friends[i].ID].folders[t.Share]
	dir := path.Dir(t.Path)
	if _, ok := folders[dir]; ok && !slices.ContainsFunc(folders[dir], func(e api.Entry) bool { return strings.EqualFold(e.Name, path.Base(t.Path)) }) {
		folders[dir] = sortEntries(append(folders[dir], api.Entry{Name: path.Base(t.Path), Size: t.Size, Modified: c.now()}))
	}
}

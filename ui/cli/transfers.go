package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/porchlight/porchlight/app/api"
)

// follow watches a transfer until it ends, drawing progress on an
// interactive stderr.
func follow(ctx context.Context, e *Env, c *api.Client, t api.Transfer) (api.Transfer, error) {
	var err error
	for t.State == api.TransferRunning {
		select {
		case <-ctx.Done():
			return t, fmt.Errorf("stopped watching; the transfer goes on in Porchlight (%s)", t.ID)
		case <-time.After(200 * time.Millisecond):
		}
		if t, err = c.Transfer(ctx, t.ID); err != nil {
			return t, err
		}
		if e.Interactive {
			fmt.Fprintf(e.Stderr, "\r%s", progressLine(t))
		}
	}
	if e.Interactive {
		fmt.Fprintln(e.Stderr)
	}
	switch t.State {
	case api.TransferFailed:
		return t, errors.New(t.Error)
	case api.TransferDone:
		return t, nil
	}
	return t, fmt.Errorf("the transfer is %s (resume it with `porchlight transfer resume %s`)", t.State, t.ID)
}

func progressLine(t api.Transfer) string {
	pct := 0.0
	if t.Size > 0 {
		pct = 100 * float64(t.Bytes) / float64(t.Size)
	}
	left := "-"
	if t.Rate > 0 && t.Size > 0 {
		left = (time.Duration(float64(t.Size-t.Bytes)/float64(t.Rate)) * time.Second).Round(time.Second).String()
	}
	return fmt.Sprintf("%5.1f%%  %s of %s  %s/s  %s left   ", pct, humanSize(t.Bytes), humanSize(t.Size), humanSize(t.Rate), left)
}

func runPut(ctx context.Context, e *Env, c *api.Client, fs *flag.FlagSet, args []string) error {
	if len(args) != 2 {
		return usagef("usage: porchlight put FILE FRIEND:/SHARE/PATH")
	}
	src, err := filepath.Abs(args[0])
	if err != nil {
		return err
	}
	friend, share, path, err := remotePath(args[1])
	if err != nil {
		return err
	}
	if path == "" || path[len(path)-1] == '/' {
		path += filepath.Base(src)
	}
	t, err := c.StartUpload(ctx, api.NewUpload{Friend: friend, Share: share, Path: path, Source: src})
	if err != nil {
		return err
	}
	if t, err = follow(ctx, e, c, t); err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "Sent %s to %s:/%s/%s.\n", src, t.Friend, t.Share, trimSlash(t.Path))
	return nil
}

func trimSlash(p string) string {
	for len(p) > 0 && p[0] == '/' {
		p = p[1:]
	}
	return p
}

func runTransfers(ctx context.Context, e *Env, c *api.Client, fs *flag.FlagSet, args []string) error {
	ts, err := c.Transfers(ctx)
	if err != nil {
		return err
	}
	if wantJSON(fs) {
		return printJSON(e.Stdout, ts)
	}
	if len(ts) == 0 {
		fmt.Fprintln(e.Stdout, "No transfers.")
		return nil
	}
	tw := tabwriter.NewWriter(e.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tKIND\tSTATE\tPROGRESS\tFRIEND\tFILE")
	for _, t := range ts {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s/%s\t%s\t/%s/%s\n", t.ID, t.Kind, t.State, humanSize(t.Bytes), humanSize(t.Size), t.Friend, t.Share, trimSlash(t.Path))
	}
	return tw.Flush()
}

func runTransfer(ctx context.Context, e *Env, c *api.Client, fs *flag.FlagSet, args []string) error {
	if len(args) != 2 {
		return usagef("usage: porchlight transfer pause|resume|cancel ID")
	}
	var t api.Transfer
	var err error
	switch args[0] {
	case "pause":
		t, err = c.PauseTransfer(ctx, args[1])
	case "resume":
		t, err = c.ResumeTransfer(ctx, args[1])
	case "cancel":
		t, err = c.CancelTransfer(ctx, args[1])
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "Transfer %s is %s.\n", t.ID, t.State)
	return nil
}

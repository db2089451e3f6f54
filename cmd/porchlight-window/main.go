// Command porchlight-window is Porchlight's window: a fyne program the tray
// starts on demand, and only a client of the core's local API. One window
// runs per data directory; starting another brings the open one forward at
// the requested view.
//
//	porchlight-window [--data DIR] [--view home|friends|browse|transfers|share|invite|accept] [URL]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"github.com/porchlight/porchlight/app/api"
	"github.com/porchlight/porchlight/ui/window"
	"github.com/porchlight/porchlight/ui/window/instance"
)

func main() {
	if err := run(os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "porchlight-window:", err)
		os.Exit(1)
	}
}

// run parses args, hands them to an open window if there is one, and
// otherwise opens the window and runs it until it is closed.
func run(args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("porchlight-window", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", "", "data directory (default $"+api.DataDirEnv+" or the platform's)")
	view := fs.String("view", "", "view to show: home, friends, browse, transfers, share, invite or accept")
	if err := fs.Parse(args); err != nil {
		return err
	}
	req := instance.Request{View: *view, Link: fs.Arg(0)}
	if req.View == "" {
		req.View = window.ViewHome
		if req.Link != "" {
			req.View = window.ViewAccept // a bare URL is an invitation to open
		}
	}
	dir, err := api.DataDir(*data)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("make data dir: %w", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	l, err := instance.Claim(ctx, api.WindowSocketPath(dir), req)
	if errors.Is(err, instance.ErrForwarded) {
		return nil
	}
	if err != nil {
		return err
	}
	defer l.Close()

	log := slog.New(slog.NewTextHandler(stderr, nil))
	a := app.NewWithID(window.AppID)
	w := window.New(a, api.NewClient(api.SocketPath(dir)), window.WithLogger(log))
	go func() {
		if err := l.Serve(func(r instance.Request) {
			fyne.Do(func() {
				w.Show(r.View, r.Link)
				w.Window().Show()
				w.Window().RequestFocus()
			})
		}); err != nil {
			log.Error("window socket", "err", err)
		}
	}()
	go func() {
		<-ctx.Done()
		fyne.Do(a.Quit)
	}()
	w.Start(ctx)
	w.Show(req.View, req.Link)
	w.Window().ShowAndRun()
	return nil
}

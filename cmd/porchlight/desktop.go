//go:build !headless

package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/porchlight/porchlight/app"
	"github.com/porchlight/porchlight/app/api"
	"github.com/porchlight/porchlight/app/datadir"
	"github.com/porchlight/porchlight/ui/launcher"
	"github.com/porchlight/porchlight/ui/tray"
)

// runDesktop is `porchlight` without a verb: the core and, on a desktop,
// the porch light in the tray. When Porchlight already runs for the data
// dir, it opens that one's window instead and leaves.
func runDesktop(args []string) int {
	cfg, code, ok := parseCore("porchlight", args)
	if !ok {
		return code
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if !launcher.HasDisplay() {
		fmt.Fprintln(os.Stderr, "porchlight: no display found; running without a tray (use `porchlight window` on a desktop)")
		return runCore(ctx, cfg)
	}
	tuneGC()
	a, err := app.New(ctx, cfg)
	if errors.Is(err, datadir.ErrLocked) {
		if err := launcher.Open(cfg.DataDir, launcher.ViewHome, ""); err != nil {
			fmt.Fprintf(os.Stderr, "porchlight: Porchlight already runs for %s, but its window would not open: %v\n", cfg.DataDir, err)
			return 1
		}
		return 0
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "porchlight: %v\n", err)
		return 1
	}
	ctx, quit := context.WithCancel(ctx)
	exit := make(chan int, 1)
	go func() {
		exit <- serve(ctx, a, cfg)
		quit() // the core stopped: take the tray down too
	}()
	if !a.Status(ctx).NameChosen {
		// The first run: the window welcomes the resident and asks their name.
		go func() {
			if err := launcher.Open(cfg.DataDir, launcher.ViewHome, ""); err != nil {
				cfg.Logger.Warn("open the window on first run", "err", err)
			}
		}()
	}
	tray.Run(ctx, tray.Config{
		DataDir: cfg.DataDir,
		Client:  api.NewClient(api.SocketPath(cfg.DataDir)),
		Quit:    quit,
		Logger:  cfg.Logger.With("subsystem", "tray"),
	})
	quit()
	return <-exit
}

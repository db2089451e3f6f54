package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/porchlight/porchlight/app"
	"github.com/porchlight/porchlight/app/datadir"
)

// listFlag collects a flag that may repeat or hold a comma-separated list.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*l = append(*l, s)
		}
	}
	return nil
}

// runDaemon runs the core until SIGINT or SIGTERM.
func runDaemon(args []string) int {
	fs := flag.NewFlagSet("daemon", flag.ContinueOnError)
	data := fs.String("data", "", "data directory (default $PORCHLIGHT_DATA or ~/.local/share/porchlight)")
	name := fs.String("name", "", "your display name, as friends see it")
	var relays, ifaces listFlag
	fs.Var(&relays, "relay", "a relay URL, ws://HOST:PORT/v1/ws (may repeat)")
	fs.Var(&ifaces, "interfaces", "limit ICE, mDNS and LAN listeners to these interfaces (comma-separated)")
	logLevel := fs.String("log-level", "info", "debug, info, warn or error")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "porchlight daemon: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintf(os.Stderr, "porchlight daemon: %v\n", err)
		return 2
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	dir, err := datadir.Resolve(*data)
	if err != nil {
		fmt.Fprintf(os.Stderr, "porchlight: %v\n", err)
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	a, err := app.New(ctx, app.Config{DataDir: dir, Name: *name, Relays: relays, Interfaces: ifaces, Logger: logger})
	if err != nil {
		fmt.Fprintf(os.Stderr, "porchlight: %v\n", err)
		return 1
	}
	if err := a.Run(ctx); err != nil {
		fmt.Fprintf(os.Stderr, "porchlight: %v\n", err)
		return 1
	}
	return 0
}

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"runtime/pprof"
	"strings"
	"syscall"

	"github.com/porchlight/porchlight/app"
	"github.com/porchlight/porchlight/app/api"
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

// parseCore reads the flags that `porchlight` and `porchlight daemon`
// share. When it returns ok false it has said why, and the process should
// exit with code.
func parseCore(prog string, args []string) (cfg app.Config, code int, ok bool) {
	fs := flag.NewFlagSet(prog, flag.ContinueOnError)
	data := fs.String("data", "", "data directory (default $PORCHLIGHT_DATA or ~/.local/share/porchlight)")
	name := fs.String("name", "", "your display name, as friends see it")
	var relays, ifaces listFlag
	fs.Var(&relays, "relay", "a relay URL, ws://HOST:PORT/v1/ws (may repeat)")
	fs.Var(&ifaces, "interfaces", "limit ICE, mDNS and LAN listeners to these interfaces (comma-separated)")
	logLevel := fs.String("log-level", "info", "debug, info, warn or error")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return cfg, 0, false
		}
		return cfg, 2, false
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "%s: unexpected argument %q\n", prog, fs.Arg(0))
		return cfg, 2, false
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", prog, err)
		return cfg, 2, false
	}
	dir, err := api.DataDir(*data)
	if err != nil {
		fmt.Fprintf(os.Stderr, "porchlight: %v\n", err)
		return cfg, 1, false
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	return app.Config{DataDir: dir, Name: *name, Relays: relays, Interfaces: ifaces, Logger: logger}, 0, true
}

// runDaemon runs the core headless until SIGINT or SIGTERM.
func runDaemon(args []string) int {
	cfg, code, ok := parseCore("porchlight daemon", args)
	if !ok {
		return code
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if prefix := os.Getenv("PORCHLIGHT_CPUPROFILE"); prefix != "" {
		defer profileCPU(prefix, cfg.Logger)()
	}
	return runCore(ctx, cfg)
}

// profileCPU writes a CPU profile to PREFIX.PID until the returned function
// is called: a developer's tool (PORCHLIGHT_CPUPROFILE=/tmp/core), to see
// where a daemon spends its time in a test or a benchmark.
func profileCPU(prefix string, log *slog.Logger) func() {
	f, err := os.Create(fmt.Sprintf("%s.%d", prefix, os.Getpid()))
	if err != nil {
		log.Warn("cpu profile", "err", err)
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		log.Warn("cpu profile", "err", err)
		f.Close()
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}

// runCore runs the core until ctx ends.
func runCore(ctx context.Context, cfg app.Config) int {
	tuneGC()
	a, err := app.New(ctx, cfg)
	if err != nil {
		fmt.Fprintf(os.Stderr, "porchlight: %v\n", err)
		return 1
	}
	return serve(ctx, a, cfg)
}

// serve runs a until ctx ends, making it again whenever it asks to start
// afresh (a restored backup).
func serve(ctx context.Context, a *app.App, cfg app.Config) int {
	for {
		err := a.Run(ctx)
		if !errors.Is(err, app.ErrRestart) {
			if err != nil {
				fmt.Fprintf(os.Stderr, "porchlight: %v\n", err)
				return 1
			}
			return 0
		}
		cfg.Name = "" // the restored backup brought the resident's name
		if a, err = app.New(ctx, cfg); err != nil {
			fmt.Fprintf(os.Stderr, "porchlight: start again: %v\n", err)
			return 1
		}
	}
}

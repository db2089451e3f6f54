//go:build headless

package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

// runDesktop is `porchlight` without a verb in a headless build (-tags
// headless, for servers and mesh nodes): there is no tray to show, so it
// runs the core as `porchlight daemon` does.
func runDesktop(args []string) int {
	cfg, code, ok := parseCore("porchlight", args)
	if !ok {
		return code
	}
	fmt.Fprintln(os.Stderr, "porchlight: built without a tray (headless); running the core only")
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return runCore(ctx, cfg)
}

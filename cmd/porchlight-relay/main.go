// Command porchlight-relay runs a Porchlight signaling relay: WebSocket
// signaling on /v1/ws and a health check on /healthz. See package relay.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/porchlight/porchlight/signaling/relay"
	"github.com/porchlight/porchlight/signaling/wire"
)

type urlList []string

func (l *urlList) String() string { return strings.Join(*l, ",") }

func (l *urlList) Set(s string) error {
	u, err := wire.CanonicalURL(s)
	if err != nil {
		return err
	}
	*l = append(*l, u)
	return nil
}

func main() {
	listen := flag.String("listen", "127.0.0.1:7447", "`host:port` to listen on")
	var publicURLs urlList
	flag.Var(&publicURLs, "public-url", "`URL` clients dial, e.g. wss://relay.example.org/v1/ws (repeatable; default ws://LISTEN/v1/ws)")
	debug := flag.Bool("debug", false, "log every connection")
	flag.Parse()

	level := slog.LevelInfo
	if *debug {
		level = slog.LevelDebug
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	if err := run(*listen, publicURLs, logger); err != nil {
		logger.Error("relay stopped", "err", err)
		os.Exit(1)
	}
}

func run(listen string, publicURLs []string, logger *slog.Logger) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	if host, _, _ := net.SplitHostPort(listen); len(publicURLs) == 0 && (host == "" || net.ParseIP(host).IsUnspecified()) {
		logger.Warn("listening on all interfaces without --public-url: logins are bound to the URL clients dial, so name it")
	}
	r := relay.New(relay.Config{PublicURLs: publicURLs, ListenAddr: ln.Addr().String()}, logger)
	srv := &http.Server{Handler: r, ReadHeaderTimeout: 10 * time.Second}
	logger.Info("relay listening", "addr", ln.Addr().String(), "urls", r.URLs())

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = srv.Shutdown(shutdownCtx) // stops accepting; WebSockets are hijacked and closed by r.Close
	r.Close()
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shut down: %w", err)
	}
	return nil
}

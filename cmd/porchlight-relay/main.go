// Command porchlight-relay runs a Porchlight signaling relay: WebSocket
// signaling on /v1/ws, /healthz, /metrics, /status and the invite landing
// page /i over HTTP or HTTPS, and optionally STUN and TURN on one UDP port.
// See package relay, package turnserver and README.md.
package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/porchlight/porchlight/signaling/relay"
	"github.com/porchlight/porchlight/signaling/turnserver"
	"github.com/porchlight/porchlight/signaling/wire"
)

// version is set at build time: -ldflags "-X main.version=v1.2.3".
var version = "dev"

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

type options struct {
	listen, stun, publicIP, tlsCert, tlsKey string
	publicURLs                              urlList
	turn, allowPrivate, debug, jsonLogs     bool
	relay                                   relay.Config
	turnCfg                                 turnserver.Config
}

func parseFlags(args []string) (*options, error) {
	o := &options{}
	fs := flag.NewFlagSet("porchlight-relay", flag.ContinueOnError)
	fs.StringVar(&o.listen, "listen", "127.0.0.1:7447", "`host:port` for HTTP(S) and WebSocket")
	fs.Var(&o.publicURLs, "public-url", "`URL` clients dial, e.g. wss://relay.example.org/v1/ws (repeatable; default ws[s]://LISTEN/v1/ws)")
	fs.StringVar(&o.stun, "stun", "", "UDP `host:port` for STUN (off when empty)")
	fs.BoolVar(&o.turn, "turn", false, "also offer TURN on the STUN port, to logged-in clients only")
	fs.StringVar(&o.publicIP, "public-ip", "", "the `IP` TURN hands out for relayed candidates (default: the --stun host)")
	fs.StringVar(&o.tlsCert, "tls-cert", "", "certificate chain `file` (PEM): serve https and wss")
	fs.StringVar(&o.tlsKey, "tls-key", "", "private key `file` (PEM) for --tls-cert")
	fs.BoolVar(&o.allowPrivate, "allow-private", false, "let TURN relay to loopback and private addresses (tests only)")
	fs.BoolVar(&o.debug, "debug", false, "log every connection (never payloads or addresses)")
	fs.BoolVar(&o.jsonLogs, "log-json", false, "log JSON lines instead of text")
	config := fs.String("config", "", "read flags from `file` (key = value lines; flags win)")

	r := &o.relay
	fs.IntVar(&r.MaxConnections, "max-connections", 10000, "connections in all")
	fs.IntVar(&r.MaxConnectionsPerIP, "max-connections-per-ip", 32, "connections from one IP")
	fs.Float64Var(&r.NewConnectionsPerSecond, "new-connections-per-second", 200, "new connections per second in all")
	fs.Float64Var(&r.NewConnectionsPerSecondPerIP, "new-connections-per-second-per-ip", 2, "new connections per second from one IP (burst 16)")
	fs.Float64Var(&r.MessagesPerSecond, "messages-per-second", 10, "frames per second per key (burst 50)")
	fs.DurationVar(&r.IdleTimeout, "idle-timeout", 60*time.Second, "drop a client silent this long")
	fs.IntVar(&r.MailboxTotalBytes, "mailbox-total-bytes", 64<<20, "payload bytes held for offline clients, in all")
	t := &o.turnCfg
	fs.DurationVar(&t.CredentialTTL, "turn-credential-ttl", 10*time.Minute, "how long TURN credentials stay valid")
	fs.Int64Var(&t.ClientBytesPerHour, "turn-client-bytes-per-hour", 1<<30, "bytes TURN relays for one client in an hour")
	fs.Int64Var(&t.ClientBytesPerSecond, "turn-client-bytes-per-second", 1<<20, "bytes per second TURN relays for one client")
	fs.Int64Var(&t.TotalBytesPerSecond, "turn-total-bytes-per-second", 32<<20, "bytes per second TURN relays in all")

	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	if *config != "" {
		if err := loadConfig(fs, *config); err != nil {
			return nil, err
		}
	}
	switch {
	case (o.tlsCert == "") != (o.tlsKey == ""):
		return nil, errors.New("--tls-cert and --tls-key go together")
	case o.turn && o.stun == "":
		return nil, errors.New("--turn needs --stun HOST:PORT: TURN runs on the STUN port")
	}
	return o, nil
}

func main() {
	relay.TuneMemory()
	o, err := parseFlags(os.Args[1:])
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "porchlight-relay:", err)
		os.Exit(2)
	}
	level := slog.LevelInfo
	if o.debug {
		level = slog.LevelDebug
	}
	hopts := &slog.HandlerOptions{Level: level}
	var h slog.Handler = slog.NewTextHandler(os.Stderr, hopts)
	if o.jsonLogs {
		h = slog.NewJSONHandler(os.Stderr, hopts)
	}
	logger := slog.New(h)
	if err := run(o, logger); err != nil {
		logger.Error("relay stopped", "err", err)
		os.Exit(1)
	}
}

func run(o *options, logger *slog.Logger) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	var tlsConfig *tls.Config
	if o.tlsCert != "" {
		cert, err := tls.LoadX509KeyPair(o.tlsCert, o.tlsKey)
		if err != nil {
			return fmt.Errorf("load tls certificate: %w", err)
		}
		tlsConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}
	ln, err := net.Listen("tcp", o.listen)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	if host, _, _ := net.SplitHostPort(o.listen); len(o.publicURLs) == 0 && (host == "" || net.ParseIP(host).IsUnspecified()) {
		logger.Warn("listening on all interfaces without --public-url: logins are bound to the URL clients dial, so name it")
	}
	cfg := o.relay
	cfg.PublicURLs, cfg.ListenAddr, cfg.Version = o.publicURLs, ln.Addr().String(), version
	if len(cfg.PublicURLs) == 0 && tlsConfig != nil {
		cfg.PublicURLs = []string{"wss://" + ln.Addr().String() + wire.Path}
	}
	var stun *turnserver.Server
	var relayPtr atomic.Pointer[relay.Server]
	if o.stun != "" {
		tc := o.turnCfg
		tc.Listen, tc.TURN, tc.AllowPrivate = o.stun, o.turn, o.allowPrivate
		if tc.PublicIP, err = publicIP(o); err != nil {
			ln.Close()
			return err
		}
		tc.Peers = peersOf{&relayPtr}
		if stun, err = turnserver.Start(tc, logger); err != nil {
			ln.Close()
			return err
		}
		defer stun.Close()
		cfg.STUN = true
		if o.turn {
			cfg.TURN = stun
		}
		logger.Info("stun listening", "addr", stun.Addr().String(), "turn", o.turn, "public_ip", tc.PublicIP)
	}
	r := relay.New(cfg, logger)
	relayPtr.Store(r)
	srv := &http.Server{Handler: r, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 60 * time.Second, TLSConfig: tlsConfig}
	logger.Info("relay listening", "addr", ln.Addr().String(), "tls", tlsConfig != nil, "urls", r.URLs(), "version", version)

	errc := make(chan error, 1)
	go func() {
		if tlsConfig != nil {
			errc <- srv.ServeTLS(ln, "", "")
		} else {
			errc <- srv.Serve(ln)
		}
	}()
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

// publicIP is --public-ip, or the --stun host when it names one address.
func publicIP(o *options) (net.IP, error) {
	s := o.publicIP
	if s == "" {
		s, _, _ = net.SplitHostPort(o.stun)
	}
	ip := net.ParseIP(s)
	if ip != nil && !ip.IsUnspecified() {
		return ip, nil
	}
	if o.turn {
		return nil, errors.New("--turn needs --public-ip IP (the address clients reach the STUN port at)")
	}
	return nil, nil
}

// peersOf breaks the cycle between the TURN server (which asks the relay
// about its clients) and the relay (which asks TURN for credentials).
type peersOf struct{ relay *atomic.Pointer[relay.Server] }

func (p peersOf) HasClientIP(ip net.IP) bool {
	r := p.relay.Load()
	return r != nil && r.HasClientIP(ip)
}

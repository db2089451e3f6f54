// Package app is Porchlight's core and its composition root: New wires the
// identity, the store, the relays, the links to friends, the services and
// the local API together, and Run serves them until the context ends. Every
// user interface reaches the core only through the local API (see app/api).
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/porchlight/porchlight/app/api"
	"github.com/porchlight/porchlight/app/datadir"
	"github.com/porchlight/porchlight/app/davproxy"
	"github.com/porchlight/porchlight/app/discovery"
	"github.com/porchlight/porchlight/app/envelope"
	"github.com/porchlight/porchlight/app/events"
	"github.com/porchlight/porchlight/app/identity"
	"github.com/porchlight/porchlight/app/link"
	"github.com/porchlight/porchlight/app/localapi"
	"github.com/porchlight/porchlight/app/relaypool"
	"github.com/porchlight/porchlight/app/store"
)

// Version is the build's version, set by the linker.
var Version = "dev"

// Config is what a resident (or a test) chooses when starting the core.
type Config struct {
	// DataDir holds the identity, the database and the local API socket.
	DataDir string
	// Name is the resident's display name; empty keeps the stored one.
	Name string
	// Relays are added to the resident's relays.
	Relays []string
	// Interfaces limits ICE, mDNS and LAN listeners; empty means all.
	Interfaces []string
	Logger     *slog.Logger
}

// App is a running Porchlight core.
type App struct {
	cfg      Config
	log      *slog.Logger
	lock     *datadir.Lock
	id       *identity.Identity
	store    *store.Store
	opener   *envelope.Opener
	bus      *events.Bus
	pool     *relaypool.Pool
	links    *links
	xfers    *transfers
	mounts   mounts
	codes    codes
	requests requests
	started  time.Time
	socket   string

	mu     sync.Mutex
	routes map[[32]byte]route
	ctx    context.Context
	disco  *discovery.Service
	// lanRestart asks the LAN listener and discovery to start again (the
	// visibility changed).
	lanRestart chan struct{}
	stop       context.CancelFunc // ends Run
	closeOnce  sync.Once
	closeErr   error
	restarting bool // Run ends to start again (a backup was restored)
}

// ErrRestart is what Run returns when the core should be made again with
// New and run (a restored backup changed who the resident is).
var ErrRestart = errors.New("porchlight must start again")

// restartSoon ends Run with ErrRestart, after a moment for the answer of
// the request that asked for it to leave.
func (a *App) restartSoon() {
	a.mu.Lock()
	a.restarting = true
	stop := a.stop
	a.mu.Unlock()
	if stop != nil {
		time.AfterFunc(300*time.Millisecond, stop)
	}
}

// New opens the data dir (taking its lock), loads or creates the identity
// and the store, and records the configured name and relays. The caller
// must Close the App if Run is not called.
func New(ctx context.Context, cfg Config) (*App, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if err := datadir.Ensure(cfg.DataDir); err != nil {
		return nil, err
	}
	lock, err := datadir.Acquire(cfg.DataDir)
	if err != nil {
		return nil, err
	}
	a := &App{cfg: cfg, log: cfg.Logger, lock: lock, bus: events.New(), routes: make(map[[32]byte]route), socket: api.SocketPath(cfg.DataDir)}
	if err := a.open(ctx); err != nil {
		a.Close()
		return nil, err
	}
	return a, nil
}

func (a *App) open(ctx context.Context) error {
	var err error
	if a.id, err = identity.LoadOrCreate(a.cfg.DataDir); err != nil {
		return err
	}
	if a.store, err = store.Open(ctx, a.cfg.DataDir+"/"+store.FileName); err != nil {
		return err
	}
	if a.cfg.Name != "" {
		name, err := cleanName(a.cfg.Name)
		if err != nil {
			return fmt.Errorf("--name: %w", err)
		}
		if err := a.store.SetSetting(ctx, "name", name); err != nil {
			return err
		}
	}
	for _, r := range a.cfg.Relays {
		if err := a.store.AddRelay(ctx, r, "flag"); err != nil {
			return err
		}
	}
	a.opener = envelope.NewOpener(a.id)
	a.pool = relaypool.New(a.id.SigningKey(), a.receive, a.log.With("subsystem", "relay"))
	a.links = newLinks(a)
	a.xfers = newTransfers(a)
	a.mounts.byName = map[string]*davproxy.Proxy{}
	a.codes.init()
	a.requests.init()
	a.lanRestart = make(chan struct{}, 1)
	return nil
}

// ID is the resident's peer ID.
func (a *App) ID() string { return a.id.ID() }

// Socket is the local API's Unix socket path.
func (a *App) Socket() string { return a.socket }

// Run serves the local API and keeps the relays, links and retries going
// until ctx ends, then stops everything and releases the data dir.
func (a *App) Run(ctx context.Context) error {
	defer a.Close()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	a.mu.Lock()
	a.ctx, a.stop = ctx, cancel
	a.mu.Unlock()
	a.started = time.Now()

	ln, err := a.listen()
	if err != nil {
		return err
	}
	defer os.Remove(a.socket)
	srv := &http.Server{Handler: localapi.New(a, a.log.With("subsystem", "localapi")), ReadHeaderTimeout: 10 * time.Second}

	relays, err := a.store.Relays(ctx)
	if err != nil {
		return err
	}
	for _, r := range relays {
		a.pool.Add(r)
	}
	a.pool.OnChange(a.publishStatus)
	if err := a.refreshRoutes(ctx); err != nil {
		return err
	}
	if err := a.xfers.resumeAll(ctx); err != nil {
		return err
	}

	var wg sync.WaitGroup
	serve := func(name string, fn func(context.Context) error) {
		wg.Go(func() { a.supervise(ctx, name, fn) })
	}
	serve("relays", a.pool.Serve)
	serve("joins", a.retryJoins)
	serve("lan", a.serveLAN)
	go a.sweepUploads(ctx, a.started)
	// Without its local API nobody can reach the core, and its listener
	// cannot be served again: the core stops.
	wg.Go(func() {
		go func() { <-ctx.Done(); srv.Close() }()
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) && ctx.Err() == nil {
			a.log.Error("local API stopped", "err", err)
			cancel()
		}
	})
	a.log.Info("porchlight running", "id", a.id.ID(), "socket", a.socket, "relays", len(relays))
	<-ctx.Done()
	a.links.closeAll()
	a.mounts.closeAll()
	wg.Wait()
	a.mu.Lock()
	restarting := a.restarting
	a.mu.Unlock()
	if restarting {
		a.log.Info("porchlight stopped, to start again")
		return ErrRestart
	}
	a.log.Info("porchlight stopped")
	return nil
}

func (a *App) listen() (net.Listener, error) {
	// We hold the data dir's lock, so any socket file left here is stale.
	os.Remove(a.socket)
	ln, err := net.Listen("unix", a.socket)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", a.socket, err)
	}
	if err := os.Chmod(a.socket, 0o600); err != nil {
		ln.Close()
		return nil, fmt.Errorf("protect %s: %w", a.socket, err)
	}
	return ln, nil
}

// Backoff between restarts of a service that stopped.
var (
	superviseMin = time.Second
	superviseMax = time.Minute
)

// supervise runs fn until ctx ends, starting it again, with backoff,
// whenever it stops: one part's trouble (say, a network interface gone
// while the LAN listener starts) must not stop the whole core. A service
// that ran for superviseMax before stopping starts again at once.
func (a *App) supervise(ctx context.Context, name string, fn func(context.Context) error) {
	wait := superviseMin
	for {
		started := time.Now()
		err := fn(ctx)
		if ctx.Err() != nil {
			return
		}
		if time.Since(started) >= superviseMax {
			wait = superviseMin
		}
		a.log.Warn("service stopped; starting it again", "service", name, "err", err, "in", wait)
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = min(2*wait, superviseMax)
	}
}

// Close releases the store and the data dir lock. The store stays set: a
// goroutine still finishing (a transfer saving its progress) gets an error
// from the closed database rather than a nil pointer.
func (a *App) Close() error {
	a.closeOnce.Do(func() {
		var errs []error
		if a.store != nil {
			errs = append(errs, a.store.Close())
		}
		if a.lock != nil {
			errs = append(errs, a.lock.Release())
		}
		a.closeErr = errors.Join(errs...)
	})
	return a.closeErr
}

// Subscribe follows the core's events (localapi.Core).
func (a *App) Subscribe() (<-chan api.Event, func()) { return a.bus.Subscribe() }

func (a *App) publishStatus() {
	st := a.Status(context.Background())
	a.bus.Publish(api.Event{Type: api.EventStatus, Status: &st})
}

// linkConfig is how WebRTC links are made: ICE only on the chosen
// interfaces, with STUN and TURN only from the resident's relays.
func (a *App) linkConfig(ctx context.Context) link.Config {
	return link.Config{Interfaces: a.cfg.Interfaces, ICEServers: a.pool.ICEServers(ctx), Logger: a.log.With("subsystem", "link")}
}

func (a *App) runCtx() context.Context {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.ctx == nil {
		return context.Background()
	}
	return a.ctx
}

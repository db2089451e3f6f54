package discovery

import (
	"context"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"net"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"time"
)

// ServiceType is the DNS-SD service Porchlight advertises and browses.
const ServiceType = "_porchlight._tcp"

// Visibility settings (see DESIGN, Discovery).
const (
	VisibilityVisible = "visible" // name and ID
	VisibilityFriends = "friends" // a rotating token only friends recognise
	VisibilityHidden  = "hidden"  // nothing published
)

// Browsing rhythm.
const (
	defaultTTL    = 20 * time.Second
	warmUp        = 5 * time.Second // query every second for this long
	warmUpPeriod  = time.Second
	minSteadyStep = time.Second
	maxSteadyStep = 10 * time.Second
)

// Config says what to publish and where.
type Config struct {
	// Interfaces to advertise and browse on. Empty means every interface
	// that is up, multicast-capable and not loopback. Only loopback ones
	// ("lo") means discovery is off.
	Interfaces []string
	// Port is the LAN listener's port, advertised in the SRV record.
	Port int
	// Visibility is VisibilityVisible, VisibilityFriends (the default when
	// empty) or VisibilityHidden.
	Visibility string
	// ID and Name are ours; published only when visible.
	ID, Name string
	// DiscoverySecret is ours, shared with every friend; it makes our
	// friends-only token. Required in friends mode.
	DiscoverySecret []byte
	// FriendSecrets returns each friend's discovery secret by friend ID, to
	// recognise their tokens. Nil recognises nobody.
	FriendSecrets func() map[string][]byte
	// TTL is the TTL of our records and how long a neighbour that stopped
	// answering is kept. Zero means 20 s.
	TTL time.Duration
	// Logger receives the package's logs (and the library's, at debug
	// level); nil discards them.
	Logger *slog.Logger
}

// Neighbour is a Porchlight (or other _porchlight._tcp) service seen on
// the network: a hint, until the LAN handshake proves who it is.
type Neighbour struct {
	// ID is the published ID (visible) or the friend whose token it is
	// (friends only); "" when unknown.
	ID string `json:"id,omitempty"`
	// Name is the published name (visible), or the instance name of a
	// service that publishes neither ID nor token.
	Name string `json:"name,omitempty"`
	// Addrs are the LAN listener's addresses.
	Addrs []netip.AddrPort `json:"addrs"`
	// Token is the friends-only token, if that is what it publishes.
	Token string `json:"token,omitempty"`
	// Instance is the DNS-SD instance name, unique on the link.
	Instance string `json:"instance"`
	// Seen is when it last answered.
	Seen time.Time `json:"seen"`
}

// Service advertises us and keeps the list of neighbours.
type Service struct {
	cfg    Config
	log    *slog.Logger
	libLog *log.Logger
	ifaces []*net.Interface // nil when discovery is off

	mu         sync.Mutex
	neighbours map[string]*Neighbour // by instance
	onChange   []func()
}

// New checks cfg and finds its interfaces.
func New(cfg Config) (*Service, error) {
	switch cfg.Visibility {
	case "":
		cfg.Visibility = VisibilityFriends
	case VisibilityVisible, VisibilityFriends, VisibilityHidden:
	default:
		return nil, fmt.Errorf("new discovery: unknown visibility %q", cfg.Visibility)
	}
	if cfg.Visibility != VisibilityHidden && (cfg.Port <= 0 || cfg.Port > 65535) {
		return nil, fmt.Errorf("new discovery: bad port %d", cfg.Port)
	}
	if cfg.Visibility == VisibilityVisible && cfg.ID == "" {
		return nil, errors.New("new discovery: visible needs an ID")
	}
	if cfg.Visibility == VisibilityFriends && len(cfg.DiscoverySecret) < 16 {
		return nil, errors.New("new discovery: friends-only needs a discovery secret of 16 bytes or more")
	}
	if cfg.TTL <= 0 {
		cfg.TTL = defaultTTL
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	ifaces, err := interfaces(cfg.Interfaces)
	if err != nil {
		return nil, fmt.Errorf("new discovery: %w", err)
	}
	return &Service{
		cfg:        cfg,
		log:        logger,
		libLog:     slog.NewLogLogger(logger.With("lib", "mdns").Handler(), slog.LevelDebug),
		ifaces:     ifaces,
		neighbours: make(map[string]*Neighbour),
	}, nil
}

// interfaces resolves names; nil (discovery off) when all are loopback.
func interfaces(names []string) ([]*net.Interface, error) {
	if len(names) == 0 {
		all, err := net.Interfaces()
		if err != nil {
			return nil, fmt.Errorf("list interfaces: %w", err)
		}
		var out []*net.Interface
		for i := range all {
			f := all[i].Flags
			if f&net.FlagUp != 0 && f&net.FlagMulticast != 0 && f&net.FlagLoopback == 0 {
				out = append(out, &all[i])
			}
		}
		return out, nil
	}
	var out []*net.Interface
	for _, name := range names {
		ifi, err := net.InterfaceByName(name)
		if err != nil {
			return nil, fmt.Errorf("find interface: %w", err)
		}
		if ifi.Flags&net.FlagLoopback == 0 {
			out = append(out, ifi)
		}
	}
	return out, nil
}

// Off reports whether discovery is off (no non-loopback interface).
func (s *Service) Off() bool { return len(s.ifaces) == 0 }

// Serve advertises and browses until ctx ends; it returns nil then.
func (s *Service) Serve(ctx context.Context) error {
	if s.Off() {
		s.log.Info("discovery off: no interface but loopback")
		<-ctx.Done()
		return nil
	}
	names := make([]string, len(s.ifaces))
	for i, ifi := range s.ifaces {
		names[i] = ifi.Name
	}
	s.log.Info("discovery on", "interfaces", names, "visibility", s.cfg.Visibility)
	var wg sync.WaitGroup
	for _, ifi := range s.ifaces {
		if s.cfg.Visibility != VisibilityHidden {
			wg.Go(func() {
				if err := s.advertise(ctx, ifi); err != nil {
					s.log.Warn("cannot advertise", "interface", ifi.Name, "err", err)
				}
			})
		}
		wg.Go(func() { s.browse(ctx, ifi) })
	}
	wg.Wait()
	return nil
}

// OnChange registers f, called (on a discovery goroutine) whenever a
// neighbour appears, changes or disappears.
func (s *Service) OnChange(f func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onChange = append(s.onChange, f)
}

// Neighbours returns the neighbours seen within the TTL, by name and
// instance.
func (s *Service) Neighbours() []Neighbour {
	s.mu.Lock()
	out := make([]Neighbour, 0, len(s.neighbours))
	for _, n := range s.neighbours {
		c := *n
		c.Addrs = slices.Clone(n.Addrs)
		out = append(out, c)
	}
	s.mu.Unlock()
	slices.SortFunc(out, func(a, b Neighbour) int {
		if c := strings.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		return strings.Compare(a.Instance, b.Instance)
	})
	return out
}

func (s *Service) notify() {
	s.mu.Lock()
	fs := slices.Clone(s.onChange)
	s.mu.Unlock()
	for _, f := range fs {
		f()
	}
}

// steadyStep is the query period after the warm-up.
func (s *Service) steadyStep() time.Duration {
	return min(max(s.cfg.TTL/3, minSteadyStep), maxSteadyStep)
}

// Package turnserver runs STUN, and optionally TURN, beside a Porchlight relay
// on one UDP port, with pion/turn.
//
// TURN here is never an open proxy:
//   - credentials are issued only to clients logged in to the relay over its
//     WebSocket (Issue), are valid for a limited time, and are an HMAC under
//     a secret that lives only in this process;
//   - a peer must be the address of a client currently logged in to the relay
//     (Peers), and never a loopback, private, link-local, CGNAT or cloud
//     metadata address unless AllowPrivate (tests in network namespaces);
//   - bytes are counted per client and in total, over an hour and per
//     second, by wrapping the relayed connections: past a quota, packets are
//     dropped.
package turnserver

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pion/logging"
	"github.com/pion/turn/v5"

	"github.com/porchlight/porchlight/signaling/relay"
)

// Peers says whether an IP address belongs to a client logged in to the
// relay. *relay.Server implements it.
type Peers interface {
	HasClientIP(ip net.IP) bool
}

// Config sets up the server. Zero quotas take the defaults in brackets.
type Config struct {
	Listen string // UDP host:port for STUN and TURN
	TURN   bool   // offer TURN; STUN only if false

	PublicIP     net.IP // the address TURN hands out for relayed candidates (required with TURN)
	RelayBind    string // the IP relay sockets bind to [the Listen host]
	AllowPrivate bool   // permit loopback and private peers: for tests only
	Peers        Peers  // required with TURN
	Realm        string // ["porchlight"]

	CredentialTTL        time.Duration // [10 minutes]
	ClientBytesPerHour   int64         // relayed per client, both directions [1 GiB]
	ClientBytesPerSecond int64         // per client, sustained [1 MiB]
	TotalBytesPerSecond  int64         // all clients [32 MiB]
}

// Server is a running STUN/TURN server. Create it with Start.
type Server struct {
	cfg    Config
	log    *slog.Logger
	conn   net.PacketConn
	turn   *turn.Server
	secret []byte
	quota  *quotas

	mu      sync.Mutex
	refused map[string]int64
}

var _ relay.TURNIssuer = (*Server)(nil)

// Start listens on cfg.Listen and serves STUN, and TURN if cfg.TURN.
func Start(cfg Config, logger *slog.Logger) (*Server, error) {
	if cfg.Realm == "" {
		cfg.Realm = "porchlight"
	}
	if cfg.CredentialTTL <= 0 {
		cfg.CredentialTTL = 10 * time.Minute
	}
	if cfg.ClientBytesPerHour <= 0 {
		cfg.ClientBytesPerHour = 1 << 30
	}
	if cfg.ClientBytesPerSecond <= 0 {
		cfg.ClientBytesPerSecond = 1 << 20
	}
	if cfg.TotalBytesPerSecond <= 0 {
		cfg.TotalBytesPerSecond = 32 << 20
	}
	if cfg.TURN && (cfg.PublicIP == nil || cfg.Peers == nil) {
		return nil, errors.New("start turn: TURN needs a public IP and the relay's peers")
	}
	conn, err := net.ListenPacket("udp", cfg.Listen)
	if err != nil {
		return nil, fmt.Errorf("listen stun: %w", err)
	}
	s := &Server{cfg: cfg, log: logger, conn: conn, secret: make([]byte, 32), refused: make(map[string]int64)}
	rand.Read(s.secret)
	s.quota = newQuotas(cfg.ClientBytesPerHour, cfg.ClientBytesPerSecond, cfg.TotalBytesPerSecond, s.refuse)

	pcc := turn.PacketConnConfig{PacketConn: conn, PermissionHandler: s.permit}
	if cfg.TURN {
		bind := cfg.RelayBind
		if bind == "" {
			bind, _, _ = net.SplitHostPort(conn.LocalAddr().String())
		}
		pcc.RelayAddressGenerator = &relayAddresses{
			RelayAddressGeneratorStatic: turn.RelayAddressGeneratorStatic{RelayAddress: cfg.PublicIP, Address: bind},
			quota:                       s.quota,
		}
	}
	lf := logging.NewDefaultLoggerFactory()
	lf.DefaultLogLevel = logging.LogLevelError
	s.turn, err = turn.NewServer(turn.ServerConfig{
		Realm:             cfg.Realm,
		AuthHandler:       s.authenticate,
		PacketConnConfigs: []turn.PacketConnConfig{pcc},
		LoggerFactory:     lf,
	})
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("start turn: %w", err)
	}
	return s, nil
}

// Addr returns the UDP address the server listens on.
func (s *Server) Addr() net.Addr { return s.conn.LocalAddr() }

// Close stops the server and its allocations.
func (s *Server) Close() error { return s.turn.Close() }

// Issue returns credentials for the client with the given public key. The
// username is "EXPIRY:CLIENT", where CLIENT is a hash of the key: the TURN
// server can tell clients apart, for quotas, without learning keys.
func (s *Server) Issue(clientKey []byte) (relay.TURNCredentials, error) {
	if !s.cfg.TURN {
		return relay.TURNCredentials{}, errors.New("issue turn credentials: TURN is off")
	}
	sum := sha256.Sum256(clientKey)
	expiry := time.Now().Add(s.cfg.CredentialTTL).Unix()
	username := strconv.FormatInt(expiry, 10) + ":" + hex.EncodeToString(sum[:8])
	_, port, _ := net.SplitHostPort(s.conn.LocalAddr().String())
	return relay.TURNCredentials{
		Username:   username,
		Password:   s.password(username),
		TTLSeconds: int(s.cfg.CredentialTTL / time.Second),
		URLs:       []string{"turn:" + net.JoinHostPort(s.cfg.PublicIP.String(), port) + "?transport=udp"},
	}, nil
}

func (s *Server) password(username string) string {
	mac := hmac.New(sha256.New, s.secret)
	mac.Write([]byte(username))
	return base64.RawStdEncoding.EncodeToString(mac.Sum(nil))
}

// authenticate checks a TURN username issued by Issue that has not expired.
// The user ID that quotas count against is the client's hash.
func (s *Server) authenticate(ra *turn.RequestAttributes) (string, []byte, bool) {
	if !s.cfg.TURN {
		return "", nil, false
	}
	expiry, client, ok := strings.Cut(ra.Username, ":")
	t, err := strconv.ParseInt(expiry, 10, 64)
	if !ok || err != nil || client == "" {
		s.refuse("bad_username")
		return "", nil, false
	}
	if time.Now().Unix() > t {
		s.refuse("expired_credentials")
		return "", nil, false
	}
	return client, turn.GenerateAuthKey(ra.Username, ra.Realm, s.password(ra.Username)), true
}

// permit is the TURN permission check: see the package comment.
func (s *Server) permit(_ net.Addr, peer net.IP) bool {
	if reason := s.refusePeer(peer); reason != "" {
		s.refuse(reason)
		s.log.Debug("turn permission refused", "reason", reason)
		return false
	}
	return true
}

func (s *Server) refusePeer(peer net.IP) string {
	if isMetadata(peer) {
		return "peer_metadata"
	}
	if !s.cfg.AllowPrivate && isNonPublic(peer) {
		return "peer_not_public"
	}
	if peer.Equal(s.cfg.PublicIP) {
		return "" // another allocation on this server
	}
	if !s.cfg.Peers.HasClientIP(peer) {
		return "peer_not_a_client"
	}
	return ""
}

func (s *Server) refuse(reason string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refused[reason]++
}

// Stats reports allocations, relayed bytes and refusals.
func (s *Server) Stats() relay.TURNStats {
	s.mu.Lock()
	refused := make(map[string]int64, len(s.refused))
	for k, v := range s.refused {
		refused[k] = v
	}
	s.mu.Unlock()
	return relay.TURNStats{Allocations: s.turn.AllocationCount(), BytesRelayed: s.quota.total.Load(), Refused: refused}
}

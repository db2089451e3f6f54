package lan

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"sync"
	"time"
)

// Visibility settings (see DESIGN, Discovery). On the LAN listener they
// differ only in how a caller with a wrong proof is turned away.
const (
	// VisibilityVisible answers a wrong proof with a refusal byte, so a
	// former friend's app can say "no longer friends".
	VisibilityVisible = "visible"
	// VisibilityFriends closes on a wrong proof without a word.
	VisibilityFriends = "friends"
	// VisibilityHidden closes on a wrong proof without a word.
	VisibilityHidden = "hidden"
)

// maxHandshakes bounds the connections being authenticated at once.
const maxHandshakes = 64

// Config says who we are and where and how to listen.
type Config struct {
	// Key is our identity key; the peer checks our certificate against it.
	Key ed25519.PrivateKey
	// Interfaces limits the listener to these interfaces' addresses (e.g.
	// "lo", "veth0"). Empty means all addresses. Dial ignores it.
	Interfaces []string
	// Port to listen on; 0 picks one (the same on every address).
	Port int
	// Visibility is VisibilityVisible, VisibilityFriends (the default when
	// empty) or VisibilityHidden.
	Visibility string
	// Friends returns the current friendship secrets by friend ID (see
	// identity.IDOf). A caller links only if it proves one of them and then
	// presents that friend's key. Dial ignores it.
	Friends func() map[string][]byte
	// OnWrongPeer, if set, is told of every peer refused for presenting an
	// identity key other than the one its proof or its address promised.
	OnWrongPeer func(*WrongPeerError)
	// OnIntro, if set, takes introductions (friend requests from
	// neighbours who are not friends yet) when Visibility is visible: it
	// gets the caller's ID and owns the TLS connection.
	OnIntro func(peerID string, conn net.Conn)
	// Logger receives the package's logs; nil discards them.
	Logger *slog.Logger
}

func (cfg Config) logger() *slog.Logger {
	if cfg.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return cfg.Logger
}

// reportWrongPeer logs err and tells OnWrongPeer if it is a key mismatch.
func (cfg Config) reportWrongPeer(err error) {
	var wrong *WrongPeerError
	if !errors.As(err, &wrong) {
		return
	}
	cfg.logger().Warn("lan peer presented the wrong key", "addr", wrong.Addr, "want", wrong.Want, "got", wrong.Got)
	if cfg.OnWrongPeer != nil {
		cfg.OnWrongPeer(wrong)
	}
}

// Listener accepts LAN links from friends.
type Listener struct {
	cfg    Config
	log    *slog.Logger
	cert   tls.Certificate
	onConn func(peerID string, c *Conn)

	listeners  []net.Listener
	addrs      []netip.AddrPort
	handshakes chan struct{} // one token per handshake in progress

	mu      sync.Mutex
	closed  bool
	pending map[[tokenSize]byte]*pendingLink // first connections awaiting their second
}

// pendingLink is an authenticated first connection waiting for the second.
type pendingLink struct {
	peerID string
	conn   *tls.Conn
	timer  *time.Timer
}

// Listen starts accepting links on cfg's interfaces until ctx ends or Close
// is called. onConn receives each new link (its Serve not yet called) on
// its own goroutine. Links already made outlive the listener.
func Listen(ctx context.Context, cfg Config, onConn func(peerID string, c *Conn)) (*Listener, error) {
	switch cfg.Visibility {
	case "":
		cfg.Visibility = VisibilityFriends
	case VisibilityVisible, VisibilityFriends, VisibilityHidden:
	default:
		return nil, fmt.Errorf("listen lan: unknown visibility %q", cfg.Visibility)
	}
	if cfg.Friends == nil || onConn == nil {
		return nil, errors.New("listen lan: Friends and onConn are required")
	}
	cert, err := certificate(cfg.Key)
	if err != nil {
		return nil, fmt.Errorf("listen lan: %w", err)
	}
	l := &Listener{
		cfg:        cfg,
		log:        cfg.logger(),
		cert:       cert,
		onConn:     onConn,
		handshakes: make(chan struct{}, maxHandshakes),
		pending:    make(map[[tokenSize]byte]*pendingLink),
	}
	if err := l.listen(ctx); err != nil {
		_ = l.Close()
		return nil, fmt.Errorf("listen lan: %w", err)
	}
	for _, ln := range l.listeners {
		go l.accept(ln)
	}
	context.AfterFunc(ctx, func() { _ = l.Close() })
	l.log.Info("lan listening", "addrs", l.addrs, "visibility", cfg.Visibility)
	return l, nil
}

// listen opens one TCP listener per address, all on the same port.
func (l *Listener) listen(ctx context.Context) error {
	var lc net.ListenConfig
	if len(l.cfg.Interfaces) == 0 {
		ln, err := lc.Listen(ctx, "tcp", fmt.Sprintf(":%d", l.cfg.Port))
		if err != nil {
			return err
		}
		l.listeners = append(l.listeners, ln)
		l.addrs = append(l.addrs, ln.Addr().(*net.TCPAddr).AddrPort())
		return nil
	}
	addrs, err := InterfaceAddrs(l.cfg.Interfaces)
	if err != nil {
		return err
	}
	port := l.cfg.Port
	for _, addr := range addrs {
		ln, err := lc.Listen(ctx, "tcp", netip.AddrPortFrom(addr, uint16(port)).String())
		if err != nil {
			return err
		}
		l.listeners = append(l.listeners, ln)
		bound := ln.Addr().(*net.TCPAddr).AddrPort()
		port = int(bound.Port())
		l.addrs = append(l.addrs, netip.AddrPortFrom(addr, bound.Port()))
	}
	return nil
}

// InterfaceAddrs returns the unicast addresses of the named interfaces;
// IPv6 link-local ones carry the interface as their zone.
func InterfaceAddrs(names []string) ([]netip.Addr, error) {
	var out []netip.Addr
	for _, name := range names {
		ifi, err := net.InterfaceByName(name)
		if err != nil {
			return nil, fmt.Errorf("find interface: %w", err)
		}
		addrs, err := ifi.Addrs()
		if err != nil {
			return nil, fmt.Errorf("list addresses of %s: %w", name, err)
		}
		for _, a := range addrs {
			prefix, ok := a.(*net.IPNet)
			if !ok {
				continue
			}
			ip, ok := netip.AddrFromSlice(prefix.IP)
			if !ok {
				continue
			}
			ip = ip.Unmap()
			if ip.Is6() && ip.IsLinkLocalUnicast() {
				ip = ip.WithZone(name)
			}
			out = append(out, ip)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("find addresses: none on interfaces %v", names)
	}
	return out, nil
}

// Addrs returns the addresses the listener accepts on. With no Interfaces
// configured it is the wildcard address.
func (l *Listener) Addrs() []netip.AddrPort {
	return append([]netip.AddrPort(nil), l.addrs...)
}

// Close stops accepting links and drops half-made ones.
func (l *Listener) Close() error {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return nil
	}
	l.closed = true
	pending := l.pending
	l.pending = nil
	l.mu.Unlock()
	for _, p := range pending {
		p.timer.Stop()
		_ = p.conn.Close()
	}
	var errs []error
	for _, ln := range l.listeners {
		errs = append(errs, ln.Close())
	}
	return errors.Join(errs...)
}

func (l *Listener) isClosed() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.closed
}

func (l *Listener) accept(ln net.Listener) {
	for {
		conn, err := ln.Accept()
		if err != nil {
			if l.isClosed() || errors.Is(err, net.ErrClosed) {
				return
			}
			l.log.Warn("lan accept failed", "err", err)
			time.Sleep(100 * time.Millisecond)
			continue
		}
		select {
		case l.handshakes <- struct{}{}:
			go func() {
				defer func() { <-l.handshakes }()
				l.handle(conn)
			}()
		default:
			l.log.Warn("lan handshakes at their limit; dropping a connection", "remote", conn.RemoteAddr())
			_ = conn.Close()
		}
	}
}

// handle authenticates one incoming connection and pairs it into a link.
func (l *Listener) handle(raw net.Conn) {
	remote := raw.RemoteAddr().(*net.TCPAddr).AddrPort()
	log := l.log.With("remote", remote)
	if err := l.handshake(raw, remote); err != nil {
		_ = raw.Close()
		l.cfg.reportWrongPeer(err)
		log.Debug("lan connection refused", "err", err)
	}
}

func (l *Listener) handshake(raw net.Conn, remote netip.AddrPort) error {
	_ = raw.SetDeadline(time.Now().Add(handshakeTimeout))
	nonce, err := newNonce()
	if err != nil {
		return err
	}
	if _, err := raw.Write(nonce); err != nil {
		return fmt.Errorf("send nonce: %w", err)
	}
	p := make([]byte, proofSize)
	if _, err := io.ReadFull(raw, p); err != nil {
		return fmt.Errorf("read proof: %w", err)
	}
	if l.cfg.Visibility == VisibilityVisible && l.cfg.OnIntro != nil && isIntroduction(nonce, p) {
		return l.introduce(raw, remote)
	}
	peerID := matchFriend(l.cfg.Friends(), nonce, p)
	if peerID == "" {
		if l.cfg.Visibility == VisibilityVisible {
			_, _ = raw.Write([]byte{statusRefused})
		}
		return errors.New("check proof: no friend's secret matches")
	}
	if _, err := raw.Write([]byte{statusAccepted}); err != nil {
		return fmt.Errorf("accept proof: %w", err)
	}
	conf, err := tlsConfig(l.cert, peerID, remote)
	if err != nil {
		return err
	}
	conn := tls.Server(raw, conf)
	if err := conn.Handshake(); err != nil {
		return fmt.Errorf("tls handshake: %w", err)
	}
	if err := checkProtocol(conn); err != nil {
		return err
	}
	role := make([]byte, 1)
	if _, err := io.ReadFull(conn, role); err != nil {
		return fmt.Errorf("read role: %w", err)
	}
	switch role[0] {
	case roleFirst:
		return l.hold(peerID, conn)
	case roleSecond:
		return l.pair(peerID, remote, conn)
	default:
		return fmt.Errorf("read role: unknown role %#x", role[0])
	}
}

// hold keeps a first connection until its second arrives, and gives the
// dialer the token that names it.
func (l *Listener) hold(peerID string, conn *tls.Conn) error {
	var token [tokenSize]byte
	if _, err := rand.Read(token[:]); err != nil {
		return fmt.Errorf("make token: %w", err)
	}
	p := &pendingLink{peerID: peerID, conn: conn}
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return net.ErrClosed
	}
	l.pending[token] = p
	p.timer = time.AfterFunc(handshakeTimeout, func() {
		if l.take(token) != nil {
			_ = conn.Close()
		}
	})
	l.mu.Unlock()
	if _, err := conn.Write(token[:]); err != nil {
		l.take(token)
		return fmt.Errorf("send token: %w", err)
	}
	return nil
}

// take removes and returns the pending link named by token, if any.
func (l *Listener) take(token [tokenSize]byte) *pendingLink {
	l.mu.Lock()
	defer l.mu.Unlock()
	p := l.pending[token]
	delete(l.pending, token)
	return p
}

// pair joins a second connection to its first and hands out the link.
func (l *Listener) pair(peerID string, remote netip.AddrPort, conn *tls.Conn) error {
	var token [tokenSize]byte
	if _, err := io.ReadFull(conn, token[:]); err != nil {
		return fmt.Errorf("read token: %w", err)
	}
	first := l.take(token)
	if first == nil {
		return errors.New("pair connections: unknown token")
	}
	first.timer.Stop()
	if first.peerID != peerID {
		_ = first.conn.Close()
		return errors.New("pair connections: the two connections are from different friends")
	}
	if _, err := conn.Write([]byte{statusAccepted}); err != nil {
		_ = first.conn.Close()
		return fmt.Errorf("confirm pairing: %w", err)
	}
	_ = first.conn.SetDeadline(time.Time{})
	_ = conn.SetDeadline(time.Time{})
	c, err := newConn(peerID, remote, conn, first.conn, l.log)
	if err != nil {
		return err
	}
	l.log.Info("lan link accepted", "peer", peerID, "remote", remote)
	l.onConn(peerID, c)
	return nil
}

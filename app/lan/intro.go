package lan

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"time"

	"github.com/porchlight/porchlight/app/identity"
)

// introSecret is public on purpose: its proof says "I am not a friend, I
// would like to be introduced". Only a visible listener with an OnIntro
// hook accepts it; friends-only and hidden listeners treat it as any wrong
// proof and say nothing.
var introSecret = []byte("porchlight/v1/lan-introduction")

// ErrNoIntroductions means the neighbour does not take introductions (it
// is not visible, or not listening for them).
var ErrNoIntroductions = errors.New("this neighbour does not take friend requests")

// Introduce opens a TLS connection to a visible neighbour who published
// wantID, to ask for a friendship; the neighbour must hold wantID's key.
// The caller owns the connection.
func Introduce(ctx context.Context, cfg Config, addr netip.AddrPort, wantID string) (net.Conn, error) {
	cert, err := certificate(cfg.Key)
	if err != nil {
		return nil, err
	}
	conf, err := tlsConfig(cert, wantID, addr)
	if err != nil {
		return nil, err
	}
	conn, err := open(ctx, conf, addr, introSecret)
	if errors.Is(err, ErrNotFriend) || errors.Is(err, ErrRefused) {
		return nil, ErrNoIntroductions
	}
	if err != nil {
		cfg.reportWrongPeer(err)
		return nil, fmt.Errorf("introduce to %s at %v: %w", identity.Short(wantID), addr, err)
	}
	_ = conn.SetDeadline(time.Time{})
	return conn, nil
}

func isIntroduction(nonce, p []byte) bool { return hmac.Equal(p, proof(introSecret, nonce)) }

// introduce finishes an introduction on the listener's side: TLS with a
// caller of any key, then the connection goes to OnIntro.
func (l *Listener) introduce(raw net.Conn, remote netip.AddrPort) error {
	if _, err := raw.Write([]byte{statusAccepted}); err != nil {
		return fmt.Errorf("accept introduction: %w", err)
	}
	var peerID string
	conf := &tls.Config{
		Certificates:       []tls.Certificate{l.cert},
		MinVersion:         tls.VersionTLS13,
		MaxVersion:         tls.VersionTLS13,
		NextProtos:         []string{alpn},
		ClientAuth:         tls.RequireAnyClientCert,
		InsecureSkipVerify: true, // any key may ask; the key is who asks
		VerifyPeerCertificate: func(raw [][]byte, _ [][]*x509.Certificate) error {
			if len(raw) == 0 {
				return errors.New("check caller: no certificate")
			}
			leaf, err := x509.ParseCertificate(raw[0])
			if err != nil {
				return fmt.Errorf("check caller: %w", err)
			}
			pub, ok := leaf.PublicKey.(ed25519.PublicKey)
			if !ok || bytes.Equal(pub, l.cfg.Key.Public().(ed25519.PublicKey)) {
				return errors.New("check caller: not an Ed25519 identity of someone else")
			}
			peerID = identity.IDOf(pub)
			return nil
		},
	}
	conn := tls.Server(raw, conf)
	if err := conn.Handshake(); err != nil {
		return fmt.Errorf("tls handshake: %w", err)
	}
	if err := checkProtocol(conn); err != nil {
		return err
	}
	_ = conn.SetDeadline(time.Time{})
	l.cfg.logger().Info("introduction from a neighbour", "peer", peerID, "remote", remote)
	go l.cfg.OnIntro(peerID, conn)
	return nil
}

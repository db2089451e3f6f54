package lan

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"time"

	"github.com/porchlight/porchlight/app/identity"
)

// Dial makes a LAN link to the friend peerID at addr, proving that we hold
// secret, our friendship secret with them. It fails with ErrWrongPeer if
// someone else answers there, and with ErrNotFriend or ErrRefused if the
// listener does not take our proof. Dial uses cfg's Key, OnWrongPeer and
// Logger.
func Dial(ctx context.Context, cfg Config, addr netip.AddrPort, peerID string, secret []byte) (*Conn, error) {
	c, err := dial(ctx, cfg, addr, peerID, secret)
	if err != nil {
		cfg.reportWrongPeer(err)
		return nil, fmt.Errorf("dial lan %s at %v: %w", identity.Short(peerID), addr, err)
	}
	cfg.logger().Info("lan link made", "peer", peerID, "remote", addr)
	return c, nil
}

func dial(ctx context.Context, cfg Config, addr netip.AddrPort, peerID string, secret []byte) (*Conn, error) {
	cert, err := certificate(cfg.Key)
	if err != nil {
		return nil, err
	}
	conf, err := tlsConfig(cert, peerID, addr)
	if err != nil {
		return nil, err
	}
	first, err := open(ctx, conf, addr, secret)
	if err != nil {
		return nil, err
	}
	token := make([]byte, tokenSize)
	err = exchange(first, []byte{roleFirst}, token)
	if err != nil {
		_ = first.Close()
		return nil, fmt.Errorf("open first connection: %w", err)
	}
	second, err := open(ctx, conf, addr, secret)
	if err != nil {
		_ = first.Close()
		return nil, err
	}
	status := make([]byte, 1)
	err = exchange(second, append([]byte{roleSecond}, token...), status)
	if err == nil && status[0] != statusAccepted {
		err = fmt.Errorf("peer answered %#x", status[0])
	}
	if err != nil {
		_ = first.Close()
		_ = second.Close()
		return nil, fmt.Errorf("open second connection: %w", err)
	}
	_ = first.SetDeadline(time.Time{})
	_ = second.SetDeadline(time.Time{})
	return newConn(peerID, addr, first, second, cfg.logger())
}

// exchange writes msg and reads len(reply) bytes back.
func exchange(conn net.Conn, msg, reply []byte) error {
	if _, err := conn.Write(msg); err != nil {
		return err
	}
	if _, err := io.ReadFull(conn, reply); err != nil {
		return err
	}
	return nil
}

// open makes one authenticated connection: proof, then TLS.
func open(ctx context.Context, conf *tls.Config, addr netip.AddrPort, secret []byte) (*tls.Conn, error) {
	var d net.Dialer
	raw, err := d.DialContext(ctx, "tcp", addr.String())
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(handshakeTimeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	_ = raw.SetDeadline(deadline)
	stop := context.AfterFunc(ctx, func() { _ = raw.SetDeadline(time.Unix(1, 0)) })
	defer stop()

	conn, err := authenticate(ctx, raw, conf, secret)
	if err != nil {
		_ = raw.Close()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, err
	}
	return conn, nil
}

func authenticate(ctx context.Context, raw net.Conn, conf *tls.Config, secret []byte) (*tls.Conn, error) {
	nonce := make([]byte, nonceSize)
	if _, err := io.ReadFull(raw, nonce); err != nil {
		return nil, fmt.Errorf("read nonce: %w", refusal(err))
	}
	status := make([]byte, 1)
	if err := exchange(raw, proof(secret, nonce), status); err != nil {
		return nil, fmt.Errorf("prove friendship: %w", refusal(err))
	}
	if status[0] != statusAccepted {
		return nil, ErrNotFriend
	}
	conn := tls.Client(raw, conf)
	if err := conn.HandshakeContext(ctx); err != nil {
		return nil, fmt.Errorf("tls handshake: %w", err)
	}
	if err := checkProtocol(conn); err != nil {
		return nil, err
	}
	return conn, nil
}

// refusal explains an end of stream during the opening as a refusal.
func refusal(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return ErrRefused
	}
	return err
}

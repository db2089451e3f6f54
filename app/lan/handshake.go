package lan

import (
	"bytes"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"math/big"
	"net/netip"
	"time"

	"github.com/porchlight/porchlight/app/identity"
)

// Protocol constants: see the package doc for the exchange.
const (
	alpn       = "porchlight-lan/1"
	proofLabel = "porchlight/v1/lan\x00"
	nonceSize  = 32
	proofSize  = sha256.Size
	tokenSize  = 16

	statusRefused  byte = 0x00
	statusAccepted byte = 0x01

	roleFirst  byte = 'A' // the dialer is the HTTP/2 client on this connection
	roleSecond byte = 'B' // the listener is the HTTP/2 client on this connection

	handshakeTimeout = 10 * time.Second
)

// Errors a handshake ends with; Dial returns them wrapped.
var (
	// ErrWrongPeer means the peer's identity key is not the one expected.
	// The error is a *WrongPeerError.
	ErrWrongPeer = errors.New("peer presented the wrong identity key")
	// ErrNotFriend means the listener (in "visible" mode) said it knows no
	// friendship matching our proof: we were removed, or never friends.
	ErrNotFriend = errors.New("peer does not recognise us as a friend")
	// ErrRefused means the listener closed without a word: in "friends" or
	// "hidden" mode it does not recognise us, or it is not who we think.
	ErrRefused = errors.New("peer closed the connection without answering")
)

// WrongPeerError reports a peer whose identity key is not the expected one.
type WrongPeerError struct {
	Want string         // the ID we expected
	Got  string         // the ID of the key the peer presented
	Addr netip.AddrPort // where the peer was
}

func (e *WrongPeerError) Error() string {
	return fmt.Sprintf("%v: at %v want %s, got %s", ErrWrongPeer, e.Addr, identity.Short(e.Want), identity.Short(e.Got))
}

// Is makes errors.Is(err, ErrWrongPeer) hold.
func (e *WrongPeerError) Is(target error) bool { return target == ErrWrongPeer }

// proof is what a caller who holds secret answers to nonce.
func proof(secret, nonce []byte) []byte {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(proofLabel))
	mac.Write(nonce)
	return mac.Sum(nil)
}

// matchFriend returns the friend whose secret produced p, or "".
func matchFriend(friends map[string][]byte, nonce, p []byte) string {
	match := ""
	for id, secret := range friends {
		// Compare against every friend, so the time taken does not say
		// which one matched.
		if hmac.Equal(proof(secret, nonce), p) {
			match = id
		}
	}
	return match
}

func newNonce() ([]byte, error) {
	nonce := make([]byte, nonceSize)
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("make nonce: %w", err)
	}
	return nonce, nil
}

// certificate is a self-signed certificate for key: TLS needs one, but only
// the key in it matters to the peer.
func certificate(key ed25519.PrivateKey) (tls.Certificate, error) {
	if len(key) != ed25519.PrivateKeySize {
		return tls.Certificate{}, errors.New("make certificate: no identity key")
	}
	pub := key.Public().(ed25519.PublicKey)
	template := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: identity.IDOf(pub)},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(10 * 365 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, template, template, pub, key)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("make certificate: %w", err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("make certificate: %w", err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, nil
}

// tlsConfig accepts only a peer presenting wantID's key. Chains and names
// are not checked: the key is the identity.
func tlsConfig(cert tls.Certificate, wantID string, addr netip.AddrPort) (*tls.Config, error) {
	want, err := identity.ParseID(wantID)
	if err != nil {
		return nil, fmt.Errorf("check peer: %w", err)
	}
	return &tls.Config{
		Certificates:       []tls.Certificate{cert},
		MinVersion:         tls.VersionTLS13,
		MaxVersion:         tls.VersionTLS13,
		NextProtos:         []string{alpn},
		ClientAuth:         tls.RequireAnyClientCert,
		InsecureSkipVerify: true, // replaced by the key check below
		ServerName:         "porchlight",
		VerifyPeerCertificate: func(raw [][]byte, _ [][]*x509.Certificate) error {
			if len(raw) == 0 {
				return errors.New("check peer: no certificate")
			}
			leaf, err := x509.ParseCertificate(raw[0])
			if err != nil {
				return fmt.Errorf("check peer: %w", err)
			}
			got, ok := leaf.PublicKey.(ed25519.PublicKey)
			if !ok {
				return fmt.Errorf("check peer: certificate key is %T, want Ed25519", leaf.PublicKey)
			}
			if !bytes.Equal(got, want) {
				return &WrongPeerError{Want: wantID, Got: identity.IDOf(got), Addr: addr}
			}
			return nil
		},
	}, nil
}

// checkProtocol refuses a peer that negotiated another protocol version.
func checkProtocol(c *tls.Conn) error {
	if got := c.ConnectionState().NegotiatedProtocol; got != alpn {
		return fmt.Errorf("check protocol: peer speaks %q, want %q", got, alpn)
	}
	return nil
}

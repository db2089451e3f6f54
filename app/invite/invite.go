// Package invite encodes, decodes and checks invitations: the link a resident
// sends a friend. An invite carries the inviter's keys and relays, a one-time
// secret, an expiry, what the friend is offered and a label, all signed by
// the inviter. The secret travels only inside the link (after '#' in its
// https form), never through a relay.
package invite

import (
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/porchlight/porchlight/app/identity"
)

// Version of the invite format.
const Version = 1

// SecretSize is the invite secret's length in bytes (256 bits).
const SecretSize = 32

// Scheme is the URL scheme the desktop registers for invite links.
const Scheme = "porchlight"

// MaxLinkSize bounds what Parse will look at.
const MaxLinkSize = 8 << 10

var (
	ErrNotInvite = errors.New("this is not a Porchlight invite link")
	ErrDamaged   = errors.New("this invite link is incomplete or damaged; ask for it again and copy all of it")
	ErrTampered  = errors.New("this invite link has been altered since it was made; ask for a new one")
	ErrExpired   = errors.New("this invite has expired; ask for a new one")
	ErrVersion   = errors.New("this invite was made by a newer Porchlight; update to accept it")
)

// Offer is what the inviter grants a friend who accepts.
type Offer struct {
	// Shares lists the folders the friend will see (names).
	Shares []string `json:"shares,omitempty"`
}

// Invite is a decoded, verified invitation.
type Invite struct {
	Version int             `json:"v"`
	Inviter identity.Public `json:"-"`
	Name    string          `json:"name"`
	Relays  []string        `json:"relays,omitempty"`
	Secret  []byte          `json:"secret"`
	Expires time.Time       `json:"-"`
	Label   string          `json:"label,omitempty"`
	Offer   Offer           `json:"offer"`
}

type wireInvite struct {
	Invite
	Sign    []byte `json:"k"`
	Seal    []byte `json:"x"`
	SealSig []byte `json:"xs"`
	Exp     int64  `json:"exp"`
	Sig     []byte `json:"sig,omitempty"`
}

// NewSecret returns a fresh invite secret.
func NewSecret() []byte {
	s := make([]byte, SecretSize)
	rand.Read(s)
	return s
}

// ID names an invite by its secret without revealing it.
func ID(secret []byte) string {
	h := sha256.Sum256(append([]byte("porchlight/v1/invite-id\x00"), secret...))
	return hex.EncodeToString(h[:8])
}

// ID names this invite.
func (inv *Invite) ID() string { return ID(inv.Secret) }

// Link encodes inv, signed by the inviter, as a porchlight:// link.
func Link(inviter *identity.Identity, inv Invite) (string, error) {
	payload, err := encode(inviter, inv)
	if err != nil {
		return "", err
	}
	return Scheme + "://invite#" + payload, nil
}

// WebLink is the same invite as an https link on a relay's landing page; the
// payload stays after '#', so it never reaches the relay's logs.
func WebLink(relayBase string, porchlightLink string) string {
	_, payload, _ := strings.Cut(porchlightLink, "#")
	return strings.TrimRight(relayBase, "/") + "/i#" + payload
}

func encode(inviter *identity.Identity, inv Invite) (string, error) {
	if len(inv.Secret) < 16 {
		return "", fmt.Errorf("encode invite: secret of %d bytes is too short", len(inv.Secret))
	}
	pub := inviter.Public()
	w := wireInvite{Invite: inv, Sign: pub.Sign, Seal: pub.Seal, SealSig: pub.SealSig, Exp: inv.Expires.Unix()}
	w.Version = Version
	w.Sig = nil
	unsigned, err := json.Marshal(w)
	if err != nil {
		return "", fmt.Errorf("encode invite: %w", err)
	}
	w.Sig = inviter.Sign(signedBytes(unsigned))
	signed, err := json.Marshal(w)
	if err != nil {
		return "", fmt.Errorf("encode invite: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(signed), nil
}

func signedBytes(unsigned []byte) []byte {
	return append([]byte("porchlight/v1/invite\x00"), unsigned...)
}

// Parse decodes and verifies an invite link in any of its forms
// (porchlight://invite#..., https://relay/i#..., or the bare payload). It
// does not check expiry; see Check.
func Parse(link string) (*Invite, error) {
	link = strings.TrimSpace(link)
	if link == "" {
		return nil, ErrNotInvite
	}
	if len(link) > MaxLinkSize {
		return nil, ErrDamaged
	}
	payload := link
	if strings.Contains(link, ":") {
		u, err := url.Parse(link)
		if err != nil {
			return nil, ErrNotInvite
		}
		switch {
		case u.Scheme == Scheme && u.Host == "invite":
		case (u.Scheme == "https" || u.Scheme == "http") && u.Path == "/i":
		default:
			return nil, ErrNotInvite
		}
		payload = u.Fragment
	}
	if payload == "" {
		return nil, ErrDamaged
	}
	raw, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return nil, ErrDamaged
	}
	var w wireInvite
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	if err := dec.Decode(&w); err != nil {
		return nil, ErrDamaged
	}
	if w.Version != Version {
		if w.Version > Version {
			return nil, ErrVersion
		}
		return nil, ErrDamaged
	}
	sig := w.Sig
	w.Sig = nil
	unsigned, err := json.Marshal(w)
	if err != nil {
		return nil, ErrDamaged
	}
	if len(w.Sign) != ed25519.PublicKeySize || !ed25519.Verify(w.Sign, signedBytes(unsigned), sig) {
		return nil, ErrTampered
	}
	inv := w.Invite
	inv.Inviter = identity.Public{Sign: w.Sign, Seal: w.Seal, SealSig: w.SealSig}
	if err := inv.Inviter.Verify(); err != nil {
		return nil, ErrTampered
	}
	if len(inv.Secret) < 16 {
		return nil, ErrDamaged
	}
	inv.Expires = time.Unix(w.Exp, 0)
	return &inv, nil
}

// Check reports whether inv may still be accepted at now.
func (inv *Invite) Check(now time.Time) error {
	if now.After(inv.Expires) {
		return fmt.Errorf("%w (it expired %s)", ErrExpired, inv.Expires.Format("2 Jan 2006 15:04"))
	}
	return nil
}

// Proof shows the inviter that joiner knows the invite's secret, bound to the
// joiner's ID so it cannot be reused by anyone else.
func Proof(secret []byte, joinerID string) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("porchlight/v1/join\x00" + joinerID))
	return m.Sum(nil)
}

// CheckProof verifies a join proof in constant time.
func CheckProof(secret []byte, joinerID string, proof []byte) bool {
	return hmac.Equal(Proof(secret, joinerID), proof)
}

// DropAddress is where join requests for the invite are sent: only someone
// who holds the link can compute it.
func DropAddress(secret []byte) [32]byte { return derive("drop", secret) }

// ReplyAddress is where the inviter answers a join request.
func ReplyAddress(secret []byte) [32]byte { return derive("reply", secret) }

func derive(purpose string, secret []byte) [32]byte {
	b := []byte("porchlight/v1/address/" + purpose + "\x00")
	b = binary.BigEndian.AppendUint16(b, uint16(len(secret)))
	return sha256.Sum256(append(b, secret...))
}

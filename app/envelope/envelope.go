// Package envelope seals messages between peers for carriage through relays:
// encrypted to the recipient with HPKE (RFC 9180) and signed by the sender's
// identity key over recipient, type, nonce, expiry and body. A relay sees
// only ciphertext; it can drop an envelope but never read, alter or forge one.
package envelope

import (
	"crypto/ecdh"
	"crypto/ed25519"
	"crypto/hpke"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/porchlight/porchlight/app/identity"
)

// Version is the first byte of every sealed envelope.
const Version = 1

// MaxSize bounds a sealed envelope (the relay's payload limit).
const MaxSize = 32 << 10

// ClockSkew is how far in the past an envelope's expiry may lie, or how far
// its sender's clock may run ahead, before it is refused.
const ClockSkew = 2 * time.Minute

var (
	ErrTooLarge   = errors.New("envelope too large")
	ErrVersion    = errors.New("envelope version not supported")
	ErrUndecrypt  = errors.New("envelope cannot be opened with this key")
	ErrMalformed  = errors.New("envelope malformed")
	ErrSignature  = errors.New("envelope signature invalid")
	ErrExpired    = errors.New("envelope expired")
	ErrReplay     = errors.New("envelope replayed")
	ErrNotForUs   = errors.New("envelope addressed to someone else")
	ErrSenderKeys = errors.New("envelope sender keys invalid")
)

// Message is an opened envelope.
type Message struct {
	From   identity.Public
	To     string
	Type   string
	Nonce  []byte
	Expiry time.Time
	Body   json.RawMessage
}

type wireKeys struct {
	Sign    []byte `json:"sign"`
	Seal    []byte `json:"seal"`
	SealSig []byte `json:"seal_sig"`
}

type inner struct {
	From   wireKeys        `json:"from"`
	To     string          `json:"to"`
	Type   string          `json:"type"`
	Nonce  []byte          `json:"nonce"`
	Expiry int64           `json:"exp"`
	Body   json.RawMessage `json:"body"`
	Sig    []byte          `json:"sig"`
}

func suite() (hpke.KDF, hpke.AEAD) { return hpke.HKDFSHA256(), hpke.ChaCha20Poly1305() }

func info(to string) []byte { return []byte("porchlight/v1/envelope\x00" + to) }

func signedBytes(to, typ string, nonce []byte, exp int64, body []byte) []byte {
	h := sha256.Sum256(body)
	b := []byte("porchlight/v1/envelope-sig\x00")
	b = append(b, to...)
	b = append(b, 0)
	b = append(b, typ...)
	b = append(b, 0)
	b = append(b, byte(len(nonce)))
	b = append(b, nonce...)
	b = binary.BigEndian.AppendUint64(b, uint64(exp))
	return append(b, h[:]...)
}

// Seal encrypts body (any JSON-marshalable value) of type typ from sender to
// recipient, valid for ttl.
func Seal(sender *identity.Identity, recipient identity.Public, typ string, body any, ttl time.Duration) ([]byte, error) {
	raw, err := json.Marshal(body)
	if err != nil {
		return nil, fmt.Errorf("seal %s: encode body: %w", typ, err)
	}
	nonce := make([]byte, 16)
	rand.Read(nonce)
	to := recipient.ID()
	exp := time.Now().Add(ttl).Unix()
	pub := sender.Public()
	in := inner{
		From:   wireKeys{Sign: pub.Sign, Seal: pub.Seal, SealSig: pub.SealSig},
		To:     to,
		Type:   typ,
		Nonce:  nonce,
		Expiry: exp,
		Body:   raw,
		Sig:    sender.Sign(signedBytes(to, typ, nonce, exp, raw)),
	}
	plain, err := json.Marshal(in)
	if err != nil {
		return nil, fmt.Errorf("seal %s: %w", typ, err)
	}
	xpub, err := ecdh.X25519().NewPublicKey(recipient.Seal)
	if err != nil {
		return nil, fmt.Errorf("seal %s: recipient key: %w", typ, err)
	}
	pk, err := hpke.NewDHKEMPublicKey(xpub)
	if err != nil {
		return nil, fmt.Errorf("seal %s: recipient key: %w", typ, err)
	}
	kdf, aead := suite()
	ct, err := hpke.Seal(pk, kdf, aead, info(to), plain)
	if err != nil {
		return nil, fmt.Errorf("seal %s: %w", typ, err)
	}
	out := append([]byte{Version}, ct...)
	if len(out) > MaxSize {
		return nil, fmt.Errorf("seal %s: %d bytes: %w", typ, len(out), ErrTooLarge)
	}
	return out, nil
}

// Opener opens envelopes sealed to one identity and remembers nonces it has
// seen until they expire, so a replayed envelope is refused.
type Opener struct {
	id  *identity.Identity
	now func() time.Time

	mu   sync.Mutex
	seen map[string]time.Time
}

// NewOpener returns an Opener for envelopes sealed to id.
func NewOpener(id *identity.Identity) *Opener {
	return &Opener{id: id, now: time.Now, seen: make(map[string]time.Time)}
}

// Open decrypts and verifies an envelope. It refuses envelopes that are
// malformed, not for us, badly signed, expired or already seen.
func (o *Opener) Open(sealed []byte) (*Message, error) {
	m, err := o.open(sealed)
	if err != nil {
		return nil, fmt.Errorf("open envelope: %w", err)
	}
	return m, nil
}

func (o *Opener) open(sealed []byte) (*Message, error) {
	if len(sealed) > MaxSize {
		return nil, ErrTooLarge
	}
	if len(sealed) == 0 {
		return nil, ErrMalformed
	}
	if sealed[0] != Version {
		return nil, fmt.Errorf("%w: version %d", ErrVersion, sealed[0])
	}
	priv, err := hpke.NewDHKEMPrivateKey(o.id.SealingKey())
	if err != nil {
		return nil, err
	}
	kdf, aead := suite()
	me := o.id.ID()
	plain, err := hpke.Open(priv, kdf, aead, info(me), sealed[1:])
	if err != nil {
		return nil, ErrUndecrypt
	}
	var in inner
	if err := json.Unmarshal(plain, &in); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if in.To != me {
		return nil, ErrNotForUs
	}
	from := identity.Public{Sign: in.From.Sign, Seal: in.From.Seal, SealSig: in.From.SealSig}
	if err := from.Verify(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrSenderKeys, err)
	}
	if len(in.Nonce) < 16 || len(in.Nonce) > 64 {
		return nil, fmt.Errorf("%w: nonce", ErrMalformed)
	}
	if !ed25519.Verify(ed25519.PublicKey(from.Sign), signedBytes(in.To, in.Type, in.Nonce, in.Expiry, in.Body), in.Sig) {
		return nil, ErrSignature
	}
	now := o.now()
	exp := time.Unix(in.Expiry, 0)
	if now.After(exp.Add(ClockSkew)) {
		return nil, ErrExpired
	}
	if err := o.remember(string(in.Nonce), exp.Add(ClockSkew), now); err != nil {
		return nil, err
	}
	return &Message{From: from, To: in.To, Type: in.Type, Nonce: in.Nonce, Expiry: exp, Body: in.Body}, nil
}

func (o *Opener) remember(nonce string, until, now time.Time) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if _, ok := o.seen[nonce]; ok {
		return ErrReplay
	}
	if len(o.seen) > 4096 {
		for n, t := range o.seen {
			if now.After(t) {
				delete(o.seen, n)
			}
		}
	}
	o.seen[nonce] = until
	return nil
}

// Package identity holds a resident's long-term keys: the Ed25519 identity key
// that names them to friends and relays, and the X25519 key, signed by the
// identity key, that others seal messages to.
package identity

import (
	"crypto/ecdh"
	"crypto/ed25519"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// FileName is the key file inside the data dir.
const FileName = "identity.key"

// sealKeyContext separates the signature on the sealing key from every other
// signature the identity key makes.
const sealKeyContext = "porchlight/v1/seal-key\x00"

var idEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// ErrBadID reports a string that is not a peer ID.
var ErrBadID = errors.New("not a Porchlight ID")

// Identity is the private side of a resident's keys.
type Identity struct {
	signing ed25519.PrivateKey
	sealing *ecdh.PrivateKey
}

// Public is what a resident shows others: enough to verify their signatures
// and to seal messages to them.
type Public struct {
	Sign    ed25519.PublicKey
	Seal    []byte // X25519 public key
	SealSig []byte // Ed25519 signature by Sign over Seal
}

// Generate makes a fresh identity.
func Generate() (*Identity, error) {
	seed := make([]byte, ed25519.SeedSize)
	if _, err := rand.Read(seed); err != nil {
		return nil, fmt.Errorf("generate identity: %w", err)
	}
	return fromSeed(seed)
}

func fromSeed(seed []byte) (*Identity, error) {
	if len(seed) != ed25519.SeedSize {
		return nil, fmt.Errorf("load identity: seed is %d bytes, want %d", len(seed), ed25519.SeedSize)
	}
	sealSeed, err := hkdf.Key(sha256.New, seed, nil, "porchlight/v1/x25519", 32)
	if err != nil {
		return nil, fmt.Errorf("derive sealing key: %w", err)
	}
	sealing, err := ecdh.X25519().NewPrivateKey(sealSeed)
	if err != nil {
		return nil, fmt.Errorf("derive sealing key: %w", err)
	}
	return &Identity{signing: ed25519.NewKeyFromSeed(seed), sealing: sealing}, nil
}

// LoadOrCreate reads the identity from dir, creating it (mode 0600) if absent.
func LoadOrCreate(dir string) (*Identity, error) {
	path := filepath.Join(dir, FileName)
	seed, err := os.ReadFile(path)
	if err == nil {
		if info, statErr := os.Stat(path); statErr == nil && info.Mode().Perm()&0o077 != 0 {
			return nil, fmt.Errorf("load identity: %s is readable by others (mode %v); run chmod 600 on it", path, info.Mode().Perm())
		}
		return fromSeed(seed)
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("load identity: %w", err)
	}
	id, err := Generate()
	if err != nil {
		return nil, err
	}
	if err := writeFileAtomic(path, id.signing.Seed(), 0o600); err != nil {
		return nil, fmt.Errorf("save identity: %w", err)
	}
	return id, nil
}

// FromSeed rebuilds the identity a seed (Seed) makes, without saving it.
func FromSeed(seed []byte) (*Identity, error) { return fromSeed(seed) }

// Install makes id the identity kept in dir, replacing any there: a backup
// being restored. The file is written whole or not at all.
func Install(dir string, id *Identity) error {
	if err := writeFileAtomic(filepath.Join(dir, FileName), id.signing.Seed(), 0o600); err != nil {
		return fmt.Errorf("save identity: %w", err)
	}
	return nil
}

// Seed is the secret the whole identity derives from, for a backup.
func (id *Identity) Seed() []byte { return id.signing.Seed() }

func writeFileAtomic(path string, data []byte, mode os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".identity-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// SigningKey is the Ed25519 private key (for relay logins and signatures).
func (id *Identity) SigningKey() ed25519.PrivateKey { return id.signing }

// SealingKey is the X25519 private key that opens messages sealed to us.
func (id *Identity) SealingKey() *ecdh.PrivateKey { return id.sealing }

// ID is the resident's peer ID.
func (id *Identity) ID() string { return IDOf(id.signing.Public().(ed25519.PublicKey)) }

// Sign signs msg with the identity key.
func (id *Identity) Sign(msg []byte) []byte { return ed25519.Sign(id.signing, msg) }

// Public returns the shareable half of the identity.
func (id *Identity) Public() Public {
	seal := id.sealing.PublicKey().Bytes()
	return Public{
		Sign:    id.signing.Public().(ed25519.PublicKey),
		Seal:    seal,
		SealSig: ed25519.Sign(id.signing, append([]byte(sealKeyContext), seal...)),
	}
}

// ID is the peer ID of p.
func (p Public) ID() string { return IDOf(p.Sign) }

// Verify checks that the sealing key is signed by the identity key.
func (p Public) Verify() error {
	if len(p.Sign) != ed25519.PublicKeySize {
		return fmt.Errorf("verify keys: identity key is %d bytes", len(p.Sign))
	}
	if len(p.Seal) != 32 {
		return fmt.Errorf("verify keys: sealing key is %d bytes", len(p.Seal))
	}
	if !ed25519.Verify(p.Sign, append([]byte(sealKeyContext), p.Seal...), p.SealSig) {
		return errors.New("verify keys: sealing key is not signed by the identity key")
	}
	return nil
}

// IDOf is the peer ID for an Ed25519 public key: the key itself in base32,
// so an ID is enough to verify its owner's signatures.
func IDOf(pub ed25519.PublicKey) string {
	return strings.ToLower(idEncoding.EncodeToString(pub))
}

// ParseID returns the public key an ID names.
func ParseID(id string) (ed25519.PublicKey, error) {
	b, err := idEncoding.DecodeString(strings.ToUpper(id))
	if err != nil || len(b) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("%w: %q", ErrBadID, id)
	}
	return ed25519.PublicKey(b), nil
}

// Short is the first characters of an ID, grouped for reading aloud.
func Short(id string) string {
	if len(id) < 8 {
		return id
	}
	return strings.ToUpper(id[:4] + "-" + id[4:8])
}

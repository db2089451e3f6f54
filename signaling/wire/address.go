package wire

import (
	"encoding/hex"
	"fmt"
)

// Address is where a relay routes envelopes: an opaque 32-byte value that
// clients derive from a secret they share. In text (and JSON) it is 64 hex
// digits.
type Address [32]byte

// ParseAddress parses 64 hex digits.
func ParseAddress(s string) (Address, error) {
	var a Address
	if len(s) != 2*len(a) {
		return a, fmt.Errorf("parse address: want %d hex digits, got %d", 2*len(a), len(s))
	}
	if _, err := hex.Decode(a[:], []byte(s)); err != nil {
		return Address{}, fmt.Errorf("parse address: %w", err)
	}
	return a, nil
}

// String returns the address as 64 lowercase hex digits.
func (a Address) String() string { return hex.EncodeToString(a[:]) }

// MarshalText implements encoding.TextMarshaler.
func (a Address) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (a *Address) UnmarshalText(b []byte) error {
	p, err := ParseAddress(string(b))
	if err != nil {
		return err
	}
	*a = p
	return nil
}

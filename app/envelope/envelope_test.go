package envelope

import (
	"errors"
	"testing"
	"time"

	"github.com/porchlight/porchlight/app/identity"
)

type hello struct{ Text string }

func TestSealOpen(t *testing.T) {
	ana, _ := identity.Generate()
	ben, _ := identity.Generate()
	eve, _ := identity.Generate()
	sealed, err := Seal(ana, ben.Public(), "hello", hello{"hi Ben"}, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	m, err := NewOpener(ben).Open(sealed)
	if err != nil {
		t.Fatal(err)
	}
	if m.From.ID() != ana.ID() || m.Type != "hello" || string(m.Body) != `{"Text":"hi Ben"}` {
		t.Fatalf("opened %+v", m)
	}
	if _, err := NewOpener(eve).Open(sealed); !errors.Is(err, ErrUndecrypt) {
		t.Fatalf("eve opened Ben's envelope: %v", err)
	}
}

func TestOpenRefuses(t *testing.T) {
	ana, _ := identity.Generate()
	ben, _ := identity.Generate()
	sealed, _ := Seal(ana, ben.Public(), "hello", hello{"x"}, time.Minute)
	expired, _ := Seal(ana, ben.Public(), "hello", hello{"x"}, -time.Hour)
	flipped := append([]byte(nil), sealed...)
	flipped[len(flipped)-3] ^= 1
	badVersion := append([]byte{9}, sealed[1:]...)
	cases := []struct {
		name string
		in   []byte
		want error
	}{
		{"empty", nil, ErrMalformed},
		{"truncated", sealed[:len(sealed)/2], ErrUndecrypt},
		{"tampered", flipped, ErrUndecrypt},
		{"version", badVersion, ErrVersion},
		{"expired", expired, ErrExpired},
		{"too large", make([]byte, MaxSize+1), ErrTooLarge},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := NewOpener(ben).Open(c.in); !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
		})
	}
}

func TestReplayRefused(t *testing.T) {
	ana, _ := identity.Generate()
	ben, _ := identity.Generate()
	sealed, _ := Seal(ana, ben.Public(), "offer", hello{"sdp"}, time.Minute)
	o := NewOpener(ben)
	if _, err := o.Open(sealed); err != nil {
		t.Fatal(err)
	}
	if _, err := o.Open(sealed); !errors.Is(err, ErrReplay) {
		t.Fatalf("replay: %v", err)
	}
}

func TestForgedSenderRefused(t *testing.T) {
	// Mallory seals to Ben but claims to be Ana: she can encrypt, but cannot
	// sign with Ana's key, so her envelope carries either her own key or a
	// bad signature.
	ana, _ := identity.Generate()
	mallory, _ := identity.Generate()
	ben, _ := identity.Generate()
	sealed, _ := Seal(mallory, ben.Public(), "hello", hello{"I am Ana"}, time.Minute)
	m, err := NewOpener(ben).Open(sealed)
	if err != nil {
		t.Fatal(err)
	}
	if m.From.ID() == ana.ID() {
		t.Fatal("forged sender accepted as Ana")
	}
}

func FuzzOpen(f *testing.F) {
	ana, _ := identity.Generate()
	ben, _ := identity.Generate()
	sealed, _ := Seal(ana, ben.Public(), "hello", hello{"x"}, time.Minute)
	f.Add(sealed)
	f.Add([]byte{1})
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := NewOpener(ben).Open(b)
		if err == nil && m.To != ben.ID() {
			t.Fatal("opened an envelope for someone else")
		}
	})
}

package invite

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/porchlight/porchlight/app/identity"
)

func sample(t *testing.T) (*identity.Identity, string) {
	t.Helper()
	ana, _ := identity.Generate()
	link, err := Link(ana, Invite{
		Name:    "Ana",
		Relays:  []string{"ws://127.0.0.1:7447/v1/ws"},
		Secret:  NewSecret(),
		Expires: time.Now().Add(7 * 24 * time.Hour),
		Label:   "for Ben",
		Offer:   Offer{Shares: []string{"Photos"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return ana, link
}

func TestRoundTrip(t *testing.T) {
	ana, link := sample(t)
	forms := map[string]string{
		"porchlight": link,
		"https":      WebLink("https://relay.example", link),
		"bare":       link[strings.Index(link, "#")+1:],
		"spaces":     "  " + link + "\n",
	}
	for name, l := range forms {
		inv, err := Parse(l)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if inv.Inviter.ID() != ana.ID() || inv.Name != "Ana" || inv.Offer.Shares[0] != "Photos" || len(inv.Secret) != SecretSize {
			t.Fatalf("%s: decoded %+v", name, inv)
		}
		if err := inv.Check(time.Now()); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
}

func TestParseRefuses(t *testing.T) {
	_, link := sample(t)
	payload := link[strings.Index(link, "#")+1:]
	raw, _ := base64.RawURLEncoding.DecodeString(payload)
	tamper := func(old, new string) string {
		return Scheme + "://invite#" + base64.RawURLEncoding.EncodeToString([]byte(strings.Replace(string(raw), old, new, 1)))
	}
	cases := []struct {
		name string
		link string
		want error
	}{
		{"empty", "", ErrNotInvite},
		{"web page", "https://example.com/page", ErrNotInvite},
		{"other scheme", "mailto:ana@example.com#abc", ErrNotInvite},
		{"no payload", "porchlight://invite#", ErrDamaged},
		{"truncated", link[:len(link)-10], ErrDamaged},
		{"garbage", "porchlight://invite#!!!!", ErrDamaged},
		{"tampered name", tamper(`"name":"Ana"`, `"name":"Eve"`), ErrTampered},
		{"tampered offer", tamper(`"Photos"`, `"Taxes!"`), ErrTampered},
		{"newer version", tamper(`"v":1`, `"v":7`), ErrVersion},
		{"huge", "porchlight://invite#" + strings.Repeat("A", MaxLinkSize), ErrDamaged},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := Parse(c.link); !errors.Is(err, c.want) {
				t.Fatalf("Parse = %v, want %v", err, c.want)
			}
		})
	}
}

func TestExpired(t *testing.T) {
	ana, _ := identity.Generate()
	link, _ := Link(ana, Invite{Name: "Ana", Secret: NewSecret(), Expires: time.Now().Add(-time.Hour)})
	inv, err := Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	if err := inv.Check(time.Now()); !errors.Is(err, ErrExpired) {
		t.Fatalf("Check = %v", err)
	}
}

func TestProofBoundToJoiner(t *testing.T) {
	s := NewSecret()
	p := Proof(s, "ben")
	if !CheckProof(s, "ben", p) || CheckProof(s, "eve", p) || CheckProof(NewSecret(), "ben", p) {
		t.Fatal("proof not bound to secret and joiner")
	}
	if DropAddress(s) == ReplyAddress(s) {
		t.Fatal("drop and reply addresses collide")
	}
}

func FuzzParse(f *testing.F) {
	_, link := func() (*identity.Identity, string) {
		ana, _ := identity.Generate()
		l, _ := Link(ana, Invite{Name: "Ana", Secret: NewSecret(), Expires: time.Now().Add(time.Hour)})
		return ana, l
	}()
	f.Add(link)
	f.Add("porchlight://invite#e30")
	f.Fuzz(func(t *testing.T, s string) {
		inv, err := Parse(s)
		if err == nil && (len(inv.Secret) < 16 || inv.Inviter.Verify() != nil) {
			t.Fatalf("accepted an invalid invite: %+v", inv)
		}
	})
}

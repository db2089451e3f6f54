package discovery

import (
	"context"
	"testing"
	"time"
)

func TestOffWithOnlyLoopback(t *testing.T) {
	s, err := New(Config{Interfaces: []string{"lo"}, Port: 4000, Visibility: VisibilityVisible, ID: "me"})
	if err != nil {
		t.Fatal(err)
	}
	if !s.Off() {
		t.Fatal("discovery is on with only lo")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	if err := s.Serve(ctx); err != nil {
		t.Fatalf("Serve: %v", err)
	}
	if ns := s.Neighbours(); len(ns) != 0 {
		t.Errorf("neighbours %+v", ns)
	}
}

func TestConfigChecks(t *testing.T) {
	for name, cfg := range map[string]Config{
		"unknown visibility":       {Interfaces: []string{"lo"}, Port: 1, Visibility: "loud", ID: "me"},
		"no port":                  {Interfaces: []string{"lo"}, Visibility: VisibilityVisible, ID: "me"},
		"friends without a secret": {Interfaces: []string{"lo"}, Port: 1, Visibility: VisibilityFriends},
		"unknown interface":        {Interfaces: []string{"nosuchif0"}, Port: 1, Visibility: VisibilityVisible, ID: "me"},
	} {
		if _, err := New(cfg); err == nil {
			t.Errorf("%s: New accepted it", name)
		}
	}
}

func TestTokenRotatesAndOnlyFriendsRecognise(t *testing.T) {
	secret := []byte("ben's discovery secret, 32 bytes")
	other := []byte("someone else's discovery secret!")
	now := time.Unix(1_800_000_000, 0)
	tok := Token(secret, now)
	if len(tok) != tokenLength {
		t.Fatalf("token %q", tok)
	}
	if Token(secret, now.Add(tokenPeriod)) == tok {
		t.Error("token did not rotate")
	}
	friends := map[string][]byte{"ben": secret, "cy": other}
	for _, tc := range []struct {
		at   time.Time
		want string
	}{
		{now, "ben"},
		{now.Add(tokenPeriod), "ben"},  // our clock a window ahead
		{now.Add(-tokenPeriod), "ben"}, // or behind
		{now.Add(3 * tokenPeriod), ""}, // an old token
	} {
		if got := recognize(friends, tok, tc.at); got != tc.want {
			t.Errorf("recognise at %v: got %q, want %q", tc.at.Sub(now), got, tc.want)
		}
	}
	if got := recognize(map[string][]byte{"cy": other}, tok, now); got != "" {
		t.Errorf("a stranger recognised the token as %q", got)
	}
}

func TestUnescape(t *testing.T) {
	for in, want := range map[string]string{
		`Avahi\032Test`: "Avahi Test",
		`a\.b`:          "a.b",
		`plain`:         "plain",
	} {
		if got := unescape(in); got != want {
			t.Errorf("unescape(%q) = %q, want %q", in, got, want)
		}
	}
}

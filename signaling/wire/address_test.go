package wire

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestAddressText(t *testing.T) {
	var a Address
	for i := range a {
		a[i] = byte(i)
	}
	want := "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
	if got := a.String(); got != want {
		t.Fatalf("String() = %q, want %q", got, want)
	}
	b, err := json.Marshal(struct{ A Address }{a})
	if err != nil {
		t.Fatal(err)
	}
	if got := string(b); got != `{"A":"`+want+`"}` {
		t.Fatalf("json = %s", got)
	}
	var back struct{ A Address }
	if err := json.Unmarshal(b, &back); err != nil || back.A != a {
		t.Fatalf("round trip = %v, %v", back.A, err)
	}
}

func TestParseAddress(t *testing.T) {
	tests := []struct {
		name, in string
		ok       bool
	}{
		{"lower", strings.Repeat("ab", 32), true},
		{"upper", strings.Repeat("AB", 32), true},
		{"short", strings.Repeat("ab", 31), false},
		{"long", strings.Repeat("ab", 33), false},
		{"not hex", strings.Repeat("zz", 32), false},
		{"empty", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := ParseAddress(tt.in)
			if (err == nil) != tt.ok {
				t.Fatalf("ParseAddress(%q) error = %v, want ok %v", tt.in, err, tt.ok)
			}
			if tt.ok && a.String() != strings.ToLower(tt.in) {
				t.Fatalf("String() = %q", a.String())
			}
		})
	}
}

package app

import (
	"strings"
	"testing"
)

func TestCleanName(t *testing.T) {
	tests := []struct {
		in, want, err string
	}{
		{in: "Ana Lima", want: "Ana Lima"},
		{in: "  Ana  ", want: "Ana"},
		{in: "Zoë Ødegård 李", want: "Zoë Ødegård 李"},
		{in: "", err: "cannot be empty"},
		{in: "   ", err: "cannot be empty"},
		{in: strings.Repeat("a", maxNameLength), want: strings.Repeat("a", maxNameLength)},
		{in: strings.Repeat("a", maxNameLength+1), err: "at most 64 characters"},
		{in: "Ana\nLima", err: "one line of printable characters"},
		{in: "Ana\x1b[31m", err: "one line of printable characters"},
		{in: "Ana\u202eamiL", err: "one line of printable characters"}, // right-to-left override
		{in: "Ana\xff", err: "must be text"},
	}
	for _, tt := range tests {
		got, err := cleanName(tt.in)
		switch {
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("cleanName(%q) = %q, %v; want an error saying %q", tt.in, got, err, tt.err)
		case tt.err == "" && (err != nil || got != tt.want):
			t.Errorf("cleanName(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

// TestTrimName: names that peers send are shown, never obeyed.
func TestTrimName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Ben", "Ben"},
		{"Ben\x1b]0;owned\x07", "Ben]0;owned"},   // a terminal's escape sequence loses its escapes
		{"Ben\u009b31m", "Ben31m"},               // the one-byte CSI of C1
		{"Ben\u202eoof", "Benoof"},               // a right-to-left override
		{"Ben\r\nFriend: Eve", "BenFriend: Eve"}, // no second line
		{strings.Repeat("é", 100), strings.Repeat("é", maxNameLength)},
	}
	for _, tt := range tests {
		if got := trimName(tt.in); got != tt.want {
			t.Errorf("trimName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

package wire

import (
	"bytes"
	"testing"
)

func TestLoginMessageBindsEverything(t *testing.T) {
	nonce := bytes.Repeat([]byte{7}, NonceSize)
	base := LoginMessage("wss://relay.example/v1/ws", Version, nonce)
	others := map[string][]byte{
		"other url":     LoginMessage("wss://evil.example/v1/ws", Version, nonce),
		"other version": LoginMessage("wss://relay.example/v1/ws", Version+1, nonce),
		"other nonce":   LoginMessage("wss://relay.example/v1/ws", Version, bytes.Repeat([]byte{8}, NonceSize)),
		// Moving bytes between url and nonce must not give the same message.
		"shifted": LoginMessage("wss://relay.example/v1/ws\x07", Version, nonce[1:]),
	}
	for name, m := range others {
		if bytes.Equal(base, m) {
			t.Errorf("%s: same login message", name)
		}
	}
	if !bytes.HasPrefix(base, []byte(loginDomain)) {
		t.Errorf("login message lacks the domain prefix")
	}
}

func TestCanonicalURL(t *testing.T) {
	tests := []struct {
		in, want string // want "" means an error
	}{
		{"ws://127.0.0.1:7447/v1/ws", "ws://127.0.0.1:7447/v1/ws"},
		{"ws://127.0.0.1:7447", "ws://127.0.0.1:7447/v1/ws"},
		{"WSS://Relay.Example.ORG/", "wss://relay.example.org/v1/ws"},
		{"wss://relay.example.org:443", "wss://relay.example.org/v1/ws"},
		{"https://relay.example.org/porch/v1/ws", "wss://relay.example.org/porch/v1/ws"},
		{"http://[::1]:80", "ws://[::1]/v1/ws"},
		{"ftp://relay.example.org", ""},
		{"wss://user@relay.example.org", ""},
		{"wss://relay.example.org/?x=1", ""},
		{"wss://relay.example.org/#frag", ""},
		{"relay.example.org", ""},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := CanonicalURL(tt.in)
			if tt.want == "" {
				if err == nil {
					t.Fatalf("CanonicalURL(%q) = %q, want error", tt.in, got)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("CanonicalURL(%q) = %q, %v, want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

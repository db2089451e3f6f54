package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func writeConfig(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "relay.conf")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestConfigFile(t *testing.T) {
	conf := writeConfig(t, `
# comment
listen = 127.0.0.1:9000
public-url = wss://a.example/v1/ws
public-url = wss://b.example
stun = 127.0.0.1:3478   # trailing comment
turn = true
idle-timeout = 30s
max-connections = 5
`)
	o, err := parseFlags([]string{"--config", conf, "--max-connections", "7"})
	if err != nil {
		t.Fatal(err)
	}
	if o.listen != "127.0.0.1:9000" || o.stun != "127.0.0.1:3478" || !o.turn || o.relay.IdleTimeout != 30*time.Second {
		t.Fatalf("options %+v", o)
	}
	if o.relay.MaxConnections != 7 {
		t.Fatalf("max-connections = %d: the flag should win over the file", o.relay.MaxConnections)
	}
	if got := strings.Join(o.publicURLs, " "); got != "wss://a.example/v1/ws wss://b.example/v1/ws" {
		t.Fatalf("public urls %q", got)
	}
	o, err = parseFlags([]string{"--config", conf, "--public-url", "wss://c.example"})
	if err != nil || strings.Join(o.publicURLs, " ") != "wss://c.example/v1/ws" {
		t.Fatalf("a public-url flag should replace the file's: %q, %v", o.publicURLs, err)
	}
}

func TestFlagErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown key", []string{"--config", writeConfig(t, "colour = blue\n")}, "unknown key"},
		{"no equals", []string{"--config", writeConfig(t, "turn\n")}, "key = value"},
		{"bad value", []string{"--config", writeConfig(t, "max-connections = many\n")}, "max-connections"},
		{"config in config", []string{"--config", writeConfig(t, "config = x\n")}, "unknown key"},
		{"missing file", []string{"--config", "/nonexistent/relay.conf"}, "read config"},
		{"half tls", []string{"--tls-cert", "a.pem"}, "go together"},
		{"turn without stun", []string{"--turn"}, "--turn needs --stun"},
		{"argument", []string{"extra"}, "unexpected"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseFlags(tt.args)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("parseFlags(%q) = %v, want an error saying %q", tt.args, err, tt.want)
			}
		})
	}
}

func TestPublicIP(t *testing.T) {
	if _, err := publicIP(&options{stun: "0.0.0.0:3478", turn: true}); err == nil {
		t.Fatal("TURN on an unspecified address without --public-ip accepted")
	}
	ip, err := publicIP(&options{stun: "0.0.0.0:3478", turn: true, publicIP: "203.0.113.7"})
	if err != nil || ip.String() != "203.0.113.7" {
		t.Fatalf("publicIP = %v, %v", ip, err)
	}
	ip, err = publicIP(&options{stun: "198.51.100.2:3478", turn: true})
	if err != nil || ip.String() != "198.51.100.2" {
		t.Fatalf("publicIP from --stun = %v, %v", ip, err)
	}
}

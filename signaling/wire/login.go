package wire

import (
	"encoding/binary"
	"fmt"
	"net/url"
	"strings"
)

const loginDomain = "porchlight relay login\x00"

// LoginMessage is what a client signs with its Ed25519 key to log in: a
// domain-separation prefix, then the protocol version, the relay's URL and
// the challenge nonce, each length-prefixed so no two inputs encode alike.
// relayURL should be in CanonicalURL form on both sides.
func LoginMessage(relayURL string, version int, nonce []byte) []byte {
	b := make([]byte, 0, len(loginDomain)+12+len(relayURL)+len(nonce))
	b = append(b, loginDomain...)
	b = binary.BigEndian.AppendUint32(b, uint32(version))
	b = binary.BigEndian.AppendUint32(b, uint32(len(relayURL)))
	b = append(b, relayURL...)
	b = binary.BigEndian.AppendUint32(b, uint32(len(nonce)))
	return append(b, nonce...)
}

// CanonicalURL returns the form of a relay URL that logins are bound to:
// scheme ws or wss (http and https are mapped to them), lowercase host,
// default port dropped, and Path when the path is empty. User info, query and
// fragment are refused.
func CanonicalURL(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("parse relay url: %w", err)
	}
	switch strings.ToLower(u.Scheme) {
	case "ws", "http":
		u.Scheme = "ws"
	case "wss", "https":
		u.Scheme = "wss"
	default:
		return "", fmt.Errorf("parse relay url %q: scheme must be ws or wss", raw)
	}
	if u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
		return "", fmt.Errorf("parse relay url %q: want scheme://host[:port][/path] only", raw)
	}
	u.Host = strings.ToLower(u.Host)
	if p := u.Port(); (u.Scheme == "ws" && p == "80") || (u.Scheme == "wss" && p == "443") {
		u.Host = u.Hostname()
		if strings.Contains(u.Host, ":") {
			u.Host = "[" + u.Host + "]"
		}
	}
	if u.Path == "" || u.Path == "/" {
		u.Path = Path
	}
	u.RawPath = ""
	return u.String(), nil
}

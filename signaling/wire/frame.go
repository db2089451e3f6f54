package wire

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"slices"
)

// Version is the protocol version spoken by this package.
const Version = 1

// Limits and sizes of the protocol.
const (
	Path       = "/v1/ws" // WebSocket path of this version
	NonceSize  = 32       // bytes of a challenge nonce
	MaxPayload = 32 << 10 // bytes of an envelope's payload
	MaxFrame   = 64 << 10 // bytes of an encoded frame
	MaxIDLen   = 64       // bytes of a message id

	maxText = 1024 // bytes of relay_url, message, username, password and each url
	maxURLs = 8    // urls in a turn frame
)

// Type names a frame.
type Type string

// Frame types; doc.go shows who sends which, and when.
const (
	TypeChallenge Type = "challenge"  // relay: v, nonce, relay_url
	TypeLogin     Type = "login"      // client: v, pub, sig
	TypeWelcome   Type = "welcome"    // relay: login accepted
	TypeError     Type = "error"      // relay: code, message, and the id of a refused send
	TypeSub       Type = "sub"        // client: addrs
	TypeUnsub     Type = "unsub"      // client: addrs
	TypeSend      Type = "send"       // client: id, to, payload
	TypeAccepted  Type = "accepted"   // relay: id
	TypeDeliver   Type = "deliver"    // relay: id, to, payload
	TypeAck       Type = "ack"        // client: id, to
	TypePing      Type = "ping"       // client: t
	TypePong      Type = "pong"       // relay: the ping's t
	TypeTURNAsk   Type = "turn_creds" // client: id; asks for TURN credentials
	TypeTURNCreds Type = "turn"       // relay: id, username, password, ttl, urls
)

// Frame is one protocol message. Which fields are set depends on Type.
type Frame struct {
	Type     Type      `json:"type"`
	V        int       `json:"v,omitempty"`
	Nonce    []byte    `json:"nonce,omitempty"`
	RelayURL string    `json:"relay_url,omitempty"`
	Pub      []byte    `json:"pub,omitempty"`
	Sig      []byte    `json:"sig,omitempty"`
	Addrs    []Address `json:"addrs,omitempty"`
	ID       string    `json:"id,omitempty"`
	To       Address   `json:"to,omitzero"`
	Payload  []byte    `json:"payload,omitempty"`
	T        int64     `json:"t,omitempty"`
	Code     Code      `json:"code,omitempty"`
	Message  string    `json:"message,omitempty"`
	Username string    `json:"username,omitempty"` // TURN
	Password string    `json:"password,omitempty"` // TURN
	TTL      int       `json:"ttl,omitempty"`      // TURN: seconds the credentials stay valid
	URLs     []string  `json:"urls,omitempty"`     // TURN: turn:HOST:PORT?transport=udp
}

// Err returns the error an error frame carries.
func (f Frame) Err() *Error { return &Error{Code: f.Code, Message: f.Message} }

// DecodeFrame parses and checks one frame. Errors are *Error: CodeTooLarge
// for a frame over MaxFrame, CodeVersionUnsupported for a challenge or login
// of another Version (the frame is returned too, so its V can be reported),
// CodeBadFrame for anything else.
func DecodeFrame(b []byte) (Frame, error) {
	if len(b) > MaxFrame {
		return Frame{}, &Error{Code: CodeTooLarge, Message: fmt.Sprintf("frame of %d bytes, max %d", len(b), MaxFrame)}
	}
	var f Frame
	if err := json.Unmarshal(b, &f); err != nil {
		return Frame{}, badFrame("decode frame: %v", err)
	}
	if err := f.check(); err != nil {
		return f, err
	}
	return f, nil
}

// EncodeFrame checks f as DecodeFrame would and encodes it.
func EncodeFrame(f Frame) ([]byte, error) {
	if err := f.check(); err != nil {
		return nil, fmt.Errorf("encode %s frame: %w", f.Type, err)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(f); err != nil {
		return nil, fmt.Errorf("encode %s frame: %w", f.Type, err)
	}
	b := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	if len(b) > MaxFrame {
		return nil, &Error{Code: CodeTooLarge, Message: fmt.Sprintf("frame of %d bytes, max %d", len(b), MaxFrame)}
	}
	return b, nil
}

// check enforces the fields each type needs.
func (f Frame) check() error {
	if len(f.RelayURL) > maxText || len(f.Message) > maxText || len(f.Username) > maxText || len(f.Password) > maxText {
		return badFrame("relay_url, message, username or password over %d bytes", maxText)
	}
	if len(f.URLs) > maxURLs || slices.ContainsFunc(f.URLs, func(u string) bool { return len(u) > maxText }) {
		return badFrame("more than %d urls, or one over %d bytes", maxURLs, maxText)
	}
	switch f.Type {
	case TypeChallenge, TypeLogin:
		if f.V != Version {
			return &Error{Code: CodeVersionUnsupported, Message: fmt.Sprintf("protocol v%d, want v%d", f.V, Version)}
		}
		if f.Type == TypeChallenge {
			if len(f.Nonce) != NonceSize || f.RelayURL == "" {
				return badFrame("challenge needs a %d-byte nonce and a relay_url", NonceSize)
			}
			return nil
		}
		if len(f.Pub) != ed25519.PublicKeySize || len(f.Sig) != ed25519.SignatureSize {
			return badFrame("login needs a %d-byte pub and a %d-byte sig", ed25519.PublicKeySize, ed25519.SignatureSize)
		}
	case TypeWelcome, TypePing, TypePong:
	case TypeError:
		if f.Code == 0 {
			return badFrame("error frame without a code")
		}
		if f.ID != "" {
			return checkID(f.ID)
		}
	case TypeSub, TypeUnsub:
		if len(f.Addrs) == 0 {
			return badFrame("%s without addrs", f.Type)
		}
	case TypeAccepted, TypeAck, TypeTURNAsk:
		return checkID(f.ID)
	case TypeTURNCreds:
		if f.Username == "" || f.Password == "" || f.TTL <= 0 || len(f.URLs) == 0 {
			return badFrame("turn frame needs a username, a password, a ttl and urls")
		}
		return checkID(f.ID)
	case TypeSend, TypeDeliver:
		if err := checkID(f.ID); err != nil {
			return err
		}
		if len(f.Payload) == 0 || len(f.Payload) > MaxPayload {
			return &Error{Code: CodeTooLarge, Message: fmt.Sprintf("payload of %d bytes, want 1 to %d", len(f.Payload), MaxPayload)}
		}
	default:
		return badFrame("unknown frame type %q", f.Type)
	}
	return nil
}

// checkID accepts 1 to MaxIDLen printable ASCII characters without spaces.
func checkID(id string) error {
	if id == "" || len(id) > MaxIDLen {
		return badFrame("id of %d bytes, want 1 to %d", len(id), MaxIDLen)
	}
	if i := bytes.IndexFunc([]byte(id), func(r rune) bool { return r <= ' ' || r > '~' }); i >= 0 {
		return badFrame("id has a character outside printable ASCII at %d", i)
	}
	return nil
}

// Package shortcode lets a friend join by a code read aloud over the phone,
// like "4-purple-sausage", instead of a link. The number is a nameplate: it
// picks a meeting address on a relay both use. The words are a weak
// password for a PAKE (github.com/schollz/pake/v3): the two apps derive a
// strong key only if they typed the same words, and the inviter then sends
// the invite link sealed with that key. An eavesdropper, or the relay, gets
// one online guess at most, and any wrong guess burns the code.
//
//	joiner                          relay (meeting address)                inviter
//	  │── hello ──────────────────────────►│──────────────────────────────────►│
//	  │◄───────────────────────────────────│◄────────── pake(role 0, A) ───────│
//	  │── pake(role 1, B, confirm) ───────►│──────────────────────────────────►│ checks confirm
//	  │◄───────────────────────────────────│◄──── invite(link sealed with K) ──│  or: burned
package shortcode

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/schollz/pake/v3"
)

// curve is the PAKE's elliptic curve.
const curve = "p256"

// Nameplates run from 1 to maxNameplate.
const maxNameplate = 999

var (
	ErrFormat = errors.New("a code looks like 4-purple-sausage: a number and two words")
	ErrWrong  = errors.New("the code did not match; it is burned now, ask for a new one")
	ErrBurned = errors.New("this code was already used, or guessed wrong; ask for a new one")
)

// Code is a short code: a nameplate and two words.
type Code struct {
	Nameplate int
	Words     [2]string
}

// New draws a fresh code.
func New() Code {
	n, _ := rand.Int(rand.Reader, big.NewInt(maxNameplate))
	var c Code
	c.Nameplate = int(n.Int64()) + 1
	for i := range c.Words {
		w, _ := rand.Int(rand.Reader, big.NewInt(int64(len(words))))
		c.Words[i] = words[w.Int64()]
	}
	return c
}

func (c Code) String() string {
	return strconv.Itoa(c.Nameplate) + "-" + c.Words[0] + "-" + c.Words[1]
}

// Parse reads a code as typed: case and spaces do not matter.
func Parse(s string) (Code, error) {
	parts := strings.FieldsFunc(strings.ToLower(strings.TrimSpace(s)), func(r rune) bool { return r == '-' || r == ' ' })
	if len(parts) != 3 {
		return Code{}, ErrFormat
	}
	n, err := strconv.Atoi(parts[0])
	if err != nil || n < 1 || n > maxNameplate {
		return Code{}, ErrFormat
	}
	for _, w := range parts[1:] {
		if !isWord(w) {
			return Code{}, fmt.Errorf("%w (%q is not one of its words)", ErrFormat, w)
		}
	}
	return Code{Nameplate: n, Words: [2]string{parts[1], parts[2]}}, nil
}

// Address is where both sides meet on a relay for this code.
func (c Code) Address() [32]byte {
	b := binary.BigEndian.AppendUint16([]byte("porchlight/v1/code\x00"), uint16(c.Nameplate))
	return sha256.Sum256(b)
}

func (c Code) password() []byte { return []byte("porchlight/v1/code-pw\x00" + c.String()) }

// Message is what travels through the relay, in the clear: nothing in it
// helps anyone who does not know the words.
type Message struct {
	Type    string `json:"t"` // "hello", "pake", "invite", "burned"
	Session string `json:"s"`
	Data    []byte `json:"d,omitempty"`
	Confirm []byte `json:"c,omitempty"`
	// At is when a hello was sent (Unix seconds): old hellos waiting in a
	// relay's mailbox are ignored.
	At int64 `json:"at,omitempty"`
}

// Host is the inviter's side of one code.
type Host struct {
	code  Code
	pake  *pake.Pake
	burnt bool
}

// NewHost prepares the inviter's side.
func NewHost(c Code) *Host { return &Host{code: c} }

// Hello answers a joiner's hello with the first PAKE message.
func (h *Host) Hello(session string) (Message, error) {
	p, err := pake.InitCurve(h.code.password(), 0, curve)
	if err != nil {
		return Message{}, fmt.Errorf("start code exchange: %w", err)
	}
	h.pake = p
	return Message{Type: "pake", Session: session, Data: p.Bytes()}, nil
}

// Finish checks the joiner's answer. With the right words it returns the
// invite message carrying link; with wrong ones it burns the code.
func (h *Host) Finish(m Message, link string) (Message, error) {
	if h.pake == nil || h.burnt {
		return Message{}, ErrWrong
	}
	h.burnt = true // one answer per code, right or wrong
	if err := h.pake.Update(m.Data); err != nil {
		return Message{Type: "burned", Session: m.Session}, ErrWrong
	}
	key, err := h.pake.SessionKey()
	if err != nil || !hmac.Equal(confirm(key, m.Session), m.Confirm) {
		return Message{Type: "burned", Session: m.Session}, ErrWrong
	}
	box, err := seal(key, []byte(link))
	if err != nil {
		return Message{}, err
	}
	return Message{Type: "invite", Session: m.Session, Data: box}, nil
}

// Joiner is the friend's side of one code.
type Joiner struct {
	code    Code
	session string
	key     []byte
}

// NewJoiner prepares the friend's side and its hello.
func NewJoiner(c Code) (*Joiner, Message) {
	b := make([]byte, 12)
	rand.Read(b)
	s := fmt.Sprintf("%x", b)
	return &Joiner{code: c, session: s}, Message{Type: "hello", Session: s, At: time.Now().Unix()}
}

// Session names this exchange.
func (j *Joiner) Session() string { return j.session }

// Answer replies to the host's PAKE message, with proof of the key.
func (j *Joiner) Answer(m Message) (Message, error) {
	p, err := pake.InitCurve(j.code.password(), 1, curve)
	if err != nil {
		return Message{}, fmt.Errorf("answer code exchange: %w", err)
	}
	if err := p.Update(m.Data); err != nil {
		return Message{}, fmt.Errorf("answer code exchange: %w", err)
	}
	if j.key, err = p.SessionKey(); err != nil {
		return Message{}, fmt.Errorf("answer code exchange: %w", err)
	}
	return Message{Type: "pake", Session: j.session, Data: p.Bytes(), Confirm: confirm(j.key, j.session)}, nil
}

// Link opens the host's invite message.
func (j *Joiner) Link(m Message) (string, error) {
	if j.key == nil {
		return "", ErrBurned
	}
	if m.Type == "burned" {
		return "", ErrWrong
	}
	link, err := open(j.key, m.Data)
	if err != nil {
		return "", ErrWrong
	}
	return string(link), nil
}

func confirm(key []byte, session string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("porchlight/v1/code-confirm\x00" + session))
	return m.Sum(nil)
}

func aead(key []byte) (cipher.AEAD, error) {
	k := sha256.Sum256(append([]byte("porchlight/v1/code-box\x00"), key...))
	block, err := aes.NewCipher(k[:])
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

func seal(key, plain []byte) ([]byte, error) {
	a, err := aead(key)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, a.NonceSize())
	rand.Read(nonce)
	return a.Seal(nonce, nonce, plain, nil), nil
}

func open(key, box []byte) ([]byte, error) {
	a, err := aead(key)
	if err != nil {
		return nil, err
	}
	if len(box) < a.NonceSize() {
		return nil, errors.New("box too short")
	}
	return a.Open(nil, box[:a.NonceSize()], box[a.NonceSize():], nil)
}

// Encode and Decode carry a message through the relay.
func Encode(m Message) []byte { b, _ := json.Marshal(m); return b }

// Decode reads a message.
func Decode(b []byte) (Message, error) {
	var m Message
	err := json.Unmarshal(b, &m)
	return m, err
}

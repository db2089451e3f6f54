package wire

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func validFrames() []Frame {
	var to Address
	to[0] = 1
	return []Frame{
		{Type: TypeChallenge, V: Version, Nonce: bytes.Repeat([]byte{1}, NonceSize), RelayURL: "ws://127.0.0.1:7447/v1/ws"},
		{Type: TypeLogin, V: Version, Pub: make([]byte, 32), Sig: make([]byte, 64)},
		{Type: TypeWelcome},
		{Type: TypeError, Code: CodeAuthFailed, Message: "no"},
		{Type: TypeError, Code: CodeMailboxFull, ID: "m1"},
		{Type: TypeSub, Addrs: []Address{to}},
		{Type: TypeUnsub, Addrs: []Address{to, {}}},
		{Type: TypeSend, ID: "m1", To: to, Payload: []byte("sealed")},
		{Type: TypeAccepted, ID: "m1"},
		{Type: TypeDeliver, ID: "m1", To: to, Payload: bytes.Repeat([]byte{9}, MaxPayload)},
		{Type: TypeAck, ID: "m1", To: to},
		{Type: TypePing, T: 12345},
		{Type: TypePong, T: 12345},
		{Type: TypeTURNAsk, ID: "t1"},
		{Type: TypeTURNCreds, ID: "t1", Username: "1700000000:ab", Password: "pw", TTL: 600, URLs: []string{"turn:127.0.0.1:3478?transport=udp"}},
	}
}

func TestFrameRoundTrip(t *testing.T) {
	for _, f := range validFrames() {
		t.Run(string(f.Type), func(t *testing.T) {
			b, err := EncodeFrame(f)
			if err != nil {
				t.Fatalf("EncodeFrame: %v", err)
			}
			got, err := DecodeFrame(b)
			if err != nil {
				t.Fatalf("DecodeFrame(%s): %v", b, err)
			}
			again, err := EncodeFrame(got)
			if err != nil || !bytes.Equal(again, b) {
				t.Fatalf("re-encoded %s, %v; want %s", again, err, b)
			}
		})
	}
}

func TestDecodeFrameRefuses(t *testing.T) {
	addr := strings.Repeat("ab", 32)
	tests := []struct {
		name string
		in   string
		want error
	}{
		{"not json", `{"type":`, ErrBadFrame},
		{"unknown type", `{"type":"teleport"}`, ErrBadFrame},
		{"no type", `{}`, ErrBadFrame},
		{"turn ask without id", `{"type":"turn_creds"}`, ErrBadFrame},
		{"turn without urls", `{"type":"turn","id":"t","username":"u","password":"p","ttl":5}`, ErrBadFrame},
		{"old login", `{"type":"login","pub":"` + b64(32) + `","sig":"` + b64(64) + `"}`, ErrVersionUnsupported},
		{"newer login", `{"type":"login","v":2,"pub":"` + b64(32) + `","sig":"` + b64(64) + `"}`, ErrVersionUnsupported},
		{"newer challenge", `{"type":"challenge","v":2}`, ErrVersionUnsupported},
		{"short pub", `{"type":"login","v":1,"pub":"` + b64(31) + `","sig":"` + b64(64) + `"}`, ErrBadFrame},
		{"short nonce", `{"type":"challenge","v":1,"nonce":"` + b64(16) + `","relay_url":"ws://x"}`, ErrBadFrame},
		{"bad base64", `{"type":"send","id":"a","to":"` + addr + `","payload":"!!"}`, ErrBadFrame},
		{"bad address", `{"type":"send","id":"a","to":"abc","payload":"eA=="}`, ErrBadFrame},
		{"send without id", `{"type":"send","to":"` + addr + `","payload":"eA=="}`, ErrBadFrame},
		{"id with space", `{"type":"send","id":"a b","to":"` + addr + `","payload":"eA=="}`, ErrBadFrame},
		{"long id", `{"type":"ack","id":"` + strings.Repeat("i", MaxIDLen+1) + `"}`, ErrBadFrame},
		{"empty payload", `{"type":"send","id":"a","to":"` + addr + `"}`, ErrTooLarge},
		{"payload too large", `{"type":"send","id":"a","to":"` + addr + `","payload":"` + b64(MaxPayload+1) + `"}`, ErrTooLarge},
		{"frame too large", `{"type":"ping","message":"` + strings.Repeat("x", MaxFrame) + `"}`, ErrTooLarge},
		{"sub without addrs", `{"type":"sub","addrs":[]}`, ErrBadFrame},
		{"error without code", `{"type":"error","message":"x"}`, ErrBadFrame},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeFrame([]byte(tt.in))
			if !errors.Is(err, tt.want) {
				t.Fatalf("DecodeFrame error = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestDecodeFrameKeepsVersion(t *testing.T) {
	f, err := DecodeFrame([]byte(`{"type":"login","v":7}`))
	if !errors.Is(err, ErrVersionUnsupported) || f.V != 7 {
		t.Fatalf("got v%d, %v", f.V, err)
	}
}

func TestErrorIs(t *testing.T) {
	err := error(&Error{Code: CodeMailboxFull, Message: "address has 64 envelopes"})
	if !errors.Is(err, ErrMailboxFull) || errors.Is(err, ErrRateLimited) {
		t.Fatalf("errors.Is misbehaves for %v", err)
	}
	if got, want := err.Error(), "mailbox full: address has 64 envelopes"; got != want {
		t.Fatalf("Error() = %q, want %q", got, want)
	}
}

func b64(n int) string {
	return strings.Repeat("A", (n+2)/3*4-(3-n%3)%3) + strings.Repeat("=", (3-n%3)%3)
}

func FuzzDecodeFrame(f *testing.F) {
	for _, fr := range validFrames() {
		b, err := EncodeFrame(fr)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"type":"login","v":0}`))
	f.Add([]byte(`{"type":"sub","addrs":["zz"]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		fr, err := DecodeFrame(b)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("DecodeFrame error %v is not an *Error", err)
			}
			return
		}
		enc, err := EncodeFrame(fr)
		if err != nil {
			t.Fatalf("EncodeFrame of a decoded frame: %v", err)
		}
		back, err := DecodeFrame(enc)
		if err != nil {
			t.Fatalf("DecodeFrame(EncodeFrame(f)): %v", err)
		}
		again, err := EncodeFrame(back)
		if err != nil || !bytes.Equal(enc, again) {
			t.Fatalf("encoding not stable: %s then %s (%v)", enc, again, err)
		}
	})
}

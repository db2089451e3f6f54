package link

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/porchlight/porchlight/app/envelope"
	"github.com/porchlight/porchlight/app/identity"
)

// TestHostileRelayCannotSwapFingerprint plays signaling as the core does:
// Ana's offer SDP travels sealed to Ben and signed by Ana, through a relay
// that wants to stand in for her with its own certificate. Whatever the
// relay does, Ben never gets a link with the impostor:
//   - altering the sealed bytes: Ben cannot open the envelope;
//   - resealing a doctored SDP under its own key: the envelope is signed by
//     the relay, not by Ana (the core refuses it: app/links.go
//     handleFriendMessage); and were it used anyway, the link would refuse
//     the certificate (TestFingerprintTamperRefused);
//   - replaying Ana's genuine envelope: refused as a replay (see also
//     app/envelope TestReplayRefused).
func TestHostileRelayCannotSwapFingerprint(t *testing.T) {
	ana, err := identity.Generate()
	if err != nil {
		t.Fatal(err)
	}
	ben, _ := identity.Generate()
	relay, _ := identity.Generate()

	ctx := t.Context()
	pending, offer, err := Offer(ctx, testConfig(t))
	if err != nil {
		t.Fatal(err)
	}
	defer pending.Close()
	impostor, impostorOffer, err := Offer(ctx, testConfig(t))
	if err != nil {
		t.Fatal(err)
	}
	defer impostor.Close()
	impostorFingerprint, _ := Fingerprint(impostorOffer)
	doctored := fingerprintLine.ReplaceAllString(offer, "a=fingerprint:sha-256 "+impostorFingerprint)

	sealed, err := envelope.Seal(ana, ben.Public(), "offer", offer, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	inbox := envelope.NewOpener(ben)

	t.Run("altered in transit", func(t *testing.T) {
		altered := append([]byte(nil), sealed...)
		altered[len(altered)/2] ^= 0x20
		if _, err := inbox.Open(altered); err == nil {
			t.Fatal("Ben opened an envelope the relay altered")
		}
	})
	t.Run("resealed by the relay", func(t *testing.T) {
		forged, err := envelope.Seal(relay, ben.Public(), "offer", doctored, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		m, err := inbox.Open(forged)
		if err != nil {
			t.Fatal(err)
		}
		if m.From.ID() == ana.ID() {
			t.Fatal("the relay's envelope passed as Ana's")
		}
		// Suppose Ben's core took it anyway: the link still refuses.
		var sdp string
		if err := json.Unmarshal(m.Body, &sdp); err != nil {
			t.Fatal(err)
		}
		answerer, answer, err := Answer(ctx, testConfig(t), sdp)
		if err != nil {
			t.Fatal(err)
		}
		defer answerer.Close()
		go func() { _, _ = pending.Complete(ctx, answer) }()
		if err := answerer.Ready(ctx); !errors.Is(err, ErrFingerprintMismatch) {
			t.Fatalf("Ben's link with the doctored offer: %v, want ErrFingerprintMismatch", err)
		}
	})
	t.Run("replayed", func(t *testing.T) {
		if _, err := inbox.Open(sealed); err != nil {
			t.Fatalf("Ana's genuine offer: %v", err)
		}
		if _, err := inbox.Open(sealed); !errors.Is(err, envelope.ErrReplay) {
			t.Fatalf("replayed offer: %v, want ErrReplay", err)
		}
	})
}

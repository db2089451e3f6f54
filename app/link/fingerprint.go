package link

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"

	"github.com/pion/sdp/v3"
)

// ErrFingerprintMismatch means the peer's DTLS certificate is not the one
// the signed SDP declared: someone other than the signer is on the line.
var ErrFingerprintMismatch = errors.New("peer certificate does not match the signed fingerprint")

// ErrNoFingerprint means an SDP declares no SHA-256 certificate fingerprint.
var ErrNoFingerprint = errors.New("sdp declares no sha-256 fingerprint")

// Fingerprint returns the SHA-256 DTLS certificate fingerprint that sdp
// declares, as upper-case colon-separated hex ("AB:CD:...").
func Fingerprint(sdpText string) (string, error) {
	var desc sdp.SessionDescription
	if err := desc.UnmarshalString(sdpText); err != nil {
		return "", fmt.Errorf("parse sdp: %w", err)
	}
	attrs := desc.Attributes
	for _, media := range desc.MediaDescriptions {
		attrs = append(attrs, media.Attributes...)
	}
	found := ""
	for _, attr := range attrs {
		if attr.Key != "fingerprint" {
			continue
		}
		algorithm, value, ok := strings.Cut(strings.TrimSpace(attr.Value), " ")
		if !ok || !strings.EqualFold(algorithm, "sha-256") {
			continue
		}
		value = strings.ToUpper(strings.TrimSpace(value))
		if found != "" && found != value {
			return "", errors.New("read fingerprint: sdp declares two different sha-256 fingerprints")
		}
		found = value
	}
	if found == "" {
		return "", ErrNoFingerprint
	}
	return found, nil
}

// certFingerprint returns the SHA-256 fingerprint of a DER certificate in
// the form Fingerprint returns.
func certFingerprint(der []byte) string {
	sum := sha256.Sum256(der)
	hex := make([]string, len(sum))
	for i, b := range sum {
		hex[i] = fmt.Sprintf("%02X", b)
	}
	return strings.Join(hex, ":")
}

// verifyPeer runs once DTLS is up: the link goes on only if the peer's
// certificate is the one the signed SDP declared.
func (l *Link) verifyPeer() {
	if err := l.checkPeerCertificate(); err != nil {
		_ = l.end(err)
		return
	}
	close(l.verified)
}

// checkPeerCertificate compares the certificate the peer presented in the
// DTLS handshake with the fingerprint of the remote SDP.
func (l *Link) checkPeerCertificate() error {
	cert := l.pc.SCTP().Transport().GetRemoteCertificate()
	if len(cert) == 0 {
		return fmt.Errorf("%w: the peer presented no certificate", ErrFingerprintMismatch)
	}
	l.mu.Lock()
	want := l.remoteFingerprint
	l.mu.Unlock()
	if got := certFingerprint(cert); got != want {
		return fmt.Errorf("%w: the peer presented %s, the SDP declared %s", ErrFingerprintMismatch, got, want)
	}
	return nil
}

// explain returns why the link ends: if the peer presented a certificate
// other than the signed one, that is the reason, whatever noticed the
// failure first (pion checks fingerprints too, and fails the connection).
func (l *Link) explain(cause error) error {
	if len(l.pc.SCTP().Transport().GetRemoteCertificate()) == 0 {
		return cause
	}
	if err := l.checkPeerCertificate(); err != nil {
		return err
	}
	return cause
}

package discovery

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"encoding/binary"
	"strings"
	"time"
)

const (
	tokenLabel  = "porchlight/v1/discovery\x00"
	tokenPeriod = 10 * time.Minute
	tokenLength = 16 // base32 characters: 80 bits
)

var tokenEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

func window(t time.Time) int64 { return t.Unix() / int64(tokenPeriod/time.Second) }

// Token is the friends-only token for secret at time t.
func Token(secret []byte, t time.Time) string {
	return tokenAt(secret, window(t))
}

func tokenAt(secret []byte, w int64) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(tokenLabel))
	mac.Write(binary.BigEndian.AppendUint64(nil, uint64(w)))
	return strings.ToLower(tokenEncoding.EncodeToString(mac.Sum(nil)))[:tokenLength]
}

// recognize returns the friend publishing token at about time now, or "".
// secrets are the friends' discovery secrets by ID.
func recognize(secrets map[string][]byte, token string, now time.Time) string {
	w := window(now)
	for id, secret := range secrets {
		for d := int64(-1); d <= 1; d++ {
			if hmac.Equal([]byte(tokenAt(secret, w+d)), []byte(token)) {
				return id
			}
		}
	}
	return ""
}

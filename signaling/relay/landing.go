package relay

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"net/http"
)

// invitePage is the https landing page of invite links. The invite itself
// stays after '#', which browsers never send: the page's script reads it
// and hands it to the app at porchlight://invite#...
//
//go:embed invite.html
var invitePage []byte

func serveInvitePage(w http.ResponseWriter, _ *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "public, max-age=3600")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; script-src 'sha256-"+invitePageScriptHash+"'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
	w.Write(invitePage)
}

// invitePageScriptHash is the Content-Security-Policy hash of the page's one
// inline script: no other script may run on the page.
var invitePageScriptHash = func() string {
	_, rest, _ := bytes.Cut(invitePage, []byte("<script>"))
	script, _, _ := bytes.Cut(rest, []byte("</script>"))
	sum := sha256.Sum256(script)
	return base64.StdEncoding.EncodeToString(sum[:])
}()

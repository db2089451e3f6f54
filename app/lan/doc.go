// Package lan makes the LAN path of a link: TLS 1.3 over TCP between two
// friends, mutually authenticated by their Ed25519 identity keys, carrying
// HTTP/2 in both directions (the same Serve/Client shape as app/link).
//
// # Design
//
// A link is two TCP connections, one per direction: on the first the dialer
// is the HTTP/2 client, on the second the listener is. Each is authenticated
// on its own, and the listener pairs the second with the first by a random
// token it handed out inside the first. Two connections cost one extra
// handshake (a millisecond on a LAN) and buy the simplest fast data path:
// HTTP/2 straight on TLS, no multiplexer of our own, and no head-of-line
// blocking between the directions. (HTTP/2 cannot send requests from server
// to client, so one connection would need a second framing layer.)
//
// Every connection opens the same way:
//
//	dialer                                                    listener
//	──────                                                    ────────
//	TCP connect ─────────────────────────────────────────────►
//	           ◄──────────────────────────── nonce (32 random bytes)
//	proof = HMAC-SHA256(friendship secret,
//	        "porchlight/v1/lan\x00" || nonce) ──────────────►
//	                             finds the friend whose secret matches;
//	                             none: "visible" answers 0x00 and closes,
//	                             "friends"/"hidden" close without a word
//	           ◄──────────────────────────────── 0x01 (proof accepted)
//	◄══════ TLS 1.3, ALPN "porchlight-lan/1", both sides present a ═══►
//	        self-signed certificate whose key is their identity key;
//	        each checks it is the key it expects ([ErrWrongPeer])
//	first connection:
//	'A' ─────────────────────────────────────────────────────►
//	           ◄──────────────────────────────── link token (16 bytes)
//	   dialer's Client() ───── HTTP/2 ─────► listener's Serve()
//	second connection (same opening):
//	'B' || link token ───────────────────────────────────────►
//	           ◄──────────────────────────────── 0x01 (paired)
//	   dialer's Serve() ◄───── HTTP/2 ───── listener's Client()
//
// The proof carries no identity in the clear: the listener tries the secret
// of each of its friends, so a passive observer on the LAN learns neither
// who calls nor (TLS 1.3 encrypts certificates) who answers, and a stranger
// who connects gets 32 random bytes and a closed socket. The friend whose
// secret matched must then also present that friend's key in TLS, so a
// leaked secret alone does not make a link.
//
// When both sides dial at once, [Prefer] is the fixed rule that decides
// which of the two links survives.
package lan

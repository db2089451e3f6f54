// Package link makes a WebRTC link to one peer: an authenticated, encrypted,
// multiplexed connection that carries HTTP/2 in both directions.
//
// Signaling is the caller's job: it carries the offer and answer SDP between
// the peers, sealed to the recipient and signed by the sender. This package
// only trusts what those signed SDPs declare; after DTLS connects, each side
// checks the peer's certificate against the fingerprint in the SDP it was
// given and refuses the link on a mismatch ([ErrFingerprintMismatch]).
//
//	offerer                                                     answerer
//	───────                                                     ────────
//	Offer(ctx, cfg) ──► offer SDP ══ caller's signaling ══► Answer(ctx, cfg, offer)
//	                                                         │
//	Pending.Complete ◄══ caller's signaling ══ answer SDP ◄──┘
//	   │                                                    Link.Ready
//	   │◄──────────── ICE (allowed interfaces only) ───────────►│
//	   │◄──── DTLS; each side checks the peer's fingerprint ───►│
//	   │◄──── SCTP with two pre-negotiated data channels ──────►│
//	   │                                                        │
//	   │ id 0 "h2-offerer-client":   Client() ─HTTP/2─► Serve() │
//	   │ id 1 "h2-answerer-client":  Serve() ◄─HTTP/2─ Client() │
//
// Each data channel is detached from pion and adapted into a [net.Conn]
// (message framing, flow control, deadlines), on which net/http speaks HTTP/2
// with prior knowledge: the link already encrypts, so there is no TLS inside.
package link

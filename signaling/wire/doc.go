// Package wire is the Porchlight relay protocol: the frames that a signaling
// relay (package relay) and its clients (package client) exchange, the login
// message a client signs, relay addresses, limits, typed errors and close
// codes.
//
// Frames are JSON objects sent as WebSocket text messages on the path
// "/v1/ws" (see Path). Every frame has a "type"; the other fields depend on
// it. Byte fields (nonce, pub, sig, payload) are standard base64, addresses
// are 64 hex digits.
//
//	client                                         relay
//	  |---- WebSocket upgrade: GET /v1/ws ------------>|
//	  |<--- challenge{v, nonce, relay_url} ------------|  nonce: 32 fresh bytes
//	  |---- login{v, pub, sig} ----------------------->|  sig = Ed25519(LoginMessage(url, v, nonce))
//	  |<--- welcome{} ---------------------------------|  or error{code, message} + close
//	  |                                                |
//	  |---- sub{addrs} / unsub{addrs} ---------------->|  listen on addresses
//	  |---- send{id, to, payload} -------------------->|  stored in to's mailbox
//	  |<--- accepted{id} ------------------------------|  or error{id, code, message}
//	  |                                                |
//	  |                  (every subscriber of "to", and a later subscriber
//	  |                   for as long as the envelope stays in the mailbox)
//	  |<--- deliver{id, to, payload} ------------------|
//	  |---- ack{id, to} ------------------------------>|  relay drops it from the mailbox
//	  |                                                |
//	  |---- ping{t} ---------------------------------->|  t: opaque to the relay
//	  |<--- pong{t} -----------------------------------|  client measures round trip
//	  |                                                |
//	  |---- turn_creds{id} --------------------------->|  only when logged in
//	  |<--- turn{id, username, password, ttl, urls} ---|  or error{id, code 4009} if TURN is off
//
// Login. The client signs LoginMessage(relayURL, Version, nonce), where
// relayURL is the URL the client itself dialled (in CanonicalURL form), never
// the relay_url the relay announces. The message is domain separated and binds
// the protocol version and the relay's URL, and the nonce is fresh for every
// connection, so a login can be replayed neither on another connection nor
// at another relay. A relay accepts a login that verifies for any one of its
// public URLs.
//
// Versions. Version is the protocol spoken here. A peer that sees a challenge
// or login with another version refuses it with CodeVersionUnsupported (close
// code 4002), and the message says which side needs an upgrade.
//
// Addresses. An Address is an opaque 32-byte value that clients compute from
// secrets they share (a friendship, an invite). The relay routes by address
// only and never learns who owns one; payloads are sealed by the clients and
// opaque to the relay.
//
// Connection limits. A relay over its limits on connections per IP, new
// connections per second (per IP and in total) or connections in all refuses
// the upgrade itself, before any frame: HTTP 429 (or 503 when full) with the
// header RefusalHeader set to 4008 (CodeTooManyConnections).
//
// TURN. Credentials are time limited (ttl seconds) and valid only on this
// relay; the relay relays only toward the addresses of clients logged in to it.
//
// Errors. A relay answers a frame it refuses with an error frame; fatal
// errors are followed by a close with the same code (see Code). Non-fatal
// errors (a full mailbox, a send over the rate limit) carry the id of the
// send they answer.
package wire

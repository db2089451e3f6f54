// Package discovery finds Porchlight neighbours on the local network with
// mDNS (github.com/hashicorp/mdns): it advertises "_porchlight._tcp" with
// the LAN listener's port on the chosen interfaces, and browses for others
// all the time. An answer is a hint, never an identity: the LAN handshake
// (app/lan) decides who a neighbour is.
//
// # What is published
//
//	visibility  instance and host name        TXT
//	visible     "pl-" + the ID's first 16     v=1, id=<ID>, name=<name>
//	friends     the current token             v=1, t=<token>
//	hidden      nothing is published (we still browse)
//
// # The friends-only token
//
// A friends-only resident must be recognisable by its friends and by no one
// else, and must not be trackable by strangers over time. The token is
//
//	token = base32(HMAC-SHA256(discovery secret, "porchlight/v1/discovery\x00" || window))[:16]
//	window = unix time / 10 minutes
//
// where the discovery secret is one random 32-byte secret per resident,
// handed to every friend (the caller's job: it travels with the friendship,
// e.g. in the welcome message). Why one secret for all friends rather than
// one token per friendship secret: a token per friend would publish the
// number of friends, grow the TXT record with each one, and let a stranger
// watch that count change. One token says nothing but "someone is here".
// The price: a former friend keeps recognising us until we pick a new
// discovery secret (do so on unfriending, and send it to the remaining
// friends), and any friend can recognise us, which friends-only means anyway.
// The instance and host names are the token too, so nothing stable is left
// to track across windows; the IP address stays, as it must. Friends check
// the previous, current and next window, so clocks may differ by minutes.
//
// # Browsing and its limits
//
// The library's server only answers queries: it never announces and never
// says goodbye. So we query every second for the first five seconds, then
// every TTL/3 (between 1 and 10 seconds), and forget a neighbour that has
// not answered for TTL. A query round also listens until the next one, so
// we hear the announcements we (and avahi) send on start. Answers come back
// unicast (we set the QU bit, and the library's server answers every query
// unicast), which works even though the library's client joins the
// multicast group on the system's default interface whatever interface it
// queries on; only unsolicited announcements depend on that join. Because
// of that join, tests run discovery only inside network namespaces they
// made, and discovery is off when the interfaces list names only "lo".
// The advertised addresses are passed explicitly (the library would
// otherwise advertise the hostname's address: 127.0.1.1 on Debian).
package discovery

// Package peer carries the identity of the remote peer through a request's
// context, so that every service handler (and the grant check in front of it)
// knows who is asking without knowing how the link was made.
package peer

import "context"

// Identity is who is on the other end of a link.
type Identity struct {
	// ID is the peer's stable identifier (derived from its Ed25519 key).
	ID string
	// Name is the display name the local resident knows the peer by.
	Name string
}

type ctxKey struct{}

// WithIdentity returns a context that carries id.
func WithIdentity(ctx context.Context, id Identity) context.Context {
	return context.WithValue(ctx, ctxKey{}, id)
}

// FromContext returns the peer identity carried by ctx, if any.
func FromContext(ctx context.Context) (Identity, bool) {
	id, ok := ctx.Value(ctxKey{}).(Identity)
	return id, ok && id.ID != ""
}

package lan

// Prefer is the fixed rule for simultaneous dials: when localID and
// remoteID have each dialed the other, the peer with the lower ID keeps its
// outgoing link and drops the incoming one. Prefer reports whether we
// (localID) keep our outgoing link; both sides compute the same answer
// from opposite ends, so exactly one link survives.
func Prefer(localID, remoteID string) bool {
	return localID < remoteID
}

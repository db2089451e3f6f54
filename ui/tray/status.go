package tray

import (
	"fmt"

	"github.com/porchlight/porchlight/app/api"
)

// statusLine is the tray's first, greyed-out line: who is hosting and how
// the porch light is. A nil status means the core has not answered yet.
func statusLine(st *api.Status) string {
	if st == nil {
		return "Starting…"
	}
	name := st.Name
	if name == "" {
		name = st.ShortID
	}
	if name == "" {
		name = "Porchlight"
	}
	switch st.State {
	case api.StateOn:
		return name + " — hosting, " + friends(st.Friends)
	case api.StateOff:
		return name + " — sharing paused"
	default:
		return name + " — no relay reachable"
	}
}

func friends(n int) string {
	switch n {
	case 0:
		return "no friends yet"
	case 1:
		return "1 friend"
	default:
		return fmt.Sprintf("%d friends", n)
	}
}

// iconState is the porch-light state to draw: dim until the core answers.
func iconState(st *api.Status) string {
	if st == nil {
		return api.StateDim
	}
	return st.State
}

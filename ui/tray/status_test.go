package tray

import (
	"testing"

	"github.com/porchlight/porchlight/app/api"
)

func TestStatusLine(t *testing.T) {
	tests := []struct {
		name string
		st   *api.Status
		want string
	}{
		{"starting", nil, "Starting…"},
		{"on", &api.Status{Name: "Ana", State: api.StateOn, Friends: 2}, "Ana — hosting, 2 friends"},
		{"on, one friend", &api.Status{Name: "Ana", State: api.StateOn, Friends: 1}, "Ana — hosting, 1 friend"},
		{"on, alone", &api.Status{Name: "Ana", State: api.StateOn}, "Ana — hosting, no friends yet"},
		{"dim", &api.Status{Name: "Ana", State: api.StateDim, Friends: 2}, "Ana — no relay reachable"},
		{"off", &api.Status{Name: "Ana", State: api.StateOff, Friends: 2}, "Ana — sharing paused"},
		{"unnamed", &api.Status{ShortID: "k3x9-p2qa", State: api.StateDim}, "k3x9-p2qa — no relay reachable"},
		{"unknown state", &api.Status{Name: "Ana", State: "sleeping"}, "Ana — no relay reachable"},
	}
	for _, tt := range tests {
		if got := statusLine(tt.st); got != tt.want {
			t.Errorf("%s: statusLine = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestIconState(t *testing.T) {
	tests := []struct {
		st   *api.Status
		want string
	}{
		{nil, api.StateDim},
		{&api.Status{State: api.StateOn}, api.StateOn},
		{&api.Status{State: api.StateOff}, api.StateOff},
	}
	for _, tt := range tests {
		if got := iconState(tt.st); got != tt.want {
			t.Errorf("iconState(%+v) = %q, want %q", tt.st, got, tt.want)
		}
	}
}

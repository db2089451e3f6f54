package tray

import (
	"fmt"
	"slices"
	"testing"

	"github.com/porchlight/porchlight/app/api"
)

func TestFriendsInTheTray(t *testing.T) {
	tests := []struct {
		name    string
		friends []api.Friend
		title   string
		lines   []line
	}{
		{"none", nil, "No friends yet", []line{}},
		{"connected first, then by name", []api.Friend{
			{ID: "t", Name: "tomás", Link: "none"},
			{ID: "r", Name: "Rita", Link: "relayed"},
			{ID: "b", Name: "Ben", Link: "none"},
			{ID: "m", Name: "Mei", Link: "lan"},
		}, "Friends: 2 of 4 connected", []line{
			{"Mei — on this network", "m"},
			{"Rita — connected through a relay", "r"},
			{"Ben — not connected", "b"},
			{"tomás — not connected", "t"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := friendsTitle(tt.friends); got != tt.title {
				t.Errorf("title %q, want %q", got, tt.title)
			}
			if got := friendLines(tt.friends); !slices.Equal(got, tt.lines) {
				t.Errorf("lines %q, want %q", got, tt.lines)
			}
		})
	}
}

func TestManyFriendsEndInAMoreLine(t *testing.T) {
	var fs []api.Friend
	for i := range maxPeople + 3 {
		fs = append(fs, api.Friend{ID: fmt.Sprint(i), Name: fmt.Sprintf("Friend %02d", i)})
	}
	got := friendLines(fs)
	if len(got) != maxPeople+1 || got[maxPeople] != (line{text: "…and 3 more"}) {
		t.Fatalf("%d lines ending %q; want %d, ending with …and 3 more (which opens the Friends view)", len(got), got[len(got)-1], maxPeople+1)
	}
}

func TestNeighboursInTheTray(t *testing.T) {
	ns := []api.Neighbour{{Name: "Jonas Berg"}, {Name: "ana", Friend: true}, {}}
	if got := neighboursTitle(ns); got != "3 neighbours nearby" {
		t.Errorf("title %q", got)
	}
	if got := neighboursTitle(nil); got != "No neighbours nearby" {
		t.Errorf("title with none: %q", got)
	}
	want := []line{{text: "A Porchlight that shows no name"}, {text: "ana (your friend)"}, {text: "Jonas Berg"}}
	if got := neighbourLines(ns); !slices.Equal(got, want) {
		t.Errorf("lines %q, want %q", got, want)
	}
}

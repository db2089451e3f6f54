package main

import (
	"time"

	"github.com/porchlight/porchlight/app/api"
	"github.com/porchlight/porchlight/ui/window/internal/fake"
)

// sampleLink is the invitation the Accept picture opens.
const sampleLink = "porchlight://invite#eyJ2IjoxLCJzYW1wbGUiOnRydWV9"

// sampleCore is a resident with a few friends, relays and shares, who has
// been sent an invitation.
func sampleCore() *fake.Client {
	c := fake.New(api.Status{
		ID: "7qx4k2mpa9d3w6yb", ShortID: "7QX4-K2MP", Name: "Ana Lima", State: api.StateOn,
		Relays: []api.RelayStatus{
			{URL: "wss://relay.riverside.community/v1", State: "online", RTTMillis: 23},
			{URL: "wss://porch.mesh.example.net", State: "online", RTTMillis: 61},
			{URL: "wss://relay.oldtown.example.org", State: "offline", Error: "no answer for 2 minutes"},
		},
		Version: "0.1.0",
	})
	added := time.Date(2025, 5, 3, 18, 0, 0, 0, time.UTC)
	c.SetFriends(
		api.Friend{ID: "samokafor", ShortID: "3JH8-QW2N", Name: "Sam Okafor", Link: "direct", Added: added},
		api.Friend{ID: "ritadesai", ShortID: "9PLM-4XC7", Name: "Rita Desai", Link: "relayed", Added: added},
		api.Friend{ID: "tomasnovak", ShortID: "K5T2-8VBD", Name: "Tomás Novák", Link: "none", Added: added},
		api.Friend{ID: "meiwong", ShortID: "W7RZ-6NHE", Name: "Mei Wong", Link: "direct", Added: added},
	)
	c.SetShares(
		api.Share{Name: "Garden photos", Path: "/home/ana/Pictures/Garden", Audience: "friends", Mode: "ro"},
		api.Share{Name: "Recipes", Path: "/home/ana/Documents/Recipes", Audience: "friends", Mode: "ro"},
		api.Share{Name: "Street party 2025", Path: "/home/ana/Documents/Street party", Audience: "chosen", Mode: "rw"},
	)
	c.Offer(sampleLink, api.InviteInfo{
		ID: "c0ffee12", InviterID: "jonasberg", InviterName: "Jonas Berg", ShortID: "H2DK-7MQS",
		Relays: []string{"wss://relay.riverside.community/v1"},
		Shares: []string{"Tool library", "Allotment calendar"}, Label: "For Ana",
		Expires: time.Now().Add(6 * 24 * time.Hour),
	})
	return c
}

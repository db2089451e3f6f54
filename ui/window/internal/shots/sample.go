package main

import (
	"fmt"
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
		ID: "7qx4k2mpa9d3w6yb", ShortID: "7QX4-K2MP", Name: "Ana Lima", NameChosen: true, State: api.StateOn,
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
		api.Share{Name: "Street party 2025", Path: "/home/ana/Documents/Street party", Audience: "chosen", Mode: "rw", Friends: []string{"Rita Desai", "Mei Wong"}},
	)
	c.SetNeighbours(
		api.Neighbour{ID: "meiwong", Name: "Mei Wong", Friend: true, Addrs: []string{"192.168.1.23"}, Seen: time.Now().Add(-2 * time.Minute)},
		api.Neighbour{ID: "jonasberg", Name: "Jonas Berg", Addrs: []string{"192.168.1.31"}, Seen: time.Now().Add(-10 * time.Second)},
		api.Neighbour{Name: "Kitchen laptop", Addrs: []string{"192.168.1.40"}, Seen: time.Now().Add(-30 * time.Second)},
	)
	c.SetInvites(
		api.Invite{ID: "inv0001", Label: "Choir", Expires: time.Now().Add(-48 * time.Hour), MaxUses: 10, Uses: 4, State: "expired"},
		api.Invite{ID: "inv0002", Label: "Allotment group", Expires: time.Now().Add(5 * 24 * time.Hour), MaxUses: 5, Uses: 2, State: "open"},
	)
	c.Knock(api.Newcomer{ID: "nc1", FriendID: "lenafischer", ShortID: "R4VN-2KQT", Name: "Lena Fischer", Invite: "Allotment group"})
	sampleRemote(c)
	sampleTransfers(c)
	c.Offer(sampleLink, api.InviteInfo{
		ID: "c0ffee12", InviterID: "jonasberg", InviterName: "Jonas Berg", ShortID: "H2DK-7MQS",
		Relays: []string{"wss://relay.riverside.community/v1"},
		Shares: []string{"Tool library", "Allotment calendar"}, Label: "For Ana",
		Expires: time.Now().Add(6 * 24 * time.Hour),
	})
	return c
}

// sampleRemote is what Sam shares with Ana: a photo archive with a big
// folder, and a drop box.
func sampleRemote(c *fake.Client) {
	c.ShareWithMe("samokafor", api.RemoteShare{Name: "Garden photos", Mode: "ro"})
	c.ShareWithMe("samokafor", api.RemoteShare{Name: "Allotment drop box", Mode: "drop"})
	day := time.Date(2025, 6, 14, 9, 30, 0, 0, time.UTC)
	c.PutEntries("samokafor", "Garden photos", "/",
		api.Entry{Name: "2024 harvest", Dir: true, Modified: day.AddDate(0, -9, 0)},
		api.Entry{Name: "Greenhouse build", Dir: true, Modified: day.AddDate(0, -2, 3)},
		api.Entry{Name: "Seed swap flyers", Dir: true, Modified: day.AddDate(-1, 0, 0)},
		api.Entry{Name: "allotment-plan.pdf", Size: 482_113, Modified: day},
		api.Entry{Name: "bees-in-the-lavender.mov", Size: 734_003_200, Modified: day.AddDate(0, 0, -12)},
		api.Entry{Name: "compost-notes.txt", Size: 3_214, Modified: day.AddDate(0, -1, 0)},
	)
	var pics []api.Entry
	for i := 1; i <= 1240; i++ {
		pics = append(pics, api.Entry{Name: fmt.Sprintf("IMG_%04d.jpg", 3100+i), Size: int64(2_400_000 + i*7919%1_900_000), Modified: day.Add(time.Duration(i) * time.Minute)})
	}
	c.PutEntries("samokafor", "Garden photos", "/2024 harvest", pics...)
}

// sampleTransfers are downloads and uploads in every state, frozen.
func sampleTransfers(c *fake.Client) {
	c.SetProgressInterval(0)
	for _, t := range []api.Transfer{
		{Kind: api.TransferDownload, Friend: "Rita Desai", Share: "Street party 2025", Path: "/programme-draft.odt", Dest: "/home/ana/Downloads/programme-draft.odt", State: api.TransferDone, Bytes: 58_200, Size: 58_200},
		{Kind: api.TransferUpload, Friend: "Sam Okafor", Share: "Allotment drop box", Path: "/tomato-seedlings.jpg", Dest: "/home/ana/Pictures/tomato-seedlings.jpg", State: api.TransferFailed, Bytes: 1_200_000, Size: 3_400_000, Error: "Sam went offline"},
		{Kind: api.TransferDownload, Friend: "Mei Wong", Share: "Choir", Path: "/rehearsal-week-3.flac", Dest: "/home/ana/Downloads/rehearsal-week-3.flac", State: api.TransferPaused, Bytes: 41_000_000, Size: 96_500_000},
		{Kind: api.TransferDownload, Friend: "Sam Okafor", Share: "Garden photos", Path: "/2024 harvest/IMG_3140.jpg", Dest: "/home/ana/Downloads/2024 harvest/IMG_3140.jpg", State: api.TransferRunning, Bytes: 1_400_000, Size: 3_100_000, Rate: 2_600_000},
		{Kind: api.TransferDownload, Friend: "Sam Okafor", Share: "Garden photos", Path: "/bees-in-the-lavender.mov", Dest: "/home/ana/Downloads/bees-in-the-lavender.mov", State: api.TransferRunning, Bytes: 289_406_976, Size: 734_003_200, Rate: 11_800_000},
	} {
		c.AddTransfer(t)
	}
}

package window

import (
	"slices"
	"testing"
	"time"

	"github.com/porchlight/porchlight/app/api"
	"github.com/porchlight/porchlight/ui/window/internal/fake"
)

func TestFriendsListsLinksAndNeighbours(t *testing.T) {
	core := fake.New(sampleStatus())
	core.SetFriends(
		api.Friend{ID: "samid", ShortID: "3JH8-QW2N", Name: "Sam Okafor", Link: "lan"},
		api.Friend{ID: "ritaid", ShortID: "9PLM-4XC7", Name: "Rita Desai", Link: "relayed"},
		api.Friend{ID: "tomid", ShortID: "K5T2-8VBD", Name: "Tomás Novák", Link: "none"},
	)
	h := newHarness(t, core)
	h.start()
	h.ui(func() { h.w.Show(ViewFriends, "") })
	h.waitText(h.w.friends.list,
		"Sam Okafor", "ID 3JH8-QW2N · connected on this network",
		"Rita Desai", "connected through a relay",
		"Tomás Novák", "not connected")
	h.waitText(h.w.friends.neighbours, "No other Porchlight seen on this network.")

	core.SetNeighbours(api.Neighbour{Name: "Kitchen laptop", Addrs: []string{"192.168.1.40"}, Seen: time.Now()})
	h.waitText(h.w.friends.neighbours, "Kitchen laptop", "not a friend yet · 192.168.1.40")
}

func TestFriendsRemoveAsksFirst(t *testing.T) {
	core := fake.New(sampleStatus())
	core.SetFriends(
		api.Friend{ID: "anaid", ShortID: "AAAA-BBBB", Name: "Ana", Link: "direct"},
		api.Friend{ID: "samid", ShortID: "3JH8-QW2N", Name: "Sam Okafor", Link: "direct"},
	)
	h := newHarness(t, core)
	h.start()
	h.ui(func() { h.w.Show(ViewFriends, "") })
	h.waitText(h.w.friends.list, "Ana", "Sam Okafor")

	h.tapButton(h.rowWith(h.w.friends.list, "Ana"), "Remove")
	d := h.dialogShown("Remove Ana?", "Ana will no longer reach anything you share")
	if fs, _ := core.Friends(h.ctx); len(fs) != 2 {
		t.Fatalf("friends = %v before confirming, want both", fs)
	}
	h.tapButton(d, "Remove")

	h.waitText(h.w.friends.content, "Ana is no longer your friend.")
	h.eventually("Ana gone from the list", func() bool { return !containsText(h.w.friends.list, "Ana\n") })
	fs, err := core.Friends(h.ctx)
	if err != nil || slices.ContainsFunc(fs, func(f api.Friend) bool { return f.ID == "anaid" }) || len(fs) != 1 {
		t.Errorf("core friends = %v, %v; want Ana removed", fs, err)
	}
}

func TestFriendsKeepCancelsRemoval(t *testing.T) {
	core := fake.New(sampleStatus())
	core.SetFriends(api.Friend{ID: "anaid", ShortID: "AAAA-BBBB", Name: "Ana", Link: "direct"})
	h := newHarness(t, core)
	h.start()
	h.ui(func() { h.w.Show(ViewFriends, "") })
	h.waitText(h.w.friends.list, "Ana")
	h.tapButton(h.w.friends.list, "Remove")
	h.tapButton(h.dialogShown("Ana will no longer reach anything you share"), "Keep")
	// Keep starts nothing in the background: the check can follow at once.
	if fs, _ := core.Friends(h.ctx); len(fs) != 1 {
		t.Errorf("friends = %v after Keep, want Ana kept", fs)
	}
}

func TestFriendsBrowseOpensTheirShares(t *testing.T) {
	core := fake.New(sampleStatus())
	core.SetFriends(api.Friend{ID: "samid", ShortID: "3JH8-QW2N", Name: "Sam Okafor", Link: "direct"})
	core.ShareWithMe("samid", api.RemoteShare{Name: "Garden photos", Mode: "ro"})
	core.PutEntries("samid", "Garden photos", "/", api.Entry{Name: "plan.pdf", Size: 1200})
	h := newHarness(t, core)
	h.start()
	h.ui(func() { h.w.Show(ViewFriends, "") })
	h.waitText(h.w.friends.list, "Sam Okafor")
	h.tapButton(h.w.friends.list, "Browse")
	h.waitText(h.w.browse.content, "plan.pdf", "1.2 kB", "1 item")
	h.ui(func() {
		if got := h.w.tabs.Selected(); got != h.w.tabFor[ViewBrowse] {
			t.Errorf("selected tab %q, want Browse", got.Text)
		}
	})
}

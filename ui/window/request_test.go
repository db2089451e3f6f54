package window

import (
	"testing"
	"time"

	"github.com/porchlight/porchlight/app/api"
	"github.com/porchlight/porchlight/ui/window/internal/fake"
)

func TestAskNeighbourShowsCodeAndConfirms(t *testing.T) {
	core := fake.New(sampleStatus())
	core.SetNeighbours(
		api.Neighbour{ID: "kitchenid", Name: "Kitchen laptop", Addrs: []string{"192.168.1.40"}, Seen: time.Now()},
		api.Neighbour{Name: "Hidden one", Addrs: []string{"192.168.1.41"}, Seen: time.Now()},
	)
	h := newHarness(t, core)
	h.start()
	h.ui(func() { h.w.Show(ViewFriends, "") })
	h.waitText(h.w.friends.neighbours, "Kitchen laptop", "Hidden one")
	h.ui(func() {
		if containsText(h.rowWithNow(h.w.friends.neighbours, "Hidden one"), "Ask to be friends") {
			t.Error("a neighbour without an ID can be asked")
		}
	})
	h.tapButton(h.rowWith(h.w.friends.neighbours, "Kitchen laptop"), "Ask to be friends")
	d := h.dialogShown("Be friends with Kitchen laptop?", "Check that Kitchen laptop's screen shows", "100 456")
	h.tapButton(d, "Confirm")

	h.waitText(h.w.friends.content, "You and Kitchen laptop are now friends.")
	rs, _ := core.Requests(h.ctx)
	if len(rs) != 1 || rs[0].State != api.RequestDone {
		t.Errorf("requests = %+v, want one done", rs)
	}
	h.waitText(h.w.friends.list, "Kitchen laptop")
	h.eventually("no more asking", func() bool { return !containsText(h.w.friends.neighbours, "Ask to be friends") })
}

func TestNeighbourRequestPopsDialog(t *testing.T) {
	core := fake.New(sampleStatus())
	h := newHarness(t, core)
	h.start()
	h.ui(func() { h.w.Show(ViewFriends, "") })
	core.AskMe(api.Request{ID: "r9", PeerID: "meiid", PeerName: "Mei Wong", Code: "314 159"})
	d := h.dialogShown("Be friends with Mei Wong?", "Check that Mei Wong's screen shows", "314 159")
	h.waitText(h.w.friends.requests.content, "Mei Wong", "asks to be friends · code 314 159")
	h.tapButton(d, "Not the same")
	h.eventually("the request refused", func() bool { return len(h.w.friends.requests.pending()) == 0 })
	rs, _ := core.Requests(h.ctx)
	if len(rs) != 1 || rs[0].State != api.RequestRefused {
		t.Errorf("requests = %+v, want r9 refused", rs)
	}
	if fs, _ := core.Friends(h.ctx); len(fs) != 0 {
		t.Errorf("friends = %+v after refusing", fs)
	}
}

func TestVisibilityChoiceUpdatesSettings(t *testing.T) {
	core := fake.New(sampleStatus())
	h := newHarness(t, core)
	h.start()
	h.ui(func() {
		h.w.Show(ViewFriends, "")
		if got := h.w.friends.visibility.pick.Selected; got != seenFriends {
			t.Errorf("visibility starts as %q, want the core's default %q", got, seenFriends)
		}
		h.w.friends.visibility.pick.SetSelected(seenVisible)
	})
	h.eventually("the setting", func() bool { return core.Settings().Visibility == "visible" })
	h.waitText(h.w.friends.content, "Anyone on this network sees your name")
}

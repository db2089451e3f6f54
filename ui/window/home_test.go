package window

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/porchlight/porchlight/app/api"
	"github.com/porchlight/porchlight/ui/window/internal/fake"
)

func TestHomeShowsResidentRelaysFriendsAndShares(t *testing.T) {
	core := fake.New(sampleStatus())
	core.SetFriends(api.Friend{ID: "samid", ShortID: "3JH8-QW2N", Name: "Sam Okafor", Link: "direct"})
	core.SetShares(api.Share{Name: "Garden photos", Path: "/home/ana/Garden", Audience: "friends", Mode: "ro"})
	h := newHarness(t, core)
	h.start()

	h.waitText(h.w.home.content,
		"Ana Lima", "ID 7QX4-K2MP", "Your porch light is on",
		"relay.example.org/v1/ws", "online · 23 ms",
		"Sam Okafor", "ID 3JH8-QW2N · connected directly",
		"Garden photos", "all friends · read-only · /home/ana/Garden",
	)
	h.ui(func() {
		if got := h.w.home.light.bulb.FillColor; got != colorLightOn {
			t.Errorf("porch light is %v, want %v (on)", got, colorLightOn)
		}
	})
}

func TestHomeFollowsEvents(t *testing.T) {
	core := fake.New(sampleStatus())
	h := newHarness(t, core)
	h.start()
	h.waitText(h.w.home.content, "No friends yet")

	core.AddFriend(api.Friend{ID: "ritaid", ShortID: "9PLM-4XC7", Name: "Rita Desai", Link: "relayed"})
	h.waitText(h.w.home.content, "Rita Desai", "connected through a relay")

	core.UpdateStatus(func(s *api.Status) {
		s.State = api.StateDim
		s.Relays[0] = api.RelayStatus{URL: s.Relays[0].URL, State: "offline", Error: "connection refused"}
	})
	h.waitText(h.w.home.content, "Your porch light is dim", "offline", "connection refused")
	h.ui(func() {
		if got := h.w.home.light.bulb.FillColor; got != colorLightDm {
			t.Errorf("porch light is %v, want %v (dim)", got, colorLightDm)
		}
	})
}

func TestHomeAddsARelay(t *testing.T) {
	core := fake.New(sampleStatus())
	h := newHarness(t, core)
	h.start()
	h.ui(func() { h.w.home.addRelay.SetText("not a relay") })
	h.tapButton(h.w.home.content, "Add relay")
	h.waitText(h.w.home.content, "not a relay address")
	h.ui(func() { h.w.home.addRelay.SetText("wss://porch.example.org/v1/ws") })
	h.tapButton(h.w.home.content, "Add relay")
	h.waitText(h.w.home.relays, "porch.example.org")
}

// TestHomeAsksForANameFirst: on first run the window asks what friends
// should call the resident; a refusal is shown and the question stays.
func TestHomeAsksForANameFirst(t *testing.T) {
	st := sampleStatus()
	st.Name, st.NameChosen = "Neighbour 7QX4-K2MP", false
	core := fake.New(st)
	h := newHarness(t, core)
	h.start()
	h.waitText(h.w.home.content, "What should friends and neighbours call you?")

	h.ui(func() { h.w.home.nameEntry.SetText(strings.Repeat("A", 70)) })
	h.tapButton(h.w.home.content, "Save name")
	h.waitText(h.w.home.content, "at most 64 characters")

	h.ui(func() { h.w.home.nameEntry.SetText("  Ana Lima ") })
	h.tapButton(h.w.home.content, "Save name")
	h.waitText(h.w.home.name, "Ana Lima")
	h.eventually("the question to close", func() bool { return !h.w.home.nameBox.Visible() })
	if got, _ := core.Status(t.Context()); got.Name != "Ana Lima" || !got.NameChosen {
		t.Errorf("the core's name is %q (chosen %v), want Ana Lima", got.Name, got.NameChosen)
	}
}

// TestHomeDoesNotAskAChosenName: a resident with a name is not asked,
// until they tap the pencil by their name.
func TestHomeDoesNotAskAChosenName(t *testing.T) {
	h := newHarness(t, fake.New(sampleStatus()))
	h.start()
	h.waitText(h.w.home.content, "Ana Lima")
	h.ui(func() {
		if h.w.home.nameBox.Visible() {
			t.Error("a resident with a name was asked for one")
		}
	})
	h.ui(func() { test.Tap(h.w.home.rename) })
	h.eventually("the question to open with the name", func() bool {
		return h.w.home.nameBox.Visible() && h.w.home.nameEntry.Text == "Ana Lima"
	})
}

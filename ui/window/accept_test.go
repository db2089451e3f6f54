package window

import (
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/porchlight/porchlight/app/api"
	"github.com/porchlight/porchlight/ui/window/internal/fake"
)

func TestAcceptBadLinkShowsErrorAndDoesNotAccept(t *testing.T) {
	for _, link := range []string{"https://example.com/not-an-invite", "porchlight://invite#cut-short"} {
		t.Run(link, func(t *testing.T) {
			core := fake.New(sampleStatus())
			h := newHarness(t, core)
			h.ui(func() { h.w.Show(ViewAccept, link) })
			h.eventually("the error", func() bool { return h.w.accept.err.Visible() })
			h.ui(func() {
				got := h.w.accept.err.Text
				if !strings.Contains(got, "invite link") {
					t.Errorf("error = %q, want the core's explanation", got)
				}
				if h.w.accept.offer.Visible() {
					t.Error("an offer is shown for a bad link")
				}
				h.w.accept.submitAccept()
			})
			time.Sleep(20 * time.Millisecond)
			if got := core.Accepted(); len(got) != 0 {
				t.Errorf("Accept was called with %q", got)
			}
		})
	}
}

func TestAcceptEmptyLinkAsksForOne(t *testing.T) {
	h := newHarness(t, fake.New(sampleStatus()))
	h.ui(func() {
		h.w.Show(ViewAccept, "")
		test.Tap(h.w.accept.check)
		if got := h.w.accept.err.Text; got != "Paste the invitation link first." {
			t.Errorf("error = %q", got)
		}
	})
}

func TestAcceptGoodLinkUntilFriends(t *testing.T) {
	const link = "porchlight://invite#jonas"
	core := fake.New(sampleStatus())
	core.Offer(link, api.InviteInfo{
		ID: "inv1", InviterID: "jonasid", InviterName: "Jonas Berg", ShortID: "H2DK-7MQS",
		Shares: []string{"Tool library", "Allotment calendar"}, Label: "For Ana",
		Expires: time.Now().Add(24 * time.Hour),
	})
	h := newHarness(t, core)
	h.start()

	h.ui(func() { h.w.Show(ViewAccept, link) })
	h.waitText(h.w.accept.content, "Jonas Berg invites you to be friends", "ID H2DK-7MQS", "Tool library", "Allotment calendar")

	h.ui(func() { test.Tap(h.w.accept.accept) })
	h.waitText(h.w.accept.content, "Waiting for Jonas Berg to come online")
	if got := core.Accepted(); !slices.Equal(got, []string{link}) {
		t.Fatalf("accepted %q, want %q", got, link)
	}

	if err := core.CompleteJoin("inv1"); err != nil {
		t.Fatal(err)
	}
	h.waitText(h.w.accept.content, "You and Jonas Berg are now friends")
	if txt := h.textNow(h.w.accept.content); strings.Contains(txt, "Waiting") {
		t.Errorf("still waiting after the join is done:\n%s", txt)
	}
	h.ui(func() { h.w.Show(ViewHome, "") })
	h.waitText(h.w.home.content, "Jonas Berg")
}

func TestAcceptCatchesUpOnJoinsAfterReconnect(t *testing.T) {
	const link = "porchlight://invite#mei"
	core := fake.New(sampleStatus())
	core.Offer(link, api.InviteInfo{ID: "inv2", InviterID: "meiid", InviterName: "Mei Wong", ShortID: "W7RZ-6NHE"})
	h := newHarness(t, core)
	h.start()
	h.ui(func() { h.w.Show(ViewAccept, link) })
	h.waitText(h.w.accept.content, "Mei Wong invites you")
	h.ui(func() { test.Tap(h.w.accept.accept) })
	h.waitText(h.w.accept.content, "Waiting for Mei Wong")

	core.SetRunning(false) // the join completes while the window is not listening
	h.eventually("the offline notice", func() bool { return h.w.offline.content.Visible() })
	core.SetRunning(true)
	if err := core.CompleteJoin("inv2"); err != nil {
		t.Fatal(err)
	}
	h.w.Retry()
	h.waitText(h.w.accept.content, "You and Mei Wong are now friends")
}

func TestAcceptCodeJoinsWithoutInspecting(t *testing.T) {
	core := fake.New(sampleStatus())
	core.OfferCode("4-purple-sausage", api.InviteInfo{ID: "inv7", InviterID: "jonasid", InviterName: "Jonas Berg"})
	h := newHarness(t, core)
	h.start()
	h.ui(func() {
		h.w.Show(ViewAccept, "")
		test.Type(h.w.accept.link, " 4 Purple-sausage ")
		test.Tap(h.w.accept.check)
	})
	h.waitText(h.w.accept.content, "You and Jonas Berg are now friends")
	if got := core.CodesAccepted(); !slices.Equal(got, []string{"4-purple-sausage"}) {
		t.Errorf("AcceptCode got %q, want the normalised code", got)
	}
	if got := core.Accepted(); len(got) != 0 {
		t.Errorf("Accept was called with %q", got)
	}
	h.ui(func() {
		if h.w.accept.looking.Visible() {
			t.Error("still looking for the friend")
		}
	})
}

func TestAcceptWrongCodeShowsCoreError(t *testing.T) {
	core := fake.New(sampleStatus())
	h := newHarness(t, core)
	h.start()
	h.ui(func() { h.w.Show(ViewAccept, "9-wrong-guess") })
	h.eventually("the error", func() bool { return h.w.accept.err.Visible() })
	h.ui(func() {
		if got := h.w.accept.err.Text; !strings.Contains(got, "Nobody is waiting with this code") {
			t.Errorf("error = %q, want the core's", got)
		}
	})
}

func TestShortCodeShapes(t *testing.T) {
	for in, want := range map[string]string{
		"4-purple-sausage":     "4-purple-sausage",
		"  12 Purple Sausage ": "12-purple-sausage",
		"4-purple - sausage":   "4-purple-sausage",
	} {
		if got, ok := shortCode(in); !ok || got != want {
			t.Errorf("shortCode(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"porchlight://invite#abc", "purple-sausage", "4-purple", "4-purple-sausage-x", ""} {
		if got, ok := shortCode(in); ok {
			t.Errorf("shortCode(%q) = %q, want no code", in, got)
		}
	}
}

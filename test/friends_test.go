package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/porchlight/porchlight/app/api"
)

// TestUnfriendAndRevoke: removing a friend cuts them off at once, and a
// withdrawn invite is refused with a clear reason.
func TestUnfriendAndRevoke(t *testing.T) {
	r := startRelay(t)
	ana := newNode(t, "Ana", r.URL)
	ben := newNode(t, "Ben", r.URL)
	befriend(t, ana, ben)
	ana.MustRun("share add", "--name", "S", t.TempDir())
	ben.MustRun("ls", "Ana:/S") // a live link now exists

	ana.MustRun("rename", "Ben", "Benjamin")
	if fs := ana.Friends(); len(fs) != 1 || fs[0] != "Benjamin" {
		t.Fatalf("after rename: %v", fs)
	}
	ana.MustRun("unfriend", "Benjamin")
	if fs := ana.Friends(); len(fs) != 0 {
		t.Fatalf("after unfriend: %v", fs)
	}
	// Ben's Porchlight hears the farewell and stops listing Ana.
	waitFor(t, 10*time.Second, "Ben to forget Ana", func() error {
		if fs := ben.Friends(); len(fs) != 0 {
			return fmt.Errorf("Ben's friends: %v", fs)
		}
		return nil
	})
	_, errOut, code := ben.Run("ls", "Ana:/S")
	if code == 0 || !strings.Contains(errOut, "no friend called") {
		t.Fatalf("a removed friend: exit %d, %q", code, errOut)
	}

	link := strings.TrimSpace(ana.MustRun("invite", "--label", "for Cas"))
	var invs []api.Invite
	ana.JSON(&invs, "invites")
	var id string
	for _, inv := range invs {
		if inv.Label == "for Cas" && inv.State == "open" {
			id = inv.ID
		}
	}
	if id == "" {
		t.Fatalf("new invite not listed as open: %+v", invs)
	}
	ana.MustRun("revoke", id)
	cas := newNode(t, "Cas", r.URL)
	_, errOut, code = cas.Run("accept", link)
	if code == 0 || !strings.Contains(errOut, "withdrawn") {
		t.Fatalf("accepting a withdrawn invite: exit %d, %q", code, errOut)
	}
}

// TestInviteOffersShares: an invite names a chosen-friends share; the
// friend who accepts it can use that share, and others still cannot.
func TestInviteOffersShares(t *testing.T) {
	r := startRelay(t)
	ana := newNode(t, "Ana", r.URL)
	cas := newNode(t, "Cas", r.URL)
	befriend(t, ana, cas)
	ana.MustRun("share add", "--name", "Garden", "--friends", "Cas", t.TempDir())
	dan := newNode(t, "Dan", r.URL)
	befriend(t, ana, dan) // a plain invite: Dan gets no chosen shares

	link := strings.TrimSpace(ana.MustRun("invite", "--offer", "Garden"))
	ben := newNode(t, "Ben", r.URL)
	var info api.InviteInfo
	info, err := ben.API.InspectInvite(t.Context(), link)
	if err != nil || len(info.Shares) != 1 || info.Shares[0] != "Garden" {
		t.Fatalf("Ben is offered %+v, %v", info.Shares, err)
	}
	ben.MustRun("accept", link)
	sees := func(n *node) bool {
		var rs []api.RemoteShare
		n.JSON(&rs, "ls", "Ana:/")
		for _, s := range rs {
			if s.Name == "Garden" {
				return true
			}
		}
		return false
	}
	waitFor(t, 10*time.Second, "Ben to see Garden", func() error {
		if !sees(ben) {
			return fmt.Errorf("not yet")
		}
		return nil
	})
	if sees(dan) {
		t.Fatal("Dan sees a share offered to Ben and Cas only")
	}
}

// TestConfirmNewcomers: a multi-use invite that asks Ana to let each
// newcomer in: Ben waits until Ana admits him; Cas is turned away.
func TestConfirmNewcomers(t *testing.T) {
	r := startRelay(t)
	ana := newNode(t, "Ana", r.URL)
	ben := newNode(t, "Ben", r.URL)
	cas := newNode(t, "Cas", r.URL)
	link := strings.TrimSpace(ana.MustRun("invite", "--uses", "5", "--confirm"))
	if out := ben.MustRun("accept", "--wait", "1s", link); !strings.Contains(out, "Waiting") {
		t.Fatalf("Ben was let in without Ana's word: %q", out)
	}
	cas.MustRun("accept", "--wait", "1s", link)
	var ns []api.Newcomer
	waitFor(t, 15*time.Second, "two newcomers", func() error {
		ana.JSON(&ns, "newcomers")
		if len(ns) != 2 {
			return fmt.Errorf("newcomers: %+v", ns)
		}
		return nil
	})
	if len(ana.Friends()) != 0 {
		t.Fatal("friends before Ana answered")
	}
	for _, n := range ns {
		verb := map[string]string{"Ben": "admit", "Cas": "deny"}[n.Name]
		ana.MustRun(verb, n.ID)
	}
	waitFor(t, 15*time.Second, "Ben to be a friend and Cas refused", func() error {
		joins, _ := cas.API.Joins(t.Context())
		if len(ben.Friends()) != 1 || len(joins) != 1 || joins[0].State != "refused" {
			return fmt.Errorf("Ben's friends %v, Cas's joins %+v", ben.Friends(), joins)
		}
		return nil
	})
	if fs := ana.Friends(); len(fs) != 1 || fs[0] != "Ben" {
		t.Fatalf("Ana's friends: %v", fs)
	}
}

// TestIdleLinksClose: a link that carries nothing is closed, and the next
// request makes a new one.
func TestIdleLinksClose(t *testing.T) {
	r := startRelay(t)
	ana := newNode(t, "Ana", r.URL)
	ben := newNode(t, "Ben", r.URL)
	ben.Stop()
	ben.env = []string{"PORCHLIGHT_LINK_IDLE=2s"}
	ben.Start()
	befriend(t, ana, ben)
	ana.MustRun("share add", "--name", "S", t.TempDir())
	ben.MustRun("ls", "Ana:/S")
	if p := linkPath(ben, "Ana"); p != "direct" {
		t.Fatalf("link %q after ls", p)
	}
	waitFor(t, 15*time.Second, "the idle link to close", func() error {
		if p := linkPath(ben, "Ana"); p != "none" {
			return fmt.Errorf("link still %q", p)
		}
		return nil
	})
	ben.MustRun("ls", "Ana:/S")
	if p := linkPath(ben, "Ana"); p != "direct" {
		t.Fatalf("link %q after a new request", p)
	}
}

// TestPauseSharing: a paused resident's porch light is off and friends are
// told so; resuming brings everything back.
func TestPauseSharing(t *testing.T) {
	r := startRelay(t)
	ana := newNode(t, "Ana", r.URL)
	ben := newNode(t, "Ben", r.URL)
	befriend(t, ana, ben)
	ana.MustRun("share add", "--name", "S", t.TempDir())
	ana.MustRun("pause")
	var st api.Status
	ana.JSON(&st, "status")
	if st.State != api.StateOff {
		t.Fatalf("porch light %q while paused", st.State)
	}
	_, errOut, code := ben.Run("ls", "Ana:/S")
	if code == 0 || !strings.Contains(errOut, "paused") {
		t.Fatalf("ls while Ana paused: exit %d, %q", code, errOut)
	}
	ana.MustRun("resume")
	ben.MustRun("ls", "Ana:/S")
}

package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/porchlight/porchlight/app/api"
	"github.com/porchlight/porchlight/test/netns"
)

// TestNeighboursLinkOverLAN: two residents on one LAN (two namespaces
// plugged into a bridge, the LAN's switch) see each other by mDNS, and once friends their link takes the
// LAN path. When the cable is pulled and plugged back, the link comes back
// by itself.
func TestNeighboursLinkOverLAN(t *testing.T) {
	netns.Require(t)
	sfx := netns.Suffix()
	home, next := netns.New(t, "pl-"+sfx+"-a"), netns.New(t, "pl-"+sfx+"-b")
	ifA, ifB := "pla"+sfx, "plb"+sfx
	lan := netns.NewSwitch(t, "pl-"+sfx+"-lan")
	lan.Plug(t, home, ifA, "10.77.0.1/24")
	lan.Plug(t, next, ifB, "10.77.0.2/24")

	relayURL := "ws://10.77.0.1:7447/v1/ws"
	startProcessIn(t, home, "relay", "porchlight-relay", nil, "--listen", "10.77.0.1:7447")
	ana := newNodeIn(t, home, ifA, "Ana", relayURL)
	ben := newNodeIn(t, next, ifB, "Ben", relayURL)
	for _, n := range []*node{ana, ben} {
		waitFor(t, 15*time.Second, n.Name+"'s relay", func() error {
			var st api.Status
			n.JSON(&st, "status")
			if st.State != api.StateOn {
				return fmt.Errorf("porch light %s", st.State)
			}
			return nil
		})
	}
	befriend(t, ana, ben)

	waitFor(t, 10*time.Second, "Ben to see Ana as a neighbour", func() error {
		var ns []api.Neighbour
		ben.JSON(&ns, "neighbours")
		for _, n := range ns {
			if n.Friend && n.Name == "Ana" && len(n.Addrs) > 0 && strings.HasPrefix(n.Addrs[0], "10.77.0.1:") {
				return nil
			}
		}
		return fmt.Errorf("Ben's neighbours: %+v", ns)
	})
	ana.MustRun("share add", "--name", "S", t.TempDir())
	ana.MustRun("share add", "--name", "Porch", "--friends", "neighbours", t.TempDir())
	ben.MustRun("ls", "Ana:/S")
	if p := linkPath(ben, "Ana"); p != "lan" {
		t.Fatalf("Ben's link to Ana is %q, want lan", p)
	}
	// A share for friends on this network: Ben is one, over the LAN.
	ben.MustRun("ls", "Ana:/Porch")

	// Pull the cable: the link dies; plug it back: it comes back by itself
	// on the next use.
	home.SetLink(t, ifA, false)
	time.Sleep(2 * time.Second)
	home.SetLink(t, ifA, true)
	netns.Run(t, "ip", "-n", home.Name, "route", "replace", "224.0.0.0/4", "dev", ifA)
	waitFor(t, 60*time.Second, "Ben to reach Ana again", func() error {
		if _, errOut, code := ben.Run("ls", "Ana:/S"); code != 0 {
			return fmt.Errorf("%s", errOut)
		}
		return nil
	})
}

func linkPath(n *node, friend string) string {
	var fs []api.Friend
	n.JSON(&fs, "friends")
	for _, f := range fs {
		if f.Name == friend {
			return f.Link
		}
	}
	return ""
}

// TestNeighbourFriendRequest: two neighbours with no relay at all become
// friends face to face: both screens show the same code, both confirm.
func TestNeighbourFriendRequest(t *testing.T) {
	netns.Require(t)
	sfx := netns.Suffix()
	home, next := netns.New(t, "pl-"+sfx+"-a"), netns.New(t, "pl-"+sfx+"-b")
	ifA, ifB := "pla"+sfx, "plb"+sfx
	lan := netns.NewSwitch(t, "pl-"+sfx+"-lan")
	lan.Plug(t, home, ifA, "10.78.0.1/24")
	lan.Plug(t, next, ifB, "10.78.0.2/24")
	ana := newNodeIn(t, home, ifA, "Ana")
	ben := newNodeIn(t, next, ifB, "Ben")

	// Friends-only (the default): Ana cannot be asked.
	_, errOut, code := ben.Run("request", "Ana")
	if code == 0 || !strings.Contains(errOut, "no visible neighbour") {
		t.Fatalf("asking a friends-only neighbour: exit %d, %q", code, errOut)
	}
	ana.MustRun("visibility", "visible")
	waitFor(t, 15*time.Second, "Ben to see Ana by name", func() error {
		var ns []api.Neighbour
		ben.JSON(&ns, "neighbours")
		for _, n := range ns {
			if n.Name == "Ana" && n.ID != "" {
				return nil
			}
		}
		return fmt.Errorf("Ben's neighbours: %+v", ns)
	})
	out := ben.MustRun("request", "Ana")
	var mine api.Request
	var reqs []api.Request
	ben.JSON(&reqs, "requests")
	if len(reqs) != 1 || !strings.Contains(out, reqs[0].Code) {
		t.Fatalf("Ben's requests %+v after %q", reqs, out)
	}
	mine = reqs[0]
	var theirs api.Request
	waitFor(t, 5*time.Second, "Ana to get the request", func() error {
		ana.JSON(&reqs, "requests")
		if len(reqs) != 1 {
			return fmt.Errorf("Ana's requests: %+v", reqs)
		}
		theirs = reqs[0]
		return nil
	})
	if theirs.Code != mine.Code || theirs.PeerName != "Ben" || theirs.Outgoing {
		t.Fatalf("Ana sees %+v, Ben sees %+v", theirs, mine)
	}
	ben.MustRun("confirm", mine.ID)
	if fs := ben.Friends(); len(fs) != 0 {
		t.Fatalf("friends before Ana confirmed: %v", fs)
	}
	ana.MustRun("confirm", theirs.ID)
	waitFor(t, 5*time.Second, "both to be friends", func() error {
		if len(ana.Friends()) != 1 || len(ben.Friends()) != 1 {
			return fmt.Errorf("Ana %v, Ben %v", ana.Friends(), ben.Friends())
		}
		return nil
	})
	ana.MustRun("share add", "--name", "S", t.TempDir())
	waitFor(t, 15*time.Second, "Ben to list Ana's share over the LAN", func() error {
		if _, errOut, code := ben.Run("ls", "Ana:/S"); code != 0 {
			return fmt.Errorf("%s", errOut)
		}
		return nil
	})
	if p := linkPath(ben, "Ana"); p != "lan" {
		t.Fatalf("link is %q, want lan", p)
	}
}

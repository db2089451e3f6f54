package e2e

import (
	"fmt"
	"testing"
	"time"

	"github.com/porchlight/porchlight/app/api"
	"github.com/porchlight/porchlight/test/netns"
)

// The NAT tests build a small internet out of namespaces, and nothing
// leaves them:
//
//	                 internet (routes; relay + STUN/TURN on 203.0.113.1)
//	           100.64.1.1 ┌──────┴──────┐ 100.64.2.1
//	                      │             │
//	   router A 100.64.1.2               100.64.2.2 router B
//	   (masquerade)                                (masquerade)
//	           192.168.1.1                192.168.2.1
//	                │                          │
//	   home A 192.168.1.2 (Ana)       home B 192.168.2.2 (Ben)

const (
	natRelayIP  = "203.0.113.1"
	natRelayURL = "ws://" + natRelayIP + ":7447/v1/ws"
)

// internet is the namespace between the homes, with the relay in it.
type internet struct {
	ns  *netns.NS
	sfx string
}

// natHome is a home: a router doing NAT and one host behind it.
type natHome struct {
	router, host *netns.NS
	wan          string // the router's interface to the internet
	wanIP        string // the home's public address
	gateway      string // the internet's address on the router's WAN link
	hostIf       string // the host's interface, for --interfaces
}

// newInternet makes the internet namespace and starts the relay there,
// with STUN and TURN.
func newInternet(t *testing.T) *internet {
	t.Helper()
	netns.RequireIPTables(t)
	sfx := netns.Suffix()
	inet := &internet{ns: netns.New(t, "pl-"+sfx+"-net"), sfx: sfx}
	inet.ns.Forward(t)
	inet.ns.AddAddress(t, natRelayIP+"/32")
	startProcessIn(t, inet.ns, "relay", "porchlight-relay", nil,
		"--listen", natRelayIP+":7447",
		"--stun", natRelayIP+":3478", "--turn", "--public-ip", natRelayIP, "--allow-private")
	return inet
}

// addHome makes home number i (1, 2, ...): a router with public address
// 100.64.i.2 masquerading for the LAN 192.168.i.0/24, and a host there.
func (inet *internet) addHome(t *testing.T, i int) *natHome {
	t.Helper()
	name := func(role string) string { return fmt.Sprintf("pl-%s-%s%d", inet.sfx, role, i) }
	iface := func(role string) string { return fmt.Sprintf("pl%s%s%d", inet.sfx, role, i) }
	h := &natHome{
		router:  netns.New(t, name("router")),
		host:    netns.New(t, name("home")),
		wan:     iface("w"),
		wanIP:   fmt.Sprintf("100.64.%d.2", i),
		gateway: fmt.Sprintf("100.64.%d.1", i),
		hostIf:  iface("h"),
	}
	netns.Link(t, inet.ns, iface("i"), h.gateway+"/24", h.router, h.wan, h.wanIP+"/24")
	lanGateway := fmt.Sprintf("192.168.%d.1", i)
	netns.Link(t, h.router, iface("l"), lanGateway+"/24", h.host, h.hostIf, fmt.Sprintf("192.168.%d.2/24", i))
	h.router.DefaultRoute(t, h.gateway)
	h.host.DefaultRoute(t, lanGateway)
	h.router.Masquerade(t, h.wan)
	return h
}

// resident starts a daemon in the home, on its LAN interface only, and
// waits until it is on its relay.
func (h *natHome) resident(t *testing.T, name string) *node {
	t.Helper()
	n := newNodeIn(t, h.host, h.hostIf, name, natRelayURL)
	waitFor(t, 20*time.Second, name+"'s relay", func() error {
		var st api.Status
		n.JSON(&st, "status")
		if st.State != api.StateOn {
			return fmt.Errorf("porch light %s", st.State)
		}
		return nil
	})
	return n
}

// blockUDPBetween drops UDP between two homes' public addresses on the
// internet, as some networks do; UDP to the relay still passes.
func (inet *internet) blockUDPBetween(t *testing.T, a, b *natHome) {
	t.Helper()
	for _, p := range [][2]string{{a.wanIP, b.wanIP}, {b.wanIP, a.wanIP}} {
		inet.ns.IPTables(t, "-A", "FORWARD", "-p", "udp", "-s", p[0], "-d", p[1], "-j", "DROP")
	}
}

// friendsInTwoHomes builds the internet with two homes, Ana in one and Ben
// in the other, makes them friends and has Ana share a folder.
func friendsInTwoHomes(t *testing.T, blockUDP bool) (inet *internet, homeA *natHome, ana, ben *node) {
	t.Helper()
	inet = newInternet(t)
	homeA, homeB := inet.addHome(t, 1), inet.addHome(t, 2)
	if blockUDP {
		inet.blockUDPBetween(t, homeA, homeB)
	}
	ana, ben = homeA.resident(t, "Ana"), homeB.resident(t, "Ben")
	befriend(t, ana, ben)
	ana.MustRun("share add", "--name", "S", t.TempDir())
	return inet, homeA, ana, ben
}

// TestFriendsLinkThroughNAT: friends in two homes, each behind its own
// masquerading router, link directly (hole punching through both NATs).
// When home A's internet connection is cut long enough for the link to
// die, the next request after it is back links again by itself.
func TestFriendsLinkThroughNAT(t *testing.T) {
	_, homeA, _, ben := friendsInTwoHomes(t, false)
	ben.MustRun("ls", "Ana:/S")
	if p := linkPath(ben, "Ana"); p != "direct" {
		t.Fatalf("Ben's link to Ana is %q, want direct", p)
	}

	homeA.router.SetLink(t, homeA.wan, false)
	waitFor(t, 40*time.Second, "Ben to notice the link is dead", func() error {
		if p := linkPath(ben, "Ana"); p != "none" {
			return fmt.Errorf("link is %q", p)
		}
		return nil
	})
	homeA.router.SetLink(t, homeA.wan, true)
	homeA.router.DefaultRoute(t, homeA.gateway) // went with the link
	waitFor(t, 45*time.Second, "Ben to reach Ana again", func() error {
		if _, errOut, code := ben.Run("ls", "Ana:/S"); code != 0 {
			return fmt.Errorf("%s", errOut)
		}
		return nil
	})
	if p := linkPath(ben, "Ana"); p != "direct" {
		t.Errorf("after the cut, Ben's link to Ana is %q, want direct", p)
	}
}

// TestFriendsLinkThroughTURN: when the internet drops UDP between the two
// homes, friends still link, through the relay's TURN.
func TestFriendsLinkThroughTURN(t *testing.T) {
	_, _, ana, ben := friendsInTwoHomes(t, true)
	ben.MustRun("ls", "Ana:/S")
	for _, n := range []*node{ben, ana} {
		friend := map[string]string{"Ben": "Ana", "Ana": "Ben"}[n.Name]
		if p := linkPath(n, friend); p != "relayed" {
			t.Errorf("%s's link to %s is %q, want relayed", n.Name, friend, p)
		}
	}
}

// Package netns builds small networks for end-to-end tests out of Linux
// network namespaces: hosts joined by veth pairs, so that real binaries can
// meet on a "LAN" without ever touching the machine's own interfaces.
// It needs root and iproute2; tests call Require first.
package netns

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// Require skips the test unless namespaces can be made here.
func Require(t testing.TB) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root to make network namespaces")
	}
	if _, err := exec.LookPath("ip"); err != nil {
		t.Skip("needs the ip command (iproute2)")
	}
}

// NS is one network namespace: a host of the test's network.
type NS struct{ Name string }

// Suffix returns a short random string to keep names of parallel tests
// apart (interface names are limited to 15 characters).
func Suffix() string {
	b := make([]byte, 3)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// New makes a namespace with loopback up and IPv6 off; it is deleted, with
// its interfaces, when the test ends.
func New(t testing.TB, name string) *NS {
	t.Helper()
	n := &NS{Name: name}
	Run(t, "ip", "netns", "add", name)
	t.Cleanup(func() { exec.Command("ip", "netns", "del", name).Run() })
	n.Run(t, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1")
	Run(t, "ip", "-n", name, "link", "set", "lo", "up")
	return n
}

// Command prepares a program to run inside the namespace.
func (n *NS) Command(name string, args ...string) *exec.Cmd {
	return exec.Command("ip", append([]string{"netns", "exec", n.Name, name}, args...)...)
}

// Run runs a command inside the namespace and fails the test if it fails.
func (n *NS) Run(t testing.TB, args ...string) {
	t.Helper()
	if out, err := n.Command(args[0], args[1:]...).CombinedOutput(); err != nil {
		t.Fatalf("in %s: %s: %v\n%s", n.Name, strings.Join(args, " "), err, out)
	}
}

// Run runs a command in the test's own namespace (for ip -n ...).
func Run(t testing.TB, args ...string) {
	t.Helper()
	if out, err := exec.Command(args[0], args[1:]...).CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// Link joins a and b with a veth pair named ifA and ifB, addressed addrA
// and addrB (with their prefix length, e.g. "10.77.0.1/24"), with a route
// for multicast so mDNS goes out on it (on a namespace's latest link only:
// routers and the internet have several).
func Link(t testing.TB, a *NS, ifA, addrA string, b *NS, ifB, addrB string) {
	t.Helper()
	// The pair is made inside the namespaces: the host's own interfaces are
	// never touched.
	Run(t, "ip", "-n", a.Name, "link", "add", ifA, "type", "veth", "peer", "name", ifB, "netns", b.Name)
	for _, side := range []struct {
		ns           *NS
		ifname, cidr string
	}{{a, ifA, addrA}, {b, ifB, addrB}} {
		Run(t, "ip", "-n", side.ns.Name, "addr", "add", side.cidr, "dev", side.ifname)
		Run(t, "ip", "-n", side.ns.Name, "link", "set", side.ifname, "up")
		Run(t, "ip", "-n", side.ns.Name, "route", "replace", "224.0.0.0/4", "dev", side.ifname)
	}
}

// NewSwitch makes a namespace holding one bridge, br0: a LAN's switch, to
// which Plug connects hosts. It is deleted when the test ends.
func NewSwitch(t testing.TB, name string) *NS {
	t.Helper()
	sw := New(t, name)
	sw.Run(t, "ip", "link", "add", "br0", "type", "bridge")
	sw.Run(t, "ip", "link", "set", "br0", "up")
	return sw
}

// Plug connects host to the switch sw with a veth pair: ifname in host,
// addressed cidr (with its prefix length), and a port of the same name in
// sw's bridge. Multicast leaves host on ifname, so mDNS reaches the LAN.
func (sw *NS) Plug(t testing.TB, host *NS, ifname, cidr string) {
	t.Helper()
	Run(t, "ip", "-n", sw.Name, "link", "add", ifname, "type", "veth", "peer", "name", ifname, "netns", host.Name)
	sw.Run(t, "ip", "link", "set", ifname, "master", "br0")
	sw.Run(t, "ip", "link", "set", ifname, "up")
	host.Run(t, "ip", "addr", "add", cidr, "dev", ifname)
	host.Run(t, "ip", "link", "set", ifname, "up")
	host.Run(t, "ip", "route", "replace", "224.0.0.0/4", "dev", ifname)
}

// SetLink takes an interface down or up, as a cable pulled or plugged in.
func (n *NS) SetLink(t testing.TB, ifname string, up bool) {
	t.Helper()
	state := "down"
	if up {
		state = "up"
	}
	Run(t, "ip", "-n", n.Name, "link", "set", ifname, state)
}

// RequireIPTables skips the test unless iptables works inside a namespace
// (Debian: apt-get install iptables; either backend, nft or legacy, will do).
func RequireIPTables(t testing.TB) {
	t.Helper()
	Require(t)
	if _, err := exec.LookPath("iptables"); err != nil {
		t.Skip("needs iptables")
	}
}

// IPTables runs iptables with args inside the namespace.
func (n *NS) IPTables(t testing.TB, args ...string) {
	t.Helper()
	n.Run(t, append([]string{"iptables", "-w"}, args...)...)
}

// Forward makes the namespace route packets between its interfaces.
func (n *NS) Forward(t testing.TB) {
	t.Helper()
	n.Run(t, "sysctl", "-qw", "net.ipv4.ip_forward=1")
}

// DefaultRoute sends the namespace's traffic for anywhere else to gateway.
func (n *NS) DefaultRoute(t testing.TB, gateway string) {
	t.Helper()
	n.Run(t, "ip", "route", "replace", "default", "via", gateway)
}

// AddAddress gives the namespace one more address, on its loopback
// interface: a service address that its other interfaces route to.
func (n *NS) AddAddress(t testing.TB, cidr string) {
	t.Helper()
	n.Run(t, "ip", "addr", "add", cidr, "dev", "lo")
}

// Masquerade makes the namespace a home router whose WAN side is the
// interface wan: what leaves by wan takes the router's address (iptables
// MASQUERADE), and what arrives on wan unsolicited is dropped, whether for
// the LAN or for the router itself, as real routers do. The second rule
// matters: without it, a peer's early ICE check to the router's public
// port makes a conntrack entry that then holds the port, the LAN host's
// own mapping must take another one, and every NAT behaves as symmetric.
func (n *NS) Masquerade(t testing.TB, wan string) {
	t.Helper()
	n.Forward(t)
	n.IPTables(t, "-t", "nat", "-A", "POSTROUTING", "-o", wan, "-j", "MASQUERADE")
	for _, chain := range []string{"INPUT", "FORWARD"} {
		n.IPTables(t, "-A", chain, "-i", wan, "-m", "conntrack", "--ctstate", "ESTABLISHED,RELATED", "-j", "ACCEPT")
		n.IPTables(t, "-A", chain, "-i", wan, "-j", "DROP")
	}
}

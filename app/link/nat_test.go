package link

import (
	"context"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pion/logging"
	"github.com/pion/transport/v4/vnet"
	"github.com/pion/turn/v5"
	"github.com/pion/webrtc/v4"
)

// NAT tests run pion's virtual network (vnet), in process: nothing leaves
// this program. The world looks like this:
//
//	                 WAN 0.0.0.0/0
//	   STUN 1.2.3.4:3478      TURN 1.2.3.5:3478
//	        │                       │
//	  ──────┴──────────┬────────────┴──────────┬──────
//	            home A router 27.1.1.1   home B router 28.1.1.1
//	            (NAT type under test)    (NAT type under test)
//	                   │                        │
//	            192.168.0.2 (offerer)     10.2.0.2 (answerer)
//
// Each home's NAT is one of the four classic kinds, and every pair must end
// in a working link: direct when hole punching can work, through TURN when
// it cannot (a symmetric NAT facing a symmetric or port-restricted one).

const (
	vnetSTUNIP   = "1.2.3.4"
	vnetTURNIP   = "1.2.3.5"
	vnetICEPort  = 3478
	vnetTURNUser = "ana"
	vnetTURNPass = "secret"
	vnetRealm    = "porchlight.test"
)

// natKind is one of the classic NAT behaviours, in RFC 4787's terms.
type natKind struct {
	name string
	typ  vnet.NATType
}

var (
	fullCone = natKind{"full cone", vnet.NATType{
		MappingBehavior: vnet.EndpointIndependent, FilteringBehavior: vnet.EndpointIndependent}}
	restricted = natKind{"restricted", vnet.NATType{
		MappingBehavior: vnet.EndpointIndependent, FilteringBehavior: vnet.EndpointAddrDependent}}
	portRestricted = natKind{"port-restricted", vnet.NATType{
		MappingBehavior: vnet.EndpointIndependent, FilteringBehavior: vnet.EndpointAddrPortDependent}}
	symmetric = natKind{"symmetric", vnet.NATType{
		MappingBehavior: vnet.EndpointAddrPortDependent, FilteringBehavior: vnet.EndpointAddrPortDependent}}
)

// home is one side of the virtual world: a host behind its router.
type home struct {
	publicIP, lanCIDR, hostIP string
}

var (
	homeA = home{"27.1.1.1", "192.168.0.0/24", "192.168.0.2"}
	homeB = home{"28.1.1.1", "10.2.0.0/24", "10.2.0.2"}
)

// virtualWorld is a WAN with a STUN and a TURN server and two homes.
type virtualWorld struct {
	a, b *vnet.Net
}

// vnetLogs keeps pion's vnet quiet unless LINK_TEST_DEBUG is set.
func vnetLogs() logging.LoggerFactory {
	f := logging.NewDefaultLoggerFactory()
	f.DefaultLogLevel = logging.LogLevelError
	return f
}

var vnetBuild sync.Mutex

// newVirtualWorld builds the world with the given NAT kinds in homes A and
// B, and a WAN delay of oneWay in each direction; everything stops when
// the test ends.
func newVirtualWorld(t testing.TB, natA, natB vnet.NATType, oneWay time.Duration) *virtualWorld {
	t.Helper()
	// vnet numbers MAC addresses with an unguarded global counter, so
	// parallel tests must not build their worlds at the same time.
	vnetBuild.Lock()
	defer vnetBuild.Unlock()
	logs := vnetLogs()
	wan, err := vnet.NewRouter(&vnet.RouterConfig{CIDR: "0.0.0.0/0", MinDelay: oneWay, LoggerFactory: logs})
	if err != nil {
		t.Fatalf("new WAN router: %v", err)
	}
	stunNet := addHost(t, wan, vnetSTUNIP)
	turnNet := addHost(t, wan, vnetTURNIP)
	w := &virtualWorld{
		a: addHome(t, wan, homeA, natA, logs),
		b: addHome(t, wan, homeB, natB, logs),
	}
	if err := wan.Start(); err != nil {
		t.Fatalf("start WAN router: %v", err)
	}
	t.Cleanup(func() { _ = wan.Stop() })
	startICEServer(t, stunNet, vnetSTUNIP, false, logs)
	startICEServer(t, turnNet, vnetTURNIP, true, logs)
	return w
}

// addHost puts a host with address ip on router r.
func addHost(t testing.TB, r *vnet.Router, ip string) *vnet.Net {
	t.Helper()
	n, err := vnet.NewNet(&vnet.NetConfig{StaticIPs: []string{ip}})
	if err != nil {
		t.Fatalf("new net %s: %v", ip, err)
	}
	if err := r.AddNet(n); err != nil {
		t.Fatalf("add net %s: %v", ip, err)
	}
	return n
}

// addHome puts a home router doing NAT of kind nat on the WAN, with one
// host behind it, and returns that host's network.
func addHome(t testing.TB, wan *vnet.Router, h home, nat vnet.NATType, logs logging.LoggerFactory) *vnet.Net {
	t.Helper()
	router, err := vnet.NewRouter(&vnet.RouterConfig{
		StaticIPs:     []string{h.publicIP},
		CIDR:          h.lanCIDR,
		NATType:       &nat,
		LoggerFactory: logs,
	})
	if err != nil {
		t.Fatalf("new router %s: %v", h.publicIP, err)
	}
	host := addHost(t, router, h.hostIP)
	if err := wan.AddRouter(router); err != nil {
		t.Fatalf("add router %s: %v", h.publicIP, err)
	}
	return host
}

// startICEServer runs a pion/turn server on n at ip:3478: STUN only, or
// STUN and TURN with one long-term user when relay is set.
func startICEServer(t testing.TB, n *vnet.Net, ip string, relay bool, logs logging.LoggerFactory) {
	t.Helper()
	conn, err := n.ListenPacket("udp4", fmt.Sprintf("%s:%d", ip, vnetICEPort))
	if err != nil {
		t.Fatalf("listen %s: %v", ip, err)
	}
	auth := func(*turn.RequestAttributes) (string, []byte, bool) { return "", nil, false }
	if relay {
		auth = func(ra *turn.RequestAttributes) (string, []byte, bool) {
			if ra.Username != vnetTURNUser {
				return "", nil, false
			}
			return ra.Username, turn.GenerateAuthKey(ra.Username, ra.Realm, vnetTURNPass), true
		}
	}
	server, err := turn.NewServer(turn.ServerConfig{
		Realm:       vnetRealm,
		AuthHandler: auth,
		PacketConnConfigs: []turn.PacketConnConfig{{
			PacketConn: conn,
			RelayAddressGenerator: &turn.RelayAddressGeneratorStatic{
				RelayAddress: net.ParseIP(ip),
				Address:      "0.0.0.0",
				Net:          n,
			},
		}},
		LoggerFactory: logs,
	})
	if err != nil {
		t.Fatalf("start ICE server %s: %v", ip, err)
	}
	t.Cleanup(func() { _ = server.Close() })
}

// vnetICEServers are what a resident's relays would hand out: a STUN
// server and a TURN server with credentials.
func vnetICEServers() []webrtc.ICEServer {
	return []webrtc.ICEServer{
		{URLs: []string{fmt.Sprintf("stun:%s:%d", vnetSTUNIP, vnetICEPort)}},
		{
			URLs:       []string{fmt.Sprintf("turn:%s:%d?transport=udp", vnetTURNIP, vnetICEPort)},
			Username:   vnetTURNUser,
			Credential: vnetTURNPass,
		},
	}
}

// vnetConfig is a link config whose ICE runs on the virtual network n.
// The interface filter is on, naming vnet's interface, as the daemon's
// --interfaces would name a real one.
func vnetConfig(t *testing.T, n *vnet.Net) Config {
	cfg := testConfig(t)
	cfg.Interfaces = []string{"eth0"}
	cfg.ICEServers = vnetICEServers()
	cfg.Net = n
	return cfg
}

// connectVirtual links a host in home A (offering) to one in home B and
// waits until both ends are ready.
func connectVirtual(t *testing.T, w *virtualWorld) (offerer, answerer *Link) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), testTimeout)
	defer cancel()
	pending, offer, err := Offer(ctx, vnetConfig(t, w.a))
	if err != nil {
		t.Fatalf("Offer: %v", err)
	}
	t.Cleanup(func() { _ = pending.Close() })
	assertVirtualOnly(t, offer)
	answerer, answer, err := Answer(ctx, vnetConfig(t, w.b), offer)
	if err != nil {
		t.Fatalf("Answer: %v", err)
	}
	t.Cleanup(func() { _ = answerer.Close() })
	assertVirtualOnly(t, answer)
	offerer, err = pending.Complete(ctx, answer)
	if err != nil {
		t.Fatalf("Complete: %v", err)
	}
	if err := answerer.Ready(ctx); err != nil {
		t.Fatalf("answerer Ready: %v", err)
	}
	return offerer, answerer
}

// assertVirtualOnly checks that an SDP offers only addresses of the
// virtual world: a host address, a router's public one, or the TURN relay.
func assertVirtualOnly(t testing.TB, sdp string) {
	t.Helper()
	allowed := map[string]bool{
		homeA.hostIP: true, homeA.publicIP: true,
		homeB.hostIP: true, homeB.publicIP: true,
		vnetTURNIP: true,
	}
	candidates := candidateLine.FindAllStringSubmatch(sdp, -1)
	if len(candidates) == 0 {
		t.Fatalf("SDP has no candidates:\n%s", sdp)
	}
	for _, c := range candidates {
		if !allowed[c[2]] {
			t.Fatalf("candidate %q is not an address of the virtual network", c[0])
		}
	}
}

func TestLinkThroughNATs(t *testing.T) {
	kinds := []natKind{fullCone, restricted, portRestricted, symmetric}
	// Hole punching fails only when one side's mapping changes with the
	// destination and the other side filters on the sender's port.
	needsRelay := func(a, b natKind) bool {
		hard := func(k natKind) bool { return k == symmetric || k == portRestricted }
		return (a == symmetric && hard(b)) || (b == symmetric && hard(a))
	}
	// Both orders: the offerer is ICE's controlling agent, which nominates.
	for _, a := range kinds {
		for _, b := range kinds {
			want := PathDirect
			if needsRelay(a, b) {
				want = PathRelayed
			}
			t.Run(a.name+" offers to "+b.name, func(t *testing.T) {
				t.Parallel()
				w := newVirtualWorld(t, a.typ, b.typ, 0)
				offerer, answerer := connectVirtual(t, w)
				serve(t, answerer, "offerer", whoAmI)
				if got, want := get(t, offerer.Client(), "http://peer/hello"), "offerer HTTP/2.0 /hello"; got != want {
					t.Errorf("GET over the link: %q, want %q", got, want)
				}
				for side, l := range map[string]*Link{"offerer": offerer, "answerer": answerer} {
					if got := l.Path(); got != want {
						t.Errorf("%s's Path() = %q, want %q", side, got, want)
					}
				}
			})
		}
	}
}

// TestLinkWithoutTURNFailsBehindSymmetricNATs shows the table above is
// honest: between two symmetric NATs only TURN gets through, so without
// it the link ends instead of hanging.
func TestLinkWithoutTURNFailsBehindSymmetricNATs(t *testing.T) {
	w := newVirtualWorld(t, symmetric.typ, symmetric.typ, 0)
	quick := func(n *vnet.Net) Config {
		cfg := vnetConfig(t, n)
		cfg.ICEServers = cfg.ICEServers[:1] // STUN only
		cfg.adjustSettings = func(s *webrtc.SettingEngine) {
			s.SetICETimeouts(time.Second, 2*time.Second, 200*time.Millisecond)
		}
		return cfg
	}
	ctx, cancel := context.WithTimeout(t.Context(), testTimeout)
	defer cancel()
	pending, offer, err := Offer(ctx, quick(w.a))
	if err != nil {
		t.Fatalf("Offer: %v", err)
	}
	defer pending.Close()
	answerer, answer, err := Answer(ctx, quick(w.b), offer)
	if err != nil {
		t.Fatalf("Answer: %v", err)
	}
	defer answerer.Close()
	if strings.Contains(offer+answer, " typ relay") {
		t.Fatal("relay candidates without a TURN server")
	}
	if _, err := pending.Complete(ctx, answer); err == nil {
		t.Fatal("linked through two symmetric NATs without TURN")
	} else {
		t.Logf("no link, as expected: %v", err)
	}
}

package turnserver

import (
	"bytes"
	"log/slog"
	"net"
	"testing"
	"time"

	"github.com/pion/logging"
	"github.com/pion/turn/v5"
)

type fakePeers map[string]bool

func (p fakePeers) HasClientIP(ip net.IP) bool { return p[ip.String()] }

func startTURN(t *testing.T, cfg Config) *Server {
	t.Helper()
	cfg.Listen = "127.0.0.1:0"
	s, err := Start(cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// turnClient logs in with credentials from Issue and allocates a relay.
func turnClient(t *testing.T, s *Server, username, password string) (*turn.Client, net.PacketConn) {
	t.Helper()
	conn, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	lf := logging.NewDefaultLoggerFactory()
	lf.DefaultLogLevel = logging.LogLevelDisabled
	c, err := turn.NewClient(&turn.ClientConfig{
		STUNServerAddr: s.Addr().String(), TURNServerAddr: s.Addr().String(),
		Username: username, Password: password, Realm: "porchlight",
		Conn: conn, LoggerFactory: lf, RTO: 100 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(); conn.Close() })
	if err := c.Listen(); err != nil {
		t.Fatal(err)
	}
	relayConn, err := c.Allocate()
	if err != nil {
		return c, nil
	}
	t.Cleanup(func() { relayConn.Close() })
	return c, relayConn
}

func TestSTUNOnly(t *testing.T) {
	s := startTURN(t, Config{})
	conn, _ := net.ListenPacket("udp4", "127.0.0.1:0")
	defer conn.Close()
	c, err := turn.NewClient(&turn.ClientConfig{STUNServerAddr: s.Addr().String(), Conn: conn, RTO: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Listen(); err != nil {
		t.Fatal(err)
	}
	mapped, err := c.SendBindingRequest()
	if err != nil || mapped.String() != conn.LocalAddr().String() {
		t.Fatalf("binding: %v, %v; want %v", mapped, err, conn.LocalAddr())
	}
	if _, err := s.Issue(make([]byte, 32)); err == nil {
		t.Fatal("Issue with TURN off gave credentials")
	}
}

func TestTURNRelaysOnlyToClients(t *testing.T) {
	s := startTURN(t, Config{TURN: true, PublicIP: net.IPv4(127, 0, 0, 1), AllowPrivate: true,
		Peers: fakePeers{"127.0.0.1": true}, ClientBytesPerHour: 3000})
	cr, err := s.Issue(make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	c, relayConn := turnClient(t, s, cr.Username, cr.Password)
	if relayConn == nil {
		t.Fatal("allocation refused")
	}

	// 127.0.0.9 is no logged-in client's address.
	stranger := &net.UDPAddr{IP: net.IPv4(127, 0, 0, 9), Port: 9}
	if err := c.CreatePermission(stranger); err == nil {
		t.Fatal("permission to a stranger's address granted")
	}
	if s.Stats().Refused["peer_not_a_client"] == 0 {
		t.Fatalf("refusal not counted: %+v", s.Stats())
	}

	peer, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer peer.Close()
	packet := bytes.Repeat([]byte{7}, 1000)
	for range 5 { // 3000 bytes an hour: the last two are dropped
		if _, err := relayConn.WriteTo(packet, peer.LocalAddr()); err != nil {
			t.Fatal(err)
		}
	}
	got := 0
	buf := make([]byte, 2000)
	for {
		peer.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
		n, _, err := peer.ReadFrom(buf)
		if err != nil {
			break
		}
		if n == len(packet) {
			got++
		}
	}
	if got != 3 {
		t.Fatalf("peer got %d packets, want 3 within the quota", got)
	}
	st := s.Stats()
	if st.BytesRelayed != 3000 || st.Refused["quota_client_hour"] != 2 || st.Allocations != 1 {
		t.Fatalf("stats %+v", st)
	}
}

func TestTURNRefusesBadCredentials(t *testing.T) {
	s := startTURN(t, Config{TURN: true, PublicIP: net.IPv4(127, 0, 0, 1), AllowPrivate: true, Peers: fakePeers{}})
	cr, _ := s.Issue(make([]byte, 32))
	tests := []struct{ name, user, pass string }{
		{"wrong password", cr.Username, "x" + cr.Password},
		{"expired", "1000:abcd", s.password("1000:abcd")},
		{"forged expiry", "99999999999:abcd", cr.Password},
		{"not ours", "garbage", "garbage"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, relayConn := turnClient(t, s, tt.user, tt.pass); relayConn != nil {
				t.Fatal("allocation granted")
			}
		})
	}
}

func TestPeerChecks(t *testing.T) {
	s := &Server{cfg: Config{PublicIP: net.ParseIP("203.0.113.7"), Peers: fakePeers{"198.51.100.1": true, "10.0.0.1": true, "127.0.0.1": true}}}
	tests := []struct {
		ip           string
		allowPrivate bool
		want         string
	}{
		{"198.51.100.1", false, ""},
		{"198.51.100.2", false, "peer_not_a_client"},
		{"203.0.113.7", false, ""}, // another allocation here
		{"127.0.0.1", false, "peer_not_public"},
		{"10.0.0.1", false, "peer_not_public"},
		{"172.16.3.4", false, "peer_not_public"},
		{"192.168.1.1", false, "peer_not_public"},
		{"169.254.1.1", false, "peer_not_public"},
		{"100.64.0.1", false, "peer_not_public"},
		{"100.127.255.1", false, "peer_not_public"},
		{"0.0.0.0", false, "peer_not_public"},
		{"224.0.0.1", false, "peer_not_public"},
		{"::1", false, "peer_not_public"},
		{"fe80::1", false, "peer_not_public"},
		{"fd12::1", false, "peer_not_public"},
		{"::ffff:127.0.0.1", false, "peer_not_public"},
		{"169.254.169.254", false, "peer_metadata"},
		{"169.254.169.254", true, "peer_metadata"},
		{"10.0.0.1", true, ""},
		{"127.0.0.1", true, ""},
		{"10.0.0.2", true, "peer_not_a_client"},
	}
	for _, tt := range tests {
		s.cfg.AllowPrivate = tt.allowPrivate
		if got := s.refusePeer(net.ParseIP(tt.ip)); got != tt.want {
			t.Errorf("refusePeer(%s, allowPrivate %v) = %q, want %q", tt.ip, tt.allowPrivate, got, tt.want)
		}
	}
}

package discovery

import (
	"context"
	"fmt"
	"net"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hashicorp/mdns"
	"github.com/miekg/dns"
	"golang.org/x/net/ipv4"
)

// announceCount announcements, a second apart, follow a start or a token
// change (RFC 6762 §8.3 asks for at least two).
const announceCount = 3

var mdnsGroup = &net.UDPAddr{IP: net.IPv4(224, 0, 0, 251), Port: 5353}

// zone serves the current records with our TTL; the service behind it is
// swapped when the token rotates.
type zone struct {
	ttl uint32
	svc atomic.Pointer[mdns.MDNSService]
}

func (z *zone) Records(q dns.Question) []dns.RR {
	svc := z.svc.Load()
	if svc == nil {
		return nil
	}
	rrs := svc.Records(q)
	for _, rr := range rrs {
		rr.Header().Ttl = z.ttl
	}
	return rrs
}

// advertise answers queries on ifi until ctx ends, refreshing its records
// every minute.
func (s *Service) advertise(ctx context.Context, ifi *net.Interface) error {
	z := &zone{ttl: uint32(s.cfg.TTL / time.Second)}
	published, err := s.publish(z, ifi, time.Now())
	if err != nil {
		return err
	}
	server, err := mdns.NewServer(&mdns.Config{Zone: z, Iface: ifi, Logger: s.libLog})
	if err != nil {
		return fmt.Errorf("start mdns server on %s: %w", ifi.Name, err)
	}
	defer server.Shutdown()
	s.log.Debug("advertising", "interface", ifi.Name, "instance", published)

	s.announce(ctx, z, ifi)
	rotate := time.NewTicker(time.Minute)
	defer rotate.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case now := <-rotate.C:
			// Follow address changes, and the token's rotation.
			before := published
			if published, err = s.publish(z, ifi, now); err != nil {
				return err
			}
			if published != before {
				s.announce(ctx, z, ifi)
			}
		}
	}
}

// instance is our instance (and host) name at time now.
func (s *Service) instance(now time.Time) string {
	if s.cfg.Visibility == VisibilityFriends {
		return Token(s.cfg.DiscoverySecret, now)
	}
	id := strings.ToLower(s.cfg.ID)
	return "pl-" + id[:min(16, len(id))]
}

func (s *Service) txt(now time.Time) []string {
	if s.cfg.Visibility == VisibilityFriends {
		return []string{"v=1", "t=" + Token(s.cfg.DiscoverySecret, now)}
	}
	return []string{"v=1", "id=" + s.cfg.ID, "name=" + s.cfg.Name}
}

// publish points z at our records for time now on ifi, and returns the
// instance name published.
func (s *Service) publish(z *zone, ifi *net.Interface, now time.Time) (string, error) {
	ips, err := interfaceIPs(ifi)
	if err != nil {
		return "", err
	}
	instance := s.instance(now)
	svc, err := mdns.NewMDNSService(instance, ServiceType, "local.", instance+".local.", s.cfg.Port, ips, s.txt(now))
	if err != nil {
		return "", fmt.Errorf("make mdns records: %w", err)
	}
	z.svc.Store(svc)
	return instance, nil
}

// interfaceIPs are the addresses to advertise on ifi.
func interfaceIPs(ifi *net.Interface) ([]net.IP, error) {
	addrs, err := ifi.Addrs()
	if err != nil {
		return nil, fmt.Errorf("list addresses of %s: %w", ifi.Name, err)
	}
	var ips []net.IP
	for _, a := range addrs {
		if ipnet, ok := a.(*net.IPNet); ok {
			ips = append(ips, ipnet.IP)
		}
	}
	if len(ips) == 0 {
		return nil, fmt.Errorf("list addresses of %s: none", ifi.Name)
	}
	return ips, nil
}

// announce multicasts our records unasked, so that neighbours already
// listening see us before their next query. The library cannot.
func (s *Service) announce(ctx context.Context, z *zone, ifi *net.Interface) {
	msg := &dns.Msg{
		MsgHdr:   dns.MsgHdr{Response: true, Authoritative: true},
		Compress: true,
		Answer:   z.Records(dns.Question{Name: ServiceType + ".local.", Qtype: dns.TypePTR, Qclass: dns.ClassINET}),
	}
	buf, err := msg.Pack()
	if err != nil {
		s.log.Warn("cannot pack announcement", "err", err)
		return
	}
	// Responses must come from port 5353; the library's sockets there are
	// its own, so open one more.
	conn, err := net.ListenMulticastUDP("udp4", ifi, mdnsGroup)
	if err != nil {
		s.log.Debug("cannot announce", "interface", ifi.Name, "err", err)
		return
	}
	go func() {
		defer conn.Close()
		p := ipv4.NewPacketConn(conn)
		_ = p.SetMulticastInterface(ifi)
		_ = p.SetMulticastTTL(255)
		for i := range announceCount {
			if i > 0 {
				select {
				case <-ctx.Done():
					return
				case <-time.After(time.Second):
				}
			}
			if _, err := conn.WriteToUDP(buf, mdnsGroup); err != nil {
				s.log.Debug("announce failed", "interface", ifi.Name, "err", err)
			}
		}
	}()
}

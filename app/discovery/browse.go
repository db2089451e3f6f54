package discovery

import (
	"context"
	"net"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/mdns"
)

// browse queries ifi until ctx ends: every second during the warm-up, then
// every steadyStep; each round listens until the next.
func (s *Service) browse(ctx context.Context, ifi *net.Interface) {
	start := time.Now()
	for ctx.Err() == nil {
		step := s.steadyStep()
		if time.Since(start) < warmUp {
			step = warmUpPeriod
		}
		round := make(chan struct{})
		go func() {
			defer close(round)
			s.query(ctx, ifi, step)
		}()
		select {
		case <-ctx.Done():
			// The library's query ends by itself within step.
			return
		case <-round:
		}
		s.expire(time.Now())
	}
}

// query sends one query and takes answers for step.
func (s *Service) query(ctx context.Context, ifi *net.Interface, step time.Duration) {
	entries := make(chan *mdns.ServiceEntry, 64)
	handled := make(chan struct{})
	go func() {
		defer close(handled)
		for e := range entries {
			s.saw(e, time.Now())
		}
	}()
	err := mdns.QueryContext(ctx, &mdns.QueryParam{
		Service:             ServiceType,
		Domain:              "local",
		Timeout:             step,
		Interface:           ifi,
		Entries:             entries,
		WantUnicastResponse: true,
		Logger:              s.libLog,
	})
	close(entries)
	<-handled
	if err != nil && ctx.Err() == nil {
		s.log.Warn("mdns query failed", "interface", ifi.Name, "err", err)
		select {
		case <-ctx.Done():
		case <-time.After(step):
		}
	}
}

// saw records an answer.
func (s *Service) saw(e *mdns.ServiceEntry, now time.Time) {
	if !strings.HasSuffix(strings.ToLower(e.Name), "."+ServiceType+".local.") {
		return
	}
	n := s.neighbour(e, now)
	if n == nil {
		return
	}
	s.mu.Lock()
	old, known := s.neighbours[n.Instance]
	changed := !known || old.ID != n.ID || old.Name != n.Name || old.Token != n.Token
	if known {
		for _, a := range old.Addrs {
			if !slices.Contains(n.Addrs, a) {
				n.Addrs = append(n.Addrs, a)
			}
		}
		changed = changed || len(n.Addrs) != len(old.Addrs)
	}
	s.neighbours[n.Instance] = n
	s.mu.Unlock()
	if changed {
		s.log.Debug("neighbour seen", "instance", n.Instance, "id", n.ID, "name", n.Name, "addrs", n.Addrs)
		s.notify()
	}
}

// neighbour reads an answer; nil if it is ourselves.
func (s *Service) neighbour(e *mdns.ServiceEntry, now time.Time) *Neighbour {
	instance := strings.TrimSuffix(e.Name, "."+ServiceType+".local.")
	n := &Neighbour{Instance: instance, Seen: now}
	fields := txtFields(e.InfoFields)
	switch {
	case fields["id"] != "":
		if fields["id"] == s.cfg.ID {
			return nil
		}
		n.ID, n.Name = fields["id"], fields["name"]
	case fields["t"] != "":
		n.Token = fields["t"]
		if len(s.cfg.DiscoverySecret) > 0 && recognize(map[string][]byte{"self": s.cfg.DiscoverySecret}, n.Token, now) == "self" {
			return nil
		}
		if s.cfg.FriendSecrets != nil {
			n.ID = recognize(s.cfg.FriendSecrets(), n.Token, now)
		}
	default:
		n.Name = unescape(instance)
	}
	if a, ok := netip.AddrFromSlice(e.AddrV4.To4()); ok {
		n.Addrs = append(n.Addrs, netip.AddrPortFrom(a, uint16(e.Port)))
	}
	if e.AddrV6IPAddr != nil {
		if a, ok := netip.AddrFromSlice(e.AddrV6IPAddr.IP.To16()); ok {
			n.Addrs = append(n.Addrs, netip.AddrPortFrom(a.WithZone(e.AddrV6IPAddr.Zone), uint16(e.Port)))
		}
	}
	return n
}

// txtFields parses key=value TXT strings.
func txtFields(txt []string) map[string]string {
	fields := make(map[string]string, len(txt))
	for _, kv := range txt {
		k, v, _ := strings.Cut(kv, "=")
		fields[strings.ToLower(k)] = v
	}
	return fields
}

// unescape undoes DNS presentation escapes in an instance label ("\032").
func unescape(label string) string {
	var b strings.Builder
	for i := 0; i < len(label); i++ {
		c := label[i]
		if c != '\\' || i+1 >= len(label) {
			b.WriteByte(c)
			continue
		}
		if i+3 < len(label) && isDigit(label[i+1]) && isDigit(label[i+2]) && isDigit(label[i+3]) {
			b.WriteByte((label[i+1]-'0')*100 + (label[i+2]-'0')*10 + (label[i+3] - '0'))
			i += 3
			continue
		}
		b.WriteByte(label[i+1])
		i++
	}
	return b.String()
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// expire forgets neighbours that have not answered for the TTL.
func (s *Service) expire(now time.Time) {
	s.mu.Lock()
	changed := false
	for k, n := range s.neighbours {
		if now.Sub(n.Seen) > s.cfg.TTL {
			delete(s.neighbours, k)
			s.log.Debug("neighbour gone", "instance", n.Instance, "id", n.ID)
			changed = true
		}
	}
	s.mu.Unlock()
	if changed {
		s.notify()
	}
}

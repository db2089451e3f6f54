package turnserver

import "net"

var (
	cgnat    = mustCIDR("100.64.0.0/10")
	reserved = []*net.IPNet{
		mustCIDR("0.0.0.0/8"), mustCIDR("192.0.0.0/24"), mustCIDR("198.18.0.0/15"),
		mustCIDR("240.0.0.0/4"), mustCIDR("64:ff9b:1::/48"), mustCIDR("2001:db8::/32"),
	}
	metadata = []net.IP{net.ParseIP("169.254.169.254"), net.ParseIP("fd00:ec2::254")}
)

// isNonPublic reports whether ip is loopback, private, link-local, CGNAT,
// multicast, unspecified or otherwise not a public unicast address.
func isNonPublic(ip net.IP) bool {
	if ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified() || cgnat.Contains(ip) {
		return true
	}
	if ip4 := ip.To4(); ip4 != nil && ip4.Equal(net.IPv4bcast) {
		return true
	}
	for _, n := range reserved {
		if n.Contains(ip) {
			return true
		}
	}
	return false
}

// isMetadata reports whether ip is a cloud metadata service: refused even
// with AllowPrivate.
func isMetadata(ip net.IP) bool {
	for _, m := range metadata {
		if m.Equal(ip) {
			return true
		}
	}
	return false
}

func mustCIDR(s string) *net.IPNet {
	_, n, err := net.ParseCIDR(s)
	if err != nil {
		panic(err)
	}
	return n
}

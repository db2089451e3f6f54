package link

import (
	"fmt"
	"log/slog"
	"net"
	"slices"
	"time"

	"github.com/pion/ice/v4"
	"github.com/pion/transport/v4"
	"github.com/pion/transport/v4/stdnet"
	"github.com/pion/webrtc/v4"

	"github.com/porchlight/porchlight/app/link/udpbatch"
)

// SCTP and ICE tuning.
const (
	// sctpReceiveBuffer is how much the peer may send before we read it.
	// 8 MiB once filled on the 50 ms path while the reader was starved of
	// CPU (rwnd 0, then a stall of zero-window probing); 16 MiB leaves room
	// for the whole 4 MiB window twice over.
	sctpReceiveBuffer = 16 << 20
	// sctpCwndCAStep is how much SCTP's congestion window grows per round
	// trip once past slow start. pion's default, one MTU, takes minutes to
	// regrow a window after a loss on a 50 ms path.
	sctpCwndCAStep = 64 << 10
	// sctpRTOMax caps SCTP's retransmission timeout (pion: at least 1 s,
	// doubling up to 60 s on repeated timeouts). A 50 ms run was seen
	// sending nothing for 3.5 s in that backoff; capped at 1 s, a lost
	// retransmission costs one second at most. Paths with a round trip
	// over ~1 s would see spurious retransmissions.
	sctpRTOMax = time.Second

	// ICE declares a link disconnected after iceDisconnectedTimeout without
	// traffic, and failed (which ends the link) after iceFailedTimeout more.
	iceDisconnectedTimeout = 5 * time.Second
	iceFailedTimeout       = 15 * time.Second
	iceKeepAlive           = 2 * time.Second

	// udpSocketBuffer is the kernel buffer asked for on each ICE socket
	// (Linux caps it at net.core.rmem_max). The default (~200 KiB) drops
	// bursts, and SCTP reads every drop as congestion.
	udpSocketBuffer = 4 << 20
)

// newAPI returns a pion API configured for links: detached data channels,
// no pion mDNS, ICE limited to cfg.Interfaces, large SCTP buffers.
func newAPI(cfg Config, log *slog.Logger) (*webrtc.API, error) {
	var s webrtc.SettingEngine
	if cfg.Net != nil {
		s.SetNet(cfg.Net)
	} else {
		network, err := stdnet.NewNet()
		if err != nil {
			return nil, fmt.Errorf("list network interfaces: %w", err)
		}
		s.SetNet(bigBufferNet{Net: network, log: log})
	}
	s.LoggerFactory = pionLogs{log: log}
	s.DetachDataChannels()
	s.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
	s.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4, webrtc.NetworkTypeUDP6})
	if len(cfg.Interfaces) > 0 {
		allowed := slices.Clone(cfg.Interfaces)
		s.SetInterfaceFilter(func(name string) bool { return slices.Contains(allowed, name) })
		s.SetIncludeLoopbackCandidate(slices.ContainsFunc(allowed, isLoopback))
	}
	s.SetICETimeouts(iceDisconnectedTimeout, iceFailedTimeout, iceKeepAlive)
	s.SetSCTPMaxReceiveBufferSize(sctpReceiveBuffer)
	s.SetSCTPMaxMessageSize(maxMessageSize)
	s.SetSCTPCwndCAStep(sctpCwndCAStep)
	// No SetSCTPMinCwnd: a 1 MiB floor gave 36-40 MB/s at 50 ms against
	// 35-37 without, but both sometimes settle near 1 MiB per round trip
	// (18-19 MB/s, 1.8x-1.9x the anchor; 2 of 14 runs with the floor, 1 of
	// 11 without; cause not yet found), so the floor is left out.
	s.SetSCTPRTOMax(sctpRTOMax)
	// Both ends are ours, and DTLS already authenticates every packet, so
	// SCTP's CRC32c is redundant (RFC 9653); pion only skips it when both
	// sides advertise it, so an older peer still gets checksums.
	s.EnableSCTPZeroChecksum(true)
	if cfg.adjustSettings != nil {
		cfg.adjustSettings(&s)
	}
	return webrtc.NewAPI(webrtc.WithSettingEngine(s)), nil
}

// bigBufferNet is the host's network, with larger buffers on UDP sockets
// and batched sends and reads (app/link/udpbatch).
type bigBufferNet struct {
	*stdnet.Net
	log *slog.Logger
}

func (n bigBufferNet) ListenUDP(network string, addr *net.UDPAddr) (transport.UDPConn, error) {
	conn, err := n.Net.ListenUDP(network, addr)
	if err != nil {
		return nil, err
	}
	// Best effort: a smaller buffer is slower, not wrong.
	_ = conn.SetReadBuffer(udpSocketBuffer)
	_ = conn.SetWriteBuffer(udpSocketBuffer)
	if udp, ok := conn.(*net.UDPConn); ok {
		return udpbatch.Wrap(udp, n.log), nil
	}
	return conn, nil
}

// isLoopback reports whether the interface called name is a loopback
// interface ("lo" on Linux, "lo0" elsewhere).
func isLoopback(name string) bool {
	if name == "lo" {
		return true
	}
	iface, err := net.InterfaceByName(name)
	return err == nil && iface.Flags&net.FlagLoopback != 0
}

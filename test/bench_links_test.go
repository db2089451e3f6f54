package e2e

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/netip"
	"os"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pion/ice/v4"
	"github.com/pion/logging"
	"github.com/pion/transport/v4"
	"github.com/pion/transport/v4/vnet"
	"github.com/pion/webrtc/v4"

	"github.com/porchlight/porchlight/app/identity"
	"github.com/porchlight/porchlight/app/lan"
	"github.com/porchlight/porchlight/app/link"
)

// The links benchmarks run in process, each path next to its anchor
// between the same two endpoints:
//
//   - WebRTC (app/link's HTTP client) vs the default detached pion data
//     channel: pion defaults, one ordered channel, 16 KiB writes, the
//     writer waiting while more than 1 MiB is buffered. On loopback, then
//     with a 50 ms round trip through pion's virtual network (vnet), as
//     between friends across a city.
//   - LAN (app/lan) vs raw TLS 1.3 over loopback TCP.
//   - Time from "connect" to the first byte on each path.
//
// Sizes, in MiB: PORCHLIGHT_BENCH_LINK_MIB (default 1024) on loopback,
// PORCHLIGHT_BENCH_LINK_DELAYED_MIB (default 256) at 50 ms.

const (
	benchTimeout  = 10 * time.Minute
	benchRTT      = 50 * time.Millisecond
	readChunkSize = 256 << 10

	// The anchor's fixed flow control.
	anchorWrite        = 16 << 10
	anchorMaxBuffered  = 1 << 20
	anchorLowThreshold = 512 << 10
)

func benchMiB(t *testing.T, env string, def int) int {
	t.Helper()
	s := os.Getenv(env)
	if s == "" {
		return def << 20
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		t.Fatalf("%s=%q: want a number of MiB", env, s)
	}
	return n << 20
}

func mbPerSecond(n int, d time.Duration) float64 { return float64(n) / 1e6 / d.Seconds() }

// endpoints says where both peers of a WebRTC benchmark live: on this
// host's loopback, or on a virtual network.
type endpoints struct {
	name       string
	offerNet   transport.Net // nil: loopback
	answerNet  transport.Net
	interfaces []string
}

func loopbackEndpoints() endpoints {
	return endpoints{name: "loopback", interfaces: []string{"lo"}}
}

// delayedEndpoints puts the peers on a virtual WAN that delays each packet
// by half of rtt each way.
func delayedEndpoints(t *testing.T, rtt time.Duration) endpoints {
	t.Helper()
	logs := logging.NewDefaultLoggerFactory()
	logs.DefaultLogLevel = logging.LogLevelError
	wan, err := vnet.NewRouter(&vnet.RouterConfig{CIDR: "10.0.0.0/24", MinDelay: rtt / 2, LoggerFactory: logs})
	if err != nil {
		t.Fatal(err)
	}
	host := func(ip string) *vnet.Net {
		n, err := vnet.NewNet(&vnet.NetConfig{StaticIPs: []string{ip}})
		if err != nil {
			t.Fatal(err)
		}
		if err := wan.AddNet(n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	a, b := host("10.0.0.1"), host("10.0.0.2")
	if err := wan.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = wan.Stop() })
	return endpoints{name: fmt.Sprintf("%d ms RTT", rtt.Milliseconds()), offerNet: a, answerNet: b, interfaces: []string{"eth0"}}
}

func (e endpoints) linkConfig(n transport.Net) link.Config {
	return link.Config{Interfaces: e.interfaces, Net: n}
}

// zeroes serves ?n= bytes of zeroes.
var zeroes = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	n, _ := strconv.Atoi(r.URL.Query().Get("n"))
	buf := make([]byte, readChunkSize)
	for n > 0 {
		k, err := w.Write(buf[:min(n, len(buf))])
		if err != nil {
			return
		}
		n -= k
	}
})

// getZeroes fetches n bytes from zeroes and returns when the first byte
// and the last arrived, from start.
func getZeroes(t *testing.T, c *http.Client, n int, start time.Time) (first, all time.Duration) {
	t.Helper()
	resp, err := c.Get("http://peer/zeroes?n=" + strconv.Itoa(n))
	if err != nil {
		t.Fatalf("GET: %v", err)
	}
	defer resp.Body.Close()
	buf := make([]byte, readChunkSize)
	got := 0
	for got < n {
		k, err := resp.Body.Read(buf)
		if got == 0 && k > 0 {
			first = time.Since(start)
		}
		got += k
		if err != nil {
			break
		}
	}
	if got != n {
		t.Fatalf("got %d of %d bytes", got, n)
	}
	return first, time.Since(start)
}

// linkPair connects two app/link peers at e; the answerer serves zeroes.
func linkPair(t *testing.T, e endpoints) (offerer *link.Link) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	pending, offer, err := link.Offer(ctx, e.linkConfig(e.offerNet))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = pending.Close() })
	answerer, answer, err := link.Answer(ctx, e.linkConfig(e.answerNet), offer)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = answerer.Close() })
	go answerer.Serve(context.Background(), zeroes)
	offerer, err = pending.Complete(ctx, answer)
	if err != nil {
		t.Fatal(err)
	}
	return offerer
}

// linkTransfer times n bytes over app/link at e, and the time from the
// offer to the first byte of a small request.
func linkTransfer(t *testing.T, e endpoints, n int) (rate float64, firstByte time.Duration) {
	t.Helper()
	start := time.Now()
	offerer := linkPair(t, e)
	firstByte, _ = getZeroes(t, offerer.Client(), 1, start)
	start = time.Now()
	_, took := getZeroes(t, offerer.Client(), n, start)
	return mbPerSecond(n, took), firstByte
}

// anchorAPI is pion with its defaults: only what the network rule needs
// (interfaces, no mDNS, IPv4) and detached channels.
func anchorAPI(e endpoints, n transport.Net) *webrtc.API {
	var s webrtc.SettingEngine
	s.DetachDataChannels()
	s.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
	s.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4})
	if n != nil {
		s.SetNet(n)
	} else {
		s.SetInterfaceFilter(func(name string) bool { return name == "lo" })
		s.SetIncludeLoopbackCandidate(true)
	}
	return webrtc.NewAPI(webrtc.WithSettingEngine(s))
}

// anchorTransfer times n bytes over the anchor channel at e.
func anchorTransfer(t *testing.T, e endpoints, n int) float64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), benchTimeout)
	defer cancel()
	sender, err := anchorAPI(e, e.offerNet).NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		t.Fatal(err)
	}
	defer sender.Close()
	receiver, err := anchorAPI(e, e.answerNet).NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		t.Fatal(err)
	}
	defer receiver.Close()

	received := make(chan error, 1)
	receiver.OnDataChannel(func(dc *webrtc.DataChannel) {
		dc.OnOpen(func() {
			raw, err := dc.Detach()
			if err != nil {
				received <- err
				return
			}
			go func() {
				buf := make([]byte, 64<<10)
				for got := 0; got < n; {
					k, err := raw.Read(buf)
					if err != nil {
						received <- fmt.Errorf("read after %d bytes: %w", got, err)
						return
					}
					got += k
				}
				received <- nil
			}()
		})
	})
	dc, err := sender.CreateDataChannel("anchor", nil)
	if err != nil {
		t.Fatal(err)
	}
	opened := make(chan struct{})
	dc.OnOpen(func() { close(opened) })
	if err := signalPair(ctx, sender, receiver); err != nil {
		t.Fatal(err)
	}
	select {
	case <-opened:
	case <-ctx.Done():
		t.Fatal("anchor channel did not open")
	}
	raw, err := dc.Detach()
	if err != nil {
		t.Fatal(err)
	}
	drained := make(chan struct{}, 1)
	dc.SetBufferedAmountLowThreshold(anchorLowThreshold)
	dc.OnBufferedAmountLow(func() {
		select {
		case drained <- struct{}{}:
		default:
		}
	})

	start := time.Now()
	buf := make([]byte, anchorWrite)
	for sent := 0; sent < n; sent += len(buf) {
		for dc.BufferedAmount() > anchorMaxBuffered {
			select {
			case <-drained:
			case <-time.After(100 * time.Millisecond): // in case the signal raced
			}
		}
		if _, err := raw.Write(buf); err != nil {
			t.Fatalf("anchor write: %v", err)
		}
	}
	select {
	case err := <-received:
		if err != nil {
			t.Fatal(err)
		}
	case <-ctx.Done():
		t.Fatal("anchor transfer did not finish")
	}
	return mbPerSecond(n, time.Since(start))
}

// signalPair does the offer/answer between two local peer connections,
// with every candidate in the SDP.
func signalPair(ctx context.Context, offerer, answerer *webrtc.PeerConnection) error {
	describe := func(pc *webrtc.PeerConnection, desc webrtc.SessionDescription) (webrtc.SessionDescription, error) {
		gathered := webrtc.GatheringCompletePromise(pc)
		if err := pc.SetLocalDescription(desc); err != nil {
			return desc, err
		}
		select {
		case <-gathered:
			return *pc.LocalDescription(), nil
		case <-ctx.Done():
			return desc, ctx.Err()
		}
	}
	offer, err := offerer.CreateOffer(nil)
	if err != nil {
		return err
	}
	if offer, err = describe(offerer, offer); err != nil {
		return err
	}
	if err := answerer.SetRemoteDescription(offer); err != nil {
		return err
	}
	answer, err := answerer.CreateAnswer(nil)
	if err != nil {
		return err
	}
	if answer, err = describe(answerer, answer); err != nil {
		return err
	}
	return offerer.SetRemoteDescription(answer)
}

// benchWebRTC transfers n bytes over our link and over the anchor twice
// each, in the order ours, anchor, anchor, ours, so that a machine that
// speeds up or slows down during the run (a shared 2-core VM does, by a
// quarter within seconds) weighs on both alike. Each rate is total bytes
// over total time for its two transfers.
func benchWebRTC(t *testing.T, e endpoints, n int, target string) {
	t.Helper()
	var ours, anchor []float64
	var firstByte time.Duration
	runOurs := func() {
		rate, first := linkTransfer(t, e, n)
		ours = append(ours, rate)
		if firstByte == 0 || first < firstByte {
			firstByte = first
		}
	}
	runAnchor := func() { anchor = append(anchor, anchorTransfer(t, e, n)) }
	for _, run := range []func(){runOurs, runAnchor, runAnchor, runOurs} {
		run()
	}
	size := fmt.Sprintf("%d MiB", n>>20)
	report("webrtc link, "+e.name+" ("+size+", 2 runs: "+rates(ours)+")", overall(ours), "MB/s", "see ratio")
	report("  anchor: default pion channel, "+e.name+" ("+rates(anchor)+")", overall(anchor), "MB/s", "-")
	report("  webrtc link / anchor, "+e.name, overall(ours)/overall(anchor), "x", target)
	report("  webrtc connect -> first byte, "+e.name, float64(firstByte.Microseconds())/1000, "ms", "-")
}

// overall is the rate of equal-sized transfers taken together: their
// harmonic mean.
func overall(rates []float64) float64 {
	inverse := 0.0
	for _, r := range rates {
		inverse += 1 / r
	}
	return float64(len(rates)) / inverse
}

// rates lists rates for a report line.
func rates(rates []float64) string {
	s := ""
	for i, r := range rates {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprintf("%.0f", r)
	}
	return s
}

// TestBenchLinksWebRTC: app/link against the default pion channel, on
// loopback.
func TestBenchLinksWebRTC(t *testing.T) {
	benchOnly(t)
	benchWebRTC(t, loopbackEndpoints(), benchMiB(t, "PORCHLIGHT_BENCH_LINK_MIB", 1024), ">= 1.5x")
}

// TestBenchLinksWebRTCDelayed: the same with a 50 ms round trip.
func TestBenchLinksWebRTCDelayed(t *testing.T) {
	benchOnly(t)
	benchWebRTC(t, delayedEndpoints(t, benchRTT), benchMiB(t, "PORCHLIGHT_BENCH_LINK_DELAYED_MIB", 256), ">= 3x")
}

// TestBenchLinksLAN: app/lan against raw TLS 1.3 over loopback TCP.
func TestBenchLinksLAN(t *testing.T) {
	benchOnly(t)
	n := benchMiB(t, "PORCHLIGHT_BENCH_LINK_MIB", 1024)
	start := time.Now()
	client := lanPair(t)
	firstByte, _ := getZeroes(t, client.Client(), 1, start)
	start = time.Now()
	_, took := getZeroes(t, client.Client(), n, start)
	ours := mbPerSecond(n, took)
	anchor, anchorFirstByte := rawTLSTransfer(t, n)
	size := fmt.Sprintf("%d MiB", n>>20)
	report("lan link, loopback ("+size+")", ours, "MB/s", "see ratio")
	report("  anchor: raw TLS 1.3 over TCP, loopback", anchor, "MB/s", "-")
	report("  lan link / anchor", 100*ours/anchor, "%", ">= 80%")
	report("  lan connect -> first byte", float64(firstByte.Microseconds())/1000, "ms", "-")
	report("  raw TLS connect -> first byte", float64(anchorFirstByte.Microseconds())/1000, "ms", "-")
}

// lanPair makes a LAN link over loopback; the listening side serves
// zeroes. It returns the dialling side.
func lanPair(t *testing.T) *lan.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	dialer, listener := newLANPeer(t), newLANPeer(t)
	secret := make([]byte, 32)
	rand.Read(secret)
	accepted := make(chan *lan.Conn, 1)
	l, err := lan.Listen(t.Context(), lan.Config{
		Key:        listener.key,
		Interfaces: []string{"lo"},
		Friends:    func() map[string][]byte { return map[string][]byte{dialer.id: secret} },
	}, func(_ string, c *lan.Conn) { accepted <- c })
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = l.Close() })
	var addr netip.AddrPort
	for _, a := range l.Addrs() {
		if a.Addr().Is4() {
			addr = a
		}
	}
	c, err := lan.Dial(ctx, lan.Config{Key: dialer.key}, addr, listener.id, secret)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	select {
	case server := <-accepted:
		t.Cleanup(func() { _ = server.Close() })
		go server.Serve(context.Background(), zeroes)
	case <-ctx.Done():
		t.Fatal("the listener made no link")
	}
	return c
}

type lanPeer struct {
	key ed25519.PrivateKey
	id  string
}

func newLANPeer(t *testing.T) lanPeer {
	t.Helper()
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return lanPeer{key: key, id: identity.IDOf(key.Public().(ed25519.PublicKey))}
}

// rawTLSTransfer is the LAN anchor: a TLS 1.3 connection with Ed25519
// certificates on both sides over loopback TCP, the server writing n
// bytes in chunks of readChunkSize. It returns the rate and the time from
// dialling to the first byte.
func rawTLSTransfer(t *testing.T, n int) (float64, time.Duration) {
	t.Helper()
	cert := anchorCertificate(t)
	conf := &tls.Config{
		Certificates:       []tls.Certificate{cert},
		MinVersion:         tls.VersionTLS13,
		ClientAuth:         tls.RequireAnyClientCert,
		InsecureSkipVerify: true, // the anchor measures the pipe, not the checks
	}
	ln, err := tls.Listen("tcp", "127.0.0.1:0", conf)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var request atomic.Int64
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				var size [8]byte
				if _, err := io.ReadFull(c, size[:]); err != nil {
					return
				}
				left := int(new(big.Int).SetBytes(size[:]).Int64())
				request.Add(1)
				buf := make([]byte, readChunkSize)
				for left > 0 {
					k, err := c.Write(buf[:min(left, len(buf))])
					if err != nil {
						return
					}
					left -= k
				}
			}()
		}
	}()
	fetch := func(size int) (first, all time.Duration) {
		start := time.Now()
		c, err := tls.Dial("tcp", ln.Addr().String(), conf)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		var req [8]byte
		new(big.Int).SetInt64(int64(size)).FillBytes(req[:])
		if _, err := c.Write(req[:]); err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, readChunkSize)
		for got := 0; got < size; {
			k, err := c.Read(buf)
			if got == 0 && k > 0 {
				first = time.Since(start)
			}
			got += k
			if err != nil && !(errors.Is(err, io.EOF) && got == size) {
				t.Fatalf("raw TLS read after %d bytes: %v", got, err)
			}
		}
		return first, time.Since(start)
	}
	firstByte, _ := fetch(1)
	_, took := fetch(n)
	return mbPerSecond(n, took), firstByte
}

func anchorCertificate(t *testing.T) tls.Certificate {
	t.Helper()
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), NotAfter: time.Now().Add(time.Hour), DNSNames: []string{"porchlight"}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

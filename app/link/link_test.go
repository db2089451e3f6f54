package link

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pion/transport/v4"
	"github.com/pion/transport/v4/stdnet"
	"github.com/pion/webrtc/v4"
)

// Tests connect real pion peers over the loopback interface only.

const testTimeout = 20 * time.Second

type peerKey struct{}

// testConfig limits ICE to loopback. LINK_TEST_DEBUG=1 shows pion's logs.
func testConfig(t *testing.T) Config {
	level := slog.LevelInfo
	if os.Getenv("LINK_TEST_DEBUG") != "" {
		level = slog.LevelDebug
	}
	return Config{
		Interfaces: []string{"lo"},
		Logger:     slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level})).With("test", t.Name()),
	}
}

// connect makes a link between two fresh peers and waits until both ends
// are ready.
func connect(t *testing.T) (offerer, answerer *Link) {
	t.Helper()
	return connectWith(t, testConfig(t), testConfig(t))
}

func connectWith(t *testing.T, offerCfg, answerCfg Config) (offerer, answerer *Link) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), testTimeout)
	defer cancel()
	pending, offer, err := Offer(ctx, offerCfg)
	if err != nil {
		t.Fatalf("Offer: %v", err)
	}
	t.Cleanup(func() { _ = pending.Close() })
	assertLoopbackOnly(t, offer)
	answerer, answer, err := Answer(ctx, answerCfg, offer)
	if err != nil {
		t.Fatalf("Answer: %v", err)
	}
	t.Cleanup(func() { _ = answerer.Close() })
	assertLoopbackOnly(t, answer)
	offerer, err = pending.Complete(ctx, answer)
	if err != nil {
		t.Fatalf("Complete: %v", err)
	}
	if err := answerer.Ready(ctx); err != nil {
		t.Fatalf("answerer Ready: %v", err)
	}
	return offerer, answerer
}

var candidateLine = regexp.MustCompile(`(?m)^a=candidate:\S+ \d+ (\S+) \d+ (\S+) `)

// assertLoopbackOnly checks the network rule: an SDP made with
// Interfaces: ["lo"] offers loopback addresses and nothing else.
func assertLoopbackOnly(t *testing.T, sdp string) {
	t.Helper()
	candidates := candidateLine.FindAllStringSubmatch(sdp, -1)
	if len(candidates) == 0 {
		t.Fatalf("SDP has no candidates:\n%s", sdp)
	}
	for _, c := range candidates {
		if !strings.EqualFold(c[1], "udp") || (c[2] != "127.0.0.1" && c[2] != "::1") {
			t.Fatalf("candidate %q is not loopback UDP", c[0])
		}
	}
}

// serve runs l.Serve with h and a base context carrying name as the peer.
func serve(t *testing.T, l *Link, name string, h http.Handler) <-chan error {
	t.Helper()
	base := context.WithValue(context.Background(), peerKey{}, name)
	served := make(chan error, 1)
	go func() { served <- l.Serve(base, h) }()
	return served
}

// whoAmI answers with the peer name from the request context and the path.
var whoAmI = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	peer, _ := r.Context().Value(peerKey{}).(string)
	fmt.Fprintf(w, "%s %s %s", peer, r.Proto, r.URL.Path)
})

// fetch GETs url and returns the body.
func fetch(ctx context.Context, c *http.Client, url string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return "", err
	}
	resp, err := c.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return string(body), err
}

func get(t *testing.T, c *http.Client, url string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), testTimeout)
	defer cancel()
	body, err := fetch(ctx, c, url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	return body
}

func TestRequestsBothWays(t *testing.T) {
	offerer, answerer := connect(t)
	serve(t, offerer, "answerer-as-seen-by-offerer", whoAmI)
	serve(t, answerer, "offerer-as-seen-by-answerer", whoAmI)

	tests := []struct {
		name string
		from *Link
		url  string
		want string
	}{
		{"offerer to answerer", offerer, "http://peer/calendar", "offerer-as-seen-by-answerer HTTP/2.0 /calendar"},
		{"answerer to offerer", answerer, "http://anything.invalid/files/a", "answerer-as-seen-by-offerer HTTP/2.0 /files/a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := get(t, tt.from.Client(), tt.url); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	for _, l := range []*Link{offerer, answerer} {
		if got := l.Path(); got != PathDirect {
			t.Errorf("Path() = %q, want %q", got, PathDirect)
		}
	}
}

func TestConcurrentUploads(t *testing.T) {
	offerer, answerer := connect(t)
	echoHash := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := sha256.New()
		if _, err := io.Copy(h, r.Body); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		fmt.Fprint(w, hex.EncodeToString(h.Sum(nil)))
	})
	serve(t, offerer, "a", echoHash)
	serve(t, answerer, "o", echoHash)

	var wg sync.WaitGroup
	for i := range 16 {
		from := offerer
		if i%2 == 1 {
			from = answerer
		}
		wg.Go(func() {
			body := make([]byte, 256<<10+i*1000)
			fill(body, byte(i))
			sum := sha256.Sum256(body)
			resp, err := from.Client().Post("http://peer/upload", "application/octet-stream", bytes.NewReader(body))
			if err != nil {
				t.Errorf("upload %d: %v", i, err)
				return
			}
			defer resp.Body.Close()
			got, _ := io.ReadAll(resp.Body)
			if string(got) != hex.EncodeToString(sum[:]) {
				t.Errorf("upload %d: server hashed %s, want %x", i, got, sum)
			}
		})
	}
	wg.Wait()
}

func TestServeAfterRequests(t *testing.T) {
	offerer, answerer := connect(t)
	ctx, cancel := context.WithTimeout(t.Context(), testTimeout)
	defer cancel()
	type result struct {
		body string
		err  error
	}
	got := make(chan result, 1)
	go func() {
		body, err := fetch(ctx, offerer.Client(), "http://peer/early")
		got <- result{body, err}
	}()
	time.Sleep(300 * time.Millisecond) // the request is on its way, unserved
	select {
	case r := <-got:
		t.Fatalf("request answered before Serve: %q, %v", r.body, r.err)
	default:
	}
	serve(t, answerer, "late", whoAmI)
	r := <-got
	if want := "late HTTP/2.0 /early"; r.err != nil || r.body != want {
		t.Errorf("got %q, %v; want %q", r.body, r.err, want)
	}
}

func TestDownload50MB(t *testing.T) {
	const size = 50 << 20
	offerer, answerer := connect(t)
	serve(t, answerer, "o", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Trailer", "X-Sha256")
		h := sha256.New()
		data := io.LimitReader(rand.NewChaCha8([32]byte{1}), size)
		if _, err := io.Copy(io.MultiWriter(w, h), data); err != nil {
			t.Errorf("send download: %v", err)
			return
		}
		w.Header().Set("X-Sha256", hex.EncodeToString(h.Sum(nil)))
	}))

	start := time.Now()
	resp, err := offerer.Client().Get("http://peer/download")
	if err != nil {
		t.Fatalf("GET: %v", err)
	}
	defer resp.Body.Close()
	h := sha256.New()
	n, err := io.Copy(h, resp.Body)
	if err != nil {
		t.Fatalf("read download after %d bytes: %v", n, err)
	}
	elapsed := time.Since(start)
	if n != size {
		t.Fatalf("got %d bytes, want %d", n, size)
	}
	if got, want := hex.EncodeToString(h.Sum(nil)), resp.Trailer.Get("X-Sha256"); got != want {
		t.Fatalf("sha256 %s, server sent %s", got, want)
	}
	t.Logf("50 MB in %v: %.1f MB/s", elapsed.Round(time.Millisecond), float64(size)/1e6/elapsed.Seconds())
}

func TestCloseEndsPeer(t *testing.T) {
	tests := []struct {
		name   string
		closer func(offerer, answerer *Link) (closing, other *Link)
	}{
		{"offerer closes", func(o, a *Link) (*Link, *Link) { return o, a }},
		{"answerer closes", func(o, a *Link) (*Link, *Link) { return a, o }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			closing, other := tt.closer(connect(t))
			served := serve(t, other, "x", whoAmI)
			if err := closing.Close(); err != nil {
				t.Fatalf("Close: %v", err)
			}
			select {
			case <-other.Done():
			case <-time.After(testTimeout):
				t.Fatal("the other side's Done did not fire")
			}
			if err := other.Err(); !errors.Is(err, ErrLost) {
				t.Errorf("other side ended with %v, want ErrLost", err)
			}
			if err := closing.Err(); !errors.Is(err, ErrClosed) {
				t.Errorf("closing side ended with %v, want ErrClosed", err)
			}
			if err := <-served; !errors.Is(err, ErrLost) {
				t.Errorf("Serve returned %v, want ErrLost", err)
			}
			if _, err := other.Client().Get("http://peer/"); !errors.Is(err, ErrLost) {
				t.Errorf("request on ended link: %v, want ErrLost", err)
			}
		})
	}
}

func TestPeerVanishes(t *testing.T) {
	quickICE := func(s *webrtc.SettingEngine) {
		s.SetICETimeouts(500*time.Millisecond, time.Second, 100*time.Millisecond)
	}
	var silenced atomic.Bool
	offerCfg, answerCfg := testConfig(t), testConfig(t)
	offerCfg.adjustSettings = quickICE
	answerCfg.adjustSettings = func(s *webrtc.SettingEngine) {
		network, err := stdnet.NewNet()
		if err != nil {
			t.Fatal(err)
		}
		s.SetNet(silenceableNet{network, &silenced})
	}
	offerer, _ := connectWith(t, offerCfg, answerCfg)

	silenced.Store(true) // the answerer's packets stop, without a goodbye
	select {
	case <-offerer.Done():
	case <-time.After(testTimeout):
		t.Fatal("Done did not fire after the peer went silent")
	}
	if err := offerer.Err(); !errors.Is(err, ErrLost) {
		t.Errorf("ended with %v, want ErrLost", err)
	}
}

// silenceableNet is the host's network, except that once silenced is set
// nothing sent on its UDP sockets leaves.
type silenceableNet struct {
	*stdnet.Net
	silenced *atomic.Bool
}

func (n silenceableNet) ListenUDP(network string, addr *net.UDPAddr) (transport.UDPConn, error) {
	conn, err := n.Net.ListenUDP(network, addr)
	if err != nil {
		return nil, err
	}
	return silenceableConn{conn, n.silenced}, nil
}

type silenceableConn struct {
	transport.UDPConn
	silenced *atomic.Bool
}

func (c silenceableConn) WriteTo(b []byte, addr net.Addr) (int, error) {
	if c.silenced.Load() {
		return len(b), nil
	}
	return c.UDPConn.WriteTo(b, addr)
}

var fingerprintLine = regexp.MustCompile(`(?m)^a=fingerprint:sha-256 [0-9A-Fa-f:]+`)

func TestFingerprintTamperRefused(t *testing.T) {
	tests := []struct {
		name   string
		adjust func(*webrtc.SettingEngine)
	}{
		{"pion checks too", nil},
		// With pion's own check off, only ours stands between the peer
		// and an impostor.
		{"only our check", func(s *webrtc.SettingEngine) { s.DisableCertificateFingerprintVerification(true) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(t.Context(), testTimeout)
			defer cancel()
			cfg := testConfig(t)
			cfg.adjustSettings = tt.adjust
			pending, offer, err := Offer(ctx, cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer pending.Close()
			other, otherOffer, err := Offer(ctx, testConfig(t))
			if err != nil {
				t.Fatal(err)
			}
			defer other.Close()
			answerer, answer, err := Answer(ctx, cfg, offer)
			if err != nil {
				t.Fatal(err)
			}
			defer answerer.Close()

			impostor, err := Fingerprint(otherOffer)
			if err != nil {
				t.Fatal(err)
			}
			tampered := fingerprintLine.ReplaceAllString(answer, "a=fingerprint:sha-256 "+impostor)
			if tampered == answer {
				t.Fatal("found no fingerprint line to tamper with")
			}

			_, err = pending.Complete(ctx, tampered)
			if !errors.Is(err, ErrFingerprintMismatch) {
				t.Fatalf("Complete with a tampered answer: %v, want ErrFingerprintMismatch", err)
			}
			t.Logf("refused: %v", err)
			if err := answerer.Ready(ctx); err == nil {
				t.Error("the answerer's link came up although the offerer refused it")
			}
		})
	}
}

func TestFingerprint(t *testing.T) {
	const fp = "AB:CD:EF:01"
	tests := []struct {
		name    string
		sdp     string
		want    string
		wantErr bool
	}{
		{"session level", "a=fingerprint:sha-256 " + fp + "\r\n", fp, false},
		{"media level, lower case", "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\na=fingerprint:sha-256 ab:cd:ef:01\r\n", fp, false},
		{"sha-1 only", "a=fingerprint:sha-1 " + fp + "\r\n", "", true},
		{"none", "", "", true},
		{"two different", "a=fingerprint:sha-256 " + fp + "\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\na=fingerprint:sha-256 01:02\r\n", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sdp := "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n" + tt.sdp
			got, err := Fingerprint(sdp)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("Fingerprint() = %q, %v; want %q, error %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}

package lan

import (
	"crypto/tls"
	"io"
	"net/http"
	"net/netip"
	"strconv"
	"testing"
	"time"
)

// writeChunk and readChunk are the sizes of each write and read on both
// paths.
const (
	writeChunk = 256 << 10
	readChunk  = 256 << 10
)

// onlyWriter hides io.Discard's ReadFrom, which would read in 8 KiB pieces.
type onlyWriter struct{ io.Writer }

// zeros serves ?n= bytes.
func zeros() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.URL.Query().Get("n"))
		buf := make([]byte, writeChunk)
		for n > 0 {
			k, err := w.Write(buf[:min(n, len(buf))])
			if err != nil {
				return
			}
			n -= k
		}
	})
}

// transferLAN moves n bytes from B to A over a LAN link, timing only the
// transfer.
func transferLAN(t testing.TB, atA, atB *Conn, n int) time.Duration {
	t.Helper()
	start := time.Now()
	resp, err := atA.Client().Get("http://peer/zeros?n=" + strconv.Itoa(n))
	if err != nil {
		t.Fatalf("GET: %v", err)
	}
	defer resp.Body.Close()
	got, err := io.CopyBuffer(onlyWriter{io.Discard}, resp.Body, make([]byte, readChunk))
	if err != nil || got != int64(n) {
		t.Fatalf("read %d of %d bytes: %v", got, n, err)
	}
	return time.Since(start)
}

// rawTLS is the anchor: one TLS 1.3 connection over loopback TCP with the
// same kind of certificates, the sender writing n bytes.
type rawTLS struct {
	client *tls.Conn
	server *tls.Conn
}

func newRawTLS(t testing.TB) rawTLS {
	t.Helper()
	a, b := newPeer(t), newPeer(t)
	certA, err := certificate(a.key)
	if err != nil {
		t.Fatal(err)
	}
	certB, err := certificate(b.key)
	if err != nil {
		t.Fatal(err)
	}
	confA, _ := tlsConfig(certA, b.id, v4loopback)
	confB, _ := tlsConfig(certB, a.id, v4loopback)
	ln, err := tls.Listen("tcp", "127.0.0.1:0", confB)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan *tls.Conn, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			accepted <- nil
			return
		}
		server := c.(*tls.Conn)
		if err := server.Handshake(); err != nil {
			server.Close()
			server = nil
		}
		accepted <- server
	}()
	client, err := tls.Dial("tcp", ln.Addr().String(), confA)
	if err != nil {
		t.Fatal(err)
	}
	server := <-accepted
	if server == nil {
		t.Fatal("raw TLS server handshake failed")
	}
	t.Cleanup(func() { client.Close(); server.Close() })
	return rawTLS{client: client, server: server}
}

func (r rawTLS) transfer(t testing.TB, n int) time.Duration {
	t.Helper()
	start := time.Now()
	go func() {
		buf := make([]byte, writeChunk)
		for left := n; left > 0; {
			k, err := r.server.Write(buf[:min(left, len(buf))])
			if err != nil {
				return
			}
			left -= k
		}
	}()
	if _, err := io.CopyBuffer(onlyWriter{io.Discard}, io.LimitReader(r.client, int64(n)), make([]byte, readChunk)); err != nil {
		t.Fatalf("raw TLS read: %v", err)
	}
	return time.Since(start)
}

func mbps(n int, d time.Duration) float64 { return float64(n) / d.Seconds() / 1e6 }

// TestThroughput logs the LAN path's speed next to raw TLS on the same
// loopback. It asserts nothing about timings; `make bench` holds the target.
func TestThroughput(t *testing.T) {
	const n = 50 << 20
	_, _, atA, atB := link(t)
	go atB.Serve(t.Context(), zeros())
	raw := newRawTLS(t)

	transferLAN(t, atA, atB, 1<<20) // warm up windows
	raw.transfer(t, 1<<20)
	lan := transferLAN(t, atA, atB, n)
	anchor := raw.transfer(t, n)
	t.Logf("50 MiB over loopback: lan link %.0f MB/s, raw TLS-over-TCP %.0f MB/s (%.0f%%)",
		mbps(n, lan), mbps(n, anchor), 100*anchor.Seconds()/lan.Seconds())
}

const benchBytes = 64 << 20

func BenchmarkLANTransfer(b *testing.B) {
	_, _, atA, atB := link(b)
	go atB.Serve(b.Context(), zeros())
	b.SetBytes(benchBytes)
	for b.Loop() {
		transferLAN(b, atA, atB, benchBytes)
	}
}

func BenchmarkRawTLSTransfer(b *testing.B) {
	raw := newRawTLS(b)
	b.SetBytes(benchBytes)
	for b.Loop() {
		raw.transfer(b, benchBytes)
	}
}

var v4loopback = netip.MustParseAddrPort("127.0.0.1:0")

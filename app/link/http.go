package link

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"

	"github.com/porchlight/porchlight/app/oneconn"
)

// HTTP/2 flow-control windows: large enough that one stream can keep a
// fast link busy.
const (
	h2ReceiveBufferPerConnection = 16 << 20
	h2ReceiveBufferPerStream     = 8 << 20
	// h2MaxReadFrameSize lets the peer send DATA frames of up to 1 MiB
	// instead of 16 KiB: fewer frames, fewer and larger writes into the
	// data channel (part of the CPU saving noted at writeMessageSize).
	h2MaxReadFrameSize = 1 << 20
)

// h2Protocols makes net/http speak HTTP/2 with prior knowledge and without
// TLS: the link already authenticates and encrypts.
func h2Protocols() *http.Protocols {
	var p http.Protocols
	p.SetUnencryptedHTTP2(true)
	return &p
}

func h2Config() *http.HTTP2Config {
	return &http.HTTP2Config{
		MaxReceiveBufferPerConnection: h2ReceiveBufferPerConnection,
		MaxReceiveBufferPerStream:     h2ReceiveBufferPerStream,
		MaxReadFrameSize:              h2MaxReadFrameSize,
	}
}

// newClientConn starts an HTTP/2 client on conn.
func newClientConn(conn net.Conn) (*http.ClientConn, error) {
	transport := &http.Transport{
		Protocols: h2Protocols(),
		HTTP2:     h2Config(),
		DialContext: func(context.Context, string, string) (net.Conn, error) {
			return conn, nil
		},
	}
	// The address is never dialed; every request goes to conn.
	return transport.NewClientConn(context.Background(), "http", "peer:80")
}

// Client returns an HTTP client whose requests, whatever their URL's host
// (e.g. "http://peer/x"), go to the peer's Serve handler over this link.
// Requests made before the link is ready wait for it.
func (l *Link) Client() *http.Client {
	return &http.Client{Transport: linkTransport{l}}
}

// linkTransport sends requests over the link's HTTP/2 client conn.
type linkTransport struct {
	l *Link
}

func (t linkTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	select {
	case <-t.l.done:
		closeBody(req)
		return nil, fmt.Errorf("send request: %w", t.l.Err())
	case <-t.l.ready:
		// Unless the link has ended meanwhile (checked first, above).
		select {
		case <-t.l.done:
			closeBody(req)
			return nil, fmt.Errorf("send request: %w", t.l.Err())
		default:
			return t.l.client.RoundTrip(req)
		}
	case <-req.Context().Done():
		closeBody(req)
		return nil, fmt.Errorf("send request: %w", req.Context().Err())
	}
}

func closeBody(req *http.Request) {
	if req.Body != nil {
		_ = req.Body.Close()
	}
}

// Serve serves the peer's HTTP/2 requests with h until the link ends, and
// returns why it ended. Every request's context derives from base (the
// caller puts the peer's identity there). Requests the peer sends before
// Serve is called wait for it. Serve may be called once.
func (l *Link) Serve(base context.Context, h http.Handler) error {
	if h == nil {
		return errors.New("serve link: no handler")
	}
	if !l.serving.CompareAndSwap(false, true) {
		return errors.New("serve link: already serving")
	}
	select {
	case <-l.ready:
	case <-l.done:
		return l.Err()
	}
	server := &http.Server{
		Handler:     h,
		Protocols:   h2Protocols(),
		HTTP2:       h2Config(),
		BaseContext: func(net.Listener) context.Context { return base },
		ErrorLog:    slog.NewLogLogger(l.log.Handler(), slog.LevelDebug),
	}
	go func() {
		<-l.done
		_ = server.Close()
	}()
	_ = server.Serve(oneconn.Listener(l.incoming, l.done, channelAddr("listener")))
	<-l.done
	return l.Err()
}

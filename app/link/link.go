package link

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"

	"github.com/pion/transport/v4"
	"github.com/pion/webrtc/v4"
)

// Errors a link ends with; Err, Ready and Serve return them wrapped.
var (
	// ErrClosed means Close was called on this side.
	ErrClosed = errors.New("link closed")
	// ErrLost means the peer closed the link or became unreachable.
	ErrLost = errors.New("link lost")
)

// Paths a link can take, as Path reports them.
const (
	PathDirect  = "direct"
	PathRelayed = "relayed"
)

// The two data channels, pre-negotiated so that neither side waits for the
// other to announce them. On each, one side is the HTTP/2 client and the
// other the server.
const (
	offererClientLabel  = "h2-offerer-client"
	offererClientID     = 0
	answererClientLabel = "h2-answerer-client"
	answererClientID    = 1
)

// Config says how a link may connect.
type Config struct {
	// Interfaces limits ICE to these interface names; if one of them is a
	// loopback interface ("lo"), loopback candidates are included.
	// Empty means all interfaces.
	Interfaces []string
	// ICEServers are the STUN/TURN servers to use; none by default.
	ICEServers []webrtc.ICEServer
	// Logger receives pion's logs, at debug level. Nil discards them.
	Logger *slog.Logger
	// Net is the network ICE runs on; nil means the host's. Tests and
	// benchmarks give pion's virtual network (transport/v4/vnet), with its
	// NATs and delays, where Interfaces names vnet's interfaces ("eth0").
	Net transport.Net

	// adjustSettings lets tests change pion's settings.
	adjustSettings func(*webrtc.SettingEngine)
}

// Link is an authenticated, encrypted connection to one peer that carries
// HTTP/2 requests both ways: Client sends to the peer's Serve handler.
type Link struct {
	pc  *webrtc.PeerConnection
	log *slog.Logger

	verified chan struct{} // closed once the peer's certificate matched
	ready    chan struct{} // closed once client and server conns are set
	done     chan struct{} // closed when the link ends

	serving atomic.Bool // set by the first Serve call

	mu                sync.Mutex
	remoteFingerprint string           // from the remote SDP we were given
	client            *http.ClientConn // set before ready closes
	incoming          *dataConn        // the conn Serve serves; set before ready closes
	err               error            // why the link ended
}

// Pending is an offered link waiting for the peer's answer.
type Pending struct {
	link *Link
}

// Offer begins a link as the offering side. It returns the complete offer
// SDP, with every ICE candidate in it; ctx bounds the candidate gathering.
func Offer(ctx context.Context, cfg Config) (*Pending, string, error) {
	l, err := newLink(cfg, true)
	if err != nil {
		return nil, "", err
	}
	offer, err := l.describe(ctx, func() (webrtc.SessionDescription, error) { return l.pc.CreateOffer(nil) })
	if err != nil {
		_ = l.Close()
		return nil, "", fmt.Errorf("create offer: %w", err)
	}
	return &Pending{link: l}, offer, nil
}

// Complete applies the peer's answer SDP and waits, bounded by ctx, until
// the link is up. On failure the link is closed.
func (p *Pending) Complete(ctx context.Context, answerSDP string) (*Link, error) {
	l := p.link
	if err := l.accept(webrtc.SDPTypeAnswer, answerSDP); err != nil {
		_ = l.Close()
		return nil, fmt.Errorf("complete link: %w", err)
	}
	if err := l.Ready(ctx); err != nil {
		_ = l.Close()
		return nil, fmt.Errorf("complete link: %w", err)
	}
	return l, nil
}

// Close abandons the offer.
func (p *Pending) Close() error {
	return p.link.Close()
}

// Answer accepts the peer's offer SDP. It returns the answer SDP to send
// back, with every ICE candidate in it (ctx bounds the gathering), and the
// Link, which becomes usable once Ready returns nil.
func Answer(ctx context.Context, cfg Config, offerSDP string) (*Link, string, error) {
	l, err := newLink(cfg, false)
	if err != nil {
		return nil, "", err
	}
	if err := l.accept(webrtc.SDPTypeOffer, offerSDP); err != nil {
		_ = l.Close()
		return nil, "", fmt.Errorf("answer offer: %w", err)
	}
	answer, err := l.describe(ctx, func() (webrtc.SessionDescription, error) { return l.pc.CreateAnswer(nil) })
	if err != nil {
		_ = l.Close()
		return nil, "", fmt.Errorf("answer offer: %w", err)
	}
	return l, answer, nil
}

// newLink makes the peer connection and its two data channels, and starts
// watching them.
func newLink(cfg Config, offering bool) (*Link, error) {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	api, err := newAPI(cfg, log)
	if err != nil {
		return nil, err
	}
	pc, err := api.NewPeerConnection(webrtc.Configuration{ICEServers: cfg.ICEServers})
	if err != nil {
		return nil, fmt.Errorf("create peer connection: %w", err)
	}
	l := &Link{
		pc:       pc,
		log:      log,
		verified: make(chan struct{}),
		ready:    make(chan struct{}),
		done:     make(chan struct{}),
	}
	offererClient, err := l.openChannel(offererClientLabel, offererClientID)
	if err != nil {
		_ = l.Close()
		return nil, err
	}
	answererClient, err := l.openChannel(answererClientLabel, answererClientID)
	if err != nil {
		_ = l.Close()
		return nil, err
	}
	pc.OnConnectionStateChange(l.onStateChange)
	pc.SCTP().Transport().OnStateChange(func(state webrtc.DTLSTransportState) {
		// pion holds the transport's lock here; check the certificate outside it.
		if state == webrtc.DTLSTransportStateConnected {
			go l.verifyPeer()
		}
	})
	if offering {
		go l.setUp(offererClient, answererClient)
	} else {
		go l.setUp(answererClient, offererClient)
	}
	return l, nil
}

// openChannel creates a pre-negotiated data channel and returns where its
// conn arrives once it opens.
func (l *Link) openChannel(label string, id uint16) (<-chan *dataConn, error) {
	negotiated := true
	dc, err := l.pc.CreateDataChannel(label, &webrtc.DataChannelInit{Negotiated: &negotiated, ID: &id})
	if err != nil {
		return nil, fmt.Errorf("create data channel %s: %w", label, err)
	}
	opened := make(chan *dataConn, 1)
	dc.OnOpen(func() {
		raw, err := dc.DetachWithDeadline()
		if err != nil {
			_ = l.end(fmt.Errorf("detach data channel %s: %w", label, err))
			return
		}
		ch, ok := raw.(channel)
		if !ok {
			_ = l.end(fmt.Errorf("detach data channel %s: no flow control on %T", label, raw))
			return
		}
		opened <- newDataConn(ch, label)
	})
	return opened, nil
}

// describe creates the local SDP, applies it and waits until ICE gathering
// is done, so that the SDP carries every candidate (no trickle ICE).
func (l *Link) describe(ctx context.Context, create func() (webrtc.SessionDescription, error)) (string, error) {
	desc, err := create()
	if err != nil {
		return "", err
	}
	gathered := webrtc.GatheringCompletePromise(l.pc)
	if err := l.pc.SetLocalDescription(desc); err != nil {
		return "", fmt.Errorf("set local description: %w", err)
	}
	select {
	case <-gathered:
		return l.pc.LocalDescription().SDP, nil
	case <-ctx.Done():
		return "", fmt.Errorf("gather candidates: %w", ctx.Err())
	}
}

// accept applies the peer's SDP, first noting the fingerprint it declares:
// that SDP was signed by the peer, so its fingerprint is the truth.
func (l *Link) accept(typ webrtc.SDPType, sdp string) error {
	fingerprint, err := Fingerprint(sdp)
	if err != nil {
		return err
	}
	l.mu.Lock()
	l.remoteFingerprint = fingerprint
	l.mu.Unlock()
	if err := l.pc.SetRemoteDescription(webrtc.SessionDescription{Type: typ, SDP: sdp}); err != nil {
		return fmt.Errorf("set remote description: %w", err)
	}
	return nil
}

// setUp waits for the certificate check and both data channels, then
// starts the HTTP/2 client and marks the link ready.
func (l *Link) setUp(outgoing, incoming <-chan *dataConn) {
	if _, ok := await(l.verified, l.done); !ok {
		return
	}
	out, ok := await(outgoing, l.done)
	if !ok {
		return
	}
	in, ok := await(incoming, l.done)
	if !ok {
		return
	}
	client, err := newClientConn(out)
	if err != nil {
		_ = l.end(fmt.Errorf("start HTTP/2 client: %w", err))
		return
	}
	l.mu.Lock()
	ended := l.err != nil
	if !ended {
		l.client, l.incoming = client, in
		close(l.ready)
	}
	l.mu.Unlock()
	if ended {
		_ = client.Close()
		_ = in.Close()
		return
	}
	l.tuneWindow(out, in)
}

// await receives from c unless done closes first.
func await[T any](c <-chan T, done <-chan struct{}) (T, bool) {
	select {
	case v := <-c:
		return v, true
	case <-done:
		var zero T
		return zero, false
	}
}

func (l *Link) onStateChange(state webrtc.PeerConnectionState) {
	l.log.Debug("link state", "state", state.String())
	switch state {
	case webrtc.PeerConnectionStateFailed:
		_ = l.end(fmt.Errorf("%w: connection failed", ErrLost))
	case webrtc.PeerConnectionStateClosed:
		_ = l.end(fmt.Errorf("%w: connection closed", ErrLost))
	}
}

// Ready waits until the link is usable, has failed, or ctx is done.
func (l *Link) Ready(ctx context.Context) error {
	select {
	case <-l.ready:
		select {
		case <-l.done:
			return l.Err()
		default:
			return nil
		}
	case <-l.done:
		return l.Err()
	case <-ctx.Done():
		return fmt.Errorf("wait for link: %w", ctx.Err())
	}
}

// Done is closed when the link ends: closed by either side, failed, or the
// peer unreachable for too long.
func (l *Link) Done() <-chan struct{} {
	return l.done
}

// Err returns nil while the link is open, and why it ended afterwards.
func (l *Link) Err() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.err
}

// Close ends the link; the peer sees its Done fire.
func (l *Link) Close() error {
	return l.end(ErrClosed)
}

// end ends the link with cause, unless it has ended already.
func (l *Link) end(cause error) error {
	cause = l.explain(cause)
	l.mu.Lock()
	if l.err != nil {
		l.mu.Unlock()
		return nil
	}
	l.err = cause
	close(l.done)
	client, incoming := l.client, l.incoming
	l.mu.Unlock()
	l.log.Debug("link ended", "cause", cause)

	var errs []error
	if client != nil {
		if err := client.Close(); err != nil {
			errs = append(errs, fmt.Errorf("close HTTP/2 client: %w", err))
		}
	}
	if incoming != nil {
		errs = append(errs, incoming.Close())
	}
	if err := l.pc.Close(); err != nil {
		errs = append(errs, fmt.Errorf("close peer connection: %w", err))
	}
	return errors.Join(errs...)
}

// Path reports how the link's packets travel: PathRelayed through a TURN
// relay, PathDirect otherwise; "" before ICE has chosen a path.
func (l *Link) Path() string {
	pair, err := l.pc.SCTP().Transport().ICETransport().GetSelectedCandidatePair()
	if err != nil || pair == nil {
		return ""
	}
	if pair.Local.Typ == webrtc.ICECandidateTypeRelay || pair.Remote.Typ == webrtc.ICECandidateTypeRelay {
		return PathRelayed
	}
	return PathDirect
}

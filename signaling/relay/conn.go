package relay

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"
	"golang.org/x/time/rate"

	"github.com/porchlight/porchlight/signaling/wire"
)

var (
	errClosed  = errors.New("connection closed")
	errIdle    = errors.New("client idle")
	errTooSlow = &wire.Error{Code: wire.CodeTooSlow, Message: "client does not read its frames"}
)

// conn is one client connection. Its goroutine (serve) reads frames; while
// the queue holds frames, a second one (drain) writes them, and exits when
// the queue is empty, so an idle client costs one goroutine. A client whose
// queue is full is dropped: the relay never waits for a slow reader.
type conn struct {
	s      *Server
	ws     *websocket.Conn
	ctx    context.Context
	cancel context.CancelCauseFunc

	qmu      sync.Mutex
	queue    []outgoing // at most SendQueue
	draining bool       // a drain goroutine runs
	// flushSlots bounds the queue space that mailbox deliveries take, so
	// live forwards still find room while a mailbox is flushed.
	flushSlots chan struct{}

	ip    string        // the client's IP address
	key   string        // the client's public key, set by login
	limit *rate.Limiter // shared by the connections of key, set by login

	subs map[wire.Address]struct{} // guarded by s.mu
}

type outgoing struct {
	frame       []byte
	fromMailbox bool
}

func newConn(s *Server, ws *websocket.Conn, ip string) *conn {
	ctx, cancel := context.WithCancelCause(context.Background())
	ws.SetReadLimit(-1) // read enforces wire.MaxFrame, with close code 4004
	return &conn{
		s:          s,
		ws:         ws,
		ip:         ip,
		ctx:        ctx,
		cancel:     cancel,
		flushSlots: make(chan struct{}, max(1, s.cfg.SendQueue/2)),
	}
}

// serve logs the client in, then handles its frames until it leaves, idles
// out or breaks a rule.
func (c *conn) serve() {
	if err := onFreshStack(c.login); err != nil {
		c.fail(err)
		return
	}
	c.logger().Debug("client logged in")
	// One timer per connection, reset by every frame, rather than a context
	// and a timer per read.
	idle := time.AfterFunc(c.s.cfg.IdleTimeout, func() { c.drop(errIdle) })
	defer idle.Stop()
	for {
		// Not c.ctx: a cancellable context costs every read an allocation
		// that outlives it. drop closes the connection, which ends the read.
		b, err := c.readRaw(context.Background())
		idle.Reset(c.s.cfg.IdleTimeout)
		if err == nil {
			err = onFreshStack(func() error {
				f, err := wire.DecodeFrame(b)
				if err != nil {
					return err
				}
				return c.handle(f)
			})
		}
		if err != nil {
			c.fail(err)
			return
		}
	}
}

func (c *conn) login() error {
	ctx, cancel := context.WithTimeout(context.Background(), c.s.cfg.HandshakeTimeout)
	defer cancel()
	nonce := make([]byte, wire.NonceSize)
	rand.Read(nonce)
	c.reply(wire.Frame{Type: wire.TypeChallenge, V: wire.Version, Nonce: nonce, RelayURL: c.s.urls[0]})
	f, err := c.read(ctx)
	switch {
	case errors.Is(err, wire.ErrVersionUnsupported):
		return &wire.Error{Code: wire.CodeVersionUnsupported, Message: upgradeHint(f.V)}
	case err != nil:
		return fmt.Errorf("read login: %w", err)
	case f.Type != wire.TypeLogin:
		return &wire.Error{Code: wire.CodeAuthFailed, Message: fmt.Sprintf("want a login frame, got %s", f.Type)}
	case !c.s.verifyLogin(f.Pub, f.Sig, nonce):
		return &wire.Error{Code: wire.CodeAuthFailed, Message: "login signature does not verify for " + strings.Join(c.s.urls, " or ")}
	}
	c.s.loggedIn(c, string(f.Pub))
	c.reply(wire.Frame{Type: wire.TypeWelcome})
	return nil
}

func (c *conn) handle(f wire.Frame) error {
	switch f.Type {
	case wire.TypeSend: // rate limited in send, with a reply
		c.s.send(c, f)
		return nil
	case wire.TypeAck: // free when it removes an envelope: those are bounded by the deliveries
		if c.s.ack(c, f) {
			return nil
		}
	case wire.TypeSub, wire.TypeUnsub, wire.TypePing, wire.TypeTURNAsk:
	default:
		return &wire.Error{Code: wire.CodeBadFrame, Message: fmt.Sprintf("unexpected %s frame", f.Type)}
	}
	if !c.limit.Allow() {
		return &wire.Error{Code: wire.CodeRateLimited, Message: fmt.Sprintf("over %g frames per second", c.s.cfg.MessagesPerSecond)}
	}
	switch f.Type {
	case wire.TypeSub:
		c.s.subscribe(c, f.Addrs)
	case wire.TypeUnsub:
		c.s.unsubscribe(c, f.Addrs)
	case wire.TypePing:
		c.reply(wire.Frame{Type: wire.TypePong, T: f.T})
	case wire.TypeTURNAsk:
		c.s.turnCredentials(c, f)
	}
	return nil
}

// read reads one frame of at most wire.MaxFrame bytes.
func (c *conn) read(ctx context.Context) (wire.Frame, error) {
	b, err := c.readRaw(ctx)
	if err != nil {
		return wire.Frame{}, err
	}
	return wire.DecodeFrame(b)
}

// readRaw reads one text message of at most wire.MaxFrame bytes.
func (c *conn) readRaw(ctx context.Context) ([]byte, error) {
	typ, r, err := c.ws.Reader(ctx)
	if err != nil {
		return nil, fmt.Errorf("read frame: %w", err)
	}
	b, err := io.ReadAll(io.LimitReader(r, wire.MaxFrame+1))
	if err != nil {
		return nil, fmt.Errorf("read frame: %w", err)
	}
	if len(b) > wire.MaxFrame {
		return nil, &wire.Error{Code: wire.CodeTooLarge, Message: fmt.Sprintf("frame over %d bytes", wire.MaxFrame)}
	}
	if typ != websocket.MessageText {
		return nil, &wire.Error{Code: wire.CodeBadFrame, Message: "frames are text messages"}
	}
	return b, nil
}

// onFreshStack runs f in a short-lived goroutine and waits for it.
// Decoding JSON and verifying signatures take a deep stack; a goroutine's
// stack only ever grows until the garbage collector finds it mostly unused,
// so doing that work on the reader's own goroutine would leave every idle
// client holding 8 KiB or more of stack instead of 4.
func onFreshStack(f func() error) error {
	done := make(chan error, 1)
	go func() { done <- f() }()
	return <-done
}

// fail ends the connection. A protocol error is sent to the client as an
// error frame and a close code; anything else (the client left, a timeout,
// a drop) just closes.
func (c *conn) fail(err error) {
	var we *wire.Error
	if !errors.As(err, &we) {
		c.logger().Debug("connection ended", "err", err, "cause", context.Cause(c.ctx))
		c.ws.CloseNow()
		return
	}
	c.logger().Debug("refusing client", "err", we)
	c.s.metrics.reject(we.Code.String())
	if b, err := wire.EncodeFrame(errorFrame("", we)); err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), c.s.cfg.WriteTimeout)
		c.ws.Write(ctx, websocket.MessageText, b)
		cancel()
	}
	c.ws.Close(websocket.StatusCode(we.Code), truncate(we.Message, 123))
}

// logger returns the relay's logger with the client's address and key
// prefix. It is built only when something is logged: a logger per
// connection would cost every client memory.
func (c *conn) logger() *slog.Logger {
	l := c.s.log.With("remote", c.ip)
	if len(c.key) >= 4 {
		l = l.With("key", hex.EncodeToString([]byte(c.key)[:4]))
	}
	return l
}

// reply queues a frame to the client.
func (c *conn) reply(f wire.Frame) {
	if f.Type == wire.TypeError {
		c.s.metrics.reject(f.Code.String())
	}
	b, err := wire.EncodeFrame(f)
	if err != nil {
		c.logger().Error("encode reply", "err", err)
		return
	}
	c.enqueue(outgoing{frame: b})
}

// enqueue queues a frame without waiting. If the queue is full, the client
// is dropped.
func (c *conn) enqueue(out outgoing) bool {
	c.qmu.Lock()
	if c.ctx.Err() != nil {
		c.qmu.Unlock()
		return false
	}
	if len(c.queue) >= c.s.cfg.SendQueue {
		c.qmu.Unlock()
		c.logger().Info("dropping a client that does not read", "queued", c.s.cfg.SendQueue)
		c.drop(errTooSlow)
		return false
	}
	c.queue = append(c.queue, out)
	start := !c.draining
	c.draining = true
	c.qmu.Unlock()
	if start {
		go c.drain()
	}
	return true
}

// flush queues mailbox envelopes, waiting for flush slots, so that a big
// mailbox neither overflows the queue nor lets the read loop run ahead.
func (c *conn) flush(envs []*envelope) {
	for _, e := range envs {
		select {
		case c.flushSlots <- struct{}{}:
		case <-c.ctx.Done():
			return
		}
		if !c.enqueue(outgoing{frame: e.frame, fromMailbox: true}) {
			return
		}
		c.s.metrics.forwarded.Add(1)
	}
}

// drop ends the connection at once, for cause.
func (c *conn) drop(cause error) {
	c.cancel(cause)
	c.ws.CloseNow()
}

// drain writes the queue's frames in order until it is empty.
func (c *conn) drain() {
	for {
		c.qmu.Lock()
		if len(c.queue) == 0 || c.ctx.Err() != nil {
			c.queue, c.draining = nil, false
			c.qmu.Unlock()
			return
		}
		out := c.queue[0]
		c.queue[0] = outgoing{}
		c.queue = c.queue[1:]
		c.qmu.Unlock()

		ctx, cancel := context.WithTimeout(context.Background(), c.s.cfg.WriteTimeout)
		err := c.ws.Write(ctx, websocket.MessageText, out.frame)
		cancel()
		if out.fromMailbox {
			<-c.flushSlots
		}
		if err != nil {
			c.drop(fmt.Errorf("write frame: %w", err))
		}
	}
}

// errorFrame turns err into an error frame answering the send id (or no
// frame in particular, if id is empty).
func errorFrame(id string, err error) wire.Frame {
	we := &wire.Error{Code: wire.CodeBadFrame, Message: err.Error()}
	errors.As(err, &we)
	return wire.Frame{Type: wire.TypeError, ID: id, Code: we.Code, Message: truncate(we.Message, 512)}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

package relay

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"

	"github.com/coder/websocket"
	"golang.org/x/time/rate"

	"github.com/porchlight/porchlight/signaling/wire"
)

var (
	errClosed  = errors.New("connection closed")
	errTooSlow = &wire.Error{Code: wire.CodeTooSlow, Message: "client does not read its frames"}
)

// conn is one client connection. Its goroutine (serve) reads frames; a
// second one (writeLoop) writes what the queue holds. A client whose queue
// is full is dropped: the relay never waits for a slow reader.
type conn struct {
	s      *Server
	ws     *websocket.Conn
	log    *slog.Logger
	ctx    context.Context
	cancel context.CancelCauseFunc

	queue chan outgoing
	// flushSlots bounds the queue space that mailbox deliveries take, so
	// live forwards still find room while a mailbox is flushed.
	flushSlots chan struct{}

	key   string        // the client's public key, set by login
	limit *rate.Limiter // shared by the connections of key, set by login

	subs map[wire.Address]struct{} // guarded by s.mu
}

type outgoing struct {
	frame       []byte
	fromMailbox bool
}

func newConn(s *Server, ws *websocket.Conn, r *http.Request) *conn {
	ctx, cancel := context.WithCancelCause(context.Background())
	ws.SetReadLimit(-1) // read enforces wire.MaxFrame, with close code 4004
	return &conn{
		s:          s,
		ws:         ws,
		log:        s.log.With("remote", remoteHost(r)),
		ctx:        ctx,
		cancel:     cancel,
		queue:      make(chan outgoing, s.cfg.SendQueue),
		flushSlots: make(chan struct{}, max(1, s.cfg.SendQueue/2)),
		subs:       make(map[wire.Address]struct{}),
	}
}

// serve logs the client in, then handles its frames until it leaves, idles
// out or breaks a rule.
func (c *conn) serve() {
	go c.writeLoop()
	if err := c.login(); err != nil {
		c.fail(err)
		return
	}
	c.log = c.log.With("key", hex.EncodeToString([]byte(c.key)[:4]))
	c.log.Debug("client logged in")
	for {
		ctx, cancel := context.WithTimeout(c.ctx, c.s.cfg.IdleTimeout)
		f, err := c.read(ctx)
		cancel()
		if err == nil {
			err = c.handle(f)
		}
		if err != nil {
			c.fail(err)
			return
		}
	}
}

func (c *conn) login() error {
	ctx, cancel := context.WithTimeout(c.ctx, c.s.cfg.HandshakeTimeout)
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
	case wire.TypeSub, wire.TypeUnsub, wire.TypePing:
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
	}
	return nil
}

// read reads one frame of at most wire.MaxFrame bytes.
func (c *conn) read(ctx context.Context) (wire.Frame, error) {
	typ, r, err := c.ws.Reader(ctx)
	if err != nil {
		return wire.Frame{}, fmt.Errorf("read frame: %w", err)
	}
	b, err := io.ReadAll(io.LimitReader(r, wire.MaxFrame+1))
	if err != nil {
		return wire.Frame{}, fmt.Errorf("read frame: %w", err)
	}
	if len(b) > wire.MaxFrame {
		return wire.Frame{}, &wire.Error{Code: wire.CodeTooLarge, Message: fmt.Sprintf("frame over %d bytes", wire.MaxFrame)}
	}
	if typ != websocket.MessageText {
		return wire.Frame{}, &wire.Error{Code: wire.CodeBadFrame, Message: "frames are text messages"}
	}
	return wire.DecodeFrame(b)
}

// fail ends the connection. A protocol error is sent to the client as an
// error frame and a close code; anything else (the client left, a timeout,
// a drop) just closes.
func (c *conn) fail(err error) {
	var we *wire.Error
	if !errors.As(err, &we) {
		c.log.Debug("connection ended", "err", err, "cause", context.Cause(c.ctx))
		c.ws.CloseNow()
		return
	}
	c.log.Debug("refusing client", "err", we)
	if b, err := wire.EncodeFrame(errorFrame("", we)); err == nil {
		ctx, cancel := context.WithTimeout(c.ctx, c.s.cfg.WriteTimeout)
		c.ws.Write(ctx, websocket.MessageText, b)
		cancel()
	}
	c.ws.Close(websocket.StatusCode(we.Code), truncate(we.Message, 123))
}

// reply queues a frame to the client.
func (c *conn) reply(f wire.Frame) {
	b, err := wire.EncodeFrame(f)
	if err != nil {
		c.log.Error("encode reply", "err", err)
		return
	}
	c.enqueue(outgoing{frame: b})
}

// enqueue queues a frame without waiting. If the queue is full, the client
// is dropped.
func (c *conn) enqueue(out outgoing) bool {
	select {
	case c.queue <- out:
		return true
	default:
		if c.ctx.Err() == nil {
			c.log.Info("dropping a client that does not read", "queued", len(c.queue))
			c.cancel(errTooSlow)
		}
		return false
	}
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
	}
}

func (c *conn) writeLoop() {
	for {
		select {
		case <-c.ctx.Done():
			return
		case out := <-c.queue:
			ctx, cancel := context.WithTimeout(c.ctx, c.s.cfg.WriteTimeout)
			err := c.ws.Write(ctx, websocket.MessageText, out.frame)
			cancel()
			if out.fromMailbox {
				<-c.flushSlots
			}
			if err != nil {
				c.cancel(fmt.Errorf("write frame: %w", err))
				return
			}
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

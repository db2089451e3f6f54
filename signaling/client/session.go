package client

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/coder/websocket"

	"github.com/porchlight/porchlight/signaling/wire"
)

const (
	handshakeTimeout = 10 * time.Second
	writeTimeout     = 10 * time.Second
	addrsPerFrame    = 512 // keeps a sub frame well under wire.MaxFrame
)

// session is one logged-in connection to the relay.
type session struct {
	ws     *websocket.Conn
	ctx    context.Context // done when the session ends
	cancel context.CancelFunc

	mu          sync.Mutex
	waiting     map[string][]chan error    // sends by id, until accepted or refused
	turnWaiting map[string]chan wire.Frame // TURN credential requests by id
}

// connect runs one session: dial, log in, subscribe, then read until the
// connection ends. It reports whether the login succeeded.
func (c *Client) connect(ctx context.Context) (bool, error) {
	ws, err := c.dialAndLogin(ctx)
	if err != nil {
		return false, err
	}
	sctx, cancel := context.WithCancel(ctx)
	s := &session{ws: ws, ctx: sctx, cancel: cancel, waiting: make(map[string][]chan error), turnWaiting: make(map[string]chan wire.Frame)}
	leave := context.AfterFunc(ctx, func() { ws.Close(websocket.StatusNormalClosure, "client leaving") })

	c.subMu.Lock()
	c.mu.Lock()
	addrs := slices.Collect(maps.Keys(c.subs))
	c.sess = s
	c.mu.Unlock()
	err = s.writeSubs(wire.TypeSub, addrs)
	c.subMu.Unlock()
	if err == nil {
		c.log.Debug("logged in", "subscriptions", len(addrs))
		c.update(func(st *State) { st.Connected, st.LastError = true, "" })
		deliveries := make(chan wire.Frame, 256)
		var wg sync.WaitGroup
		wg.Go(func() { c.pingLoop(s) })
		wg.Go(func() { c.deliverLoop(s, deliveries) })
		err = c.readLoop(s, deliveries)
		cancel()
		wg.Wait()
	}

	c.mu.Lock()
	c.sess = nil
	c.mu.Unlock()
	cancel()
	leave()
	ws.CloseNow()
	return true, err
}

func (c *Client) dialAndLogin(ctx context.Context) (*websocket.Conn, error) {
	ctx, cancel := context.WithTimeout(ctx, handshakeTimeout)
	defer cancel()
	ws, resp, err := websocket.Dial(ctx, c.url, nil)
	if err != nil {
		if resp != nil && resp.Header.Get(wire.RefusalHeader) == strconv.Itoa(int(wire.CodeTooManyConnections)) {
			return nil, fmt.Errorf("dial relay: %w", &wire.Error{Code: wire.CodeTooManyConnections, Message: resp.Status})
		}
		return nil, fmt.Errorf("dial relay: %w", err)
	}
	ws.SetReadLimit(wire.MaxFrame)
	if err := c.login(ctx, ws); err != nil {
		ws.CloseNow()
		return nil, err
	}
	return ws, nil
}

func (c *Client) login(ctx context.Context, ws *websocket.Conn) error {
	ch, err := readFrame(ctx, ws)
	if errors.Is(err, wire.ErrVersionUnsupported) {
		hint := "upgrade Porchlight"
		if ch.V < wire.Version {
			hint = "the relay needs an upgrade, or use another relay"
		}
		return &wire.Error{Code: wire.CodeVersionUnsupported, Message: fmt.Sprintf(
			"relay speaks protocol v%d, this client v%d: %s", ch.V, wire.Version, hint)}
	}
	if err != nil {
		return fmt.Errorf("read challenge: %w", err)
	}
	if ch.Type == wire.TypeError { // a relay refusing this path's protocol version
		return ch.Err()
	}
	if ch.Type != wire.TypeChallenge {
		return fmt.Errorf("read challenge: got a %s frame", ch.Type)
	}
	// Sign the URL we dialled, never the relay_url the relay announces.
	sig := ed25519.Sign(c.key, wire.LoginMessage(c.url, wire.Version, ch.Nonce))
	pub := c.key.Public().(ed25519.PublicKey)
	if err := writeFrame(ctx, ws, wire.Frame{Type: wire.TypeLogin, V: wire.Version, Pub: pub, Sig: sig}); err != nil {
		return fmt.Errorf("write login: %w", err)
	}
	f, err := readFrame(ctx, ws)
	switch {
	case err != nil:
		return fmt.Errorf("read welcome: %w", err)
	case f.Type == wire.TypeError:
		return f.Err()
	case f.Type != wire.TypeWelcome:
		return fmt.Errorf("read welcome: got a %s frame", f.Type)
	}
	return nil
}

// readLoop handles the relay's frames until the connection ends. A relay
// that stays silent for three ping intervals is taken for gone.
func (c *Client) readLoop(s *session, deliveries chan<- wire.Frame) error {
	var refusal *wire.Error // the error frame that precedes a close
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 3*c.pingInterval)
		f, err := readFrame(ctx, s.ws)
		cancel()
		if err != nil {
			if code := websocket.CloseStatus(err); refusal != nil && code == websocket.StatusCode(refusal.Code) {
				return refusal
			} else if code >= 4000 && code < 5000 {
				var ce websocket.CloseError
				errors.As(err, &ce)
				return &wire.Error{Code: wire.Code(code), Message: ce.Reason}
			}
			return fmt.Errorf("read frame: %w", err)
		}
		switch f.Type {
		case wire.TypeDeliver:
			select {
			case deliveries <- f:
			case <-s.ctx.Done():
				return s.ctx.Err()
			}
		case wire.TypeAccepted:
			s.settle(f.ID, nil)
		case wire.TypeTURNCreds:
			s.answerTURN(f)
		case wire.TypeError:
			if f.ID != "" {
				if !s.answerTURN(f) {
					s.settle(f.ID, f.Err())
				}
				continue
			}
			refusal = f.Err()
			c.log.Warn("relay refused a frame", "err", refusal)
			c.update(func(st *State) { st.LastError = refusal.Error() })
		case wire.TypePong:
			rtt := time.Since(c.epoch) - time.Duration(f.T)
			c.update(func(st *State) { st.RTT = rtt })
		default:
			c.log.Debug("ignoring frame", "type", f.Type)
		}
	}
}

// deliverLoop hands envelopes to the handler, one at a time, and acks them.
func (c *Client) deliverLoop(s *session, deliveries <-chan wire.Frame) {
	for {
		select {
		case <-s.ctx.Done():
			return
		case f := <-deliveries:
			c.mu.Lock()
			fresh := c.seen.add(f.To, f.ID)
			c.mu.Unlock()
			if fresh && c.handler != nil {
				c.handler(Message{Relay: c.url, To: f.To, ID: f.ID, Payload: f.Payload})
			}
			if err := s.write(wire.Frame{Type: wire.TypeAck, ID: f.ID, To: f.To}); err != nil {
				s.end()
				return
			}
		}
	}
}

// pingLoop pings at once and then every pingInterval.
func (c *Client) pingLoop(s *session) {
	t := time.NewTicker(c.pingInterval)
	defer t.Stop()
	for {
		if err := s.write(wire.Frame{Type: wire.TypePing, T: int64(time.Since(c.epoch))}); err != nil {
			s.end()
			return
		}
		select {
		case <-s.ctx.Done():
			return
		case <-t.C:
		}
	}
}

// end ends the session after a failed write, which also unblocks readLoop.
func (s *session) end() {
	s.cancel()
	s.ws.CloseNow()
}

func (s *session) write(f wire.Frame) error {
	ctx, cancel := context.WithTimeout(s.ctx, writeTimeout)
	defer cancel()
	return writeFrame(ctx, s.ws, f)
}

func (s *session) writeSubs(typ wire.Type, addrs []wire.Address) error {
	for chunk := range slices.Chunk(addrs, addrsPerFrame) {
		if err := s.write(wire.Frame{Type: typ, Addrs: chunk}); err != nil {
			return fmt.Errorf("write %s: %w", typ, err)
		}
	}
	return nil
}

// send writes an encoded send frame and waits for the relay's answer.
func (s *session) send(ctx context.Context, id string, frame []byte) error {
	done := make(chan error, 1)
	s.mu.Lock()
	s.waiting[id] = append(s.waiting[id], done)
	s.mu.Unlock()
	defer s.forget(id, done)

	wctx, cancel := context.WithTimeout(s.ctx, writeTimeout)
	err := s.ws.Write(wctx, websocket.MessageText, frame)
	cancel()
	if err != nil {
		return fmt.Errorf("%w: %v", ErrOffline, err)
	}
	select {
	case err := <-done:
		return err
	case <-s.ctx.Done():
		return ErrOffline
	case <-ctx.Done():
		return ctx.Err()
	}
}

// settle answers the sends waiting for id.
func (s *session) settle(id string, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, done := range s.waiting[id] {
		done <- err
	}
	delete(s.waiting, id)
}

func (s *session) forget(id string, done chan error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.waiting[id] = slices.DeleteFunc(s.waiting[id], func(d chan error) bool { return d == done })
	if len(s.waiting[id]) == 0 {
		delete(s.waiting, id)
	}
}

func readFrame(ctx context.Context, ws *websocket.Conn) (wire.Frame, error) {
	_, b, err := ws.Read(ctx)
	if err != nil {
		return wire.Frame{}, err
	}
	return wire.DecodeFrame(b)
}

func writeFrame(ctx context.Context, ws *websocket.Conn, f wire.Frame) error {
	b, err := wire.EncodeFrame(f)
	if err != nil {
		return err
	}
	return ws.Write(ctx, websocket.MessageText, b)
}

package client

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/coder/websocket"

	"github.com/porchlight/porchlight/signaling/wire"
)

// TURNCredentials are time-limited credentials for the relay's TURN server.
type TURNCredentials struct {
	URLs     []string // turn:HOST:PORT?transport=udp
	Username string
	Password string
	Expires  time.Time
}

// TURNCredentials asks the relay for TURN credentials. It returns ErrOffline
// if the client is not logged in, and wire.ErrUnavailable if the relay does
// not offer TURN.
func (c *Client) TURNCredentials(ctx context.Context) (TURNCredentials, error) {
	c.mu.Lock()
	s := c.sess
	c.mu.Unlock()
	if s == nil {
		return TURNCredentials{}, fmt.Errorf("ask turn credentials: %w", ErrOffline)
	}
	var b [8]byte
	rand.Read(b[:])
	id := "turn-" + hex.EncodeToString(b[:])
	answer := make(chan wire.Frame, 1)
	s.mu.Lock()
	s.turnWaiting[id] = answer
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.turnWaiting, id)
		s.mu.Unlock()
	}()
	frame, err := wire.EncodeFrame(wire.Frame{Type: wire.TypeTURNAsk, ID: id})
	if err != nil {
		return TURNCredentials{}, fmt.Errorf("ask turn credentials: %w", err)
	}
	wctx, cancel := context.WithTimeout(s.ctx, writeTimeout)
	err = s.ws.Write(wctx, websocket.MessageText, frame)
	cancel()
	if err != nil {
		return TURNCredentials{}, fmt.Errorf("ask turn credentials: %w: %v", ErrOffline, err)
	}
	select {
	case f := <-answer:
		if f.Type == wire.TypeError {
			return TURNCredentials{}, fmt.Errorf("ask turn credentials: %w", f.Err())
		}
		return TURNCredentials{URLs: f.URLs, Username: f.Username, Password: f.Password,
			Expires: time.Now().Add(time.Duration(f.TTL) * time.Second)}, nil
	case <-s.ctx.Done():
		return TURNCredentials{}, fmt.Errorf("ask turn credentials: %w", ErrOffline)
	case <-ctx.Done():
		return TURNCredentials{}, ctx.Err()
	}
}

// answerTURN hands a turn frame, or an error frame, to the request waiting
// for its id, and reports whether one was.
func (s *session) answerTURN(f wire.Frame) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	answer, ok := s.turnWaiting[f.ID]
	if ok {
		delete(s.turnWaiting, f.ID)
		answer <- f
	}
	return ok
}

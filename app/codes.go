package app

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/porchlight/porchlight/app/api"
	"github.com/porchlight/porchlight/app/shortcode"
	"github.com/porchlight/porchlight/signaling/client"
)

// codeTTL is how long a short code waits for the friend to type it.
const codeTTL = 10 * time.Minute

// codeWait bounds how long the friend's app waits for the inviter.
const codeWait = 30 * time.Second

// codes are the short codes in play: ours waiting to be typed, and the
// ones we typed, waiting for the inviter's answer. They live only in
// memory: a code needs both residents online anyway.
type codes struct {
	mu      sync.Mutex
	hosted  map[[32]byte]*hostedCode
	joining map[[32]byte]*joiningCode
}

type hostedCode struct {
	host    *shortcode.Host
	link    string
	expires time.Time
	session string // the first fresh hello's session
	burned  bool   // answered once: every later hello is told so
}

type joiningCode struct {
	joiner *shortcode.Joiner
	result chan shortcode.Message
}

func (c *codes) init() {
	c.hosted = map[[32]byte]*hostedCode{}
	c.joining = map[[32]byte]*joiningCode{}
}

// addresses lists the meeting addresses to listen on.
func (c *codes) addresses() [][32]byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out [][32]byte
	now := time.Now()
	for a, h := range c.hosted {
		if now.After(h.expires) {
			delete(c.hosted, a)
			continue
		}
		out = append(out, a)
	}
	for a := range c.joining {
		out = append(out, a)
	}
	return out
}

// hostCode makes a short code for an invite link.
func (a *App) hostCode(ctx context.Context, link string) (string, error) {
	a.codes.mu.Lock()
	var code shortcode.Code
	for range 20 { // a nameplate no other code of ours uses
		code = shortcode.New()
		if _, taken := a.codes.hosted[code.Address()]; !taken {
			break
		}
	}
	a.codes.hosted[code.Address()] = &hostedCode{host: shortcode.NewHost(code), link: link, expires: time.Now().Add(codeTTL)}
	a.codes.mu.Unlock()
	return code.String(), a.refreshRoutes(ctx)
}

// handleCodeMessage runs when something arrives at a code's meeting address.
func (a *App) handleCodeMessage(ctx context.Context, addr [32]byte, m client.Message) {
	msg, err := shortcode.Decode(m.Payload)
	if err != nil {
		return
	}
	a.codes.mu.Lock()
	h, hosting := a.codes.hosted[addr]
	j, joining := a.codes.joining[addr]
	a.codes.mu.Unlock()
	switch {
	case hosting && msg.Type == "hello" && time.Since(time.Unix(msg.At, 0)) < 2*time.Minute:
		a.codes.mu.Lock()
		fresh, burned := h.session == "", h.burned
		if fresh {
			h.session = msg.Session
		}
		a.codes.mu.Unlock()
		if burned {
			a.pool.Send(ctx, addr, shortcode.Encode(shortcode.Message{Type: "burned", Session: msg.Session}))
			return
		}
		if !fresh {
			return
		}
		reply, err := h.host.Hello(msg.Session)
		if err == nil {
			a.pool.Send(ctx, addr, shortcode.Encode(reply))
		}
	case hosting && msg.Type == "pake" && msg.Session == h.session && !h.burned:
		reply, err := h.host.Finish(msg, h.link)
		a.codes.mu.Lock()
		h.burned = true // one answer per code, right or wrong
		a.codes.mu.Unlock()
		if err != nil {
			a.log.Warn("a wrong short code was tried; the code is burned")
		}
		a.pool.Send(ctx, addr, shortcode.Encode(reply))
	case joining && msg.Session == j.joiner.Session() && msg.Type != "hello":
		select {
		case j.result <- msg:
		default:
		}
	}
}

// AcceptCode joins by a short code: a PAKE with the inviter through the
// relays, then the invite it carries is accepted as usual (localapi.Core).
func (a *App) AcceptCode(ctx context.Context, text string) (api.Join, error) {
	code, err := shortcode.Parse(text)
	if err != nil {
		return api.Join{}, badRequest("%v", err)
	}
	j, hello := shortcode.NewJoiner(code)
	pending := &joiningCode{joiner: j, result: make(chan shortcode.Message, 4)}
	addr := code.Address()
	a.codes.mu.Lock()
	a.codes.joining[addr] = pending
	a.codes.mu.Unlock()
	defer func() {
		a.codes.mu.Lock()
		delete(a.codes.joining, addr)
		a.codes.mu.Unlock()
		a.refreshRoutes(context.Background())
	}()
	if err := a.refreshRoutes(ctx); err != nil {
		return api.Join{}, err
	}
	if err := a.pool.Send(ctx, addr, shortcode.Encode(hello)); err != nil {
		return api.Join{}, &api.Error{Status: http.StatusServiceUnavailable, Message: "no relay is reachable to look up the code"}
	}
	timeout := time.After(codeWait)
	for {
		select {
		case msg := <-pending.result:
			switch msg.Type {
			case "pake":
				answer, err := j.Answer(msg)
				if err != nil {
					return api.Join{}, badRequest("%v", shortcode.ErrWrong)
				}
				a.pool.Send(ctx, addr, shortcode.Encode(answer))
			case "invite", "burned":
				link, err := j.Link(msg)
				if err != nil {
					return api.Join{}, badRequest("%v", err)
				}
				return a.Accept(ctx, link)
			}
		case <-timeout:
			return api.Join{}, &api.Error{Status: http.StatusGatewayTimeout, Message: fmt.Sprintf(
				"nobody answered code %s: check that your friend has Porchlight open and that you share a relay", code)}
		case <-ctx.Done():
			return api.Join{}, errors.Join(ctx.Err())
		}
	}
}

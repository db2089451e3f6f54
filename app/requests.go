package app

import (
	"bufio"
	"context"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/porchlight/porchlight/app/api"
	"github.com/porchlight/porchlight/app/discovery"
	"github.com/porchlight/porchlight/app/identity"
	"github.com/porchlight/porchlight/app/lan"
	"github.com/porchlight/porchlight/app/store"
)

// A friend request between neighbours runs over an introduction
// connection on the LAN (app/lan: TLS, each side's identity key proven).
// Both screens then show the same six digits, which both residents
// compare and confirm. The digits come from commit-then-reveal of two
// random values, as Bluetooth numeric comparison does:
//
//	requester                                   neighbour
//	  │── request{name, keys, commit=H(nA)} ──────►│
//	  │◄──────────────── nonce{nB, name, keys} ────│
//	  │── reveal{nA} ─────────────────────────────►│ checks H(nA)
//	  │   code = H(nA, nB, IDs) → "123 456" on both screens
//	  │◄──── confirm ───────────── confirm ───────►│ (each resident)
//	  │   friendship secret = HKDF(nA, nB)
//
// The requester commits to nA before seeing nB and the neighbour picks nB
// before seeing nA, so nobody on the LAN can grind keys or values until the
// digits match.

// requestTimeout bounds a request from start to both confirmations.
const requestTimeout = 3 * time.Minute

type introMsg struct {
	T         string   `json:"t"` // request, nonce, reveal, confirm, refuse
	Name      string   `json:"name,omitempty"`
	Keys      *pubKeys `json:"keys,omitempty"`
	Relays    []string `json:"relays,omitempty"`
	Discovery []byte   `json:"discovery,omitempty"`
	Commit    []byte   `json:"commit,omitempty"`
	N         []byte   `json:"n,omitempty"`
}

type pubKeys struct {
	Sign    []byte `json:"sign"`
	Seal    []byte `json:"seal"`
	SealSig []byte `json:"seal_sig"`
}

func (p *pubKeys) public() identity.Public {
	return identity.Public{Sign: p.Sign, Seal: p.Seal, SealSig: p.SealSig}
}

type requests struct {
	mu   sync.Mutex
	byID map[string]*request
}

func (r *requests) init() { r.byID = map[string]*request{} }

// request is one friend request between neighbours, either way.
type request struct {
	api.Request
	keys      identity.Public
	relays    []string
	discovery []byte
	nA, nB    []byte
	localOK   bool
	remoteOK  bool
	conn      net.Conn
	enc       *json.Encoder
}

func (a *App) ownIntro(ctx context.Context, typ string) introMsg {
	pub := a.id.Public()
	relays, _ := a.store.Relays(ctx)
	return introMsg{T: typ, Name: a.name(ctx), Keys: &pubKeys{Sign: pub.Sign, Seal: pub.Seal, SealSig: pub.SealSig},
		Relays: relays, Discovery: a.discoverySecret(ctx)}
}

// checkIntro validates the other side's self-description against the key
// the TLS handshake proved.
func checkIntro(m introMsg, peerID string) (identity.Public, error) {
	if m.Keys == nil {
		return identity.Public{}, errors.New("no keys")
	}
	pub := m.Keys.public()
	if err := pub.Verify(); err != nil {
		return pub, err
	}
	if pub.ID() != peerID {
		return pub, errors.New("keys are not the ones the connection proved")
	}
	return pub, nil
}

func digits(nA, nB []byte, requesterID, neighbourID string) string {
	h := sha256.New()
	h.Write([]byte("porchlight/v1/neighbour-code\x00"))
	for _, b := range [][]byte{nA, nB, []byte(requesterID), []byte(neighbourID)} {
		h.Write(binary.BigEndian.AppendUint16(nil, uint16(len(b))))
		h.Write(b)
	}
	n := binary.BigEndian.Uint32(h.Sum(nil)) % 1_000_000
	s := fmt.Sprintf("%06d", n)
	return s[:3] + " " + s[3:]
}

func commitment(n []byte) []byte {
	h := sha256.Sum256(append([]byte("porchlight/v1/neighbour-commit\x00"), n...))
	return h[:]
}

func newNonce() []byte {
	b := make([]byte, 32)
	rand.Read(b)
	return b
}

// RequestNeighbour asks a visible neighbour to be friends; it returns once
// both screens show the code (localapi.Core).
func (a *App) RequestNeighbour(ctx context.Context, who string) (api.Request, error) {
	n, err := a.findNeighbour(who)
	if err != nil {
		return api.Request{}, err
	}
	var conn net.Conn
	for _, addr := range n.Addrs {
		dctx, cancel := context.WithTimeout(ctx, lanDialTimeout)
		conn, err = lan.Introduce(dctx, a.lanConfig(ctx), addr, n.ID)
		cancel()
		if err == nil {
			break
		}
	}
	if conn == nil {
		return api.Request{}, &api.Error{Status: http.StatusBadGateway, Message: fmt.Sprintf("cannot reach %s: %v", n.Name, err)}
	}
	r := &request{conn: conn, enc: json.NewEncoder(conn), nA: newNonce()}
	r.ID, r.PeerID, r.PeerName, r.Outgoing = hex.EncodeToString(newNonce()[:6]), n.ID, n.Name, true
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	dec := json.NewDecoder(bufio.NewReader(conn))
	first := a.ownIntro(ctx, "request")
	first.Commit = commitment(r.nA)
	var reply introMsg
	if err := r.enc.Encode(first); err != nil || dec.Decode(&reply) != nil || reply.T != "nonce" || len(reply.N) < 16 {
		conn.Close()
		if reply.T == "refuse" {
			return api.Request{}, &api.Error{Status: http.StatusForbidden, Message: n.Name + " did not want to be friends"}
		}
		return api.Request{}, &api.Error{Status: http.StatusBadGateway, Message: n.Name + " did not answer the request"}
	}
	if r.keys, err = checkIntro(reply, n.ID); err != nil {
		conn.Close()
		return api.Request{}, fmt.Errorf("request to %s: %w", n.Name, err)
	}
	r.nB, r.relays, r.discovery = reply.N, reply.Relays, reply.Discovery
	if reply.Name != "" {
		r.PeerName = trimName(reply.Name)
	}
	if err := r.enc.Encode(introMsg{T: "reveal", N: r.nA}); err != nil {
		conn.Close()
		return api.Request{}, fmt.Errorf("request to %s: %w", n.Name, err)
	}
	r.Code, r.State = digits(r.nA, r.nB, a.id.ID(), n.ID), api.RequestConfirm
	a.addRequest(r)
	go a.followRequest(r, dec)
	return r.Request, nil
}

// findNeighbour finds a visible neighbour by name or ID prefix.
func (a *App) findNeighbour(who string) (discovery.Neighbour, error) {
	lw := strings.ToLower(strings.ReplaceAll(who, "-", ""))
	var found []discovery.Neighbour
	for _, n := range a.discovered() {
		if n.ID == "" {
			continue // friends-only or hidden: not someone we can ask
		}
		if strings.EqualFold(n.Name, who) || (len(lw) >= 4 && strings.HasPrefix(n.ID, lw)) {
			found = append(found, n)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return discovery.Neighbour{}, &api.Error{Status: http.StatusNotFound, Message: fmt.Sprintf("no visible neighbour called %q (see `porchlight neighbours`; they must choose to be visible)", who)}
	}
	return discovery.Neighbour{}, &api.Error{Status: http.StatusConflict, Message: fmt.Sprintf("%q could mean %d neighbours; use their ID", who, len(found))}
}

// handleIntroduction answers a neighbour's friend request (lan.OnIntro).
func (a *App) handleIntroduction(peerID string, conn net.Conn) {
	ctx := a.runCtx()
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	dec := json.NewDecoder(bufio.NewReader(conn))
	r := &request{conn: conn, enc: json.NewEncoder(conn), nB: newNonce()}
	var first, reveal introMsg
	if dec.Decode(&first) != nil || first.T != "request" || len(first.Commit) != sha256.Size {
		conn.Close()
		return
	}
	keys, err := checkIntro(first, peerID)
	if err != nil {
		a.log.Warn("refused a neighbour's request", "peer", peerID, "err", err)
		conn.Close()
		return
	}
	if _, err := a.store.Friend(ctx, peerID); err == nil {
		r.enc.Encode(introMsg{T: "refuse"})
		conn.Close()
		return
	}
	answer := a.ownIntro(ctx, "nonce")
	answer.N = r.nB
	if r.enc.Encode(answer) != nil || dec.Decode(&reveal) != nil || reveal.T != "reveal" ||
		subtle.ConstantTimeCompare(commitment(reveal.N), first.Commit) != 1 {
		a.log.Warn("a neighbour's request broke off or did not keep its commitment", "peer", peerID)
		conn.Close()
		return
	}
	r.ID, r.PeerID, r.PeerName = hex.EncodeToString(newNonce()[:6]), peerID, trimName(first.Name)
	r.keys, r.relays, r.discovery, r.nA = keys, first.Relays, first.Discovery, reveal.N
	r.Code, r.State = digits(r.nA, r.nB, peerID, a.id.ID()), api.RequestConfirm
	a.addRequest(r)
	a.followRequest(r, dec)
}

func (a *App) addRequest(r *request) {
	a.requests.mu.Lock()
	a.requests.byID[r.ID] = r
	a.requests.mu.Unlock()
	a.publishRequest(r)
}

func (a *App) publishRequest(r *request) {
	a.requests.mu.Lock()
	snap := r.Request
	a.requests.mu.Unlock()
	a.bus.Publish(api.Event{Type: api.EventRequest, Request: &snap})
}

// followRequest reads the other side's confirm or refusal until the
// request ends.
func (a *App) followRequest(r *request, dec *json.Decoder) {
	r.conn.SetDeadline(time.Now().Add(requestTimeout))
	defer r.conn.Close()
	for {
		var m introMsg
		if err := dec.Decode(&m); err != nil {
			a.endRequest(r, api.RequestFailed, "the request broke off or timed out")
			return
		}
		switch m.T {
		case "refuse":
			a.endRequest(r, api.RequestRefused, r.PeerName+" said no")
			return
		case "confirm":
			a.requests.mu.Lock()
			r.remoteOK = true
			both := r.localOK
			a.requests.mu.Unlock()
			if both {
				a.completeRequest(r)
				return
			}
			a.publishRequest(r)
		}
	}
}

func (a *App) endRequest(r *request, state, why string) {
	a.requests.mu.Lock()
	if r.State == api.RequestDone || r.State == api.RequestRefused {
		a.requests.mu.Unlock()
		return
	}
	r.State, r.Error = state, why
	a.requests.mu.Unlock()
	a.publishRequest(r)
}

// completeRequest makes the friendship once both residents confirmed.
func (a *App) completeRequest(r *request) {
	ctx := a.runCtx()
	secret, err := hkdf.Key(sha256.New, append(slices.Clone(r.nA), r.nB...), nil, "porchlight/v1/neighbour-friendship", 32)
	if err != nil {
		a.endRequest(r, api.RequestFailed, err.Error())
		return
	}
	f := store.Friend{ID: r.PeerID, Name: r.PeerName, Keys: r.keys, Secret: secret, Relays: r.relays, Discovery: r.discovery}
	if err := a.store.AddFriend(ctx, f); err != nil {
		a.endRequest(r, api.RequestFailed, err.Error())
		return
	}
	for _, u := range r.relays {
		if a.store.AddRelay(ctx, u, "neighbour") == nil {
			a.pool.Add(u)
		}
	}
	a.requests.mu.Lock()
	r.State = api.RequestDone
	a.requests.mu.Unlock()
	a.refreshRoutes(ctx)
	a.publishRequest(r)
	a.publishFriend(ctx, f)
	a.log.Info("new friend from the neighbourhood", "friend", f.ID, "name", f.Name)
}

// Requests lists friend requests between neighbours (localapi.Core).
func (a *App) Requests(ctx context.Context) ([]api.Request, error) {
	a.requests.mu.Lock()
	defer a.requests.mu.Unlock()
	out := make([]api.Request, 0, len(a.requests.byID))
	for _, r := range a.requests.byID {
		out = append(out, r.Request)
	}
	slices.SortFunc(out, func(x, y api.Request) int { return strings.Compare(x.ID, y.ID) })
	return out, nil
}

// AnswerRequest confirms (the codes match) or refuses a request
// (localapi.Core).
func (a *App) AnswerRequest(ctx context.Context, id string, confirm bool) (api.Request, error) {
	a.requests.mu.Lock()
	r, ok := a.requests.byID[id]
	if !ok || r.State != api.RequestConfirm {
		a.requests.mu.Unlock()
		return api.Request{}, &api.Error{Status: http.StatusNotFound, Message: "no open request " + id + " (see `porchlight requests`)"}
	}
	both := false
	if confirm {
		r.localOK = true
		both = r.remoteOK
	}
	a.requests.mu.Unlock()
	if !confirm {
		r.enc.Encode(introMsg{T: "refuse"})
		a.endRequest(r, api.RequestRefused, "you said no")
		r.conn.Close()
		return r.Request, nil
	}
	if err := r.enc.Encode(introMsg{T: "confirm"}); err != nil {
		a.endRequest(r, api.RequestFailed, "the request broke off")
		return r.Request, nil
	}
	if both {
		a.completeRequest(r)
	} else {
		a.publishRequest(r)
	}
	a.requests.mu.Lock()
	defer a.requests.mu.Unlock()
	return r.Request, nil
}

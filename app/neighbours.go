package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"time"

	"github.com/porchlight/porchlight/app/api"
	"github.com/porchlight/porchlight/app/discovery"
	"github.com/porchlight/porchlight/app/lan"
	"github.com/porchlight/porchlight/app/store"
)

// lanDialTimeout bounds one attempt to reach a neighbour directly.
const lanDialTimeout = 3 * time.Second

// discoverySecret is the resident's own secret that makes their
// friends-only mDNS token; every friend gets it with the friendship.
func (a *App) discoverySecret(ctx context.Context) []byte {
	if h, _ := a.store.Setting(ctx, "discovery_secret"); h != "" {
		if b, err := hex.DecodeString(h); err == nil && len(b) == 32 {
			return b
		}
	}
	b := make([]byte, 32)
	rand.Read(b)
	a.store.SetSetting(ctx, "discovery_secret", hex.EncodeToString(b))
	return b
}

// visibility is how the resident shows on the LAN: visible, friends
// (the default) or hidden.
func (a *App) visibility(ctx context.Context) string {
	if v, _ := a.store.Setting(ctx, "visibility"); v != "" {
		return v
	}
	return discovery.VisibilityFriends
}

// friendSecrets maps friend IDs to a secret of theirs, for the LAN
// handshake (friendship secrets) or for discovery (discovery secrets).
func (a *App) friendSecrets(discoverySecrets bool) map[string][]byte {
	fs, err := a.store.Friends(context.Background())
	if err != nil {
		a.log.Warn("read friends", "err", err)
		return nil
	}
	m := make(map[string][]byte, len(fs))
	for _, f := range fs {
		if discoverySecrets {
			if len(f.Discovery) > 0 {
				m[f.ID] = f.Discovery
			}
			continue
		}
		m[f.ID] = f.Secret
	}
	return m
}

func (a *App) lanConfig(ctx context.Context) lan.Config {
	return lan.Config{
		Key: a.id.SigningKey(), Interfaces: a.cfg.Interfaces, Visibility: a.visibility(ctx),
		Friends: func() map[string][]byte { return a.friendSecrets(false) },
		OnWrongPeer: func(e *lan.WrongPeerError) {
			a.log.Warn("a neighbour answered with the wrong key", "want", e.Want, "got", e.Got, "addr", e.Addr)
		},
		Logger: a.log.With("subsystem", "lan"),
	}
}

// serveLAN listens for friends on the LAN and advertises the listener by
// mDNS, until ctx ends; a change of visibility starts both again.
func (a *App) serveLAN(ctx context.Context) error {
	for {
		round, cancel := context.WithCancel(ctx)
		go func() {
			select {
			case <-a.lanRestart:
				cancel()
			case <-round.Done():
			}
		}()
		err := a.serveLANRound(round)
		cancel()
		if ctx.Err() != nil {
			return nil
		}
		if err != nil && round.Err() == nil {
			return err
		}
	}
}

func (a *App) serveLANRound(ctx context.Context) error {
	cfg := a.lanConfig(ctx)
	if cfg.Visibility == discovery.VisibilityVisible {
		cfg.OnIntro = a.handleIntroduction
	}
	ln, err := lan.Listen(ctx, cfg, func(peerID string, c *lan.Conn) {
		f, err := a.store.Friend(ctx, peerID)
		if err != nil {
			c.Close()
			return
		}
		a.links.adopt(f, c, false)
	})
	if err != nil {
		return fmt.Errorf("listen on the LAN: %w", err)
	}
	defer ln.Close()
	port := 0
	if addrs := ln.Addrs(); len(addrs) > 0 {
		port = int(addrs[0].Port())
	}
	d, err := discovery.New(discovery.Config{
		Interfaces: a.cfg.Interfaces, Port: port, Visibility: a.visibility(ctx),
		ID: a.id.ID(), Name: a.name(ctx), DiscoverySecret: a.discoverySecret(ctx),
		FriendSecrets: func() map[string][]byte { return a.friendSecrets(true) },
		Logger:        a.log.With("subsystem", "discovery"),
	})
	if err != nil {
		return fmt.Errorf("start discovery: %w", err)
	}
	if d.Off() {
		a.log.Info("neighbour discovery is off (only loopback interfaces)")
		<-ctx.Done()
		return nil
	}
	a.mu.Lock()
	a.disco = d
	a.mu.Unlock()
	d.OnChange(func() { a.bus.Publish(api.Event{Type: api.EventNeighbours}) })
	err = d.Serve(ctx)
	a.mu.Lock()
	a.disco = nil
	a.mu.Unlock()
	return err
}

func (a *App) discovered() []discovery.Neighbour {
	a.mu.Lock()
	d := a.disco
	a.mu.Unlock()
	if d == nil {
		return nil
	}
	return d.Neighbours()
}

// Neighbours lists Porchlights seen on the local network (localapi.Core).
func (a *App) Neighbours(ctx context.Context) ([]api.Neighbour, error) {
	out := []api.Neighbour{}
	for _, n := range a.discovered() {
		an := api.Neighbour{ID: n.ID, Name: trimName(n.Name), Seen: n.Seen}
		if n.ID != "" {
			if f, err := a.store.Friend(ctx, n.ID); err == nil {
				an.Friend, an.Name = true, f.Name
			}
		}
		for _, ap := range n.Addrs {
			an.Addrs = append(an.Addrs, ap.String())
		}
		out = append(out, an)
	}
	return out, nil
}

// SetVisibility changes how the resident shows on the LAN, at once
// (localapi.Core).
func (a *App) SetVisibility(ctx context.Context, v string) error {
	switch v {
	case discovery.VisibilityVisible, discovery.VisibilityFriends, discovery.VisibilityHidden:
	default:
		return &api.Error{Status: http.StatusBadRequest, Message: fmt.Sprintf("visibility %q must be visible, friends or hidden", v)}
	}
	if err := a.store.SetSetting(ctx, "visibility", v); err != nil {
		return err
	}
	a.restartLAN()
	a.publishStatus()
	return nil
}

// restartLAN asks the LAN listener and discovery to start again, with what
// the resident now shows (visibility, name).
func (a *App) restartLAN() {
	select {
	case a.lanRestart <- struct{}{}:
	default:
	}
}

// dialLAN tries to reach a friend directly over the LAN, if discovery has
// seen them. It returns nil when there is no LAN way.
func (a *App) dialLAN(ctx context.Context, f store.Friend) *lan.Conn {
	for _, n := range a.discovered() {
		if n.ID != f.ID {
			continue
		}
		for _, addr := range n.Addrs {
			dctx, cancel := context.WithTimeout(ctx, lanDialTimeout)
			c, err := lan.Dial(dctx, a.lanConfig(ctx), addr, f.ID, f.Secret)
			cancel()
			if err == nil {
				return c
			}
			a.log.Info("LAN dial failed; trying the next way", "friend", f.ID, "addr", addr, "err", err)
		}
	}
	return nil
}

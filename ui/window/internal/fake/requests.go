package fake

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/porchlight/porchlight/app/api"
)

// RequestNeighbour asks a visible neighbour (by ID or name) to be friends.
// Like the core, it returns once both screens would show the code, and
// emits EventRequest.
func (c *Client) RequestNeighbour(ctx context.Context, neighbour string) (api.Request, error) {
	c.mu.Lock()
	if err := c.check(); err != nil {
		c.mu.Unlock()
		return api.Request{}, err
	}
	i := slices.IndexFunc(c.neighbours, func(n api.Neighbour) bool {
		return n.ID != "" && (n.ID == neighbour || strings.EqualFold(n.Name, neighbour))
	})
	if i < 0 {
		c.mu.Unlock()
		return api.Request{}, &api.Error{Status: 404, Message: fmt.Sprintf("no visible neighbour called %q", neighbour)}
	}
	n := c.neighbours[i]
	if n.Friend {
		c.mu.Unlock()
		return api.Request{}, &api.Error{Status: 409, Message: fmt.Sprintf("%s is already your friend", n.Name)}
	}
	r := api.Request{ID: fmt.Sprintf("req%d", len(c.requests)+1), PeerID: n.ID, PeerName: n.Name, Outgoing: true,
		Code: fmt.Sprintf("%03d %03d", 100+len(c.requests)*37%900, 456+len(c.requests)), State: api.RequestConfirm}
	c.requests = append(c.requests, r)
	c.mu.Unlock()
	c.Emit(api.Event{Type: api.EventRequest, Request: &r})
	return r, nil
}

// AskMe has a neighbour ask the resident to be friends, and emits
// EventRequest; r.State is confirm unless set.
func (c *Client) AskMe(r api.Request) {
	c.mu.Lock()
	r.Outgoing = false
	if r.State == "" {
		r.State = api.RequestConfirm
	}
	c.requests = append(c.requests, r)
	c.mu.Unlock()
	c.Emit(api.Event{Type: api.EventRequest, Request: &r})
}

// Requests lists friend requests between neighbours.
func (c *Client) Requests(ctx context.Context) ([]api.Request, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.check(); err != nil {
		return nil, err
	}
	return slices.Clone(c.requests), nil
}

// AnswerRequest confirms a request (the other side is taken to confirm too,
// so they become friends) or refuses it, and emits EventRequest.
func (c *Client) AnswerRequest(ctx context.Context, id string, confirm bool) (api.Request, error) {
	c.mu.Lock()
	if err := c.check(); err != nil {
		c.mu.Unlock()
		return api.Request{}, err
	}
	i := slices.IndexFunc(c.requests, func(r api.Request) bool { return r.ID == id })
	if i < 0 || c.requests[i].State != api.RequestConfirm {
		c.mu.Unlock()
		return api.Request{}, &api.Error{Status: 404, Message: fmt.Sprintf("no friend request %q waits for an answer", id)}
	}
	r := &c.requests[i]
	r.State = api.RequestRefused
	var f *api.Friend
	if confirm {
		r.State = api.RequestDone
		f = &api.Friend{ID: r.PeerID, ShortID: shortID(r.PeerID), Name: r.PeerName, Added: c.now(), Link: "lan"}
		c.upsertFriend(*f)
		for j := range c.neighbours {
			if c.neighbours[j].ID == r.PeerID {
				c.neighbours[j].Friend = true
			}
		}
	}
	out := *r
	c.mu.Unlock()
	if f != nil {
		c.Emit(api.Event{Type: api.EventFriend, Friend: f})
		c.Emit(api.Event{Type: api.EventNeighbours})
	}
	c.Emit(api.Event{Type: api.EventRequest, Request: &out})
	return out, nil
}

// UpdateSettings changes the resident's settings; empty fields stay. A
// new name is checked as the core checks it, and emits EventStatus.
func (c *Client) UpdateSettings(ctx context.Context, s api.Settings) error {
	c.mu.Lock()
	if err := c.check(); err != nil {
		c.mu.Unlock()
		return err
	}
	switch s.Visibility {
	case "":
	case "visible", "friends", "hidden":
		c.settings.Visibility = s.Visibility
	default:
		c.mu.Unlock()
		return &api.Error{Status: 400, Message: fmt.Sprintf("unknown visibility %q: use visible, friends or hidden", s.Visibility)}
	}
	name := strings.TrimSpace(s.Name)
	if n := utf8.RuneCountInString(name); n > 64 {
		c.mu.Unlock()
		return &api.Error{Status: 400, Message: fmt.Sprintf("a name can be at most 64 characters; this one has %d", n)}
	}
	c.mu.Unlock()
	if name != "" {
		c.UpdateStatus(func(st *api.Status) { st.Name, st.NameChosen = name, true })
	}
	return nil
}

// ExportBackup returns a stand-in for a sealed backup ("sealed:" and the
// passphrase), refusing a passphrase shorter than 10 characters as the
// core does; Backups lists the passphrases asked for.
func (c *Client) ExportBackup(ctx context.Context, passphrase string) (api.Backup, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.check(); err != nil {
		return api.Backup{}, err
	}
	if utf8.RuneCountInString(passphrase) < 10 {
		return api.Backup{}, &api.Error{Status: 400, Message: "a backup's passphrase needs at least 10 characters"}
	}
	c.backups = append(c.backups, passphrase)
	return api.Backup{Data: []byte("sealed:" + passphrase), Friends: len(c.friends)}, nil
}

// RestoreBackup accepts what ExportBackup made ("sealed:" and the
// passphrase) while there are no friends: the resident becomes Ana Lima
// with one friend, Sam Okafor.
func (c *Client) RestoreBackup(ctx context.Context, passphrase string, data []byte) (api.Restored, error) {
	c.mu.Lock()
	if err := c.check(); err != nil {
		c.mu.Unlock()
		return api.Restored{}, err
	}
	if len(c.friends) > 0 {
		c.mu.Unlock()
		return api.Restored{}, &api.Error{Status: 409, Message: fmt.Sprintf("you already have %d friends here", len(c.friends))}
	}
	if string(data) != "sealed:"+passphrase {
		c.mu.Unlock()
		return api.Restored{}, &api.Error{Status: 400, Message: "the passphrase does not open this backup (or the file was changed); nothing was restored"}
	}
	c.mu.Unlock()
	c.UpdateStatus(func(st *api.Status) { st.Name, st.NameChosen = "Ana Lima", true })
	c.AddFriend(api.Friend{ID: "samid", ShortID: "3JH8-QW2N", Name: "Sam Okafor"})
	return api.Restored{ID: "anaid0000000", Name: "Ana Lima", Friends: 1}, nil
}

// Backups lists the passphrases backups were asked for with.
func (c *Client) Backups() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.backups)
}

// Settings returns the resident's settings.
func (c *Client) Settings() api.Settings {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.settings
}

// AddRelay adds a relay, offline until something answers there.
func (c *Client) AddRelay(ctx context.Context, url string) error {
	c.mu.Lock()
	if err := c.check(); err != nil {
		c.mu.Unlock()
		return err
	}
	if !strings.HasPrefix(url, "ws://") && !strings.HasPrefix(url, "wss://") {
		c.mu.Unlock()
		return &api.Error{Status: 400, Message: fmt.Sprintf("%q is not a relay address: it looks like wss://relay.example.org/v1/ws", url)}
	}
	c.status.Relays = append(c.status.Relays, api.RelayStatus{URL: url, State: "offline"})
	st := c.status
	c.mu.Unlock()
	c.Emit(api.Event{Type: api.EventStatus, Status: &st})
	return nil
}

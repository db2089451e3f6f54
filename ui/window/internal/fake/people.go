package fake

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/porchlight/porchlight/app/api"
)

// SetNeighbours replaces the neighbours seen on the LAN and emits
// EventNeighbours.
func (c *Client) SetNeighbours(ns ...api.Neighbour) {
	c.mu.Lock()
	c.neighbours = slices.Clone(ns)
	c.mu.Unlock()
	c.Emit(api.Event{Type: api.EventNeighbours})
}

// Neighbours lists the Porchlights seen on the LAN.
func (c *Client) Neighbours(ctx context.Context) ([]api.Neighbour, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.check(); err != nil {
		return nil, err
	}
	return slices.Clone(c.neighbours), nil
}

// RemoveFriend ends a friendship, takes the friend off chosen shares, and
// emits EventFriend with Removed set.
func (c *Client) RemoveFriend(ctx context.Context, friend string) error {
	c.mu.Lock()
	if err := c.check(); err != nil {
		c.mu.Unlock()
		return err
	}
	i, err := c.findFriend(friend)
	if err != nil {
		c.mu.Unlock()
		return err
	}
	f := c.friends[i]
	c.friends = slices.Delete(c.friends, i, i+1)
	c.status.Friends = len(c.friends)
	delete(c.remote, f.ID)
	for j := range c.shares {
		c.shares[j].Friends = slices.DeleteFunc(slices.Clone(c.shares[j].Friends), func(n string) bool { return n == f.Name })
	}
	c.mu.Unlock()
	f.Removed = true
	c.Emit(api.Event{Type: api.EventFriend, Friend: &f})
	return nil
}

// RenameFriend changes a friend's name and emits EventFriend.
func (c *Client) RenameFriend(ctx context.Context, friend, name string) (api.Friend, error) {
	c.mu.Lock()
	if err := c.check(); err != nil {
		c.mu.Unlock()
		return api.Friend{}, err
	}
	name = strings.TrimSpace(name)
	if name == "" {
		c.mu.Unlock()
		return api.Friend{}, &api.Error{Status: 400, Message: "a friend needs a name"}
	}
	i, err := c.findFriend(friend)
	if err != nil {
		c.mu.Unlock()
		return api.Friend{}, err
	}
	c.friends[i].Name = name
	f := c.friends[i]
	c.mu.Unlock()
	c.Emit(api.Event{Type: api.EventFriend, Friend: &f})
	return f, nil
}

// findFriend resolves a friend by ID or name, as the core does.
func (c *Client) findFriend(q string) (int, error) {
	if i := slices.IndexFunc(c.friends, func(f api.Friend) bool { return f.ID == q }); i >= 0 {
		return i, nil
	}
	if i := slices.IndexFunc(c.friends, func(f api.Friend) bool { return strings.EqualFold(f.Name, q) }); i >= 0 {
		return i, nil
	}
	return -1, &api.Error{Status: 404, Message: fmt.Sprintf("no friend called %q (see `porchlight friends`)", q)}
}

// friendNames resolves friends given by name or ID to their names.
func (c *Client) friendNames(qs []string) ([]string, error) {
	out := make([]string, 0, len(qs))
	for _, q := range qs {
		i, err := c.findFriend(q)
		if err != nil {
			return nil, err
		}
		out = append(out, c.friends[i].Name)
	}
	return out, nil
}

func validMode(m string) bool { return m == "ro" || m == "rw" || m == "drop" }

// UpdateShare changes a share's mode, audience or pause, and emits
// EventShare.
func (c *Client) UpdateShare(ctx context.Context, name string, u api.ShareUpdate) (api.Share, error) {
	c.mu.Lock()
	if err := c.check(); err != nil {
		c.mu.Unlock()
		return api.Share{}, err
	}
	i := slices.IndexFunc(c.shares, func(s api.Share) bool { return s.Name == name })
	if i < 0 {
		c.mu.Unlock()
		return api.Share{}, &api.Error{Status: 404, Message: fmt.Sprintf("no share called %q", name)}
	}
	s := c.shares[i]
	if u.Mode != "" {
		if !validMode(u.Mode) {
			c.mu.Unlock()
			return api.Share{}, &api.Error{Status: 400, Message: fmt.Sprintf("unknown mode %q: use ro, rw or drop", u.Mode)}
		}
		s.Mode = u.Mode
	}
	switch u.Audience {
	case "":
	case "friends":
		s.Audience, s.Friends = "friends", nil
	case "chosen":
		names, err := c.friendNames(u.Friends)
		if err != nil {
			c.mu.Unlock()
			return api.Share{}, err
		}
		s.Audience, s.Friends = "chosen", names
	default:
		c.mu.Unlock()
		return api.Share{}, &api.Error{Status: 400, Message: fmt.Sprintf("unknown audience %q: use friends or chosen", u.Audience)}
	}
	if u.Paused != nil {
		s.Paused = *u.Paused
	}
	c.shares[i] = s
	c.mu.Unlock()
	c.Emit(api.Event{Type: api.EventShare, Share: &s})
	return s, nil
}

// RemoveShare stops sharing a folder and emits EventShare with Removed set.
func (c *Client) RemoveShare(ctx context.Context, name string) error {
	c.mu.Lock()
	if err := c.check(); err != nil {
		c.mu.Unlock()
		return err
	}
	i := slices.IndexFunc(c.shares, func(s api.Share) bool { return s.Name == name })
	if i < 0 {
		c.mu.Unlock()
		return &api.Error{Status: 404, Message: fmt.Sprintf("no share called %q", name)}
	}
	s := c.shares[i]
	c.shares = slices.Delete(c.shares, i, i+1)
	c.status.Shares = len(c.shares)
	c.mu.Unlock()
	s.Removed = true
	c.Emit(api.Event{Type: api.EventShare, Share: &s})
	return nil
}

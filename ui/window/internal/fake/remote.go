package fake

import (
	"cmp"
	"context"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/porchlight/porchlight/app/api"
)

// Page sizes of a listing, as the core's.
const (
	defaultLimit = 500
	maxLimit     = 5000
)

// remoteFriend is what one friend shares with the resident.
type remoteFriend struct {
	shares []api.RemoteShare
	// folders maps share -> folder path ("/", "/a/b") -> entries, folders
	// first, then by name.
	folders map[string]map[string][]api.Entry
}

// ShareWithMe makes friend (an ID) share s with the resident, empty.
func (c *Client) ShareWithMe(friend string, s api.RemoteShare) {
	c.mu.Lock()
	defer c.mu.Unlock()
	rf := c.remote[friend]
	if rf == nil {
		rf = &remoteFriend{folders: map[string]map[string][]api.Entry{}}
		c.remote[friend] = rf
	}
	if !slices.ContainsFunc(rf.shares, func(r api.RemoteShare) bool { return r.Name == s.Name }) {
		rf.shares = append(rf.shares, s)
	}
	if rf.folders[s.Name] == nil {
		rf.folders[s.Name] = map[string][]api.Entry{"/": nil}
	}
}

// PutEntries adds entries to folder dir of friend's share, making dir and
// its parents as needed; entries that are folders become listable too.
func (c *Client) PutEntries(friend, share, dir string, es ...api.Entry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	folders := c.remote[friend].folders[share]
	dir = path.Join("/", dir)
	for d := dir; d != "/"; d = path.Dir(d) {
		parent := path.Dir(d)
		if _, ok := folders[d]; !ok {
			folders[d] = nil
			folders[parent] = append(folders[parent], api.Entry{Name: path.Base(d), Dir: true, Modified: c.now()})
		}
	}
	folders[dir] = append(folders[dir], es...)
	for _, e := range es {
		if sub := path.Join(dir, e.Name); e.Dir && folders[sub] == nil {
			folders[sub] = []api.Entry{}
		}
	}
	for d, list := range folders {
		folders[d] = sortEntries(list)
	}
}

// sortEntries orders a folder as the core does, folders first, then by
// name, and drops repeated names.
func sortEntries(es []api.Entry) []api.Entry {
	slices.SortFunc(es, func(a, b api.Entry) int {
		if a.Dir != b.Dir {
			if a.Dir {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Name, b.Name)
	})
	return slices.CompactFunc(es, func(a, b api.Entry) bool { return a.Name == b.Name })
}

// Listed counts the List calls made so far.
func (c *Client) Listed() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.listed
}

// RemoteShares lists what friend shares with the resident.
func (c *Client) RemoteShares(ctx context.Context, friend string) ([]api.RemoteShare, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	rf, err := c.remoteFriend(friend)
	if err != nil {
		return nil, err
	}
	return slices.Clone(rf.shares), nil
}

// List reads one page of a folder in a friend's share, like the core:
// folders first, then by name; drop boxes cannot be listed.
func (c *Client) List(ctx context.Context, friend, share, dir string, offset, limit int) (api.Listing, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.listed++
	rf, err := c.remoteFriend(friend)
	if err != nil {
		return api.Listing{}, err
	}
	i := slices.IndexFunc(rf.shares, func(s api.RemoteShare) bool { return s.Name == share })
	if i < 0 {
		return api.Listing{}, &api.Error{Status: 404, Message: fmt.Sprintf("%s does not share %q with you", c.nameOf(friend), share)}
	}
	if rf.shares[i].Mode == "drop" {
		return api.Listing{}, &api.Error{Status: 403, Message: "share is upload only"}
	}
	dir = path.Join("/", dir)
	entries, ok := rf.folders[share][dir]
	if !ok {
		return api.Listing{}, &api.Error{Status: 404, Message: fmt.Sprintf("%s is not a folder in %s", dir, share)}
	}
	limit = min(cmp.Or(limit, defaultLimit), maxLimit)
	start := min(offset, len(entries))
	end := min(start+limit, len(entries))
	l := api.Listing{Path: dir, Entries: slices.Clone(entries[start:end]), Total: len(entries)}
	if end < len(entries) {
		l.NextOffset = end
	}
	return l, nil
}

// remoteFriend finds a friend, by ID or name, and what they share.
func (c *Client) remoteFriend(friend string) (*remoteFriend, error) {
	if err := c.check(); err != nil {
		return nil, err
	}
	i, err := c.findFriend(friend)
	if err != nil {
		return nil, err
	}
	if f := c.friends[i]; f.Link == "none" || f.Link == "" {
		return nil, &api.Error{Status: 502, Message: f.Name + " is not connected right now; try again when they are online"}
	}
	rf := c.remote[c.friends[i].ID]
	if rf == nil {
		return &remoteFriend{}, nil
	}
	return rf, nil
}

// nameOf is a friend's name, or q itself.
func (c *Client) nameOf(q string) string {
	if i, err := c.findFriend(q); err == nil {
		return c.friends[i].Name
	}
	return q
}

// remoteEntry finds the entry at p (a path in share), if there is one.
func (c *Client) remoteEntry(friendID, share, p string) (api.Entry, bool) {
	rf := c.remote[friendID]
	if rf == nil {
		return api.Entry{}, false
	}
	p = path.Join("/", p)
	for _, e := range rf.folders[share][path.Dir(p)] {
		if e.Name == path.Base(p) {
			return e, true
		}
	}
	return api.Entry{}, false
}

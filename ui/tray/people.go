package tray

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"

	"github.com/getlantern/systray"

	"github.com/porchlight/porchlight/app/api"
	"github.com/porchlight/porchlight/ui/launcher"
)

// maxPeople is how many friends or neighbours a submenu lists by name; the
// rest are one "…and N more" line that opens the window.
const maxPeople = 10

// people keeps the two submenus: the resident's friends, with how each is
// linked now, and the Porchlights seen on this network.
type people struct {
	log  *slog.Logger
	open func(view, link string)

	friends, neighbours *systray.MenuItem
	friendRows          rows
	neighbourRows       rows
	refresh             chan struct{} // a reread is wanted
}

// rows is a submenu's pool of items: systray cannot remove an item, so
// rows are reused and hidden when not needed.
type rows struct {
	mu    sync.Mutex
	items []*systray.MenuItem
	links []string // what each visible item opens: a friend ID, or ""
}

// newPeople adds the two submenus to the tray's menu.
func newPeople(log *slog.Logger, open func(view, link string)) *people {
	p := &people{
		log:        log,
		open:       open,
		friends:    systray.AddMenuItem(friendsTitle(nil), "Your friends, and how each is linked now"),
		neighbours: systray.AddMenuItem(neighboursTitle(nil), "Porchlights on this network"),
		refresh:    make(chan struct{}, 1),
	}
	p.friends.Disable()
	p.neighbours.Disable()
	p.friendRows.add(p.friends, maxPeople+1, func(link string) {
		if link == "" {
			open(launcher.ViewFriends, "")
		} else {
			open(launcher.ViewBrowse, link)
		}
	})
	p.neighbourRows.add(p.neighbours, maxPeople+1, func(string) { open(launcher.ViewFriends, "") })
	return p
}

// add makes n hidden rows under parent; a click calls clicked with the
// row's link.
func (r *rows) add(parent *systray.MenuItem, n int, clicked func(link string)) {
	for i := range n {
		item := parent.AddSubMenuItem("", "")
		item.Hide()
		r.items = append(r.items, item)
		r.links = append(r.links, "")
		go func() {
			for range item.ClickedCh {
				r.mu.Lock()
				link := r.links[i]
				r.mu.Unlock()
				clicked(link)
			}
		}()
	}
}

// show sets the rows to lines, each opening its link, and hides the rest.
func (r *rows) show(lines []line) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for i, item := range r.items {
		if i < len(lines) {
			item.SetTitle(lines[i].text)
			r.links[i] = lines[i].link
			item.Show()
		} else {
			item.Hide()
		}
	}
}

// line is one row: what it says and what it opens.
type line struct {
	text, link string
}

// wanted asks for a reread; many asks while one runs make one more.
func (p *people) wanted(ev api.Event) {
	switch ev.Type {
	case api.EventHello, api.EventFriend, api.EventNeighbours, api.EventStatus:
		select {
		case p.refresh <- struct{}{}:
		default:
		}
	}
}

// serve rereads friends and neighbours whenever wanted, until ctx ends.
func (p *people) serve(ctx context.Context, c *api.Client) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-p.refresh:
		}
		fs, err := c.Friends(ctx)
		if err != nil {
			p.log.Debug("tray: read friends", "err", err)
			continue
		}
		ns, err := c.Neighbours(ctx)
		if err != nil {
			p.log.Debug("tray: read neighbours", "err", err)
			continue
		}
		p.draw(fs, ns)
	}
}

func (p *people) draw(fs []api.Friend, ns []api.Neighbour) {
	p.friends.SetTitle(friendsTitle(fs))
	p.neighbours.SetTitle(neighboursTitle(ns))
	setEnabled(p.friends, len(fs) > 0)
	setEnabled(p.neighbours, len(ns) > 0)
	p.friendRows.show(friendLines(fs))
	p.neighbourRows.show(neighbourLines(ns))
}

func setEnabled(item *systray.MenuItem, on bool) {
	if on {
		item.Enable()
	} else {
		item.Disable()
	}
}

// friendsTitle is the Friends item: how many are linked now.
func friendsTitle(fs []api.Friend) string {
	if len(fs) == 0 {
		return "No friends yet"
	}
	linked := 0
	for _, f := range fs {
		if isLinked(f.Link) {
			linked++
		}
	}
	return fmt.Sprintf("Friends: %d of %d connected", linked, len(fs))
}

func isLinked(link string) bool { return link == "lan" || link == "direct" || link == "relayed" }

// friendLines lists friends, the connected first, then by name; each
// opens their shares in the window.
func friendLines(fs []api.Friend) []line {
	fs = slices.Clone(fs)
	slices.SortFunc(fs, func(a, b api.Friend) int {
		if la, lb := isLinked(a.Link), isLinked(b.Link); la != lb {
			if la {
				return -1
			}
			return 1
		}
		return cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
	})
	out := make([]line, 0, min(len(fs), maxPeople+1))
	for i, f := range fs {
		if i == maxPeople {
			out = append(out, line{text: fmt.Sprintf("…and %d more", len(fs)-maxPeople)})
			break
		}
		out = append(out, line{text: f.Name + " — " + linkWords(f.Link), link: f.ID})
	}
	return out
}

// linkWords says how a friend is linked, as the window does.
func linkWords(link string) string {
	switch link {
	case "lan":
		return "on this network"
	case "direct":
		return "connected directly"
	case "relayed":
		return "connected through a relay"
	}
	return "not connected"
}

// neighboursTitle is the Neighbours item: how many Porchlights are near.
func neighboursTitle(ns []api.Neighbour) string {
	switch len(ns) {
	case 0:
		return "No neighbours nearby"
	case 1:
		return "1 neighbour nearby"
	}
	return fmt.Sprintf("%d neighbours nearby", len(ns))
}

// neighbourLines lists neighbours by name, friends marked; each opens the
// Friends view, where a neighbour can be asked to be friends.
func neighbourLines(ns []api.Neighbour) []line {
	ns = slices.Clone(ns)
	slices.SortFunc(ns, func(a, b api.Neighbour) int { return cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)) })
	out := make([]line, 0, min(len(ns), maxPeople+1))
	for i, n := range ns {
		if i == maxPeople {
			out = append(out, line{text: fmt.Sprintf("…and %d more", len(ns)-maxPeople)})
			break
		}
		name := cmp.Or(n.Name, "A Porchlight that shows no name")
		if n.Friend {
			name += " (your friend)"
		}
		out = append(out, line{text: name})
	}
	return out
}

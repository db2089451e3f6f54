package window

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/porchlight/porchlight/app/api"
)

// How neighbours see the resident, as the view offers it.
const (
	seenVisible = "Visible"
	seenFriends = "Friends only"
	seenHidden  = "Hidden"
)

var visibilityFor = map[string]string{seenVisible: "visible", seenFriends: "friends", seenHidden: "hidden"}

var visibilityWords = map[string]string{
	seenVisible: "Anyone on this network sees your name and can ask to be friends.",
	seenFriends: "Only your friends can find you on this network.",
	seenHidden:  "Nobody on this network can find you; friends still reach you through relays.",
}

// visibilityChoice chooses how neighbours on the LAN see the resident.
type visibilityChoice struct {
	v       *friendsView
	pick    *widget.Select
	shown   string // the choice the core last confirmed
	explain *widget.RichText
	content fyne.CanvasObject
}

func newVisibilityChoice(v *friendsView) *visibilityChoice {
	c := &visibilityChoice{v: v, explain: caption("")}
	c.pick = widget.NewSelect([]string{seenVisible, seenFriends, seenHidden}, nil)
	c.pick.Selected = seenFriends // the core's default, until its status says otherwise
	c.shown = seenFriends
	setCaption(c.explain, visibilityWords[c.pick.Selected])
	c.pick.OnChanged = c.changed
	row := container.NewHBox(widget.NewLabel("How neighbours see you"), c.pick)
	c.content = container.NewVBox(row, c.explain)
	return c
}

// changed asks the core to show the resident as chosen; on failure the
// choice goes back to what it was.
func (c *visibilityChoice) changed(choice string) {
	was := c.shown
	c.v.w.call(func(ctx context.Context) {
		err := c.v.w.client.UpdateSettings(ctx, api.Settings{Visibility: visibilityFor[choice]})
		c.v.w.lost(err)
		fyne.Do(func() {
			if err != nil {
				c.v.report(errorMessage("Could not change how neighbours see you", err), "")
				c.pick.Selected = was
				c.pick.Refresh()
				setCaption(c.explain, visibilityWords[was])
				return
			}
			c.shown = choice
			setCaption(c.explain, visibilityWords[choice])
		})
	})
}

// set shows the visibility the core reports, without asking to change it.
func (c *visibilityChoice) set(visibility string) {
	for choice, v := range visibilityFor {
		if v == visibility && c.pick.Selected != choice {
			c.shown = choice
			c.pick.OnChanged = nil
			c.pick.SetSelected(choice)
			setCaption(c.explain, visibilityWords[choice])
			c.pick.OnChanged = c.changed
		}
	}
}

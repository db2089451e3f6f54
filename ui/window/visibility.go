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

// visibilityPref remembers the last choice: the local API can set the
// visibility but not report it.
const visibilityPref = "neighbours.visibility"

// visibilityChoice chooses how neighbours on the LAN see the resident.
type visibilityChoice struct {
	v       *friendsView
	pick    *widget.Select
	explain *widget.RichText
	content fyne.CanvasObject
}

func newVisibilityChoice(v *friendsView) *visibilityChoice {
	c := &visibilityChoice{v: v, explain: caption("")}
	c.pick = widget.NewSelect([]string{seenVisible, seenFriends, seenHidden}, nil)
	c.pick.Selected = v.w.app.Preferences().StringWithFallback(visibilityPref, seenFriends) // the core's default
	if _, ok := visibilityFor[c.pick.Selected]; !ok {
		c.pick.Selected = seenFriends
	}
	setCaption(c.explain, visibilityWords[c.pick.Selected])
	c.pick.OnChanged = c.changed
	row := container.NewHBox(widget.NewLabel("How neighbours see you"), c.pick)
	c.content = container.NewVBox(row, c.explain)
	return c
}

// changed asks the core to show the resident as chosen; on failure the
// choice goes back to what it was.
func (c *visibilityChoice) changed(choice string) {
	was := c.v.w.app.Preferences().StringWithFallback(visibilityPref, seenFriends)
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
			c.v.w.app.Preferences().SetString(visibilityPref, choice)
			setCaption(c.explain, visibilityWords[choice])
		})
	})
}

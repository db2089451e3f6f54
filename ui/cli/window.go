package cli

import (
	"context"
	"errors"
	"flag"

	"github.com/porchlight/porchlight/app/api"
	"github.com/porchlight/porchlight/ui/launcher"
)

func windowFlags(fs *flag.FlagSet) {
	fs.String("view", launcher.ViewHome, "what to show: home, invite, share or accept")
}

// runWindow starts the window (porchlight-window) at a view. A link alone
// opens the accept view.
func runWindow(ctx context.Context, e *Env, c *api.Client, fs *flag.FlagSet, args []string) error {
	view := fs.Lookup("view").Value.String()
	viewSet := false
	fs.Visit(func(f *flag.Flag) { viewSet = viewSet || f.Name == "view" })
	var link string
	switch {
	case len(args) > 1:
		return usagef("window takes at most one invite link")
	case len(args) == 1 && !viewSet:
		view, link = launcher.ViewAccept, args[0]
	case len(args) == 1 && view != launcher.ViewAccept:
		return usagef("an invite link goes with --view accept")
	case len(args) == 1:
		link = args[0]
	}
	if !launcher.IsView(view) {
		return usagef("unknown view %q: want home, invite, share or accept", view)
	}
	if !launcher.HasDisplay() {
		return errors.New("no display found (DISPLAY and WAYLAND_DISPLAY are empty); the window needs a desktop session")
	}
	dir, err := api.DataDir(fs.Lookup("data").Value.String())
	if err != nil {
		return err
	}
	return launcher.Open(dir, view, link)
}

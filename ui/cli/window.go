package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"

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

// runOpen handles a porchlight:// link the desktop hands over (the
// x-scheme-handler/porchlight entry runs `porchlight open LINK`): it is
// `porchlight window --view accept LINK`, and when Porchlight is not running
// for the data dir it starts it first (the window waits for it), since a
// resident who clicks an invite expects Porchlight to come up.
func runOpen(ctx context.Context, e *Env, c *api.Client, fs *flag.FlagSet, args []string) error {
	if len(args) != 1 {
		return usagef("open takes one porchlight:// link")
	}
	if err := fs.Set("view", launcher.ViewAccept); err != nil {
		return err
	}
	if launcher.HasDisplay() {
		if _, err := c.Status(ctx); errors.Is(err, api.ErrNotRunning) {
			dir, err := api.DataDir(fs.Lookup("data").Value.String())
			if err != nil {
				return err
			}
			if err := startApp(dir); err != nil {
				return err
			}
		}
	}
	return runWindow(ctx, e, c, fs, args)
}

// startApp starts Porchlight (the core and the tray: this program without a
// verb) for dataDir and leaves it running. Tests replace it.
var startApp = func(dataDir string) error {
	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("start Porchlight: %w", err)
	}
	cmd := exec.Command(self, "--data", dataDir)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start Porchlight: %w", err)
	}
	return cmd.Process.Release()
}

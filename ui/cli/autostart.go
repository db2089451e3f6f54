package cli

import (
	"context"
	"flag"
	"fmt"

	"github.com/porchlight/porchlight/app/api"
	"github.com/porchlight/porchlight/ui/autostart"
)

// runAutostart is `porchlight autostart on|off|status`: the same "Start at
// login" switch as the tray's. It does not need the core to be running. With
// --data, the Porchlight started at login is the one for that data dir.
func runAutostart(_ context.Context, e *Env, _ *api.Client, fs *flag.FlagSet, args []string) error {
	if len(args) != 1 {
		return usagef("autostart takes only on, off or status")
	}
	path, err := autostart.Path()
	if err != nil {
		return err
	}
	switch args[0] {
	case "on":
		program, err := autostart.Program()
		if err != nil {
			return err
		}
		var flags []string
		fs.Visit(func(f *flag.Flag) {
			if f.Name == "data" {
				dir, _ := api.DataDir(f.Value.String())
				flags = append(flags, "--data", dir)
			}
		})
		if err := autostart.Enable(program, flags...); err != nil {
			return err
		}
	case "off":
		if err := autostart.Disable(); err != nil {
			return err
		}
	}
	on, err := autostart.Enabled()
	if err != nil {
		return err
	}
	if on {
		fmt.Fprintf(e.Stdout, "on: Porchlight starts at login, in the tray (%s)\n", path)
	} else {
		fmt.Fprintln(e.Stdout, "off: Porchlight does not start at login")
	}
	return nil
}

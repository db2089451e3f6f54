package cli

import (
	"context"
	"flag"
	"fmt"

	"github.com/porchlight/porchlight/app/api"
)

func runVisibility(ctx context.Context, e *Env, c *api.Client, fs *flag.FlagSet, args []string) error {
	if len(args) != 1 {
		return usagef("usage: porchlight visibility visible|friends|hidden")
	}
	if err := c.UpdateSettings(ctx, api.Settings{Visibility: args[0]}); err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "On this network you are now %s.\n", map[string]string{
		"visible": "visible to neighbours (name and ID)", "friends": "recognisable by friends only", "hidden": "hidden",
	}[args[0]])
	return nil
}

func runPause(paused bool) func(context.Context, *Env, *api.Client, *flag.FlagSet, []string) error {
	return func(ctx context.Context, e *Env, c *api.Client, fs *flag.FlagSet, args []string) error {
		if len(args) != 0 {
			return usagef("pause and resume take no arguments")
		}
		if err := c.UpdateSettings(ctx, api.Settings{Paused: &paused}); err != nil {
			return err
		}
		if paused {
			fmt.Fprintln(e.Stdout, "Sharing is paused: the porch light is off, and friends are told so.")
		} else {
			fmt.Fprintln(e.Stdout, "Sharing again: the porch light is back on.")
		}
		return nil
	}
}

func runRelay(ctx context.Context, e *Env, c *api.Client, fs *flag.FlagSet, args []string) error {
	if len(args) != 2 {
		return usagef("usage: porchlight relay add URL")
	}
	if err := c.AddRelay(ctx, args[1]); err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "Added the relay %s; `porchlight status` shows whether it answers.\n", args[1])
	return nil
}

package cli

import (
	"context"
	"flag"
	"fmt"
	"strings"

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

func runName(ctx context.Context, e *Env, c *api.Client, fs *flag.FlagSet, args []string) error {
	switch len(args) {
	case 0:
		st, err := c.Status(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintln(e.Stdout, st.Name)
		if !st.NameChosen {
			fmt.Fprintln(e.Stderr, `(not chosen yet: porchlight name "Your Name")`)
		}
		return nil
	case 1:
		if strings.TrimSpace(args[0]) == "" {
			return usagef("a name cannot be empty")
		}
		if err := c.UpdateSettings(ctx, api.Settings{Name: args[0]}); err != nil {
			return err
		}
		st, err := c.Status(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.Stdout, "You are now %s to new friends and neighbours; friends you have already keep the name they know you by.\n", st.Name)
		return nil
	default:
		return usagef(`usage: porchlight name ["YOUR NAME"] (quote a name with spaces)`)
	}
}

package cli

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/porchlight/porchlight/app/api"
)

func runNeighbours(ctx context.Context, e *Env, c *api.Client, fs *flag.FlagSet, args []string) error {
	ns, err := c.Neighbours(ctx)
	if err != nil {
		return err
	}
	if wantJSON(fs) {
		return printJSON(e.Stdout, ns)
	}
	if len(ns) == 0 {
		fmt.Fprintln(e.Stdout, "No Porchlight neighbours seen on this network.")
		return nil
	}
	tw := tabwriter.NewWriter(e.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tFRIEND\tADDRESS")
	for _, n := range ns {
		name := n.Name
		if name == "" {
			name = "(someone, friends only)"
		}
		friend := "no"
		if n.Friend {
			friend = "yes"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", name, friend, strings.Join(n.Addrs, " "))
	}
	return tw.Flush()
}

func runVisibility(ctx context.Context, e *Env, c *api.Client, fs *flag.FlagSet, args []string) error {
	if len(args) != 1 {
		return usagef("usage: porchlight visibility visible|friends|hidden")
	}
	if err := c.UpdateSettings(ctx, api.Settings{Visibility: args[0]}); err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "On this network you will be %s from the next start of Porchlight.\n", map[string]string{
		"visible": "visible to neighbours (name and ID)", "friends": "recognisable by friends only", "hidden": "hidden",
	}[args[0]])
	return nil
}

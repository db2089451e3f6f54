package cli

import (
	"context"
	"flag"
	"fmt"
	"text/tabwriter"

	"github.com/porchlight/porchlight/app/api"
)

func runNewcomers(ctx context.Context, e *Env, c *api.Client, fs *flag.FlagSet, args []string) error {
	ns, err := c.Newcomers(ctx)
	if err != nil {
		return err
	}
	if wantJSON(fs) {
		return printJSON(e.Stdout, ns)
	}
	if len(ns) == 0 {
		fmt.Fprintln(e.Stdout, "Nobody waits to be let in.")
		return nil
	}
	tw := tabwriter.NewWriter(e.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tSHORT ID\tINVITE\tSTATE")
	for _, n := range ns {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", n.ID, n.Name, n.ShortID, n.Invite, n.State)
	}
	return tw.Flush()
}

func runAdmit(admit bool) func(context.Context, *Env, *api.Client, *flag.FlagSet, []string) error {
	return func(ctx context.Context, e *Env, c *api.Client, fs *flag.FlagSet, args []string) error {
		if len(args) != 1 {
			return usagef("usage: porchlight admit|deny NEWCOMER-ID (see `porchlight newcomers`)")
		}
		n, err := c.AnswerNewcomer(ctx, args[0], admit)
		if err != nil {
			return err
		}
		if admit {
			fmt.Fprintf(e.Stdout, "Let %s (%s) in: you are friends now.\n", n.Name, n.ShortID)
		} else {
			fmt.Fprintf(e.Stdout, "Turned %s (%s) away.\n", n.Name, n.ShortID)
		}
		return nil
	}
}

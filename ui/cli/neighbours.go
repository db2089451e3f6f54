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

func runRequest(ctx context.Context, e *Env, c *api.Client, fs *flag.FlagSet, args []string) error {
	if len(args) != 1 {
		return usagef("usage: porchlight request NEIGHBOUR (see `porchlight neighbours`)")
	}
	r, err := c.RequestNeighbour(ctx, args[0])
	if err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "Check that %s's screen shows %s; if it does, both of you confirm:\n  porchlight confirm %s\n", r.PeerName, r.Code, r.ID)
	return nil
}

func runRequests(ctx context.Context, e *Env, c *api.Client, fs *flag.FlagSet, args []string) error {
	rs, err := c.Requests(ctx)
	if err != nil {
		return err
	}
	if wantJSON(fs) {
		return printJSON(e.Stdout, rs)
	}
	if len(rs) == 0 {
		fmt.Fprintln(e.Stdout, "No friend requests from neighbours.")
		return nil
	}
	tw := tabwriter.NewWriter(e.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tWHO\tCODE\tSTATE")
	for _, r := range rs {
		who := r.PeerName + " asks you"
		if r.Outgoing {
			who = "you ask " + r.PeerName
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID, who, r.Code, r.State)
	}
	return tw.Flush()
}

func runAnswer(confirm bool) func(context.Context, *Env, *api.Client, *flag.FlagSet, []string) error {
	return func(ctx context.Context, e *Env, c *api.Client, fs *flag.FlagSet, args []string) error {
		if len(args) != 1 {
			return usagef("usage: porchlight confirm|refuse REQUEST-ID (see `porchlight requests`)")
		}
		r, err := c.AnswerRequest(ctx, args[0], confirm)
		if err != nil {
			return err
		}
		switch {
		case r.State == api.RequestDone:
			fmt.Fprintf(e.Stdout, "You and %s are now friends.\n", r.PeerName)
		case confirm:
			fmt.Fprintf(e.Stdout, "Confirmed; waiting for %s to confirm too.\n", r.PeerName)
		default:
			fmt.Fprintf(e.Stdout, "Refused %s's request.\n", r.PeerName)
		}
		return nil
	}
}

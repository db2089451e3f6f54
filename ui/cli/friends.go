package cli

import (
	"context"
	"flag"
	"fmt"
	"text/tabwriter"

	"github.com/porchlight/porchlight/app/api"
)

func runUnfriend(ctx context.Context, e *Env, c *api.Client, fs *flag.FlagSet, args []string) error {
	if len(args) != 1 {
		return usagef("usage: porchlight unfriend FRIEND")
	}
	if err := c.RemoveFriend(ctx, args[0]); err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "%s is no longer your friend: they can no longer reach anything you share.\n", args[0])
	return nil
}

func runRename(ctx context.Context, e *Env, c *api.Client, fs *flag.FlagSet, args []string) error {
	if len(args) != 2 {
		return usagef("usage: porchlight rename FRIEND NEWNAME")
	}
	f, err := c.RenameFriend(ctx, args[0], args[1])
	if err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "%s (%s) renamed.\n", f.Name, f.ShortID)
	return nil
}

func runInvites(ctx context.Context, e *Env, c *api.Client, fs *flag.FlagSet, args []string) error {
	invs, err := c.Invites(ctx)
	if err != nil {
		return err
	}
	if wantJSON(fs) {
		return printJSON(e.Stdout, invs)
	}
	if len(invs) == 0 {
		fmt.Fprintln(e.Stdout, "No invites yet: `porchlight invite` makes one.")
		return nil
	}
	tw := tabwriter.NewWriter(e.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTATE\tUSED\tEXPIRES\tLABEL")
	for _, inv := range invs {
		fmt.Fprintf(tw, "%s\t%s\t%d/%d\t%s\t%s\n", inv.ID, inv.State, inv.Uses, inv.MaxUses, inv.Expires.Local().Format("2006-01-02 15:04"), inv.Label)
	}
	return tw.Flush()
}

func runRevoke(ctx context.Context, e *Env, c *api.Client, fs *flag.FlagSet, args []string) error {
	if len(args) != 1 {
		return usagef("usage: porchlight revoke INVITE-ID (see `porchlight invites`)")
	}
	if err := c.RevokeInvite(ctx, args[0]); err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "Invite %s withdrawn: nobody can use it now.\n", args[0])
	return nil
}

package cli

import (
	"context"
	"flag"
	"fmt"

	"github.com/porchlight/porchlight/app/api"
)

func runMount(ctx context.Context, e *Env, c *api.Client, fs *flag.FlagSet, args []string) error {
	if len(args) != 1 {
		return usagef("usage: porchlight mount FRIEND:/SHARE")
	}
	friend, share, _, err := remotePath(args[0])
	if err != nil {
		return err
	}
	m, err := c.Mount(ctx, api.NewMount{Friend: friend, Share: share})
	if err != nil {
		return err
	}
	if wantJSON(fs) {
		return printJSON(e.Stdout, m)
	}
	fmt.Fprintf(e.Stdout, "URL       %s\nUser      %s\nPassword  %s\n", m.URL, m.User, m.Password)
	fmt.Fprintf(e.Stdout, "Open the URL in your file manager (as dav://...), or: mount -t davfs %s /mnt/point\n", m.URL)
	fmt.Fprintln(e.Stdout, "It works while Porchlight runs; the address changes when Porchlight restarts.")
	return nil
}

package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/porchlight/porchlight/app/api"
)

func runStatus(ctx context.Context, e *Env, c *api.Client, fs *flag.FlagSet, args []string) error {
	st, err := c.Status(ctx)
	if err != nil {
		return err
	}
	if wantJSON(fs) {
		return printJSON(e.Stdout, st)
	}
	tw := tabwriter.NewWriter(e.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "%s (%s)\tporch light %s\n", st.Name, st.ShortID, st.State)
	fmt.Fprintf(tw, "ID\t%s\n", st.ID)
	fmt.Fprintf(tw, "Data\t%s\n", st.DataDir)
	if len(st.Relays) == 0 {
		fmt.Fprintf(tw, "Relays\tnone (only neighbours on this network can reach you)\n")
	}
	for i, r := range st.Relays {
		label := ""
		if i == 0 {
			label = "Relays"
		}
		detail := r.State
		if r.State == "online" {
			detail += fmt.Sprintf(", %d ms", r.RTTMillis)
		} else if r.Error != "" {
			detail += ": " + r.Error
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", label, r.URL, detail)
	}
	fmt.Fprintf(tw, "Friends\t%d\n", st.Friends)
	fmt.Fprintf(tw, "Shares\t%d\n", st.Shares)
	for _, p := range st.Problems {
		fmt.Fprintf(tw, "Problem\t%s\n", p)
	}
	return tw.Flush()
}

func inviteFlags(fs *flag.FlagSet) {
	fs.String("label", "", "a note to remember who the invite is for")
	fs.Duration("expires", 7*24*time.Hour, "how long the invite stays valid")
	fs.Int("uses", 1, "how many people may use it")
	fs.Bool("confirm", false, "let each newcomer in by hand (porchlight newcomers, admit, deny)")
	fs.String("offer", "", "comma-separated shares the friend gets (default: every share open to all friends)")
	fs.Bool("code", false, "print a short code to read aloud instead of the link (valid 10 minutes; both must be online)")
}

func runInvite(ctx context.Context, e *Env, c *api.Client, fs *flag.FlagSet, args []string) error {
	if len(args) > 0 {
		return usagef("invite takes no arguments")
	}
	uses := fs.Lookup("uses").Value.(flag.Getter).Get().(int)
	code := fs.Lookup("code").Value.String() == "true"
	inv, err := c.CreateInvite(ctx, api.NewInvite{
		Label:       fs.Lookup("label").Value.String(),
		ExpiresIn:   fs.Lookup("expires").Value.String(),
		MaxUses:     uses,
		Code:        code,
		OfferShares: splitList(fs.Lookup("offer").Value.String()),
		Confirm:     fs.Lookup("confirm").Value.String() == "true",
	})
	if err != nil {
		return err
	}
	if code {
		fmt.Fprintln(e.Stdout, inv.Code)
		fmt.Fprintln(e.Stderr, "Read this code to your friend; it works once, for 10 minutes, while Porchlight runs.")
		return nil
	}
	fmt.Fprintln(e.Stdout, inv.Link)
	return nil
}

func acceptFlags(fs *flag.FlagSet) {
	fs.Duration("wait", 30*time.Second, "how long to wait for the inviter to answer")
}

func runAccept(ctx context.Context, e *Env, c *api.Client, fs *flag.FlagSet, args []string) error {
	if len(args) != 1 {
		return usagef("accept needs the invite link or code (usage: porchlight accept [--wait 30s] LINK|CODE)")
	}
	if !strings.Contains(args[0], ":") && !strings.Contains(args[0], "#") && len(args[0]) < 60 {
		j, err := c.AcceptCode(ctx, args[0])
		if err != nil {
			return err
		}
		return awaitJoin(ctx, e, c, j, fs, j.InviterName, "")
	}
	info, err := c.InspectInvite(ctx, args[0])
	if err != nil {
		return err
	}
	j, err := c.Accept(ctx, args[0])
	if err != nil {
		return err
	}
	return awaitJoin(ctx, e, c, j, fs, info.InviterName, " ("+info.ShortID+")")
}

// awaitJoin waits, up to --wait, for the inviter to answer.
func awaitJoin(ctx context.Context, e *Env, c *api.Client, j api.Join, fs *flag.FlagSet, inviter, id string) error {
	wait := fs.Lookup("wait").Value.(flag.Getter).Get().(time.Duration)
	deadline := time.Now().Add(wait)
	for j.State == "waiting" && time.Now().Before(deadline) {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		joins, err := c.Joins(ctx)
		if err != nil {
			return err
		}
		for _, x := range joins {
			if x.InviteID == j.InviteID {
				j = x
			}
		}
	}
	switch j.State {
	case "done":
		fmt.Fprintf(e.Stdout, "You and %s%s are now friends.\n", inviter, id)
		return nil
	case "refused":
		return errors.New(j.Error)
	}
	fmt.Fprintf(e.Stdout, "Waiting for %s to come online; the friendship completes by itself when they do.\n", inviter)
	return nil
}

func runFriends(ctx context.Context, e *Env, c *api.Client, fs *flag.FlagSet, args []string) error {
	fr, err := c.Friends(ctx)
	if err != nil {
		return err
	}
	if wantJSON(fs) {
		return printJSON(e.Stdout, fr)
	}
	if len(fr) == 0 {
		fmt.Fprintln(e.Stdout, "No friends yet: `porchlight invite` makes a link to send one.")
		return nil
	}
	tw := tabwriter.NewWriter(e.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tID\tLINK\tSINCE")
	for _, f := range fr {
		link := f.Link
		if f.RTTMicros > 0 {
			link += fmt.Sprintf(", %.1f ms", float64(f.RTTMicros)/1000)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", f.Name, f.ShortID, link, f.Added.Format("2006-01-02"))
	}
	return tw.Flush()
}

func runShares(ctx context.Context, e *Env, c *api.Client, fs *flag.FlagSet, args []string) error {
	ss, err := c.Shares(ctx)
	if err != nil {
		return err
	}
	if wantJSON(fs) {
		return printJSON(e.Stdout, ss)
	}
	if len(ss) == 0 {
		fmt.Fprintln(e.Stdout, "You share nothing yet: `porchlight share add --name NAME DIR` shares a folder.")
		return nil
	}
	tw := tabwriter.NewWriter(e.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tWHO\tMODE\tFOLDER")
	for _, s := range ss {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", s.Name, s.Audience, s.Mode, s.Path)
	}
	return tw.Flush()
}

// remotePath splits FRIEND:/SHARE/PATH.
func remotePath(arg string) (friend, share, path string, err error) {
	friend, rest, ok := strings.Cut(arg, ":")
	if !ok || friend == "" {
		return "", "", "", usagef("%q is not FRIEND:/SHARE/PATH", arg)
	}
	rest = strings.TrimPrefix(rest, "/")
	share, path, _ = strings.Cut(rest, "/")
	return friend, share, path, nil
}

func runLs(ctx context.Context, e *Env, c *api.Client, fs *flag.FlagSet, args []string) error {
	if len(args) != 1 {
		return usagef("usage: porchlight ls [--json] FRIEND:/SHARE/PATH")
	}
	friend, share, path, err := remotePath(args[0])
	if err != nil {
		return err
	}
	if share == "" {
		ss, err := c.RemoteShares(ctx, friend)
		if err != nil {
			return err
		}
		if wantJSON(fs) {
			return printJSON(e.Stdout, ss)
		}
		for _, s := range ss {
			fmt.Fprintf(e.Stdout, "%s/\t%s\n", s.Name, s.Mode)
		}
		return nil
	}
	var all api.Listing
	for offset := 0; ; {
		page, err := c.List(ctx, friend, share, path, offset, 5000)
		if err != nil {
			return err
		}
		all.Path, all.Total = page.Path, page.Total
		all.Entries = append(all.Entries, page.Entries...)
		if page.NextOffset <= offset {
			break
		}
		offset = page.NextOffset
	}
	if wantJSON(fs) {
		return printJSON(e.Stdout, all)
	}
	tw := tabwriter.NewWriter(e.Stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	for _, en := range all.Entries {
		name, size := en.Name, humanSize(en.Size)
		if en.Dir {
			name, size = name+"/", "-"
		}
		fmt.Fprintf(tw, "%s\t  %s\t  %s\n", size, en.Modified.Local().Format("2006-01-02 15:04"), name)
	}
	return tw.Flush()
}

func runGet(ctx context.Context, e *Env, c *api.Client, fs *flag.FlagSet, args []string) error {
	if len(args) != 2 {
		return usagef("usage: porchlight get FRIEND:/SHARE/PATH DEST")
	}
	friend, share, path, err := remotePath(args[0])
	if err != nil {
		return err
	}
	dest, err := filepath.Abs(args[1])
	if err != nil {
		return err
	}
	if info, err := os.Stat(dest); err == nil && info.IsDir() {
		dest = filepath.Join(dest, filepath.Base(path))
	}
	t, err := c.StartTransfer(ctx, api.NewTransfer{Friend: friend, Share: share, Path: path, Dest: dest})
	if err != nil {
		return err
	}
	t, err = follow(ctx, e, c, t)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "Saved %s (%s).\n", t.Dest, humanSize(t.Size))
	return nil
}

func humanSize(n int64) string {
	if n < 0 {
		return "?"
	}
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

package cli

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/porchlight/porchlight/app/api"
)

func shareFlags(fs *flag.FlagSet) {
	fs.String("name", "", "the name friends see (default: the folder's name)")
	fs.String("mode", "", "ro (read-only, the default), rw (read-write) or drop (upload only)")
	fs.String("friends", "", "comma-separated friends who may use it; all (the default); or neighbours (friends while they are on this network)")
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

var modeWords = map[string]string{"ro": "read-only", "rw": "read-write", "drop": "upload only"}

func describeShare(s api.Share) string {
	who := "all friends"
	if s.Audience == "neighbours" {
		who = "friends on this network"
	}
	if s.Audience == "chosen" {
		who = strings.Join(s.Friends, ", ")
		if who == "" {
			who = "nobody yet"
		}
	}
	state := ""
	if s.Paused {
		state = " (paused)"
	}
	return fmt.Sprintf("%q with %s, %s%s", s.Name, who, modeWords[s.Mode], state)
}

func runShare(ctx context.Context, e *Env, c *api.Client, fs *flag.FlagSet, args []string) error {
	if len(args) != 2 {
		return usagef("usage: porchlight share add [--name NAME] [--mode ro|rw|drop] [--friends A,B] DIR, or share pause|resume|set|stop NAME")
	}
	sub, arg := args[0], args[1]
	mode, friends := fs.Lookup("mode").Value.String(), fs.Lookup("friends").Value.String()
	var s api.Share
	var err error
	switch sub {
	case "add":
		dir, aerr := filepath.Abs(arg)
		if aerr != nil {
			return aerr
		}
		req := api.NewShare{Name: fs.Lookup("name").Value.String(), Path: dir, Mode: mode}
		switch friends {
		case "all":
		case "neighbours", "neighbors":
			req.Audience = "neighbours"
		default:
			req.Friends = splitList(friends)
		}
		if s, err = c.AddShare(ctx, req); err != nil {
			return err
		}
		fmt.Fprintf(e.Stdout, "Sharing %s as %s.\n", s.Path, describeShare(s))
		return nil
	case "pause", "resume":
		paused := sub == "pause"
		s, err = c.UpdateShare(ctx, arg, api.ShareUpdate{Paused: &paused})
	case "set":
		u := api.ShareUpdate{Mode: mode}
		switch {
		case friends == "all":
			u.Audience = "friends"
		case friends == "neighbours" || friends == "neighbors":
			u.Audience = "neighbours"
		case friends != "":
			u.Audience, u.Friends = "chosen", splitList(friends)
		}
		s, err = c.UpdateShare(ctx, arg, u)
	case "stop":
		if err := c.RemoveShare(ctx, arg); err != nil {
			return err
		}
		fmt.Fprintf(e.Stdout, "Stopped sharing %q; the folder itself is untouched.\n", arg)
		return nil
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "Sharing %s.\n", describeShare(s))
	return nil
}

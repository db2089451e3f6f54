// Package cli is Porchlight's command line: each verb is a client of the
// local API of the core running for a data dir. Flags come before
// positional arguments; failures print one line on stderr and exit non-zero.
package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"sort"
	"strings"
	"syscall"

	"github.com/porchlight/porchlight/app/api"
)

// Env is what a command reads and writes; tests substitute buffers.
type Env struct {
	Stdout io.Writer
	Stderr io.Writer
	// Interactive says stderr is a terminal (progress is drawn there).
	Interactive bool
}

type command struct {
	summary string
	usage   string
	run     func(ctx context.Context, e *Env, c *api.Client, fs *flag.FlagSet, args []string) error
	flags   func(fs *flag.FlagSet)
	// subverbs, if set, must follow the verb, before any flag.
	subverbs []string
}

var commands map[string]command

func init() {
	commands = map[string]command{
		"status":     {summary: "show your name, ID, relays and the porch light", usage: "status [--json]", run: runStatus, flags: jsonFlag},
		"invite":     {summary: "make an invite link for a friend (printed alone on stdout)", usage: "invite [--label TEXT] [--expires 168h] [--uses N] [--offer SHARES] [--confirm] [--code]", run: runInvite, flags: inviteFlags},
		"accept":     {summary: "accept a friend's invite link", usage: "accept [--wait 30s] LINK|CODE", run: runAccept, flags: acceptFlags},
		"friends":    {summary: "list your friends", usage: "friends [--json]", run: runFriends, flags: jsonFlag},
		"share":      {summary: "share a folder (all friends, read-only unless you say), or pause, resume, change or stop a share", usage: "share add|pause|resume|set|stop [--name NAME] [--mode ro|rw|drop] [--friends A,B|all] DIR|NAME", run: runShare, flags: shareFlags, subverbs: []string{"add", "pause", "resume", "set", "stop"}},
		"neighbours": {summary: "list Porchlights seen on this network", usage: "neighbours [--json]", run: runNeighbours, flags: jsonFlag},
		"backup":     {summary: "save your identity and friendships to a passphrase-locked file (restore it on a new laptop)", usage: "backup [--passphrase-file FILE] BACKUP-FILE", run: runBackup, flags: backupFlags},
		"name":       {summary: "show your name, or choose the one new friends and neighbours see", usage: `name ["YOUR NAME"]`, run: runName},
		"visibility": {summary: "how you show on this network: visible, friends or hidden", usage: "visibility visible|friends|hidden", run: runVisibility},
		"newcomers":  {summary: "list people waiting to be let in through an invite", usage: "newcomers [--json]", run: runNewcomers, flags: jsonFlag},
		"admit":      {summary: "let a newcomer in", usage: "admit NEWCOMER-ID", run: runAdmit(true)},
		"deny":       {summary: "turn a newcomer away", usage: "deny NEWCOMER-ID", run: runAdmit(false)},
		"pause":      {summary: "pause all sharing (the porch light goes off)", usage: "pause", run: runPause(true)},
		"resume":     {summary: "share again after a pause", usage: "resume", run: runPause(false)},
		"relay":      {summary: "add a relay so friends anywhere can reach you", usage: "relay add URL", run: runRelay, subverbs: []string{"add"}},
		"request":    {summary: "ask a visible neighbour to be friends (you compare a code)", usage: "request NEIGHBOUR", run: runRequest},
		"requests":   {summary: "list friend requests between neighbours", usage: "requests [--json]", run: runRequests, flags: jsonFlag},
		"confirm":    {summary: "confirm a neighbour's request: the codes match", usage: "confirm REQUEST-ID", run: runAnswer(true)},
		"refuse":     {summary: "refuse a neighbour's request", usage: "refuse REQUEST-ID", run: runAnswer(false)},
		"mount":      {summary: "serve a friend's share as WebDAV on this computer, for your file manager", usage: "mount [--json] FRIEND:/SHARE", run: runMount, flags: jsonFlag},
		"put":        {summary: "upload a file into a friend's share (if they allow it)", usage: "put FILE FRIEND:/SHARE/PATH", run: runPut},
		"transfers":  {summary: "list downloads and uploads", usage: "transfers [--json]", run: runTransfers, flags: jsonFlag},
		"transfer":   {summary: "pause, resume or cancel a download or upload", usage: "transfer pause|resume|cancel ID", run: runTransfer, subverbs: []string{"pause", "resume", "cancel"}},
		"shares":     {summary: "list your shared folders", usage: "shares [--json]", run: runShares, flags: jsonFlag},
		"ls":         {summary: "list a folder a friend shares", usage: "ls [--json] FRIEND:/SHARE/PATH", run: runLs, flags: jsonFlag},
		"get":        {summary: "download a file a friend shares", usage: "get FRIEND:/SHARE/PATH DEST", run: runGet},
		"unfriend":   {summary: "end a friendship: they lose access at once", usage: "unfriend FRIEND", run: runUnfriend},
		"rename":     {summary: "change the name you know a friend by", usage: "rename FRIEND NEWNAME", run: runRename},
		"invites":    {summary: "list the invites you made", usage: "invites [--json]", run: runInvites, flags: jsonFlag},
		"revoke":     {summary: "withdraw an invite", usage: "revoke INVITE-ID", run: runRevoke},
		"window":     {summary: "open the window at a VIEW: home, invite, share or accept", usage: "window [--view VIEW] [LINK]", run: runWindow, flags: windowFlags},
		"open":       {summary: "open a porchlight:// invite link in the window", usage: "open LINK", run: runOpen, flags: windowFlags},
		"autostart":  {summary: "start Porchlight at login (tray only), or stop doing so", usage: "autostart on|off|status", run: runAutostart, subverbs: []string{"on", "off", "status"}},
	}
}

// IsVerb reports whether name is one of the CLI's verbs.
func IsVerb(name string) bool { _, ok := commands[name]; return ok }

// Main runs one CLI verb (args[0]) and returns the process exit code.
func Main(args []string, e *Env) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		Usage(e.Stdout)
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(e.Stderr, "porchlight: unknown command %q (see `porchlight help`)\n", args[0])
		return 2
	}
	fs := flag.NewFlagSet(args[0], flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	dataFlag := fs.String("data", "", "data directory (default $PORCHLIGHT_DATA or ~/.local/share/porchlight)")
	if cmd.flags != nil {
		cmd.flags(fs)
	}
	rest := args[1:]
	var sub []string
	if cmd.subverbs != nil {
		if len(rest) == 0 || !slices.Contains(cmd.subverbs, rest[0]) {
			fmt.Fprintf(e.Stderr, "porchlight %s: say what to do: porchlight %s\n", args[0], cmd.usage)
			return 2
		}
		sub, rest = rest[:1], rest[1:]
	}
	if err := fs.Parse(rest); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(e.Stdout, "usage: porchlight %s [--data DIR]\n", cmd.usage)
			return 0
		}
		fmt.Fprintf(e.Stderr, "porchlight %s: %v (usage: porchlight %s)\n", args[0], err, cmd.usage)
		return 2
	}
	dir, err := api.DataDir(*dataFlag)
	if err != nil {
		fmt.Fprintf(e.Stderr, "porchlight %s: %v\n", args[0], err)
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	c := api.NewClient(api.SocketPath(dir))
	if err := cmd.run(ctx, e, c, fs, append(sub, fs.Args()...)); err != nil {
		fmt.Fprintf(e.Stderr, "porchlight %s: %s\n", args[0], oneLine(err))
		var ue usageError
		if errors.As(err, &ue) {
			return 2
		}
		return 1
	}
	return 0
}

// Usage prints the verbs.
func Usage(w io.Writer) {
	fmt.Fprintln(w, "Porchlight: share folders with your friends and neighbours, from your own laptop.")
	fmt.Fprintln(w, "\nusage:")
	fmt.Fprintln(w, "  porchlight [--data DIR] [--name NAME] [--relay URL]...   start Porchlight (tray)")
	fmt.Fprintln(w, "  porchlight daemon --data DIR --name NAME --relay URL --interfaces lo   run without a tray")
	fmt.Fprintln(w, "  porchlight restore [--data DIR] BACKUP-FILE   bring back a backup, before starting Porchlight")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  porchlight %-40s %s\n", commands[n].usage, commands[n].summary)
	}
	fmt.Fprintln(w, "\nEvery command takes --data DIR to pick which Porchlight to talk to.")
}

type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

func oneLine(err error) string {
	var ae *api.Error
	msg := err.Error()
	if errors.As(err, &ae) && len(ae.Candidates) > 0 {
		msg += ": " + strings.Join(ae.Candidates, ", ")
	}
	return strings.Join(strings.Fields(msg), " ")
}

func jsonFlag(fs *flag.FlagSet) { fs.Bool("json", false, "print JSON") }

func wantJSON(fs *flag.FlagSet) bool {
	f := fs.Lookup("json")
	return f != nil && f.Value.String() == "true"
}

func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

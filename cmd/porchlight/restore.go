package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/porchlight/porchlight/app"
	"github.com/porchlight/porchlight/app/api"
	"github.com/porchlight/porchlight/app/backup"
	"github.com/porchlight/porchlight/app/datadir"
	"github.com/porchlight/porchlight/ui/cli"
)

// runRestore is `porchlight restore BACKUP-FILE`: it brings a backup made
// by `porchlight backup` into the data dir, while Porchlight is not running
// on it (the core reads its identity once, at start).
func runRestore(args []string) int {
	fs := flag.NewFlagSet("porchlight restore", flag.ContinueOnError)
	data := fs.String("data", "", "data directory (default $PORCHLIGHT_DATA or ~/.local/share/porchlight)")
	passFile := fs.String("passphrase-file", "", "read the passphrase from the first line of this file instead of asking")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: porchlight restore [--data DIR] [--passphrase-file FILE] BACKUP-FILE")
		return 2
	}
	dir, err := api.DataDir(*data)
	if err != nil {
		fmt.Fprintf(os.Stderr, "porchlight restore: %v\n", err)
		return 1
	}
	sealed, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		fmt.Fprintf(os.Stderr, "porchlight restore: %v\n", err)
		return 1
	}
	pass, err := cli.ReadPassphrase(os.Stdin, os.Stderr, *passFile, false)
	if err != nil {
		fmt.Fprintf(os.Stderr, "porchlight restore: %v\n", err)
		return 2
	}
	res, err := app.Restore(context.Background(), dir, pass, sealed)
	if err != nil {
		fmt.Fprintf(os.Stderr, "porchlight restore: %s\n", restoreTrouble(err, fs.Arg(0), dir))
		return 1
	}
	fmt.Printf("Restored %s (%s) with %d friendships and %d relays into %s.\n", res.Name, res.ID, res.Friends, res.Relays, dir)
	fmt.Println("Start Porchlight: your friends will find you as before. Share your folders again from this laptop.")
	return 0
}

// restoreTrouble says what went wrong in words a resident can act on.
func restoreTrouble(err error, file, dir string) string {
	switch {
	case errors.Is(err, backup.ErrWrongPassphrase), errors.Is(err, backup.ErrNotBackup), errors.Is(err, backup.ErrVersion):
		return file + ": " + app.BackupTrouble(err)
	case errors.Is(err, datadir.ErrLocked):
		return "Porchlight is running on " + dir + ": quit it first (tray menu, Quit), then restore"
	case errors.Is(err, app.ErrOtherIdentity):
		return err.Error() + " (" + dir + "); nothing was restored"
	}
	return err.Error()
}

package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/term"

	"github.com/porchlight/porchlight/app/api"
)

func backupFlags(fs *flag.FlagSet) {
	fs.String("passphrase-file", "", "read the passphrase from the first line of this file instead of asking")
}

func runBackup(ctx context.Context, e *Env, c *api.Client, fs *flag.FlagSet, args []string) error {
	if len(args) != 1 {
		return usagef("usage: porchlight backup [--passphrase-file FILE] BACKUP-FILE")
	}
	dest := args[0]
	if _, err := os.Stat(dest); err == nil {
		return fmt.Errorf("%s already exists; choose a new file name", dest)
	}
	pass, err := ReadPassphrase(os.Stdin, e.Stderr, fs.Lookup("passphrase-file").Value.String(), true)
	if err != nil {
		return err
	}
	b, err := c.ExportBackup(ctx, pass)
	if err != nil {
		return err
	}
	if err := writePrivateFile(dest, b.Data); err != nil {
		return fmt.Errorf("write the backup: %w", err)
	}
	fmt.Fprintf(e.Stdout, "Saved your identity and %d friendships to %s.\n", b.Friends, dest)
	fmt.Fprintln(e.Stdout, "Keep it somewhere other than this laptop; on a new one, `porchlight restore` brings it back.")
	return nil
}

// ReadPassphrase reads a backup's passphrase: from the first line of file
// when one is named, else from the terminal on in (without echo), asking
// twice when confirm is set. Without a file or a terminal it says what to
// do instead.
func ReadPassphrase(in *os.File, prompt io.Writer, file string, confirm bool) (string, error) {
	if file != "" {
		f, err := os.Open(file)
		if err != nil {
			return "", fmt.Errorf("read the passphrase: %w", err)
		}
		defer f.Close()
		line, err := bufio.NewReader(f).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", fmt.Errorf("read the passphrase: %w", err)
		}
		return strings.TrimRight(line, "\r\n"), nil
	}
	fd := int(in.Fd())
	if !term.IsTerminal(fd) {
		return "", usagef("no terminal to ask the passphrase on: give --passphrase-file FILE")
	}
	ask := func(what string) (string, error) {
		fmt.Fprint(prompt, what)
		b, err := term.ReadPassword(fd)
		fmt.Fprintln(prompt)
		return string(b), err
	}
	pass, err := ask("Passphrase for the backup (at least 10 characters): ")
	if err != nil {
		return "", fmt.Errorf("read the passphrase: %w", err)
	}
	if confirm {
		again, err := ask("The same passphrase again: ")
		if err != nil {
			return "", fmt.Errorf("read the passphrase: %w", err)
		}
		if again != pass {
			return "", errors.New("the two passphrases differ; nothing was saved")
		}
	}
	return pass, nil
}

// writePrivateFile writes data to path, readable by its owner only, whole
// or not at all.
func writePrivateFile(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".porchlight-backup-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// Command porchlight is the resident's app: with no verb it runs the core
// (and, on a desktop, the tray); `porchlight daemon` runs the core headless;
// every other verb is a CLI client of the running core's local API. A
// porchlight:// link as the only argument (how the desktop hands over an
// invite link) is `porchlight open LINK`. Built with -tags headless it has
// no tray and links no GUI library, for servers and mesh nodes.
package main

import (
	"os"
	"runtime"
	"strings"

	"golang.org/x/term"

	"github.com/porchlight/porchlight/ui/cli"
)

// The tray's toolkit (GTK, Cocoa) must run on the main thread.
func init() { runtime.LockOSThread() }

func main() {
	args := os.Args[1:]
	if len(args) == 1 && strings.HasPrefix(strings.ToLower(args[0]), "porchlight:") {
		args = []string{"open", args[0]}
	}
	if len(args) > 0 && (cli.IsVerb(args[0]) || args[0] == "help" || args[0] == "-h" || args[0] == "--help") {
		os.Exit(cli.Main(args, &cli.Env{Stdout: os.Stdout, Stderr: os.Stderr, Interactive: term.IsTerminal(int(os.Stderr.Fd()))}))
	}
	if len(args) > 0 && args[0] == "daemon" {
		os.Exit(runDaemon(args[1:]))
	}
	if len(args) > 0 && args[0] == "restore" {
		os.Exit(runRestore(args[1:]))
	}
	os.Exit(runDesktop(args))
}

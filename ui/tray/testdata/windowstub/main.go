// Command windowstub stands in for porchlight-window in the tray's tests:
// it appends its arguments, as one JSON array per line, to the file named
// by $PORCHLIGHT_STUB_LOG, and exits.
package main

import (
	"encoding/json"
	"fmt"
	"os"
)

func main() {
	line, err := json.Marshal(os.Args[1:])
	if err == nil {
		err = appendLine(os.Getenv("PORCHLIGHT_STUB_LOG"), append(line, '\n'))
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "windowstub:", err)
		os.Exit(1)
	}
}

func appendLine(name string, line []byte) error {
	f, err := os.OpenFile(name, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(line); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"strings"
)

// loadConfig reads a config file of "key = value" lines, where keys are flag
// names without dashes; '#' starts a comment, and a flag without a value
// (turn, allow-private) takes "true" or "false". Flags given on the command
// line win over the file; a repeatable flag given on the command line
// replaces the file's values.
func loadConfig(fs *flag.FlagSet, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("read config: %w", err)
	}
	defer f.Close()
	onCommandLine := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { onCommandLine[fl.Name] = true })
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line, _, _ := strings.Cut(sc.Text(), "#")
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		key, value, ok := strings.Cut(line, "=")
		key, value = strings.TrimSpace(key), strings.Trim(strings.TrimSpace(value), `"`)
		if !ok || key == "" {
			return fmt.Errorf("read config %s:%d: want key = value", path, n)
		}
		if key == "config" || fs.Lookup(key) == nil {
			return fmt.Errorf("read config %s:%d: unknown key %q", path, n, key)
		}
		if onCommandLine[key] {
			continue
		}
		if err := fs.Set(key, value); err != nil {
			return fmt.Errorf("read config %s:%d: %s: %w", path, n, key, err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read config: %w", err)
	}
	return nil
}

package autostart

import (
	"errors"
	"strings"
)

// execLine writes a command as the value of a desktop entry's Exec key
// (Desktop Entry Specification, "The Exec key"): an argument holding a
// reserved character is double-quoted with ", `, $ and \ escaped inside;
// then, as for every string value, each backslash is doubled; and a literal
// % is written %% so it is not taken for a field code.
func execLine(argv []string) (string, error) {
	words := make([]string, len(argv))
	for i, arg := range argv {
		if arg == "" {
			words[i] = `""`
			continue
		}
		if strings.ContainsAny(arg, "\n\r\x00") {
			return "", errors.New("a command-line argument holds a line break")
		}
		w := arg
		if strings.ContainsAny(arg, " \t\"'\\><~|&;$*?#()`") {
			w = `"` + quoteEscaper.Replace(arg) + `"`
		}
		words[i] = strings.ReplaceAll(strings.ReplaceAll(w, `\`, `\\`), "%", "%%")
	}
	return strings.Join(words, " "), nil
}

var quoteEscaper = strings.NewReplacer(`"`, `\"`, "`", "\\`", `$`, `\$`, `\`, `\\`)

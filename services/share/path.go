package share

import (
	"errors"
	"fmt"
	"strings"
)

// ErrBadPath is wrapped by the errors CleanPath returns for paths that try to
// leave the shared folder or name something no portable file can be.
var ErrBadPath = errors.New("bad path")

// CleanPath validates p, a slash-separated path relative to a shared folder,
// and returns it cleaned: empty and "." components dropped, "." for the
// folder itself. It refuses NUL bytes, backslashes, ".." components, absolute
// paths, drive letters ("C:") and Windows device names (CON, aux.txt, COM1...),
// with an error wrapping ErrBadPath.
//
// CleanPath is the first guard; os.Root (which also refuses symbolic links
// that lead outside the folder) is the second.
func CleanPath(p string) (string, error) {
	switch {
	case strings.ContainsRune(p, 0):
		return "", badPath("NUL byte")
	case strings.ContainsRune(p, '\\'):
		return "", badPath("backslash")
	case strings.HasPrefix(p, "/"):
		return "", badPath("absolute path")
	}
	var parts []string
	for part := range strings.SplitSeq(p, "/") {
		switch {
		case part == "" || part == ".":
			continue
		case part == "..":
			return "", badPath(`".." component`)
		case isDriveLetter(part):
			return "", badPath("drive letter")
		case isDeviceName(part):
			return "", badPath("device name")
		}
		parts = append(parts, part)
	}
	if len(parts) == 0 {
		return ".", nil
	}
	return strings.Join(parts, "/"), nil
}

func badPath(reason string) error {
	return fmt.Errorf("clean path: %s: %w", reason, ErrBadPath)
}

// isDriveLetter reports whether part starts like a Windows drive ("C:").
func isDriveLetter(part string) bool {
	if len(part) < 2 || part[1] != ':' {
		return false
	}
	c := part[0] | 0x20 // lower case
	return 'a' <= c && c <= 'z'
}

// isDeviceName reports whether part names a Windows device, with or without
// an extension or trailing spaces ("CON", "nul.txt", "COM1 ", "LPT¹").
func isDeviceName(part string) bool {
	base, _, _ := strings.Cut(part, ".")
	base, _, _ = strings.Cut(base, ":")
	base = strings.ToUpper(strings.TrimRight(base, " "))
	switch base {
	case "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$":
		return true
	}
	if len(base) < 4 || (base[:3] != "COM" && base[:3] != "LPT") {
		return false
	}
	switch n := base[3:]; n {
	case "¹", "²", "³":
		return true
	default:
		return len(n) == 1 && '0' <= n[0] && n[0] <= '9'
	}
}

package share

import (
	"errors"
	"path"
	"slices"
	"strings"
	"testing"
)

func TestCleanPath(t *testing.T) {
	tests := []struct {
		in   string
		want string // "" means the path is refused
	}{
		{"", "."},
		{".", "."},
		{"a", "a"},
		{"a/b/c.txt", "a/b/c.txt"},
		{"a//b/./c/", "a/b/c"},
		{"./a", "a"},
		{"..a/b..c/...", "..a/b..c/..."},
		{"10:30 notes.txt", "10:30 notes.txt"},
		{"a:b", ""}, // drive A:, relative
		{"console.txt", "console.txt"},
		{"com10", "com10"},
		{"lpt", "lpt"},
		{"Übersicht/Ärger.pdf", "Übersicht/Ärger.pdf"},

		{"..", ""},
		{"../etc/passwd", ""},
		{"a/../../b", ""},
		{"a/..", ""},
		{"/etc/passwd", ""},
		{"//server/share", ""},
		{"C:", ""},
		{"c:/windows", ""},
		{"a/D:file", ""},
		{`a\b`, ""},
		{`..\..\x`, ""},
		{"a\x00b", ""},
		{"CON", ""},
		{"con", ""},
		{"aux.txt", ""},
		{"sub/nul", ""},
		{"Nul.tar.gz", ""},
		{"COM1", ""},
		{"com9.log", ""},
		{"LPT1", ""},
		{"lpt¹", ""},
		{"PRN ", ""},
		{"CONIN$", ""},
		{"conout$.txt", ""},
		{"a/AUX:stream", ""},
	}
	for _, tt := range tests {
		got, err := CleanPath(tt.in)
		if tt.want == "" {
			if !errors.Is(err, ErrBadPath) {
				t.Errorf("CleanPath(%q) = %q, %v; want an ErrBadPath", tt.in, got, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("CleanPath(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func FuzzCleanPath(f *testing.F) {
	for _, seed := range []string{"", ".", "a/b", "../x", "a/../b", "/abs", `a\b`, "c:x", "CON.txt", "a//b/", "%2e%2e", "a\x00"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, p string) {
		got, err := CleanPath(p)
		if err != nil {
			if !errors.Is(err, ErrBadPath) {
				t.Fatalf("CleanPath(%q) error %v does not wrap ErrBadPath", p, err)
			}
			return
		}
		if got == "" || path.IsAbs(got) || strings.ContainsAny(got, "\x00\\") {
			t.Fatalf("CleanPath(%q) = %q: not a relative path", p, got)
		}
		if slices.Contains(strings.Split(got, "/"), "..") {
			t.Fatalf("CleanPath(%q) = %q: contains ..", p, got)
		}
		if path.Clean(got) != got {
			t.Fatalf("CleanPath(%q) = %q: not clean", p, got)
		}
		if again, err := CleanPath(got); err != nil || again != got {
			t.Fatalf("CleanPath(%q) = %q, but CleanPath(%q) = %q, %v", p, got, got, again, err)
		}
	})
}

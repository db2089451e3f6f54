package api

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestResolveOrder(t *testing.T) {
	t.Setenv(DataDirEnv, "/from/env")
	t.Setenv("XDG_DATA_HOME", "/xdg")
	cases := []struct{ flag, env, want string }{
		{"/from/flag", "/from/env", "/from/flag"},
		{"", "/from/env", "/from/env"},
		{"", "", "/xdg/porchlight"},
	}
	for _, c := range cases {
		t.Setenv(DataDirEnv, c.env)
		got, err := DataDir(c.flag)
		if err != nil || got != c.want {
			t.Errorf("DataDir(%q) with env %q = %q, %v; want %q", c.flag, c.env, got, err, c.want)
		}
	}
}

func TestSocketPathFits(t *testing.T) {
	short := "/tmp/pl"
	if got := SocketPath(short); got != filepath.Join(short, "porchlight.sock") {
		t.Errorf("short dir socket = %q", got)
	}
	long := "/tmp/" + strings.Repeat("very-long-directory-name/", 8)
	a, b := SocketPath(long), SocketPath(long+"x")
	if len(a) > 100 || a == b {
		t.Errorf("long dir sockets %q, %q: too long or not distinct", a, b)
	}
}

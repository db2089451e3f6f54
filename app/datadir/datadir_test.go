package datadir

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/porchlight/porchlight/app/api"
)

func TestResolveOrder(t *testing.T) {
	t.Setenv(api.DataDirEnv, "/from/env")
	t.Setenv("XDG_DATA_HOME", "/xdg")
	cases := []struct{ flag, env, want string }{
		{"/from/flag", "/from/env", "/from/flag"},
		{"", "/from/env", "/from/env"},
		{"", "", "/xdg/porchlight"},
	}
	for _, c := range cases {
		t.Setenv(api.DataDirEnv, c.env)
		got, err := Resolve(c.flag)
		if err != nil || got != c.want {
			t.Errorf("Resolve(%q) with env %q = %q, %v; want %q", c.flag, c.env, got, err, c.want)
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

func TestOneLockPerDir(t *testing.T) {
	dir := t.TempDir()
	l, err := Acquire(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Acquire(dir); !errors.Is(err, ErrLocked) {
		t.Fatalf("second Acquire = %v, want ErrLocked", err)
	}
	if err := l.Release(); err != nil {
		t.Fatal(err)
	}
	l2, err := Acquire(dir)
	if err != nil {
		t.Fatalf("Acquire after Release: %v", err)
	}
	l2.Release()
}

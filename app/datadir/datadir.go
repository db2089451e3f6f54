// Package datadir finds the resident's data directory, derives the paths
// inside it (database, identity key, local API socket) and holds the lock
// that keeps one Porchlight per data directory.
package datadir

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// ErrLocked reports that another Porchlight runs on the same data directory.
var ErrLocked = errors.New("another Porchlight is already running with this data directory")

// Ensure creates dir (mode 0700) if needed.
func Ensure(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create data dir: %w", err)
	}
	return nil
}

// Lock is the exclusive hold on a data directory.
type Lock struct{ f *os.File }

// Acquire takes the data dir's lock without waiting. If another process
// holds it, the error wraps ErrLocked and names that process.
func Acquire(dir string) (*Lock, error) {
	path := filepath.Join(dir, "lock")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock data dir: %w", err)
	}
	if err := lockFile(f); err != nil {
		pid, _ := os.ReadFile(path)
		f.Close()
		if errors.Is(err, errWouldBlock) {
			return nil, fmt.Errorf("%w (%s, pid %s)", ErrLocked, dir, strings.TrimSpace(string(pid)))
		}
		return nil, fmt.Errorf("lock data dir: %w", err)
	}
	f.Truncate(0)
	f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	return &Lock{f: f}, nil
}

// Release lets another process take the data dir.
func (l *Lock) Release() error {
	unlockFile(l.f)
	return l.f.Close()
}

package api

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
)

// DataDirEnv overrides the default data directory.
const DataDirEnv = "PORCHLIGHT_DATA"

// maxSocketPath keeps Unix socket paths inside sun_path (108 bytes on Linux,
// 104 on macOS) with room for the terminating NUL.
const maxSocketPath = 100

// DataDir picks the data directory: the flag value if set, else
// $PORCHLIGHT_DATA, else the platform default ($XDG_DATA_HOME/porchlight or
// ~/.local/share/porchlight). The result is absolute.
func DataDir(flag string) (string, error) {
	dir := flag
	if dir == "" {
		dir = os.Getenv(DataDirEnv)
	}
	if dir == "" {
		if x := os.Getenv("XDG_DATA_HOME"); x != "" && filepath.IsAbs(x) {
			dir = filepath.Join(x, "porchlight")
		} else {
			home, err := os.UserHomeDir()
			if err != nil {
				return "", fmt.Errorf("find data dir: %w (set --data or %s)", err, DataDirEnv)
			}
			dir = filepath.Join(home, ".local", "share", "porchlight")
		}
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("resolve data dir %q: %w", dir, err)
	}
	return abs, nil
}

// SocketPath is where the core's local API listens for a data dir.
func SocketPath(dataDir string) string { return socketPath(dataDir, "porchlight") }

// WindowSocketPath is where an open Porchlight window listens, so that a
// second request to open one brings it forward instead.
func WindowSocketPath(dataDir string) string { return socketPath(dataDir, "window") }

// socketPath is inside the data dir when short enough, otherwise in the
// runtime dir under a name derived from the data dir.
func socketPath(dir, name string) string {
	p := filepath.Join(dir, name+".sock")
	if len(p) <= maxSocketPath {
		return p
	}
	sum := sha256.Sum256([]byte(dir))
	short := "porchlight-" + hex.EncodeToString(sum[:8]) + "-" + name + ".sock"
	base := os.Getenv("XDG_RUNTIME_DIR")
	if base == "" || len(filepath.Join(base, short)) > maxSocketPath {
		base = os.TempDir()
	}
	return filepath.Join(base, short)
}

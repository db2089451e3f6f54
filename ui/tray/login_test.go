package tray

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/porchlight/porchlight/app/api"
	"github.com/porchlight/porchlight/ui/autostart"
)

func TestStartAtLogin(t *testing.T) {
	if !autostart.Supported() {
		t.Skip("no XDG autostart on this system")
	}
	config := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", config)
	t.Setenv(api.DataDirEnv, "")
	def, err := api.DataDir("")
	if err != nil {
		t.Fatal(err)
	}
	entry := filepath.Join(config, "autostart", "porchlight.desktop")
	if on, err := setStartAtLogin(true, def); err != nil || !on {
		t.Fatalf("switching on: %v, %v", on, err)
	}
	data, err := os.ReadFile(entry)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "--data") {
		t.Errorf("for the default data dir the entry names one:\n%s", data)
	}
	if on, err := setStartAtLogin(false, def); err != nil || on {
		t.Fatalf("switching off: %v, %v", on, err)
	}
	if _, err := os.Stat(entry); !os.IsNotExist(err) {
		t.Errorf("after switching off the entry is still there: %v", err)
	}
}

func TestLoginArgs(t *testing.T) {
	t.Setenv(api.DataDirEnv, "")
	def, err := api.DataDir("")
	if err != nil {
		t.Fatal(err)
	}
	if got := loginArgs(def); got != nil {
		t.Errorf("loginArgs(default) = %q, want none", got)
	}
	other := t.TempDir()
	if got, want := loginArgs(other), []string{"--data", other}; !slices.Equal(got, want) {
		t.Errorf("loginArgs(%s) = %q, want %q", other, got, want)
	}
	t.Setenv(api.DataDirEnv, other)
	if got, want := loginArgs(other), []string{"--data", other}; !slices.Equal(got, want) {
		t.Errorf("with $%s: loginArgs = %q, want %q", api.DataDirEnv, got, want)
	}
}

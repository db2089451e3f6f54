package autostart

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestEnableDisable(t *testing.T) {
	if !Supported() {
		t.Skip("no XDG autostart on this system")
	}
	config := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", config)
	path := filepath.Join(config, "autostart", "porchlight.desktop")
	if got, err := Path(); err != nil || got != path {
		t.Fatalf("Path() = %q, %v; want %q", got, err, path)
	}
	if on, err := Enabled(); err != nil || on {
		t.Fatalf("Enabled() before Enable = %v, %v; want false", on, err)
	}
	if err := Enable("porchlight"); err != nil {
		t.Fatal(err)
	}
	if on, err := Enabled(); err != nil || !on {
		t.Fatalf("Enabled() after Enable = %v, %v; want true", on, err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"[Desktop Entry]\n", "Type=Application\n", "Exec=porchlight\n", "Name=Porchlight\n"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("the autostart entry lacks %q:\n%s", want, data)
		}
	}
	if validate, err := exec.LookPath("desktop-file-validate"); err == nil {
		if out, err := exec.Command(validate, path).CombinedOutput(); err != nil || len(out) > 0 {
			t.Errorf("desktop-file-validate: %v\n%s", err, out)
		}
	}
	// Enabling again rewrites it, with other arguments.
	if err := Enable("/opt/Porch Light/porchlight", "--data", "/home/ana/100% mine"); err != nil {
		t.Fatal(err)
	}
	data, _ = os.ReadFile(path)
	if want := `Exec="/opt/Porch Light/porchlight" --data "/home/ana/100%% mine"` + "\n"; !strings.Contains(string(data), want) {
		t.Errorf("the autostart entry lacks %q:\n%s", want, data)
	}
	if err := Disable(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("after Disable the entry is still there: %v", err)
	}
	if on, err := Enabled(); err != nil || on {
		t.Fatalf("Enabled() after Disable = %v, %v; want false", on, err)
	}
	if err := Disable(); err != nil {
		t.Errorf("Disable without an entry: %v", err)
	}
	if left, _ := os.ReadDir(filepath.Dir(path)); len(left) != 0 {
		t.Errorf("left in the autostart folder: %v", left)
	}
}

// A desktop's own startup settings switch an entry off by editing it.
func TestEnabledHonoursSwitchedOff(t *testing.T) {
	if !Supported() {
		t.Skip("no XDG autostart on this system")
	}
	config := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", config)
	for _, line := range []string{"Hidden=true", "X-GNOME-Autostart-enabled=false"} {
		if err := os.MkdirAll(filepath.Join(config, "autostart"), 0o700); err != nil {
			t.Fatal(err)
		}
		entry := "[Desktop Entry]\nType=Application\nName=Porchlight\nExec=porchlight\n" + line + "\n"
		if err := os.WriteFile(filepath.Join(config, "autostart", FileName), []byte(entry), 0o644); err != nil {
			t.Fatal(err)
		}
		if on, err := Enabled(); err != nil || on {
			t.Errorf("Enabled() with %s = %v, %v; want false", line, on, err)
		}
	}
}

func TestPathDefaultsToHomeConfig(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	for _, xdg := range []string{"", "relative/config"} {
		t.Setenv("XDG_CONFIG_HOME", xdg)
		want := filepath.Join(home, ".config", "autostart", "porchlight.desktop")
		if got, err := Path(); err != nil || got != want {
			t.Errorf("XDG_CONFIG_HOME=%q: Path() = %q, %v; want %q", xdg, got, err, want)
		}
	}
}

func TestExecLine(t *testing.T) {
	tests := []struct {
		argv []string
		want string
	}{
		{[]string{"porchlight"}, "porchlight"},
		{[]string{"/usr/bin/porchlight", "--data", "/srv/p"}, "/usr/bin/porchlight --data /srv/p"},
		{[]string{"/opt/a b/porchlight"}, `"/opt/a b/porchlight"`},
		{[]string{"porchlight", `say "hi" $USER`}, `porchlight "say \\"hi\\" \\$USER"`},
		{[]string{"porchlight", `C:\dir`}, `porchlight "C:\\\\dir"`},
		{[]string{"porchlight", "50%"}, "porchlight 50%%"},
		{[]string{"porchlight", ""}, `porchlight ""`},
	}
	for _, tt := range tests {
		got, err := execLine(tt.argv)
		if err != nil || got != tt.want {
			t.Errorf("execLine(%q) = %q, %v; want %q", tt.argv, got, err, tt.want)
		}
	}
	if _, err := execLine([]string{"porchlight", "a\nb"}); err == nil {
		t.Error("execLine took an argument with a line break")
	}
}

func TestProgramIsAbsoluteOutsidePath(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	got, err := Program()
	if err != nil {
		t.Fatal(err)
	}
	if !filepath.IsAbs(got) {
		t.Errorf("Program() = %q with the test binary off $PATH; want an absolute path", got)
	}
}

func TestProgramIsNameOnPath(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.Symlink(self, filepath.Join(dir, filepath.Base(self))); err != nil {
		t.Skip(err)
	}
	t.Setenv("PATH", dir)
	if got, err := Program(); err != nil || got != strings.TrimSuffix(filepath.Base(self), ".exe") {
		t.Errorf("Program() = %q, %v with the test binary on $PATH; want its name", got, err)
	}
}

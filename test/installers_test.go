package e2e

import (
	"bufio"
	"bytes"
	"context"
	"debug/elf"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// debVersion is the version the test packages are built as.
const debVersion = "0.0.1"

// TestInstallers builds both Debian packages with `make deb` and checks them
// the way a packager and a resident would: lintian finds no errors, the
// declared dependencies cover what the binaries link, and (as root, with
// dpkg) each package installs, works from its installed paths, and leaves
// nothing behind when purged.
func TestInstallers(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the .deb packages")
	}
	for _, tool := range []string{"make", "dpkg-deb"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("needs %s to build packages: %v", tool, err)
		}
	}
	dist := t.TempDir()
	start := time.Now()
	// Built without -trimpath and PIE, unlike a release, so that the
	// packages reuse what `go test` already compiled (fyne's C code takes
	// minutes).
	cmd := exec.Command("make", "--no-print-directory", "deb", "DIST="+dist, "VERSION="+debVersion, "BUILDFLAGS=", "DEB_BUILDFLAGS=")
	cmd.Dir = ".."
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("make deb: %v\n%s", err, tail(string(out), 40))
	}
	t.Logf("make deb took %s", time.Since(start).Round(time.Second))
	desktop := filepath.Join(dist, "porchlight_"+debVersion+"_amd64.deb")
	relay := filepath.Join(dist, "porchlight-relay_"+debVersion+"_amd64.deb")

	t.Run("lintian", func(t *testing.T) { checkLintian(t, desktop, relay) })
	t.Run("depends", func(t *testing.T) { checkDepends(t, desktop) })
	t.Run("install desktop", func(t *testing.T) { checkDesktopInstall(t, desktop) })
	t.Run("install relay", func(t *testing.T) { checkRelayInstall(t, relay) })
}

// checkLintian runs lintian on the packages: warnings are logged, errors
// fail.
func checkLintian(t *testing.T, debs ...string) {
	lintian, err := exec.LookPath("lintian")
	if err != nil {
		t.Skip("lintian is not installed (apt install lintian)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	out, _ := exec.CommandContext(ctx, lintian, debs...).CombinedOutput()
	var errs []string
	for _, line := range strings.Split(string(out), "\n") {
		switch {
		case strings.HasPrefix(line, "E: "):
			errs = append(errs, line)
		case strings.HasPrefix(line, "W: "):
			t.Log(line)
		}
	}
	if ctx.Err() != nil {
		t.Fatalf("lintian did not finish: %v\n%s", ctx.Err(), out)
	}
	if len(errs) > 0 {
		t.Errorf("lintian errors:\n%s", strings.Join(errs, "\n"))
	}
}

// checkDepends reads the libraries the packaged binaries link (their ELF
// NEEDED entries) and checks the package declares each one's package.
func checkDepends(t *testing.T, deb string) {
	if _, err := exec.LookPath("dpkg"); err != nil {
		t.Skip("needs dpkg to find which package holds a library")
	}
	root := t.TempDir()
	run(t, "dpkg-deb", "-x", deb, root)
	depends := debField(t, deb, "Depends")
	declared := map[string]bool{}
	for _, d := range strings.Split(depends, ",") {
		declared[strings.Fields(d)[0]] = true
	}
	for _, bin := range []string{"porchlight", "porchlight-window"} {
		f, err := elf.Open(filepath.Join(root, "usr/bin", bin))
		if err != nil {
			t.Fatal(err)
		}
		libs, err := f.ImportedLibraries()
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, lib := range libs {
			out, err := exec.Command("dpkg", "-S", "*/"+lib).Output()
			if err != nil {
				t.Errorf("%s links %s, which no installed package holds", bin, lib)
				continue
			}
			// "libgl1:amd64: /usr/lib/x86_64-linux-gnu/libGL.so.1", a line
			// per match.
			var holders []string
			for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
				pkgs, _, _ := strings.Cut(line, ": ")
				for _, p := range strings.Split(pkgs, ", ") {
					holders = append(holders, strings.SplitN(p, ":", 2)[0])
				}
			}
			if !slices.ContainsFunc(holders, func(p string) bool { return declared[p] }) {
				t.Errorf("%s links %s from %s, but the package depends only on: %s", bin, lib, strings.Join(holders, " or "), depends)
			}
		}
	}
}

// checkDesktopInstall installs the desktop package, checks its files, its
// applications-menu entry and link handler, runs the daemon and the CLI
// from /usr/bin, then purges it and checks nothing is left.
func checkDesktopInstall(t *testing.T, deb string) {
	files := install(t, deb, "porchlight")
	for _, want := range []string{
		"/usr/bin/porchlight",
		"/usr/bin/porchlight-window",
		"/usr/share/applications/porchlight.desktop",
		"/usr/share/metainfo/org.porchlight.Porchlight.metainfo.xml",
		"/usr/share/doc/porchlight/copyright",
		"/usr/share/doc/porchlight/changelog.gz",
	} {
		if !slices.Contains(files, want) {
			t.Errorf("the package does not install %s", want)
		}
	}
	for _, size := range []int{16, 32, 48, 64, 128, 256} {
		icon := fmt.Sprintf("/usr/share/icons/hicolor/%dx%d/apps/porchlight.png", size, size)
		if !slices.Contains(files, icon) {
			t.Errorf("the package does not install %s", icon)
		}
	}

	entry := "/usr/share/applications/porchlight.desktop"
	text, err := os.ReadFile(entry)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Exec=porchlight %u\n", "MimeType=x-scheme-handler/porchlight;\n", "Icon=porchlight\n"} {
		if !bytes.Contains(text, []byte(want)) {
			t.Errorf("%s lacks %q", entry, want)
		}
	}
	if validate, err := exec.LookPath("desktop-file-validate"); err == nil {
		if out, err := exec.Command(validate, entry).CombinedOutput(); err != nil || len(bytes.TrimSpace(out)) > 0 {
			t.Errorf("desktop-file-validate %s: %v\n%s", entry, err, out)
		}
		// desktop-file-utils' dpkg trigger rebuilt the MIME cache.
		cache, err := os.ReadFile("/usr/share/applications/mimeinfo.cache")
		if err != nil || !bytes.Contains(cache, []byte("x-scheme-handler/porchlight=porchlight.desktop;")) {
			t.Errorf("mimeinfo.cache does not send porchlight:// links to porchlight.desktop (%v)", err)
		}
	} else {
		t.Log("desktop-file-validate not installed (apt install desktop-file-utils): entry not validated")
	}
	if xdgMime, err := exec.LookPath("xdg-mime"); err == nil {
		cmd := exec.Command(xdgMime, "query", "default", "x-scheme-handler/porchlight")
		cmd.Env = append(os.Environ(), "HOME="+t.TempDir(), "XDG_CONFIG_HOME=", "XDG_DATA_HOME=")
		out, _ := cmd.Output()
		if got := strings.TrimSpace(string(out)); got != "porchlight.desktop" {
			t.Errorf("xdg-mime query default x-scheme-handler/porchlight = %q, want porchlight.desktop", got)
		}
	}
	if appstream, err := exec.LookPath("appstreamcli"); err == nil {
		meta := "/usr/share/metainfo/org.porchlight.Porchlight.metainfo.xml"
		if out, err := exec.Command(appstream, "validate", "--no-net", meta).CombinedOutput(); err != nil {
			t.Errorf("appstreamcli validate: %v\n%s", err, out)
		}
	}

	// The installed daemon starts and the installed CLI talks to it.
	data := t.TempDir()
	daemon := exec.Command("/usr/bin/porchlight", "daemon", "--data", data, "--interfaces", "lo", "--name", "Installed")
	var daemonLog bytes.Buffer
	daemon.Stdout, daemon.Stderr = &daemonLog, &daemonLog
	if err := daemon.Start(); err != nil {
		t.Fatal(err)
	}
	defer stop(daemon)
	waitFor(t, 20*time.Second, "the installed porchlight daemon", func() error {
		out, err := exec.Command("/usr/bin/porchlight", "status", "--data", data).CombinedOutput()
		if err != nil {
			return fmt.Errorf("%v: %s\n%s", err, out, daemonLog.String())
		}
		if !strings.Contains(string(out), "Installed") {
			return fmt.Errorf("status does not name the daemon: %s", out)
		}
		return nil
	})
	stop(daemon)

	// "Start at login" from the installed program names it by its name.
	config := t.TempDir()
	cmd := exec.Command("/usr/bin/porchlight", "autostart", "on")
	cmd.Env = append(os.Environ(), "XDG_CONFIG_HOME="+config, "PATH=/usr/bin:/bin")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("porchlight autostart on: %v\n%s", err, out)
	}
	auto, err := os.ReadFile(filepath.Join(config, "autostart", "porchlight.desktop"))
	if err != nil || !bytes.Contains(auto, []byte("\nExec=porchlight\n")) {
		t.Errorf("the autostart entry does not run porchlight (%v):\n%s", err, auto)
	}
}

// checkRelayInstall installs the relay package, verifies its unit, starts
// the installed binary as the unit does (on loopback), asks /healthz, then
// purges it and checks nothing is left.
func checkRelayInstall(t *testing.T, deb string) {
	const unitPath = "/usr/lib/systemd/system/porchlight-relay.service"
	const confPath = "/etc/porchlight-relay/porchlight-relay.conf"
	files := install(t, deb, "porchlight-relay")
	for _, want := range []string{"/usr/bin/porchlight-relay", unitPath, confPath, "/usr/share/doc/porchlight-relay/copyright"} {
		if !slices.Contains(files, want) {
			t.Errorf("the package does not install %s", want)
		}
	}
	if conffiles := run(t, "dpkg-query", "-W", "-f=${Conffiles}", "porchlight-relay"); !strings.Contains(conffiles, confPath) {
		t.Errorf("%s is not a conffile (an upgrade would overwrite the volunteer's settings): %q", confPath, conffiles)
	}
	unit, err := os.ReadFile(unitPath)
	if err != nil {
		t.Fatal(err)
	}
	if analyze, err := exec.LookPath("systemd-analyze"); err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if out, err := exec.CommandContext(ctx, analyze, "verify", unitPath).CombinedOutput(); err != nil || len(bytes.TrimSpace(out)) > 0 {
			t.Errorf("systemd-analyze verify %s: %v\n%s", unitPath, err, out)
		}
	} else {
		t.Log("systemd-analyze not installed: the unit is not verified")
	}

	var execStart []string
	sc := bufio.NewScanner(bytes.NewReader(unit))
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "ExecStart="); ok {
			execStart = strings.Fields(v)
		}
	}
	if len(execStart) == 0 || execStart[0] != "/usr/bin/porchlight-relay" || !slices.Contains(execStart, confPath) {
		t.Fatalf("the unit's ExecStart is %q; want /usr/bin/porchlight-relay reading %s", execStart, confPath)
	}
	// The unit's arguments, with what the shipped config leaves to the
	// volunteer (public address, certificates) overridden for loopback.
	addr := freeAddr(t)
	args := append(execStart[1:], "--listen", addr, "--stun", "", "--tls-cert", "", "--tls-key", "")
	relay := exec.Command(execStart[0], args...)
	var relayLog bytes.Buffer
	relay.Stdout, relay.Stderr = &relayLog, &relayLog
	if err := relay.Start(); err != nil {
		t.Fatal(err)
	}
	defer stop(relay)
	waitFor(t, 10*time.Second, "the installed relay's /healthz", func() error {
		if _, err := httpGet("http://" + addr + "/healthz"); err != nil {
			return fmt.Errorf("%v\n%s", err, relayLog.String())
		}
		return nil
	})
	stop(relay)
}

// install installs a package with dpkg and returns the files it holds; when
// the test ends it purges the package and checks none of them is left.
func install(t *testing.T, deb, name string) []string {
	t.Helper()
	if _, err := exec.LookPath("dpkg"); err != nil {
		t.Skip("dpkg is not installed")
	}
	if os.Geteuid() != 0 {
		t.Skip("installing a package needs root")
	}
	if err := exec.Command("dpkg-query", "-W", name).Run(); err == nil {
		t.Skipf("%s is already installed on this machine; not replacing it", name)
	}
	if out, err := exec.Command("dpkg", "-i", deb).CombinedOutput(); err != nil {
		exec.Command("dpkg", "--purge", name).Run()
		t.Fatalf("dpkg -i %s: %v\n%s", filepath.Base(deb), err, out)
	}
	var files []string
	for _, p := range strings.Split(run(t, "dpkg", "-L", name), "\n") {
		if fi, err := os.Lstat(p); err == nil && !fi.IsDir() {
			files = append(files, p)
		}
	}
	t.Cleanup(func() {
		if out, err := exec.Command("dpkg", "--purge", name).CombinedOutput(); err != nil {
			t.Errorf("dpkg --purge %s: %v\n%s", name, err, out)
			return
		}
		for _, f := range files {
			if _, err := os.Lstat(f); err == nil {
				t.Errorf("%s is still there after dpkg --purge %s", f, name)
			}
		}
	})
	return files
}

func debField(t *testing.T, deb, field string) string {
	t.Helper()
	return strings.TrimSpace(run(t, "dpkg-deb", "-f", deb, field))
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).Output()
	if err != nil {
		t.Fatalf("%s %s: %v", name, strings.Join(args, " "), err)
	}
	return string(out)
}

// TestWindowsInstallerScript compiles installers/windows/porchlight.nsi with
// makensis, warnings as errors. Stand-in programs take the place of the
// Windows builds (the mingw cross-build of the window takes minutes, and
// `make release` does it); the icon is the real one.
func TestWindowsInstallerScript(t *testing.T) {
	makensis, err := exec.LookPath("makensis")
	if err != nil {
		t.Skip("makensis is not installed (apt install nsis)")
	}
	stage := t.TempDir()
	for _, exe := range []string{"porchlight.exe", "porchlight-window.exe"} {
		if err := os.WriteFile(filepath.Join(stage, exe), []byte("MZ stand-in"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	icons := exec.Command("go", "run", "./installers/linux/icons", "-out", filepath.Join(stage, "icons"), "-ico", filepath.Join(stage, "porchlight.ico"))
	icons.Dir = ".."
	if out, err := icons.CombinedOutput(); err != nil {
		t.Fatalf("icons: %v\n%s", err, out)
	}
	setup := filepath.Join(t.TempDir(), "porchlight-setup-"+debVersion+"-windows-amd64.exe")
	out, err := exec.Command(makensis, "-V2", "-WX", "-DVERSION="+debVersion, "-DSTAGE="+stage, "-DOUTFILE="+setup, "../installers/windows/porchlight.nsi").CombinedOutput()
	if err != nil {
		t.Fatalf("makensis: %v\n%s", err, out)
	}
	head := make([]byte, 2)
	if f, err := os.Open(setup); err != nil {
		t.Fatal(err)
	} else {
		f.Read(head)
		f.Close()
	}
	if string(head) != "MZ" {
		t.Errorf("%s is not a Windows program", setup)
	}
}

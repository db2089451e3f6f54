package e2e

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/porchlight/porchlight/app/api"
	"github.com/porchlight/porchlight/test/desktoptest"
)

// clockTicks is USER_HZ on Linux: /proc/PID/stat counts CPU time in these.
const clockTicks = 100

// TestBenchTrayIdle: the tray process (core + tray, no window) with two
// friends, idle for a minute: private memory and CPU.
func TestBenchTrayIdle(t *testing.T) {
	benchOnly(t)
	if m := desktoptest.Missing(); len(m) > 0 {
		t.Skipf("needs %v", m)
	}
	r := startRelay(t)
	tmp := t.TempDir()
	d := desktoptest.Start(t, tmp)
	data := filepath.Join(tmp, "ana")
	tray := exec.Command(filepath.Join(binDir, "porchlight"), "--data", data, "--name", "Ana", "--relay", r.URL, "--interfaces", "lo")
	tray.Env = d.Env()
	logf, _ := os.Create(filepath.Join(tmp, "tray.log"))
	tray.Stdout, tray.Stderr = logf, logf
	if err := tray.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stop(tray) })
	ana := &node{t: t, Name: "Ana", Dir: data, cmd: tray, API: api.NewClient(api.SocketPath(data))}
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	if err := ana.API.WaitRunning(ctx); err != nil {
		t.Fatal(err)
	}
	befriend(t, ana, newNode(t, "Ben", r.URL))
	befriend(t, ana, newNode(t, "Cas", r.URL))

	pid := tray.Process.Pid
	settle := 60 * time.Second
	if s := os.Getenv("PORCHLIGHT_BENCH_IDLE"); s != "" {
		settle, _ = time.ParseDuration(s)
	}
	time.Sleep(settle / 2)
	cpu0, wall0 := cpuTicks(t, pid), time.Now()
	time.Sleep(settle / 2)
	cpu1, wall1 := cpuTicks(t, pid), time.Now()
	cpuPct := 100 * float64(cpu1-cpu0) / clockTicks / wall1.Sub(wall0).Seconds()
	report("tray idle private memory (2 friends)", float64(privateBytes(t, pid))/1e6, "MB", "< 60 MB")
	report("tray idle CPU", cpuPct, "%", "< 0.5 %")
}

// privateBytes is Private_Clean + Private_Dirty from smaps_rollup.
func privateBytes(t *testing.T, pid int) int64 {
	f, err := os.Open(fmt.Sprintf("/proc/%d/smaps_rollup", pid))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var total int64
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) >= 2 && (fields[0] == "Private_Clean:" || fields[0] == "Private_Dirty:") {
			kb, _ := strconv.ParseInt(fields[1], 10, 64)
			total += kb << 10
		}
	}
	return total
}

// cpuTicks is utime + stime of a process.
func cpuTicks(t *testing.T, pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		t.Fatal(err)
	}
	// Fields after the command name, which is in parentheses.
	rest := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+2:]))
	utime, _ := strconv.ParseInt(rest[11], 10, 64)
	stime, _ := strconv.ParseInt(rest[12], 10, 64)
	return utime + stime
}

// TestBenchWindowFirstFrame: from `porchlight window` to the window mapped
// on the display (its first frame), with the core already running.
func TestBenchWindowFirstFrame(t *testing.T) {
	benchOnly(t)
	if m := desktoptest.Missing(); len(m) > 0 {
		t.Skipf("needs %v", m)
	}
	if _, err := exec.LookPath("xwininfo"); err != nil {
		t.Skip("needs xwininfo (apt install x11-utils)")
	}
	cmd := exec.Command("go", "build", "-o", binDir+"/", "./cmd/porchlight-window")
	cmd.Dir = ".."
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build the window: %v\n%s", err, out)
	}
	tmp := t.TempDir()
	d := desktoptest.Start(t, tmp)
	ana := newNode(t, "Ana")
	var took []time.Duration
	for range 3 {
		start := time.Now()
		open := exec.Command(filepath.Join(binDir, "porchlight"), "window", "--data", ana.Dir)
		open.Env = d.Env()
		if out, err := open.CombinedOutput(); err != nil {
			t.Fatalf("porchlight window: %v\n%s", err, out)
		}
		for !windowMapped(d, "Porchlight") {
			if time.Since(start) > 30*time.Second {
				t.Fatal("the window never appeared")
			}
			time.Sleep(5 * time.Millisecond)
		}
		took = append(took, time.Since(start))
		exec.Command("pkill", "-f", filepath.Join(binDir, "porchlight-window")).Run()
		for windowMapped(d, "Porchlight") {
			time.Sleep(20 * time.Millisecond)
		}
	}
	report("window: `porchlight window` to first frame", float64(median(took).Milliseconds()), "ms", "-")
}

// windowMapped reports whether a mapped top-level window with that name is
// on the display.
func windowMapped(d desktoptest.Desktop, name string) bool {
	cmd := exec.Command("xwininfo", "-root", "-tree")
	cmd.Env = d.Env()
	out, err := cmd.Output()
	return err == nil && strings.Contains(string(out), "\""+name+"\"")
}

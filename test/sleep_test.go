package e2e

import (
	"fmt"
	"os"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// sleepFor is how long TestLinksComeBackAfterSleep keeps a daemon frozen:
// PORCHLIGHT_SLEEP_TEST_SECONDS, a minute by default: long enough for the
// relay to drop the sleeper as idle, not only for the link to die.
func sleepFor(t *testing.T) time.Duration {
	t.Helper()
	s := os.Getenv("PORCHLIGHT_SLEEP_TEST_SECONDS")
	if s == "" {
		return time.Minute
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		t.Fatalf("PORCHLIGHT_SLEEP_TEST_SECONDS=%q: want a number of seconds", s)
	}
	return time.Duration(n) * time.Second
}

// TestLinksComeBackAfterSleep: Ana's laptop sleeps (her daemon is frozen
// with SIGSTOP, as a suspended machine is) and wakes (SIGCONT). Without
// restarting anything, Ben reaches her again, and she reaches him.
func TestLinksComeBackAfterSleep(t *testing.T) {
	asleep := sleepFor(t)
	r := startRelay(t)
	ana, ben := newNode(t, "Ana", r.URL), newNode(t, "Ben", r.URL)
	befriend(t, ana, ben)
	ana.MustRun("share add", "--name", "S", t.TempDir())
	ben.MustRun("share add", "--name", "T", t.TempDir())
	ben.MustRun("ls", "Ana:/S")
	if p := linkPath(ben, "Ana"); p != "direct" {
		t.Fatalf("Ben's link to Ana is %q, want direct", p)
	}

	if err := ana.cmd.Process.Signal(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	wake := func() { _ = ana.cmd.Process.Signal(syscall.SIGCONT) }
	t.Cleanup(wake) // so that the harness can stop her if the test fails
	t.Logf("Ana sleeps for %v (PORCHLIGHT_SLEEP_TEST_SECONDS)", asleep)
	time.Sleep(asleep)
	wake()
	woke := time.Now()

	for _, c := range []struct {
		from *node
		path string
	}{{ben, "Ana:/S"}, {ana, "Ben:/T"}} {
		waitFor(t, 45*time.Second, c.from.Name+" to reach "+c.path+" after the sleep", func() error {
			if _, errOut, code := c.from.Run("ls", c.path); code != 0 {
				return fmt.Errorf("%s", errOut)
			}
			return nil
		})
	}
	t.Logf("links back %v after waking", time.Since(woke).Round(100*time.Millisecond))
}

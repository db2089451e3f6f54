package e2e

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestInviteWhileInviterSleeps: Ben accepts while Ana's laptop is off; his
// join request waits at the relay and the friendship completes when Ana
// comes back, with nobody doing anything more.
func TestInviteWhileInviterSleeps(t *testing.T) {
	r := startRelay(t)
	ana := newNode(t, "Ana", r.URL)
	ben := newNode(t, "Ben", r.URL)
	link := strings.TrimSpace(ana.MustRun("invite"))
	ana.Stop()

	out := ben.MustRun("accept", "--wait", "2s", link)
	if !strings.Contains(out, "Waiting for Ana to come online") {
		t.Fatalf("accept while Ana is away said %q", out)
	}
	if fs := ben.Friends(); len(fs) != 0 {
		t.Fatalf("Ben has friends before Ana answered: %v", fs)
	}

	ana.Start()
	waitFor(t, 30*time.Second, "the friendship to complete", func() error {
		if !slices.Contains(ben.Friends(), "Ana") || !slices.Contains(ana.Friends(), "Ben") {
			return fmt.Errorf("Ana's friends %v, Ben's friends %v", ana.Friends(), ben.Friends())
		}
		return nil
	})
}

package e2e

import (
	"strings"
	"testing"
)

// TestShortCode: Ana reads a code over the phone; Ben types it and they are
// friends. A wrong guess burns a code, so it is refused even when the right
// words come next.
func TestShortCode(t *testing.T) {
	r := startRelay(t)
	ana := newNode(t, "Ana", r.URL)
	ben := newNode(t, "Ben", r.URL)
	cas := newNode(t, "Cas", r.URL)

	code := strings.TrimSpace(ana.MustRun("invite", "--code"))
	if strings.Count(code, "-") != 2 {
		t.Fatalf("invite --code printed %q", code)
	}
	if out := ben.MustRun("accept", code); !strings.Contains(out, "now friends") {
		t.Fatalf("accept by code said %q", out)
	}

	code = strings.TrimSpace(ana.MustRun("invite", "--code"))
	parts := strings.Split(code, "-")
	wrong := parts[0] + "-" + parts[1] + "-" + map[bool]string{true: "acorn", false: "amber"}[parts[2] != "acorn"]
	_, errOut, exit := cas.Run("accept", wrong)
	if exit == 0 || !strings.Contains(errOut, "did not match") {
		t.Fatalf("a wrong code: exit %d, %q", exit, errOut)
	}
	if _, errOut, exit := cas.Run("accept", code); exit == 0 || !strings.Contains(errOut, "already used") {
		t.Fatalf("a burned code: exit %d, %q", exit, errOut)
	}
	if fs := cas.Friends(); len(fs) != 0 {
		t.Fatalf("Cas got friends by guessing: %v", fs)
	}
}

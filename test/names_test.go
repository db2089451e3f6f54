package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/porchlight/porchlight/app/api"
	"github.com/porchlight/porchlight/app/identity"
	"github.com/porchlight/porchlight/app/invite"
)

// TestChoosingYourName: a resident chooses the name new friends see; a
// name that is empty, too long or not one printable line is refused with
// a message saying why, and the old name stays.
func TestChoosingYourName(t *testing.T) {
	r := startRelay(t)
	ana := newNode(t, "Ana", r.URL)
	ben := newNode(t, "Ben", r.URL)

	if got := strings.TrimSpace(ana.MustRun("name")); got != "Ana" {
		t.Fatalf("name printed %q, want Ana", got)
	}
	out := ana.MustRun("name", "  Ana Lima ")
	if !strings.Contains(out, "You are now Ana Lima") {
		t.Fatalf("name said %q", out)
	}
	for _, bad := range []struct{ name, says string }{
		{"", "cannot be empty"},
		{strings.Repeat("x", 65), "at most 64 characters"},
		{"Ana\x1b[2J", "printable"},
		{"Ana\nLima", "printable"},
	} {
		_, errOut, code := ana.Run("name", bad.name)
		if code == 0 || !strings.Contains(errOut, bad.says) {
			t.Errorf("name %q: exit %d, %q; want a refusal saying %q", bad.name, code, errOut, bad.says)
		}
	}
	var st api.Status
	ana.JSON(&st, "status")
	if st.Name != "Ana Lima" || !st.NameChosen {
		t.Fatalf("status: name %q, chosen %v; want Ana Lima, chosen", st.Name, st.NameChosen)
	}

	// New friends see the new name.
	ana.Name = "Ana Lima"
	befriend(t, ana, ben)
}

// TestHostileNamesAreShownNotObeyed: an invite whose name carries a
// terminal's escape sequences and a second line is shown without them.
func TestHostileNamesAreShownNotObeyed(t *testing.T) {
	r := startRelay(t)
	ben := newNode(t, "Ben", r.URL)
	eve, err := identity.Generate()
	if err != nil {
		t.Fatal(err)
	}
	link, err := invite.Link(eve, invite.Invite{
		Name:    "Eve\x1b]0;pwned\x07\r\nFriend: Ana",
		Relays:  []string{r.URL},
		Secret:  invite.NewSecret(),
		Expires: time.Now().Add(time.Hour),
		Label:   "\x1b[31mred",
		Offer:   invite.Offer{Shares: []string{"Pho\u202etos"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	info, err := ben.API.InspectInvite(t.Context(), link)
	if err != nil {
		t.Fatal(err)
	}
	if info.InviterName != "Eve]0;pwnedFriend: Ana" || info.Label != "[31mred" || info.Shares[0] != "Photos" {
		t.Fatalf("inspected invite shows name %q, label %q, shares %q", info.InviterName, info.Label, info.Shares)
	}
}

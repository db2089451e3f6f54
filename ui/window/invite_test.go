package window

import (
	"image/color"
	"reflect"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/porchlight/porchlight/app/api"

	"github.com/porchlight/porchlight/ui/window/internal/fake"
	"github.com/porchlight/porchlight/ui/window/internal/uitest"
)

func TestInviteCreatesLinkWithQRCode(t *testing.T) {
	h := newHarness(t, fake.New(sampleStatus()))
	h.start()
	h.ui(func() {
		h.w.Show(ViewInvite, "")
		test.Type(h.w.invite.label, "Sam next door")
		test.Tap(h.w.invite.create)
	})
	h.eventually("the invitation", func() bool { return h.w.invite.result.Visible() })

	h.ui(func() {
		link := h.w.invite.link.Text
		if !strings.HasPrefix(link, "porchlight://invite#") {
			t.Fatalf("link = %q, want a porchlight://invite# link", link)
		}
		if !strings.Contains(uitest.Text(h.w.invite.content), "For Sam next door. Works for one friend until") {
			t.Errorf("no label and expiry in:\n%s", uitest.Text(h.w.invite.content))
		}
		if len(h.w.invite.modules) < 21 {
			t.Fatalf("QR code has %d modules a side, want at least 21", len(h.w.invite.modules))
		}
		if min := h.w.invite.qr.MinSize(); min.Width < 250 || min.Height != min.Width {
			t.Errorf("QR code is %v, want a square of at least 250", min)
		}
		img := h.w.invite.qr.Generator(300, 300)
		b := img.Bounds()
		dark, light := 0, 0
		for y := b.Min.Y; y < b.Max.Y; y += 4 {
			for x := b.Min.X; x < b.Max.X; x += 4 {
				if g := color.GrayModel.Convert(img.At(x, y)).(color.Gray).Y; g < 128 {
					dark++
				} else {
					light++
				}
			}
		}
		if dark == 0 || light == 0 {
			t.Errorf("QR code has %d dark and %d light samples; want both", dark, light)
		}

		test.Tap(h.w.invite.copy)
		if got := h.app.Clipboard().Content(); got != link {
			t.Errorf("clipboard = %q, want the link %q", got, link)
		}
		if !h.w.invite.copied.Visible() {
			t.Error("copying says nothing")
		}
	})
}

func TestInviteCreateSendsTheChoices(t *testing.T) {
	core := fake.New(sampleStatus())
	core.SetShares(
		api.Share{Name: "Garden photos", Path: "/g", Audience: "friends", Mode: "ro"},
		api.Share{Name: "Recipes", Path: "/r", Audience: "friends", Mode: "ro"},
		api.Share{Name: "Street party", Path: "/s", Audience: "chosen", Mode: "rw", Friends: []string{"Rita"}},
	)
	h := newHarness(t, core)
	h.start()
	h.ui(func() { h.w.Show(ViewInvite, "") })
	h.waitText(h.w.invite.checks, "Street party")
	h.ui(func() {
		v := h.w.invite
		for _, o := range v.checks.Objects {
			c := o.(*widget.Check)
			if want := c.Text != "Street party"; c.Checked != want {
				t.Errorf("%q ticked = %v at first, want %v (open to all friends)", c.Text, c.Checked, want)
			}
			switch c.Text {
			case "Recipes":
				c.SetChecked(false)
			case "Street party":
				c.SetChecked(true)
			}
		}
		v.expiry.SetSelected(expiryMonth)
		v.people.SetSelected(peopleUpTo)
		v.upTo.SetText("3")
		v.confirm.SetChecked(true)
		test.Type(v.label, "Choir")
		test.Tap(v.create)
	})
	h.eventually("the invitation", func() bool { return h.w.invite.result.Visible() })
	want := api.NewInvite{Label: "Choir", ExpiresIn: "720h", MaxUses: 3, OfferShares: []string{"Garden photos", "Street party"}, Confirm: true}
	if got := core.Created(); len(got) != 1 || !reflect.DeepEqual(got[0], want) {
		t.Errorf("CreateInvite got %+v, want %+v", got, want)
	}
	h.waitText(h.w.invite.content, "Works for up to 3 friends")
}

func TestInviteRefusesBadCount(t *testing.T) {
	core := fake.New(sampleStatus())
	h := newHarness(t, core)
	h.start()
	h.ui(func() {
		h.w.Show(ViewInvite, "")
		h.w.invite.people.SetSelected(peopleUpTo)
		h.w.invite.upTo.SetText("many")
		test.Tap(h.w.invite.create)
		if !strings.Contains(h.w.invite.err.Text, "from 2 to 100") {
			t.Errorf("error = %q", h.w.invite.err.Text)
		}
	})
	if got := core.Created(); len(got) != 0 {
		t.Errorf("CreateInvite called with %+v", got)
	}
}

func TestInviteCodeShowsTheCode(t *testing.T) {
	core := fake.New(sampleStatus())
	h := newHarness(t, core)
	h.start()
	h.ui(func() {
		h.w.Show(ViewInvite, "")
		test.Tap(h.w.invite.create)
	})
	h.eventually("the invitation", func() bool { return h.w.invite.result.Visible() })
	h.tapButton(h.w.invite.result, "Read a code aloud instead")
	h.eventually("the code", func() bool { return h.w.invite.codeBox.Visible() })
	created := core.Created()
	if len(created) != 2 || !created[1].Code || created[0].Code {
		t.Fatalf("CreateInvite got %+v, want a link and then a code", created)
	}
	h.ui(func() {
		code := h.w.invite.code.Text
		if _, ok := shortCode(code); !ok {
			t.Errorf("code = %q, want one like 4-purple-sausage", code)
		}
		if !containsText(h.w.invite.result, "Valid for 10 minutes") {
			t.Errorf("no validity in:\n%s", uitest.Text(h.w.invite.result))
		}
	})
}

func TestInviteWithdrawAsksThenRevokes(t *testing.T) {
	core := fake.New(sampleStatus())
	core.SetInvites(api.Invite{ID: "inv9", Label: "Sam next door", MaxUses: 1, Expires: time.Now().Add(time.Hour), State: "open"})
	h := newHarness(t, core)
	h.start()
	h.ui(func() { h.w.Show(ViewInvite, "") })
	h.waitText(h.w.invite.list.rows, "Sam next door", "Open · used by 0 of 1")
	h.tapButton(h.w.invite.list.rows, "Withdraw")
	h.tapButton(h.dialogShown("Withdraw the invitation for Sam next door?"), "Withdraw")
	h.waitText(h.w.invite.list.rows, "Withdrawn")
	invs, _ := core.Invites(h.ctx)
	if len(invs) != 1 || invs[0].State != "revoked" {
		t.Errorf("invites = %+v, want inv9 revoked", invs)
	}
}

func TestInviteNewcomerLetIn(t *testing.T) {
	core := fake.New(sampleStatus())
	h := newHarness(t, core)
	h.start()
	h.ui(func() {
		h.w.Show(ViewInvite, "")
		if h.w.invite.list.waiting.Visible() {
			t.Error("“Waiting to come in” shows while nobody waits")
		}
	})
	core.Knock(api.Newcomer{ID: "nc1", FriendID: "tomid", ShortID: "K5T2-8VBD", Name: "Tomás Novák", Invite: "Choir"})
	h.waitText(h.w.invite.list.waiting, "Waiting to come in", "Tomás Novák", "used your invitation “Choir”")
	h.tapButton(h.w.invite.list.waiting, "Let in")
	h.eventually("the newcomer let in", func() bool { return !h.w.invite.list.waiting.Visible() })
	ns, _ := core.Newcomers(h.ctx)
	if len(ns) != 1 || ns[0].State != "admitted" {
		t.Errorf("newcomers = %+v, want Tomás admitted", ns)
	}
	if fs, _ := core.Friends(h.ctx); len(fs) != 1 || fs[0].Name != "Tomás Novák" {
		t.Errorf("friends = %+v, want Tomás", fs)
	}
}

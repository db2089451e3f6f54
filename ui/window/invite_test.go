package window

import (
	"image/color"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

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

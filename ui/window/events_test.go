package window

import (
	"testing"

	"github.com/porchlight/porchlight/ui/window/internal/fake"
)

func TestNotRunningShowsMessageUntilCoreStarts(t *testing.T) {
	core := fake.New(sampleStatus())
	core.SetRunning(false)
	h := newHarness(t, core)
	h.w.Start(h.ctx)
	h.eventually("the offline notice", func() bool { return h.w.offline.content.Visible() && !h.w.main.Visible() })
	h.waitText(h.w.offline.content, notRunningText)

	core.SetRunning(true)
	h.w.Retry()
	h.eventually("the views", func() bool { return h.w.main.Visible() && !h.w.offline.content.Visible() })
	h.waitText(h.w.home.content, "Ana Lima")
}

func TestReconnectsByItselfWhenStreamBreaks(t *testing.T) {
	core := fake.New(sampleStatus())
	h := newHarness(t, core)
	h.start()

	core.SetRunning(false)
	h.eventually("the offline notice", func() bool { return h.w.offline.content.Visible() })
	core.SetRunning(true)
	h.eventually("a new stream", func() bool { return core.Followers() == 1 && h.w.main.Visible() })
}

func TestBrokenStreamShowsBannerUntilBack(t *testing.T) {
	core := fake.New(sampleStatus())
	h := newHarness(t, core)
	h.start()

	core.BreakStreams()
	h.eventually("the banner", func() bool { return h.w.banner.content.Visible() })
	h.waitText(h.w.banner.content, "Lost touch with Porchlight; reconnecting…")
	h.eventually("the banner to go", func() bool { return !h.w.banner.content.Visible() && core.Followers() == 1 })
	if h.textNow(h.w.offline.content) != "" {
		t.Error("the not-running notice showed while the core was running")
	}
}

func TestShowUnknownViewIsHome(t *testing.T) {
	h := newHarness(t, fake.New(sampleStatus()))
	h.ui(func() {
		h.w.Show(ViewShare, "")
		h.w.Show("calendar", "")
		if got := h.w.tabs.Selected(); got != h.w.tabFor[ViewHome] {
			t.Errorf("selected %q, want Home", got.Text)
		}
	})
}

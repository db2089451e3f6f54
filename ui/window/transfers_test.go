package window

import (
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2/widget"

	"github.com/porchlight/porchlight/app/api"
	"github.com/porchlight/porchlight/ui/window/internal/fake"
	"github.com/porchlight/porchlight/ui/window/internal/uitest"
)

func TestTransfersShowProgressAndPause(t *testing.T) {
	core := fake.New(sampleStatus())
	core.SetProgressInterval(0)
	core.AddTransfer(api.Transfer{ID: "x1", Kind: api.TransferDownload, Friend: "Sam Okafor", Share: "Photos", Path: "/film.mov",
		Dest: "/home/ana/Downloads/film.mov", State: api.TransferRunning, Bytes: 50_000_000, Size: 100_000_000, Rate: 5_000_000})
	h := newHarness(t, core)
	h.start()
	h.ui(func() { h.w.Show(ViewTransfers, "") })
	h.waitText(h.w.transfers.content, "film.mov", "from Sam Okafor’s “Photos”", "50 MB of 100 MB · 5.0 MB/s · 10 s left")
	var bar *widget.ProgressBar
	h.ui(func() {
		bar = uitest.Find(h.w.transfers.list, func(*widget.ProgressBar) bool { return true })
		if bar == nil || bar.Value != 0.5 {
			t.Fatalf("progress bar = %v, want one at 0.5", bar)
		}
		if got := h.w.tabFor[ViewTransfers].Text; got != "Transfers (1)" {
			t.Errorf("tab says %q, want the running count", got)
		}
	})

	h.tapButton(h.w.transfers.list, "Pause")
	h.waitText(h.w.transfers.list, "Paused · 50 MB of 100 MB", "Resume")
	ts, _ := core.Transfers(h.ctx)
	if ts[0].State != api.TransferPaused {
		t.Errorf("core transfer is %s, want paused", ts[0].State)
	}
	h.ui(func() {
		if got := h.w.tabFor[ViewTransfers].Text; got != "Transfers" {
			t.Errorf("tab says %q with nothing running", got)
		}
	})

	h.tapButton(h.w.transfers.list, "Cancel")
	h.waitText(h.w.transfers.list, "Cancelled")
	h.ui(func() {
		if b := uitest.Find(h.w.transfers.list, func(b *widget.Button) bool { return b.Text == "Cancel" || b.Text == "Resume" }); b != nil {
			t.Errorf("%s offered on a cancelled transfer", b.Text)
		}
	})
}

func TestTransfersFollowProgressOverTime(t *testing.T) {
	core := fake.New(sampleStatus())
	core.SetProgressInterval(10 * time.Millisecond)
	core.SetFriends(api.Friend{ID: "samid", ShortID: "3JH8-QW2N", Name: "Sam Okafor", Link: "direct"})
	core.ShareWithMe("samid", api.RemoteShare{Name: "Photos", Mode: "ro"})
	core.PutEntries("samid", "Photos", "/", api.Entry{Name: "big.iso", Size: 2 << 20})
	h := newHarness(t, core)
	h.start()
	h.ui(func() { h.w.Show(ViewTransfers, "") })
	h.waitText(h.w.transfers.content, "Nothing is being downloaded")

	// Started elsewhere (the CLI): the window learns of it from events.
	if _, err := core.StartTransfer(h.ctx, api.NewTransfer{Friend: "samid", Share: "Photos", Path: "/big.iso", Dest: filepath.Join(t.TempDir(), "big.iso")}); err != nil {
		t.Fatal(err)
	}
	h.waitText(h.w.transfers.list, "big.iso", "Done · 2.1 MB")
	h.ui(func() {
		if bar := uitest.Find(h.w.transfers.list, func(*widget.ProgressBar) bool { return true }); bar == nil || bar.Value != 1 {
			t.Errorf("progress bar = %v, want full", bar)
		}
		if h.w.transfers.empty.Visible() {
			t.Error("the empty notice shows beside a transfer")
		}
	})
}

func TestTransferStateWords(t *testing.T) {
	for _, tt := range []struct {
		t    api.Transfer
		want string
	}{
		{api.Transfer{State: api.TransferRunning, Size: -1}, "Starting…"},
		{api.Transfer{State: api.TransferRunning, Bytes: 1500, Size: -1, Rate: 1000}, "1.5 kB · 1.0 kB/s"},
		{api.Transfer{State: api.TransferRunning, Bytes: 0, Size: 120_000_000, Rate: 1_000_000}, "0 bytes of 120 MB · 1.0 MB/s · 2 min left"},
		{api.Transfer{State: api.TransferFailed, Bytes: 10, Size: 20, Error: "Sam went offline"}, "Failed: Sam went offline · 10 bytes of 20 bytes"},
		{api.Transfer{State: api.TransferDone, Bytes: 1, Size: 1}, "Done · 1 byte"},
	} {
		if got := transferState(tt.t); got != tt.want {
			t.Errorf("transferState(%+v) = %q, want %q", tt.t, got, tt.want)
		}
	}
}

package window

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/porchlight/porchlight/app/api"
	"github.com/porchlight/porchlight/ui/window/internal/fake"
	"github.com/porchlight/porchlight/ui/window/internal/uitest"
)

var _ Client = (*fake.Client)(nil)

// harness is a Window over an in-memory core, on fyne's test app with
// fyne.Do serialised (see uitest): the test touches widgets only through ui.
type harness struct {
	t    *testing.T
	app  *uitest.App
	w    *Window
	core *fake.Client
	ctx  context.Context
}

func newHarness(t *testing.T, core *fake.Client) *harness {
	t.Helper()
	h := &harness{t: t, app: uitest.Wrap(test.NewTempApp(t)), core: core}
	h.w = New(h.app, core)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(func() {
		cancel()
		h.w.Wait() // before the test app goes, so no goroutine outlives the test
	})
	h.ctx = ctx
	return h
}

// start follows the core's events and waits until Home shows the resident.
func (h *harness) start() {
	h.t.Helper()
	h.w.Start(h.ctx)
	s, err := h.core.Status(h.ctx)
	if err != nil {
		h.t.Fatalf("status of the fake core: %v", err)
	}
	h.waitText(h.w.home.content, s.Name)
}

// ui runs f with the widgets to itself.
func (h *harness) ui(f func()) { h.app.UI(f) }

// eventually waits until cond (run under ui) holds.
func (h *harness) eventually(what string, cond func() bool) {
	h.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		var ok bool
		h.ui(func() { ok = cond() })
		if ok {
			return
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// waitText waits until each of want is part of the visible text under o.
func (h *harness) waitText(o fyne.CanvasObject, want ...string) {
	h.t.Helper()
	for _, s := range want {
		h.eventually("text “"+s+"”", func() bool { return strings.Contains(uitest.Text(o), s) })
	}
}

// textNow is the visible text under o right now.
func (h *harness) textNow(o fyne.CanvasObject) string {
	var s string
	h.ui(func() { s = uitest.Text(o) })
	return s
}

// sampleStatus is the resident of most tests.
func sampleStatus() api.Status {
	return api.Status{
		ID: "anaid0000000", ShortID: "7QX4-K2MP", Name: "Ana Lima", State: api.StateOn,
		Relays: []api.RelayStatus{{URL: "wss://relay.example.org/v1/ws", State: "online", RTTMillis: 23}},
	}
}

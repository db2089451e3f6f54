package window

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

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

// relayout lays the window out again, as the real driver does whenever a
// minimum size changes and the test canvas does only on resize. Call it
// inside ui.
func (h *harness) relayout() {
	size := h.w.win.Canvas().Size()
	h.w.win.Resize(size.AddWidthHeight(1, 1))
	h.w.win.Resize(size)
}

// ui runs f with the widgets to itself.
func (h *harness) ui(f func()) { h.app.UI(f) }

// eventually waits until cond (run under ui) holds.
func (h *harness) eventually(what string, cond func() bool) {
	h.t.Helper()
	deadline := time.Now().Add(10 * time.Second) // generous: -race on a busy machine is slow
	for {
		var ok bool
		h.ui(func() {
			if ok = cond(); !ok {
				h.relayout()
				ok = cond()
			}
		})
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
		ID: "anaid0000000", ShortID: "7QX4-K2MP", Name: "Ana Lima", NameChosen: true, State: api.StateOn,
		Relays: []api.RelayStatus{{URL: "wss://relay.example.org/v1/ws", State: "online", RTTMillis: 23}},
	}
}

// rowWith is the row of rows (a list's box) whose text holds text.
func (h *harness) rowWith(rows *fyne.Container, text string) fyne.CanvasObject {
	h.t.Helper()
	var row fyne.CanvasObject
	h.ui(func() {
		for _, o := range rows.Objects {
			if strings.Contains(uitest.Text(o), text) {
				row = o
				return
			}
		}
	})
	if row == nil {
		h.t.Fatalf("no row with “%s”", text)
	}
	return row
}

// tapButton taps the button labelled label under o.
func (h *harness) tapButton(o fyne.CanvasObject, label string) {
	h.t.Helper()
	var found bool
	h.ui(func() {
		if b := uitest.Find(o, func(b *widget.Button) bool { return b.Text == label }); b != nil {
			found = true
			test.Tap(b)
		}
	})
	if !found {
		h.t.Fatalf("no button “%s”", label)
	}
}

// dialogShown waits for a dialog holding each of want and returns it.
func (h *harness) dialogShown(want ...string) fyne.CanvasObject {
	h.t.Helper()
	var top fyne.CanvasObject
	h.eventually("a dialog", func() bool {
		top = h.w.win.Canvas().Overlays().Top()
		return top != nil
	})
	h.waitText(top, want...)
	return top
}

// containsText says whether the visible text under o holds s; call it
// inside ui.
func containsText(o fyne.CanvasObject, s string) bool {
	return strings.Contains(uitest.Text(o), s)
}

// rowWithNow is rowWith for use inside ui.
func (h *harness) rowWithNow(rows *fyne.Container, text string) fyne.CanvasObject {
	for _, o := range rows.Objects {
		if strings.Contains(uitest.Text(o), text) {
			return o
		}
	}
	h.t.Fatalf("no row with “%s”", text)
	return nil
}

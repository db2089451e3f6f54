// Package uitest drives the window on fyne's headless test driver, for the
// window's tests and its screenshot generator.
//
// The test driver runs fyne.Do's function at once on the calling goroutine,
// so the window's background work would change widgets while the test reads
// them. App makes fyne.Do take a lock instead, and UI takes the same lock:
// widgets are never touched by two goroutines at once.
package uitest

import (
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// App is a test app whose fyne.Do is serialised with UI.
type App struct {
	fyne.App
	drv *driver
}

// driver is the test driver with a lock around DoFromGoroutine.
type driver struct {
	fyne.Driver
	mu sync.Mutex
}

func (d *driver) DoFromGoroutine(f func(), _ bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	f()
}

// Wrap makes base (from test.NewApp or test.NewTempApp) serialise fyne.Do,
// and makes the result fyne's current app.
func Wrap(base fyne.App) *App {
	a := &App{App: base, drv: &driver{Driver: base.Driver()}}
	fyne.SetCurrentApp(a)
	return a
}

// Driver returns the serialising driver.
func (a *App) Driver() fyne.Driver { return a.drv }

// UI runs f with the widgets to itself.
func (a *App) UI(f func()) {
	a.drv.mu.Lock()
	defer a.drv.mu.Unlock()
	f()
}

// Find returns the first visible object of type T under o for which match
// is true, or T's zero value. Call it inside UI.
func Find[T fyne.CanvasObject](o fyne.CanvasObject, match func(T) bool) T {
	var found T
	walk(o, func(c fyne.CanvasObject) bool {
		if t, ok := c.(T); ok && match(t) {
			found = t
			return true
		}
		return false
	})
	return found
}

// Text is the text of every visible object under o, one per line. Call it
// inside UI.
func Text(o fyne.CanvasObject) string {
	var b strings.Builder
	walk(o, func(c fyne.CanvasObject) bool {
		switch v := c.(type) {
		case *widget.Label:
			b.WriteString(v.Text + "\n")
		case *widget.RichText:
			b.WriteString(v.String() + "\n")
		case *widget.Button:
			b.WriteString(v.Text + "\n")
		case *widget.Entry:
			b.WriteString(v.Text + "\n")
		case *canvas.Text:
			b.WriteString(v.Text + "\n")
		}
		return false
	})
	return b.String()
}

// walk visits the visible objects under o, looking inside widgets through
// their renderers, until visit returns true. A label's own text is visited
// once: walk does not descend into the text widgets Text reads.
func walk(o fyne.CanvasObject, visit func(fyne.CanvasObject) bool) bool {
	if o == nil || !o.Visible() {
		return false
	}
	if visit(o) {
		return true
	}
	var children []fyne.CanvasObject
	switch v := o.(type) {
	case *widget.Label, *widget.RichText, *widget.Entry, *widget.Button:
		return false
	case *fyne.Container:
		children = v.Objects
	case fyne.Widget:
		children = test.WidgetRenderer(v).Objects()
	}
	for _, child := range children {
		if walk(child, visit) {
			return true
		}
	}
	return false
}

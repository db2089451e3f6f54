package window

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// notRunningText is what the window says while the core is not running.
const notRunningText = "Porchlight is not running — start it from the applications menu"

// offlineView covers the window while the core is not running; the event
// stream keeps trying in the background and removes it when the core answers.
type offlineView struct {
	content fyne.CanvasObject
}

func newOfflineView(w *Window) *offlineView {
	light := newPorchLight()
	msg := widget.NewLabelWithStyle(notRunningText, fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	hint := widget.NewLabelWithStyle("This window will connect by itself as soon as Porchlight starts.", fyne.TextAlignCenter, fyne.TextStyle{})
	retry := widget.NewButtonWithIcon("Try again", theme.ViewRefreshIcon(), w.Retry)
	box := container.NewVBox(light.content, msg, hint, container.NewCenter(retry))
	return &offlineView{content: container.NewCenter(box)}
}

// banner is a one-line notice above the views, hidden while all is well.
type banner struct {
	text    *widget.Label
	content fyne.CanvasObject
}

func newBanner() *banner {
	b := &banner{text: widget.NewLabel("")}
	b.text.Importance = widget.WarningImportance
	b.text.Wrapping = fyne.TextWrapWord
	b.content = container.NewVBox(container.NewPadded(container.NewBorder(nil, nil, widget.NewIcon(theme.WarningIcon()), nil, b.text)), widget.NewSeparator())
	b.content.Hide()
	return b
}

func (b *banner) show(text string) {
	b.text.SetText(text)
	b.content.Show()
}

func (b *banner) hide() { b.content.Hide() }

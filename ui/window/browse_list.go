package window

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/porchlight/porchlight/app/api"
)

// Widths of the Browse list's columns after the name.
const (
	sizeColumn = 90
	dateColumn = 130
)

// entryRow is one row of the Browse list: icon, name, size, date and a
// download button.
type entryRow struct {
	widget.BaseWidget
	icon     *widget.Icon
	name     *widget.Label
	size     *widget.Label
	date     *widget.Label
	download *widget.Button
}

func newEntryRow() *entryRow {
	r := &entryRow{
		icon:     widget.NewIcon(theme.FileIcon()),
		name:     widget.NewLabel(""),
		size:     widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{}),
		date:     widget.NewLabel(""),
		download: widget.NewButtonWithIcon("", theme.DownloadIcon(), nil),
	}
	r.name.Truncation = fyne.TextTruncateEllipsis
	r.download.Importance = widget.LowImportance
	r.ExtendBaseWidget(r)
	return r
}

func (r *entryRow) CreateRenderer() fyne.WidgetRenderer {
	right := container.NewHBox(fixedWidth(sizeColumn, r.size), fixedWidth(dateColumn, r.date), r.download)
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, r.icon, right, r.name))
}

// set shows e; onDownload downloads it (a file, or a whole folder).
func (r *entryRow) set(e api.Entry, now time.Time, onDownload func()) {
	if e.Dir {
		r.icon.SetResource(theme.FolderIcon())
		r.size.SetText("")
	} else {
		r.icon.SetResource(theme.FileIcon())
		r.size.SetText(humanSize(e.Size))
	}
	r.name.SetText(e.Name)
	r.date.SetText(modifiedDate(e.Modified, now))
	r.download.OnTapped = onDownload
}

// entryHeader titles the Browse list's columns, aligned with entryRow.
func entryHeader() fyne.CanvasObject {
	bold := func(s string, align fyne.TextAlign) *widget.Label {
		return widget.NewLabelWithStyle(s, align, fyne.TextStyle{Bold: true})
	}
	iconGap := fixedWidth(theme.IconInlineSize(), layout.NewSpacer())
	buttonGap := fixedWidth(widget.NewButtonWithIcon("", theme.DownloadIcon(), nil).MinSize().Width, layout.NewSpacer())
	right := container.NewHBox(fixedWidth(sizeColumn, bold("Size", fyne.TextAlignTrailing)), fixedWidth(dateColumn, bold("Modified", fyne.TextAlignLeading)), buttonGap)
	return container.NewBorder(nil, nil, iconGap, right, bold("Name", fyne.TextAlignLeading))
}

// fixedWidth holds o at width w, as tall as o wants.
func fixedWidth(w float32, o fyne.CanvasObject) fyne.CanvasObject {
	return container.New(widthLayout(w), o)
}

type widthLayout float32

func (l widthLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var h float32
	for _, o := range objs {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(float32(l), h)
}

func (l widthLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

package window

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// heading is a view's title.
func heading(text string) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameHeadingText
	return l
}

// subheading titles a section of a view.
func subheading(text string) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameSubHeadingText
	return l
}

// note is explanatory text that wraps to the view's width.
func note(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// warning is a note that says what went wrong, hidden until it is needed.
func warning() *widget.Label {
	l := note("")
	l.Importance = widget.WarningImportance
	l.Hide()
	return l
}

// captionStyle is small, muted text.
var captionStyle = widget.RichTextStyle{ColorName: theme.ColorNamePlaceHolder, SizeName: theme.SizeNameCaptionText}

// caption is small, muted text such as an ID or a date.
func caption(text string) *widget.RichText {
	return widget.NewRichText(&widget.TextSegment{Text: text, Style: captionStyle})
}

// smallNote is a caption that wraps, for a sentence or two of advice.
func smallNote(text string) *widget.RichText {
	rt := caption(text)
	rt.Wrapping = fyne.TextWrapWord
	return rt
}

// setCaption replaces a caption's text.
func setCaption(rt *widget.RichText, text string) {
	rt.Segments = []widget.RichTextSegment{&widget.TextSegment{Text: text, Style: captionStyle}}
	rt.Refresh()
}

// itemText is one item of a list: a bold title over a muted detail line,
// each cut short with an ellipsis when the list is narrow.
func itemText(title, detail string) *widget.RichText {
	rt := widget.NewRichText(
		&widget.TextSegment{Text: title, Style: widget.RichTextStyle{TextStyle: fyne.TextStyle{Bold: true}}},
		&widget.TextSegment{Text: detail, Style: captionStyle},
	)
	rt.Truncation = fyne.TextTruncateEllipsis
	return rt
}

// errorText shows what went wrong, in the theme's error colour.
func errorText() *widget.Label {
	l := widget.NewLabel("")
	l.Wrapping = fyne.TextWrapWord
	l.Importance = widget.DangerImportance
	l.Hide()
	return l
}

// showError sets l to msg as a sentence, or hides l when msg is empty.
func showError(l *widget.Label, msg string) {
	l.SetText(sentence(msg))
	if msg == "" {
		l.Hide()
	} else {
		l.Show()
	}
}

// errorMessage is err's message after what, or "" for no error.
func errorMessage(what string, err error) string {
	if err == nil {
		return ""
	}
	return what + ": " + err.Error()
}

// page lays a view out: a title and intro on top, the body scrolling below.
func page(title, intro string, body fyne.CanvasObject) fyne.CanvasObject {
	top := container.NewVBox(heading(title))
	if intro != "" {
		top.Add(note(intro))
	}
	return container.NewPadded(container.NewBorder(top, nil, nil, nil, container.NewVScroll(body)))
}

// panel groups related rows under a title, on a card.
func panel(title string, rows fyne.CanvasObject) *widget.Card {
	t := widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	return widget.NewCard("", "", container.NewBorder(t, nil, nil, nil, rows))
}

// sentence starts s with a capital letter and ends it with a full stop, as
// the core's error messages do neither.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	r, n := utf8.DecodeRuneInString(s)
	s = string(unicode.ToUpper(r)) + s[n:]
	if !strings.ContainsAny(s[len(s)-1:], ".!?…") {
		s += "."
	}
	return s
}

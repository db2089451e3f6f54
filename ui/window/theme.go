package window

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// Porch-light colours, shared by the theme and the status dots.
var (
	colorAmber   = color.NRGBA{R: 0xb4, G: 0x53, B: 0x09, A: 0xff} // buttons, focus
	colorLightOn = color.NRGBA{R: 0xf5, G: 0xa6, B: 0x23, A: 0xff}
	colorLightDm = color.NRGBA{R: 0xc8, G: 0xa2, B: 0x6a, A: 0xff}
	colorGood    = color.NRGBA{R: 0x2e, G: 0x9e, B: 0x4f, A: 0xff}
	colorFair    = color.NRGBA{R: 0xe0, G: 0x9b, B: 0x1a, A: 0xff}
	colorBad     = color.NRGBA{R: 0xd0, G: 0x45, B: 0x3b, A: 0xff}
	colorNone    = color.NRGBA{R: 0x9e, G: 0x9e, B: 0x9e, A: 0xff}
)

// porchTheme is fyne's default theme (light or dark as the desktop prefers)
// with a warm porch-light accent.
type porchTheme struct{ fyne.Theme }

func newPorchTheme() fyne.Theme { return porchTheme{theme.DefaultTheme()} }

func (t porchTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	switch n {
	case theme.ColorNamePrimary, theme.ColorNameHyperlink:
		return colorAmber
	case theme.ColorNameFocus:
		return withAlpha(colorAmber, 0x7f)
	case theme.ColorNameSelection:
		return withAlpha(colorLightOn, 0x40)
	case theme.ColorNameSuccess:
		if v == theme.VariantLight {
			return colorGood // fyne's bright green is hard to read on white
		}
	}
	return t.Theme.Color(n, v)
}

func withAlpha(c color.NRGBA, a uint8) color.NRGBA {
	c.A = a
	return c
}

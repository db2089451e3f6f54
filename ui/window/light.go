package window

import (
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"

	"github.com/porchlight/porchlight/app/api"
)

// porchLight draws the porch light: a bulb with a glow when it is on.
type porchLight struct {
	glow, bulb *canvas.Circle
	content    fyne.CanvasObject
}

func newPorchLight() *porchLight {
	p := &porchLight{glow: canvas.NewCircle(color.Transparent), bulb: canvas.NewCircle(colorNone)}
	bulb := container.NewStack(square(30), p.bulb)
	p.content = container.NewCenter(container.NewStack(square(60), p.glow, container.NewCenter(bulb)))
	return p
}

// set shows state (api.StateOn, StateDim or StateOff).
func (p *porchLight) set(state string) {
	switch state {
	case api.StateOn:
		p.bulb.FillColor, p.glow.FillColor = colorLightOn, withAlpha(colorLightOn, 0x50)
	case api.StateDim:
		p.bulb.FillColor, p.glow.FillColor = colorLightDm, withAlpha(colorLightDm, 0x20)
	default:
		p.bulb.FillColor, p.glow.FillColor = colorNone, color.Transparent
	}
	p.bulb.Refresh()
	p.glow.Refresh()
}

// lightSentence says what the porch light means.
func lightSentence(state string) string {
	switch state {
	case api.StateOn:
		return "Your porch light is on: friends can reach you."
	case api.StateDim:
		return "Your porch light is dim: sharing, but no relay is reachable, so only neighbours on this network can reach you."
	case api.StateOff:
		return "Your porch light is off: sharing is paused."
	default:
		return "Connecting to Porchlight…"
	}
}

// dot is a small coloured status dot.
func dot(c color.Color) fyne.CanvasObject {
	return container.NewCenter(container.NewStack(square(10), canvas.NewCircle(c)))
}

// square is an invisible spacer that gives a stack its size.
func square(side float32) fyne.CanvasObject {
	r := canvas.NewRectangle(color.Transparent)
	r.SetMinSize(fyne.NewSize(side, side))
	return r
}

// avatar is a round badge with the first letter of name, coloured by name so
// the same person always looks the same.
func avatar(name string) fyne.CanvasObject {
	palette := []color.NRGBA{colorAmber, {R: 0x2b, G: 0x6c, B: 0xb0, A: 0xff}, {R: 0x2e, G: 0x8b, B: 0x57, A: 0xff}, {R: 0x8e, G: 0x44, B: 0xad, A: 0xff}, {R: 0xc0, G: 0x39, B: 0x2b, A: 0xff}}
	var sum int
	for _, r := range name {
		sum += int(r)
	}
	initial := "?"
	if r := []rune(strings.TrimSpace(name)); len(r) > 0 {
		initial = strings.ToUpper(string(r[0]))
	}
	letter := canvas.NewText(initial, color.White)
	letter.TextSize = 22
	letter.TextStyle = fyne.TextStyle{Bold: true}
	return container.NewCenter(container.NewStack(square(48), canvas.NewCircle(palette[sum%len(palette)]), container.NewCenter(letter)))
}

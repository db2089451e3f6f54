// Command gen draws Porchlight's icons (a porch lantern, lit, dim or dark)
// into PNG files: tray-on.png, tray-dim.png and tray-off.png at 64x64 and
// porchlight.png, the 256x256 app icon. The shapes live in a unit square so
// every size comes from the same drawing; each pixel is supersampled for
// smooth edges.
package main

import (
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
)

// palette is how one state of the lantern is coloured.
type palette struct {
	frame, glass, bulb, halo rgba
}

var palettes = map[string]palette{
	"on":  {frame: hex(0x4a3420, 1), glass: hex(0xffd23f, 1), bulb: hex(0xfff6c8, 1), halo: hex(0xffc428, 0.55)},
	"dim": {frame: hex(0x5b4d3f, 1), glass: hex(0xb39b6e, 1), bulb: hex(0xc9b68e, 1)},
	"off": {frame: hex(0x4d4d4d, 1), glass: hex(0x8a8a8a, 0.15)},
}

func main() {
	out := flag.String("out", ".", "directory to write the PNGs into")
	flag.Parse()
	files := []struct {
		name  string
		state string
		size  int
	}{
		{"tray-on.png", "on", 64},
		{"tray-dim.png", "dim", 64},
		{"tray-off.png", "off", 64},
		{"porchlight.png", "on", 256},
	}
	for _, f := range files {
		if err := write(filepath.Join(*out, f.name), draw(palettes[f.state], f.size)); err != nil {
			fmt.Fprintln(os.Stderr, "gen:", err)
			os.Exit(1)
		}
	}
}

func write(path string, img image.Image) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(f, img); err != nil {
		f.Close()
		return fmt.Errorf("encode %s: %w", path, err)
	}
	return f.Close()
}

// samples per pixel side.
const samples = 4

func draw(p palette, size int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	for py := range size {
		for px := range size {
			var sum rgba
			for sy := range samples {
				for sx := range samples {
					x := (float64(px) + (float64(sx)+0.5)/samples) / float64(size)
					y := (float64(py) + (float64(sy)+0.5)/samples) / float64(size)
					sum = sum.add(shade(p, x, y))
				}
			}
			img.SetNRGBA(px, py, sum.scale(1.0/(samples*samples)).nrgba())
		}
	}
	return img
}

// shade paints the lantern at one point of the unit square, back to front.
func shade(p palette, x, y float64) rgba {
	var c rgba
	if p.halo.a > 0 {
		d := math.Hypot(x-0.5, y-0.52) / 0.5
		if d < 1 {
			c = c.paint(p.halo.fade((1 - d) * (1 - d)))
		}
	}
	const stroke = 0.045
	body := roundRect(x, y, 0.29, 0.28, 0.71, 0.77, 0.07)
	if body <= 0 {
		c = c.paint(p.glass)
	}
	if p.bulb.a > 0 && math.Hypot(x-0.5, (y-0.53)*0.85) < 0.12 {
		c = c.paint(p.bulb)
	}
	switch {
	case body <= 0 && body > -stroke, // the frame round the glass
		math.Abs(x-0.5) < 0.018 && y > 0.28 && y < 0.40, // the bulb's holder
		trapezoid(x, y, 0.15, 0.27, 0.12, 0.27),         // the cap
		inRect(x, y, 0.22, 0.25, 0.78, 0.30),            // the cap's rim
		inRect(x, y, 0.25, 0.76, 0.75, 0.82),            // the base
		inRect(x, y, 0.37, 0.82, 0.63, 0.88):            // the foot
		c = c.paint(p.frame)
	}
	if ring := math.Hypot(x-0.5, y-0.095); ring < 0.06 && ring > 0.03 || inRect(x, y, 0.485, 0.12, 0.515, 0.16) {
		c = c.paint(p.frame)
	}
	return c
}

func inRect(x, y, x0, y0, x1, y1 float64) bool { return x >= x0 && x < x1 && y >= y0 && y < y1 }

// trapezoid is a shape centred on x=0.5 from y0 (half-width w0) to y1
// (half-width w1).
func trapezoid(x, y, y0, y1, w0, w1 float64) bool {
	if y < y0 || y >= y1 {
		return false
	}
	w := w0 + (w1-w0)*(y-y0)/(y1-y0)
	return math.Abs(x-0.5) < w
}

// roundRect is the signed distance from (x, y) to a rounded rectangle:
// negative inside.
func roundRect(x, y, x0, y0, x1, y1, r float64) float64 {
	cx, cy := (x0+x1)/2, (y0+y1)/2
	hx, hy := (x1-x0)/2-r, (y1-y0)/2-r
	dx, dy := math.Abs(x-cx)-hx, math.Abs(y-cy)-hy
	outside := math.Hypot(math.Max(dx, 0), math.Max(dy, 0))
	inside := math.Min(math.Max(dx, dy), 0)
	return outside + inside - r
}

// rgba is a premultiplied colour with components in [0, 1].
type rgba struct{ r, g, b, a float64 }

func hex(v uint32, alpha float64) rgba {
	f := func(shift uint) float64 { return float64(v>>shift&0xff) / 255 * alpha }
	return rgba{f(16), f(8), f(0), alpha}
}

// paint lays top over c.
func (c rgba) paint(top rgba) rgba  { return c.scale(1 - top.a).add(top) }
func (c rgba) fade(k float64) rgba  { return c.scale(k) }
func (c rgba) scale(k float64) rgba { return rgba{c.r * k, c.g * k, c.b * k, c.a * k} }
func (c rgba) add(d rgba) rgba      { return rgba{c.r + d.r, c.g + d.g, c.b + d.b, c.a + d.a} }

func (c rgba) nrgba() color.NRGBA {
	if c.a <= 0 {
		return color.NRGBA{}
	}
	u := func(v float64) uint8 { return uint8(math.Round(math.Min(math.Max(v, 0), 1) * 255)) }
	return color.NRGBA{u(c.r / c.a), u(c.g / c.a), u(c.b / c.a), u(c.a)}
}

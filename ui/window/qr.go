package window

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"

	qrcode "github.com/skip2/go-qrcode"
)

// qrModules encodes link as a QR code: true is a dark module, and the quiet
// zone is included. A code shown on a screen is not smudged, so the lowest
// error correction will do; it keeps the modules of a long link large.
func qrModules(link string) ([][]bool, error) {
	q, err := qrcode.New(link, qrcode.Low)
	if err != nil {
		return nil, fmt.Errorf("draw QR code: %w", err)
	}
	return q.Bitmap(), nil
}

// drawQR draws modules on a white w×h image, each module the same whole
// number of pixels so the code stays crisp at any display scale.
func drawQR(modules [][]bool, w, h int) image.Image {
	img := image.NewGray(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	n := len(modules)
	if n == 0 {
		return img
	}
	px := max(min(w, h)/n, 1)
	x0, y0 := (w-px*n)/2, (h-px*n)/2
	black := image.NewUniform(color.Black)
	for y, row := range modules {
		for x, dark := range row {
			if dark {
				r := image.Rect(x0+x*px, y0+y*px, x0+(x+1)*px, y0+(y+1)*px)
				draw.Draw(img, r, black, image.Point{}, draw.Src)
			}
		}
	}
	return img
}

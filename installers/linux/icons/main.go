// Command icons writes Porchlight's app icon at the sizes desktops look for
// (16 to 256 pixels) into a hicolor icon theme tree, for the Linux package:
// OUT/SIZExSIZE/apps/porchlight.png; with -ico, also a Windows .ico holding
// the same sizes, for the Windows installer. Each size is an area-weighted
// reduction of the 256x256 icon in assets, so no second drawing has to be
// kept.
//
//	go run ./installers/linux/icons -out dist/stage/icons [-ico porchlight.ico]
package main

import (
	"bytes"
	"encoding/binary"
	"flag"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"os"
	"path/filepath"

	"github.com/porchlight/porchlight/assets"
)

// Sizes are the hicolor sizes the package ships.
var Sizes = []int{16, 32, 48, 64, 128, 256}

func main() {
	out := flag.String("out", "icons", "the hicolor directory to write into")
	ico := flag.String("ico", "", "also write a Windows icon `file` with every size")
	flag.Parse()
	if err := writeAll(*out, *ico); err != nil {
		fmt.Fprintln(os.Stderr, "icons:", err)
		os.Exit(1)
	}
}

func writeAll(dir, icoPath string) error {
	src, err := png.Decode(bytes.NewReader(assets.AppIcon()))
	if err != nil {
		return fmt.Errorf("decode the app icon: %w", err)
	}
	var pngs [][]byte
	for _, size := range Sizes {
		path := filepath.Join(dir, fmt.Sprintf("%dx%d", size, size), "apps", "porchlight.png")
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		var buf bytes.Buffer
		enc := png.Encoder{CompressionLevel: png.BestCompression}
		if err := enc.Encode(&buf, shrink(src, size)); err != nil {
			return fmt.Errorf("encode %s: %w", path, err)
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			return err
		}
		pngs = append(pngs, buf.Bytes())
	}
	if icoPath == "" {
		return nil
	}
	return os.WriteFile(icoPath, icoFile(Sizes, pngs), 0o644)
}

// icoFile packs square PNG images into the ICO format (an ICONDIR header,
// one 16-byte entry per image, then the images; PNG entries are read by
// Windows Vista and later). A size of 256 is written as 0, as the format
// wants.
func icoFile(sizes []int, pngs [][]byte) []byte {
	var b bytes.Buffer
	le := binary.LittleEndian
	b.Write(le.AppendUint16(le.AppendUint16(le.AppendUint16(nil, 0), 1), uint16(len(pngs))))
	offset := 6 + 16*len(pngs)
	for i, data := range pngs {
		side := byte(sizes[i] % 256)
		b.Write([]byte{side, side, 0, 0})
		b.Write(le.AppendUint16(le.AppendUint16(nil, 1), 32))
		b.Write(le.AppendUint32(le.AppendUint32(nil, uint32(len(data))), uint32(offset)))
		offset += len(data)
	}
	for _, data := range pngs {
		b.Write(data)
	}
	return b.Bytes()
}

// shrink reduces a square image to size x size: each output pixel is the
// average of the source area it covers, weighted by overlap, in
// premultiplied alpha so transparent pixels do not darken the edges.
func shrink(src image.Image, size int) *image.NRGBA {
	b := src.Bounds()
	rgba := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(rgba, rgba.Bounds(), src, b.Min, draw.Src)
	scale := float64(b.Dx()) / float64(size)
	dst := image.NewNRGBA(image.Rect(0, 0, size, size))
	for y := range size {
		for x := range size {
			var sum [4]float64
			var area float64
			y0, y1 := float64(y)*scale, float64(y+1)*scale
			x0, x1 := float64(x)*scale, float64(x+1)*scale
			for sy := int(y0); float64(sy) < y1 && sy < b.Dy(); sy++ {
				wy := min(y1, float64(sy+1)) - max(y0, float64(sy))
				for sx := int(x0); float64(sx) < x1 && sx < b.Dx(); sx++ {
					w := wy * (min(x1, float64(sx+1)) - max(x0, float64(sx)))
					i := rgba.PixOffset(sx, sy)
					for c := range 4 {
						sum[c] += w * float64(rgba.Pix[i+c])
					}
					area += w
				}
			}
			i := dst.PixOffset(x, y)
			a := sum[3] / area
			dst.Pix[i+3] = uint8(a + 0.5)
			if a > 0 {
				for c := range 3 {
					dst.Pix[i+c] = uint8(min(255, sum[c]/area*255/a+0.5))
				}
			}
		}
	}
	return dst
}

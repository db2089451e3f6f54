package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

func TestShrinkAveragesArea(t *testing.T) {
	// The left 130 columns opaque red, the rest transparent: at 48 px (a
	// 5.33 px step) covered pixels stay red and column 24 is partly covered.
	src := image.NewNRGBA(image.Rect(0, 0, 256, 256))
	for y := range 256 {
		for x := range 130 {
			src.SetNRGBA(x, y, color.NRGBA{R: 255, A: 255})
		}
	}
	got := shrink(src, 48)
	if c := got.NRGBAAt(0, 0); c != (color.NRGBA{R: 255, A: 255}) {
		t.Errorf("a covered pixel is %v, want opaque red", c)
	}
	if c := got.NRGBAAt(47, 47); c.A != 0 {
		t.Errorf("an uncovered pixel is %v, want transparent", c)
	}
	// Premultiplied averaging: a half-covered pixel is red, half opaque,
	// not darkened towards black.
	if c := got.NRGBAAt(24, 10); c.R != 255 || c.A == 0 || c.A == 255 {
		t.Errorf("the edge pixel is %v, want red at partial alpha", c)
	}
}

func TestWriteAll(t *testing.T) {
	dir := t.TempDir()
	ico := filepath.Join(dir, "porchlight.ico")
	if err := writeAll(filepath.Join(dir, "icons"), ico); err != nil {
		t.Fatal(err)
	}
	for _, size := range Sizes {
		f, err := os.Open(filepath.Join(dir, "icons", fmt.Sprintf("%dx%d", size, size), "apps", "porchlight.png"))
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := png.DecodeConfig(f)
		f.Close()
		if err != nil || cfg.Width != size || cfg.Height != size {
			t.Errorf("%d px icon: %dx%d, %v", size, cfg.Width, cfg.Height, err)
		}
	}
	data, err := os.ReadFile(ico)
	if err != nil {
		t.Fatal(err)
	}
	le := binary.LittleEndian
	if le.Uint16(data[0:]) != 0 || le.Uint16(data[2:]) != 1 || int(le.Uint16(data[4:])) != len(Sizes) {
		t.Fatalf("ICO header % x", data[:6])
	}
	for i, size := range Sizes {
		e := data[6+16*i:]
		n, off := le.Uint32(e[8:]), le.Uint32(e[12:])
		img, err := png.Decode(bytes.NewReader(data[off : off+n]))
		if err != nil || img.Bounds().Dx() != size || int(e[0]) != size%256 {
			t.Errorf("ICO entry %d: width byte %d, image %v, %v; want %d px", i, e[0], img.Bounds(), err, size)
		}
	}
}

// Package assets holds Porchlight's images, embedded in the binaries that
// show them: the porch-light tray icons, one per state, and the app icon.
// The PNGs are drawn by ./gen; run `go generate ./assets` after changing it.
package assets

import (
	"embed"

	"github.com/porchlight/porchlight/app/api"
)

//go:generate go run ./gen -out .

//go:embed *.png
var images embed.FS

// TrayIcon is the 64x64 PNG for a porch-light state (api.StateOn, StateDim
// or StateOff); an unknown state gets the dim light.
func TrayIcon(state string) []byte {
	switch state {
	case api.StateOn, api.StateOff:
		return mustRead("tray-" + state + ".png")
	default:
		return mustRead("tray-" + api.StateDim + ".png")
	}
}

// AppIcon is the 256x256 PNG that stands for Porchlight in launchers and
// window title bars.
func AppIcon() []byte { return mustRead("porchlight.png") }

func mustRead(name string) []byte {
	b, err := images.ReadFile(name)
	if err != nil {
		panic("assets: " + err.Error()) // the file is embedded at build time
	}
	return b
}

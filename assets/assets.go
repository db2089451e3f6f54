// Package assets holds Porchlight's images, embedded in the binaries that
// show them: the porch-light tray icons, one per state, and the app icon.
// The PNGs are drawn by ./gen; run `go generate ./assets` after changing it.
package assets

import (
	_ "embed"

	"github.com/porchlight/porchlight/app/api"
)

//go:generate go run ./gen -out .

// The images live for the whole run: the tray hands their bytes to C code
// that reads them later, so they are package variables, never copies.
var (
	//go:embed tray-on.png
	trayOn []byte
	//go:embed tray-dim.png
	trayDim []byte
	//go:embed tray-off.png
	trayOff []byte
	//go:embed porchlight.png
	appIcon []byte
)

// TrayIcon is the 64x64 PNG for a porch-light state (api.StateOn, StateDim
// or StateOff); an unknown state gets the dim light. The bytes are shared:
// do not modify them.
func TrayIcon(state string) []byte {
	switch state {
	case api.StateOn:
		return trayOn
	case api.StateOff:
		return trayOff
	default:
		return trayDim
	}
}

// AppIcon is the 256x256 PNG that stands for Porchlight in launchers and
// window title bars. The bytes are shared: do not modify them.
func AppIcon() []byte { return appIcon }

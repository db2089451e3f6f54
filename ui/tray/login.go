package tray

import (
	"os"

	"github.com/porchlight/porchlight/app/api"
	"github.com/porchlight/porchlight/ui/autostart"
)

// setStartAtLogin switches "Start at login" on or off for the Porchlight of
// dataDir and returns whether it is on afterwards.
func setStartAtLogin(on bool, dataDir string) (bool, error) {
	if !on {
		if err := autostart.Disable(); err != nil {
			return autostartEnabled(), err
		}
		return autostartEnabled(), nil
	}
	program, err := autostart.Program()
	if err != nil {
		return autostartEnabled(), err
	}
	if err := autostart.Enable(program, loginArgs(dataDir)...); err != nil {
		return autostartEnabled(), err
	}
	return autostartEnabled(), nil
}

// loginArgs are the arguments Porchlight needs at login to come back for
// dataDir: none for the default one, else --data (a data dir chosen by flag
// or $PORCHLIGHT_DATA would be forgotten by the login session).
func loginArgs(dataDir string) []string {
	if def, err := api.DataDir(""); err == nil && def == dataDir && os.Getenv(api.DataDirEnv) == "" {
		return nil
	}
	return []string{"--data", dataDir}
}

func autostartEnabled() bool {
	on, _ := autostart.Enabled()
	return on
}

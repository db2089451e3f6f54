//go:build unix

package launcher

import (
	"os/exec"
	"syscall"
)

// detach puts the window in its own process group, so a Ctrl-C meant for
// the program that opened it does not close it too.
func detach(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

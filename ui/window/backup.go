package window

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// minPassphrase is what the core asks of a backup's passphrase (it checks
// again; this only saves a round trip).
const minPassphrase = 10

// askBackup asks for a passphrase twice and saves a backup of the
// resident's identity and friendships into their Documents folder.
func (w *Window) askBackup() {
	pass, again := widget.NewPasswordEntry(), widget.NewPasswordEntry()
	pass.SetPlaceHolder(fmt.Sprintf("at least %d characters", minPassphrase))
	problem := note("")
	problem.Importance = widget.WarningImportance
	problem.Hide()
	explain := caption("The backup keeps who you are and your friendships, locked with this passphrase. " +
		"Without the passphrase nobody can open it, you included: write it down.")
	explain.Wrapping = fyne.TextWrapWord
	var d *dialog.CustomDialog
	save := widget.NewButton("Save backup", nil)
	save.Importance = widget.HighImportance
	save.OnTapped = func() {
		switch {
		case len([]rune(pass.Text)) < minPassphrase:
			problem.SetText(fmt.Sprintf("The passphrase needs at least %d characters.", minPassphrase))
		case pass.Text != again.Text:
			problem.SetText("The two passphrases differ.")
		default:
			save.Disable()
			problem.Hide()
			passphrase := pass.Text
			w.call(func(ctx context.Context) { w.backUp(ctx, passphrase, d, save, problem) })
			return
		}
		problem.Show()
	}
	form := widget.NewForm(widget.NewFormItem("Passphrase", pass), widget.NewFormItem("Again", again))
	body := container.NewVBox(explain, form, problem)
	d = dialog.NewCustomWithoutButtons("Back up your friendships", body, w.win)
	d.SetButtons([]fyne.CanvasObject{widget.NewButton("Cancel", func() { d.Hide() }), save})
	d.Resize(fyne.NewSize(480, d.MinSize().Height))
	d.Show()
	w.win.Canvas().Focus(pass)
}

// backUp asks the core for the sealed backup and writes it next to the
// resident's documents.
func (w *Window) backUp(ctx context.Context, passphrase string, d *dialog.CustomDialog, save *widget.Button, problem *widget.Label) {
	b, err := w.client.ExportBackup(ctx, passphrase)
	w.lost(err)
	var path string
	if err == nil {
		path, err = saveBackup(documentsDir(), b.Data, time.Now())
	}
	fyne.Do(func() {
		save.Enable()
		if err != nil {
			problem.SetText(errorMessage("Could not save the backup", err))
			problem.Show()
			return
		}
		d.Hide()
		dialog.ShowInformation("Backup saved",
			fmt.Sprintf("Your identity and %d friendships are in\n%s\n\nKeep a copy somewhere other than this laptop.\nOn a new one, `porchlight restore` brings them back.", b.Friends, path),
			w.win)
	})
}

// saveBackup writes data into dir under a dated name that is free, readable
// by its owner only, and returns the path.
func saveBackup(dir string, data []byte, now time.Time) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	var claims destinations
	path := claims.claim(dir, "Porchlight backup "+now.Format("2006-01-02")+".plbackup")
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(path)
		return "", err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(path)
		return "", err
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return "", err
	}
	return filepath.Clean(path), nil
}

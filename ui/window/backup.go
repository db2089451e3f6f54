package window

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"github.com/porchlight/porchlight/app/api"
)

// minPassphrase is what the core asks of a backup's passphrase (it checks
// again; this only saves a round trip).
const minPassphrase = 10

// askBackup asks for a passphrase twice and saves a backup of the
// resident's identity and friendships into their Documents folder.
func (w *Window) askBackup() {
	pass, again := widget.NewPasswordEntry(), widget.NewPasswordEntry()
	pass.SetPlaceHolder(fmt.Sprintf("at least %d characters", minPassphrase))
	problem := warning()
	explain := smallNote("The backup keeps who you are and your friendships, locked with this passphrase. " +
		"Without the passphrase nobody can open it, you included: write it down.")
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

// maxBackupFile bounds what the window reads as a backup: a real one is a
// few kilobytes per friend.
const maxBackupFile = 16 << 20

// askRestore asks for a backup file and its passphrase, for a resident
// moving to this computer: the core, which has no friends yet, becomes who
// the backup keeps and starts again.
func (w *Window) askRestore() {
	path := widget.NewEntry()
	path.SetPlaceHolder("the .plbackup file")
	pass := widget.NewPasswordEntry()
	problem := warning()
	choose := widget.NewButton("Choose…", func() {
		open := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
			if err == nil && r != nil {
				path.SetText(r.URI().Path())
				r.Close()
			}
		}, w.win)
		open.SetFilter(storage.NewExtensionFileFilter([]string{".plbackup"}))
		if dir, err := storage.ListerForURI(storage.NewFileURI(documentsDir())); err == nil {
			open.SetLocation(dir)
		}
		open.Show()
	})
	explain := smallNote("Moving from another computer? Your backup brings back who you are and your friendships. " +
		"This works while this Porchlight has no friends yet.")
	var d *dialog.CustomDialog
	restore := widget.NewButton("Restore", nil)
	restore.Importance = widget.HighImportance
	restore.OnTapped = func() {
		file, passphrase := strings.TrimSpace(path.Text), pass.Text
		if file == "" || passphrase == "" {
			problem.SetText("Choose the backup file and type its passphrase.")
			problem.Show()
			return
		}
		restore.Disable()
		problem.Hide()
		w.call(func(ctx context.Context) { w.restore(ctx, file, passphrase, d, restore, problem) })
	}
	form := widget.NewForm(
		widget.NewFormItem("Backup", container.NewBorder(nil, nil, nil, choose, path)),
		widget.NewFormItem("Passphrase", pass))
	d = dialog.NewCustomWithoutButtons("Restore from a backup", container.NewVBox(explain, form, problem), w.win)
	d.SetButtons([]fyne.CanvasObject{widget.NewButton("Cancel", func() { d.Hide() }), restore})
	d.Resize(fyne.NewSize(520, d.MinSize().Height))
	d.Show()
}

// restore reads the backup file and hands it to the core.
func (w *Window) restore(ctx context.Context, file, passphrase string, d *dialog.CustomDialog, restore *widget.Button, problem *widget.Label) {
	data, err := readBackupFile(file)
	var got api.Restored
	if err == nil {
		got, err = w.client.RestoreBackup(ctx, passphrase, data)
		w.lost(err)
	}
	fyne.Do(func() {
		restore.Enable()
		if err != nil {
			problem.SetText(errorMessage("Could not restore", err))
			problem.Show()
			return
		}
		d.Hide()
		w.home.nameBox.Hide()
		dialog.ShowInformation("Welcome back, "+got.Name,
			fmt.Sprintf("Your %d friendships are back. Porchlight starts again as you;\nthis window reconnects by itself.\nShare your folders again from this computer.", got.Friends),
			w.win)
	})
}

// readBackupFile reads a backup, refusing what is too big to be one.
func readBackupFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxBackupFile+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxBackupFile {
		return nil, fmt.Errorf("%s is too big to be a Porchlight backup", filepath.Base(path))
	}
	return data, nil
}

// Package tray is the porch light in the desktop's notification area
// (github.com/getlantern/systray). Its icon and status line follow the
// core's event stream; its menu opens the window at a view (see
// ui/launcher) or quits. Like every user interface it is only a client of
// the local API (app/api), never of the core itself.
package tray

import (
	"context"
	"log/slog"

	"github.com/getlantern/systray"

	"github.com/porchlight/porchlight/app/api"
	"github.com/porchlight/porchlight/assets"
	"github.com/porchlight/porchlight/ui/autostart"
	"github.com/porchlight/porchlight/ui/launcher"
	"github.com/porchlight/porchlight/ui/notify"
)

// Config is what the tray needs from the program that shows it.
type Config struct {
	// DataDir is the core's data dir, handed on to the window.
	DataDir string
	// Client talks to the core's local API.
	Client *api.Client
	// Quit is called when the resident picks Quit. It stops the core and
	// ends the context given to Run, which takes the tray down.
	Quit func()
	// Logger receives what goes wrong; nil discards it.
	Logger *slog.Logger
}

// Run shows the tray until ctx ends. GTK and Cocoa want the main thread, so
// call it from main with the OS thread locked (runtime.LockOSThread in an
// init), and only when launcher.HasDisplay says there is a desktop.
func Run(ctx context.Context, cfg Config) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	t := &tray{cfg: cfg}
	go func() {
		<-ctx.Done()
		systray.Quit()
	}()
	systray.Run(func() { t.serve(ctx) }, nil)
}

type tray struct {
	cfg    Config
	status *systray.MenuItem
	pause  *systray.MenuItem
	shown  shown
}

// shown is what the tray last drew, to skip redrawing the same.
type shown struct {
	line, icon string
}

// menu item labels, read by the desktop (and by the tests over D-Bus).
const (
	labelOpen   = "Open Porchlight"
	labelInvite = "Invite a friend…"
	labelAccept = "Accept an invite…"
	labelShare  = "Share a folder…"
	labelLogin  = "Start at login"
	labelPause  = "Pause sharing"
	labelQuit   = "Quit"
)

// serve builds the menu, then follows the core and answers clicks until
// ctx ends or the resident quits.
func (t *tray) serve(ctx context.Context) {
	t.status = systray.AddMenuItem("", "")
	t.status.Disable()
	t.show(nil)
	open := systray.AddMenuItem(labelOpen, "Open the Porchlight window")
	invite := systray.AddMenuItem(labelInvite, "Make an invite for a friend")
	accept := systray.AddMenuItem(labelAccept, "Accept an invite a friend sent you")
	share := systray.AddMenuItem(labelShare, "Share a folder with your friends")
	systray.AddSeparator()
	folks := newPeople(t.cfg.Logger, t.openAt)
	systray.AddSeparator()
	t.pause = systray.AddMenuItemCheckbox(labelPause, "Stop sharing for now: friends are told it is paused", false)
	var login *systray.MenuItem
	var loginClicked chan struct{} // nil, so never ready, without the item
	if autostart.Supported() {
		login = systray.AddMenuItemCheckbox(labelLogin, "Start Porchlight, in the tray, when you log in", autostartEnabled())
		loginClicked = login.ClickedCh
	}
	quit := systray.AddMenuItem(labelQuit, "Stop sharing and close Porchlight")

	notices := []func(api.Event){folks.wanted}
	go folks.serve(ctx, t.cfg.Client)
	if n, err := notify.New(); err == nil {
		defer n.Close()
		notices = append(notices, func(ev api.Event) {
			if err := n.Event(ev); err != nil {
				t.cfg.Logger.Debug("desktop notification not shown", "err", err)
			}
		})
	} else {
		t.cfg.Logger.Info("no desktop notifications", "err", err)
	}
	go follow(ctx, t.cfg.Client, t.show, t.cfg.Logger, notices...)
	for {
		select {
		case <-open.ClickedCh:
			t.open(launcher.ViewHome)
		case <-invite.ClickedCh:
			t.open(launcher.ViewInvite)
		case <-accept.ClickedCh:
			t.open(launcher.ViewAccept)
		case <-share.ClickedCh:
			t.open(launcher.ViewShare)
		case <-loginClicked:
			t.switchLogin(login)
		case <-t.pause.ClickedCh:
			t.switchPause(ctx)
		case <-quit.ClickedCh:
			t.cfg.Quit()
			return
		case <-ctx.Done():
			return
		}
	}
}

// switchLogin turns "Start at login" over and ticks the item to match what
// the autostart folder holds afterwards.
func (t *tray) switchLogin(item *systray.MenuItem) {
	on, err := setStartAtLogin(!item.Checked(), t.cfg.DataDir)
	if err != nil {
		t.cfg.Logger.Error("start at login", "err", err)
	}
	if on {
		item.Check()
	} else {
		item.Uncheck()
	}
}

func (t *tray) open(view string) { t.openAt(view, "") }

// openAt opens the window at view, with link (see launcher.Open).
func (t *tray) openAt(view, link string) {
	if err := launcher.Open(t.cfg.DataDir, view, link); err != nil {
		t.cfg.Logger.Error("open the window", "view", view, "err", err)
	}
}

// show draws a status: the icon, the tooltip and the status line. A nil
// status means the core has not answered yet. Only follow calls it, after
// serve has drawn the first one, so calls never overlap.
// switchPause pauses or resumes all sharing; the item's tick follows the
// status the core then reports.
func (t *tray) switchPause(ctx context.Context) {
	paused := !t.pause.Checked()
	if err := t.cfg.Client.UpdateSettings(ctx, api.Settings{Paused: &paused}); err != nil {
		t.cfg.Logger.Warn("pause sharing", "err", err)
	}
}

func (t *tray) show(st *api.Status) {
	if st != nil && t.pause != nil {
		if paused := st.State == api.StateOff; paused != t.pause.Checked() {
			if paused {
				t.pause.Check()
			} else {
				t.pause.Uncheck()
			}
		}
	}
	next := shown{line: statusLine(st), icon: iconState(st)}
	if next == t.shown {
		return
	}
	if next.icon != t.shown.icon {
		systray.SetIcon(assets.TrayIcon(next.icon))
	}
	t.status.SetTitle(next.line)
	systray.SetTooltip("Porchlight: " + next.line)
	t.shown = next
}

// Package notify tells the resident what happened while the window is
// closed: desktop notifications (org.freedesktop.Notifications on the
// session bus) for the core's events that want an answer or a glance.
package notify

import (
	"fmt"
	"path/filepath"
	"sync"

	"github.com/godbus/dbus/v5"

	"github.com/porchlight/porchlight/app/api"
)

const (
	service = "org.freedesktop.Notifications"
	path    = "/org/freedesktop/Notifications"
)

// Notifier sends desktop notifications.
type Notifier struct {
	conn *dbus.Conn

	mu   sync.Mutex
	sent map[string]bool // what was already said, so a repeated event says nothing
}

// New connects to the session bus.
func New() (*Notifier, error) {
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		return nil, fmt.Errorf("connect to the session bus: %w", err)
	}
	return &Notifier{conn: conn, sent: map[string]bool{}}, nil
}

// Close disconnects.
func (n *Notifier) Close() error { return n.conn.Close() }

// Send shows one notification.
func (n *Notifier) Send(summary, body string) error {
	call := n.conn.Object(service, path).Call(service+".Notify", 0,
		"Porchlight", uint32(0), "porchlight", summary, body, []string{}, map[string]dbus.Variant{}, int32(-1))
	if call.Err != nil {
		return fmt.Errorf("notify: %w", call.Err)
	}
	return nil
}

// Event notifies about ev if it deserves it, once.
func (n *Notifier) Event(ev api.Event) error {
	key, summary, body, ok := Message(ev)
	if !ok {
		return nil
	}
	n.mu.Lock()
	seen := n.sent[key]
	n.sent[key] = true
	n.mu.Unlock()
	if seen {
		return nil
	}
	return n.Send(summary, body)
}

// Message says what to tell the resident about ev: a key naming the
// occasion (to say it once), a summary and a body.
func Message(ev api.Event) (key, summary, body string, ok bool) {
	switch {
	case ev.Request != nil && ev.Request.State == api.RequestConfirm && !ev.Request.Outgoing:
		r := ev.Request
		return "request/" + r.ID, r.PeerName + " asks to be friends",
			fmt.Sprintf("Check that %s's screen shows %s, then confirm in Porchlight.", r.PeerName, r.Code), true
	case ev.Newcomer != nil && ev.Newcomer.State == "waiting":
		nc := ev.Newcomer
		return "newcomer/" + nc.ID, nc.Name + " wants to come in",
			fmt.Sprintf("%s (%s) used your invite. Let them in, or not, from Porchlight.", nc.Name, nc.ShortID), true
	case ev.Join != nil && ev.Join.State == "done":
		return "join/" + ev.Join.InviteID, "You and " + ev.Join.InviterName + " are friends now",
			"You can see what " + ev.Join.InviterName + " shares with you in Porchlight.", true
	case ev.Transfer != nil && ev.Transfer.State == api.TransferDone:
		t := ev.Transfer
		if t.Kind == api.TransferUpload {
			return "transfer/" + t.ID, "Sent to " + t.Friend, filepath.Base(t.Dest) + " is in " + t.Friend + "'s " + t.Share + ".", true
		}
		return "transfer/" + t.ID, "Download finished", filepath.Base(t.Dest) + " from " + t.Friend + " is ready.", true
	case ev.Transfer != nil && ev.Transfer.State == api.TransferFailed:
		t := ev.Transfer
		return "transfer/" + t.ID, "A transfer stopped", filepath.Base(t.Dest) + ": " + t.Error, true
	}
	return "", "", "", false
}

package notify_test

import (
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/porchlight/porchlight/app/api"
	"github.com/porchlight/porchlight/test/desktoptest"
	"github.com/porchlight/porchlight/ui/notify"
)

func TestMessage(t *testing.T) {
	cases := []struct {
		name string
		ev   api.Event
		want string // summary, "" for none
	}{
		{"incoming request", api.Event{Request: &api.Request{ID: "r1", PeerName: "Ben", Code: "123 456", State: api.RequestConfirm}}, "Ben asks to be friends"},
		{"our own request", api.Event{Request: &api.Request{ID: "r2", PeerName: "Ben", State: api.RequestConfirm, Outgoing: true}}, ""},
		{"newcomer", api.Event{Newcomer: &api.Newcomer{ID: "n", Name: "Cas", State: "waiting"}}, "Cas wants to come in"},
		{"answered newcomer", api.Event{Newcomer: &api.Newcomer{ID: "n", Name: "Cas", State: "admitted"}}, ""},
		{"friends", api.Event{Join: &api.Join{InviteID: "i", InviterName: "Ana", State: "done"}}, "You and Ana are friends now"},
		{"download", api.Event{Transfer: &api.Transfer{ID: "t", Kind: api.TransferDownload, Dest: "/h/a.jpg", State: api.TransferDone}}, "Download finished"},
		{"running", api.Event{Transfer: &api.Transfer{ID: "t", State: api.TransferRunning}}, ""},
		{"status", api.Event{Type: api.EventStatus, Status: &api.Status{}}, ""},
	}
	for _, c := range cases {
		_, summary, _, ok := notify.Message(c.ev)
		if summary != c.want || ok != (c.want != "") {
			t.Errorf("%s: %q, %v; want %q", c.name, summary, ok, c.want)
		}
	}
}

// notifications is a stand-in notification server on the test's own bus.
type notifications struct{ got chan string }

func (n notifications) Notify(app string, id uint32, icon, summary, body string, actions []string, hints map[string]dbus.Variant, timeout int32) (uint32, *dbus.Error) {
	n.got <- summary + ": " + body
	return 1, nil
}

func TestSendsOverDBus(t *testing.T) {
	if m := desktoptest.Missing(); len(m) > 0 {
		t.Skipf("needs %v", m)
	}
	d := desktoptest.Start(t, t.TempDir())
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", d.Bus)
	server, err := dbus.Connect(d.Bus)
	if err != nil {
		t.Fatal(err)
	}
	defer server.Close()
	srv := notifications{got: make(chan string, 4)}
	server.Export(srv, "/org/freedesktop/Notifications", "org.freedesktop.Notifications")
	if reply, err := server.RequestName("org.freedesktop.Notifications", dbus.NameFlagDoNotQueue); err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("own the name: %v %v", reply, err)
	}
	n, err := notify.New()
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	ev := api.Event{Newcomer: &api.Newcomer{ID: "x", Name: "Cas", ShortID: "ABCD-EFGH", State: "waiting"}}
	for range 2 { // said once, however often the event comes
		if err := n.Event(ev); err != nil {
			t.Fatal(err)
		}
	}
	select {
	case got := <-srv.got:
		if got != "Cas wants to come in: Cas (ABCD-EFGH) used your invite. Let them in, or not, from Porchlight." {
			t.Fatalf("notified %q", got)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no notification arrived")
	}
	select {
	case got := <-srv.got:
		t.Fatalf("notified twice: %q", got)
	case <-time.After(200 * time.Millisecond):
	}
}

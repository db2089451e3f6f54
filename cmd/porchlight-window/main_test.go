package main

import (
	"io"
	"os"
	"testing"
	"time"

	"github.com/porchlight/porchlight/app/api"
	"github.com/porchlight/porchlight/ui/window/instance"
)

// A second start hands its view and link to the open window and exits,
// without opening a window of its own.
func TestSecondStartForwardsToOpenWindow(t *testing.T) {
	dir, err := os.MkdirTemp("", "plw")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	l, err := instance.Listen(api.WindowSocketPath(dir))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	got := make(chan instance.Request, 4)
	go l.Serve(func(r instance.Request) { got <- r })

	tests := []struct {
		args []string
		want instance.Request
	}{
		{[]string{"--data", dir, "--view", "invite"}, instance.Request{View: "invite"}},
		{[]string{"--data", dir, "porchlight://invite#x"}, instance.Request{View: "accept", Link: "porchlight://invite#x"}},
		{[]string{"--data", dir, "--view", "share", "/home/ana/Music"}, instance.Request{View: "share", Link: "/home/ana/Music"}},
		{[]string{"--data", dir}, instance.Request{View: "home"}},
	}
	for _, tt := range tests {
		if err := run(tt.args, io.Discard); err != nil {
			t.Fatalf("run %q: %v", tt.args, err)
		}
		select {
		case r := <-got:
			if r != tt.want {
				t.Errorf("run %q forwarded %+v, want %+v", tt.args, r, tt.want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("run %q forwarded nothing", tt.args)
		}
	}
}

func TestBadFlag(t *testing.T) {
	if err := run([]string{"--colour", "red"}, io.Discard); err == nil {
		t.Fatal("an unknown flag was accepted")
	}
}

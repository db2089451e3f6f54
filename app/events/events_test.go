package events

import (
	"testing"

	"github.com/porchlight/porchlight/app/api"
)

func TestPublishReachesSubscribers(t *testing.T) {
	b := New()
	a, cancelA := b.Subscribe()
	c, cancelC := b.Subscribe()
	defer cancelA()
	b.Publish(api.Event{Type: api.EventFriend})
	cancelC()
	b.Publish(api.Event{Type: api.EventShare})
	if ev := <-a; ev.Type != api.EventFriend || ev.Time.IsZero() {
		t.Fatalf("first event %+v", ev)
	}
	if ev := <-a; ev.Type != api.EventShare {
		t.Fatalf("second event %+v", ev)
	}
	if ev, ok := <-c; !ok || ev.Type != api.EventFriend {
		t.Fatalf("cancelled subscriber got %+v %v", ev, ok)
	}
	if _, ok := <-c; ok {
		t.Fatal("cancelled subscriber still open")
	}
}

func TestSlowSubscriberDropped(t *testing.T) {
	b := New()
	slow, cancel := b.Subscribe()
	defer cancel()
	for i := 0; i < 1000; i++ {
		b.Publish(api.Event{Type: api.EventTransfer})
	}
	n := 0
	for range slow {
		n++
	}
	if n == 0 || n >= 1000 {
		t.Fatalf("slow subscriber received %d events before being dropped", n)
	}
}

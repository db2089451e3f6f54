package app

import (
	"context"
	"errors"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"
)

// TestSuperviseStartsAFailedServiceAgain: a service that fails is started
// again, with growing waits, until it keeps running; when the core stops,
// so does supervision.
func TestSuperviseStartsAFailedServiceAgain(t *testing.T) {
	superviseMin, superviseMax = time.Millisecond, 8*time.Millisecond
	t.Cleanup(func() { superviseMin, superviseMax = time.Second, time.Minute })
	a := &App{log: slog.New(slog.DiscardHandler)}
	ctx, cancel := context.WithCancel(context.Background())
	var runs atomic.Int32
	healthy := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		a.supervise(ctx, "flaky", func(ctx context.Context) error {
			if runs.Add(1) < 4 {
				return errors.New("interface gone")
			}
			close(healthy)
			<-ctx.Done()
			return nil
		})
	}()
	select {
	case <-healthy:
	case <-time.After(5 * time.Second):
		t.Fatalf("the service ran %d times and never stayed up", runs.Load())
	}
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("supervise did not return when the core stopped")
	}
	if got := runs.Load(); got != 4 {
		t.Errorf("the service ran %d times, want 4 (three failures, then up)", got)
	}
}

package tray

import (
	"context"
	"log/slog"
	"time"

	"github.com/porchlight/porchlight/app/api"
)

// Reconnection backoff for the event stream.
const (
	minRetry = 100 * time.Millisecond
	maxRetry = 5 * time.Second
)

// follow keeps show in step with the core's event stream until ctx ends,
// reconnecting with backoff when the stream breaks. It shows nil while the
// core does not answer. Every event also goes to each of also.
func follow(ctx context.Context, c *api.Client, show func(*api.Status), log *slog.Logger, also ...func(api.Event)) {
	wait := minRetry
	for {
		err := c.Events(ctx, func(ev api.Event) error {
			for _, fn := range also {
				fn(ev)
			}
			switch {
			case ev.Status != nil:
				show(ev.Status)
				wait = minRetry
			case ev.Type == api.EventFriend:
				// The friend count in the status line may have changed.
				if st, err := c.Status(ctx); err == nil {
					show(&st)
				}
			}
			return nil
		})
		if ctx.Err() != nil {
			return
		}
		show(nil)
		log.Debug("event stream broke; reconnecting", "err", err, "in", wait)
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = min(2*wait, maxRetry)
	}
}

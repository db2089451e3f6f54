package relay

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/porchlight/porchlight/signaling/wire"
)

func TestMailboxes(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	a, b := wire.Address{1}, wire.Address{2}
	env := func(to wire.Address, id string, size int) *envelope {
		return &envelope{to: to, id: id, size: size}
	}
	type step struct {
		put     *envelope
		ack     string // id to ack at a
		at      time.Duration
		wantErr error
		wantNew bool
	}
	tests := []struct {
		name    string
		limits  mailboxLimits
		steps   []step
		wantA   []string // ids pending at a after the steps
		wantB   []string
		wantLen int
	}{
		{
			name:   "duplicate stored once",
			limits: mailboxLimits{envelopes: 8, bytes: 100, maxAge: time.Hour, totalBytes: 1000},
			steps: []step{
				{put: env(a, "m1", 10), wantNew: true},
				{put: env(a, "m1", 10)},
				{put: env(b, "m1", 10), wantNew: true}, // ids are per address
			},
			wantA: []string{"m1"}, wantB: []string{"m1"}, wantLen: 2,
		},
		{
			name:   "count and bytes per address",
			limits: mailboxLimits{envelopes: 2, bytes: 25, maxAge: time.Hour, totalBytes: 1000},
			steps: []step{
				{put: env(a, "m1", 10), wantNew: true},
				{put: env(a, "m2", 10), wantNew: true},
				{put: env(a, "m3", 1), wantErr: wire.ErrMailboxFull},
				{put: env(b, "big", 26), wantErr: wire.ErrMailboxFull},
				{put: env(b, "n1", 20), wantNew: true},
				{put: env(b, "n2", 10), wantErr: wire.ErrMailboxFull},
			},
			wantA: []string{"m1", "m2"}, wantB: []string{"n1"}, wantLen: 3,
		},
		{
			name:   "ack frees room",
			limits: mailboxLimits{envelopes: 1, bytes: 100, maxAge: time.Hour, totalBytes: 1000},
			steps: []step{
				{put: env(a, "m1", 10), wantNew: true},
				{ack: "m1"},
				{put: env(a, "m2", 10), wantNew: true},
			},
			wantA: []string{"m2"}, wantLen: 1,
		},
		{
			name:   "expire after max age",
			limits: mailboxLimits{envelopes: 8, bytes: 100, maxAge: time.Hour, totalBytes: 1000},
			steps: []step{
				{put: env(a, "old", 10), wantNew: true},
				{put: env(b, "newer", 10), at: 30 * time.Minute, wantNew: true},
				{put: env(b, "newest", 10), at: 61 * time.Minute, wantNew: true},
			},
			wantB: []string{"newer", "newest"}, wantLen: 2,
		},
		{
			name:   "global limit evicts the oldest",
			limits: mailboxLimits{envelopes: 8, bytes: 100, maxAge: time.Hour, totalBytes: 30},
			steps: []step{
				{put: env(a, "m1", 10), wantNew: true},
				{put: env(a, "m2", 10), wantNew: true},
				{put: env(b, "n1", 10), wantNew: true},
				{put: env(b, "n2", 15), wantNew: true}, // 45 bytes: m1 and m2 go
			},
			wantB: []string{"n1", "n2"}, wantLen: 2,
		},
		{
			name:   "eviction empties the address being stored to",
			limits: mailboxLimits{envelopes: 8, bytes: 100, maxAge: time.Hour, totalBytes: 20},
			steps: []step{
				{put: env(a, "m1", 20), wantNew: true},
				{put: env(a, "m2", 20), wantNew: true},
			},
			wantA: []string{"m2"}, wantLen: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newMailboxes(tt.limits)
			for i, s := range tt.steps {
				if s.ack != "" {
					if !m.ack(a, s.ack) {
						t.Fatalf("step %d: ack %s found nothing", i, s.ack)
					}
					continue
				}
				stored, err := m.put(s.put, t0.Add(s.at))
				if !errors.Is(err, s.wantErr) || stored != s.wantNew {
					t.Fatalf("step %d: put %s = %v, %v; want %v, %v", i, s.put.id, stored, err, s.wantNew, s.wantErr)
				}
			}
			now := t0.Add(tt.steps[len(tt.steps)-1].at)
			for addr, want := range map[wire.Address][]string{a: tt.wantA, b: tt.wantB} {
				var got []string
				for _, e := range m.pending(addr, now) {
					got = append(got, e.id)
				}
				if !slices.Equal(got, want) {
					t.Errorf("pending at %x = %v, want %v", addr[0], got, want)
				}
			}
			n, bytes := m.len()
			if n != tt.wantLen || bytes > tt.limits.totalBytes {
				t.Errorf("len = %d envelopes, %d bytes; want %d envelopes", n, bytes, tt.wantLen)
			}
		})
	}
}

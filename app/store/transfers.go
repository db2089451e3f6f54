package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Transfer is a download or upload, remembered so that it resumes after a
// restart.
type Transfer struct {
	ID       string
	Kind     string // "download" or "upload"
	FriendID string
	Share    string
	Path     string // in the friend's share
	Local    string // the local file: destination or source
	State    string
	Bytes    int64
	Size     int64
	ETag     string // the remote file's version, so a resume never mixes two
	Error    string
	Created  time.Time
}

const transferColumns = `id, kind, friend_id, share, path, local, state, bytes, size, etag, error, created_at`

// SaveTransfer inserts or updates a transfer.
func (s *Store) SaveTransfer(ctx context.Context, t Transfer) error {
	now := s.now().UnixNano()
	if t.Created.IsZero() {
		t.Created = s.now()
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO transfers (`+transferColumns+`, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET state = excluded.state, bytes = excluded.bytes, size = excluded.size,
			etag = excluded.etag, error = excluded.error, updated_at = excluded.updated_at`,
		t.ID, t.Kind, t.FriendID, t.Share, t.Path, t.Local, t.State, t.Bytes, t.Size, t.ETag, t.Error, t.Created.UnixNano(), now)
	if err != nil {
		return fmt.Errorf("save transfer %s: %w", t.ID, err)
	}
	return nil
}

func scanTransfer(r scanner) (Transfer, error) {
	var t Transfer
	var created int64
	err := r.Scan(&t.ID, &t.Kind, &t.FriendID, &t.Share, &t.Path, &t.Local, &t.State, &t.Bytes, &t.Size, &t.ETag, &t.Error, &created)
	t.Created = time.Unix(0, created)
	return t, err
}

// Transfers lists transfers, newest first.
func (s *Store) Transfers(ctx context.Context) ([]Transfer, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+transferColumns+` FROM transfers ORDER BY created_at DESC, id DESC`)
	if err != nil {
		return nil, fmt.Errorf("list transfers: %w", err)
	}
	defer rows.Close()
	var out []Transfer
	for rows.Next() {
		t, err := scanTransfer(rows)
		if err != nil {
			return nil, fmt.Errorf("list transfers: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// Transfer returns one transfer.
func (s *Store) Transfer(ctx context.Context, id string) (Transfer, error) {
	t, err := scanTransfer(s.db.QueryRowContext(ctx, `SELECT `+transferColumns+` FROM transfers WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return t, fmt.Errorf("transfer %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return t, fmt.Errorf("read transfer %s: %w", id, err)
	}
	return t, nil
}

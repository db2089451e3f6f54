package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Join states, on the side of the resident who accepted an invite.
const (
	JoinWaiting = "waiting" // join request sent, no answer yet
	JoinDone    = "done"    // welcomed: the inviter is a friend
	JoinRefused = "refused" // the inviter refused (used, expired, withdrawn)
)

// Join is an invite this resident accepted, kept until the inviter answers
// so that retries survive a restart.
type Join struct {
	InviteID    string
	Link        string
	InviterID   string
	InviterName string
	State       string
	Error       string
	Created     time.Time
	Updated     time.Time
}

const joinColumns = `invite_id, link, inviter_id, inviter_name, state, error, created_at, updated_at`

// AddJoin records an accepted invite; accepting the same invite again keeps
// the existing record unless it was refused.
func (s *Store) AddJoin(ctx context.Context, j Join) error {
	now := s.now().UnixNano()
	_, err := s.db.ExecContext(ctx, `INSERT INTO joins (`+joinColumns+`) VALUES (?, ?, ?, ?, ?, '', ?, ?)
		ON CONFLICT(invite_id) DO UPDATE SET state = excluded.state, error = '', updated_at = excluded.updated_at
		WHERE joins.state = 'refused'`,
		j.InviteID, j.Link, j.InviterID, j.InviterName, JoinWaiting, now, now)
	if err != nil {
		return fmt.Errorf("record join %s: %w", j.InviteID, err)
	}
	return nil
}

// Joins lists accepted invites, newest first.
func (s *Store) Joins(ctx context.Context) ([]Join, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+joinColumns+` FROM joins ORDER BY created_at DESC`)
	if err != nil {
		return nil, fmt.Errorf("list joins: %w", err)
	}
	defer rows.Close()
	var out []Join
	for rows.Next() {
		var j Join
		var c, u int64
		if err := rows.Scan(&j.InviteID, &j.Link, &j.InviterID, &j.InviterName, &j.State, &j.Error, &c, &u); err != nil {
			return nil, fmt.Errorf("list joins: %w", err)
		}
		j.Created, j.Updated = time.Unix(0, c), time.Unix(0, u)
		out = append(out, j)
	}
	return out, rows.Err()
}

// CompleteJoin makes the inviter a friend and closes the join, in one
// transaction.
func (s *Store) CompleteJoin(ctx context.Context, inviteID string, inviter Friend) error {
	now := s.now()
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := insertFriend(ctx, tx, inviter, now); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE joins SET state = ?, error = '', updated_at = ? WHERE invite_id = ?`, JoinDone, now.UnixNano(), inviteID)
		return err
	})
	if err != nil {
		return fmt.Errorf("complete join %s: %w", inviteID, err)
	}
	return nil
}

// RefuseJoin records the inviter's refusal.
func (s *Store) RefuseJoin(ctx context.Context, inviteID, reason string) error {
	_, err := s.db.ExecContext(ctx, `UPDATE joins SET state = ?, error = ?, updated_at = ? WHERE invite_id = ? AND state = ?`,
		JoinRefused, reason, s.now().UnixNano(), inviteID, JoinWaiting)
	if err != nil {
		return fmt.Errorf("refuse join %s: %w", inviteID, err)
	}
	return nil
}

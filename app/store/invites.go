package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/porchlight/porchlight/app/invite"
)

// Reasons a redemption is refused.
var (
	ErrInviteUsed    = errors.New("this invite has already been used")
	ErrInviteExpired = errors.New("this invite has expired")
	ErrInviteRevoked = errors.New("this invite was withdrawn")
)

// Invite is an invitation the resident made.
type Invite struct {
	ID      string
	Secret  []byte
	Label   string
	Offer   invite.Offer
	Created time.Time
	Expires time.Time
	MaxUses int
	Uses    int
	Revoked bool
	// Confirm asks the inviter to let each newcomer in by hand.
	Confirm bool
}

const inviteColumns = `id, secret, label, offer, created_at, expires_at, max_uses, uses, revoked, confirm`

func scanInvite(r scanner) (Invite, error) {
	var inv Invite
	var offer string
	var created, expires int64
	if err := r.Scan(&inv.ID, &inv.Secret, &inv.Label, &offer, &created, &expires, &inv.MaxUses, &inv.Uses, &inv.Revoked, &inv.Confirm); err != nil {
		return inv, err
	}
	inv.Created, inv.Expires = time.Unix(0, created), time.Unix(0, expires)
	if err := json.Unmarshal([]byte(offer), &inv.Offer); err != nil {
		return inv, fmt.Errorf("decode offer of invite %s: %w", inv.ID, err)
	}
	return inv, nil
}

// CreateInvite stores a new invitation.
func (s *Store) CreateInvite(ctx context.Context, inv Invite) error {
	offer, err := json.Marshal(inv.Offer)
	if err != nil {
		return fmt.Errorf("create invite: %w", err)
	}
	if inv.MaxUses < 1 {
		inv.MaxUses = 1
	}
	_, err = s.db.ExecContext(ctx, `INSERT INTO invites (`+inviteColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, ?)`,
		inv.ID, inv.Secret, inv.Label, string(offer), s.now().UnixNano(), inv.Expires.UnixNano(), inv.MaxUses, inv.Confirm)
	if err != nil {
		return fmt.Errorf("create invite: %w", err)
	}
	return nil
}

// Invites lists the resident's invitations, newest first.
func (s *Store) Invites(ctx context.Context) ([]Invite, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+inviteColumns+` FROM invites ORDER BY created_at DESC`)
	if err != nil {
		return nil, fmt.Errorf("list invites: %w", err)
	}
	defer rows.Close()
	var out []Invite
	for rows.Next() {
		inv, err := scanInvite(rows)
		if err != nil {
			return nil, fmt.Errorf("list invites: %w", err)
		}
		out = append(out, inv)
	}
	return out, rows.Err()
}

// Invite returns one invitation by ID.
func (s *Store) Invite(ctx context.Context, id string) (Invite, error) {
	inv, err := scanInvite(s.db.QueryRowContext(ctx, `SELECT `+inviteColumns+` FROM invites WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return inv, fmt.Errorf("invite %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return inv, fmt.Errorf("read invite %s: %w", id, err)
	}
	return inv, nil
}

// Redeem admits joiner through the invite, checking in one transaction that
// it exists, is not withdrawn or expired, and has uses left. A joiner who
// already redeemed it gets their existing friendship back (join requests are
// retried), and created is false.
func (s *Store) Redeem(ctx context.Context, inviteID string, joiner Friend) (friend Friend, created bool, err error) {
	now := s.now()
	err = s.tx(ctx, func(tx *sql.Tx) error {
		inv, err := scanInvite(tx.QueryRowContext(ctx, `SELECT `+inviteColumns+` FROM invites WHERE id = ?`, inviteID))
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("invite %s: %w", inviteID, ErrNotFound)
		}
		if err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM redemptions WHERE invite_id = ? AND friend_id = ?`, inviteID, joiner.ID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			friend, err = scanFriend(tx.QueryRowContext(ctx, `SELECT `+friendColumns+` FROM friends WHERE id = ?`, joiner.ID))
			return err
		}
		switch {
		case inv.Revoked:
			return ErrInviteRevoked
		case now.After(inv.Expires):
			return ErrInviteExpired
		case inv.Uses >= inv.MaxUses:
			return ErrInviteUsed
		}
		if existing, err := scanFriend(tx.QueryRowContext(ctx, `SELECT `+friendColumns+` FROM friends WHERE id = ?`, joiner.ID)); err == nil {
			joiner.Secret = existing.Secret // already friends by another way: keep the friendship
		}
		if err := insertFriend(ctx, tx, joiner, now); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO redemptions (invite_id, friend_id, redeemed_at) VALUES (?, ?, ?)`, inviteID, joiner.ID, now.UnixNano()); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE invites SET uses = uses + 1 WHERE id = ?`, inviteID); err != nil {
			return err
		}
		friend, created = joiner, true
		return nil
	})
	if err != nil {
		return Friend{}, false, fmt.Errorf("redeem invite %s: %w", inviteID, err)
	}
	return friend, created, nil
}

// RevokeInvite withdraws an invitation; later join requests are refused.
func (s *Store) RevokeInvite(ctx context.Context, id string) error {
	res, err := s.db.ExecContext(ctx, `UPDATE invites SET revoked = 1 WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("revoke invite %s: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("revoke invite %s: %w", id, ErrNotFound)
	}
	return nil
}

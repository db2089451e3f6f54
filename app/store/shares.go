package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/porchlight/porchlight/services/share"
)

// ErrExists reports a name already taken.
var ErrExists = errors.New("already exists")

var _ share.Catalog = (*Store)(nil)

// Share is a shared folder with the resident's choices about it.
type Share struct {
	share.Folder
	Paused  bool
	Friends []string // IDs of the chosen friends, when Audience is chosen
}

// AddShare stores a shared folder and, for a chosen audience, who may use it.
func (s *Store) AddShare(ctx context.Context, sh Share) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO shares (name, path, audience, mode, paused, created_at) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT(name) DO NOTHING`, sh.Name, sh.Path, string(sh.Audience), string(sh.Mode), sh.Paused, s.now().UnixNano())
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("a share with that name %w", ErrExists)
		}
		return setGrants(ctx, tx, sh.Name, sh.Friends)
	})
	if err != nil {
		return fmt.Errorf("add share %q: %w", sh.Name, err)
	}
	return nil
}

// UpdateShare changes a share's mode, audience, chosen friends and pause.
func (s *Store) UpdateShare(ctx context.Context, sh Share) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE shares SET audience = ?, mode = ?, paused = ? WHERE name = ?`,
			string(sh.Audience), string(sh.Mode), sh.Paused, sh.Name)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return share.ErrNotFound
		}
		return setGrants(ctx, tx, sh.Name, sh.Friends)
	})
	if err != nil {
		return fmt.Errorf("update share %q: %w", sh.Name, err)
	}
	return nil
}

func setGrants(ctx context.Context, tx *sql.Tx, name string, friends []string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM share_grants WHERE share_name = ?`, name); err != nil {
		return err
	}
	for _, id := range friends {
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO share_grants (share_name, friend_id) VALUES (?, ?)`, name, id); err != nil {
			return fmt.Errorf("grant %s: %w", id, err)
		}
	}
	return nil
}

// RemoveShare stops sharing a folder (the folder itself is untouched).
func (s *Store) RemoveShare(ctx context.Context, name string) error {
	res, err := s.db.ExecContext(ctx, `DELETE FROM shares WHERE name = ?`, name)
	if err != nil {
		return fmt.Errorf("remove share %q: %w", name, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("remove share %q: %w", name, share.ErrNotFound)
	}
	return nil
}

// Shares lists the shared folders with their choices, by name.
func (s *Store) Shares(ctx context.Context) ([]Share, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT name, path, audience, mode, paused FROM shares ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("list shares: %w", err)
	}
	var out []Share
	for rows.Next() {
		var sh Share
		if err := rows.Scan(&sh.Name, &sh.Path, &sh.Audience, &sh.Mode, &sh.Paused); err != nil {
			rows.Close()
			return nil, fmt.Errorf("list shares: %w", err)
		}
		out = append(out, sh)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].Friends, err = s.grants(ctx, out[i].Name); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Share returns one shared folder with its choices.
func (s *Store) Share(ctx context.Context, name string) (Share, error) {
	var sh Share
	err := s.db.QueryRowContext(ctx, `SELECT name, path, audience, mode, paused FROM shares WHERE name = ?`, name).
		Scan(&sh.Name, &sh.Path, &sh.Audience, &sh.Mode, &sh.Paused)
	if errors.Is(err, sql.ErrNoRows) {
		return sh, fmt.Errorf("share %q: %w", name, share.ErrNotFound)
	}
	if err != nil {
		return sh, fmt.Errorf("read share %q: %w", name, err)
	}
	sh.Friends, err = s.grants(ctx, name)
	return sh, err
}

func (s *Store) grants(ctx context.Context, name string) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT friend_id FROM share_grants WHERE share_name = ? ORDER BY friend_id`, name)
	if err != nil {
		return nil, fmt.Errorf("list grants of %q: %w", name, err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// MayUse reports whether friendID may use the named share: it must not be
// paused, and its audience must be all friends or include them.
func (s *Store) MayUse(ctx context.Context, name, friendID string) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM shares s
		WHERE s.name = ? AND s.paused = 0 AND (s.audience = ?
			OR (s.audience = ? AND EXISTS (SELECT 1 FROM share_grants g WHERE g.share_name = s.name AND g.friend_id = ?)))`,
		name, string(share.AudienceAllFriends), string(share.AudienceChosen), friendID).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("check grant on %q: %w", name, err)
	}
	return n > 0, nil
}

// Folders lists the shared folders by name (share.Catalog).
func (s *Store) Folders(ctx context.Context) ([]share.Folder, error) {
	shs, err := s.Shares(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]share.Folder, len(shs))
	for i, sh := range shs {
		out[i] = sh.Folder
	}
	return out, nil
}

// Folder returns one shared folder (share.Catalog).
func (s *Store) Folder(ctx context.Context, name string) (share.Folder, error) {
	sh, err := s.Share(ctx, name)
	return sh.Folder, err
}

// Grant lets a friend use a share whose audience is chosen friends.
func (s *Store) Grant(ctx context.Context, shareName, friendID string) error {
	_, err := s.db.ExecContext(ctx, `INSERT OR IGNORE INTO share_grants (share_name, friend_id) VALUES (?, ?)`, shareName, friendID)
	if err != nil {
		return fmt.Errorf("grant %q to %s: %w", shareName, friendID, err)
	}
	return nil
}

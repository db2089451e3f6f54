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

// AddShare stores a shared folder.
func (s *Store) AddShare(ctx context.Context, f share.Folder) error {
	res, err := s.db.ExecContext(ctx, `INSERT INTO shares (name, path, audience, mode, created_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT(name) DO NOTHING`, f.Name, f.Path, string(f.Audience), string(f.Mode), s.now().UnixNano())
	if err != nil {
		return fmt.Errorf("add share %q: %w", f.Name, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("add share %q: a share with that name %w", f.Name, ErrExists)
	}
	return nil
}

// Folders lists the shared folders by name (share.Catalog).
func (s *Store) Folders(ctx context.Context) ([]share.Folder, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT name, path, audience, mode FROM shares ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("list shares: %w", err)
	}
	defer rows.Close()
	var out []share.Folder
	for rows.Next() {
		var f share.Folder
		if err := rows.Scan(&f.Name, &f.Path, &f.Audience, &f.Mode); err != nil {
			return nil, fmt.Errorf("list shares: %w", err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// Folder returns one shared folder (share.Catalog).
func (s *Store) Folder(ctx context.Context, name string) (share.Folder, error) {
	var f share.Folder
	err := s.db.QueryRowContext(ctx, `SELECT name, path, audience, mode FROM shares WHERE name = ?`, name).
		Scan(&f.Name, &f.Path, &f.Audience, &f.Mode)
	if errors.Is(err, sql.ErrNoRows) {
		return f, fmt.Errorf("share %q: %w", name, share.ErrNotFound)
	}
	if err != nil {
		return f, fmt.Errorf("read share %q: %w", name, err)
	}
	return f, nil
}

package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Setting returns the value of key, or "" if unset.
func (s *Store) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read setting %s: %w", key, err)
	}
	return v, nil
}

// SetSetting stores value under key.
func (s *Store) SetSetting(ctx context.Context, key, value string) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
		ON CONFLICT(key) DO UPDATE SET value = excluded.value`, key, value)
	if err != nil {
		return fmt.Errorf("write setting %s: %w", key, err)
	}
	return nil
}

// Relays lists the resident's relay URLs, oldest first.
func (s *Store) Relays(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT url FROM relays ORDER BY added_at, url`)
	if err != nil {
		return nil, fmt.Errorf("list relays: %w", err)
	}
	defer rows.Close()
	var urls []string
	for rows.Next() {
		var u string
		if err := rows.Scan(&u); err != nil {
			return nil, fmt.Errorf("list relays: %w", err)
		}
		urls = append(urls, u)
	}
	return urls, rows.Err()
}

// AddRelay remembers a relay URL; source says where it came from ("flag",
// "invite", "user"). Adding a known relay changes nothing.
func (s *Store) AddRelay(ctx context.Context, url, source string) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO relays (url, source, added_at) VALUES (?, ?, ?)
		ON CONFLICT(url) DO NOTHING`, url, source, s.now().UnixNano())
	if err != nil {
		return fmt.Errorf("add relay %s: %w", url, err)
	}
	return nil
}

package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/porchlight/porchlight/app/identity"
)

// Friend is someone the resident has a friendship with.
type Friend struct {
	ID     string
	Name   string
	Keys   identity.Public
	Secret []byte // the friendship secret both sides hold
	Relays []string
	Added  time.Time
	// Discovery is the friend's discovery secret: it recognises their
	// friends-only mDNS token on the LAN (empty if they never sent one).
	Discovery []byte
}

const friendColumns = `id, name, sign_key, seal_key, seal_sig, secret, relays, added_at, discovery_secret`

type scanner interface{ Scan(...any) error }

func scanFriend(r scanner) (Friend, error) {
	var f Friend
	var relays string
	var added int64
	if err := r.Scan(&f.ID, &f.Name, &f.Keys.Sign, &f.Keys.Seal, &f.Keys.SealSig, &f.Secret, &relays, &added, &f.Discovery); err != nil {
		return f, err
	}
	f.Added = time.Unix(0, added)
	if err := json.Unmarshal([]byte(relays), &f.Relays); err != nil {
		return f, fmt.Errorf("decode relays of %s: %w", f.ID, err)
	}
	return f, nil
}

// Friends lists every friend by name.
func (s *Store) Friends(ctx context.Context) ([]Friend, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+friendColumns+` FROM friends ORDER BY name, id`)
	if err != nil {
		return nil, fmt.Errorf("list friends: %w", err)
	}
	defer rows.Close()
	var out []Friend
	for rows.Next() {
		f, err := scanFriend(rows)
		if err != nil {
			return nil, fmt.Errorf("list friends: %w", err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// Friend returns the friend with id.
func (s *Store) Friend(ctx context.Context, id string) (Friend, error) {
	f, err := scanFriend(s.db.QueryRowContext(ctx, `SELECT `+friendColumns+` FROM friends WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return f, fmt.Errorf("friend %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return f, fmt.Errorf("read friend %s: %w", id, err)
	}
	return f, nil
}

func insertFriend(ctx context.Context, tx *sql.Tx, f Friend, now time.Time) error {
	relays, err := json.Marshal(nonNil(f.Relays))
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO friends (`+friendColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET name = excluded.name, sign_key = excluded.sign_key,
			seal_key = excluded.seal_key, seal_sig = excluded.seal_sig, secret = excluded.secret,
			relays = excluded.relays, discovery_secret = excluded.discovery_secret`,
		f.ID, f.Name, []byte(f.Keys.Sign), f.Keys.Seal, f.Keys.SealSig, f.Secret, string(relays), now.UnixNano(), nonNilBytes(f.Discovery))
	return err
}

func nonNilBytes(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// RemoveFriend forgets a friend and everything granted to them.
func (s *Store) RemoveFriend(ctx context.Context, id string) error {
	res, err := s.db.ExecContext(ctx, `DELETE FROM friends WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("remove friend %s: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("remove friend %s: %w", id, ErrNotFound)
	}
	return nil
}

// RenameFriend changes the name the resident knows a friend by.
func (s *Store) RenameFriend(ctx context.Context, id, name string) error {
	res, err := s.db.ExecContext(ctx, `UPDATE friends SET name = ? WHERE id = ?`, name, id)
	if err != nil {
		return fmt.Errorf("rename friend %s: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("rename friend %s: %w", id, ErrNotFound)
	}
	return nil
}

// AddFriend records a friendship made without an invite (a neighbour
// confirmed face to face), or updates it.
func (s *Store) AddFriend(ctx context.Context, f Friend) error {
	if err := s.tx(ctx, func(tx *sql.Tx) error { return insertFriend(ctx, tx, f, s.now()) }); err != nil {
		return fmt.Errorf("add friend %s: %w", f.ID, err)
	}
	return nil
}

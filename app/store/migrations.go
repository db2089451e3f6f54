package store

import (
	"context"
	"database/sql"
	"fmt"
)

// migrations are applied in order, each once; never edit one that has
// shipped, add a new one.
var migrations = []string{
	// 1: the spine.
	`CREATE TABLE settings (
		key   TEXT PRIMARY KEY,
		value TEXT NOT NULL
	);
	CREATE TABLE relays (
		url      TEXT PRIMARY KEY,
		source   TEXT NOT NULL,
		added_at INTEGER NOT NULL
	);
	CREATE TABLE friends (
		id        TEXT PRIMARY KEY,
		name      TEXT NOT NULL,
		sign_key  BLOB NOT NULL,
		seal_key  BLOB NOT NULL,
		seal_sig  BLOB NOT NULL,
		secret    BLOB NOT NULL,
		relays    TEXT NOT NULL DEFAULT '[]',
		added_at  INTEGER NOT NULL
	);
	CREATE TABLE invites (
		id          TEXT PRIMARY KEY,
		secret      BLOB NOT NULL UNIQUE,
		label       TEXT NOT NULL DEFAULT '',
		offer       TEXT NOT NULL DEFAULT '{}',
		created_at  INTEGER NOT NULL,
		expires_at  INTEGER NOT NULL,
		max_uses    INTEGER NOT NULL DEFAULT 1,
		uses        INTEGER NOT NULL DEFAULT 0,
		revoked     INTEGER NOT NULL DEFAULT 0
	);
	CREATE TABLE redemptions (
		invite_id   TEXT NOT NULL REFERENCES invites(id) ON DELETE CASCADE,
		friend_id   TEXT NOT NULL REFERENCES friends(id) ON DELETE CASCADE,
		redeemed_at INTEGER NOT NULL,
		PRIMARY KEY (invite_id, friend_id)
	);
	CREATE TABLE joins (
		invite_id    TEXT PRIMARY KEY,
		link         TEXT NOT NULL,
		inviter_id   TEXT NOT NULL,
		inviter_name TEXT NOT NULL,
		state        TEXT NOT NULL,
		error        TEXT NOT NULL DEFAULT '',
		created_at   INTEGER NOT NULL,
		updated_at   INTEGER NOT NULL
	);
	CREATE TABLE shares (
		name       TEXT PRIMARY KEY,
		path       TEXT NOT NULL,
		audience   TEXT NOT NULL,
		mode       TEXT NOT NULL,
		created_at INTEGER NOT NULL
	);`,
	// 2: shares for chosen friends, paused shares, transfers that survive a restart.
	`ALTER TABLE shares ADD COLUMN paused INTEGER NOT NULL DEFAULT 0;
	CREATE TABLE share_grants (
		share_name TEXT NOT NULL REFERENCES shares(name) ON DELETE CASCADE ON UPDATE CASCADE,
		friend_id  TEXT NOT NULL REFERENCES friends(id) ON DELETE CASCADE,
		PRIMARY KEY (share_name, friend_id)
	);
	CREATE TABLE transfers (
		id         TEXT PRIMARY KEY,
		kind       TEXT NOT NULL,
		friend_id  TEXT NOT NULL REFERENCES friends(id) ON DELETE CASCADE,
		share      TEXT NOT NULL,
		path       TEXT NOT NULL,
		local      TEXT NOT NULL,
		state      TEXT NOT NULL,
		bytes      INTEGER NOT NULL DEFAULT 0,
		size       INTEGER NOT NULL DEFAULT -1,
		etag       TEXT NOT NULL DEFAULT '',
		error      TEXT NOT NULL DEFAULT '',
		created_at INTEGER NOT NULL,
		updated_at INTEGER NOT NULL
	);`,
	// 3: each friend's discovery secret, to recognise them on the LAN.
	`ALTER TABLE friends ADD COLUMN discovery_secret BLOB NOT NULL DEFAULT x'';`,
	// 4: invites that ask the inviter to confirm each newcomer.
	`ALTER TABLE invites ADD COLUMN confirm INTEGER NOT NULL DEFAULT 0;
	CREATE TABLE newcomers (
		invite_id  TEXT NOT NULL REFERENCES invites(id) ON DELETE CASCADE,
		friend_id  TEXT NOT NULL,
		name       TEXT NOT NULL,
		sign_key   BLOB NOT NULL,
		seal_key   BLOB NOT NULL,
		seal_sig   BLOB NOT NULL,
		relays     TEXT NOT NULL DEFAULT '[]',
		discovery  BLOB NOT NULL DEFAULT x'',
		state      TEXT NOT NULL,
		created_at INTEGER NOT NULL,
		PRIMARY KEY (invite_id, friend_id)
	);`,
}

func migrate(ctx context.Context, db *sql.DB) error {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("migrate store: %w", err)
	}
	var have int
	if err := db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_version`).Scan(&have); err != nil {
		return fmt.Errorf("migrate store: %w", err)
	}
	if have > len(migrations) {
		return fmt.Errorf("migrate store: database is at version %d, this Porchlight knows %d; update Porchlight", have, len(migrations))
	}
	for v := have + 1; v <= len(migrations); v++ {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("migrate store to %d: %w", v, err)
		}
		if _, err := tx.ExecContext(ctx, migrations[v-1]); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate store to %d: %w", v, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_version (version) VALUES (?)`, v); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate store to %d: %w", v, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migrate store to %d: %w", v, err)
		}
	}
	return nil
}

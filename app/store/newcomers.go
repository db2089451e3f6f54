package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Newcomer states.
const (
	NewcomerWaiting  = "waiting"  // asked to join; the inviter has not answered
	NewcomerAdmitted = "admitted" // let in: they are a friend
	NewcomerRefused  = "refused"
)

// Newcomer is someone who used an invite that asks the inviter to confirm
// each newcomer.
type Newcomer struct {
	InviteID string
	Friend   Friend // who they are; Secret is empty until admitted
	State    string
	Created  time.Time
}

// AddNewcomer records a join request awaiting the inviter's word; asking
// again changes nothing.
func (s *Store) AddNewcomer(ctx context.Context, inviteID string, f Friend) (Newcomer, error) {
	relays, _ := json.Marshal(nonNil(f.Relays))
	_, err := s.db.ExecContext(ctx, `INSERT INTO newcomers (invite_id, friend_id, name, sign_key, seal_key, seal_sig, relays, discovery, state, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(invite_id, friend_id) DO NOTHING`,
		inviteID, f.ID, f.Name, []byte(f.Keys.Sign), f.Keys.Seal, f.Keys.SealSig, string(relays), nonNilBytes(f.Discovery), NewcomerWaiting, s.now().UnixNano())
	if err != nil {
		return Newcomer{}, fmt.Errorf("record newcomer %s: %w", f.ID, err)
	}
	return s.Newcomer(ctx, inviteID, f.ID)
}

const newcomerColumns = `invite_id, friend_id, name, sign_key, seal_key, seal_sig, relays, discovery, state, created_at`

func scanNewcomer(r scanner) (Newcomer, error) {
	var n Newcomer
	var relays string
	var created int64
	f := &n.Friend
	if err := r.Scan(&n.InviteID, &f.ID, &f.Name, &f.Keys.Sign, &f.Keys.Seal, &f.Keys.SealSig, &relays, &f.Discovery, &n.State, &created); err != nil {
		return n, err
	}
	n.Created = time.Unix(0, created)
	return n, json.Unmarshal([]byte(relays), &f.Relays)
}

// Newcomer returns one newcomer.
func (s *Store) Newcomer(ctx context.Context, inviteID, friendID string) (Newcomer, error) {
	n, err := scanNewcomer(s.db.QueryRowContext(ctx, `SELECT `+newcomerColumns+` FROM newcomers WHERE invite_id = ? AND friend_id = ?`, inviteID, friendID))
	if errors.Is(err, sql.ErrNoRows) {
		return n, fmt.Errorf("newcomer %s: %w", friendID, ErrNotFound)
	}
	return n, err
}

// Newcomers lists newcomers, newest first.
func (s *Store) Newcomers(ctx context.Context) ([]Newcomer, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+newcomerColumns+` FROM newcomers ORDER BY created_at DESC`)
	if err != nil {
		return nil, fmt.Errorf("list newcomers: %w", err)
	}
	defer rows.Close()
	var out []Newcomer
	for rows.Next() {
		n, err := scanNewcomer(rows)
		if err != nil {
			return nil, fmt.Errorf("list newcomers: %w", err)
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// SetNewcomerState records the inviter's answer.
func (s *Store) SetNewcomerState(ctx context.Context, inviteID, friendID, state string) error {
	_, err := s.db.ExecContext(ctx, `UPDATE newcomers SET state = ? WHERE invite_id = ? AND friend_id = ?`, state, inviteID, friendID)
	if err != nil {
		return fmt.Errorf("answer newcomer %s: %w", friendID, err)
	}
	return nil
}

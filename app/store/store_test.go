package store

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/porchlight/porchlight/app/identity"
	"github.com/porchlight/porchlight/app/invite"
	"github.com/porchlight/porchlight/services/share"
)

func openTemp(t *testing.T) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), FileName))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func friend(t *testing.T, name string) Friend {
	id, _ := identity.Generate()
	return Friend{ID: id.ID(), Name: name, Keys: id.Public(), Secret: []byte("0123456789abcdef0123456789abcdef"), Relays: []string{"ws://r/v1/ws"}}
}

func TestReopenKeepsDataAndSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), FileName)
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	s.SetSetting(ctx, "name", "Ana")
	s.AddRelay(ctx, "ws://a/v1/ws", "flag")
	s.AddRelay(ctx, "ws://a/v1/ws", "invite")
	s.Close()
	s, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n, _ := s.Setting(ctx, "name"); n != "Ana" {
		t.Fatalf("name = %q", n)
	}
	if r, _ := s.Relays(ctx); len(r) != 1 {
		t.Fatalf("relays = %v", r)
	}
	var v int
	s.db.QueryRow(`SELECT MAX(version) FROM schema_version`).Scan(&v)
	if v != len(migrations) {
		t.Fatalf("schema version %d, want %d", v, len(migrations))
	}
}

func TestRefusesNewerSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), FileName)
	s, _ := Open(ctx, path)
	s.db.Exec(`INSERT INTO schema_version (version) VALUES (999)`)
	s.Close()
	if _, err := Open(ctx, path); err == nil {
		t.Fatal("opened a database from a newer Porchlight")
	}
}

func TestRedeem(t *testing.T) {
	ctx := context.Background()
	now := time.Now()
	cases := []struct {
		name    string
		inv     Invite
		prepare func(s *Store, id string)
		want    error
	}{
		{"open", Invite{Expires: now.Add(time.Hour)}, nil, nil},
		{"expired", Invite{Expires: now.Add(-time.Second)}, nil, ErrInviteExpired},
		{"revoked", Invite{Expires: now.Add(time.Hour)}, func(s *Store, id string) {
			s.db.Exec(`UPDATE invites SET revoked = 1 WHERE id = ?`, id)
		}, ErrInviteRevoked},
		{"used by another", Invite{Expires: now.Add(time.Hour)}, func(s *Store, id string) {
			if _, _, err := s.Redeem(ctx, id, friend(t, "Cas")); err != nil {
				t.Fatal(err)
			}
		}, ErrInviteUsed},
		{"unknown", Invite{Expires: now.Add(time.Hour)}, func(s *Store, id string) {
			s.db.Exec(`DELETE FROM invites WHERE id = ?`, id)
		}, ErrNotFound},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := openTemp(t)
			c.inv.Secret = invite.NewSecret()
			c.inv.ID = invite.ID(c.inv.Secret)
			if err := s.CreateInvite(ctx, c.inv); err != nil {
				t.Fatal(err)
			}
			if c.prepare != nil {
				c.prepare(s, c.inv.ID)
			}
			before, _ := s.Friends(ctx)
			ben := friend(t, "Ben")
			_, created, err := s.Redeem(ctx, c.inv.ID, ben)
			if !errors.Is(err, c.want) {
				t.Fatalf("Redeem = %v, want %v", err, c.want)
			}
			after, _ := s.Friends(ctx)
			if c.want != nil && len(after) != len(before) {
				t.Fatalf("refused redemption changed friends: %d → %d", len(before), len(after))
			}
			if c.want == nil && (!created || len(after) != len(before)+1) {
				t.Fatalf("created=%v friends %d → %d", created, len(before), len(after))
			}
		})
	}
}

func TestRedeemRepeatIsIdempotent(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	secret := invite.NewSecret()
	id := invite.ID(secret)
	s.CreateInvite(ctx, Invite{ID: id, Secret: secret, Expires: time.Now().Add(time.Hour)})
	ben := friend(t, "Ben")
	first, created, err := s.Redeem(ctx, id, ben)
	if err != nil || !created {
		t.Fatalf("first redeem: %v %v", created, err)
	}
	again := ben
	again.Secret = []byte("a different secret, which must not replace the first")
	second, created, err := s.Redeem(ctx, id, again)
	if err != nil || created {
		t.Fatalf("repeat redeem: created=%v err=%v", created, err)
	}
	if string(second.Secret) != string(first.Secret) {
		t.Fatal("repeat redeem changed the friendship secret")
	}
	inv, _ := s.Invite(ctx, id)
	if inv.Uses != 1 {
		t.Fatalf("uses = %d", inv.Uses)
	}
}

func TestJoinLifecycle(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	ana := friend(t, "Ana")
	j := Join{InviteID: "inv1", Link: "porchlight://invite#x", InviterID: ana.ID, InviterName: "Ana"}
	if err := s.AddJoin(ctx, j); err != nil {
		t.Fatal(err)
	}
	s.AddJoin(ctx, j) // accepting twice keeps one
	js, _ := s.Joins(ctx)
	if len(js) != 1 || js[0].State != JoinWaiting {
		t.Fatalf("joins %+v", js)
	}
	if err := s.CompleteJoin(ctx, "inv1", ana); err != nil {
		t.Fatal(err)
	}
	js, _ = s.Joins(ctx)
	if js[0].State != JoinDone {
		t.Fatalf("state %s", js[0].State)
	}
	if f, err := s.Friend(ctx, ana.ID); err != nil || f.Name != "Ana" || f.Keys.Verify() != nil {
		t.Fatalf("friend %+v %v", f, err)
	}
	s.RefuseJoin(ctx, "inv1", "late") // a done join stays done
	js, _ = s.Joins(ctx)
	if js[0].State != JoinDone {
		t.Fatalf("refusal overwrote a finished join: %s", js[0].State)
	}
}

func TestShares(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	f := share.Folder{Name: "Photos", Path: "/home/ana/Photos", Audience: share.AudienceAllFriends, Mode: share.ModeReadOnly}
	if err := s.AddShare(ctx, Share{Folder: f}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddShare(ctx, Share{Folder: f}); !errors.Is(err, ErrExists) {
		t.Fatalf("duplicate share: %v", err)
	}
	got, err := s.Folder(ctx, "Photos")
	if err != nil || got != f {
		t.Fatalf("Folder = %+v %v", got, err)
	}
	if _, err := s.Folder(ctx, "Taxes"); !errors.Is(err, share.ErrNotFound) {
		t.Fatalf("missing share: %v", err)
	}
}

func TestMayUse(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	now := time.Now()
	ben, cas := friend(t, "Ben"), friend(t, "Cas")
	for _, f := range []Friend{ben, cas} {
		secret := invite.NewSecret()
		s.CreateInvite(ctx, Invite{ID: invite.ID(secret), Secret: secret, Expires: now.Add(time.Hour)})
		if _, _, err := s.Redeem(ctx, invite.ID(secret), f); err != nil {
			t.Fatal(err)
		}
	}
	s.AddShare(ctx, Share{Folder: share.Folder{Name: "All", Path: "/a", Audience: share.AudienceAllFriends, Mode: share.ModeReadOnly}})
	s.AddShare(ctx, Share{Folder: share.Folder{Name: "Ben only", Path: "/b", Audience: share.AudienceChosen, Mode: share.ModeReadWrite}, Friends: []string{ben.ID}})
	s.AddShare(ctx, Share{Folder: share.Folder{Name: "Paused", Path: "/p", Audience: share.AudienceAllFriends, Mode: share.ModeReadOnly}, Paused: true})
	cases := []struct {
		share  string
		friend Friend
		want   bool
	}{
		{"All", ben, true}, {"All", cas, true},
		{"Ben only", ben, true}, {"Ben only", cas, false},
		{"Paused", ben, false}, {"Missing", ben, false},
	}
	for _, c := range cases {
		if got, err := s.MayUse(ctx, c.share, c.friend.ID); err != nil || got != c.want {
			t.Errorf("MayUse(%q, %s) = %v, %v; want %v", c.share, c.friend.Name, got, err, c.want)
		}
	}
	// Removing Ben removes his grants; the share stays.
	s.RemoveFriend(ctx, ben.ID)
	sh, err := s.Share(ctx, "Ben only")
	if err != nil || len(sh.Friends) != 0 {
		t.Fatalf("after removing Ben: %+v, %v", sh, err)
	}
}

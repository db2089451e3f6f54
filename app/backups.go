package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"time"

	"github.com/porchlight/porchlight/app/api"
	"github.com/porchlight/porchlight/app/backup"
	"github.com/porchlight/porchlight/app/datadir"
	"github.com/porchlight/porchlight/app/identity"
	"github.com/porchlight/porchlight/app/store"
)

// A backup keeps what a new laptop needs to carry on the resident's
// friendships: the identity key (friends know them by it), the friends
// with their keys and secrets, the relays, and the settings that friends
// depend on. Shares are folders on this laptop and are not in it; nor are
// open invites, whose links were made by this copy.

// backupVersion is the version of backupContents.
const backupVersion = 1

// backupSettings are the settings a backup carries: the name, how
// neighbours see the resident, and the secret friends recognise them by
// on the LAN.
var backupSettings = []string{"name", "visibility", "discovery_secret"}

// backupContents is a backup's plaintext, as JSON.
type backupContents struct {
	Version  int               `json:"version"`
	Made     time.Time         `json:"made"`
	ID       string            `json:"id"`
	Seed     []byte            `json:"seed"`
	Settings map[string]string `json:"settings"`
	Relays   []string          `json:"relays"`
	Friends  []backupFriend    `json:"friends"`
}

type backupFriend struct {
	ID        string   `json:"id"`
	Name      string   `json:"name"`
	Sign      []byte   `json:"sign"`
	Seal      []byte   `json:"seal"`
	SealSig   []byte   `json:"seal_sig"`
	Secret    []byte   `json:"secret"`
	Relays    []string `json:"relays"`
	Discovery []byte   `json:"discovery,omitempty"`
}

// ExportBackup seals the resident's identity, friends, relays and settings
// under passphrase (localapi.Core).
func (a *App) ExportBackup(ctx context.Context, passphrase string) (api.Backup, error) {
	c := backupContents{Version: backupVersion, Made: time.Now().UTC(), ID: a.id.ID(), Seed: a.id.Seed(), Settings: map[string]string{}}
	for _, key := range backupSettings {
		if v, err := a.store.Setting(ctx, key); err == nil && v != "" {
			c.Settings[key] = v
		}
	}
	var err error
	if c.Relays, err = a.store.Relays(ctx); err != nil {
		return api.Backup{}, err
	}
	friends, err := a.store.Friends(ctx)
	if err != nil {
		return api.Backup{}, err
	}
	for _, f := range friends {
		c.Friends = append(c.Friends, backupFriend{
			ID: f.ID, Name: f.Name, Sign: f.Keys.Sign, Seal: f.Keys.Seal, SealSig: f.Keys.SealSig,
			Secret: f.Secret, Relays: f.Relays, Discovery: f.Discovery,
		})
	}
	plain, err := json.Marshal(c)
	if err != nil {
		return api.Backup{}, fmt.Errorf("backup: %w", err)
	}
	sealed, err := backup.Seal(passphrase, plain)
	clear(plain)
	if err != nil {
		return api.Backup{}, &api.Error{Status: http.StatusBadRequest, Message: err.Error()}
	}
	a.log.Info("backup made", "friends", len(c.Friends))
	return api.Backup{Data: sealed, Friends: len(c.Friends)}, nil
}

// RestoreResult says what a restore brought back.
type RestoreResult struct {
	ID      string
	Name    string
	Friends int // friends restored (those already there are kept)
	Relays  int
}

// ErrOtherIdentity reports a restore into a data dir that already holds
// another resident's friendships.
var ErrOtherIdentity = errors.New("this data folder already has friends under another identity")

// Restore brings a backup back into dataDir, which Porchlight must not be
// running on. The backup is opened before anything is written. A data dir
// with no friends yet (a fresh install, perhaps started once) takes the
// backup's identity; one whose friends belong to the same identity keeps
// them and gains those it lacks; one with friends under another identity
// is refused, so that no friendship is ever lost.
func Restore(ctx context.Context, dataDir, passphrase string, sealed []byte) (RestoreResult, error) {
	c, err := openBackup(passphrase, sealed)
	if err != nil {
		return RestoreResult{}, err
	}
	defer clear(c.Seed)
	if err := datadir.Ensure(dataDir); err != nil {
		return RestoreResult{}, err
	}
	lock, err := datadir.Acquire(dataDir)
	if err != nil {
		return RestoreResult{}, err
	}
	defer lock.Release()
	st, err := store.Open(ctx, filepath.Join(dataDir, store.FileName))
	if err != nil {
		return RestoreResult{}, err
	}
	defer st.Close()
	return restoreInto(ctx, st, dataDir, c)
}

// RestoreBackup restores a backup into this running Porchlight, which must
// have no friends yet (a new laptop), then starts it again as the restored
// resident: Run returns ErrRestart shortly after (localapi.Core).
func (a *App) RestoreBackup(ctx context.Context, passphrase string, sealed []byte) (api.Restored, error) {
	have, err := a.store.Friends(ctx)
	if err != nil {
		return api.Restored{}, err
	}
	if len(have) > 0 {
		return api.Restored{}, &api.Error{Status: http.StatusConflict, Message: fmt.Sprintf(
			"you already have %d friends here; a backup is restored on a new Porchlight (or with `porchlight restore` into an empty folder)", len(have))}
	}
	c, err := openBackup(passphrase, sealed)
	if err != nil {
		return api.Restored{}, &api.Error{Status: http.StatusBadRequest, Message: BackupTrouble(err)}
	}
	defer clear(c.Seed)
	res, err := restoreInto(ctx, a.store, a.cfg.DataDir, c)
	if err != nil {
		return api.Restored{}, err
	}
	a.log.Info("backup restored; starting again", "id", res.ID, "friends", res.Friends)
	a.restartSoon()
	return api.Restored{ID: res.ID, Name: res.Name, Friends: res.Friends}, nil
}

// BackupTrouble says why a backup would not open, in a resident's words.
func BackupTrouble(err error) string {
	switch {
	case errors.Is(err, backup.ErrWrongPassphrase):
		return "the passphrase does not open this backup (or the file was changed); nothing was restored"
	case errors.Is(err, backup.ErrVersion):
		return "this backup was made by a newer Porchlight; update this one first"
	case errors.Is(err, backup.ErrNotBackup):
		return "this is not a Porchlight backup; nothing was restored"
	}
	return err.Error()
}

// openBackup opens sealed and reads its contents.
func openBackup(passphrase string, sealed []byte) (backupContents, error) {
	plain, err := backup.Open(passphrase, sealed)
	if err != nil {
		return backupContents{}, err
	}
	defer clear(plain)
	var c backupContents
	if err := json.Unmarshal(plain, &c); err != nil {
		return backupContents{}, fmt.Errorf("%w: its contents are unreadable", backup.ErrNotBackup)
	}
	if c.Version != backupVersion {
		return backupContents{}, fmt.Errorf("%w (contents version %d)", backup.ErrVersion, c.Version)
	}
	return c, nil
}

// restoreInto writes c into the store st and the identity file in dataDir,
// under the rules Restore states.
func restoreInto(ctx context.Context, st *store.Store, dataDir string, c backupContents) (RestoreResult, error) {
	have, err := st.Friends(ctx)
	if err != nil {
		return RestoreResult{}, err
	}
	if len(have) > 0 {
		current, err := identity.LoadOrCreate(dataDir)
		if err != nil {
			return RestoreResult{}, err
		}
		if current.ID() != c.ID {
			return RestoreResult{}, fmt.Errorf("%w (%d of them): restore into an empty folder instead", ErrOtherIdentity, len(have))
		}
	}
	// Check every friend before writing anything.
	friends := make([]store.Friend, 0, len(c.Friends))
	for _, bf := range c.Friends {
		f := store.Friend{
			ID: bf.ID, Name: trimName(bf.Name), Keys: identity.Public{Sign: bf.Sign, Seal: bf.Seal, SealSig: bf.SealSig},
			Secret: bf.Secret, Relays: bf.Relays, Discovery: bf.Discovery,
		}
		if f.Keys.ID() != f.ID || len(f.Secret) < 16 {
			return RestoreResult{}, fmt.Errorf("%w: friend %s is damaged", backup.ErrNotBackup, f.ID)
		}
		friends = append(friends, f)
	}
	// The key must be the one the backup names before it replaces ours.
	id, err := identity.FromSeed(c.Seed)
	if err != nil || id.ID() != c.ID {
		return RestoreResult{}, fmt.Errorf("%w: its key does not match its ID", backup.ErrNotBackup)
	}
	if err := identity.Install(dataDir, id); err != nil {
		return RestoreResult{}, err
	}

	res := RestoreResult{ID: id.ID()}
	for _, key := range backupSettings {
		v, ok := c.Settings[key]
		if !ok {
			continue
		}
		if key == "name" {
			if v, err = cleanName(v); err != nil {
				continue
			}
		}
		if err := st.SetSetting(ctx, key, v); err != nil {
			return res, err
		}
	}
	for _, r := range c.Relays {
		if err := st.AddRelay(ctx, r, "backup"); err != nil {
			return res, err
		}
		res.Relays++
	}
	known := map[string]bool{}
	for _, f := range have {
		known[f.ID] = true
	}
	for _, f := range friends {
		if known[f.ID] {
			continue // what this copy knows is newer than the backup
		}
		if err := st.AddFriend(ctx, f); err != nil {
			return res, err
		}
		res.Friends++
	}
	res.Name, _ = st.Setting(ctx, "name")
	return res, nil
}

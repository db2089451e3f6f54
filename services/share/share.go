// Package share serves a resident's shared folders to friends over a peer
// link: a JSON API to see which shares a friend may use, browse a folder page
// by page, download files (with Range, so transfers can resume, and a
// whole-file digest to verify them, see ParseReprDigest) and upload files
// (NewHandler); and the same shares over WebDAV for file managers
// (NewDAVHandler).
//
// An upload is written to a hidden temporary file in its folder and renamed
// into place only once every byte has arrived, so a partial upload never
// appears as a file; the JSON API keeps conflicting names apart, WebDAV
// follows its Overwrite header (drop boxes never replace a file).
//
// The handler sits behind the link, so every request carries the remote
// peer's identity in its context (see package peer). Which shares exist comes
// from a Catalog; whether a peer may use one is decided by an Access function
// the app supplies. Every file is reached through an os.Root opened on the
// shared folder, so neither ".." nor a symbolic link can lead outside it.
package share

import (
	"context"
	"errors"
)

// Mode says what friends may do in a shared folder.
type Mode string

const (
	// ModeReadOnly lets friends browse and download.
	ModeReadOnly Mode = "ro"
	// ModeReadWrite lets friends browse, download and upload.
	ModeReadWrite Mode = "rw"
	// ModeDropBox lets friends upload only; they cannot see what is there.
	ModeDropBox Mode = "drop"
)

// canRead reports whether friends may browse and download in mode m.
// Unknown modes are refused.
func (m Mode) canRead() bool {
	return m == ModeReadOnly || m == ModeReadWrite
}

// Audience says who a folder is shared with.
type Audience string

const (
	// AudienceAllFriends shares the folder with every friend (the default).
	AudienceAllFriends Audience = "friends"
	// AudienceChosen shares the folder with the friends the resident picked.
	AudienceChosen Audience = "chosen"
	// AudienceNeighbours shares the folder with friends while they are on
	// the same local network (linked over the LAN path); the app decides.
	AudienceNeighbours Audience = "neighbours"
)

// Folder is one shared folder.
type Folder struct {
	// Name is how friends see and address the share; it is unique.
	Name string
	// Path is the absolute path of the folder on the resident's disk.
	Path string
	// Audience is who the folder is shared with.
	Audience Audience
	// Mode is what friends may do in it.
	Mode Mode
}

// ErrNotFound is returned by a Catalog when no share has the given name.
var ErrNotFound = errors.New("share not found")

// Catalog is where shares are stored (the app implements it on SQLite).
type Catalog interface {
	// Folders returns every share.
	Folders(ctx context.Context) ([]Folder, error)
	// Folder returns the share called name, or an error wrapping ErrNotFound.
	Folder(ctx context.Context, name string) (Folder, error)
}

// Access decides whether the peer in ctx may use folder f (the grant check;
// the app supplies it). A nil Access refuses everyone.
type Access func(ctx context.Context, f Folder) bool

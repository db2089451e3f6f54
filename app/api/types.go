// Package api is the contract of Porchlight's local API: the JSON types it
// speaks and the Go client that the CLI, the tray, the window and the tests
// use. It imports nothing from the core, so user interfaces can depend on it
// without growing into the core.
package api

import "time"

// Version of the local API; the path prefix is /v1.
const Version = 1

// Status is the resident's own state.
type Status struct {
	ID      string `json:"id"`
	ShortID string `json:"short_id"`
	Name    string `json:"name"`
	// NameChosen is false until the resident has chosen a name: Name is
	// then "Neighbour" and the short ID.
	NameChosen bool   `json:"name_chosen"`
	DataDir    string `json:"data_dir"`
	State      string `json:"state"` // StateOn, StateDim or StateOff
	// Visibility is how the resident shows on the LAN: "visible",
	// "friends" or "hidden".
	Visibility string        `json:"visibility"`
	Relays     []RelayStatus `json:"relays"`
	Friends    int           `json:"friends"`
	Shares     int           `json:"shares"`
	Started    time.Time     `json:"started"`
	Version    string        `json:"version"`
	Problems   []string      `json:"problems,omitempty"`
}

// Porch-light states.
const (
	StateOn  = "on"  // hosting and reachable through at least one relay
	StateDim = "dim" // hosting, but no relay is reachable
	StateOff = "off" // sharing paused
)

// RelayStatus is the state of one relay connection.
type RelayStatus struct {
	URL       string `json:"url"`
	State     string `json:"state"` // "online" or "offline"
	RTTMillis int64  `json:"rtt_ms,omitempty"`
	Error     string `json:"error,omitempty"`
}

// Friend is someone the resident has a friendship with.
type Friend struct {
	ID      string    `json:"id"`
	ShortID string    `json:"short_id"`
	Name    string    `json:"name"`
	Relays  []string  `json:"relays"`
	Added   time.Time `json:"added"`
	Link    string    `json:"link"` // "none", "lan", "direct" or "relayed"
	// RTTMicros is the link's last measured round trip, while linked.
	RTTMicros int64 `json:"rtt_us,omitempty"`
	// Removed is set on the event that reports the friendship ended.
	Removed bool `json:"removed,omitempty"`
}

// Rename gives a friend another name.
type Rename struct {
	Name string `json:"name"`
}

// Share is one of the resident's shared folders.
type Share struct {
	Name     string   `json:"name"`
	Path     string   `json:"path"`
	Audience string   `json:"audience"`          // "friends" (all) or "chosen"
	Mode     string   `json:"mode"`              // "ro", "rw" or "drop" (upload only)
	Friends  []string `json:"friends,omitempty"` // names of the chosen friends
	Paused   bool     `json:"paused,omitempty"`
	// Removed is set on the event that reports the share stopped.
	Removed bool `json:"removed,omitempty"`
}

// NewShare asks to share a folder. Without Friends it is shared with all
// friends (or, with Audience "neighbours", with friends while they are on
// this network); Mode defaults to read-only.
type NewShare struct {
	Name     string   `json:"name"`
	Path     string   `json:"path"`
	Mode     string   `json:"mode,omitempty"`
	Friends  []string `json:"friends,omitempty"` // names or IDs
	Audience string   `json:"audience,omitempty"`
}

// ShareUpdate changes a share; empty fields stay as they are.
type ShareUpdate struct {
	Mode string `json:"mode,omitempty"`
	// Audience "friends" opens the share to all friends; "chosen" limits it
	// to Friends; "neighbours" to friends while they are on this network.
	Audience string   `json:"audience,omitempty"`
	Friends  []string `json:"friends,omitempty"`
	Paused   *bool    `json:"paused,omitempty"`
}

// NewInvite asks for an invitation.
type NewInvite struct {
	Label       string   `json:"label,omitempty"`
	ExpiresIn   string   `json:"expires_in,omitempty"` // Go duration, default 168h
	MaxUses     int      `json:"max_uses,omitempty"`
	OfferShares []string `json:"offer_shares,omitempty"` // default: every share open to all friends
	// Confirm asks the resident to let each newcomer in by hand.
	Confirm bool `json:"confirm,omitempty"`
	// Code asks also for a short code to read aloud (valid 10 minutes,
	// needs both residents online).
	Code bool `json:"code,omitempty"`
}

// Invite is an invitation the resident made.
type Invite struct {
	ID      string    `json:"id"`
	Link    string    `json:"link,omitempty"`
	Code    string    `json:"code,omitempty"` // e.g. 4-purple-sausage
	Label   string    `json:"label"`
	Expires time.Time `json:"expires"`
	MaxUses int       `json:"max_uses"`
	Uses    int       `json:"uses"`
	State   string    `json:"state"` // "open", "used", "expired", "revoked"
}

// CodeRequest carries a short code typed by the friend.
type CodeRequest struct {
	Code string `json:"code"`
}

// LinkRequest carries an invite link to inspect or accept.
type LinkRequest struct {
	Link string `json:"link"`
}

// InviteInfo is what a friend sees of an invite before accepting it.
type InviteInfo struct {
	ID            string    `json:"id"`
	InviterID     string    `json:"inviter_id"`
	InviterName   string    `json:"inviter_name"`
	ShortID       string    `json:"short_id"`
	Relays        []string  `json:"relays"`
	Shares        []string  `json:"shares"`
	Label         string    `json:"label"`
	Expires       time.Time `json:"expires"`
	AlreadyFriend bool      `json:"already_friend"`
}

// Join is an invite the resident accepted, until the inviter answers.
type Join struct {
	InviteID    string `json:"invite_id"`
	InviterID   string `json:"inviter_id"`
	InviterName string `json:"inviter_name"`
	State       string `json:"state"` // "waiting", "done", "refused"
	Error       string `json:"error,omitempty"`
}

// RemoteShare is a folder a friend shares with the resident.
type RemoteShare struct {
	Name string `json:"name"`
	Mode string `json:"mode"`
}

// Entry is one item of a folder listing.
type Entry struct {
	Name     string    `json:"name"`
	Dir      bool      `json:"dir"`
	Size     int64     `json:"size"`
	Modified time.Time `json:"modified"`
}

// Listing is one page of a folder in a friend's share.
type Listing struct {
	Path       string  `json:"path"`
	Entries    []Entry `json:"entries"`
	Total      int     `json:"total"`
	NextOffset int     `json:"next_offset"`
}

// NewTransfer asks to download a file from a friend's share.
type NewTransfer struct {
	Friend string `json:"friend"`
	Share  string `json:"share"`
	Path   string `json:"path"`
	Dest   string `json:"dest"` // absolute path of the file to write
}

// NewUpload asks to upload a file into a friend's share.
type NewUpload struct {
	Friend string `json:"friend"`
	Share  string `json:"share"`
	Path   string `json:"path"`   // where in the share, including the file name
	Source string `json:"source"` // absolute path of the local file
}

// Transfer is a download or upload, running, paused or finished.
type Transfer struct {
	ID     string `json:"id"`
	Kind   string `json:"kind"` // TransferDownload or TransferUpload
	Friend string `json:"friend"`
	Share  string `json:"share"`
	Path   string `json:"path"`
	// Dest is the local file: where a download goes, or what an upload sends.
	Dest  string `json:"dest"`
	State string `json:"state"` // one of the Transfer* states
	Bytes int64  `json:"bytes"`
	Size  int64  `json:"size"` // -1 while unknown
	// Rate is the recent speed in bytes per second, while running.
	Rate  int64  `json:"rate,omitempty"`
	Error string `json:"error,omitempty"`
}

// Transfer kinds.
const (
	TransferDownload = "download"
	TransferUpload   = "upload"
)

// Transfer states.
const (
	TransferRunning   = "running"
	TransferPaused    = "paused"
	TransferDone      = "done"
	TransferFailed    = "failed"
	TransferCancelled = "cancelled"
)

// NewMount asks for a friend's share on a loopback WebDAV address.
type NewMount struct {
	Friend string `json:"friend"`
	Share  string `json:"share"`
}

// Mount is where the resident's own programs reach a friend's share.
type Mount struct {
	Friend   string `json:"friend"`
	Share    string `json:"share"`
	URL      string `json:"url"`
	User     string `json:"user"`
	Password string `json:"password"`
}

// Neighbour is a Porchlight seen on the local network by mDNS: a hint of
// who is near, until a handshake proves it.
type Neighbour struct {
	ID     string    `json:"id,omitempty"`   // known when visible, or a friend
	Name   string    `json:"name,omitempty"` // the friend's name, or the published one
	Friend bool      `json:"friend"`
	Addrs  []string  `json:"addrs"`
	Seen   time.Time `json:"seen"`
}

// Request is a friend request between neighbours on the LAN. Both
// residents compare Code on their screens and confirm.
type Request struct {
	ID       string `json:"id"`
	PeerID   string `json:"peer_id"`
	PeerName string `json:"peer_name"`
	Outgoing bool   `json:"outgoing"` // we asked
	Code     string `json:"code"`     // e.g. "123 456"
	State    string `json:"state"`    // one of the Request* states
	Error    string `json:"error,omitempty"`
}

// Request states.
const (
	RequestConfirm = "confirm" // compare the code, then confirm or refuse
	RequestDone    = "done"    // friends now
	RequestRefused = "refused"
	RequestFailed  = "failed"
)

// Newcomer is someone who used an invite that asks the resident to let
// each newcomer in.
type Newcomer struct {
	ID       string    `json:"id"` // to admit or refuse them
	FriendID string    `json:"friend_id"`
	ShortID  string    `json:"short_id"`
	Name     string    `json:"name"`
	Invite   string    `json:"invite"` // the invite's label
	State    string    `json:"state"`  // "waiting", "admitted" or "refused"
	Asked    time.Time `json:"asked"`
}

// Settings are the resident's choices the core keeps.
type Settings struct {
	// Name is the resident's own name, as new friends and neighbours see
	// it (friends made before keep the name they know them by).
	Name string `json:"name,omitempty"`
	// Visibility on the LAN: "visible", "friends" or "hidden".
	Visibility string `json:"visibility,omitempty"`
	// Paused, when set, pauses (true) or resumes (false) all sharing: the
	// porch light goes off and friends are told so.
	Paused *bool `json:"paused,omitempty"`
}

// BackupRequest asks for a backup sealed under Passphrase.
type BackupRequest struct {
	Passphrase string `json:"passphrase"`
}

// Backup is a sealed backup: the resident's identity, friends, relays and
// settings, which only the passphrase opens (see app/backup).
type Backup struct {
	Data    []byte `json:"data"`
	Friends int    `json:"friends"` // how many friendships it keeps
}

// RestoreRequest asks a running Porchlight with no friends yet to become
// the resident a backup keeps.
type RestoreRequest struct {
	Passphrase string `json:"passphrase"`
	Data       []byte `json:"data"`
}

// Restored says who a restored backup made the resident; the core starts
// again just after answering.
type Restored struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Friends int    `json:"friends"`
}

// Event is one change pushed on the event stream.
type Event struct {
	Type string    `json:"type"` // one of the Event* constants
	Time time.Time `json:"time"`
	// Exactly one of these is set, matching Type.
	Status   *Status   `json:"status,omitempty"`
	Friend   *Friend   `json:"friend,omitempty"`
	Join     *Join     `json:"join,omitempty"`
	Share    *Share    `json:"share,omitempty"`
	Invite   *Invite   `json:"invite,omitempty"`
	Transfer *Transfer `json:"transfer,omitempty"`
	Request  *Request  `json:"request,omitempty"`
	Newcomer *Newcomer `json:"newcomer,omitempty"`
}

// Event types.
const (
	EventHello    = "hello" // first event on every stream, carries Status
	EventStatus   = "status"
	EventFriend   = "friend"
	EventJoin     = "join"
	EventShare    = "share"
	EventInvite   = "invite"
	EventTransfer = "transfer"
	// EventNeighbours says the neighbours seen on the LAN changed; reread
	// them.
	EventNeighbours = "neighbours"
	// EventRequest carries a friend request between neighbours.
	EventRequest = "request"
	// EventNewcomer: someone waits to be let in, or was answered.
	EventNewcomer = "newcomer"
)

// ErrorBody is how the API reports failures.
type ErrorBody struct {
	Error string `json:"error"`
	// Candidates lists the friends an ambiguous name could mean.
	Candidates []string `json:"candidates,omitempty"`
}

package api

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Error is a failure reported by the local API.
type Error struct {
	Status     int
	Message    string
	Candidates []string
}

func (e *Error) Error() string { return e.Message }

// ErrNotRunning reports that no Porchlight answers on the socket.
var ErrNotRunning = errors.New("Porchlight is not running for this data directory (start it with `porchlight` or `porchlight daemon`)")

// Client talks to one Porchlight core over its Unix socket.
type Client struct {
	socket string
	http   *http.Client
}

// NewClient returns a client for the core listening on socket.
func NewClient(socket string) *Client {
	tr := &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "unix", socket)
		},
		MaxIdleConns: 4,
	}
	return &Client{socket: socket, http: &http.Client{Transport: tr}}
}

// Socket is the path the client dials.
func (c *Client) Socket() string { return c.socket }

func (c *Client) do(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("encode request: %w", err)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, "http://porchlight"+path, body)
	if err != nil {
		return err
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		if isNotRunning(err) {
			return ErrNotRunning
		}
		return fmt.Errorf("call local API: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		return decodeError(resp)
	}
	if out == nil {
		return nil
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return fmt.Errorf("decode %s %s: %w", method, path, err)
	}
	return nil
}

func isNotRunning(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

func decodeError(resp *http.Response) error {
	var eb ErrorBody
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if json.Unmarshal(b, &eb) != nil || eb.Error == "" {
		eb.Error = fmt.Sprintf("local API: %s: %s", resp.Status, strings.TrimSpace(string(b)))
	}
	return &Error{Status: resp.StatusCode, Message: eb.Error, Candidates: eb.Candidates}
}

// Status returns the resident's own state.
func (c *Client) Status(ctx context.Context) (Status, error) {
	var s Status
	return s, c.do(ctx, "GET", "/v1/status", nil, &s)
}

// CreateInvite makes an invitation link.
func (c *Client) CreateInvite(ctx context.Context, req NewInvite) (Invite, error) {
	var inv Invite
	return inv, c.do(ctx, "POST", "/v1/invites", req, &inv)
}

// Invites lists the resident's invitations.
func (c *Client) Invites(ctx context.Context) ([]Invite, error) {
	var out []Invite
	return out, c.do(ctx, "GET", "/v1/invites", nil, &out)
}

// InspectInvite decodes an invite link and says who sent it and what it
// offers, without accepting it.
func (c *Client) InspectInvite(ctx context.Context, link string) (InviteInfo, error) {
	var info InviteInfo
	return info, c.do(ctx, "POST", "/v1/invites/inspect", LinkRequest{Link: link}, &info)
}

// Accept accepts an invite link; the friendship completes when the inviter
// answers (watch EventJoin, or call AwaitJoin).
func (c *Client) Accept(ctx context.Context, link string) (Join, error) {
	var j Join
	return j, c.do(ctx, "POST", "/v1/joins", LinkRequest{Link: link}, &j)
}

// AcceptCode joins by a short code read aloud (both must be online and
// share a relay); it returns once the code is answered.
func (c *Client) AcceptCode(ctx context.Context, code string) (Join, error) {
	var j Join
	return j, c.do(ctx, "POST", "/v1/codes", CodeRequest{Code: code}, &j)
}

// Joins lists accepted invites and their state.
func (c *Client) Joins(ctx context.Context) ([]Join, error) {
	var out []Join
	return out, c.do(ctx, "GET", "/v1/joins", nil, &out)
}

// Friends lists the resident's friends.
func (c *Client) Friends(ctx context.Context) ([]Friend, error) {
	var out []Friend
	return out, c.do(ctx, "GET", "/v1/friends", nil, &out)
}

// RemoveFriend ends a friendship: grants, live links and all.
func (c *Client) RemoveFriend(ctx context.Context, friend string) error {
	return c.do(ctx, "DELETE", "/v1/friends/"+url.PathEscape(friend), nil, nil)
}

// RenameFriend changes the name the resident knows a friend by.
func (c *Client) RenameFriend(ctx context.Context, friend, name string) (Friend, error) {
	var f Friend
	return f, c.do(ctx, "PATCH", "/v1/friends/"+url.PathEscape(friend), Rename{Name: name}, &f)
}

// RevokeInvite withdraws an invitation.
func (c *Client) RevokeInvite(ctx context.Context, id string) error {
	return c.do(ctx, "DELETE", "/v1/invites/"+url.PathEscape(id), nil, nil)
}

// AddRelay adds a relay (ws:// or wss:// URL ending in /v1/ws) to the
// resident's relays and connects to it.
func (c *Client) AddRelay(ctx context.Context, url string) error {
	return c.do(ctx, "POST", "/v1/relays", struct {
		URL string `json:"url"`
	}{url}, nil)
}

// Neighbours lists Porchlights seen on the local network.
func (c *Client) Neighbours(ctx context.Context) ([]Neighbour, error) {
	var out []Neighbour
	return out, c.do(ctx, "GET", "/v1/neighbours", nil, &out)
}

// Newcomers lists people waiting to be let in through invites that ask.
func (c *Client) Newcomers(ctx context.Context) ([]Newcomer, error) {
	var out []Newcomer
	return out, c.do(ctx, "GET", "/v1/newcomers", nil, &out)
}

// AnswerNewcomer lets a newcomer in (admit) or turns them away.
func (c *Client) AnswerNewcomer(ctx context.Context, id string, admit bool) (Newcomer, error) {
	action := "refuse"
	if admit {
		action = "admit"
	}
	var n Newcomer
	return n, c.do(ctx, "POST", "/v1/newcomers/"+url.PathEscape(id)+"/"+action, struct{}{}, &n)
}

// RequestNeighbour asks a visible neighbour to be friends; it returns once
// both screens show the code to compare.
func (c *Client) RequestNeighbour(ctx context.Context, neighbour string) (Request, error) {
	var r Request
	return r, c.do(ctx, "POST", "/v1/requests", struct {
		Neighbour string `json:"neighbour"`
	}{neighbour}, &r)
}

// Requests lists friend requests between neighbours.
func (c *Client) Requests(ctx context.Context) ([]Request, error) {
	var out []Request
	return out, c.do(ctx, "GET", "/v1/requests", nil, &out)
}

// AnswerRequest confirms (the codes match) or refuses a request.
func (c *Client) AnswerRequest(ctx context.Context, id string, confirm bool) (Request, error) {
	action := "refuse"
	if confirm {
		action = "confirm"
	}
	var r Request
	return r, c.do(ctx, "POST", "/v1/requests/"+url.PathEscape(id)+"/"+action, struct{}{}, &r)
}

// UpdateSettings changes the resident's settings; empty fields stay.
func (c *Client) UpdateSettings(ctx context.Context, s Settings) error {
	return c.do(ctx, "PATCH", "/v1/settings", s, nil)
}

// ExportBackup returns the resident's backup sealed under passphrase.
func (c *Client) ExportBackup(ctx context.Context, passphrase string) (Backup, error) {
	var out Backup
	return out, c.do(ctx, "POST", "/v1/backup", BackupRequest{Passphrase: passphrase}, &out)
}

// RestoreBackup makes this Porchlight, which must have no friends yet, the
// resident the backup keeps; the core starts again just after answering.
func (c *Client) RestoreBackup(ctx context.Context, passphrase string, data []byte) (Restored, error) {
	var out Restored
	return out, c.do(ctx, "POST", "/v1/restore", RestoreRequest{Passphrase: passphrase, Data: data}, &out)
}

// Shares lists the resident's shared folders.
func (c *Client) Shares(ctx context.Context) ([]Share, error) {
	var out []Share
	return out, c.do(ctx, "GET", "/v1/shares", nil, &out)
}

// AddShare shares a folder.
func (c *Client) AddShare(ctx context.Context, req NewShare) (Share, error) {
	var s Share
	return s, c.do(ctx, "POST", "/v1/shares", req, &s)
}

// UpdateShare changes a share's mode, audience or pause.
func (c *Client) UpdateShare(ctx context.Context, name string, u ShareUpdate) (Share, error) {
	var s Share
	return s, c.do(ctx, "PATCH", "/v1/shares/"+url.PathEscape(name), u, &s)
}

// RemoveShare stops sharing a folder; the folder itself is untouched.
func (c *Client) RemoveShare(ctx context.Context, name string) error {
	return c.do(ctx, "DELETE", "/v1/shares/"+url.PathEscape(name), nil, nil)
}

// RemoteShares lists the folders a friend shares with the resident.
func (c *Client) RemoteShares(ctx context.Context, friend string) ([]RemoteShare, error) {
	var out []RemoteShare
	return out, c.do(ctx, "GET", "/v1/remote/"+url.PathEscape(friend)+"/shares", nil, &out)
}

// List reads one page of a folder in a friend's share.
func (c *Client) List(ctx context.Context, friend, share, path string, offset, limit int) (Listing, error) {
	q := url.Values{}
	if offset > 0 {
		q.Set("offset", strconv.Itoa(offset))
	}
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	p := "/v1/remote/" + url.PathEscape(friend) + "/list/" + url.PathEscape(share) + "/" + escapePath(path)
	if len(q) > 0 {
		p += "?" + q.Encode()
	}
	var l Listing
	return l, c.do(ctx, "GET", p, nil, &l)
}

func escapePath(p string) string {
	parts := strings.Split(strings.TrimPrefix(p, "/"), "/")
	for i, s := range parts {
		parts[i] = url.PathEscape(s)
	}
	return strings.Join(parts, "/")
}

// Mount serves a friend's share on a loopback WebDAV address with its own
// password, for file managers and davfs2.
func (c *Client) Mount(ctx context.Context, req NewMount) (Mount, error) {
	var m Mount
	return m, c.do(ctx, "POST", "/v1/mounts", req, &m)
}

// StartTransfer starts downloading a file from a friend's share.
func (c *Client) StartTransfer(ctx context.Context, req NewTransfer) (Transfer, error) {
	var t Transfer
	return t, c.do(ctx, "POST", "/v1/transfers", req, &t)
}

// StartUpload starts uploading a file into a friend's share.
func (c *Client) StartUpload(ctx context.Context, req NewUpload) (Transfer, error) {
	var t Transfer
	return t, c.do(ctx, "POST", "/v1/uploads", req, &t)
}

// PauseTransfer pauses a transfer; ResumeTransfer continues it where it
// stopped.
func (c *Client) PauseTransfer(ctx context.Context, id string) (Transfer, error) {
	return c.transferAction(ctx, id, "pause")
}

// ResumeTransfer continues a paused or failed transfer.
func (c *Client) ResumeTransfer(ctx context.Context, id string) (Transfer, error) {
	return c.transferAction(ctx, id, "resume")
}

// CancelTransfer stops a transfer and throws away what it fetched.
func (c *Client) CancelTransfer(ctx context.Context, id string) (Transfer, error) {
	return c.transferAction(ctx, id, "cancel")
}

func (c *Client) transferAction(ctx context.Context, id, action string) (Transfer, error) {
	var t Transfer
	return t, c.do(ctx, "POST", "/v1/transfers/"+url.PathEscape(id)+"/"+action, struct{}{}, &t)
}

// Transfer returns one transfer's state.
func (c *Client) Transfer(ctx context.Context, id string) (Transfer, error) {
	var t Transfer
	return t, c.do(ctx, "GET", "/v1/transfers/"+url.PathEscape(id), nil, &t)
}

// Transfers lists transfers.
func (c *Client) Transfers(ctx context.Context) ([]Transfer, error) {
	var out []Transfer
	return out, c.do(ctx, "GET", "/v1/transfers", nil, &out)
}

// Events follows the event stream, calling fn for each event until ctx ends,
// the stream breaks, or fn returns an error (which Events returns). The first
// event is always EventHello with the current Status.
func (c *Client) Events(ctx context.Context, fn func(Event) error) error {
	req, err := http.NewRequestWithContext(ctx, "GET", "http://porchlight/v1/events", nil)
	if err != nil {
		return err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		if isNotRunning(err) {
			return ErrNotRunning
		}
		return fmt.Errorf("follow events: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return decodeError(resp)
	}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Bytes()
		if len(bytes.TrimSpace(line)) == 0 {
			continue // keep-alive
		}
		var ev Event
		if err := json.Unmarshal(line, &ev); err != nil {
			return fmt.Errorf("decode event: %w", err)
		}
		if err := fn(ev); err != nil {
			return err
		}
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("follow events: %w", err)
	}
	return fmt.Errorf("follow events: %w", io.ErrUnexpectedEOF)
}

// WaitRunning polls until the core answers or ctx ends.
func (c *Client) WaitRunning(ctx context.Context) error {
	for {
		if _, err := c.Status(ctx); err == nil {
			return nil
		} else if !errors.Is(err, ErrNotRunning) {
			return err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("wait for Porchlight: %w", ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

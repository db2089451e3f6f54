// Package localapi serves the core's local API: HTTP and JSON over the Unix
// socket in the data dir, plus an event stream. The tray, the window, the CLI
// and the tests are all its clients (see app/api for the types and the Go
// client). It refuses any request that carries Origin or Referer, so a web
// page cannot drive it.
package localapi

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/porchlight/porchlight/app/api"
)

// Core is what the local API needs from the running core.
type Core interface {
	Status(ctx context.Context) api.Status
	CreateInvite(ctx context.Context, req api.NewInvite) (api.Invite, error)
	Invites(ctx context.Context) ([]api.Invite, error)
	InspectInvite(ctx context.Context, link string) (api.InviteInfo, error)
	Accept(ctx context.Context, link string) (api.Join, error)
	AcceptCode(ctx context.Context, code string) (api.Join, error)
	Joins(ctx context.Context) ([]api.Join, error)
	Friends(ctx context.Context) ([]api.Friend, error)
	RemoveFriend(ctx context.Context, friend string) error
	RenameFriend(ctx context.Context, friend, name string) (api.Friend, error)
	RevokeInvite(ctx context.Context, id string) error
	Shares(ctx context.Context) ([]api.Share, error)
	Neighbours(ctx context.Context) ([]api.Neighbour, error)
	Newcomers(ctx context.Context) ([]api.Newcomer, error)
	AnswerNewcomer(ctx context.Context, id string, admit bool) (api.Newcomer, error)
	RequestNeighbour(ctx context.Context, who string) (api.Request, error)
	Requests(ctx context.Context) ([]api.Request, error)
	AnswerRequest(ctx context.Context, id string, confirm bool) (api.Request, error)
	SetVisibility(ctx context.Context, v string) error
	SetName(ctx context.Context, name string) error
	ExportBackup(ctx context.Context, passphrase string) (api.Backup, error)
	RestoreBackup(ctx context.Context, passphrase string, data []byte) (api.Restored, error)
	SetPaused(ctx context.Context, paused bool) error
	AddRelay(ctx context.Context, url string) error
	AddShare(ctx context.Context, req api.NewShare) (api.Share, error)
	UpdateShare(ctx context.Context, name string, u api.ShareUpdate) (api.Share, error)
	RemoveShare(ctx context.Context, name string) error
	RemoteShares(ctx context.Context, friend string) ([]api.RemoteShare, error)
	List(ctx context.Context, friend, share, path string, offset, limit int) (api.Listing, error)
	Mount(ctx context.Context, req api.NewMount) (api.Mount, error)
	StartTransfer(ctx context.Context, req api.NewTransfer) (api.Transfer, error)
	StartUpload(ctx context.Context, req api.NewUpload) (api.Transfer, error)
	Transfer(ctx context.Context, id string) (api.Transfer, error)
	Transfers(ctx context.Context) ([]api.Transfer, error)
	ControlTransfer(ctx context.Context, id, action string) (api.Transfer, error)
	Subscribe() (<-chan api.Event, func())
}

// maxBody bounds request bodies.
const maxBody = 1 << 20

// keepAlive is how often an idle event stream gets a blank line, so clients
// notice a dead core.
const keepAlive = 15 * time.Second

type server struct {
	core Core
	log  *slog.Logger
}

// New returns the local API handler for core.
func New(core Core, logger *slog.Logger) http.Handler {
	s := &server{core: core, log: logger}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/status", func(w http.ResponseWriter, r *http.Request) { reply(w, s.core.Status(r.Context()), nil) })
	mux.HandleFunc("GET /v1/events", s.events)
	mux.HandleFunc("POST /v1/invites", func(w http.ResponseWriter, r *http.Request) {
		var req api.NewInvite
		if decode(w, r, &req) {
			replyTo(w)(s.core.CreateInvite(r.Context(), req))
		}
	})
	mux.HandleFunc("GET /v1/invites", func(w http.ResponseWriter, r *http.Request) { replyTo(w)(s.core.Invites(r.Context())) })
	mux.HandleFunc("POST /v1/invites/inspect", func(w http.ResponseWriter, r *http.Request) {
		var req api.LinkRequest
		if decode(w, r, &req) {
			replyTo(w)(s.core.InspectInvite(r.Context(), req.Link))
		}
	})
	mux.HandleFunc("POST /v1/joins", func(w http.ResponseWriter, r *http.Request) {
		var req api.LinkRequest
		if decode(w, r, &req) {
			replyTo(w)(s.core.Accept(r.Context(), req.Link))
		}
	})
	mux.HandleFunc("POST /v1/codes", func(w http.ResponseWriter, r *http.Request) {
		var req api.CodeRequest
		if decode(w, r, &req) {
			replyTo(w)(s.core.AcceptCode(r.Context(), req.Code))
		}
	})
	mux.HandleFunc("GET /v1/joins", func(w http.ResponseWriter, r *http.Request) { replyTo(w)(s.core.Joins(r.Context())) })
	mux.HandleFunc("GET /v1/friends", func(w http.ResponseWriter, r *http.Request) { replyTo(w)(s.core.Friends(r.Context())) })
	mux.HandleFunc("DELETE /v1/friends/{friend}", func(w http.ResponseWriter, r *http.Request) {
		reply(w, struct{}{}, s.core.RemoveFriend(r.Context(), r.PathValue("friend")))
	})
	mux.HandleFunc("PATCH /v1/friends/{friend}", func(w http.ResponseWriter, r *http.Request) {
		var req api.Rename
		if decode(w, r, &req) {
			replyTo(w)(s.core.RenameFriend(r.Context(), r.PathValue("friend"), req.Name))
		}
	})
	mux.HandleFunc("DELETE /v1/invites/{id}", func(w http.ResponseWriter, r *http.Request) {
		reply(w, struct{}{}, s.core.RevokeInvite(r.Context(), r.PathValue("id")))
	})
	mux.HandleFunc("GET /v1/neighbours", func(w http.ResponseWriter, r *http.Request) { replyTo(w)(s.core.Neighbours(r.Context())) })
	mux.HandleFunc("GET /v1/newcomers", func(w http.ResponseWriter, r *http.Request) { replyTo(w)(s.core.Newcomers(r.Context())) })
	mux.HandleFunc("POST /v1/newcomers/{id}/{action}", func(w http.ResponseWriter, r *http.Request) {
		switch r.PathValue("action") {
		case "admit", "refuse":
			replyTo(w)(s.core.AnswerNewcomer(r.Context(), r.PathValue("id"), r.PathValue("action") == "admit"))
		default:
			writeError(w, &api.Error{Status: http.StatusNotFound, Message: "admit or refuse a newcomer"})
		}
	})
	mux.HandleFunc("POST /v1/requests", func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Neighbour string `json:"neighbour"`
		}
		if decode(w, r, &req) {
			replyTo(w)(s.core.RequestNeighbour(r.Context(), req.Neighbour))
		}
	})
	mux.HandleFunc("GET /v1/requests", func(w http.ResponseWriter, r *http.Request) { replyTo(w)(s.core.Requests(r.Context())) })
	mux.HandleFunc("POST /v1/requests/{id}/{action}", func(w http.ResponseWriter, r *http.Request) {
		switch r.PathValue("action") {
		case "confirm", "refuse":
			replyTo(w)(s.core.AnswerRequest(r.Context(), r.PathValue("id"), r.PathValue("action") == "confirm"))
		default:
			writeError(w, &api.Error{Status: http.StatusNotFound, Message: "confirm or refuse a request"})
		}
	})
	mux.HandleFunc("POST /v1/relays", func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			URL string `json:"url"`
		}
		if decode(w, r, &req) {
			reply(w, struct{}{}, s.core.AddRelay(r.Context(), req.URL))
		}
	})
	mux.HandleFunc("PATCH /v1/settings", func(w http.ResponseWriter, r *http.Request) {
		var req api.Settings
		if !decode(w, r, &req) {
			return
		}
		if req.Name != "" {
			if err := s.core.SetName(r.Context(), req.Name); err != nil {
				writeError(w, err)
				return
			}
		}
		if req.Visibility != "" {
			if err := s.core.SetVisibility(r.Context(), req.Visibility); err != nil {
				writeError(w, err)
				return
			}
		}
		if req.Paused != nil {
			if err := s.core.SetPaused(r.Context(), *req.Paused); err != nil {
				writeError(w, err)
				return
			}
		}
		reply(w, struct{}{}, nil)
	})
	mux.HandleFunc("POST /v1/backup", func(w http.ResponseWriter, r *http.Request) {
		var req api.BackupRequest
		if decode(w, r, &req) {
			replyTo(w)(s.core.ExportBackup(r.Context(), req.Passphrase))
		}
	})
	mux.HandleFunc("POST /v1/restore", func(w http.ResponseWriter, r *http.Request) {
		var req api.RestoreRequest
		if decode(w, r, &req) {
			replyTo(w)(s.core.RestoreBackup(r.Context(), req.Passphrase, req.Data))
		}
	})
	mux.HandleFunc("GET /v1/shares", func(w http.ResponseWriter, r *http.Request) { replyTo(w)(s.core.Shares(r.Context())) })
	mux.HandleFunc("POST /v1/shares", func(w http.ResponseWriter, r *http.Request) {
		var req api.NewShare
		if decode(w, r, &req) {
			replyTo(w)(s.core.AddShare(r.Context(), req))
		}
	})
	mux.HandleFunc("PATCH /v1/shares/{name}", func(w http.ResponseWriter, r *http.Request) {
		var req api.ShareUpdate
		if decode(w, r, &req) {
			replyTo(w)(s.core.UpdateShare(r.Context(), r.PathValue("name"), req))
		}
	})
	mux.HandleFunc("DELETE /v1/shares/{name}", func(w http.ResponseWriter, r *http.Request) {
		reply(w, struct{}{}, s.core.RemoveShare(r.Context(), r.PathValue("name")))
	})
	mux.HandleFunc("GET /v1/remote/{friend}/shares", func(w http.ResponseWriter, r *http.Request) {
		replyTo(w)(s.core.RemoteShares(r.Context(), r.PathValue("friend")))
	})
	mux.HandleFunc("GET /v1/remote/{friend}/list/{share}/{path...}", func(w http.ResponseWriter, r *http.Request) {
		offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
		replyTo(w)(s.core.List(r.Context(), r.PathValue("friend"), r.PathValue("share"), r.PathValue("path"), offset, limit))
	})
	mux.HandleFunc("POST /v1/transfers", func(w http.ResponseWriter, r *http.Request) {
		var req api.NewTransfer
		if decode(w, r, &req) {
			replyTo(w)(s.core.StartTransfer(r.Context(), req))
		}
	})
	mux.HandleFunc("POST /v1/mounts", func(w http.ResponseWriter, r *http.Request) {
		var req api.NewMount
		if decode(w, r, &req) {
			replyTo(w)(s.core.Mount(r.Context(), req))
		}
	})
	mux.HandleFunc("POST /v1/uploads", func(w http.ResponseWriter, r *http.Request) {
		var req api.NewUpload
		if decode(w, r, &req) {
			replyTo(w)(s.core.StartUpload(r.Context(), req))
		}
	})
	mux.HandleFunc("GET /v1/transfers", func(w http.ResponseWriter, r *http.Request) { replyTo(w)(s.core.Transfers(r.Context())) })
	mux.HandleFunc("GET /v1/transfers/{id}", func(w http.ResponseWriter, r *http.Request) {
		replyTo(w)(s.core.Transfer(r.Context(), r.PathValue("id")))
	})
	mux.HandleFunc("POST /v1/transfers/{id}/{action}", func(w http.ResponseWriter, r *http.Request) {
		replyTo(w)(s.core.ControlTransfer(r.Context(), r.PathValue("id"), r.PathValue("action")))
	})
	return refuseBrowsers(mux)
}

// refuseBrowsers turns away requests a web browser would make on a page's
// behalf.
func refuseBrowsers(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Origin") != "" || r.Header.Get("Referer") != "" {
			writeError(w, &api.Error{Status: http.StatusForbidden, Message: "the local API does not answer web pages"})
			return
		}
		next.ServeHTTP(w, r)
	})
}

// replyTo answers with a core call's result: replyTo(w)(core.X(...)).
func replyTo(w http.ResponseWriter) func(any, error) {
	return func(v any, err error) { reply(w, v, err) }
}

func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		writeError(w, &api.Error{Status: http.StatusBadRequest, Message: "bad request body: " + err.Error()})
		return false
	}
	return true
}

func reply(w http.ResponseWriter, v any, err error) {
	if err != nil {
		writeError(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, err error) {
	status, body := http.StatusInternalServerError, api.ErrorBody{Error: err.Error()}
	var ae *api.Error
	if errors.As(err, &ae) {
		status, body.Candidates = ae.Status, ae.Candidates
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(body)
}

// events streams the core's events as JSON lines, starting with a hello
// that carries the current status.
func (s *server) events(w http.ResponseWriter, r *http.Request) {
	ch, cancel := s.core.Subscribe()
	defer cancel()
	rc := http.NewResponseController(w)
	w.Header().Set("Content-Type", "application/x-ndjson")
	enc := json.NewEncoder(w)
	st := s.core.Status(r.Context())
	if enc.Encode(api.Event{Type: api.EventHello, Time: time.Now(), Status: &st}) != nil || rc.Flush() != nil {
		return
	}
	tick := time.NewTicker(keepAlive)
	defer tick.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case ev, ok := <-ch:
			if !ok {
				return // fell behind: the client reconnects and rereads state
			}
			if enc.Encode(ev) != nil || rc.Flush() != nil {
				return
			}
		case <-tick.C:
			if _, err := w.Write([]byte("\n")); err != nil || rc.Flush() != nil {
				return
			}
		}
	}
}

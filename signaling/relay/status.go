package relay

import (
	"encoding/json"
	"net/http"

	"github.com/porchlight/porchlight/signaling/wire"
)

// Status is the JSON that GET /status answers, for relay directories.
type Status struct {
	Version   string   `json:"version"`  // the relay software's version
	Protocol  int      `json:"protocol"` // wire.Version
	URLs      []string `json:"urls"`
	Capacity  int      `json:"capacity"`  // connections at most
	Load      float64  `json:"load"`      // connections / capacity
	Clients   int      `json:"clients"`   // logged in
	STUN      bool     `json:"stun"`      // a STUN server runs beside the relay
	TURN      bool     `json:"turn"`      // TURN credentials are issued
	Mailboxes int      `json:"mailboxes"` // envelopes held
}

func (s *Server) status() Status {
	st := s.Stats()
	return Status{
		Version:   s.cfg.Version,
		Protocol:  wire.Version,
		URLs:      s.URLs(),
		Capacity:  s.cfg.MaxConnections,
		Load:      float64(st.Connections) / float64(s.cfg.MaxConnections),
		Clients:   st.LoggedIn,
		STUN:      s.cfg.STUN,
		TURN:      s.cfg.TURN != nil,
		Mailboxes: st.MailboxEnvelopes,
	}
}

func (s *Server) serveStatus(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Access-Control-Allow-Origin", "*") // directories may read it from a browser
	json.NewEncoder(w).Encode(s.status())
}

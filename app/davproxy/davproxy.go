// Package davproxy serves a friend's share as WebDAV on a loopback port, so
// the resident's own programs (a file manager, davfs2) can use it. Each
// proxy has its own password, checks the Host header (against DNS
// rebinding) and refuses cross-site requests from web pages.
package davproxy

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
)

// User is the user name every proxy asks for; the password is what matters.
const User = "porchlight"

// Backend finds the current way to the friend: links come and go, so the
// proxy asks for each request.
type Backend func(ctx context.Context) (http.RoundTripper, error)

// Proxy is one running loopback WebDAV endpoint.
type Proxy struct {
	URL      string // http://127.0.0.1:PORT/PREFIX/SHARE/
	Password string
	ln       net.Listener
	srv      *http.Server
	hosts    map[string]bool
}

// Start listens on a free loopback port and forwards requests under
// prefix + /SHARE/ unchanged to the friend through backend. The proxy keeps
// the friend's own paths, so the links in WebDAV answers stay right.
func Start(share, prefix string, backend Backend, logger *slog.Logger) (*Proxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("start WebDAV proxy: %w", err)
	}
	// Hex, so no password starts with "-" (tools would read it as a flag).
	pw := make([]byte, 16)
	rand.Read(pw)
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	p := &Proxy{
		URL:      "http://127.0.0.1:" + port + prefix + "/" + url.PathEscape(share) + "/",
		Password: hex.EncodeToString(pw),
		ln:       ln,
		hosts:    map[string]bool{"127.0.0.1:" + port: true, "localhost:" + port: true},
	}
	rp := &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.Out.URL.Scheme, r.Out.URL.Host, r.Out.Host = "http", "peer", "peer"
			r.Out.Header.Del("Authorization")
			if d := r.In.Header.Get("Destination"); d != "" {
				if u, err := url.Parse(d); err == nil {
					u.Scheme, u.Host = "http", "peer"
					r.Out.Header.Set("Destination", u.String())
				}
			}
		},
		Transport: roundTripper(backend),
		ErrorLog:  slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			http.Error(w, "your friend cannot be reached right now: "+err.Error(), http.StatusBadGateway)
		},
	}
	p.srv = &http.Server{Handler: p.guard(prefix+"/"+share+"/", rp)}
	go p.srv.Serve(ln)
	return p, nil
}

type roundTripper Backend

func (b roundTripper) RoundTrip(r *http.Request) (*http.Response, error) {
	rt, err := b(r.Context())
	if err != nil {
		return nil, err
	}
	return rt.RoundTrip(r)
}

// guard lets through only our own programs: the right Host, no foreign
// Origin, the password, and paths inside the share.
func (p *Proxy) guard(prefix string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !p.hosts[r.Host] {
			http.Error(w, "wrong host", http.StatusMisdirectedRequest)
			return
		}
		if o := r.Header.Get("Origin"); o != "" {
			u, err := url.Parse(o)
			if err != nil || !p.hosts[u.Host] {
				http.Error(w, "cross-site requests are refused", http.StatusForbidden)
				return
			}
		}
		user, pass, ok := r.BasicAuth()
		if !ok || user != User || subtle.ConstantTimeCompare([]byte(pass), []byte(p.Password)) != 1 {
			w.Header().Set("WWW-Authenticate", `Basic realm="Porchlight"`)
			http.Error(w, "password needed", http.StatusUnauthorized)
			return
		}
		if d := r.Header.Get("Destination"); d != "" {
			u, err := url.Parse(d)
			if err != nil || (u.Host != "" && !p.hosts[u.Host]) || !strings.HasPrefix(u.Path, prefix) {
				http.Error(w, "the destination must be inside this share", http.StatusBadGateway)
				return
			}
		}
		if !strings.HasPrefix(r.URL.Path+"/", prefix) {
			http.NotFound(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// Close stops the proxy.
func (p *Proxy) Close() error {
	err := p.srv.Close()
	if errors.Is(err, net.ErrClosed) {
		return nil
	}
	return err
}

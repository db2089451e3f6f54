package davproxy

import (
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// echo is the friend's side: it answers with what reached it.
func echo(t *testing.T) Backend {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]string{
			"path": r.URL.Path, "host": r.Host, "dest": r.Header.Get("Destination"), "auth": r.Header.Get("Authorization"),
		})
	}))
	t.Cleanup(srv.Close)
	target, _ := url.Parse(srv.URL)
	tr := &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "tcp", target.Host)
	}}
	return func(context.Context) (http.RoundTripper, error) { return tr, nil }
}

func TestGuardAndRewrite(t *testing.T) {
	p, err := Start("Photos", "/dav", echo(t), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	base := strings.TrimSuffix(p.URL, "/dav/Photos/")
	host := strings.TrimPrefix(base, "http://")
	cases := []struct {
		name   string
		path   string
		host   string
		origin string
		dest   string
		auth   bool
		want   int
	}{
		{"ok", "/dav/Photos/a.jpg", host, "", "", true, 200},
		{"no password", "/dav/Photos/a.jpg", host, "", "", false, 401},
		{"rebinding host", "/dav/Photos/a.jpg", "evil.example:80", "", "", true, 421},
		{"foreign origin", "/dav/Photos/a.jpg", host, "http://evil.example", "", true, 403},
		{"own origin", "/dav/Photos/a.jpg", host, base, "", true, 200},
		{"other share", "/dav/Taxes/x", host, "", "", true, 404},
		{"destination outside", "/dav/Photos/a.jpg", host, "", base + "/dav/Taxes/a.jpg", true, 502},
		{"destination inside", "/dav/Photos/a.jpg", host, "", base + "/dav/Photos/b.jpg", true, 200},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req, _ := http.NewRequest("GET", base+c.path, nil)
			req.Host = c.host
			if c.origin != "" {
				req.Header.Set("Origin", c.origin)
			}
			if c.dest != "" {
				req.Header.Set("Destination", c.dest)
			}
			if c.auth {
				req.SetBasicAuth(User, p.Password)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != c.want {
				t.Fatalf("status %d, want %d", resp.StatusCode, c.want)
			}
			if c.want != 200 {
				return
			}
			var got map[string]string
			json.NewDecoder(resp.Body).Decode(&got)
			if got["path"] != c.path || got["host"] != "peer" || got["auth"] != "" {
				t.Fatalf("friend saw %v", got)
			}
			if c.dest != "" && got["dest"] != "http://peer/dav/Photos/b.jpg" {
				t.Fatalf("destination rewritten to %q", got["dest"])
			}
		})
	}
}

package e2e

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/porchlight/porchlight/signaling/client"
	"github.com/porchlight/porchlight/signaling/wire"
)

// startRelayWith runs porchlight-relay on addr with extra args and waits
// for its health check.
func startRelayWith(t *testing.T, addr string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := startProcess(t, "relay", "porchlight-relay", append([]string{"--listen", addr}, args...)...)
	waitFor(t, 10*time.Second, "relay healthz", func() error {
		_, err := httpGet("http://" + addr + "/healthz")
		return err
	})
	return cmd
}

func httpGet(url string) (string, error) {
	resp, err := http.Get(url)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return "", errors.New(resp.Status)
	}
	return string(b), err
}

// The relay is killed (SIGKILL, no goodbye) while a client is sending, and
// started again on the same port: the clients reconnect, resubscribe, and a
// resend goes through.
func TestRelayKilledMidSignaling(t *testing.T) {
	addr := freeAddr(t)
	url := "ws://" + addr + wire.Path
	cmd := startRelayWith(t, addr)

	got := make(chan client.Message, 16)
	_, ak, _ := ed25519.GenerateKey(nil)
	_, bk, _ := ed25519.GenerateKey(nil)
	alice := client.New(url, ak, nil, nil)
	bob := client.New(url, bk, func(m client.Message) { got <- m }, nil)
	to := wire.Address{9}
	bob.Subscribe(to)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go alice.Serve(ctx)
	go bob.Serve(ctx)

	// send retries as the app does: until the relay accepts it.
	send := func(id string) {
		t.Helper()
		waitFor(t, 20*time.Second, "send "+id, func() error {
			sctx, scancel := context.WithTimeout(ctx, 2*time.Second)
			defer scancel()
			return alice.Send(sctx, to, id, []byte("sealed "+id))
		})
	}
	receive := func(id string) {
		t.Helper()
		select {
		case m := <-got:
			if m.ID != id {
				t.Fatalf("received %s, want %s", m.ID, id)
			}
		case <-time.After(20 * time.Second):
			t.Fatalf("%s never delivered", id)
		}
	}
	waitFor(t, 10*time.Second, "bob online", func() error {
		if !bob.State().Connected {
			return errors.New("offline")
		}
		return nil
	})
	send("m1")
	receive("m1")

	cmd.Process.Kill()
	cmd.Wait()
	sctx, scancel := context.WithTimeout(ctx, 2*time.Second)
	err := alice.Send(sctx, to, "m2", []byte("lost?"))
	scancel()
	if err == nil {
		t.Log("m2 was accepted before the client saw the relay die; it is resent below")
	}

	startRelayWith(t, addr)
	send("m2") // the resend that the end-to-end ack protocol makes
	receive("m2")
}

func TestRelayBinaryOperatorEndpoints(t *testing.T) {
	addr := freeAddr(t)
	stunAddr := freeUDPAddr(t)
	conf := filepath.Join(t.TempDir(), "relay.conf")
	os.WriteFile(conf, []byte("# a test config\nstun = "+stunAddr+"\nturn = true\nallow-private = true\nmax-connections = 123\n"), 0o600)
	startRelayWith(t, addr, "--config", conf, "--max-connections", "456")

	var st struct {
		Capacity   int
		STUN, TURN bool
		Protocol   int
	}
	body, err := httpGet("http://" + addr + "/status")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(body), &st); err != nil {
		t.Fatal(err)
	}
	if st.Capacity != 456 || !st.STUN || !st.TURN || st.Protocol != wire.Version {
		t.Fatalf("status %s: the flag should win over the config, and STUN and TURN be on", body)
	}
	metrics, err := httpGet("http://" + addr + "/metrics")
	if err != nil || !strings.Contains(metrics, "porchlight_relay_turn_enabled 1") {
		t.Fatalf("metrics %v:\n%s", err, metrics)
	}

	_, key, _ := ed25519.GenerateKey(nil)
	c := client.New("ws://"+addr+wire.Path, key, nil, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	go c.Serve(ctx)
	var cr client.TURNCredentials
	waitFor(t, 10*time.Second, "turn credentials", func() error {
		cr, err = c.TURNCredentials(ctx)
		return err
	})
	if len(cr.URLs) != 1 || !strings.Contains(cr.URLs[0], stunAddr) || cr.Username == "" {
		t.Fatalf("credentials %+v", cr)
	}
}

func freeUDPAddr(t *testing.T) string {
	t.Helper()
	c, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	return c.LocalAddr().String()
}

// The systemd unit passes systemd-analyze verify, with ExecStart pointing at
// the binary just built.
func TestRelaySystemdUnit(t *testing.T) {
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze not installed")
	}
	unit, err := os.ReadFile("../installers/relay/porchlight-relay.service")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(unit), "ExecStart=/usr/local/bin/porchlight-relay", "ExecStart="+filepath.Join(binDir, "porchlight-relay"), 1)
	for _, want := range []string{"DynamicUser=yes", "NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes", "RestrictAddressFamilies="} {
		if !strings.Contains(text, want) {
			t.Errorf("unit lacks %s", want)
		}
	}
	path := filepath.Join(t.TempDir(), "porchlight-relay.service")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, analyze, "verify", path).CombinedOutput()
	if err != nil || len(strings.TrimSpace(string(out))) > 0 {
		t.Fatalf("systemd-analyze verify: %v\n%s", err, out)
	}
}

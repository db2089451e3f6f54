package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	_ "net/http/pprof" // only when LOADGEN_PPROF is set
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/coder/websocket"

	"github.com/porchlight/porchlight/signaling/relay"
)

// serveRole runs in the server subprocess: the relay, or the naive
// coder/websocket server that anchors the memory comparison.
func serveRole(role string) error {
	raiseFileLimit()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	var h http.Handler
	switch role {
	case "relay":
		relay.TuneMemory() // as cmd/porchlight-relay does
		h = relay.New(relay.Config{
			ListenAddr:                   ln.Addr().String(),
			MaxConnections:               20000,
			MaxConnectionsPerIP:          20000,
			NewConnectionsPerSecond:      1e6,
			NewConnectionBurst:           1e6,
			NewConnectionsPerSecondPerIP: 1e6,
			NewConnectionBurstPerIP:      1e6,
			MessagesPerSecond:            1000,
			MessageBurst:                 1000,
			IdleTimeout:                  10 * time.Minute,
		}, slog.New(slog.DiscardHandler))
	case "naive":
		h = http.HandlerFunc(naiveServer)
	default:
		return fmt.Errorf("unknown role %q", role)
	}
	if os.Getenv("LOADGEN_PPROF") != "" { // go tool pprof http://ADDR/debug/pprof/heap
		runtime.MemProfileRate = 64
		mux := http.NewServeMux()
		mux.Handle("/debug/pprof/", http.DefaultServeMux)
		mux.Handle("/", h)
		h = mux
	}
	fmt.Printf("READY %s\n", ln.Addr())
	go func() { io.Copy(io.Discard, os.Stdin); os.Exit(0) }() // the parent went away
	return http.Serve(ln, h)
}

// naiveServer is what a first WebSocket server looks like: Accept, then a
// goroutine reading messages until the client leaves.
func naiveServer(w http.ResponseWriter, r *http.Request) {
	ws, err := websocket.Accept(w, r, nil)
	if err != nil {
		return
	}
	defer ws.CloseNow()
	for {
		if _, _, err := ws.Read(context.Background()); err != nil {
			return
		}
	}
}

// server is a server subprocess.
type server struct {
	cmd  *exec.Cmd
	addr string
}

func startServer(role string) (*server, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(exe, "-role", role)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	_ = stdin // closed when we exit, which ends the child
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	addr, ok := strings.CutPrefix(strings.TrimSpace(line), "READY ")
	if err != nil || !ok {
		cmd.Process.Kill()
		return nil, fmt.Errorf("start %s server: %q, %v", role, line, err)
	}
	return &server{cmd: cmd, addr: addr}, nil
}

func (s *server) stop() {
	s.cmd.Process.Kill()
	s.cmd.Wait()
}

// rssKB reads VmRSS of the server process.
func (s *server) rssKB() int {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(s.cmd.Process.Pid) + "/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			n, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			return n
		}
	}
	return 0
}

// raiseFileLimit raises RLIMIT_NOFILE to its hard limit.
func raiseFileLimit() {
	var l syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l) == nil {
		l.Cur = l.Max
		syscall.Setrlimit(syscall.RLIMIT_NOFILE, &l)
	}
}

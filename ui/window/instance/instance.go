// Package instance keeps one Porchlight window per data directory. The first
// window listens on a Unix socket; a later start hands its request (which
// view, which link) to that window and exits, so the open window comes
// forward instead of a second one opening.
//
// The protocol is one JSON line each way:
//
//	second start                      open window
//	     | -- dial WindowSocketPath --------> |
//	     | -- {"view":"accept","link":".."} > |  Serve calls the handler
//	     | <------------------ {"ok":true} -- |
//	     | exit 0                             |
package instance

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"
	"time"
)

// Request is what a second start asks the open window to show.
type Request struct {
	View string `json:"view"`
	Link string `json:"link,omitempty"`
}

// reply acknowledges a Request.
type reply struct {
	OK bool `json:"ok"`
}

// Limits of the protocol.
const (
	maxLine   = 64 << 10
	ioTimeout = 5 * time.Second
)

// Errors of Forward and Claim.
var (
	// ErrNoWindow reports that no window answers on the socket.
	ErrNoWindow = errors.New("no Porchlight window is open")
	// ErrForwarded reports that the request went to the window already
	// open, so this process has nothing more to do.
	ErrForwarded = errors.New("handed over to the open Porchlight window")
)

// Forward hands req to the window listening on socket. It returns
// ErrNoWindow when none is listening (the socket is missing or stale).
func Forward(ctx context.Context, socket string, req Request) error {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "unix", socket)
	if err != nil {
		if errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, os.ErrNotExist) || errors.Is(err, syscall.ENOENT) {
			return ErrNoWindow
		}
		return fmt.Errorf("dial window socket: %w", err)
	}
	defer conn.Close()
	deadline := time.Now().Add(ioTimeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	if err := conn.SetDeadline(deadline); err != nil {
		return fmt.Errorf("forward to window: %w", err)
	}
	if err := json.NewEncoder(conn).Encode(req); err != nil {
		return fmt.Errorf("forward to window: %w", err)
	}
	var r reply
	if err := json.NewDecoder(io.LimitReader(conn, maxLine)).Decode(&r); err != nil {
		return fmt.Errorf("read window's answer: %w", err)
	}
	if !r.OK {
		return errors.New("forward to window: the window refused the request")
	}
	return nil
}

// Listener is the open window's end of the socket.
type Listener struct {
	ln *net.UnixListener
}

// Listen claims socket for this window (mode 0600). A stale socket left by
// a window that died is removed; a live one makes Listen fail.
func Listen(socket string) (*Listener, error) {
	if _, err := os.Lstat(socket); err == nil {
		if err := Forward(context.Background(), socket, Request{}); !errors.Is(err, ErrNoWindow) {
			return nil, fmt.Errorf("listen on %s: a window is already open", socket)
		}
		if err := os.Remove(socket); err != nil {
			return nil, fmt.Errorf("remove stale window socket: %w", err)
		}
	}
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: socket, Net: "unix"})
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", socket, err)
	}
	if err := os.Chmod(socket, 0o600); err != nil {
		ln.Close()
		return nil, fmt.Errorf("restrict window socket: %w", err)
	}
	return &Listener{ln: ln}, nil
}

// Claim makes this process the window for socket, or hands req to the window
// that already is. It returns a Listener when this process should open the
// window, or ErrForwarded when req went to the open one.
func Claim(ctx context.Context, socket string, req Request) (*Listener, error) {
	var err error
	for range 3 {
		if err = Forward(ctx, socket, req); err == nil {
			return nil, ErrForwarded
		}
		if !errors.Is(err, ErrNoWindow) {
			return nil, err
		}
		var l *Listener
		if l, err = Listen(socket); err == nil {
			return l, nil
		}
		// Perhaps another window won the race to listen: try handing over
		// to it before giving up.
	}
	return nil, fmt.Errorf("claim window socket: %w", err)
}

// Serve answers requests until Close, calling show for each one (an empty
// View is a probe and is not passed on). show runs on Serve's goroutine.
func (l *Listener) Serve(show func(Request)) error {
	for {
		conn, err := l.ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			return fmt.Errorf("accept on window socket: %w", err)
		}
		go l.answer(conn, show)
	}
}

func (l *Listener) answer(conn net.Conn, show func(Request)) {
	defer conn.Close()
	if err := conn.SetDeadline(time.Now().Add(ioTimeout)); err != nil {
		return
	}
	line, err := bufio.NewReaderSize(io.LimitReader(conn, maxLine), 4096).ReadBytes('\n')
	if err != nil {
		return
	}
	var req Request
	if err := json.Unmarshal(line, &req); err != nil {
		json.NewEncoder(conn).Encode(reply{OK: false})
		return
	}
	if req.View != "" || req.Link != "" {
		show(req)
	}
	json.NewEncoder(conn).Encode(reply{OK: true})
}

// Close stops listening and removes the socket.
func (l *Listener) Close() error {
	if err := l.ln.Close(); err != nil {
		return fmt.Errorf("close window socket: %w", err)
	}
	return nil
}

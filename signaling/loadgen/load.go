package main

import (
	"context"
	"crypto/ed25519"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"

	"github.com/porchlight/porchlight/signaling/wire"
)

// result is what one relay run measured.
type result struct {
	clients        int
	peak           int // logged-in clients the relay reported
	baseKB, heldKB int
	rssPerClientKB float64
	afterKB        int // holding the clients after the traffic
	afterPerClient float64
	sent, received int64
	elapsed        time.Duration
	p50, p99, max  time.Duration
	failures       int64
}

func (r result) print() {
	fmt.Printf("clients opened:             %d\n", r.clients)
	fmt.Printf("peak clients held:          %d\n", r.peak)
	fmt.Printf("relay RSS:                  %d KB before clients, %d KB holding them\n", r.baseKB, r.heldKB)
	fmt.Printf("relay RSS per client:       %.1f KB (idle clients, before traffic)\n", r.rssPerClientKB)
	fmt.Printf("relay RSS per client:       %.1f KB (after the traffic: %d KB)\n", r.afterPerClient, r.afterKB)
	fmt.Printf("messages:                   %d sent, %d delivered, %d failed sends\n", r.sent, r.received, r.failures)
	fmt.Printf("forwarded msgs/s:           %.0f\n", float64(r.received)/r.elapsed.Seconds())
	fmt.Printf("forwarding latency:         p50 %v, p99 %v, max %v\n", r.p50, r.p99, r.max)
}

// loadClient is one logged-in, subscribed client.
type loadClient struct {
	ws   *websocket.Conn
	addr wire.Address // its own address, that others send to
}

// dialer dials from one of several loopback source addresses, so no source
// runs out of ephemeral ports.
func dialer(source int) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, byte(2+source))}}
	return &http.Client{Transport: &http.Transport{DialContext: d.DialContext}}
}

// openClients opens n connections with up to 64 at a time; login says
// whether to log in and subscribe (the relay) or just hold them (naive).
func openClients(serverAddr string, n, sources int, login bool, onFrame func(*loadClient, wire.Frame)) ([]*loadClient, error) {
	url := "ws://" + serverAddr + wire.Path
	canon, _ := wire.CanonicalURL(url)
	httpClients := make([]*http.Client, sources)
	for i := range httpClients {
		httpClients[i] = dialer(i)
	}
	clients := make([]*loadClient, n)
	var firstErr atomic.Value
	var next atomic.Int64
	var wg sync.WaitGroup
	for range 64 {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n || firstErr.Load() != nil {
					return
				}
				c, err := openClient(canon, url, httpClients[i%sources], i, login)
				if err != nil {
					firstErr.CompareAndSwap(nil, fmt.Errorf("client %d: %w", i, err))
					return
				}
				clients[i] = c
				go readLoop(c, onFrame)
			}
		})
	}
	wg.Wait()
	if err, _ := firstErr.Load().(error); err != nil {
		closeClients(clients)
		return nil, err
	}
	return clients, nil
}

func openClient(canon, url string, hc *http.Client, i int, login bool) (*loadClient, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ws, _, err := websocket.Dial(ctx, url, &websocket.DialOptions{HTTPClient: hc, CompressionMode: websocket.CompressionDisabled})
	if err != nil {
		return nil, err
	}
	ws.SetReadLimit(wire.MaxFrame)
	c := &loadClient{ws: ws}
	binary.BigEndian.PutUint64(c.addr[:], uint64(i)+1)
	if !login {
		return c, nil
	}
	_, key, _ := ed25519.GenerateKey(nil)
	ch, err := read(ctx, ws)
	if err != nil {
		return nil, err
	}
	sig := ed25519.Sign(key, wire.LoginMessage(canon, wire.Version, ch.Nonce))
	if err := write(ctx, ws, wire.Frame{Type: wire.TypeLogin, V: wire.Version, Pub: key.Public().(ed25519.PublicKey), Sig: sig}); err != nil {
		return nil, err
	}
	if f, err := read(ctx, ws); err != nil || f.Type != wire.TypeWelcome {
		return nil, fmt.Errorf("login: %+v, %v", f, err)
	}
	if err := write(ctx, ws, wire.Frame{Type: wire.TypeSub, Addrs: []wire.Address{c.addr}}); err != nil {
		return nil, err
	}
	return c, nil
}

func readLoop(c *loadClient, onFrame func(*loadClient, wire.Frame)) {
	for {
		f, err := read(context.Background(), c.ws)
		if err != nil {
			return
		}
		if onFrame != nil {
			onFrame(c, f)
		}
	}
}

func closeClients(clients []*loadClient) {
	for _, c := range clients {
		if c != nil {
			c.ws.CloseNow()
		}
	}
}

func read(ctx context.Context, ws *websocket.Conn) (wire.Frame, error) {
	_, b, err := ws.Read(ctx)
	if err != nil {
		return wire.Frame{}, err
	}
	return wire.DecodeFrame(b)
}

func write(ctx context.Context, ws *websocket.Conn, f wire.Frame) error {
	b, err := wire.EncodeFrame(f)
	if err != nil {
		return err
	}
	return ws.Write(ctx, websocket.MessageText, b)
}

// settledRSS waits for the server's RSS to stop moving, and returns it.
func settledRSS(s *server) int {
	prev := s.rssKB()
	for range 20 {
		time.Sleep(250 * time.Millisecond)
		cur := s.rssKB()
		if abs(cur-prev) < 256 {
			return cur
		}
		prev = cur
	}
	return prev
}

func abs(x int) int { return max(x, -x) }

func measureRelay(n, sources, rate int, duration time.Duration) (result, error) {
	srv, err := startServer("relay")
	if err != nil {
		return result{}, err
	}
	defer srv.stop()
	res := result{clients: n, baseKB: settledRSS(srv)}

	var mu sync.Mutex
	var latencies []time.Duration
	var received, failures atomic.Int64
	onFrame := func(c *loadClient, f wire.Frame) {
		switch f.Type {
		case wire.TypeDeliver:
			if len(f.Payload) >= 8 {
				d := time.Duration(time.Now().UnixNano() - int64(binary.BigEndian.Uint64(f.Payload)))
				mu.Lock()
				latencies = append(latencies, d)
				mu.Unlock()
				received.Add(1)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			write(ctx, c.ws, wire.Frame{Type: wire.TypeAck, ID: f.ID, To: f.To})
			cancel()
		case wire.TypeError:
			failures.Add(1)
		}
	}
	start := time.Now()
	clients, err := openClients(srv.addr, n, sources, true, onFrame)
	if err != nil {
		return res, err
	}
	defer closeClients(clients)
	fmt.Printf("opened %d clients in %v\n", n, time.Since(start).Round(time.Millisecond))
	res.peak = loggedIn(srv.addr)
	res.heldKB = settledRSS(srv)
	res.rssPerClientKB = float64(res.heldKB-res.baseKB) / float64(n)
	if hold := os.Getenv("LOADGEN_HOLD"); hold != "" {
		d, _ := time.ParseDuration(hold)
		fmt.Printf("holding the clients for %v: relay at %s, pid %d\n", d, srv.addr, srv.cmd.Process.Pid)
		time.Sleep(d)
	}

	// Traffic: every tick, senders picked in turn send to the next client,
	// as many as keep the total on rate.
	const tick = 5 * time.Millisecond
	jobs := make(chan int, 1024)
	var wg sync.WaitGroup
	var sent atomic.Int64
	for range 16 {
		wg.Go(func() {
			for i := range jobs {
				from, to := clients[i%n], clients[(i+1)%n]
				payload := make([]byte, 200) // signaling chatter; a sealed SDP is larger
				binary.BigEndian.PutUint64(payload, uint64(time.Now().UnixNano()))
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				if write(ctx, from.ws, wire.Frame{Type: wire.TypeSend, ID: "m" + strconv.Itoa(i), To: to.addr, Payload: payload}) == nil {
					sent.Add(1)
				}
				cancel()
			}
		})
	}
	t := time.NewTicker(tick)
	begin := time.Now()
	for i := 0; time.Since(begin) < duration; {
		<-t.C
		for due := int(time.Since(begin).Seconds() * float64(rate)); i < due; i++ {
			jobs <- i
		}
	}
	t.Stop()
	close(jobs)
	wg.Wait()
	res.elapsed = time.Since(begin)
	time.Sleep(500 * time.Millisecond) // the last deliveries
	res.sent, res.received, res.failures = sent.Load(), received.Load(), failures.Load()
	res.peak = max(res.peak, loggedIn(srv.addr))
	res.afterKB = settledRSS(srv)
	res.afterPerClient = float64(res.afterKB-res.baseKB) / float64(n)
	mu.Lock()
	slices.Sort(latencies)
	if len(latencies) > 0 {
		res.p50 = latencies[len(latencies)/2]
		res.p99 = latencies[len(latencies)*99/100]
		res.max = latencies[len(latencies)-1]
	}
	mu.Unlock()
	return res, nil
}

func loggedIn(addr string) int {
	resp, err := http.Get("http://" + addr + "/status")
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	var st struct{ Clients int }
	json.NewDecoder(resp.Body).Decode(&st)
	return st.Clients
}

func measureNaive(n, sources int) (float64, error) {
	srv, err := startServer("naive")
	if err != nil {
		return 0, err
	}
	defer srv.stop()
	base := settledRSS(srv)
	clients, err := openClients(srv.addr, n, sources, false, nil)
	if err != nil {
		return 0, err
	}
	defer closeClients(clients)
	held := settledRSS(srv)
	fmt.Printf("naive server RSS:           %d KB before clients, %d KB holding them\n", base, held)
	return float64(held-base) / float64(n), nil
}

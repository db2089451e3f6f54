// Command loadgen measures a Porchlight relay on loopback: it starts the
// relay in a subprocess, opens N logged-in, subscribed clients from several
// 127.0.0.x source addresses, exchanges signaling traffic at a fixed rate for
// a bounded time, and prints the peak clients held, the relay's RSS per
// client, forwarded messages per second and forwarding latency. It then
// measures a naive coder/websocket server holding the same number of
// connections the same way, as the anchor.
//
//	go run ./signaling/loadgen -clients 15000 -rate 2000 -duration 20s
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"time"
)

func main() {
	role := flag.String("role", "", "internal: run as the relay or naive server subprocess")
	clients := flag.Int("clients", 2000, "clients to hold (at most ~15000: 20,000 files per process)")
	rate := flag.Int("rate", 2000, "messages per second to exchange")
	duration := flag.Duration("duration", 10*time.Second, "how long to exchange messages (at most 2m)")
	sources := flag.Int("sources", 4, "source addresses 127.0.0.2 ... to spread clients over")
	naive := flag.Bool("naive", true, "also measure a naive coder/websocket server")
	flag.Parse()
	if *role != "" {
		if err := serveRole(*role); err != nil {
			fmt.Fprintln(os.Stderr, "loadgen:", err)
			os.Exit(1)
		}
		return
	}
	raiseFileLimit()
	*duration = min(*duration, 2*time.Minute)
	*clients = min(*clients, 16000)
	res, err := measureRelay(*clients, *sources, *rate, *duration)
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
	res.print()
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		fmt.Printf("machine load average:       %s  (latency suffers when other work holds the CPUs)\n", strings.Join(strings.Fields(string(b))[:3], " "))
	}
	if *naive {
		perClient, err := measureNaive(*clients, *sources)
		if err != nil {
			fmt.Fprintln(os.Stderr, "loadgen: naive server:", err)
			os.Exit(1)
		}
		fmt.Printf("naive coder/websocket RSS:  %.1f KB per client\n", perClient)
		fmt.Printf("relay / naive:              %.2f\n", res.rssPerClientKB/perClient)
	}
}

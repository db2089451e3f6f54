package link

import (
	"io"
	"net/http"
	"os"
	"strconv"
	"testing"
	"time"
)

func TestZZDiag(t *testing.T) {
	if os.Getenv("ZZ") == "" {
		t.Skip()
	}
	cfg := Config{Interfaces: []string{"lo"}}
	off, ans := connectWith(t, cfg, cfg)
	n := 256 << 20
	go ans.Serve(t.Context(), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		buf := make([]byte, 256<<10)
		for left := n; left > 0; left -= len(buf) {
			if _, err := w.Write(buf); err != nil {
				return
			}
		}
	}))
	stop := make(chan struct{})
	go func() {
		var last uint64
		for {
			select {
			case <-stop:
				return
			case <-time.After(250 * time.Millisecond):
			}
			s := ans.pc.SCTP().Stats()
			t.Logf("sent %6.1f MB/s cwnd %8d rwnd %8d srtt %.2fms", float64(s.BytesSent-last)/0.25e6, s.CongestionWindow, s.ReceiverWindow, s.SmoothedRoundTripTime*1000)
			last = s.BytesSent
		}
	}()
	start := time.Now()
	resp, err := off.Client().Get("http://peer/x")
	if err != nil {
		t.Fatal(err)
	}
	k, _ := io.Copy(io.Discard, resp.Body)
	close(stop)
	t.Logf("%d bytes %.1f MB/s", k, float64(k)/1e6/time.Since(start).Seconds())
	_ = strconv.Itoa
}

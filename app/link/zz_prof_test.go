package link

// TEMPORARY profiling helper; delete before handing back.

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/pion/logging"
	"github.com/pion/transport/v4/vnet"
	"github.com/pion/webrtc/v4"
)

func TestZZProf(t *testing.T) {
	if os.Getenv("ZZPROF") == "" {
		t.Skip()
	}
	mib, _ := strconv.Atoi(os.Getenv("ZZMIB"))
	if mib == 0 {
		mib = 256
	}
	n := mib << 20
	var oc, ac Config
	if os.Getenv("ZZDELAY") != "" {
		logs := logging.NewDefaultLoggerFactory()
		logs.DefaultLogLevel = logging.LogLevelError
		wan, _ := vnet.NewRouter(&vnet.RouterConfig{CIDR: "10.0.0.0/24", MinDelay: 25 * time.Millisecond, LoggerFactory: logs})
		host := func(ip string) *vnet.Net {
			n, _ := vnet.NewNet(&vnet.NetConfig{StaticIPs: []string{ip}})
			_ = wan.AddNet(n)
			return n
		}
		a, b := host("10.0.0.1"), host("10.0.0.2")
		_ = wan.Start()
		defer wan.Stop()
		oc = Config{Interfaces: []string{"eth0"}, Net: a}
		ac = Config{Interfaces: []string{"eth0"}, Net: b}
	} else {
		oc, ac = Config{Interfaces: []string{"lo"}}, Config{Interfaces: []string{"lo"}}
	}
	envInt := func(k string) int { v, _ := strconv.Atoi(os.Getenv(k)); return v }
	if v := envInt("ZZHIGH"); v > 0 {
		bufferedHigh = v << 10
		bufferedLow = v << 9
	}
	if v := envInt("ZZLOW"); v > 0 {
		bufferedLow = v << 10
	}
	if v := envInt("ZZFRAME"); v > 0 {
		h2MaxFrame = v << 10
	}
	if v := envInt("ZZWRITE"); v > 0 {
		writeMessageSize = v << 10
	}
	adj := func(s *webrtc.SettingEngine) {
		if os.Getenv("ZZZERO") != "" {
			s.EnableSCTPZeroChecksum(true)
		}
		if v := envInt("ZZRBUF"); v > 0 {
			s.SetSCTPMaxReceiveBufferSize(uint32(v << 10))
		}
		if v := envInt("ZZCA"); v > 0 {
			s.SetSCTPCwndCAStep(uint32(v << 10))
		}
		if v := envInt("ZZMINCWND"); v > 0 {
			s.SetSCTPMinCwnd(uint32(v << 10))
		}
		if v := envInt("ZZFASTRTX"); v > 0 {
			s.SetSCTPFastRtxWnd(uint32(v << 10))
		}
		if v := envInt("ZZRTOMAX"); v > 0 {
			s.SetSCTPRTOMax(time.Duration(v) * time.Millisecond)
		}
		if os.Getenv("ZZBLOCK") != "" {
			s.EnableDataChannelBlockWrite(true)
		}
	}
	oc.adjustSettings, ac.adjustSettings = adj, adj
	ctx := context.Background()
	pending, offer, err := Offer(ctx, oc)
	if err != nil {
		t.Fatal(err)
	}
	ans, answer, err := Answer(ctx, ac, offer)
	if err != nil {
		t.Fatal(err)
	}
	defer ans.Close()
	go ans.Serve(ctx, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.URL.Query().Get("n"))
		buf := make([]byte, 256<<10)
		for n > 0 {
			k, err := w.Write(buf[:min(n, len(buf))])
			if err != nil {
				return
			}
			n -= k
		}
	}))
	off, err := pending.Complete(ctx, answer)
	if err != nil {
		t.Fatal(err)
	}
	defer off.Close()
	cpu0 := cpuNow()
	start := time.Now()
	stop := make(chan struct{})
	defer close(stop)
	if os.Getenv("ZZSTATS") != "" {
		go func() {
			tk := time.NewTicker(500 * time.Millisecond)
			defer tk.Stop()
			var last uint64
			for {
				select {
				case <-stop:
					return
				case <-tk.C:
				}
				st := ans.pc.SCTP().Stats()
				ans.mu.Lock()
				in := ans.incoming
				ans.mu.Unlock()
				fmt.Printf("  sent %.1f MB/s cwnd %d rwnd %d srtt %.1fms buffered %d\n", float64(st.BytesSent-last)/0.5e6, st.CongestionWindow, st.ReceiverWindow, st.SmoothedRoundTripTime*1000, in.ch.BufferedAmount())
				last = st.BytesSent
			}
		}()
	}
	resp, err := off.Client().Get("http://peer/?n=" + strconv.Itoa(n))
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 256<<10)
	got := 0
	for got < n {
		k, err := resp.Body.Read(buf)
		got += k
		if err != nil {
			break
		}
	}
	resp.Body.Close()
	fmt.Printf("ZZ %s %d MiB: %.1f MB/s  cpu %.2f s/GB\n", os.Getenv("ZZTAG"), mib, float64(got)/1e6/time.Since(start).Seconds(), (cpuNow()-cpu0).Seconds()/(float64(got)/1e9))
}

func cpuNow() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

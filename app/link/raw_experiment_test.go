package link

import (
	"io"
	"testing"
	"time"
)

func TestRawThroughputExperiment(t *testing.T) {
	raw, conn := channelPair(t)
	const size = 50 << 20
	src := make([]byte, size)
	go func() {
		c := newDataConn(raw, "w")
		if _, err := c.Write(src); err != nil {
			t.Errorf("write: %v", err)
		}
	}()
	start := time.Now()
	n, err := io.CopyN(io.Discard, conn, size)
	el := time.Since(start)
	t.Logf("%d bytes %v: %.1f MB/s", n, err, float64(n)/1e6/el.Seconds())
}

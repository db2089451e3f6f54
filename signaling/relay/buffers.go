package relay

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"net/http"
)

// hijackBufferSize is the size of the write buffer a WebSocket keeps after
// the upgrade, and twice its read buffer's. net/http hands over 4 KiB of
// each; most frames are a few hundred bytes, and bigger ones bypass a buffer
// anyway, so small buffers save most of a client's memory at little cost.
const hijackBufferSize = 512

// smallBuffers is a ResponseWriter whose Hijack swaps net/http's buffers for
// small ones (keeping any bytes the client sent early), so that the big ones
// are freed once the upgrade is done.
type smallBuffers struct{ http.ResponseWriter }

func (w smallBuffers) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, brw, err := http.NewResponseController(w.ResponseWriter).Hijack()
	if err != nil {
		return nil, nil, err
	}
	if err := brw.Flush(); err != nil {
		conn.Close()
		return nil, nil, err
	}
	var r io.Reader = conn
	if n := brw.Reader.Buffered(); n > 0 {
		early, _ := brw.Reader.Peek(n)
		r = io.MultiReader(bytes.NewReader(bytes.Clone(early)), conn)
	}
	return conn, bufio.NewReadWriter(bufio.NewReaderSize(r, hijackBufferSize/2), bufio.NewWriterSize(conn, hijackBufferSize)), nil
}

// Unwrap lets http.ResponseController reach the real ResponseWriter.
func (w smallBuffers) Unwrap() http.ResponseWriter { return w.ResponseWriter }

package udpbatch

import (
	"encoding/binary"
	"errors"
	"net"

	"golang.org/x/sys/unix"
)

// offload is what the socket's kernel can do with batches.
type offload struct {
	segment  bool   // UDP_SEGMENT: one send, many datagrams
	coalesce bool   // UDP_GRO: one read, many datagrams
	oob      []byte // the sender's reusable control message
}

// enableOffload asks the kernel for segmentation offload on sends
// (Linux 4.18) and coalesced reads (Linux 5.0); either may be missing.
func enableOffload(conn *net.UDPConn) offload {
	var o offload
	raw, err := conn.SyscallConn()
	if err != nil {
		return o
	}
	_ = raw.Control(func(fd uintptr) {
		if _, err := unix.GetsockoptInt(int(fd), unix.IPPROTO_UDP, unix.UDP_SEGMENT); err == nil {
			o.segment = true
		}
		if err := unix.SetsockoptInt(int(fd), unix.IPPROTO_UDP, unix.UDP_GRO, 1); err == nil {
			o.coalesce = true
		}
	})
	o.oob = make([]byte, unix.CmsgSpace(2))
	return o
}

// segmentOOB is the control message that makes one send carry datagrams
// of size bytes each.
func (o *offload) segmentOOB(size int) []byte {
	b := o.oob[:unix.CmsgSpace(2)]
	clear(b)
	// struct cmsghdr: a length the size of a word, then level and type.
	lenSize := unix.SizeofCmsghdr - 8
	if lenSize == 8 {
		binary.NativeEndian.PutUint64(b, uint64(unix.CmsgLen(2)))
	} else {
		binary.NativeEndian.PutUint32(b, uint32(unix.CmsgLen(2)))
	}
	binary.NativeEndian.PutUint32(b[lenSize:], unix.IPPROTO_UDP)
	binary.NativeEndian.PutUint32(b[lenSize+4:], unix.UDP_SEGMENT)
	binary.NativeEndian.PutUint16(b[unix.CmsgLen(0):], uint16(size))
	return b
}

// coalescedSize reads the size of each datagram in a coalesced read from
// its control messages; 0 means the read holds one datagram.
func coalescedSize(oob []byte) int {
	msgs, err := unix.ParseSocketControlMessage(oob)
	if err != nil {
		return 0
	}
	for _, m := range msgs {
		if m.Header.Level == unix.IPPROTO_UDP && m.Header.Type == unix.UDP_GRO && len(m.Data) >= 4 {
			return int(binary.NativeEndian.Uint32(m.Data))
		}
	}
	return 0
}

// offloadRefused reports whether a send failed because the route cannot
// segment (a device without checksum offload answers EIO).
func offloadRefused(err error) bool {
	return errors.Is(err, unix.EIO) || errors.Is(err, unix.EINVAL) || errors.Is(err, unix.EOPNOTSUPP)
}

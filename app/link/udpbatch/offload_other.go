//go:build !linux

package udpbatch

import "net"

// offload is empty where the kernel offers no UDP batching.
type offload struct {
	segment  bool
	coalesce bool
}

func enableOffload(*net.UDPConn) offload { return offload{} }

func (o *offload) segmentOOB(int) []byte { return nil }

func coalescedSize([]byte) int { return 0 }

func offloadRefused(error) bool { return false }

package main

import (
	"os"
	"runtime/debug"
)

// The core's garbage collector trades memory for CPU during transfers.
// A WebRTC transfer allocates for every 1.2 KB packet (pion), and at Go's
// default GOGC of 100 the collector took a sixth of the CPU. Measured on a
// 256 MiB download between two daemons on loopback (docs/decisions/0009):
// GOGC 100 gave 44 MB/s with peak RSS 55 MB (host) and 45 MB (downloader);
// 200 gave 51 MB/s, 66 and 52 MB; 400 gave 57 MB/s, 96 and 67 MB. Idle
// memory does not change (the idle heap is small): 32 MB either way.
const (
	coreGCPercent = 400
	// coreMemoryLimit makes the collector work harder before the heap
	// grows past it, whatever GOGC allows.
	coreMemoryLimit = 256 << 20
)

// tuneGC applies the core's collector settings, unless the environment
// chose its own (GOGC, GOMEMLIMIT).
func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(coreGCPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(coreMemoryLimit)
	}
}

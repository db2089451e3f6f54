package share

import (
	"encoding/xml"
	"maps"
	"net/http"
	"strings"
	"sync"

	"golang.org/x/net/webdav"
)

// maxDeadPropBytes bounds the dead properties one share holds.
const maxDeadPropBytes = 4 << 20

// deadProps holds the WebDAV dead properties (those a client sets with
// PROPPATCH) of one share's files, by clean path. They live in memory, like
// the share's locks: file managers use them as hints, and a resident's disk
// should not fill with sidecar files for them. They follow MOVE and DELETE
// through this package's FileSystem, not changes made by other means.
type deadProps struct {
	mu    sync.Mutex
	byRel map[string]map[xml.Name]webdav.Property
	bytes int
}

func newDeadProps() *deadProps {
	return &deadProps{byRel: make(map[string]map[xml.Name]webdav.Property)}
}

func propSize(p webdav.Property) int {
	return len(p.XMLName.Space) + len(p.XMLName.Local) + len(p.Lang) + len(p.InnerXML)
}

func (d *deadProps) get(rel string) map[xml.Name]webdav.Property {
	d.mu.Lock()
	defer d.mu.Unlock()
	return maps.Clone(d.byRel[rel])
}

// patch applies patches all or nothing, as webdav.DeadPropsHolder asks.
func (d *deadProps) patch(rel string, patches []webdav.Proppatch) []webdav.Propstat {
	d.mu.Lock()
	defer d.mu.Unlock()
	props := maps.Clone(d.byRel[rel])
	if props == nil {
		props = make(map[xml.Name]webdav.Property)
	}
	size := d.bytes
	pstat := webdav.Propstat{Status: http.StatusOK}
	for _, patch := range patches {
		for _, p := range patch.Props {
			pstat.Props = append(pstat.Props, webdav.Property{XMLName: p.XMLName})
			if old, ok := props[p.XMLName]; ok {
				size -= propSize(old)
				delete(props, p.XMLName)
			}
			if !patch.Remove {
				props[p.XMLName] = p
				size += propSize(p)
			}
		}
	}
	if size > maxDeadPropBytes {
		pstat.Status = http.StatusInsufficientStorage
		return []webdav.Propstat{pstat}
	}
	d.bytes = size
	if len(props) == 0 {
		delete(d.byRel, rel)
	} else {
		d.byRel[rel] = props
	}
	return []webdav.Propstat{pstat}
}

// remove forgets the properties of rel and everything under it.
func (d *deadProps) remove(rel string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for r, props := range d.byRel {
		if within(r, rel) {
			for _, p := range props {
				d.bytes -= propSize(p)
			}
			delete(d.byRel, r)
		}
	}
}

// move carries the properties of oldRel and everything under it to newRel,
// replacing whatever newRel had.
func (d *deadProps) move(oldRel, newRel string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for r, props := range d.byRel {
		if within(r, newRel) {
			for _, p := range props {
				d.bytes -= propSize(p)
			}
			delete(d.byRel, r)
		}
	}
	moved := make(map[string]map[xml.Name]webdav.Property)
	for r, props := range d.byRel {
		if within(r, oldRel) {
			moved[newRel+strings.TrimPrefix(r, oldRel)] = props
			delete(d.byRel, r)
		}
	}
	maps.Copy(d.byRel, moved)
}

// within reports whether the clean path r is base or below it.
func within(r, base string) bool {
	return r == base || strings.HasPrefix(r, base+"/")
}

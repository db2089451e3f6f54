package share

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// MemoryCatalog is a Catalog held in memory, for tests and small uses.
// It is safe for concurrent use.
type MemoryCatalog struct {
	mu      sync.RWMutex
	folders map[string]Folder
}

var _ Catalog = (*MemoryCatalog)(nil)

// NewMemoryCatalog returns a catalog holding folders (see Put).
func NewMemoryCatalog(folders ...Folder) *MemoryCatalog {
	c := &MemoryCatalog{folders: make(map[string]Folder)}
	for _, f := range folders {
		c.Put(f)
	}
	return c
}

// Put adds f, or replaces the share with the same name. An empty Audience
// becomes AudienceAllFriends and an empty Mode becomes ModeReadOnly.
func (c *MemoryCatalog) Put(f Folder) {
	if f.Audience == "" {
		f.Audience = AudienceAllFriends
	}
	if f.Mode == "" {
		f.Mode = ModeReadOnly
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.folders[f.Name] = f
}

// Remove stops sharing the folder called name; removing a missing share is
// not an error.
func (c *MemoryCatalog) Remove(name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.folders, name)
}

// Folders returns every share, sorted by name.
func (c *MemoryCatalog) Folders(ctx context.Context) ([]Folder, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	folders := make([]Folder, 0, len(c.folders))
	for _, f := range c.folders {
		folders = append(folders, f)
	}
	slices.SortFunc(folders, func(a, b Folder) int { return strings.Compare(a.Name, b.Name) })
	return folders, nil
}

// Folder returns the share called name, or an error wrapping ErrNotFound.
func (c *MemoryCatalog) Folder(ctx context.Context, name string) (Folder, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	f, ok := c.folders[name]
	if !ok {
		return Folder{}, fmt.Errorf("find share %q: %w", name, ErrNotFound)
	}
	return f, nil
}

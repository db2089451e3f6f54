package app

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/porchlight/porchlight/app/api"
	"github.com/porchlight/porchlight/app/identity"
)

// The resident's own name, and the names peers send: the first is checked
// and refused when wrong; the others are only made safe to show.

func (a *App) name(ctx context.Context) string {
	name, _ := a.ownName(ctx)
	return name
}

// ownName is the resident's name, and whether they chose it: until they
// do, it is "Neighbour" and their short ID.
func (a *App) ownName(ctx context.Context) (name string, chosen bool) {
	if n, err := a.store.Setting(ctx, "name"); err == nil && n != "" {
		return n, true
	}
	return "Neighbour " + identity.Short(a.id.ID()), false
}

// maxNameLength bounds a resident's name, in characters.
const maxNameLength = 64

// SetName sets the resident's own name: what invites, welcomes, neighbour
// requests and mDNS (when visible) carry from now on.
func (a *App) SetName(ctx context.Context, name string) error {
	name, err := cleanName(name)
	if err != nil {
		return err
	}
	if err := a.store.SetSetting(ctx, "name", name); err != nil {
		return err
	}
	a.restartLAN() // advertise the new name
	a.publishStatus()
	return nil
}

// cleanName trims name and checks it is one line of 1 to maxNameLength
// printable characters.
func cleanName(name string) (string, error) {
	name = strings.TrimSpace(name)
	bad := func(msg string) error { return &api.Error{Status: http.StatusBadRequest, Message: msg} }
	switch n := utf8.RuneCountInString(name); {
	case !utf8.ValidString(name):
		return "", bad("a name must be text (UTF-8)")
	case n == 0:
		return "", bad("a name cannot be empty")
	case n > maxNameLength:
		return "", bad(fmt.Sprintf("a name can be at most %d characters; this one has %d", maxNameLength, n))
	}
	for _, r := range name {
		if !unicode.IsPrint(r) {
			return "", bad("a name must be one line of printable characters")
		}
	}
	return name, nil
}

// trimNames applies trimName to each of names.
func trimNames(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = trimName(n)
	}
	return out
}

// trimName keeps a name a peer sent printable and short: control
// characters (a terminal's escape sequences among them) are dropped.
func trimName(s string) string {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		if unicode.IsPrint(r) && len(out) < maxNameLength {
			out = append(out, r)
		}
	}
	return string(out)
}

package share

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func TestList(t *testing.T) {
	fx := newFixture(t)
	tests := []struct {
		target   string
		wantPath string
		want     []string // names, with "/" after directories
	}{
		// Links that lead outside are left out; the one inside shows as its file.
		{"list/", "/", []string{"sub/", "Zeta/", "link-in", "readme.txt"}},
		{"list/sub", "/sub", []string{"a.txt"}},
		{"list/Zeta", "/Zeta", []string{}},
	}
	for _, tt := range tests {
		rec := do(fx.as(alice), "GET", "/share/shares/docs/"+tt.target)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: status %d, body %s", tt.target, rec.Code, rec.Body)
		}
		l := decode[Listing](t, rec)
		got := []string{}
		for _, e := range l.Entries {
			got = append(got, e.Name+map[bool]string{true: "/"}[e.Dir])
			if e.Modified.IsZero() || e.Modified.Location() != time.UTC {
				t.Errorf("%s: %s modified %v, want a UTC time", tt.target, e.Name, e.Modified)
			}
		}
		if l.Path != tt.wantPath || !slices.Equal(got, tt.want) || l.Total != len(tt.want) || l.NextOffset != 0 {
			t.Errorf("%s: got %+v, want path %s, entries %v", tt.target, l, tt.wantPath, tt.want)
		}
	}

	rec := do(fx.as(alice), "GET", "/share/shares/docs/list/")
	if l := decode[Listing](t, rec); l.Entries[2].Size != int64(len("hello, neighbour")) {
		t.Errorf("link-in size %d, want the size of readme.txt", l.Entries[2].Size)
	}
}

func TestListErrors(t *testing.T) {
	fx := newFixture(t)
	tests := []struct {
		target string
		want   int
	}{
		{"list/readme.txt", http.StatusBadRequest},
		{"list/nosuch", http.StatusNotFound},
		{"list/?offset=-1", http.StatusBadRequest},
		{"list/?limit=ten", http.StatusBadRequest},
	}
	for _, tt := range tests {
		if rec := do(fx.as(alice), "GET", "/share/shares/docs/"+tt.target); rec.Code != tt.want {
			t.Errorf("%s: status %d, body %s, want %d", tt.target, rec.Code, rec.Body, tt.want)
		}
	}
}

func TestListPaging(t *testing.T) {
	dir := t.TempDir()
	for i := range 1200 {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%04d", i)), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "zz-dir"), 0o755); err != nil {
		t.Fatal(err)
	}
	h := NewHandler(NewMemoryCatalog(Folder{Name: "big", Path: dir}), func(ctx context.Context, f Folder) bool { return true }, nil)
	fx := &fixture{handler: h}

	tests := []struct {
		query     string
		wantCount int
		wantFirst string
		wantNext  int
	}{
		{"", 500, "zz-dir", 500},
		{"?offset=500", 500, "f0499", 1000},
		{"?offset=1000", 201, "f0999", 0},
		{"?offset=1196&limit=10", 5, "f1195", 0},
		{"?limit=3", 3, "zz-dir", 3},
		{"?limit=0", 500, "zz-dir", 500},
		{"?limit=99999", 1201, "zz-dir", 0},
		{"?offset=5000", 0, "", 0},
	}
	for _, tt := range tests {
		rec := do(fx.as(alice), "GET", "/shares/big/list/"+tt.query)
		if rec.Code != http.StatusOK {
			t.Fatalf("%q: status %d, body %s", tt.query, rec.Code, rec.Body)
		}
		l := decode[Listing](t, rec)
		first := ""
		if len(l.Entries) > 0 {
			first = l.Entries[0].Name
		}
		if len(l.Entries) != tt.wantCount || first != tt.wantFirst || l.NextOffset != tt.wantNext || l.Total != 1201 {
			t.Errorf("%q: %d entries from %q, next %d, total %d; want %d from %q, next %d, total 1201",
				tt.query, len(l.Entries), first, l.NextOffset, l.Total, tt.wantCount, tt.wantFirst, tt.wantNext)
		}
	}

	var names []string
	for offset := 0; ; {
		l := decode[Listing](t, do(fx.as(alice), "GET", fmt.Sprintf("/shares/big/list/?offset=%d&limit=450", offset)))
		for _, e := range l.Entries {
			names = append(names, e.Name)
		}
		if offset = l.NextOffset; offset == 0 {
			break
		}
	}
	if len(names) != 1201 || names[0] != "zz-dir" || !slices.IsSorted(names[1:]) || len(slices.Compact(slices.Clone(names))) != 1201 {
		t.Errorf("paging through gave %d names, want 1201 in order", len(names))
	}
}

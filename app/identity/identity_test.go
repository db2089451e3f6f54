package identity

import (
	"os"
	"path/filepath"
	"testing"
)

func TestLoadOrCreateKeepsKey(t *testing.T) {
	dir := t.TempDir()
	a, err := LoadOrCreate(dir)
	if err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	if got := info.Mode().Perm(); got != 0o600 {
		t.Fatalf("key file mode = %v, want 0600", got)
	}
	b, err := LoadOrCreate(dir)
	if err != nil {
		t.Fatal(err)
	}
	if a.ID() != b.ID() {
		t.Fatalf("reloaded ID %s != %s", b.ID(), a.ID())
	}
	if string(a.SealingKey().Bytes()) != string(b.SealingKey().Bytes()) {
		t.Fatal("sealing key changed on reload")
	}
}

func TestLoadRefusesWorldReadableKey(t *testing.T) {
	dir := t.TempDir()
	if _, err := LoadOrCreate(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(dir, FileName), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadOrCreate(dir); err == nil {
		t.Fatal("loaded a key readable by others")
	}
}

func TestPublicVerify(t *testing.T) {
	a, _ := Generate()
	b, _ := Generate()
	good := a.Public()
	if err := good.Verify(); err != nil {
		t.Fatal(err)
	}
	swapped := good
	swapped.Seal = b.Public().Seal
	cases := map[string]Public{
		"foreign sealing key": swapped,
		"short identity key":  {Sign: good.Sign[:5], Seal: good.Seal, SealSig: good.SealSig},
		"no signature":        {Sign: good.Sign, Seal: good.Seal},
	}
	for name, p := range cases {
		if err := p.Verify(); err == nil {
			t.Errorf("%s: verified", name)
		}
	}
}

func TestIDRoundTrip(t *testing.T) {
	a, _ := Generate()
	pub, err := ParseID(a.ID())
	if err != nil {
		t.Fatal(err)
	}
	if IDOf(pub) != a.ID() {
		t.Fatal("ID round trip changed it")
	}
	for _, bad := range []string{"", "abc", a.ID()[:20], a.ID() + "aa", "!!!!"} {
		if _, err := ParseID(bad); err == nil {
			t.Errorf("ParseID(%q) accepted", bad)
		}
	}
}

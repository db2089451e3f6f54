package backup

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"
	"time"
)

const pass = "correct horse battery staple"

var plain = []byte(`{"identity":"c2VjcmV0","friends":["ana","ben"],"settings":{"name":"Cleo"}}`)

// cheapKDF makes the KDF nearly free for the rest of the test, so tests can run it
// hundreds of times. The real costs are exercised by TestRoundTripRealCosts and
// TestOpenRefusesHostileCosts.
func cheapKDF(tb testing.TB) {
	tb.Helper()
	oldKDF, oldLimits := kdf, limits
	kdf = params{time: 1, memoryKiB: 8, threads: 1}
	limits = params{time: 4, memoryKiB: 256, threads: 4}
	tb.Cleanup(func() { kdf, limits = oldKDF, oldLimits })
}

func mustSeal(tb testing.TB, passphrase string, plaintext []byte) []byte {
	tb.Helper()
	sealed, err := Seal(passphrase, plaintext)
	if err != nil {
		tb.Fatalf("Seal: %v", err)
	}
	return sealed
}

// isRefusal reports whether err is one of the errors Open promises.
func isRefusal(err error) bool {
	return errors.Is(err, ErrNotBackup) || errors.Is(err, ErrVersion) || errors.Is(err, ErrWrongPassphrase)
}

func TestRoundTripRealCosts(t *testing.T) {
	sealed := mustSeal(t, pass, plain)
	if !bytes.HasPrefix(sealed, []byte(magic)) || sealed[versionAt] != version {
		t.Fatalf("header = %q", sealed[:paramsAt])
	}
	if got := binary.BigEndian.Uint32(sealed[paramsAt:]); got != 3 {
		t.Errorf("stored time = %d, want 3", got)
	}
	if got := binary.BigEndian.Uint32(sealed[paramsAt+4:]); got != 64*1024 {
		t.Errorf("stored memory = %d KiB, want 65536", got)
	}
	if got := sealed[paramsAt+8]; got != 2 {
		t.Errorf("stored threads = %d, want 2", got)
	}
	if want := headerLen + len(plain) + 16; len(sealed) != want {
		t.Errorf("sealed is %d bytes, want %d", len(sealed), want)
	}
	if bytes.Contains(sealed, []byte("friends")) {
		t.Error("plaintext visible in the sealed file")
	}
	got, err := Open(pass, sealed)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if !bytes.Equal(got, plain) {
		t.Fatalf("Open = %q, want %q", got, plain)
	}
}

func TestRoundTrip(t *testing.T) {
	cheapKDF(t)
	cases := []struct {
		name       string
		passphrase string
		plaintext  []byte
	}{
		{"json", pass, plain},
		{"empty plaintext", pass, nil},
		{"binary plaintext", pass, []byte{0, 1, 2, 255, 0}},
		{"large plaintext", pass, bytes.Repeat([]byte("friend "), 100_000)},
		{"unicode passphrase", "Grüße aus Köln, 隣人 🏡", plain},
		{"ten runes, more bytes", "éééééééééé", plain},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Open(c.passphrase, mustSeal(t, c.passphrase, c.plaintext))
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			if !bytes.Equal(got, c.plaintext) {
				t.Fatalf("Open = %q, want %q", got, c.plaintext)
			}
		})
	}
}

func TestWrongPassphrase(t *testing.T) {
	cheapKDF(t)
	sealed := mustSeal(t, pass, plain)
	for _, wrong := range []string{
		"",
		"correct horse battery stapler",
		"Correct horse battery staple",
		pass + " ",
		" " + pass,
	} {
		if got, err := Open(wrong, sealed); !errors.Is(err, ErrWrongPassphrase) || got != nil {
			t.Errorf("Open(%q) = %q, %v; want ErrWrongPassphrase", wrong, got, err)
		}
	}
}

func TestSealRefusesShortPassphrase(t *testing.T) {
	cheapKDF(t)
	cases := []struct {
		passphrase string
		ok         bool
	}{
		{"", false},
		{"short", false},
		{"123456789", false},
		{"ééééééééé", false}, // 9 runes but 18 bytes: length is counted in characters
		{"1234567890", true},
		{"éééééééééé", true},
	}
	for _, c := range cases {
		_, err := Seal(c.passphrase, plain)
		if (err == nil) != c.ok {
			t.Errorf("Seal(%q) err = %v, want ok=%v", c.passphrase, err, c.ok)
		}
	}
}

func TestSealsDiffer(t *testing.T) {
	cheapKDF(t)
	a, b := mustSeal(t, pass, plain), mustSeal(t, pass, plain)
	if bytes.Equal(a[saltAt:nonceAt], b[saltAt:nonceAt]) {
		t.Error("two seals share a salt")
	}
	if bytes.Equal(a[nonceAt:headerLen], b[nonceAt:headerLen]) {
		t.Error("two seals share a nonce")
	}
	if bytes.Equal(a[headerLen:], b[headerLen:]) {
		t.Error("two seals share a ciphertext")
	}
	for _, s := range [][]byte{a, b} {
		if got, err := Open(pass, s); err != nil || !bytes.Equal(got, plain) {
			t.Errorf("Open = %q, %v", got, err)
		}
	}
}

// Every byte of the file is covered: magic and version are checked directly, the KDF
// costs are bounded and then authenticated with the rest of the header, and the
// ciphertext is authenticated by its tag.
func TestOpenRefusesEveryByteFlip(t *testing.T) {
	cheapKDF(t)
	sealed := mustSeal(t, pass, []byte("hi"))
	for i := range sealed {
		for _, mask := range []byte{0x01, 0x80, 0xff} {
			flipped := bytes.Clone(sealed)
			flipped[i] ^= mask
			if got, err := Open(pass, flipped); !isRefusal(err) || got != nil {
				t.Errorf("byte %d ^ %#x: Open = %q, %v", i, mask, got, err)
			}
		}
	}
}

func TestOpenRefusesTruncated(t *testing.T) {
	cheapKDF(t)
	sealed := mustSeal(t, pass, []byte("hi"))
	for n := range len(sealed) {
		want := ErrWrongPassphrase
		if n < headerLen+16 {
			want = ErrNotBackup // too short to hold a tag; refused without running the KDF
		}
		if got, err := Open(pass, sealed[:n]); !errors.Is(err, want) || got != nil {
			t.Errorf("first %d of %d bytes: Open = %q, %v; want %v", n, len(sealed), got, err, want)
		}
	}
	if _, err := Open(pass, append(bytes.Clone(sealed), 0)); !errors.Is(err, ErrWrongPassphrase) {
		t.Errorf("one byte appended: %v", err)
	}
}

func TestOpenRefusesOtherFiles(t *testing.T) {
	cheapKDF(t)
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00")
	cases := map[string][]byte{
		"nil":               nil,
		"empty":             {},
		"png":               append(png, make([]byte, 100)...),
		"plain json":        plain,
		"magic only":        []byte(magic),
		"magic, no newline": []byte("PORCHLIGHT-BACKUP" + string(make([]byte, 100))),
		"lowercase magic":   append([]byte("porchlight-backup\n\x01"), make([]byte, 100)...),
		"zeros":             make([]byte, 200),
		"magic and version": []byte(magic + "\x01"),
		"header, no tag":    mustSeal(t, pass, nil)[:headerLen],
	}
	for name, in := range cases {
		if got, err := Open(pass, in); !errors.Is(err, ErrNotBackup) || got != nil {
			t.Errorf("%s: Open = %q, %v; want ErrNotBackup", name, got, err)
		}
	}
}

func TestOpenRefusesUnknownVersion(t *testing.T) {
	cheapKDF(t)
	sealed := mustSeal(t, pass, plain)
	for _, v := range []byte{0, 2, 255} {
		newer := bytes.Clone(sealed)
		newer[versionAt] = v
		if _, err := Open(pass, newer); !errors.Is(err, ErrVersion) {
			t.Errorf("version %d: %v, want ErrVersion", v, err)
		}
	}
	// A newer format may be shorter; the version is what the resident needs to hear.
	if _, err := Open(pass, []byte(magic+"\x02")); !errors.Is(err, ErrVersion) {
		t.Errorf("bare version 2 header: %v, want ErrVersion", err)
	}
}

// A hostile file names costs that would exhaust the machine; Open must refuse them from
// the header alone. These use the real limits, and ErrNotBackup (rather than
// ErrWrongPassphrase) shows the KDF never ran.
func TestOpenRefusesHostileCosts(t *testing.T) {
	cases := []struct {
		name string
		p    params
	}{
		{"4 GiB memory", params{time: 3, memoryKiB: 4 << 20, threads: 2}},
		{"max memory", params{time: 3, memoryKiB: 1<<32 - 1, threads: 2}},
		{"just over 1 GiB", params{time: 3, memoryKiB: 1<<20 + 1, threads: 2}},
		{"21 passes", params{time: 21, memoryKiB: 64 * 1024, threads: 2}},
		{"max passes", params{time: 1<<32 - 1, memoryKiB: 64 * 1024, threads: 2}},
		{"zero passes", params{time: 0, memoryKiB: 64 * 1024, threads: 2}},
		{"zero threads", params{time: 3, memoryKiB: 64 * 1024, threads: 0}},
		{"17 threads", params{time: 3, memoryKiB: 64 * 1024, threads: 17}},
		{"255 threads", params{time: 3, memoryKiB: 64 * 1024, threads: 255}},
		{"zero memory", params{time: 3, memoryKiB: 0, threads: 2}},
		{"less than 8 KiB a thread", params{time: 3, memoryKiB: 15, threads: 2}},
	}
	start := time.Now()
	for _, c := range cases {
		// Salt, nonce and ciphertext can stay zero: the costs are read first.
		hostile := make([]byte, headerLen+16)
		copy(hostile, magic)
		hostile[versionAt] = version
		binary.BigEndian.PutUint32(hostile[paramsAt:], c.p.time)
		binary.BigEndian.PutUint32(hostile[paramsAt+4:], c.p.memoryKiB)
		hostile[paramsAt+8] = c.p.threads
		if _, err := Open(pass, hostile); !errors.Is(err, ErrNotBackup) {
			t.Errorf("%s: %v, want ErrNotBackup", c.name, err)
		}
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("refusing hostile costs took %v", d)
	}
}

// fixedSeal seals with an all-zero salt and nonce, so every process makes the same
// file: the fuzzer runs FuzzOpen afresh in each worker process.
func fixedSeal(tb testing.TB, plaintext []byte) []byte {
	tb.Helper()
	sealed, err := seal(kdf, pass, plaintext, make([]byte, nonceAt-saltAt), make([]byte, headerLen-nonceAt))
	if err != nil {
		tb.Fatalf("seal: %v", err)
	}
	return sealed
}

func FuzzOpen(f *testing.F) {
	cheapKDF(f)
	valid, empty := fixedSeal(f, plain), fixedSeal(f, nil)
	f.Add(valid)
	f.Add(empty)
	f.Add(valid[:headerLen+16])
	f.Add([]byte(magic + "\x02"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := Open(pass, data)
		if err != nil {
			if !isRefusal(err) || got != nil {
				t.Fatalf("Open = %q, %v", got, err)
			}
			return
		}
		// Only files Seal made may open; forging one would mean breaking Poly1305.
		if !bytes.Equal(data, valid) && !bytes.Equal(data, empty) {
			t.Fatalf("Open accepted data Seal did not make: %q -> %q", data, got)
		}
	})
}

package shortcode

import (
	"errors"
	"testing"
)

func TestWordsDistinct(t *testing.T) {
	seen := map[string]bool{}
	for _, w := range words {
		if seen[w] {
			t.Fatalf("%q twice", w)
		}
		seen[w] = true
	}
	if len(words) != 256 {
		t.Fatalf("%d words, want 256", len(words))
	}
}

func TestParse(t *testing.T) {
	c := New()
	for _, s := range []string{c.String(), "  " + c.String() + " ", c.Words[0] + "x"} {
		got, err := Parse(s)
		if s == c.Words[0]+"x" {
			if err == nil {
				t.Errorf("Parse(%q) accepted", s)
			}
			continue
		}
		if err != nil || got != c {
			t.Errorf("Parse(%q) = %v, %v", s, got, err)
		}
	}
	for _, bad := range []string{"", "4-purple", "0-acorn-amber", "1000-acorn-amber", "x-acorn-amber", "4-acorn-notaword", "porchlight://invite#x"} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) accepted", bad)
		}
	}
	if got, err := Parse("4 Acorn AMBER"); err != nil || got.String() != "4-acorn-amber" {
		t.Errorf("spaces and case: %v %v", got, err)
	}
}

// exchange runs the protocol between a host with hostCode and a joiner
// who typed typed, returning what the joiner got.
func exchange(t *testing.T, hostCode, typed Code, link string) (string, error) {
	t.Helper()
	h := NewHost(hostCode)
	j, hello := NewJoiner(typed)
	m1, err := h.Hello(hello.Session)
	if err != nil {
		t.Fatal(err)
	}
	m2, err := j.Answer(decodeT(t, Encode(m1)))
	if err != nil {
		return "", err
	}
	m3, herr := h.Finish(decodeT(t, Encode(m2)), link)
	got, jerr := j.Link(m3)
	if (herr == nil) != (jerr == nil) {
		t.Fatalf("host says %v, joiner says %v", herr, jerr)
	}
	// A code answers once: a second try, even right, is refused.
	if _, err := h.Finish(m2, link); !errors.Is(err, ErrWrong) {
		t.Fatalf("code used twice: %v", err)
	}
	return got, jerr
}

func decodeT(t *testing.T, b []byte) Message {
	m, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestExchange(t *testing.T) {
	c := New()
	const link = "porchlight://invite#abc"
	got, err := exchange(t, c, c, link)
	if err != nil || got != link {
		t.Fatalf("right code: %q, %v", got, err)
	}
	wrong := c
	wrong.Words[1] = words[(indexOf(c.Words[1])+1)%len(words)]
	if got, err := exchange(t, c, wrong, link); !errors.Is(err, ErrWrong) || got != "" {
		t.Fatalf("wrong code: %q, %v", got, err)
	}
}

func indexOf(w string) int {
	for i, x := range words {
		if x == w {
			return i
		}
	}
	return -1
}

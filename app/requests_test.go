package app

import "testing"

func TestDigitsDependOnEveryInput(t *testing.T) {
	nA, nB := []byte("a random value of the requester"), []byte("a random value of the neighbour")
	base := digits(nA, nB, "ana", "ben")
	if len(base) != 7 || base[3] != ' ' {
		t.Fatalf("code %q is not six digits in two groups", base)
	}
	if digits(nA, nB, "ana", "ben") != base {
		t.Fatal("the same inputs gave another code")
	}
	changed := map[string]string{
		"requester value": digits([]byte("another value of the requester"), nB, "ana", "ben"),
		"neighbour value": digits(nA, []byte("another value of the neighbour"), "ana", "ben"),
		"requester":       digits(nA, nB, "eve", "ben"),
		"order of IDs":    digits(nA, nB, "ben", "ana"),
	}
	for what, code := range changed {
		if code == base {
			t.Errorf("changing the %s kept the code %s", what, code)
		}
	}
}

func TestCommitmentBindsTheValue(t *testing.T) {
	if string(commitment([]byte("x"))) == string(commitment([]byte("y"))) {
		t.Fatal("two values share a commitment")
	}
}

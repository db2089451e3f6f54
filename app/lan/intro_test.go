package lan

import (
	"bufio"
	"errors"
	"net"
	"testing"
)

func TestIntroductions(t *testing.T) {
	for _, c := range []struct {
		visibility string
		want       error
	}{
		{VisibilityVisible, nil},
		{VisibilityFriends, ErrNoIntroductions},
		{VisibilityHidden, ErrNoIntroductions},
	} {
		t.Run(c.visibility, func(t *testing.T) {
			ana, ben := newPeer(t), newPeer(t)
			cfg := config(t, ben, c.visibility, nil)
			got := make(chan string, 1)
			cfg.OnIntro = func(peerID string, conn net.Conn) {
				line, _ := bufio.NewReader(conn).ReadString('\n')
				conn.Write([]byte("hello " + peerID[:8] + "\n"))
				got <- line
			}
			l, _ := listen(t, cfg)
			conn, err := Introduce(ctx(t), config(t, ana, VisibilityFriends, nil), v4(t, l), ben.id)
			if !errors.Is(err, c.want) {
				t.Fatalf("Introduce = %v, want %v", err, c.want)
			}
			if err != nil {
				return
			}
			defer conn.Close()
			conn.Write([]byte("may we be friends?\n"))
			if line := <-got; line != "may we be friends?\n" {
				t.Fatalf("Ben read %q", line)
			}
			answer, _ := bufio.NewReader(conn).ReadString('\n')
			if answer != "hello "+ana.id[:8]+"\n" {
				t.Fatalf("Ben saw the caller as %q, want Ana", answer)
			}
		})
	}
}

func TestIntroductionToTheWrongKey(t *testing.T) {
	ana, ben, eve := newPeer(t), newPeer(t), newPeer(t)
	cfg := config(t, eve, VisibilityVisible, nil)
	cfg.OnIntro = func(string, net.Conn) {}
	l, _ := listen(t, cfg)
	if _, err := Introduce(ctx(t), config(t, ana, VisibilityFriends, nil), v4(t, l), ben.id); !errors.Is(err, ErrWrongPeer) {
		t.Fatalf("Introduce to Eve posing as Ben = %v, want ErrWrongPeer", err)
	}
}

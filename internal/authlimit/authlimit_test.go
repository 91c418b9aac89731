package authlimit

import (
	"testing"
	"time"
)

func TestLimiter(t *testing.T) {
	now := time.Unix(1000, 0)
	l := New(3, time.Minute)
	l.now = func() time.Time { return now }
	for i := 0; i < 3; i++ {
		if _, ok := l.Check("1.2.3.4", "alice"); !ok {
			t.Fatalf("attempt %d refused", i)
		}
		l.Failure("1.2.3.4", "alice")
	}
	if d, ok := l.Check("1.2.3.4", "bob"); ok || d != time.Minute {
		t.Fatalf("address over the limit: %v %v", d, ok)
	}
	if _, ok := l.Check("5.6.7.8", "alice"); ok {
		t.Fatal("user over the limit from another address was let through")
	}
	if _, ok := l.Check("5.6.7.8", "bob"); !ok {
		t.Fatal("an unrelated address and user were refused")
	}
	now = now.Add(40 * time.Second)
	if d, _ := l.Check("1.2.3.4", "bob"); d != 20*time.Second {
		t.Fatalf("retry after %v, want 20s", d)
	}
	now = now.Add(20 * time.Second)
	if _, ok := l.Check("1.2.3.4", "alice"); !ok {
		t.Fatal("counts did not expire with their window")
	}
}

func TestAddr(t *testing.T) {
	for in, want := range map[string]string{
		"1.2.3.4:5":                   "1.2.3.4",
		"[::ffff:1.2.3.4]:5":          "1.2.3.4",
		"[2001:db8:1:2:3:4:5:6]:5432": "2001:db8:1:2::/64",
		"pipe":                        "pipe",
	} {
		if got := Addr(in); got != want {
			t.Errorf("Addr(%q) = %q, want %q", in, got, want)
		}
	}
}

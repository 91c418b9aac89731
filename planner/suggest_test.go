package planner

import "testing"

func TestEditDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{{"orders", "orders", 0}, {"ordres", "orders", 1}, {"order", "orders", 1}, {"", "abc", 3}, {"kitten", "sitting", 3}, {"ca", "abc", 3}, {"ünï", "üni", 1}} {
		if got := editDistance(c.a, c.b); got != c.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

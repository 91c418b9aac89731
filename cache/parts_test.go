package cache

import (
	"fmt"
	"testing"
)

func TestRunsOf(t *testing.T) {
	list := []string{"a", "b", "c", "d", "e", "f"}
	cases := []struct {
		todo    []string
		readers int
		want    string
	}{
		{list, 1, "[[a b c d e f]]"},
		{list, 2, "[[a b c] [d e f]]"},
		{list, 3, "[[a] [b c] [d e f]]"},
		{[]string{"a", "c", "d", "f"}, 1, "[[a] [c d] [f]]"},
		{[]string{"a", "c", "d", "f"}, 4, "[[a] [c] [d] [f]]"},
		{[]string{"b"}, 8, "[[b]]"},
		{nil, 2, "[]"},
	}
	for _, c := range cases {
		got := runsOf(list, c.todo, c.readers)
		if fmt.Sprint(got) != c.want {
			t.Errorf("runsOf(%v, %d) = %v, want %s", c.todo, c.readers, got, c.want)
		}
		// No part twice or lost, runs consecutive.
		n := 0
		for _, r := range got {
			n += len(r)
		}
		if n != len(c.todo) {
			t.Errorf("runsOf(%v, %d): %d parts, want %d", c.todo, c.readers, n, len(c.todo))
		}
	}
}

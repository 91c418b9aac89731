package pgregex

import (
	"slices"
	"sync"
	"unicode"
)

// rng is an inclusive range of runes.
type rng struct{ lo, hi rune }

// set is a set of runes: sorted, non-overlapping, non-adjacent ranges.
type set []rng

// add returns s with [lo, hi] added.
func (s set) add(lo, hi rune) set {
	return append(s, rng{lo, hi})
}

// norm sorts and merges the ranges.
func (s set) norm() set {
	if len(s) == 0 {
		return s
	}
	slices.SortFunc(s, func(a, b rng) int { return int(a.lo - b.lo) })
	out := s[:1]
	for _, r := range s[1:] {
		last := &out[len(out)-1]
		if r.lo <= last.hi+1 {
			last.hi = max(last.hi, r.hi)
			continue
		}
		out = append(out, r)
	}
	return out
}

// not is the complement of a normalized set.
func (s set) not() set {
	var out set
	next := rune(0)
	for _, r := range s {
		if r.lo > next {
			out = append(out, rng{next, r.lo - 1})
		}
		next = r.hi + 1
	}
	if next <= unicode.MaxRune {
		out = append(out, rng{next, unicode.MaxRune})
	}
	return out
}

// minus removes the runes of t (normalized) from s (normalized).
func (s set) minus(t set) set {
	return append(s.not(), t...).norm().not()
}

func (s set) has(c rune) bool {
	i, ok := slices.BinarySearchFunc(s, c, func(r rng, c rune) int {
		switch {
		case r.hi < c:
			return -1
		case r.lo > c:
			return 1
		}
		return 0
	})
	return ok && i >= 0
}

// fold adds each rune's upper and lower case forms, as PostgreSQL's
// case-insensitive matching does (allcases: towlower, towupper).
func (s set) fold() set {
	out := append(set(nil), s...)
	for _, r := range s {
		for c := r.lo; c <= r.hi; c++ {
			if l := toLower(c); l != c {
				out = out.add(l, l)
			}
			if u := toUpper(c); u != c {
				out = out.add(u, u)
			}
		}
	}
	return out.norm()
}

// classes are the named character classes, as PostgreSQL's regular
// expressions see them in a C.UTF-8 database (glibc's iswalpha, …):
// generated from PostgreSQL (classes_gen.go), plus ascii.
var classes = sync.OnceValue(func() map[string]set {
	m := map[string]set{"ascii": {{0, 0x7f}}}
	for k, v := range genClasses {
		m[k] = v
	}
	return m
})

// toLower and toUpper are towlower and towupper.
func toLower(c rune) rune {
	if l, ok := genLower[c]; ok {
		return l
	}
	return c
}

func toUpper(c rune) rune {
	if u, ok := genUpper[c]; ok {
		return u
	}
	return c
}

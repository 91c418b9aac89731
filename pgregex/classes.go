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
			if l := unicode.ToLower(c); l != c {
				out = out.add(l, l)
			}
			if u := unicode.ToUpper(c); u != c {
				out = out.add(u, u)
			}
		}
	}
	return out.norm()
}

func fromTables(ts ...*unicode.RangeTable) set {
	var s set
	for _, t := range ts {
		for _, r := range t.R16 {
			for c := rune(r.Lo); c <= rune(r.Hi); c += rune(r.Stride) {
				if r.Stride == 1 {
					s = s.add(c, rune(r.Hi))
					break
				}
				s = s.add(c, c)
			}
		}
		for _, r := range t.R32 {
			for c := rune(r.Lo); c <= rune(r.Hi); c += rune(r.Stride) {
				if r.Stride == 1 {
					s = s.add(c, rune(r.Hi))
					break
				}
				s = s.add(c, c)
			}
		}
	}
	return s.norm()
}

// classes are the named character classes, as glibc's C.UTF-8 locale
// (the database's LC_CTYPE) defines them: iswalpha, iswdigit, … .
var classes = sync.OnceValue(func() map[string]set {
	digit := set{{'0', '9'}}
	nd := fromTables(unicode.Nd).minus(digit)
	alpha := append(fromTables(unicode.L, unicode.Nl, unicode.Other_Alphabetic), nd...).norm()
	var hasLower, hasUpper set
	for c := rune(0); c <= unicode.MaxRune; c++ {
		if unicode.ToLower(c) != c {
			hasLower = hasLower.add(c, c)
		}
		if unicode.ToUpper(c) != c {
			hasUpper = hasUpper.add(c, c)
		}
	}
	upper := append(fromTables(unicode.Lu, unicode.Lt, unicode.Other_Uppercase), hasLower...).norm()
	lower := append(fromTables(unicode.Ll, unicode.Other_Lowercase), hasUpper...).norm()
	noBreak := set{{0xA0, 0xA0}, {0x2007, 0x2007}, {0x202F, 0x202F}}
	seps := fromTables(unicode.Zs, unicode.Zl, unicode.Zp).minus(noBreak)
	space := append(set{{'\t', '\r'}, {' ', ' '}}, seps...).norm()
	blank := append(set{{'\t', '\t'}, {' ', ' '}}, fromTables(unicode.Zs).minus(noBreak)...).norm()
	cntrl := fromTables(unicode.Cc, unicode.Zl, unicode.Zp)
	assigned := fromTables(unicode.L, unicode.M, unicode.N, unicode.P, unicode.S, unicode.Z, unicode.C)
	print := assigned.minus(fromTables(unicode.Cc, unicode.Zl, unicode.Zp, unicode.Cs, unicode.Co))
	graph := print.minus(space)
	alnum := append(append(set(nil), alpha...), digit...).norm()
	punct := graph.minus(alnum)
	word := append(append(set(nil), alnum...), rng{'_', '_'}).norm()
	return map[string]set{
		"alpha": alpha, "digit": digit, "alnum": alnum, "upper": upper, "lower": lower,
		"space": space, "blank": blank, "cntrl": cntrl, "print": print, "graph": graph,
		"punct": punct, "xdigit": set{{'0', '9'}, {'A', 'F'}, {'a', 'f'}}, "ascii": set{{0, 0x7F}},
		"word": word,
	}
})

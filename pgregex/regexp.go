package pgregex

import (
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/hotdata-dev/hotdata/internal/pgerr"
)

// Regexp is a compiled pattern with PostgreSQL's match rules.
type Regexp struct {
	// Groups counts the capturing groups.
	Groups int
	// Flags are the flags it was compiled with.
	Flags Flags
	// first matches from the beginning of the string; notBOL from past
	// it (\A never matches). When the pattern has a newline-sensitive
	// ^, a search past the beginning finds its start with skip (the
	// character before the search in front) and its extent with anchored.
	first, notBOL      *regexp.Regexp
	skip, anchored     *regexp.Regexp
	lineStart          bool
	nonGreedy, extract bool
	ambiguous          bool
}

// errAmbiguous refuses to say which text a group took when ARE's rules
// for it differ from Go's.
var errAmbiguous = pgerr.New(pgerr.FeatureNotSupported, "capture groups of a regular expression with alternatives (|) or a repeated group are not supported by Hotdata's cache engine").
	WithHint("Use non-capturing groups (?:…) where the text of a group is not needed, or SET hotdata.freshness = live for a PostgreSQL connection.")

// CheckGroups fails when the texts of the groups cannot be given
// exactly (see Translated.AmbiguousGroups).
func (re *Regexp) CheckGroups() error {
	if re.ambiguous {
		return errAmbiguous
	}
	return nil
}

var (
	cache  sync.Map // key → *Regexp
	cached atomic.Int64
)

// maxCached bounds the compiled patterns kept; past it the cache starts
// over.
const maxCached = 4096

// Compile compiles pattern with flags, from a cache. extract is true
// for functions that return what matched: a pattern whose match PostgreSQL
// chooses by rules Go lacks (non-greedy quantifiers) is refused for them.
func Compile(pattern string, flags Flags, extract bool) (*Regexp, error) {
	key := flagKey(flags, extract) + pattern
	if v, ok := cache.Load(key); ok {
		return v.(*Regexp), nil
	}
	re, err := compile(pattern, flags, extract)
	if err != nil {
		return nil, err
	}
	if cached.Add(1) > maxCached {
		cache.Clear()
		cached.Store(1)
	}
	cache.Store(strings.Clone(key), re)
	return re, nil
}

func flagKey(f Flags, extract bool) string {
	b := []byte("-------\x00")
	for i, on := range []bool{f.Global, f.ICase, f.NLStop, f.NLAnchor, f.Expanded, f.Quote, extract} {
		if on {
			b[i] = '+'
		}
	}
	return string(b)
}

func compile(pattern string, flags Flags, extract bool) (*Regexp, error) {
	t, lineStart, err := translate(pattern, flags, false)
	if err != nil {
		return nil, err
	}
	if extract && t.NonGreedy {
		return nil, refuse("non-greedy quantifiers in a function that returns what matched")
	}
	nb, _, err := translate(pattern, flags, true)
	if err != nil {
		return nil, err
	}
	re := &Regexp{Groups: t.Groups, Flags: flags, lineStart: lineStart, nonGreedy: t.NonGreedy, extract: extract, ambiguous: t.AmbiguousGroups}
	if re.first, err = goCompile(t.Syntax, !t.NonGreedy); err != nil {
		return nil, err
	}
	if re.notBOL, err = goCompile(nb.Syntax, !t.NonGreedy); err != nil {
		return nil, err
	}
	if lineStart {
		if re.skip, err = goCompile(`\A(?s:.)(?s:.)*?(`+nb.Syntax+`)`, false); err != nil {
			return nil, err
		}
		if re.anchored, err = goCompile(`\A(?s:.)(`+nb.Syntax+`)`, !t.NonGreedy); err != nil {
			return nil, err
		}
	}
	return re, nil
}

func goCompile(syntax string, longest bool) (*regexp.Regexp, error) {
	re, err := regexp.Compile(syntax)
	if err != nil {
		// The translation is valid syntax; what Go refuses is a size
		// PostgreSQL may still run.
		return nil, tooLarge
	}
	if longest {
		re.Longest()
	}
	return re, nil
}

// MatchString reports whether s holds a match.
func (re *Regexp) MatchString(s string) bool { return re.first.MatchString(s) }

// search finds the first match at or after byte offset pos: the byte
// offsets of the match and of each group (-1 for a group that does not
// take part), nil when there is none.
func (re *Regexp) search(s string, pos int) []int {
	if pos == 0 {
		return re.first.FindStringSubmatchIndex(s)
	}
	if pos > len(s) {
		return nil
	}
	if !re.lineStart {
		return shift(re.notBOL.FindStringSubmatchIndex(s[pos:]), pos, 0)
	}
	_, w := utf8.DecodeLastRuneInString(s[:pos])
	m := re.skip.FindStringSubmatchIndex(s[pos-w:])
	if m == nil {
		return nil
	}
	start := pos - w + m[2]
	_, w2 := utf8.DecodeLastRuneInString(s[:start])
	a := re.anchored.FindStringSubmatchIndex(s[start-w2:])
	return shift(a, start-w2, 2)
}

// shift moves a match found in s[off:] to offsets in s, dropping its
// first drop entries (the wrapper's own match).
func shift(m []int, off, drop int) []int {
	if m == nil {
		return nil
	}
	m = m[drop:]
	for i := range m {
		if m[i] >= 0 {
			m[i] += off
		}
	}
	return m
}

// Matches are the matches PostgreSQL's regexp functions see, from byte
// offset start: every match when all is set, else the first.
// ignoreDegenerate drops empty matches at the end of the string and
// right after a previous match (regexp_split_to_array).
func (re *Regexp) Matches(s string, start int, all, ignoreDegenerate bool) [][]int {
	var out [][]int
	prevEnd := 0
	for pos := start; pos <= len(s); {
		m := re.search(s, pos)
		if m == nil {
			break
		}
		if !ignoreDegenerate || m[0] < len(s) && m[1] > prevEnd {
			out = append(out, m)
		}
		prevEnd = m[1]
		if !all {
			break
		}
		pos = m[1]
		if m[0] == m[1] {
			if pos >= len(s) {
				break
			}
			_, w := utf8.DecodeRuneInString(s[pos:])
			pos += w
		}
	}
	return out
}

// RuneOffset is the byte offset of the n-th rune (0-based) of s, or
// len(s) past its end.
func RuneOffset(s string, n int) int {
	for i := range s {
		if n == 0 {
			return i
		}
		n--
	}
	return len(s)
}

// Replace is regexp_replace: from rune position start (1-based), the
// n-th match (0: every match) is replaced by repl, where \1…\9 are the
// groups, \& the match and \\ a backslash.
func (re *Regexp) Replace(s, repl string, start, n int) (string, error) {
	if re.ambiguous && usesGroups(repl) {
		return "", errAmbiguous
	}
	from := RuneOffset(s, start-1)
	ms := re.Matches(s, from, n != 1, false)
	var b strings.Builder
	last := 0
	for i, m := range ms {
		if n > 1 && i+1 != n {
			continue
		}
		b.WriteString(s[last:m[0]])
		re.expand(&b, s, repl, m)
		last = m[1]
		if n > 0 {
			break
		}
	}
	b.WriteString(s[last:])
	return b.String(), nil
}

// usesGroups reports a \1…\9 in a replacement.
func usesGroups(repl string) bool {
	for i := 0; i+1 < len(repl); i++ {
		if repl[i] == '\\' {
			if repl[i+1] >= '1' && repl[i+1] <= '9' {
				return true
			}
			i++
		}
	}
	return false
}

// expand writes repl with the groups of m.
func (re *Regexp) expand(b *strings.Builder, s, repl string, m []int) {
	for i := 0; i < len(repl); i++ {
		c := repl[i]
		if c != '\\' || i+1 >= len(repl) {
			b.WriteByte(c)
			continue
		}
		n := repl[i+1]
		switch {
		case n >= '1' && n <= '9':
			g := int(n - '0')
			if g <= re.Groups && m[2*g] >= 0 {
				b.WriteString(s[m[2*g]:m[2*g+1]])
			}
			i++
		case n == '&':
			b.WriteString(s[m[0]:m[1]])
			i++
		case n == '\\':
			b.WriteByte('\\')
			i++
		default:
			b.WriteByte('\\')
		}
	}
}

// GroupTexts returns the texts regexp_match returns for a match: each group
// (nil when it did not take part), or the whole match when there are no
// groups.
func (re *Regexp) GroupTexts(s string, m []int) ([]any, error) {
	if re.Groups == 0 {
		return []any{s[m[0]:m[1]]}, nil
	}
	if re.ambiguous {
		return nil, errAmbiguous
	}
	out := make([]any, re.Groups)
	for g := 1; g <= re.Groups; g++ {
		if m[2*g] >= 0 {
			out[g-1] = s[m[2*g]:m[2*g+1]]
		}
	}
	return out, nil
}

// Split is regexp_split_to_array.
func (re *Regexp) Split(s string) []any {
	var out []any
	last := 0
	for _, m := range re.Matches(s, 0, true, true) {
		out = append(out, s[last:m[0]])
		last = m[1]
	}
	return append(out, s[last:])
}

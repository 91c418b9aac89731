package pgfunc

import (
	"strings"
	"sync/atomic"
	"unicode/utf8"

	"github.com/hotdata-dev/hotdata/engine"
	"github.com/hotdata-dev/hotdata/internal/pgerr"
	"github.com/hotdata-dev/hotdata/pgregex"
)

// regexFuncs are PostgreSQL's regular expression functions on
// package pgregex. Each takes the function's name last, for its errors.
func regexFuncs() []engine.ScalarFunc {
	v := "VARCHAR"
	big := "BIGINT"
	return []engine.ScalarFunc{
		fn("hd_re_match", []string{v, v, v, v}, "BOOLEAN", func(a []any) (any, error) {
			re, err := compileRegex(a[1], a[2], false, str(a[3]))
			if err != nil {
				return nil, err
			}
			return re.MatchString(str(a[0])), nil
		}),
		fn("hd_similar_escape", []string{v, v}, v, func(a []any) (any, error) {
			s, err := pgregex.SimilarToRegex(str(a[0]), str(a[1]))
			return s, fail(err)
		}),
		// hd_re_replace is regexp_replace(s, p, r, start[, n[, flags]]);
		// its last argument says whether n was given.
		fn("hd_re_replace", []string{v, v, v, big, big, v, "BOOLEAN"}, v, func(a []any) (any, error) {
			re, err := compileRegex(a[1], a[5], true, "")
			if err != nil {
				return nil, err
			}
			start, n := i64(a[3]), i64(a[4])
			if start <= 0 {
				return nil, failf(pgerr.InvalidParameterValue, "invalid value for parameter \"%s\": %d", "start", start)
			}
			hasN, _ := a[6].(bool)
			if hasN && n < 0 {
				return nil, failf(pgerr.InvalidParameterValue, "invalid value for parameter \"%s\": %d", "n", n)
			}
			if !hasN {
				// No N: the first match, every one with g.
				n = 1
				if re.Flags.Global {
					n = 0
				}
			}
			out, err := re.Replace(str(a[0]), str(a[2]), int(start), int(n))
			return out, fail(err)
		}),
		// hd_re_replace_flags is regexp_replace(s, p, r[, flags]): the
		// first match, every one with g.
		fn("hd_re_replace_flags", []string{v, v, v, v}, v, func(a []any) (any, error) {
			re, err := compileRegex(a[1], a[3], true, "")
			if err != nil {
				return nil, err
			}
			n := 1
			if re.Flags.Global {
				n = 0
			}
			out, err := re.Replace(str(a[0]), str(a[2]), 1, n)
			return out, fail(err)
		}),
		fn("hd_re_match_arr", []string{v, v, v, v}, "VARCHAR[]", func(a []any) (any, error) {
			re, err := compileRegex(a[1], a[2], true, str(a[3]))
			if err != nil {
				return nil, err
			}
			ms := re.Matches(str(a[0]), 0, false, false)
			if len(ms) == 0 {
				return nil, nil
			}
			g, err := re.GroupTexts(str(a[0]), ms[0])
			return g, fail(err)
		}),
		fn("hd_re_matches", []string{v, v, v}, "VARCHAR[][]", func(a []any) (any, error) {
			re, err := compileRegex(a[1], a[2], true, "")
			if err != nil {
				return nil, err
			}
			s := str(a[0])
			out := []any{}
			for _, m := range re.Matches(s, 0, re.Flags.Global, false) {
				g, err := re.GroupTexts(s, m)
				if err != nil {
					return nil, fail(err)
				}
				out = append(out, g)
			}
			return out, nil
		}),
		fn("hd_re_split", []string{v, v, v, v}, "VARCHAR[]", func(a []any) (any, error) {
			re, err := compileRegex(a[1], a[2], true, str(a[3]))
			if err != nil {
				return nil, err
			}
			return re.Split(str(a[0])), nil
		}),
		fn("hd_re_count", []string{v, v, big, v}, "INTEGER", func(a []any) (any, error) {
			re, err := compileRegex(a[1], a[3], true, "regexp_count()")
			if err != nil {
				return nil, err
			}
			start := i64(a[2])
			if start <= 0 {
				return nil, failf(pgerr.InvalidParameterValue, "invalid value for parameter \"%s\": %d", "start", start)
			}
			s := str(a[0])
			return int64(len(re.Matches(s, pgregex.RuneOffset(s, int(start-1)), true, false))), nil
		}),
		fn("hd_re_instr", []string{v, v, big, big, big, v, big}, "INTEGER", func(a []any) (any, error) {
			re, err := compileRegex(a[1], a[5], true, "regexp_instr()")
			if err != nil {
				return nil, err
			}
			start, n, end, sub := i64(a[2]), i64(a[3]), i64(a[4]), i64(a[6])
			if err := checkPositions(start, n, sub); err != nil {
				return nil, err
			}
			if end != 0 && end != 1 {
				return nil, failf(pgerr.InvalidParameterValue, "invalid value for parameter \"%s\": %d", "endoption", end)
			}
			s := str(a[0])
			m, err := nthGroup(re, s, start, n, sub)
			if m == nil {
				return int64(0), err
			}
			at := m[0]
			if end == 1 {
				at = m[1]
			}
			return int64(utf8.RuneCountInString(s[:at]) + 1), nil
		}),
		fn("hd_re_substr", []string{v, v, big, big, v, big}, v, func(a []any) (any, error) {
			re, err := compileRegex(a[1], a[4], true, "regexp_substr()")
			if err != nil {
				return nil, err
			}
			start, n, sub := i64(a[2]), i64(a[3]), i64(a[5])
			if err := checkPositions(start, n, sub); err != nil {
				return nil, err
			}
			s := str(a[0])
			m, err := nthGroup(re, s, start, n, sub)
			if m == nil {
				return nil, err
			}
			return s[m[0]:m[1]], nil
		}),
		// hd_re_substring is substring(s FROM pattern): the first group,
		// or the whole match.
		fn("hd_re_substring", []string{v, v}, v, func(a []any) (any, error) {
			re, err := compileRegex(a[1], "", true, "")
			if err != nil {
				return nil, err
			}
			s := str(a[0])
			ms := re.Matches(s, 0, false, false)
			if len(ms) == 0 {
				return nil, nil
			}
			m := ms[0]
			if re.Groups > 0 {
				if err := re.CheckGroups(); err != nil {
					return nil, fail(err)
				}
				if m[2] < 0 {
					return nil, nil
				}
				return s[m[2]:m[3]], nil
			}
			return s[m[0]:m[1]], nil
		}),
	}
}

// compileRegex compiles a pattern with its flags argument; fn, when
// set, names a function that does not take g.
func compileRegex(pattern, flags any, extract bool, fn string) (*pgregex.Regexp, error) {
	// Most calls repeat the previous one's pattern (a constant, or a
	// column of few values): skip parsing and the cache's key.
	if l := lastRegex.Load(); l != nil && l.pattern == str(pattern) && l.flags == str(flags) && l.extract == extract && l.fn == fn {
		return l.re, nil
	}
	re, err := compileRegexSlow(pattern, flags, extract, fn)
	if err == nil {
		lastRegex.Store(&lastCompiled{pattern: strings.Clone(str(pattern)), flags: strings.Clone(str(flags)), extract: extract, fn: fn, re: re})
	}
	return re, err
}

// lastCompiled is the pattern compileRegex compiled last.
type lastCompiled struct {
	pattern, flags, fn string
	extract            bool
	re                 *pgregex.Regexp
}

var lastRegex atomic.Pointer[lastCompiled]

func compileRegexSlow(pattern, flags any, extract bool, fn string) (*pgregex.Regexp, error) {
	f, err := pgregex.ParseFlags(str(flags))
	if err != nil {
		return nil, fail(err)
	}
	if f.Global && fn != "" {
		e := pgerr.New(pgerr.InvalidParameterValue, "%s does not support the \"global\" option", fn)
		if fn == "regexp_match()" {
			e = e.WithHint("Use the regexp_matches function instead.")
		}
		return nil, fail(e)
	}
	re, err := pgregex.Compile(str(pattern), f, extract)
	return re, fail(err)
}

func checkPositions(start, n, sub int64) error {
	switch {
	case start <= 0:
		return failf(pgerr.InvalidParameterValue, "invalid value for parameter \"%s\": %d", "start", start)
	case n <= 0:
		return failf(pgerr.InvalidParameterValue, "invalid value for parameter \"%s\": %d", "n", n)
	case sub < 0:
		return failf(pgerr.InvalidParameterValue, "invalid value for parameter \"%s\": %d", "subexpr", sub)
	}
	return nil
}

// nthGroup is the n-th match from rune position start, narrowed to
// group sub (0: the whole match); nil when there is none or the group
// did not take part.
func nthGroup(re *pgregex.Regexp, s string, start, n, sub int64) ([]int, error) {
	if sub > int64(re.Groups) {
		return nil, nil
	}
	if sub > 0 {
		if err := re.CheckGroups(); err != nil {
			return nil, fail(err)
		}
	}
	ms := re.Matches(s, pgregex.RuneOffset(s, int(start-1)), true, false)
	if int64(len(ms)) < n {
		return nil, nil
	}
	m := ms[n-1]
	if m[2*sub] < 0 {
		return nil, nil
	}
	return m[2*sub : 2*sub+2], nil
}

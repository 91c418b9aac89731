package translate

import (
	"github.com/hotdata-dev/hotdata/pgregex"
)

// Regular expressions run on package pgregex's reading of PostgreSQL's
// syntax. A match with a constant pattern (~, SIMILAR TO, regexp_like)
// runs on the engine's own RE2 with the translated pattern; everything
// else (patterns from columns or parameters, and every function that
// returns what matched, whose match PostgreSQL chooses leftmost-longest)
// runs in Go (pgfunc's hd_re_* functions).

// regexMatch renders ~, ~*, !~, !~*.
func regexMatch(negate, insensitive bool) *Impl {
	return &Impl{Build: func(c *Call) (string, error) {
		flags := ""
		if insensitive {
			flags = "i"
		}
		s, err := regexBool(c, flags, true, "")
		if err != nil {
			return "", err
		}
		if negate {
			s = "(NOT " + s + ")"
		}
		return s, nil
	}}
}

// regexBool is a match of c's first argument against its second: with
// flags when constFlags, else with its third argument. fn names the
// function for errors ("" for the operators).
func regexBool(c *Call, flags string, constFlags bool, fn string) (string, error) {
	p, ok := c.ConstArg(1)
	if !constFlags {
		var fok bool
		flags, fok = c.ConstArg(2)
		ok = ok && fok
	}
	if ok {
		f, err := pgregex.ParseFlags(flags)
		if err != nil {
			return "", err
		}
		if f.Global && fn != "" {
			return "", errf("22023", "%s does not support the \"global\" option", fn)
		}
		t, err := pgregex.Translate(p, f)
		if err != nil {
			return "", err
		}
		if _, err := pgregex.Compile(p, f, false); err != nil {
			return "", err // too complex, as PostgreSQL finds it too
		}
		return "regexp_matches(" + c.Args[0] + ", " + sqlString(t.Syntax) + ")", nil
	}
	fl := sqlString(flags)
	if !constFlags {
		fl = c.Args[2]
	}
	return "hd_re_match(" + c.Args[0] + ", " + c.Args[1] + ", " + fl + ", " + sqlString(fn) + ")", nil
}

// checkConstRegex reports an invalid constant pattern (argument i) or
// flags (argument fi, -1 for none) when the statement is planned.
func checkConstRegex(c *Call, i, fi int) error {
	p, ok := c.ConstArg(i)
	if !ok {
		return nil
	}
	flags := ""
	if fi >= 0 {
		if flags, ok = c.ConstArg(fi); !ok {
			return nil
		}
	}
	f, err := pgregex.ParseFlags(flags)
	if err != nil {
		return err
	}
	_, err = pgregex.Compile(p, f, true)
	return err
}

// regexCall renders a Go regexp function after checking its constant
// pattern: tmpl is expanded with the arguments.
func regexCall(tmpl string, pat, flags int) *Impl {
	return &Impl{Build: func(c *Call) (string, error) {
		if err := checkConstRegex(c, pat, flags); err != nil {
			return "", err
		}
		return expand(tmpl, c.Args), nil
	}}
}

// regexSRF is a set-returning regexp function: the rows of the list tmpl
// makes, after checking the constant pattern (and flags, argument
// flags; -1 for none).
func regexSRF(tmpl string, flags int) *Impl {
	return &Impl{Build: func(c *Call) (string, error) {
		if err := checkConstRegex(c, 1, flags); err != nil {
			return "", err
		}
		c.srfList = expand(tmpl, c.Args)
		return "unnest(" + c.srfList + ")", nil
	}}
}

// regexFuncs registers PostgreSQL's regular expression functions.
func regexFuncs(add func(string, *Impl)) {
	add("regexp_replace(text,text,text)", regexCall("hd_re_replace_flags($1, $2, $3, '')", 1, -1))
	add("regexp_replace(text,text,text,text)", regexCall("hd_re_replace_flags($1, $2, $3, $4)", 1, 3))
	add("regexp_replace(text,text,text,int4)", regexCall("hd_re_replace($1, $2, $3, $4, 0, '', false)", 1, -1))
	add("regexp_replace(text,text,text,int4,int4)", regexCall("hd_re_replace($1, $2, $3, $4, $5, '', true)", 1, -1))
	add("regexp_replace(text,text,text,int4,int4,text)", regexCall("hd_re_replace($1, $2, $3, $4, $5, $6, true)", 1, 5))
	add("regexp_match(text,text)", regexCall("hd_re_match_arr($1, $2, '', 'regexp_match()')", 1, -1))
	add("regexp_match(text,text,text)", regexCall("hd_re_match_arr($1, $2, $3, 'regexp_match()')", 1, 2))
	add("regexp_matches(text,text)", regexSRF("hd_re_matches($1, $2, '')", -1))
	add("regexp_matches(text,text,text)", regexSRF("hd_re_matches($1, $2, $3)", 2))
	add("regexp_like(text,text)", &Impl{Build: func(c *Call) (string, error) { return regexBool(c, "", true, "regexp_like()") }})
	add("regexp_like(text,text,text)", &Impl{Build: func(c *Call) (string, error) { return regexBool(c, "", false, "regexp_like()") }})
	add("regexp_split_to_array(text,text)", regexCall("hd_re_split($1, $2, '', 'regexp_split_to_array()')", 1, -1))
	add("regexp_split_to_array(text,text,text)", regexCall("hd_re_split($1, $2, $3, 'regexp_split_to_array()')", 1, 2))
	add("regexp_split_to_table(text,text)", regexSRF("hd_re_split($1, $2, '', 'regexp_split_to_table()')", -1))
	add("regexp_split_to_table(text,text,text)", regexSRF("hd_re_split($1, $2, $3, 'regexp_split_to_table()')", 2))
	add("regexp_count(text,text)", regexCall("hd_re_count($1, $2, 1, '')", 1, -1))
	add("regexp_count(text,text,int4)", regexCall("hd_re_count($1, $2, $3, '')", 1, -1))
	add("regexp_count(text,text,int4,text)", regexCall("hd_re_count($1, $2, $3, $4)", 1, 3))
	add("regexp_instr(text,text)", regexCall("hd_re_instr($1, $2, 1, 1, 0, '', 0)", 1, -1))
	add("regexp_instr(text,text,int4)", regexCall("hd_re_instr($1, $2, $3, 1, 0, '', 0)", 1, -1))
	add("regexp_instr(text,text,int4,int4)", regexCall("hd_re_instr($1, $2, $3, $4, 0, '', 0)", 1, -1))
	add("regexp_instr(text,text,int4,int4,int4)", regexCall("hd_re_instr($1, $2, $3, $4, $5, '', 0)", 1, -1))
	add("regexp_instr(text,text,int4,int4,int4,text)", regexCall("hd_re_instr($1, $2, $3, $4, $5, $6, 0)", 1, 5))
	add("regexp_instr(text,text,int4,int4,int4,text,int4)", regexCall("hd_re_instr($1, $2, $3, $4, $5, $6, $7)", 1, 5))
	add("regexp_substr(text,text)", regexCall("hd_re_substr($1, $2, 1, 1, '', 0)", 1, -1))
	add("regexp_substr(text,text,int4)", regexCall("hd_re_substr($1, $2, $3, 1, '', 0)", 1, -1))
	add("regexp_substr(text,text,int4,int4)", regexCall("hd_re_substr($1, $2, $3, $4, '', 0)", 1, -1))
	add("regexp_substr(text,text,int4,int4,text)", regexCall("hd_re_substr($1, $2, $3, $4, $5, 0)", 1, 4))
	add("regexp_substr(text,text,int4,int4,text,int4)", regexCall("hd_re_substr($1, $2, $3, $4, $5, $6)", 1, 4))
	add("substring(text,text)", regexCall("hd_re_substring($1, $2)", 1, -1))
	add("substring(text,text,text)", &Impl{SQL: "hd_re_substring($1, hd_similar_escape($2, $3))"})
	add("similar_to_escape(text)", &Impl{SQL: "hd_similar_escape($1, '\\')"})
	add("similar_to_escape(text,text)", &Impl{SQL: "hd_similar_escape($1, $2)"})
}

package translate

import (
	"math"
	"strconv"
	"strings"

	"github.com/hotdata-dev/hotdata/internal/pgerr"
)

// format(fmt, args…) with a constant format, as varlena.c's text_format
// reads it: %[n$][-][width|*|*n$](s|I|L) and %%.

// formatSpec is one conversion of a format string.
type formatSpec struct {
	lit   string // the literal text before the conversion
	conv  byte   // 's', 'I' or 'L'; 0 for the format's trailing text
	arg   int    // the value's argument, from 0 (the first after the format)
	width int    // a direct width, 0 for none
	// widthArg is the argument holding the width, -1 for none.
	widthArg int
	minus    bool
}

// parseFormat splits a format into its conversions, giving
// text_format's errors (22023, 22003). nargs is the number of value
// arguments, -1 when a VARIADIC array gives them (counted when it runs).
func parseFormat(f string, nargs int) ([]formatSpec, *pgerr.Error) {
	var specs []formatSpec
	var lit strings.Builder
	unterminated := errf("22023", "unterminated format() type specifier").WithHint(`For a single "%%" use "%%%%".`)
	next := 0 // the next argument, as text_format's arg (less one)
	takeArg := func(pos int) (int, *pgerr.Error) {
		a := next
		if pos > 0 {
			a = pos - 1
		}
		if nargs >= 0 && a >= nargs {
			return 0, errf("22023", "too few arguments for format()")
		}
		next = a + 1
		return a, nil
	}
	for i := 0; i < len(f); i++ {
		if f[i] != '%' {
			lit.WriteByte(f[i])
			continue
		}
		if i++; i >= len(f) {
			return nil, unterminated
		}
		if f[i] == '%' {
			lit.WriteByte('%')
			continue
		}
		sp := formatSpec{lit: lit.String(), widthArg: -1}
		lit.Reset()
		argpos, widthpos := 0, -1
		var err *pgerr.Error
		// An argument position, or a width.
		if n, j, ok, e := formatDigits(f, i); e != nil {
			return nil, e
		} else if ok {
			if j >= len(f) {
				return nil, unterminated
			}
			i = j
			if f[i] != '$' {
				sp.width = n
				goto conversion
			}
			if n == 0 {
				return nil, errf("22023", "format specifies argument 0, but arguments are numbered from 1")
			}
			argpos = n
			if i++; i >= len(f) {
				return nil, unterminated
			}
		}
		for f[i] == '-' {
			sp.minus = true
			if i++; i >= len(f) {
				return nil, unterminated
			}
		}
		if f[i] == '*' {
			if i++; i >= len(f) {
				return nil, unterminated
			}
			widthpos = 0
			n, j, ok, e := formatDigits(f, i)
			if e != nil {
				return nil, e
			}
			if ok {
				if j >= len(f) {
					return nil, unterminated
				}
				if f[j] != '$' {
					return nil, errf("22023", `width argument position must be ended by "$"`)
				}
				if n == 0 {
					return nil, errf("22023", "format specifies argument 0, but arguments are numbered from 1")
				}
				widthpos = n
				if i = j + 1; i >= len(f) {
					return nil, unterminated
				}
			}
		} else if n, j, ok, e := formatDigits(f, i); e != nil {
			return nil, e
		} else if ok {
			if j >= len(f) {
				return nil, unterminated
			}
			sp.width, i = n, j
		}
	conversion:
		if !strings.ContainsRune("sIL", rune(f[i])) {
			r := f[i:]
			if _, size := firstRune(r); size > 0 {
				r = r[:size]
			}
			return nil, errf("22023", "unrecognized format() type specifier %q", r).WithHint(`For a single "%%" use "%%%%".`)
		}
		if widthpos >= 0 {
			if sp.widthArg, err = takeArg(widthpos); err != nil {
				return nil, err
			}
		}
		if sp.arg, err = takeArg(argpos); err != nil {
			return nil, err
		}
		sp.conv = f[i]
		specs = append(specs, sp)
	}
	return append(specs, formatSpec{lit: lit.String(), widthArg: -1}), nil
}

// formatDigits is text_format_parse_digits: the number at f[i:], the
// index after it, and whether there was one; 22003 past int4.
func formatDigits(f string, i int) (n, j int, ok bool, err *pgerr.Error) {
	for j = i; j < len(f) && f[j] >= '0' && f[j] <= '9'; j++ {
		n = n*10 + int(f[j]-'0')
		if n > math.MaxInt32 {
			return 0, 0, false, errf("22003", "number is out of range")
		}
	}
	return n, j, j > i, nil
}

func firstRune(s string) (rune, int) {
	for _, r := range s {
		return r, len(string(r))
	}
	return 0, 0
}

// formatImpl renders format(): the conversions' values, padded to their
// widths by hd_format_pad. A malformed format fails when the call runs,
// as PostgreSQL's does (not for a call on no rows).
func formatImpl() *Impl {
	return &Impl{Build: func(c *Call) (string, error) {
		f, ok := c.ConstArg(0)
		if !ok {
			return "", unsupported("format() with a format that is not a constant is not supported by Hotdata's cache engine")
		}
		args := c.args[1:]
		nargs := len(args)
		// format(f, VARIADIC arr): the arguments are arr's elements, as
		// many as it has (none for a NULL array), counted when it runs.
		var varArr *expr
		if c.explicitVariadic && len(c.args) == 2 && c.args[1].typ.IsArray() {
			varArr, nargs = c.args[1], -1
		}
		specs, perr := parseFormat(f, nargs)
		if perr != nil {
			return "CAST(" + raise(perr.Code, perr.Message) + " AS VARCHAR)", nil
		}
		argAt := func(i int) *expr {
			if varArr != nil {
				return &expr{typ: Type{varArr.typ.Elem().OID, -1}, num: varArr.num, sql: "(" + varArr.sql + ")[" + strconv.Itoa(i+1) + "]"}
			}
			return args[i]
		}
		need := 0
		var parts []string
		for _, sp := range specs {
			if sp.lit != "" {
				parts = append(parts, sqlString(sp.lit))
			}
			if sp.conv == 0 {
				continue
			}
			need = max(need, sp.arg+1, sp.widthArg+1)
			v := formatValue(sp.conv, argAt(sp.arg))
			if sp.widthArg >= 0 {
				w, err := formatWidth(argAt(sp.widthArg))
				if err != nil {
					return "", err
				}
				v = "hd_format_pad(" + v + ", " + w + ", " + strconv.FormatBool(sp.minus) + ")"
			} else if sp.width > 0 {
				v = "hd_format_pad(" + v + ", " + strconv.Itoa(sp.width) + ", " + strconv.FormatBool(sp.minus) + ")"
			}
			parts = append(parts, v)
		}
		out := "''"
		if len(parts) > 0 {
			out = "concat(" + strings.Join(parts, ", ") + ")"
		}
		if varArr != nil && need > 0 {
			out = "CASE WHEN coalesce(len(" + varArr.sql + "), 0) < " + strconv.Itoa(need) + " THEN " +
				raise("22023", "too few arguments for format()") + " ELSE " + out + " END"
		}
		return out, nil
	}}
}

// formatValue is one conversion's text: %s the value's output (empty for
// NULL), %I quote_ident (NULL fails), %L quote_nullable.
func formatValue(conv byte, a *expr) string {
	switch conv {
	case 'I':
		return "hd_quote_ident_strict_null(" + outputSQL(a) + ")"
	case 'L':
		return "coalesce(hd_quote_literal(" + outputSQL(a) + "), 'NULL')"
	}
	return "coalesce(" + outputSQL(a) + ", '')"
}

// formatWidth is a width given by an argument (%*s): an int2 or int4,
// NULL for none; text_format reads other types through their text,
// which is refused here.
func formatWidth(a *expr) (string, error) {
	switch a.typ.OID {
	case OIDInt2, OIDInt4:
		return "coalesce(CAST(" + a.sql + " AS INTEGER), 0)", nil
	}
	return "", unsupported("format() with a width of type %s is not supported by Hotdata's cache engine", a.typ.Name())
}

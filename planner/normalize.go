package planner

import (
	"math/big"
	"strconv"
	"strings"

	"github.com/hotdata-dev/hotdata/translate"
)

// Normalize replaces the numeric and string constants of sql with $1,
// $2, … and returns that text (a key under which a plan can be reused for
// every statement that differs only in its constants) and the constants'
// source text, in order. ok is false when sql has parameters of its own or
// a construct this scanner leaves alone (dollar quotes, bit strings,
// Unicode escapes); the caller then plans sql as it is.
//
// It is a plain Go scanner, much cheaper than a parse: the simple query
// protocol sends every execution with its values inlined, and the plan
// cache keyed by Normalize spares all but the first a parse.
func Normalize(sql string) (key string, consts []string, ok bool) {
	var b strings.Builder
	b.Grow(len(sql) + 8)
	i := 0
	for i < len(sql) {
		c := sql[i]
		switch {
		case c == '\'':
			j := skipQuoted(sql, i, '\'')
			if j > len(sql) || sql[j-1] != '\'' || j-i < 2 {
				return "", nil, false
			}
			consts = append(consts, sql[i:j])
			writeParam(&b, len(consts))
			i = j
		case (c == 'E' || c == 'e') && i+1 < len(sql) && sql[i+1] == '\'' && (i == 0 || !isIdentChar(sql[i-1])):
			j := skipQuoted(sql, i+1, '\'')
			if sql[j-1] != '\'' {
				return "", nil, false
			}
			consts = append(consts, sql[i:j])
			writeParam(&b, len(consts))
			i = j
		case (c == 'B' || c == 'b' || c == 'X' || c == 'x' || c == 'U' || c == 'u' || c == 'N' || c == 'n') &&
			i+1 < len(sql) && (sql[i+1] == '\'' || sql[i+1] == '&') && (i == 0 || !isIdentChar(sql[i-1])):
			// Bit strings, Unicode escapes and national strings: left alone.
			return "", nil, false
		case c == '"':
			j := skipQuoted(sql, i, '"')
			b.WriteString(sql[i:j])
			i = j
		case c == '$':
			// Parameters or dollar quotes: not for this cache.
			return "", nil, false
		case c == '-' && i+1 < len(sql) && sql[i+1] == '-':
			j := strings.IndexByte(sql[i:], '\n')
			if j < 0 {
				j = len(sql) - i
			}
			b.WriteString(sql[i : i+j])
			i += j
		case c == '/' && i+1 < len(sql) && sql[i+1] == '*':
			j := skipBlockComment(sql, i)
			b.WriteString(sql[i:j])
			i = j
		case c >= '0' && c <= '9' || c == '.' && i+1 < len(sql) && sql[i+1] >= '0' && sql[i+1] <= '9':
			if i > 0 && isIdentChar(sql[i-1]) {
				// Part of an identifier such as t1.
				b.WriteByte(c)
				i++
				continue
			}
			j := scanNumber(sql, i)
			consts = append(consts, sql[i:j])
			writeParam(&b, len(consts))
			i = j
		case isIdentChar(c):
			j := i
			for j < len(sql) && isIdentChar(sql[j]) {
				j++
			}
			b.WriteString(sql[i:j])
			i = j
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String(), consts, true
}

func writeParam(b *strings.Builder, n int) {
	b.WriteByte('$')
	b.WriteString(strconv.Itoa(n))
}

// scanNumber returns the end of a numeric literal at i: digits (with
// underscores), a fraction, an exponent, or a 0x/0o/0b integer.
func scanNumber(s string, i int) int {
	j := i
	if s[j] == '0' && j+1 < len(s) && strings.ContainsRune("xXoObB", rune(s[j+1])) {
		j += 2
		for j < len(s) && (isHexDigit(s[j]) || s[j] == '_') {
			j++
		}
		return j
	}
	for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == '_') {
		j++
	}
	if j < len(s) && s[j] == '.' && !(j+1 < len(s) && s[j+1] == '.') {
		j++
		for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == '_') {
			j++
		}
	}
	if j < len(s) && (s[j] == 'e' || s[j] == 'E') {
		k := j + 1
		if k < len(s) && (s[k] == '+' || s[k] == '-') {
			k++
		}
		if k < len(s) && s[k] >= '0' && s[k] <= '9' {
			for k < len(s) && s[k] >= '0' && s[k] <= '9' {
				k++
			}
			j = k
		}
	}
	return j
}

func isHexDigit(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// WithConsts returns a copy of a statement planned from Normalize's key,
// with the constants put back: text is the statement as the client sent
// it.
func (s *Statement) WithConsts(text string, consts []string) *Statement {
	out := *s
	out.Text = text
	fill := func(n int) string {
		if n >= 1 && n <= len(consts) {
			return consts[n-1]
		}
		return ""
	}
	if s.Engine != "" {
		out.Engine = ReplaceParams(s.Engine, fill)
	}
	if s.upstream != "" {
		out.upstream = ReplaceParams(s.upstream, fill)
		if s.constParams && s.Kind == Query {
			if args, oids, ok := constArgs(consts); ok {
				out.upstreamTemplate, out.templateArgs, out.templateOIDs = s.upstream, args, oids
			}
		}
	}
	out.Params = 0
	if s.Inner != nil {
		out.Inner = s.Inner.WithConsts(text, consts)
	}
	if s.Args != nil {
		out.Args = make([]string, len(s.Args))
		for i, a := range s.Args {
			out.Args[i] = ReplaceParams(a, fill)
		}
	}
	if s.Setting != nil {
		set := *s.Setting
		out.Setting = &set
	}
	return &out
}

// constArgs turns Normalize's constants into parameter values and types,
// typed as PostgreSQL types the literals: integers as int4 or int8, other
// numbers as numeric, strings unknown (typed by their context). ok is
// false for constants with no plain value (escape strings).
func constArgs(consts []string) ([][]byte, []uint32, bool) {
	args := make([][]byte, len(consts))
	oids := make([]uint32, len(consts))
	for i, c := range consts {
		switch {
		case strings.HasPrefix(c, "'"):
			args[i] = []byte(strings.ReplaceAll(c[1:len(c)-1], "''", "'"))
		case c[0] == 'E' || c[0] == 'e':
			return nil, nil, false
		default:
			args[i] = []byte(c)
			oids[i] = 1700 // numeric
			base, digits := 10, strings.ReplaceAll(c, "_", "")
			if len(digits) > 2 && digits[0] == '0' && strings.ContainsRune("xXoObB", rune(digits[1])) {
				base = 0 // 0x1F, 0o17, 0b101; a plain 017 is decimal, as in PostgreSQL
			}
			if n, err := strconv.ParseInt(digits, base, 64); err == nil {
				oids[i] = 20 // int8
				if n >= -1<<31 && n < 1<<31 {
					oids[i] = 23 // int4
				}
				args[i] = []byte(strconv.FormatInt(n, 10))
			}
		}
	}
	return args, oids, true
}

// LiteralShape describes the kinds of Normalize's constants as PostgreSQL
// types them (int4, int8, numeric of its digits and scale, unknown
// string): plans of one key differ by it, so it belongs in a plan cache
// key. ok is false when a constant cannot stand for a parameter (an
// escape string, an exponent, a non-decimal integer, or a number whose
// negation PostgreSQL types otherwise); the caller then plans the text.
func LiteralShape(consts []string) (shape string, ok bool) {
	kinds, ok := literalKinds(consts)
	if !ok {
		return "", false
	}
	b := make([]byte, 0, 4*len(kinds))
	for _, k := range kinds {
		b = append(b, byte('0'+k.Kind))
		if k.Kind == translate.LitNumeric {
			b = strconv.AppendInt(b, int64(k.P), 10)
			b = append(b, ',')
			b = strconv.AppendInt(b, int64(k.S), 10)
		}
		b = append(b, ';')
	}
	return string(b), true
}

// PlanTemplate plans Normalize's key, each $n standing for the constant
// consts[n-1] typed as PostgreSQL types that literal; WithConsts then
// puts the constants back. ok is false when the constants do not allow
// it (see LiteralShape).
func PlanTemplate(key string, consts []string, cat *Catalog, opts Options) (stmts []*Statement, ok bool, err error) {
	kinds, ok := literalKinds(consts)
	if !ok {
		return nil, false, nil
	}
	opts.literals = kinds
	stmts, err = Plan(key, cat, opts)
	return stmts, true, err
}

var (
	int4Edge = big.NewInt(1 << 31)
	int8Edge = new(big.Int).Lsh(big.NewInt(1), 63)
)

func literalKinds(consts []string) ([]translate.LiteralKind, bool) {
	kinds := make([]translate.LiteralKind, len(consts))
	for i, c := range consts {
		switch {
		case c == "":
			return nil, false
		case c[0] == '\'':
			kinds[i].Kind = translate.LitString
		case c[0] >= '0' && c[0] <= '9' || c[0] == '.':
			if strings.ContainsAny(c, "eE_xXoObB") {
				return nil, false
			}
			intPart, frac, dot := strings.Cut(c, ".")
			if !dot {
				n, ok := new(big.Int).SetString(c, 10)
				if !ok || n.Cmp(int4Edge) == 0 || n.Cmp(int8Edge) == 0 {
					return nil, false // -2147483648 is int4, -9223372036854775808 int8
				}
				switch {
				case n.IsInt64() && n.Int64() < 1<<31:
					kinds[i].Kind = translate.LitInteger
				case n.IsInt64():
					kinds[i].Kind = translate.LitBigint
				default:
					kinds[i] = translate.LiteralKind{Kind: translate.LitNumeric, P: len(strings.TrimLeft(c, "0")), S: 0}
				}
				continue
			}
			digits := len(strings.TrimLeft(intPart+frac, "0"))
			kinds[i] = translate.LiteralKind{Kind: translate.LitNumeric, P: max(digits, len(frac), 1), S: len(frac)}
		default:
			return nil, false
		}
	}
	return kinds, true
}

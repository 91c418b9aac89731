package planner

import (
	"strconv"
	"strings"
)

// ReplaceParams rewrites every parameter reference $n of sql (outside
// string literals, quoted identifiers and comments) with repl(n); when
// repl returns "", the reference stays. It is how the session inlines
// values or adds casts to a prepared statement's engine SQL.
func ReplaceParams(sql string, repl func(n int) string) string {
	var b strings.Builder
	b.Grow(len(sql) + 16)
	i := 0
	for i < len(sql) {
		c := sql[i]
		switch {
		case c == '\'':
			j := skipQuoted(sql, i, '\'')
			b.WriteString(sql[i:j])
			i = j
		case c == '"':
			j := skipQuoted(sql, i, '"')
			b.WriteString(sql[i:j])
			i = j
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
		case c == '$' && i+1 < len(sql) && sql[i+1] >= '0' && sql[i+1] <= '9' && (i == 0 || !isIdentChar(sql[i-1])):
			j := i + 1
			for j < len(sql) && sql[j] >= '0' && sql[j] <= '9' {
				j++
			}
			n, err := strconv.Atoi(sql[i+1 : j])
			if r := ""; err == nil {
				if r = repl(n); r != "" {
					b.WriteString(r)
					i = j
					continue
				}
			}
			b.WriteString(sql[i:j])
			i = j
		case c == '$' && (i == 0 || !isIdentChar(sql[i-1])):
			// A dollar-quoted string: $tag$ … $tag$.
			if j := skipDollarQuoted(sql, i); j > i {
				b.WriteString(sql[i:j])
				i = j
				continue
			}
			b.WriteByte(c)
			i++
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}

func isIdentChar(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

// skipQuoted returns the index after a quoted run starting at i, where a
// doubled quote is an escaped quote.
func skipQuoted(s string, i int, q byte) int {
	j := i + 1
	for j < len(s) {
		if s[j] == q {
			if j+1 < len(s) && s[j+1] == q {
				j += 2
				continue
			}
			return j + 1
		}
		if q == '\'' && s[j] == '\\' && i > 0 && (s[i-1] == 'E' || s[i-1] == 'e') && j+1 < len(s) {
			j += 2
			continue
		}
		j++
	}
	return len(s)
}

func skipBlockComment(s string, i int) int {
	depth := 0
	for j := i; j+1 < len(s); j++ {
		switch {
		case s[j] == '/' && s[j+1] == '*':
			depth++
			j++
		case s[j] == '*' && s[j+1] == '/':
			depth--
			j++
			if depth == 0 {
				return j + 1
			}
		}
	}
	return len(s)
}

// skipDollarQuoted returns the index after a dollar-quoted string at i,
// or i when there is none.
func skipDollarQuoted(s string, i int) int {
	j := i + 1
	for j < len(s) && s[j] != '$' {
		if !isIdentChar(s[j]) || (j == i+1 && s[j] >= '0' && s[j] <= '9') {
			return i
		}
		j++
	}
	if j >= len(s) {
		return i
	}
	tag := s[i : j+1]
	end := strings.Index(s[j+1:], tag)
	if end < 0 {
		return len(s)
	}
	return j + 1 + end + len(tag)
}

// QuoteLiteral quotes s as a standard SQL string literal.
func QuoteLiteral(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

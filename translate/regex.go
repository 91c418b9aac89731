package translate

import (
	"strings"
)

// PostgreSQL's regular expressions (Spencer's ARE) and the engine's (RE2)
// agree on a common core. regexToRE2 translates a constant pattern of
// that core and refuses the rest: back references, lookahead and
// lookbehind, collating elements, and PostgreSQL-only escapes. For
// functions that return what matched (extract is true) it also refuses
// non-greedy quantifiers, whose ARE semantics differ from RE2's.
func regexToRE2(p string, extract bool) (string, error) {
	var b strings.Builder
	// ARE: . matches a newline unless newline-sensitive; ^ and $ anchor
	// at the string ends.
	b.WriteString("(?s)")
	refuse := func(what string) (string, error) {
		return "", unsupported("regular expressions with %s are not supported by Hotdata's cache engine", what)
	}
	i := 0
	// Leading embedded options: (?i) etc.
	if strings.HasPrefix(p, "***=") {
		return quoteRE2(p[4:]), nil
	}
	if strings.HasPrefix(p, "***:") {
		p = p[4:]
	}
	if strings.HasPrefix(p, "(?") && len(p) > 2 && p[2] != ':' && p[2] != '=' && p[2] != '!' && p[2] != '<' {
		j := strings.IndexByte(p, ')')
		if j < 0 {
			return "", errf("2201B", "invalid regular expression: parentheses () not balanced")
		}
		for _, c := range p[2:j] {
			switch c {
			case 'i':
				b.WriteString("(?i)")
			case 'c':
			case 's':
			default:
				return refuse("embedded option " + string(c))
			}
		}
		i = j + 1
	}
	inBracket := false
	for i < len(p) {
		c := p[i]
		if inBracket {
			switch {
			case c == '[' && i+1 < len(p) && (p[i+1] == '.' || p[i+1] == '='):
				return refuse("collating elements or equivalence classes")
			case c == '[' && i+1 < len(p) && p[i+1] == ':':
				j := strings.Index(p[i:], ":]")
				if j < 0 {
					return "", errf("2201B", "invalid regular expression: brackets [] not balanced")
				}
				class := p[i : i+j+2]
				switch class {
				case "[:alpha:]", "[:digit:]", "[:alnum:]", "[:upper:]", "[:lower:]", "[:space:]", "[:punct:]", "[:xdigit:]", "[:blank:]", "[:cntrl:]", "[:print:]", "[:graph:]":
					b.WriteString(class)
				default:
					return refuse("the character class " + class)
				}
				i += j + 2
				continue
			case c == ']':
				inBracket = false
				b.WriteByte(c)
			case c == '\\':
				if i+1 >= len(p) {
					return "", errf("2201B", "invalid regular expression: invalid escape \\ sequence")
				}
				n := p[i+1]
				switch n {
				case 'd', 's', 'w', 'D', 'S', 'W':
					if n == 'w' || n == 'W' || n == 'd' || n == 'D' {
						return refuse("\\" + string(n) + " inside brackets")
					}
					b.WriteString(p[i : i+2])
				case 'n', 't', 'r', 'f', 'v', '\\', ']', '[', '-', '^':
					b.WriteString(p[i : i+2])
				default:
					return refuse("the escape \\" + string(n))
				}
				i += 2
				continue
			default:
				b.WriteByte(c)
			}
			i++
			continue
		}
		switch c {
		case '[':
			inBracket = true
			b.WriteByte(c)
			i++
			if i < len(p) && p[i] == '^' {
				b.WriteByte('^')
				i++
			}
			if i < len(p) && p[i] == ']' {
				b.WriteString(`\]`)
				i++
			}
			continue
		case '\\':
			if i+1 >= len(p) {
				return "", errf("2201B", "invalid regular expression: invalid escape \\ sequence")
			}
			n := p[i+1]
			switch {
			case n >= '1' && n <= '9':
				return refuse("back references")
			case n == 'd' || n == 'D' || n == 's' || n == 'S':
				b.WriteString(p[i : i+2])
			case n == 'w':
				b.WriteString(`[\p{L}\p{Nd}_]`)
			case n == 'W':
				b.WriteString(`[^\p{L}\p{Nd}_]`)
			case n == 'y':
				return refuse("\\y")
			case n == 'Y':
				return refuse("\\Y")
			case n == 'm' || n == 'M':
				return refuse("\\" + string(n))
			case n == 'A':
				b.WriteString(`\A`)
			case n == 'Z':
				b.WriteString(`\z`)
			case n == 'b':
				b.WriteString(`\x08`)
			case n == 'n' || n == 't' || n == 'r' || n == 'f' || n == 'v':
				b.WriteString(p[i : i+2])
			case n == 'e':
				b.WriteString(`\x1b`)
			case n == 'a':
				b.WriteString(`\x07`)
			case strings.IndexByte(`.^$*+?()[]{}|\/-`, n) >= 0:
				b.WriteByte('\\')
				b.WriteByte(n)
			default:
				if n >= 'a' && n <= 'z' || n >= 'A' && n <= 'Z' || n >= '0' && n <= '9' {
					return refuse("the escape \\" + string(n))
				}
				b.WriteByte('\\')
				b.WriteByte(n)
			}
			i += 2
			continue
		case '(':
			if i+1 < len(p) && p[i+1] == '?' {
				if i+2 < len(p) && p[i+2] == ':' {
					b.WriteString("(?:")
					i += 3
					continue
				}
				return refuse("lookahead or lookbehind constraints")
			}
			if extract {
				// Capturing groups are fine.
			}
		case '*', '+', '?', '}':
			if i+1 < len(p) && p[i+1] == '?' && extract {
				return refuse("non-greedy quantifiers in a function that returns the match")
			}
		case '{':
			// Bounds: {m}, {m,}, {m,n}.
			j := strings.IndexByte(p[i:], '}')
			if j < 0 {
				return "", errf("2201B", "invalid regular expression: braces {} not balanced")
			}
			inner := p[i+1 : i+j]
			for _, r := range inner {
				if !(r >= '0' && r <= '9' || r == ',') {
					return "", errf("2201B", "invalid regular expression: invalid repetition count(s)")
				}
			}
			if strings.HasPrefix(inner, ",") {
				return refuse("{,n} bounds")
			}
			b.WriteString(p[i : i+j+1])
			i += j + 1
			if i < len(p) && p[i] == '?' && extract {
				return refuse("non-greedy quantifiers in a function that returns the match")
			}
			continue
		}
		b.WriteByte(c)
		i++
	}
	if inBracket {
		return "", errf("2201B", "invalid regular expression: brackets [] not balanced")
	}
	return b.String(), nil
}

// quoteRE2 matches s literally.
func quoteRE2(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(`\.+*?()|[]{}^$`, s[i]) >= 0 {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// similarToRegex turns a SIMILAR TO pattern into a PostgreSQL regular
// expression, as similar_escape() does.
func similarToRegex(pat, escape string) (string, error) {
	if len([]rune(escape)) > 1 {
		return "", errf("2201B", "invalid escape string").WithHint("Escape string must be empty or one character.")
	}
	var b strings.Builder
	b.WriteString("^(?:")
	afterEscape := false
	inBracket := 0
	nquotes := 0
	for _, r := range pat {
		switch {
		case afterEscape:
			if r == '"' && inBracket == 0 {
				switch nquotes {
				case 0:
					b.WriteString("){1,1}?(")
				case 1:
					b.WriteString("){1,1}(?:")
				default:
					return "", errf("2201B", "SQL regular expression may not contain more than two escape-double-quote separators")
				}
				nquotes++
			} else {
				b.WriteByte('\\')
				b.WriteRune(r)
			}
			afterEscape = false
		case escape != "" && string(r) == escape:
			afterEscape = true
		case inBracket > 0:
			if r == '\\' {
				b.WriteByte('\\')
			}
			b.WriteRune(r)
			if r == ']' && inBracket > 1 {
				inBracket = 0
			} else if r != '^' {
				inBracket++
			}
		case r == '[':
			b.WriteRune(r)
			inBracket = 1
		case r == '%':
			b.WriteString(".*")
		case r == '_':
			b.WriteByte('.')
		case r == '(':
			b.WriteString("(?:")
		case r == '\\' || r == '.' || r == '^' || r == '$':
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteString(")$")
	return b.String(), nil
}

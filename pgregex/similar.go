package pgregex

import (
	"strings"

	"github.com/hotdata-dev/hotdata/internal/pgerr"
)

// SimilarToRegex turns a SIMILAR TO pattern with its escape character
// (empty for none) into the regular expression PostgreSQL's
// similar_to_escape() makes of it.
func SimilarToRegex(pat, escape string) (string, error) {
	if len([]rune(escape)) > 1 {
		return "", pgerr.New("22025", "invalid escape string").WithHint("Escape string must be empty or one character.")
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
					return "", pgerr.New("2200C", "SQL regular expression may not contain more than two escape-double-quote separators")
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

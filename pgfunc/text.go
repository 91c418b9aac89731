package pgfunc

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hotdata-dev/hotdata/engine"
	"github.com/hotdata-dev/hotdata/pgcatalog"
	"github.com/hotdata-dev/hotdata/pgval"

	"golang.org/x/text/unicode/norm"
)

// Strings as PostgreSQL computes them in a UTF8 database with the C.UTF-8
// locale: case mapping is Unicode's simple one (towupper), character
// classes Unicode's.

func mapRunes(s string, f func(rune) rune) string { return strings.Map(f, s) }

func pgUpper(s string) string { return mapRunes(s, unicode.ToUpper) }
func pgLower(s string) string { return mapRunes(s, unicode.ToLower) }

// pgInitcap is initcap: the first letter of each run of alphanumerics
// upper case, the rest lower case.
func pgInitcap(s string) string {
	var b strings.Builder
	wasAlnum := false
	for _, r := range s {
		if wasAlnum {
			b.WriteRune(unicode.ToLower(r))
		} else {
			b.WriteRune(unicode.ToUpper(r))
		}
		wasAlnum = unicode.IsLetter(r) || unicode.IsDigit(r)
	}
	return b.String()
}

// likeMatch is PostgreSQL's LIKE on runes with an escape character.
func likeMatch(s, p []rune, esc rune, hasEsc bool) bool {
	for len(p) > 0 {
		c := p[0]
		switch {
		case hasEsc && c == esc:
			if len(p) < 2 {
				return false
			}
			if len(s) == 0 || s[0] != p[1] {
				return false
			}
			s, p = s[1:], p[2:]
		case c == '%':
			for len(p) > 0 && p[0] == '%' {
				p = p[1:]
			}
			if len(p) == 0 {
				return true
			}
			for i := 0; i <= len(s); i++ {
				if likeMatch(s[i:], p, esc, hasEsc) {
					return true
				}
			}
			return false
		case c == '_':
			if len(s) == 0 {
				return false
			}
			s, p = s[1:], p[1:]
		default:
			if len(s) == 0 || s[0] != c {
				return false
			}
			s, p = s[1:], p[1:]
		}
	}
	return len(s) == 0
}

// normForm is a Unicode normalization form by PostgreSQL's name for it
// (normalize(), IS … NORMALIZED).
func normForm(name string) (norm.Form, error) {
	switch name {
	case "NFC":
		return norm.NFC, nil
	case "NFD":
		return norm.NFD, nil
	case "NFKC":
		return norm.NFKC, nil
	case "NFKD":
		return norm.NFKD, nil
	}
	return 0, failf("22023", "invalid normalization form: %s", name)
}

func textFuncs() []engine.ScalarFunc {
	return []engine.ScalarFunc{
		fn("hd_upper", []string{"VARCHAR"}, "VARCHAR", func(a []any) (any, error) { return pgUpper(str(a[0])), nil }),
		fn("hd_lower", []string{"VARCHAR"}, "VARCHAR", func(a []any) (any, error) { return pgLower(str(a[0])), nil }),
		fn("hd_initcap", []string{"VARCHAR"}, "VARCHAR", func(a []any) (any, error) { return pgInitcap(str(a[0])), nil }),
		fn("hd_normalize", []string{"VARCHAR", "VARCHAR"}, "VARCHAR", func(a []any) (any, error) {
			f, err := normForm(str(a[1]))
			if err != nil {
				return nil, err
			}
			return f.String(str(a[0])), nil
		}),
		fn("hd_is_normalized", []string{"VARCHAR", "VARCHAR"}, "BOOLEAN", func(a []any) (any, error) {
			f, err := normForm(str(a[1]))
			if err != nil {
				return nil, err
			}
			return f.IsNormalString(str(a[0])), nil
		}),
		fn("hd_ilike", []string{"VARCHAR", "VARCHAR", "VARCHAR"}, "BOOLEAN", func(a []any) (any, error) {
			esc := []rune(str(a[2]))
			e, has := rune(0), len(esc) > 0
			if has {
				e = esc[0]
			}
			return likeMatch([]rune(pgLower(str(a[0]))), []rune(pgLower(str(a[1]))), e, has), nil
		}),
		fn("hd_translate", []string{"VARCHAR", "VARCHAR", "VARCHAR"}, "VARCHAR", func(a []any) (any, error) {
			from, to := []rune(str(a[1])), []rune(str(a[2]))
			var b strings.Builder
			for _, r := range str(a[0]) {
				idx := -1
				for i, f := range from {
					if f == r {
						idx = i
						break
					}
				}
				switch {
				case idx < 0:
					b.WriteRune(r)
				case idx < len(to):
					b.WriteRune(to[idx])
				}
			}
			return b.String(), nil
		}),
		fn("hd_reverse", []string{"VARCHAR"}, "VARCHAR", func(a []any) (any, error) {
			r := []rune(str(a[0]))
			for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
				r[i], r[j] = r[j], r[i]
			}
			return string(r), nil
		}),
		fn("hd_split_part", []string{"VARCHAR", "VARCHAR", "INTEGER"}, "VARCHAR", func(a []any) (any, error) {
			s, d, n := str(a[0]), str(a[1]), i64(a[2])
			if n == 0 {
				return nil, failf("22023", "field position must not be zero")
			}
			var parts []string
			if d == "" {
				parts = []string{s}
				if s == "" {
					parts = nil
				}
			} else if s == "" {
				parts = nil
			} else {
				parts = strings.Split(s, d)
			}
			if n < 0 {
				n = int64(len(parts)) + n + 1
			}
			if n < 1 || n > int64(len(parts)) {
				return "", nil
			}
			return parts[n-1], nil
		}),
		fn("hd_ascii", []string{"VARCHAR"}, "INTEGER", func(a []any) (any, error) {
			s := str(a[0])
			if s == "" {
				return int64(0), nil
			}
			r, _ := utf8.DecodeRuneInString(s)
			return int64(r), nil
		}),
		fn("hd_chr", []string{"INTEGER"}, "VARCHAR", func(a []any) (any, error) {
			c := i64(a[0])
			switch {
			case c == 0:
				return nil, failf("54000", "null character not permitted")
			case c < 0 || c > 0x10FFFF || c >= 0xD800 && c <= 0xDFFF:
				return nil, failf("54000", "requested character too large for encoding: %d", c)
			}
			return string(rune(c)), nil
		}),
		fn("hd_to_hex32", []string{"INTEGER"}, "VARCHAR", func(a []any) (any, error) {
			return fmt.Sprintf("%x", uint32(i64(a[0]))), nil
		}),
		fn("hd_to_hex64", []string{"BIGINT"}, "VARCHAR", func(a []any) (any, error) {
			return fmt.Sprintf("%x", uint64(i64(a[0]))), nil
		}),
		fn("hd_quote_ident", []string{"VARCHAR"}, "VARCHAR", func(a []any) (any, error) { return pgcatalog.QuoteIdent(str(a[0])), nil }),
		fn("hd_quote_ident_strict", []string{"VARCHAR"}, "VARCHAR", func(a []any) (any, error) { return pgcatalog.QuoteIdent(str(a[0])), nil }),
		{Name: "hd_quote_ident_strict_null", Args: []string{"VARCHAR"}, Returns: "VARCHAR", NullCalls: true, Row: func(a []any) (any, error) {
			if a[0] == nil {
				return nil, failf("22004", "null values cannot be formatted as an SQL identifier")
			}
			return pgcatalog.QuoteIdent(str(a[0])), nil
		}},
		fn("hd_format_pad", []string{"VARCHAR", "INTEGER", "BOOLEAN"}, "VARCHAR", func(a []any) (any, error) {
			return formatPad(str(a[0]), i64(a[1]), a[2] == true)
		}),
		fn("hd_quote_literal", []string{"VARCHAR"}, "VARCHAR", func(a []any) (any, error) { return quoteLiteral(str(a[0])), nil }),
		fn("hd_name", []string{"VARCHAR"}, "VARCHAR", func(a []any) (any, error) {
			s := str(a[0])
			if len(s) <= 63 {
				return s, nil
			}
			b := s[:63]
			for len(b) > 0 && !utf8.ValidString(b) {
				b = b[:len(b)-1]
			}
			return b, nil
		}),
		fn("hd_in_char", []string{"VARCHAR"}, "VARCHAR", func(a []any) (any, error) {
			s := str(a[0])
			if s == "" {
				return "", nil
			}
			return s[:1], nil
		}),
		fn("hd_encode", []string{"BLOB", "VARCHAR"}, "VARCHAR", func(a []any) (any, error) {
			b, _ := a[0].([]byte)
			switch strings.ToLower(str(a[1])) {
			case "hex":
				return hex.EncodeToString(b), nil
			case "base64":
				return base64Lines(b), nil
			case "escape":
				return string(encodeEscape(b)), nil
			}
			return nil, failf("22023", "unrecognized encoding: %q", str(a[1]))
		}),
		fn("hd_decode", []string{"VARCHAR", "VARCHAR"}, "BLOB", func(a []any) (any, error) {
			s := str(a[0])
			switch strings.ToLower(str(a[1])) {
			case "hex":
				b, err := pgval.ParseBytea("\\x" + s)
				if err != nil {
					return nil, fail(err)
				}
				return b, nil
			case "base64":
				clean := strings.Map(func(r rune) rune {
					if r == ' ' || r == '\n' || r == '\t' || r == '\r' {
						return -1
					}
					return r
				}, s)
				b, err := base64.StdEncoding.DecodeString(clean)
				if err != nil {
					return nil, failf("22023", "invalid base64 end sequence")
				}
				return b, nil
			case "escape":
				b, err := pgval.ParseBytea(s)
				if err != nil {
					return nil, fail(err)
				}
				return b, nil
			}
			return nil, failf("22023", "unrecognized encoding: %q", str(a[1]))
		}),
	}
}

// base64Lines is encode(…, 'base64'): lines of 76 characters.
func base64Lines(b []byte) string {
	s := base64.StdEncoding.EncodeToString(b)
	var out strings.Builder
	for len(s) > 76 {
		out.WriteString(s[:76])
		out.WriteByte('\n')
		s = s[76:]
	}
	out.WriteString(s)
	return out.String()
}

// encodeEscape is encode(…, 'escape'): \\ for backslash, \nnn for
// zero bytes and bytes with the high bit set.
func encodeEscape(b []byte) []byte {
	var out []byte
	for _, c := range b {
		switch {
		case c == '\\':
			out = append(out, '\\', '\\')
		case c == 0 || c >= 0x80:
			out = append(out, '\\', '0'+(c>>6), '0'+((c>>3)&7), '0'+(c&7))
		default:
			out = append(out, c)
		}
	}
	return out
}

// quoteLiteral is quote_literal: doubled quotes, and E” with doubled
// backslashes when the string has any.
func quoteLiteral(s string) string {
	q := "'" + strings.ReplaceAll(s, "'", "''") + "'"
	if strings.Contains(s, `\`) {
		q = "E'" + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), "'", "''") + "'"
	}
	return q
}

// formatPad is text_format_append_string: s padded with spaces to width
// characters, on the right for the - flag or a negative width.
func formatPad(s string, width int64, minus bool) (string, error) {
	if width == 0 {
		return s, nil
	}
	left := minus
	if width < 0 {
		if width <= math.MinInt32 {
			return "", failf("22003", "number is out of range")
		}
		left, width = true, -width
	}
	n := int64(utf8.RuneCountInString(s))
	if n >= width {
		return s, nil
	}
	pad := strings.Repeat(" ", int(width-n))
	if left {
		return s + pad, nil
	}
	return pad + s, nil
}

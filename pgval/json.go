package pgval

import (
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
	"unicode/utf16"
)

// JSONValue is a parsed JSON value as jsonb keeps it.
type JSONValue struct {
	Kind byte // 'o' object, 'a' array, 's' string, 'n' number, 't' true, 'f' false, 'z' null
	// Raw is the value's text as written (json keeps it).
	Raw  string
	Str  string
	Num  Numeric
	Keys []string // object keys, in jsonb order
	Vals []*JSONValue
}

type jsonParser struct {
	s    string
	i    int
	text string // the whole input, for messages
}

func (p *jsonParser) fail() error {
	return errf("22P02", "invalid input syntax for type json")
}

func (p *jsonParser) ws() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// ParseJSON parses JSON text (json_in's validation; jsonb_in's tree).
func ParseJSON(s string) (*JSONValue, error) {
	p := &jsonParser{s: s, text: s}
	p.ws()
	v, err := p.value(0)
	if err != nil {
		return nil, err
	}
	p.ws()
	if p.i != len(p.s) {
		return nil, p.fail()
	}
	return v, nil
}

func (p *jsonParser) value(depth int) (*JSONValue, error) {
	start := p.i
	v, err := p.valueInner(depth)
	if err != nil {
		return nil, err
	}
	v.Raw = p.s[start:p.i]
	return v, nil
}

func (p *jsonParser) valueInner(depth int) (*JSONValue, error) {
	if depth > 6400 {
		return nil, errf("54001", "stack depth limit exceeded")
	}
	if p.i >= len(p.s) {
		return nil, p.fail()
	}
	switch c := p.s[p.i]; {
	case c == '{':
		p.i++
		v := &JSONValue{Kind: 'o'}
		p.ws()
		if p.i < len(p.s) && p.s[p.i] == '}' {
			p.i++
			return v, nil
		}
		for {
			p.ws()
			if p.i >= len(p.s) || p.s[p.i] != '"' {
				return nil, p.fail()
			}
			k, err := p.str()
			if err != nil {
				return nil, err
			}
			p.ws()
			if p.i >= len(p.s) || p.s[p.i] != ':' {
				return nil, p.fail()
			}
			p.i++
			p.ws()
			val, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			v.Keys = append(v.Keys, k)
			v.Vals = append(v.Vals, val)
			p.ws()
			if p.i < len(p.s) && p.s[p.i] == ',' {
				p.i++
				continue
			}
			if p.i < len(p.s) && p.s[p.i] == '}' {
				p.i++
				return v, nil
			}
			return nil, p.fail()
		}
	case c == '[':
		p.i++
		v := &JSONValue{Kind: 'a'}
		p.ws()
		if p.i < len(p.s) && p.s[p.i] == ']' {
			p.i++
			return v, nil
		}
		for {
			p.ws()
			val, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			v.Vals = append(v.Vals, val)
			p.ws()
			if p.i < len(p.s) && p.s[p.i] == ',' {
				p.i++
				continue
			}
			if p.i < len(p.s) && p.s[p.i] == ']' {
				p.i++
				return v, nil
			}
			return nil, p.fail()
		}
	case c == '"':
		s, err := p.str()
		if err != nil {
			return nil, err
		}
		return &JSONValue{Kind: 's', Str: s}, nil
	case c == '-' || c >= '0' && c <= '9':
		j := p.i
		if p.s[j] == '-' {
			j++
		}
		if j >= len(p.s) || !isDigit(p.s[j]) {
			return nil, p.fail()
		}
		if p.s[j] == '0' {
			j++
		} else {
			for j < len(p.s) && isDigit(p.s[j]) {
				j++
			}
		}
		if j < len(p.s) && p.s[j] == '.' {
			j++
			if j >= len(p.s) || !isDigit(p.s[j]) {
				return nil, p.fail()
			}
			for j < len(p.s) && isDigit(p.s[j]) {
				j++
			}
		}
		if j < len(p.s) && (p.s[j] == 'e' || p.s[j] == 'E') {
			j++
			if j < len(p.s) && (p.s[j] == '+' || p.s[j] == '-') {
				j++
			}
			if j >= len(p.s) || !isDigit(p.s[j]) {
				return nil, p.fail()
			}
			for j < len(p.s) && isDigit(p.s[j]) {
				j++
			}
		}
		n, err := ParseNumeric(p.s[p.i:j])
		if err != nil {
			return nil, p.fail()
		}
		v := &JSONValue{Kind: 'n', Num: n, Str: p.s[p.i:j]}
		p.i = j
		return v, nil
	case strings.HasPrefix(p.s[p.i:], "true"):
		p.i += 4
		return &JSONValue{Kind: 't'}, nil
	case strings.HasPrefix(p.s[p.i:], "false"):
		p.i += 5
		return &JSONValue{Kind: 'f'}, nil
	case strings.HasPrefix(p.s[p.i:], "null"):
		p.i += 4
		return &JSONValue{Kind: 'z'}, nil
	}
	return nil, p.fail()
}

func (p *jsonParser) str() (string, error) {
	p.i++ // opening quote
	var b strings.Builder
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == '"':
			p.i++
			return b.String(), nil
		case c == '\\':
			if p.i+1 >= len(p.s) {
				return "", p.fail()
			}
			e := p.s[p.i+1]
			p.i += 2
			switch e {
			case '"', '\\', '/':
				b.WriteByte(e)
			case 'b':
				b.WriteByte('\b')
			case 'f':
				b.WriteByte('\f')
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			case 'u':
				r, ok := p.hex4()
				if !ok {
					return "", p.fail()
				}
				if utf16.IsSurrogate(r) {
					if p.i+6 <= len(p.s) && p.s[p.i] == '\\' && p.s[p.i+1] == 'u' {
						p.i += 2
						r2, ok := p.hex4()
						if !ok {
							return "", p.fail()
						}
						r = utf16.DecodeRune(r, r2)
						if r == utf8.RuneError {
							return "", p.fail()
						}
					} else {
						return "", p.fail()
					}
				}
				if r == 0 {
					return "", errf("22P05", "unsupported Unicode escape sequence").WithDetail("\\u0000 cannot be converted to text.")
				}
				b.WriteRune(r)
			default:
				return "", p.fail()
			}
		case c < 0x20:
			return "", p.fail()
		default:
			b.WriteByte(c)
			p.i++
		}
	}
	return "", p.fail()
}

func (p *jsonParser) hex4() (rune, bool) {
	if p.i+4 > len(p.s) {
		return 0, false
	}
	v, err := strconv.ParseUint(p.s[p.i:p.i+4], 16, 32)
	if err != nil {
		return 0, false
	}
	p.i += 4
	return rune(v), true
}

// ValidJSON checks json input (json_in keeps the text as written).
func ValidJSON(s string) error {
	_, err := ParseJSON(s)
	return err
}

// NormalizeJSONB turns JSON text into jsonb's text output: keys sorted
// (shorter first, then bytewise), the last of duplicate keys kept,
// numbers as numeric prints them, ", " and ": " separators.
func NormalizeJSONB(s string) (string, error) {
	v, err := ParseJSON(s)
	if err != nil {
		return "", errf("22P02", "invalid input syntax for type json").WithDetail("The input string ended unexpectedly.")
	}
	v.Canonicalize()
	return string(v.AppendJSONB(nil)), nil
}

// Canonicalize puts objects in jsonb's key order, dropping duplicates.
func (v *JSONValue) Canonicalize() {
	for _, c := range v.Vals {
		c.Canonicalize()
	}
	if v.Kind != 'o' || len(v.Keys) == 0 {
		return
	}
	type kv struct {
		k string
		v *JSONValue
		i int
	}
	items := make([]kv, len(v.Keys))
	for i := range v.Keys {
		items[i] = kv{v.Keys[i], v.Vals[i], i}
	}
	sort.SliceStable(items, func(a, b int) bool {
		ka, kb := items[a].k, items[b].k
		if len(ka) != len(kb) {
			return len(ka) < len(kb)
		}
		if ka != kb {
			return ka < kb
		}
		return items[a].i < items[b].i
	})
	keys := v.Keys[:0]
	vals := v.Vals[:0]
	for i := 0; i < len(items); i++ {
		if i+1 < len(items) && items[i+1].k == items[i].k {
			continue // the last duplicate wins
		}
		keys = append(keys, items[i].k)
		vals = append(vals, items[i].v)
	}
	v.Keys, v.Vals = keys, vals
}

// AppendJSONB writes jsonb's text output.
func (v *JSONValue) AppendJSONB(dst []byte) []byte {
	switch v.Kind {
	case 'o':
		dst = append(dst, '{')
		for i, k := range v.Keys {
			if i > 0 {
				dst = append(dst, ", "...)
			}
			dst = AppendJSONString(dst, k)
			dst = append(dst, ": "...)
			dst = v.Vals[i].AppendJSONB(dst)
		}
		return append(dst, '}')
	case 'a':
		dst = append(dst, '[')
		for i, c := range v.Vals {
			if i > 0 {
				dst = append(dst, ", "...)
			}
			dst = c.AppendJSONB(dst)
		}
		return append(dst, ']')
	case 's':
		return AppendJSONString(dst, v.Str)
	case 'n':
		return v.Num.Append(dst)
	case 't':
		return append(dst, "true"...)
	case 'f':
		return append(dst, "false"...)
	}
	return append(dst, "null"...)
}

// AppendJSONString quotes a string as PostgreSQL's escape_json does.
func AppendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '"':
			dst = append(dst, '\\', '"')
		case '\\':
			dst = append(dst, '\\', '\\')
		case '\b':
			dst = append(dst, '\\', 'b')
		case '\f':
			dst = append(dst, '\\', 'f')
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\t':
			dst = append(dst, '\\', 't')
		default:
			if c < 0x20 {
				dst = append(dst, '\\', 'u', '0', '0', "0123456789abcdef"[c>>4], "0123456789abcdef"[c&15])
			} else {
				dst = append(dst, c)
			}
		}
	}
	return append(dst, '"')
}

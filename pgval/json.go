package pgval

import (
	"math/big"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"
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
	// lenient: validate only, as json_in does (\u0000 and lone
	// surrogates are accepted: nothing is de-escaped).
	lenient bool
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

// ParseJSON parses JSON text into jsonb_in's tree, de-escaping strings
// as PostgreSQL's JSON functions do (\u0000 is 22P05, a lone surrogate
// 22P02).
func ParseJSON(s string) (*JSONValue, error) {
	return parseJSON(s, false)
}

// ParseJSONLenient parses JSON text as json_in validates it: escapes
// are checked for form only (\u0000 and lone surrogates pass; such a
// string's Str is not meaningful).
func ParseJSONLenient(s string) (*JSONValue, error) {
	return parseJSON(s, true)
}

func parseJSON(s string, lenient bool) (*JSONValue, error) {
	p := &jsonParser{s: s, text: s, lenient: lenient}
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
				if p.lenient {
					b.WriteRune(r)
					continue
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
	_, err := ParseJSONLenient(s)
	return err
}

// NormalizeJSONB turns JSON text into jsonb's text output: keys sorted
// (shorter first, then bytewise), the last of duplicate keys kept,
// numbers as numeric prints them, ", " and ": " separators.
func NormalizeJSONB(s string) (string, error) {
	v, err := ParseJSON(s)
	if err != nil {
		return "", err
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

// Sort keys: AppendJSONBSortKey writes a byte string whose bytewise
// order is jsonb's btree order (compareJsonbContainers) and whose
// equality is jsonb equality, for a canonicalized value (see
// Canonicalize). The order, as PostgreSQL's iterator compares:
//
//   - at each position, a scalar is below a container, and scalars of
//     different kinds order null < string < number < boolean; arrays are
//     below objects;
//   - an array with more elements is greater; of the same length, a raw
//     scalar (the top-level pseudo array holding a scalar) is below a
//     real array; then elements compare in order;
//   - an object with more pairs is greater; then key, value, key, value…
//     in storage order (keys by length, then bytes);
//   - strings compare bytewise (the C collation), numbers by value.
const (
	sortNull   = 0x01
	sortString = 0x02
	sortNumber = 0x03
	sortBool   = 0x04
	sortArray  = 0x10
	sortObject = 0x11
)

// AppendJSONBSortKey appends v's sort key (v is a whole jsonb value).
func (v *JSONValue) AppendJSONBSortKey(dst []byte) []byte {
	if v.Kind != 'o' && v.Kind != 'a' {
		dst = append(dst, sortArray)
		dst = appendCount(dst, 1)
		dst = append(dst, 0) // raw scalar
		return v.appendSortKey(dst)
	}
	return v.appendSortKey(dst)
}

func appendCount(dst []byte, n int) []byte {
	return append(dst, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
}

func appendSortString(dst []byte, s string) []byte {
	// jsonb strings hold no NUL: a terminating 0 keeps the key
	// prefix-free and orders a prefix first.
	dst = append(dst, s...)
	return append(dst, 0)
}

func (v *JSONValue) appendSortKey(dst []byte) []byte {
	switch v.Kind {
	case 'o':
		dst = append(dst, sortObject)
		dst = appendCount(dst, len(v.Keys))
		for i, k := range v.Keys {
			dst = append(dst, sortString)
			dst = appendSortString(dst, k)
			dst = v.Vals[i].appendSortKey(dst)
		}
		return dst
	case 'a':
		dst = append(dst, sortArray)
		dst = appendCount(dst, len(v.Vals))
		dst = append(dst, 1) // a real array
		for _, c := range v.Vals {
			dst = c.appendSortKey(dst)
		}
		return dst
	case 's':
		dst = append(dst, sortString)
		return appendSortString(dst, v.Str)
	case 'n':
		dst = append(dst, sortNumber)
		return AppendNumericSortKey(dst, v.Num)
	case 't':
		return append(dst, sortBool, 1)
	case 'f':
		return append(dst, sortBool, 0)
	}
	return append(dst, sortNull)
}

// AppendNumericSortKey appends an order-preserving, prefix-free
// encoding of a finite numeric's value (1.0 and 1 encode alike):
// a sign class, then for nonzero values the decimal exponent E of
// 0.d1d2… × 10^E and the significant digits, complemented when
// negative.
func AppendNumericSortKey(dst []byte, n Numeric) []byte {
	sign := n.Int.Sign()
	if sign == 0 {
		return append(dst, 2)
	}
	digits := new(big.Int).Abs(n.Int).String()
	e := len(digits) - n.Scale
	digits = strings.TrimRight(digits, "0")
	ue := uint32(int32(e)) ^ 0x80000000
	if sign < 0 {
		dst = append(dst, 1)
		ue = ^ue
		dst = append(dst, byte(ue>>24), byte(ue>>16), byte(ue>>8), byte(ue))
		for i := 0; i < len(digits); i++ {
			dst = append(dst, 0xff-digits[i])
		}
		return append(dst, 0xff)
	}
	dst = append(dst, 3)
	dst = append(dst, byte(ue>>24), byte(ue>>16), byte(ue>>8), byte(ue))
	dst = append(dst, digits...)
	return append(dst, 0)
}

// AppendJSONBPretty writes jsonb_pretty's output (JsonbToCStringIndent):
// four spaces a level, ": " after keys, an empty container as its
// brackets on two lines.
func (v *JSONValue) AppendJSONBPretty(dst []byte) []byte {
	return v.appendPretty(dst, 0)
}

func appendIndent(dst []byte, level int) []byte {
	for i := 0; i < level; i++ {
		dst = append(dst, "    "...)
	}
	return dst
}

func (v *JSONValue) appendPretty(dst []byte, level int) []byte {
	switch v.Kind {
	case 'o':
		dst = append(dst, '{')
		for i, k := range v.Keys {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, '\n')
			dst = appendIndent(dst, level+1)
			dst = AppendJSONString(dst, k)
			dst = append(dst, ": "...)
			dst = v.Vals[i].appendPretty(dst, level+1)
		}
		dst = append(dst, '\n')
		dst = appendIndent(dst, level)
		return append(dst, '}')
	case 'a':
		dst = append(dst, '[')
		for i, c := range v.Vals {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, '\n')
			dst = appendIndent(dst, level+1)
			dst = c.appendPretty(dst, level+1)
		}
		dst = append(dst, '\n')
		dst = appendIndent(dst, level)
		return append(dst, ']')
	}
	return v.AppendJSONB(dst)
}

// AppendJSONDate writes a date as to_json does (JsonEncodeDateTime: ISO,
// whatever DateStyle says), unquoted.
func AppendJSONDate(dst []byte, days int64) []byte {
	return AppendDate(dst, days, DefaultStyle)
}

// AppendJSONTimestamp writes a timestamp (loc nil) or a timestamptz in
// loc as to_json does: XSD form, "T" between date and time, offsets
// with minutes (+05:00), " BC" last.
func AppendJSONTimestamp(dst []byte, us int64, loc *time.Location) []byte {
	if us == TSInfinity {
		return append(dst, "infinity"...)
	}
	if us == TSNegInfinity {
		return append(dst, "-infinity"...)
	}
	st := DefaultStyle
	var b []byte
	if loc != nil {
		st.Loc = loc
		b = AppendTimestamptz(nil, us, st)
	} else {
		b = AppendTimestamp(nil, us, st)
	}
	s := string(b)
	bc := strings.HasSuffix(s, " BC")
	s = strings.TrimSuffix(s, " BC")
	if i := strings.IndexByte(s, ' '); i >= 0 {
		s = s[:i] + "T" + s[i+1:]
	}
	if loc != nil {
		if j := strings.LastIndexAny(s, "+-"); j > 10 && len(s)-j == 3 {
			s += ":00"
		}
	}
	dst = append(dst, s...)
	if bc {
		dst = append(dst, " BC"...)
	}
	return dst
}

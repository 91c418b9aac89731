package pgval

import (
	"encoding/hex"
	"math"
	"strconv"
	"strings"
)

// AppendFloat is float8out (bits 64) and float4out (bits 32): the
// shortest exact form when extra_float_digits > 0, else %.{15|6 + efd}g.
func AppendFloat(dst []byte, f float64, bits int, efd int) []byte {
	switch {
	case math.IsNaN(f):
		return append(dst, "NaN"...)
	case math.IsInf(f, 1):
		return append(dst, "Infinity"...)
	case math.IsInf(f, -1):
		return append(dst, "-Infinity"...)
	}
	if efd <= 0 {
		digits := 15
		if bits == 32 {
			digits = 6
		}
		digits += efd
		if digits < 1 {
			digits = 1
		}
		return appendG(dst, f, bits, digits)
	}
	// Shortest: the digits and exponent, then PostgreSQL's layout.
	s := strconv.FormatFloat(f, 'e', -1, bits)
	mant, expS, _ := strings.Cut(s, "e")
	exp, _ := strconv.Atoi(expS)
	neg := false
	if mant[0] == '-' {
		neg = true
		mant = mant[1:]
	}
	digits := strings.Replace(mant, ".", "", 1)
	limit := 15
	if bits == 32 {
		limit = 6
	}
	if neg {
		dst = append(dst, '-')
	}
	if exp >= -4 && exp < limit {
		return appendFixed(dst, digits, exp)
	}
	return appendSci(dst, digits, exp)
}

// appendFixed writes digits d1d2… × 10^exp (d1 at 10^exp) in fixed point.
func appendFixed(dst []byte, digits string, exp int) []byte {
	if exp < 0 {
		dst = append(dst, '0', '.')
		for i := 0; i < -exp-1; i++ {
			dst = append(dst, '0')
		}
		return append(dst, digits...)
	}
	if len(digits) <= exp+1 {
		dst = append(dst, digits...)
		for i := len(digits); i <= exp; i++ {
			dst = append(dst, '0')
		}
		return dst
	}
	dst = append(dst, digits[:exp+1]...)
	dst = append(dst, '.')
	return append(dst, digits[exp+1:]...)
}

func appendSci(dst []byte, digits string, exp int) []byte {
	dst = append(dst, digits[0])
	if len(digits) > 1 {
		dst = append(dst, '.')
		dst = append(dst, digits[1:]...)
	}
	dst = append(dst, 'e')
	if exp < 0 {
		dst = append(dst, '-')
		exp = -exp
	} else {
		dst = append(dst, '+')
	}
	if exp < 10 {
		dst = append(dst, '0')
	}
	return strconv.AppendInt(dst, int64(exp), 10)
}

// appendG is C's %.{p}g.
func appendG(dst []byte, f float64, bits, p int) []byte {
	s := strconv.FormatFloat(f, 'e', p-1, bits)
	mant, expS, _ := strings.Cut(s, "e")
	exp, _ := strconv.Atoi(expS)
	neg := false
	if mant[0] == '-' {
		neg = true
		mant = mant[1:]
	}
	digits := strings.Replace(mant, ".", "", 1)
	digits = strings.TrimRight(digits, "0")
	if digits == "" {
		digits = "0"
	}
	if neg {
		dst = append(dst, '-')
	}
	if exp >= -4 && exp < p {
		return appendFixed(dst, digits, exp)
	}
	return appendSci(dst, digits, exp)
}

// ParseFloat is float8in / float4in.
func ParseFloat(s string, bits int) (float64, error) {
	typeName := "double precision"
	if bits == 32 {
		typeName = "real"
	}
	t := strings.TrimSpace(s)
	switch strings.ToLower(t) {
	case "nan":
		return qnan(), nil
	case "infinity", "+infinity", "inf", "+inf":
		return math.Inf(1), nil
	case "-infinity", "-inf":
		return math.Inf(-1), nil
	}
	if t == "" || strings.ContainsAny(t, "_xXpP") {
		return 0, invalidSyntax(typeName, s)
	}
	f, err := strconv.ParseFloat(t, bits)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			if math.IsInf(f, 0) || f == 0 {
				return 0, errf("22003", "\"%s\" is out of range for type %s", t, typeName)
			}
			return f, nil
		}
		return 0, invalidSyntax(typeName, s)
	}
	if f == 0 && nonzeroMantissa(t) {
		// strtod's underflow to zero (ERANGE): float8in's "out of range".
		return 0, errf("22003", "\"%s\" is out of range for type %s", t, typeName)
	}
	return f, nil
}

// nonzeroMantissa reports a nonzero digit before any exponent.
func nonzeroMantissa(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == 'e' || c == 'E':
			return false
		case c >= '1' && c <= '9':
			return true
		}
	}
	return false
}

// ParseInt is int2in/int4in/int8in.
func ParseInt(s string, bits int) (int64, error) {
	typeName := map[int]string{16: "smallint", 32: "integer", 64: "bigint"}[bits]
	t := strings.TrimSpace(s)
	if t == "" {
		return 0, invalidSyntax(typeName, s)
	}
	body := t
	if body[0] == '+' || body[0] == '-' {
		body = body[1:]
	}
	if !isAllDigitsStr(body) {
		return 0, invalidSyntax(typeName, s)
	}
	v, err := strconv.ParseInt(t, 10, bits)
	if err != nil {
		return 0, outOfRange(typeName, s)
	}
	return v, nil
}

// ParseBool is boolin (parse_bool_with_len): prefixes of true, false,
// yes, no; on, off (at least "of"); 1 and 0; any case, spaces trimmed.
func ParseBool(s string) (bool, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	if t != "" {
		switch t[0] {
		case 't':
			if strings.HasPrefix("true", t) {
				return true, nil
			}
		case 'f':
			if strings.HasPrefix("false", t) {
				return false, nil
			}
		case 'y':
			if strings.HasPrefix("yes", t) {
				return true, nil
			}
		case 'n':
			if strings.HasPrefix("no", t) {
				return false, nil
			}
		case 'o':
			if t == "on" {
				return true, nil
			}
			if len(t) >= 2 && strings.HasPrefix("off", t) {
				return false, nil
			}
		case '1':
			if t == "1" {
				return true, nil
			}
		case '0':
			if t == "0" {
				return false, nil
			}
		}
	}
	return false, invalidSyntax("boolean", s)
}

// AppendBytea is byteaout: \x hex, or the escape format.
func AppendBytea(dst, v []byte, escape bool) []byte {
	if !escape {
		dst = append(dst, '\\', 'x')
		return hex.AppendEncode(dst, v)
	}
	for _, c := range v {
		switch {
		case c == '\\':
			dst = append(dst, '\\', '\\')
		case c < 0x20 || c > 0x7e:
			dst = append(dst, '\\', '0'+(c>>6), '0'+((c>>3)&7), '0'+(c&7))
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

// ParseBytea is byteain: \x followed by hex digit pairs (spaces allowed
// between pairs), or the escape format.
func ParseBytea(s string) ([]byte, error) {
	if strings.HasPrefix(s, "\\x") || strings.HasPrefix(s, "\\X") {
		out := make([]byte, 0, len(s)/2)
		body := s[2:]
		for i := 0; i < len(body); {
			c := body[i]
			if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
				i++
				continue
			}
			hi := unhex(c)
			if hi < 0 {
				return nil, errf("22023", "invalid hexadecimal digit: %q", string(c))
			}
			if i+1 >= len(body) {
				return nil, errf("22023", "invalid hexadecimal data: odd number of digits")
			}
			lo := unhex(body[i+1])
			if lo < 0 {
				return nil, errf("22023", "invalid hexadecimal digit: %q", string(body[i+1]))
			}
			out = append(out, byte(hi<<4|lo))
			i += 2
		}
		return out, nil
	}
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' {
			out = append(out, c)
			continue
		}
		if i+1 < len(s) && s[i+1] == '\\' {
			out = append(out, '\\')
			i++
			continue
		}
		if i+3 < len(s) && s[i+1] >= '0' && s[i+1] <= '3' && s[i+2] >= '0' && s[i+2] <= '7' && s[i+3] >= '0' && s[i+3] <= '7' {
			out = append(out, (s[i+1]-'0')<<6|(s[i+2]-'0')<<3|(s[i+3]-'0'))
			i += 3
			continue
		}
		return nil, invalidSyntax("bytea", s)
	}
	return out, nil
}

func unhex(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// ParseUUID is uuid_in: 32 hex digits, optionally in braces, with
// hyphens after any group of four.
func ParseUUID(s string) ([16]byte, error) {
	var out [16]byte
	t := s
	if strings.HasPrefix(t, "{") {
		if !strings.HasSuffix(t, "}") {
			return out, invalidSyntax("uuid", s)
		}
		t = t[1 : len(t)-1]
	}
	n := 0
	for i := 0; i < len(t); {
		if n == 32 {
			return out, invalidSyntax("uuid", s)
		}
		if t[i] == '-' {
			if n == 0 || n%4 != 0 || i+1 >= len(t) || t[i+1] == '-' {
				return out, invalidSyntax("uuid", s)
			}
			i++
			continue
		}
		hi := unhex(t[i])
		if hi < 0 || i+1 >= len(t) {
			return out, invalidSyntax("uuid", s)
		}
		lo := unhex(t[i+1])
		if lo < 0 {
			return out, invalidSyntax("uuid", s)
		}
		out[n/2] = byte(hi<<4 | lo)
		n += 2
		i += 2
	}
	if n != 32 {
		return out, invalidSyntax("uuid", s)
	}
	return out, nil
}

// AppendUUID is uuid_out.
func AppendUUID(dst []byte, u []byte) []byte {
	const digits = "0123456789abcdef"
	for i, c := range u {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			dst = append(dst, '-')
		}
		dst = append(dst, digits[c>>4], digits[c&15])
	}
	return dst
}

// qnan is the NaN PostgreSQL's get_float8_nan returns (C's NAN), not
// Go's math.NaN(), whose payload differs in the binary form.
func qnan() float64 { return math.Float64frombits(0x7ff8000000000000) }

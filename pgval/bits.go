package pgval

import (
	"strings"
	"unicode/utf8"
)

// bit and bit varying as PostgreSQL 15's varbit.c has them. A value is
// its text output: one '0' or '1' per bit.

// varbitMaxLen is VARBITMAXLEN.
const varbitMaxLen = 0x3FFFFFFF - 7

// ParseBit is bit_in (varying false) or varbit_in with a typmod (-1:
// none).
func ParseBit(s string, typmod int, varying bool) (string, error) {
	sp := s
	hex := false
	if s != "" {
		switch s[0] {
		case 'b', 'B':
			sp = s[1:]
		case 'x', 'X':
			sp = s[1:]
			hex = true
		}
	}
	bitlen := len(sp)
	if hex {
		if len(sp) > varbitMaxLen/4 {
			return "", errf("54000", "bit string length exceeds the maximum allowed (%d)", varbitMaxLen)
		}
		bitlen = len(sp) * 4
	}
	if !varying {
		if typmod > 0 && bitlen != typmod {
			return "", errf("22026", "bit string length %d does not match type bit(%d)", bitlen, typmod)
		}
	} else if typmod > 0 && bitlen > typmod {
		return "", errf("22001", "bit string too long for type bit varying(%d)", typmod)
	}
	if !hex {
		for k := 0; k < len(sp); k++ {
			if c := sp[k]; c != '0' && c != '1' {
				_, n := utf8.DecodeRuneInString(sp[k:])
				return "", errf("22P02", "\"%s\" is not a valid binary digit", sp[k:k+n])
			}
		}
		return sp, nil
	}
	var b strings.Builder
	for k := 0; k < len(sp); k++ {
		x := unhex(sp[k])
		if x < 0 {
			_, n := utf8.DecodeRuneInString(sp[k:])
			return "", errf("22P02", "\"%s\" is not a valid hexadecimal digit", sp[k:k+n])
		}
		for m := 3; m >= 0; m-- {
			b.WriteByte('0' + byte(x>>m&1))
		}
	}
	return b.String(), nil
}

// BitBytes packs bits as varbit's bytes (the last one zero-padded).
func BitBytes(bits string) []byte {
	out := make([]byte, (len(bits)+7)/8)
	for k := 0; k < len(bits); k++ {
		if bits[k] == '1' {
			out[k/8] |= 0x80 >> (k % 8)
		}
	}
	return out
}

// BitTypmod is bit(bit, int, bool) (varying false) or varbit(varbit,
// int, bool): the length coercion.
func BitTypmod(bits string, n int, explicit, varying bool) (string, error) {
	if !varying {
		if n <= 0 || n == len(bits) {
			return bits, nil
		}
		if !explicit {
			return "", errf("22026", "bit string length %d does not match type bit(%d)", len(bits), n)
		}
		if n < len(bits) {
			return bits[:n], nil
		}
		return bits + strings.Repeat("0", n-len(bits)), nil
	}
	if n <= 0 || n >= len(bits) {
		return bits, nil
	}
	if !explicit {
		return "", errf("22001", "bit string too long for type bit varying(%d)", n)
	}
	return bits[:n], nil
}

func bitOp(a, b, what string, f func(x, y byte) byte) (string, error) {
	if len(a) != len(b) {
		return "", errf("22026", "cannot %s bit strings of different sizes", what)
	}
	out := []byte(a)
	for k := range out {
		out[k] = '0' + f(a[k]-'0', b[k]-'0')
	}
	return string(out), nil
}

// BitAnd is bitand, BitOr bitor, BitXor bitxor.
func BitAnd(a, b string) (string, error) {
	return bitOp(a, b, "AND", func(x, y byte) byte { return x & y })
}
func BitOr(a, b string) (string, error) {
	return bitOp(a, b, "OR", func(x, y byte) byte { return x | y })
}
func BitXor(a, b string) (string, error) {
	return bitOp(a, b, "XOR", func(x, y byte) byte { return x ^ y })
}

// BitNot is bitnot.
func BitNot(a string) string {
	out := []byte(a)
	for k := range out {
		out[k] ^= 1
	}
	return string(out)
}

// BitShiftLeft is bitshiftleft (a negative shift shifts right).
func BitShiftLeft(a string, n int64) string {
	if n < 0 {
		if n < -varbitMaxLen {
			n = -varbitMaxLen
		}
		return BitShiftRight(a, -n)
	}
	if n >= int64(len(a)) {
		return strings.Repeat("0", len(a))
	}
	return a[n:] + strings.Repeat("0", int(n))
}

// BitShiftRight is bitshiftright.
func BitShiftRight(a string, n int64) string {
	if n < 0 {
		if n < -varbitMaxLen {
			n = -varbitMaxLen
		}
		return BitShiftLeft(a, -n)
	}
	if n >= int64(len(a)) {
		return strings.Repeat("0", len(a))
	}
	return strings.Repeat("0", int(n)) + a[:len(a)-int(n)]
}

// BitSubstring is bitsubstr (length -1 with noLength: to the end).
func BitSubstring(a string, s, l int64, noLength bool) (string, error) {
	bitlen := int64(len(a))
	s1 := max(s, 1)
	var e1 int64
	switch {
	case noLength:
		e1 = bitlen + 1
	case l < 0:
		return "", errf("22011", "negative substring length not allowed")
	case s+l > 2147483647 || s+l < -2147483648:
		e1 = bitlen + 1
	default:
		e1 = min(s+l, bitlen+1)
	}
	if s1 > bitlen || e1 <= s1 {
		return "", nil
	}
	return a[s1-1 : e1-1], nil
}

// BitOverlay is bitoverlay.
func BitOverlay(a, b string, sp, sl int64) (string, error) {
	if sp+sl > 2147483647 || sp+sl < -2147483648 {
		return "", errf("22003", "integer out of range")
	}
	s1, err := BitSubstring(a, 1, sp-1, false)
	if err != nil {
		return "", err
	}
	s2, err := BitSubstring(a, sp+sl, -1, true)
	if err != nil {
		return "", err
	}
	return s1 + b + s2, nil
}

// BitPosition is bitposition(str, substr).
func BitPosition(str, sub string) int64 {
	if len(str) == 0 || len(sub) > len(str) {
		return 0
	}
	if len(sub) == 0 {
		return 1
	}
	return int64(strings.Index(str, sub) + 1)
}

// BitGet is bitgetbit.
func BitGet(a string, n int64) (int64, error) {
	if n < 0 || n >= int64(len(a)) {
		return 0, errf("2202E", "bit index %d out of valid range (0..%d)", n, len(a)-1)
	}
	return int64(a[n] - '0'), nil
}

// BitSet is bitsetbit.
func BitSet(a string, n, v int64) (string, error) {
	if n < 0 || n >= int64(len(a)) {
		return "", errf("2202E", "bit index %d out of valid range (0..%d)", n, len(a)-1)
	}
	if v != 0 && v != 1 {
		return "", errf("22023", "new bit must be 0 or 1")
	}
	out := []byte(a)
	out[n] = '0' + byte(v)
	return string(out), nil
}

// BitFromInt is bitfromint4 / bitfromint8: the low typmod bits of the
// sign-extended integer (typmod ≤ 0: one bit).
func BitFromInt(v int64, srcBits, typmod int) string {
	if typmod <= 0 || typmod > varbitMaxLen {
		typmod = 1
	}
	out := make([]byte, typmod)
	for k := 0; k < typmod; k++ {
		pos := typmod - 1 - k
		if pos >= srcBits {
			pos = srcBits - 1
		}
		out[k] = '0' + byte(v>>uint(pos)&1)
	}
	return string(out)
}

// BitToInt is bittoint4 / bittoint8.
func BitToInt(a string, bits int) (int64, error) {
	if len(a) > bits {
		if bits == 32 {
			return 0, errf("22003", "integer out of range")
		}
		return 0, errf("22003", "bigint out of range")
	}
	var r uint64
	for k := 0; k < len(a); k++ {
		r = r<<1 | uint64(a[k]-'0')
	}
	if bits == 32 {
		return int64(int32(uint32(r))), nil
	}
	return int64(r), nil
}

// BitCount is bit_count(bit).
func BitCount(a string) int64 { return int64(strings.Count(a, "1")) }

// BitCmp is bit_cmp: memcmp of the packed bytes (glibc's: the
// difference of the first bytes that differ), then the shorter first.
func BitCmp(a, b string) int {
	x, y := BitBytes(a), BitBytes(b)
	for k := 0; k < min(len(x), len(y)); k++ {
		if x[k] != y[k] {
			return int(x[k]) - int(y[k])
		}
	}
	switch {
	case len(a) < len(b):
		return -1
	case len(a) > len(b):
		return 1
	}
	return 0
}

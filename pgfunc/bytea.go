package pgfunc

import (
	"bytes"
	"crypto/sha256"
	"crypto/sha512"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/hotdata-dev/hotdata/engine"
)

// byteaFuncs are bytea functions the engine has not for BLOBs.
func byteaFuncs() []engine.ScalarFunc {
	return []engine.ScalarFunc{
		// substr(bytea, start [, count]) as bytea_substr: positions from
		// 1, a start before 1 shortens the count.
		fn("hd_bsubstr1", []string{"BLOB", "INTEGER"}, "BLOB", func(a []any) (any, error) {
			b, _ := a[0].([]byte)
			return byteaSubstr(b, i64(a[1]), -1, false)
		}),
		fn("hd_bsubstr", []string{"BLOB", "INTEGER", "INTEGER"}, "BLOB", func(a []any) (any, error) {
			b, _ := a[0].([]byte)
			return byteaSubstr(b, i64(a[1]), i64(a[2]), true)
		}),
		// sha224, sha384, sha512 (sha256 is the engine's).
		fn("hd_sha224", []string{"BLOB"}, "BLOB", func(a []any) (any, error) {
			h := sha256.Sum224(blob(a[0]))
			return h[:], nil
		}),
		fn("hd_sha384", []string{"BLOB"}, "BLOB", func(a []any) (any, error) {
			h := sha512.Sum384(blob(a[0]))
			return h[:], nil
		}),
		fn("hd_sha512", []string{"BLOB"}, "BLOB", func(a []any) (any, error) {
			h := sha512.Sum512(blob(a[0]))
			return h[:], nil
		}),
		// btrim, ltrim and rtrim(bytea, bytea): the bytes of the set
		// removed from the ends.
		fn("hd_bytea_btrim", []string{"BLOB", "BLOB"}, "BLOB", func(a []any) (any, error) {
			return byteaTrim(blob(a[0]), blob(a[1]), true, true), nil
		}),
		fn("hd_bytea_ltrim", []string{"BLOB", "BLOB"}, "BLOB", func(a []any) (any, error) {
			return byteaTrim(blob(a[0]), blob(a[1]), true, false), nil
		}),
		fn("hd_bytea_rtrim", []string{"BLOB", "BLOB"}, "BLOB", func(a []any) (any, error) {
			return byteaTrim(blob(a[0]), blob(a[1]), false, true), nil
		}),
		// string_agg(bytea, bytea)'s result from its non-NULL values and
		// each one's delimiter (the first one's is not used); NULL for
		// no values.
		fn("hd_bytea_join", []string{"BLOB[]", "BLOB[]"}, "BLOB", func(a []any) (any, error) {
			vs, _ := a[0].([]any)
			ds, _ := a[1].([]any)
			if len(vs) == 0 {
				return nil, nil
			}
			var b bytes.Buffer
			for i, v := range vs {
				if i > 0 && i < len(ds) {
					b.Write(blob(ds[i]))
				}
				b.Write(blob(v))
			}
			return b.Bytes(), nil
		}),
		// convert_to and convert_from for UTF8 and LATIN1, the database
		// encoding being UTF8.
		fn("hd_convert_to_latin1", []string{"VARCHAR"}, "BLOB", func(a []any) (any, error) {
			return toLatin1(str(a[0]))
		}),
		fn("hd_convert_from_utf8", []string{"BLOB"}, "VARCHAR", func(a []any) (any, error) {
			return fromUTF8(blob(a[0]))
		}),
		fn("hd_convert_from_latin1", []string{"BLOB"}, "VARCHAR", func(a []any) (any, error) {
			return fromLatin1(blob(a[0]))
		}),
	}
}

// byteaTrim removes the bytes of set from b's start and/or end (byte by
// byte: strings.Trim would read the set as UTF-8).
func byteaTrim(b, set []byte, left, right bool) []byte {
	i, j := 0, len(b)
	for left && i < j && bytes.IndexByte(set, b[i]) >= 0 {
		i++
	}
	for right && j > i && bytes.IndexByte(set, b[j-1]) >= 0 {
		j--
	}
	return append([]byte{}, b[i:j]...)
}

func blob(v any) []byte {
	switch b := v.(type) {
	case []byte:
		return b
	case string:
		return []byte(b)
	}
	return nil
}

// toLatin1 is UTF8 to LATIN1: a character above U+00FF has no
// equivalent.
func toLatin1(s string) ([]byte, error) {
	out := make([]byte, 0, len(s))
	for i, r := range s {
		if r > 0xFF {
			return nil, failf("22P05", "character with byte sequence %s in encoding \"UTF8\" has no equivalent in encoding \"LATIN1\"", byteSeq([]byte(s[i:i+utf8.RuneLen(r)])))
		}
		out = append(out, byte(r))
	}
	return out, nil
}

// fromUTF8 checks bytes as pg_verify_mbstr does for UTF8: valid UTF-8
// without NUL bytes.
func fromUTF8(b []byte) (string, error) {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == 0 || r == utf8.RuneError && n <= 1 {
			return "", failf("22021", "invalid byte sequence for encoding \"UTF8\": %s", byteSeq(b[i:min(i+max(n, 1), len(b))]))
		}
		i += n
	}
	return string(b), nil
}

// fromLatin1 is LATIN1 to UTF8: every byte but NUL is a character.
func fromLatin1(b []byte) (string, error) {
	var sb strings.Builder
	for _, c := range b {
		if c == 0 {
			return "", failf("22021", "invalid byte sequence for encoding \"LATIN1\": 0x00")
		}
		sb.WriteRune(rune(c))
	}
	return sb.String(), nil
}

// byteSeq prints bytes as PostgreSQL's encoding errors do: 0xe6 0x9d.
func byteSeq(b []byte) string {
	parts := make([]string, len(b))
	for i, c := range b {
		parts[i] = fmt.Sprintf("0x%02x", c)
	}
	return strings.Join(parts, " ")
}

func byteaSubstr(b []byte, start, count int64, withCount bool) ([]byte, error) {
	if withCount && count < 0 {
		return nil, failf("22011", "negative substring length not allowed")
	}
	s := max(start, 1) - 1
	e := int64(len(b))
	if withCount {
		e = min(start+count-1, e)
	}
	if s >= int64(len(b)) || e <= s {
		return []byte{}, nil
	}
	return append([]byte{}, b[s:e]...), nil
}

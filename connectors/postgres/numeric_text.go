package postgres

import (
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
)

// numericText prints a numeric's binary form as PostgreSQL's numeric_out
// does: every digit of its display scale, NaN and the infinities by name.
func numericText(b []byte) ([]byte, error) {
	if len(b) < 8 {
		return nil, fmt.Errorf("numeric: %d bytes", len(b))
	}
	ndigits := int(int16(binary.BigEndian.Uint16(b)))
	weight := int(int16(binary.BigEndian.Uint16(b[2:])))
	sign := binary.BigEndian.Uint16(b[4:])
	dscale := int(int16(binary.BigEndian.Uint16(b[6:])))
	switch sign {
	case 0xC000:
		return []byte("NaN"), nil
	case 0xD000:
		return []byte("Infinity"), nil
	case 0xF000:
		return []byte("-Infinity"), nil
	case 0x0000, 0x4000:
	default:
		return nil, fmt.Errorf("numeric: sign %#x", sign)
	}
	if ndigits < 0 || len(b) < 8+2*ndigits || dscale < 0 {
		return nil, fmt.Errorf("numeric: %d digits in %d bytes", ndigits, len(b))
	}
	digit := func(i int) int {
		if i < 0 || i >= ndigits {
			return 0
		}
		return int(binary.BigEndian.Uint16(b[8+2*i:]))
	}
	var sb strings.Builder
	if sign == 0x4000 {
		sb.WriteByte('-')
	}
	if weight < 0 {
		sb.WriteByte('0')
	} else {
		for d := 0; d <= weight; d++ {
			if d == 0 {
				sb.WriteString(strconv.Itoa(digit(d)))
			} else {
				fmt.Fprintf(&sb, "%04d", digit(d))
			}
		}
	}
	if dscale > 0 {
		sb.WriteByte('.')
		var frac strings.Builder
		for d := weight + 1; frac.Len() < dscale; d++ {
			fmt.Fprintf(&frac, "%04d", digit(d))
		}
		sb.WriteString(frac.String()[:dscale])
	}
	return []byte(sb.String()), nil
}

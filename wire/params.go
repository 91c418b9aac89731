package wire

import (
	"encoding/binary"
	"encoding/hex"
	"math"
	"math/big"
	"strconv"
	"strings"

	"github.com/hotdata-dev/hotdata/internal/pgerr"
	"github.com/hotdata-dev/hotdata/pgval"
)

// More type OIDs that parameters arrive as.
const (
	OIDName    = 19
	OIDChar    = 18
	OIDBPChar  = 1042
	OIDVarchar = 1043
	OIDUnknown = 705
)

// DecodeParam turns one bound parameter into a value for the engine: nil
// for NULL, bool, int64, float64, string or []byte. Text values stay text
// (the engine casts them to the parameter's type), except bytea, whose
// text form is decoded; binary values are decoded by their type, as
// PostgreSQL's *_recv functions read them.
func DecodeParam(oid uint32, format int16, v []byte) (any, error) {
	if v == nil {
		return nil, nil
	}
	if format == 0 {
		if oid == OIDBytea {
			return decodeByteaText(string(v))
		}
		return string(v), nil
	}
	bad := func() error {
		return pgerr.New(pgerr.ProtocolViolation, "incorrect binary data format in bind parameter of type %d", oid)
	}
	switch oid {
	case OIDBool:
		if len(v) != 1 {
			return nil, bad()
		}
		return v[0] != 0, nil
	case OIDInt2:
		if len(v) != 2 {
			return nil, bad()
		}
		return int64(int16(binary.BigEndian.Uint16(v))), nil
	case OIDInt4:
		if len(v) != 4 {
			return nil, bad()
		}
		return int64(int32(binary.BigEndian.Uint32(v))), nil
	case OIDInt8:
		if len(v) != 8 {
			return nil, bad()
		}
		return int64(binary.BigEndian.Uint64(v)), nil
	case OIDOID:
		if len(v) != 4 {
			return nil, bad()
		}
		return int64(binary.BigEndian.Uint32(v)), nil
	case OIDFloat4:
		if len(v) != 4 {
			return nil, bad()
		}
		return float64(math.Float32frombits(binary.BigEndian.Uint32(v))), nil
	case OIDFloat8:
		if len(v) != 8 {
			return nil, bad()
		}
		return math.Float64frombits(binary.BigEndian.Uint64(v)), nil
	case OIDText, OIDVarchar, OIDBPChar, OIDName, OIDChar, OIDJSON, OIDUnknown, 0:
		return string(v), nil
	case OIDJSONB:
		if len(v) < 1 || v[0] != 1 {
			return nil, bad()
		}
		return string(v[1:]), nil
	case OIDBytea:
		return append([]byte{}, v...), nil
	case OIDUUID:
		if len(v) != 16 {
			return nil, bad()
		}
		return string(appendUUID(nil, v)), nil
	case OIDDate:
		if len(v) != 4 {
			return nil, bad()
		}
		d := int32(binary.BigEndian.Uint32(v))
		switch {
		case d == math.MaxInt32:
			return "infinity", nil
		case d == math.MinInt32:
			return "-infinity", nil
		case d < minPGDate || d >= maxPGDate:
			return nil, pgerr.New("22008", "date out of range")
		}
		return string(pgval.AppendDate(nil, int64(d)+pgEpochDays, pgval.DefaultStyle)), nil
	case OIDTime:
		if len(v) != 8 {
			return nil, bad()
		}
		us := int64(binary.BigEndian.Uint64(v))
		if us < 0 || us > 24*3_600_000_000 {
			return nil, pgerr.New("22008", "time out of range")
		}
		return string(pgval.AppendTime(nil, us)), nil
	case OIDTimestamp, OIDTimestamptz:
		if len(v) != 8 {
			return nil, bad()
		}
		us := int64(binary.BigEndian.Uint64(v))
		switch {
		case us == math.MaxInt64:
			return "infinity", nil
		case us == math.MinInt64:
			return "-infinity", nil
		case us < minPGTimestamp || us >= maxPGTimestamp:
			return nil, pgerr.New("22008", "timestamp out of range")
		}
		if oid == OIDTimestamptz {
			return string(pgval.AppendTimestamptz(nil, us+pgEpochMicros, pgval.DefaultStyle)), nil
		}
		return string(pgval.AppendTimestamp(nil, us+pgEpochMicros, pgval.DefaultStyle)), nil
	case OIDInterval:
		if len(v) != 16 {
			return nil, bad()
		}
		us := int64(binary.BigEndian.Uint64(v))
		days := int32(binary.BigEndian.Uint32(v[8:]))
		months := int32(binary.BigEndian.Uint32(v[12:]))
		return strconv.Itoa(int(months)) + " months " + strconv.Itoa(int(days)) + " days " + strconv.FormatInt(us, 10) + " microseconds", nil
	case OIDNumeric:
		s, err := numericText(v)
		if err != nil {
			return nil, bad()
		}
		return s, nil
	}
	return nil, pgerr.New(pgerr.FeatureNotSupported, "binary format is not supported for parameters of type %d; send it as text", oid)
}

// PostgreSQL's valid ranges (src/include/datatype/timestamp.h), relative
// to 2000-01-01: dates from 4714-11-24 BC to 5874897-12-31, timestamps
// from 4714-11-24 BC to 294276-12-31.
const (
	minPGDate      = -2451545
	maxPGDate      = 2145031949
	minPGTimestamp = -211813488000000000
	maxPGTimestamp = 9223371331200000000
)

// decodeByteaText reads bytea's hex ("\x0102") or escape format.
func decodeByteaText(s string) ([]byte, error) {
	if strings.HasPrefix(s, `\x`) {
		b, err := hex.DecodeString(s[2:])
		if err != nil {
			return nil, pgerr.New(pgerr.InvalidTextRepresentation, "invalid hexadecimal data in bytea value")
		}
		return b, nil
	}
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' {
			out = append(out, s[i])
			continue
		}
		switch {
		case i+1 < len(s) && s[i+1] == '\\':
			out = append(out, '\\')
			i++
		case i+3 < len(s) && isOctal(s[i+1]) && isOctal(s[i+2]) && isOctal(s[i+3]):
			out = append(out, (s[i+1]-'0')<<6|(s[i+2]-'0')<<3|(s[i+3]-'0'))
			i += 3
		default:
			return nil, pgerr.New(pgerr.InvalidTextRepresentation, "invalid input syntax for type bytea")
		}
	}
	return out, nil
}

func isOctal(c byte) bool { return c >= '0' && c <= '7' }

// numericText renders numeric_send's binary form as decimal text.
func numericText(v []byte) (string, error) {
	if len(v) < 8 {
		return "", pgerr.New(pgerr.ProtocolViolation, "short numeric")
	}
	ndigits := int(int16(binary.BigEndian.Uint16(v)))
	weight := int(int16(binary.BigEndian.Uint16(v[2:])))
	sign := binary.BigEndian.Uint16(v[4:])
	dscale := int(int16(binary.BigEndian.Uint16(v[6:])))
	switch sign {
	case 0x0000, 0x4000, 0xC000, 0xD000, 0xF000:
	default:
		return "", pgerr.New(pgerr.ProtocolViolation, "invalid sign in external numeric value")
	}
	// numeric_recv's checks, in its order: scale, then every digit.
	if dscale < 0 || dscale > 0x3FFF {
		return "", pgerr.New(pgerr.ProtocolViolation, "invalid scale in external numeric value")
	}
	if ndigits < 0 || len(v) != 8+2*ndigits {
		return "", pgerr.New(pgerr.ProtocolViolation, "insufficient data left in message")
	}
	for i := 0; i < ndigits; i++ {
		if binary.BigEndian.Uint16(v[8+2*i:]) >= 10000 {
			return "", pgerr.New(pgerr.ProtocolViolation, "invalid digit in external numeric value")
		}
	}
	switch sign {
	case 0xC000:
		return "NaN", nil
	case 0xD000:
		return "Infinity", nil
	case 0xF000:
		return "-Infinity", nil
	}
	n := new(big.Int)
	base := big.NewInt(10000)
	for i := 0; i < ndigits; i++ {
		d := binary.BigEndian.Uint16(v[8+2*i:])
		n.Mul(n, base)
		n.Add(n, big.NewInt(int64(d)))
	}
	// value = n * 10000^(weight - ndigits + 1); shift to dscale digits.
	exp := 4 * (weight - ndigits + 1)
	if shift := exp + dscale; shift >= 0 {
		n.Mul(n, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(shift)), nil))
	} else {
		n.Quo(n, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(-shift)), nil))
	}
	digits := n.String()
	if dscale > 0 {
		if pad := dscale + 1 - len(digits); pad > 0 {
			digits = strings.Repeat("0", pad) + digits
		}
		digits = digits[:len(digits)-dscale] + "." + digits[len(digits)-dscale:]
	}
	if sign == 0x4000 && n.Sign() != 0 {
		digits = "-" + digits
	}
	return digits, nil
}

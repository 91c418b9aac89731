package wire

import (
	"encoding/binary"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/hotdata-dev/hotdata/pgval"
)

// binaryFromHeldText sends a value the engine holds as its text output
// in the type's send form: inet_send and cidr_send (family, bits,
// is_cidr, address length, address), cash_send (int8 cents),
// bit_send/varbit_send (int4 bit length, the bits packed) and
// timetz_send (int8 microseconds, int4 zone seconds west). nil for
// other types.
func binaryFromHeldText(a arrow.Array, oid uint32) textEncoder {
	s, ok := a.(*array.String)
	if !ok {
		return nil
	}
	switch oid {
	case 869, 650:
		cidr := oid == 650
		return func(dst []byte, i int) []byte {
			ip, err := pgval.ParseInet(s.Value(i), false)
			if err != nil {
				return dst
			}
			return ip.AppendBinary(dst, cidr)
		}
	case 790:
		return func(dst []byte, i int) []byte {
			c, _ := pgval.ParseMoney(s.Value(i))
			return binary.BigEndian.AppendUint64(dst, uint64(c))
		}
	case 1560, 1562:
		return func(dst []byte, i int) []byte {
			v := s.Value(i)
			dst = binary.BigEndian.AppendUint32(dst, uint32(len(v)))
			return append(dst, pgval.BitBytes(v)...)
		}
	case 1266:
		return func(dst []byte, i int) []byte {
			t, _ := pgval.ParseTimetz(s.Value(i), pgval.DefaultStyle, nil)
			return t.AppendBinary(dst)
		}
	}
	return nil
}

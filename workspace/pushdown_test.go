package workspace

import (
	"fmt"
	"math/big"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/hotdata-dev/hotdata/translate"
)

// TestConform: a warehouse's integers take the Arrow form of the type
// PostgreSQL describes (a sum of bigint is numeric; a count NUMBER(38,0)
// is bigint), and a value out of that type's range is an error, not a
// wrapped number.
func TestConform(t *testing.T) {
	mem := memory.DefaultAllocator
	ints := array.NewInt64Builder(mem)
	ints.AppendValues([]int64{1, -70000, 9007199254740993}, nil)
	ints.AppendNull()
	i64 := ints.NewArray()
	decs := array.NewDecimal128Builder(mem, &arrow.Decimal128Type{Precision: 38, Scale: 0})
	decs.Append(decimal128.FromI64(42))
	dec := decs.NewArray()
	decs.Append(decimal128.FromBigInt(new(big.Int).Lsh(big.NewInt(1), 70)))
	wide := decs.NewArray()

	for _, c := range []struct {
		in   arrow.Array
		oid  uint32
		want string
	}{
		{i64, translate.OIDNumeric, `["1" "-70000" "9007199254740993" (null)]`},
		{dec, translate.OIDInt8, `[42]`},
		{i64, translate.OIDInt4, "error"},
		{wide, translate.OIDInt8, "error"},
	} {
		typ := conformType(c.in.DataType(), c.oid)
		if typ == nil {
			t.Fatalf("%s as OID %d: no conversion", c.in.DataType(), c.oid)
		}
		out, err := conformArray(c.in, typ)
		got := "error"
		if err == nil {
			got = fmt.Sprint(out)
			out.Release()
		}
		if got != c.want {
			t.Errorf("%s as OID %d: %s, want %s", c.in.DataType(), c.oid, got, c.want)
		}
	}
	if typ := conformType(arrow.PrimitiveTypes.Float64, translate.OIDFloat8); typ != nil {
		t.Errorf("float8 converted to %s", typ)
	}
}

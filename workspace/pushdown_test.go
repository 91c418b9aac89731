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

// TestAverage: avg from a warehouse's sum and count divides as
// PostgreSQL's numeric division does (its result scale), as float8 for
// floats, and is NULL where nothing was counted.
func TestAverage(t *testing.T) {
	mem := memory.DefaultAllocator
	sums := array.NewDecimal128Builder(mem, &arrow.Decimal128Type{Precision: 38, Scale: 2})
	sums.Append(decimal128.FromI64(1050)) // 10.50
	sums.Append(decimal128.FromI64(1))    // 0.01
	sums.AppendNull()
	sum := sums.NewArray()
	counts := array.NewInt64Builder(mem)
	counts.AppendValues([]int64{4, 3, 0}, nil)
	count := counts.NewArray()
	out, err := average(sum, count, arrow.BinaryTypes.String)
	if err != nil {
		t.Fatal(err)
	}
	// SELECT 10.50 / 4, 0.01 / 3 in PostgreSQL: 2.6250000000000000, 0.00333333333333333333.
	if got := fmt.Sprint(out); got != `["2.6250000000000000" "0.00333333333333333333" (null)]` {
		t.Errorf("numeric avg: %s", got)
	}
	fb := array.NewFloat64Builder(mem)
	fb.AppendValues([]float64{1, 2.5}, nil)
	fsum := fb.NewArray()
	cb := array.NewInt64Builder(mem)
	cb.AppendValues([]int64{3, 0}, nil)
	fout, err := average(fsum, cb.NewArray(), arrow.PrimitiveTypes.Float64)
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(fout); got != "[0.3333333333333333 (null)]" {
		t.Errorf("float avg: %s", got)
	}
}

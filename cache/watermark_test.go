package cache

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/hotdata-dev/hotdata/connectors"
)

// TestWatermarkDecimals: decimals order as numbers at any width, and a
// string column marked as decimal text (an unconstrained numeric) is
// followed as numbers, not as strings ("9.5" < "10").
func TestWatermarkDecimals(t *testing.T) {
	for _, c := range []struct {
		a, b string
		less bool
	}{
		{"d:9.5", "d:10", true},
		{"d:-10", "d:-9.5", true},
		{"d:123456789012345678901234567890.5", "d:123456789012345678901234567891", true},
		{"d:0.00000000000000000000000000000000000002", "d:0.00000000000000000000000000000000000001", false},
		{"d:1e5", "d:99999", false},
		{"d:99999999", "d:NaN", true},
		{"d:NaN", "d:1", false},
	} {
		if got := watermarkLess(c.a, c.b); got != c.less {
			t.Errorf("%s < %s = %v, want %v", c.a, c.b, got, c.less)
		}
	}

	schema := arrow.NewSchema([]arrow.Field{{Name: "n", Type: arrow.BinaryTypes.String, Nullable: true,
		Metadata: arrow.NewMetadata([]string{connectors.MetaDecimalText}, []string{"true"})}}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	b.Field(0).(*array.StringBuilder).AppendValues([]string{"9.5", "10", "-3", "2.25"}, nil)
	rec := b.NewRecordBatch()
	defer rec.Release()
	rr, err := array.NewRecordReader(schema, []arrow.RecordBatch{rec})
	if err != nil {
		t.Fatal(err)
	}
	w, err := trackWatermark(plainScan{rr}, "n")
	if err != nil {
		t.Fatal(err)
	}
	for w.Next() {
	}
	if w.best != "d:10" {
		t.Fatalf("watermark %q, want d:10", w.best)
	}
	if v, err := watermarkValue(w.best); err != nil || v != "10" {
		t.Fatalf("filter value %v, %v", v, err)
	}
}

// plainScan is a record reader as a connectors.Scan.
type plainScan struct{ array.RecordReader }

func (plainScan) Warnings() []string { return nil }

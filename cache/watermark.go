package cache

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/hotdata-dev/hotdata/connectors"
)

// A watermark is the greatest value of a table's incremental column in a
// snapshot, stored as text with a tag saying how to compare and pass it
// back to the source: "i:42", "u:42", "f:1.5", "d:12.30", "t:<RFC 3339>",
// "s:text".

// watermarkTracker wraps a scan and keeps the greatest value of one
// column seen in the batches read.
type watermarkTracker struct {
	connectors.Scan
	col  int
	best string // tagged, "" until a non-NULL value is seen
	less func(a, b string) bool
	err  error
	// decimalText: the column's strings are decimal numbers
	// (connectors.MetaDecimalText), ordered as numbers.
	decimalText bool
}

// trackWatermark follows column name of scan; ok is false when the
// column is missing or of a type that has no order here.
func trackWatermark(scan connectors.Scan, name string) (*watermarkTracker, error) {
	idx := scan.Schema().FieldIndices(name)
	if len(idx) != 1 {
		return nil, fmt.Errorf("incremental column %q is not in the table", name)
	}
	t := scan.Schema().Field(idx[0]).Type
	switch t.ID() {
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64, arrow.UINT8, arrow.UINT16, arrow.UINT32, arrow.UINT64,
		arrow.FLOAT32, arrow.FLOAT64, arrow.DECIMAL128, arrow.DATE32, arrow.TIMESTAMP, arrow.STRING, arrow.LARGE_STRING:
	default:
		return nil, fmt.Errorf("incremental column %q has type %s, which has no order to follow: use a number, date, timestamp or text column", name, t)
	}
	w := &watermarkTracker{Scan: scan, col: idx[0], less: watermarkLess}
	if v, _ := scan.Schema().Field(idx[0]).Metadata.GetValue(connectors.MetaDecimalText); v == "true" {
		w.decimalText = true
	}
	return w, nil
}

func (w *watermarkTracker) Next() bool {
	if !w.Scan.Next() {
		return false
	}
	a := w.Scan.RecordBatch().Column(w.col)
	for i := 0; i < a.Len(); i++ {
		if a.IsNull(i) {
			continue
		}
		v := watermarkOf(a, i)
		if w.decimalText {
			v = "d:" + strings.TrimPrefix(v, "s:")
		}
		if w.best == "" || w.less(w.best, v) {
			w.best = v
		}
	}
	return true
}

// watermarkOf renders value i of a as a tagged watermark.
func watermarkOf(a arrow.Array, i int) string {
	switch a := a.(type) {
	case *array.Int8:
		return "i:" + strconv.FormatInt(int64(a.Value(i)), 10)
	case *array.Int16:
		return "i:" + strconv.FormatInt(int64(a.Value(i)), 10)
	case *array.Int32:
		return "i:" + strconv.FormatInt(int64(a.Value(i)), 10)
	case *array.Int64:
		return "i:" + strconv.FormatInt(a.Value(i), 10)
	case *array.Uint8:
		return "u:" + strconv.FormatUint(uint64(a.Value(i)), 10)
	case *array.Uint16:
		return "u:" + strconv.FormatUint(uint64(a.Value(i)), 10)
	case *array.Uint32:
		return "u:" + strconv.FormatUint(uint64(a.Value(i)), 10)
	case *array.Uint64:
		return "u:" + strconv.FormatUint(a.Value(i), 10)
	case *array.Float32:
		return "f:" + strconv.FormatFloat(float64(a.Value(i)), 'g', -1, 32)
	case *array.Float64:
		return "f:" + strconv.FormatFloat(a.Value(i), 'g', -1, 64)
	case *array.Decimal128:
		return "d:" + a.Value(i).ToString(a.DataType().(*arrow.Decimal128Type).Scale)
	case *array.Date32:
		return "t:" + a.Value(i).ToTime().UTC().Format(time.RFC3339Nano)
	case *array.Timestamp:
		unit := a.DataType().(*arrow.TimestampType).Unit
		return "t:" + a.Value(i).ToTime(unit).UTC().Format(time.RFC3339Nano)
	case *array.String:
		return "s:" + a.Value(i)
	case *array.LargeString:
		return "s:" + a.Value(i)
	}
	return ""
}

// watermarkLess orders two watermarks of the same tag.
func watermarkLess(a, b string) bool {
	ta, va, _ := strings.Cut(a, ":")
	_, vb, _ := strings.Cut(b, ":")
	switch ta {
	case "i":
		x, _ := strconv.ParseInt(va, 10, 64)
		y, _ := strconv.ParseInt(vb, 10, 64)
		return x < y
	case "u":
		x, _ := strconv.ParseUint(va, 10, 64)
		y, _ := strconv.ParseUint(vb, 10, 64)
		return x < y
	case "f":
		x, _ := strconv.ParseFloat(va, 64)
		y, _ := strconv.ParseFloat(vb, 64)
		return x < y
	case "d":
		// Exactly, at any width; NaN (PostgreSQL's numeric) sorts above
		// every number, as PostgreSQL orders it.
		x, okX := new(big.Rat).SetString(va)
		y, okY := new(big.Rat).SetString(vb)
		switch {
		case okX && okY:
			return x.Cmp(y) < 0
		case okX:
			return vb == "NaN"
		case okY:
			return false
		}
		return va < vb
	case "t":
		x, _ := time.Parse(time.RFC3339Nano, va)
		y, _ := time.Parse(time.RFC3339Nano, vb)
		return x.Before(y)
	}
	return va < vb
}

// watermarkValue turns a watermark into a filter value for the source.
func watermarkValue(w string) (any, error) {
	tag, v, ok := strings.Cut(w, ":")
	if !ok {
		return nil, fmt.Errorf("malformed watermark %q", w)
	}
	switch tag {
	case "i":
		return strconv.ParseInt(v, 10, 64)
	case "u", "d":
		return v, nil // compared as the column's type by the source
	case "f":
		return strconv.ParseFloat(v, 64)
	case "t":
		return time.Parse(time.RFC3339Nano, v)
	case "s":
		return v, nil
	}
	return nil, fmt.Errorf("malformed watermark %q", w)
}

// maxWatermark is the greater of two watermarks ("" is the least).
func maxWatermark(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	case watermarkLess(a, b):
		return b
	}
	return a
}

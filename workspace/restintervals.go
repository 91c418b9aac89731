package workspace

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/hotdata-dev/hotdata/wire"
)

// REST results carry intervals as PostgreSQL's text ("1 day 02:00:00"):
// Parquet, where results are stored, has no type for DuckDB's
// month-day-nanosecond intervals, and the text is what psql shows, reads
// the same in JSON and CSV, and parses back with ::interval.

// textIntervals returns schema with every interval column (or list of
// intervals) turned to text, and whether there was one.
func textIntervals(schema *arrow.Schema) (*arrow.Schema, bool) {
	fields := schema.Fields()
	changed := false
	for i, f := range fields {
		if t, ok := intervalAsText(f.Type); ok {
			fields[i].Type = t
			changed = true
		}
	}
	if !changed {
		return schema, false
	}
	md := schema.Metadata()
	return arrow.NewSchema(fields, &md), true
}

func intervalAsText(t arrow.DataType) (arrow.DataType, bool) {
	switch t := t.(type) {
	case *arrow.MonthDayNanoIntervalType:
		return arrow.BinaryTypes.String, true
	case *arrow.ListType:
		if _, ok := t.Elem().(*arrow.MonthDayNanoIntervalType); ok {
			return arrow.ListOf(arrow.BinaryTypes.String), true
		}
	}
	return t, false
}

// intervalsToText rebuilds rec with schema (textIntervals of its own):
// interval values become their text. Release the result.
func intervalsToText(rec arrow.RecordBatch, schema *arrow.Schema) arrow.RecordBatch {
	cols := make([]arrow.Array, rec.NumCols())
	for i, c := range rec.Columns() {
		switch a := c.(type) {
		case *array.MonthDayNanoInterval:
			b := array.NewStringBuilder(memory.DefaultAllocator)
			appendIntervalTexts(b, a, 0, a.Len())
			cols[i] = b.NewArray()
			b.Release()
		case *array.List:
			iv, ok := a.ListValues().(*array.MonthDayNanoInterval)
			if !ok {
				c.Retain()
				cols[i] = c
				continue
			}
			b := array.NewListBuilder(memory.DefaultAllocator, arrow.BinaryTypes.String)
			vb := b.ValueBuilder().(*array.StringBuilder)
			for r := 0; r < a.Len(); r++ {
				if a.IsNull(r) {
					b.AppendNull()
					continue
				}
				b.Append(true)
				start, end := a.ValueOffsets(r)
				appendIntervalTexts(vb, iv, int(start), int(end))
			}
			cols[i] = b.NewArray()
			b.Release()
		default:
			c.Retain()
			cols[i] = c
		}
	}
	out := array.NewRecordBatch(schema, cols, rec.NumRows())
	for _, c := range cols {
		c.Release()
	}
	return out
}

func appendIntervalTexts(b *array.StringBuilder, a *array.MonthDayNanoInterval, from, to int) {
	var buf []byte
	for j := from; j < to; j++ {
		if a.IsNull(j) {
			b.AppendNull()
			continue
		}
		v := a.Value(j)
		buf = wire.AppendInterval(buf[:0], int64(v.Months), int64(v.Days), v.Nanoseconds/1000)
		b.Append(string(buf))
	}
}

package workspace

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/hotdata-dev/hotdata/wire"
)

// REST results carry intervals as PostgreSQL's text ("1 day 02:00:00"),
// wherever they are (a column, an array's elements, a record's fields):
// Parquet, where results are stored, has no type for DuckDB's
// month-day-nanosecond intervals, and the text is what psql shows, reads
// the same in JSON and CSV, and parses back with ::interval.

// textIntervals returns schema with every interval in its columns' types
// turned to text, and whether there was one.
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

// intervalAsText returns t with its intervals as text, and whether t
// holds one. Maps are left as they are.
func intervalAsText(t arrow.DataType) (arrow.DataType, bool) {
	switch t := t.(type) {
	case *arrow.MonthDayNanoIntervalType:
		return arrow.BinaryTypes.String, true
	case *arrow.ListType:
		if f, ok := fieldAsText(t.ElemField()); ok {
			return arrow.ListOfField(f), true
		}
	case *arrow.LargeListType:
		if f, ok := fieldAsText(t.ElemField()); ok {
			return arrow.LargeListOfField(f), true
		}
	case *arrow.FixedSizeListType:
		if f, ok := fieldAsText(t.ElemField()); ok {
			return arrow.FixedSizeListOfField(t.Len(), f), true
		}
	case *arrow.StructType:
		fields := t.Fields()
		changed := false
		for i := range fields {
			if f, ok := fieldAsText(fields[i]); ok {
				fields[i], changed = f, true
			}
		}
		if changed {
			return arrow.StructOf(fields...), true
		}
	}
	return t, false
}

func fieldAsText(f arrow.Field) (arrow.Field, bool) {
	t, ok := intervalAsText(f.Type)
	f.Type = t
	return f, ok
}

// intervalsToText rebuilds rec with schema (textIntervals of its own):
// interval values become their text. Release the result.
func intervalsToText(rec arrow.RecordBatch, schema *arrow.Schema) arrow.RecordBatch {
	cols := make([]arrow.Array, rec.NumCols())
	for i, c := range rec.Columns() {
		if d, ok := intervalDataAsText(c.Data()); ok {
			cols[i] = array.MakeFromData(d)
			d.Release()
		} else {
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

// intervalDataAsText returns d with its intervals as text and true (the
// caller releases the new data), or d itself and false when it holds none.
// Nested data keeps its buffers (validity, offsets) and gets new children.
func intervalDataAsText(d arrow.ArrayData) (arrow.ArrayData, bool) {
	switch d.DataType().(type) {
	case *arrow.MonthDayNanoIntervalType:
		a := array.NewMonthDayNanoIntervalData(d)
		defer a.Release()
		b := array.NewStringBuilder(memory.DefaultAllocator)
		defer b.Release()
		var buf []byte
		for j := 0; j < a.Len(); j++ {
			if a.IsNull(j) {
				b.AppendNull()
				continue
			}
			v := a.Value(j)
			buf = wire.AppendInterval(buf[:0], int64(v.Months), int64(v.Days), v.Nanoseconds/1000)
			b.Append(string(buf))
		}
		out := b.NewArray()
		defer out.Release()
		od := out.Data()
		od.Retain()
		return od, true
	case *arrow.ListType, *arrow.LargeListType, *arrow.FixedSizeListType, *arrow.StructType:
		t, ok := intervalAsText(d.DataType())
		if !ok {
			return d, false
		}
		kids := d.Children()
		newKids := make([]arrow.ArrayData, len(kids))
		var made []arrow.ArrayData
		for k, kid := range kids {
			nk, changed := intervalDataAsText(kid)
			newKids[k] = nk
			if changed {
				made = append(made, nk)
			}
		}
		out := array.NewData(t, d.Len(), d.Buffers(), newKids, d.NullN(), d.Offset())
		for _, m := range made {
			m.Release() // NewData holds its own reference
		}
		return out, true
	}
	return d, false
}

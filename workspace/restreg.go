package workspace

import (
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/hotdata-dev/hotdata/wire"
)

// REST results carry a reg value (regclass, regtype, …) as its name, as
// PostgreSQL prints it; the engine sends it as {o: OID, n: name} for
// pgwire's text and binary forms.

// regOIDs are the OID alias types the planner sends as pairs.
var regOIDs = map[uint32]bool{24: true, 2202: true, 2203: true, 2204: true, 2205: true, 2206: true, 3734: true, 3769: true, 4089: true, 4096: true, 4191: true}

// regPairColumns lists the columns of schema that hold reg pairs.
func regPairColumns(schema *arrow.Schema) []int {
	var out []int
	for i, f := range schema.Fields() {
		v, ok := f.Metadata.GetValue(wire.MetaPGOID)
		if !ok {
			continue
		}
		oid, err := strconv.ParseUint(v, 10, 32)
		if err != nil || !regOIDs[uint32(oid)] {
			continue
		}
		if st, ok := f.Type.(*arrow.StructType); ok && st.NumFields() == 2 {
			out = append(out, i)
		}
	}
	return out
}

// regNamesSchema is schema with its reg pairs as text.
func regNamesSchema(schema *arrow.Schema, cols []int) *arrow.Schema {
	fields := schema.Fields()
	for _, i := range cols {
		fields[i].Type = arrow.BinaryTypes.String
	}
	md := schema.Metadata()
	return arrow.NewSchema(fields, &md)
}

// regNames rebuilds rec with its reg pairs as their names (schema is
// regNamesSchema's). Release the result.
func regNames(rec arrow.RecordBatch, schema *arrow.Schema, cols []int) arrow.RecordBatch {
	out := make([]arrow.Array, rec.NumCols())
	copy(out, rec.Columns())
	var built []arrow.Array
	for _, i := range cols {
		st := rec.Column(i).(*array.Struct)
		names, _ := st.Field(1).(*array.String)
		b := array.NewStringBuilder(memory.DefaultAllocator)
		for r := 0; r < st.Len(); r++ {
			if st.IsNull(r) || names == nil || names.IsNull(r) {
				b.AppendNull()
				continue
			}
			b.Append(names.Value(r))
		}
		out[i] = b.NewArray()
		b.Release()
		built = append(built, out[i])
	}
	res := array.NewRecordBatch(schema, out, rec.NumRows())
	for _, a := range built {
		a.Release()
	}
	return res
}

package files

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/extensions"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// convertFunc copies one column of a DuckDB batch into Go memory as its
// served Arrow type. A copy is needed anyway: the engine's batches live
// only until its next one.
type convertFunc func(in arrow.Array) (arrow.Array, error)

// converter returns the conversion from the Arrow type DuckDB hands out
// to the served one.
func converter(in, out arrow.DataType, mem memory.Allocator) (convertFunc, error) {
	switch o := out.(type) {
	case *extensions.UUIDType:
		if in.ID() == arrow.STRING || in.ID() == arrow.LARGE_STRING || in.ID() == arrow.STRING_VIEW {
			return uuidFromText(mem), nil
		}
	case *extensions.JSONType:
		text, err := converter(in, o.StorageType(), mem)
		if err != nil {
			return nil, err
		}
		return func(a arrow.Array) (arrow.Array, error) {
			s, err := text(a)
			if err != nil {
				return nil, err
			}
			defer s.Release()
			return array.NewExtensionArrayWithStorage(o, s), nil
		}, nil
	case *arrow.StructType:
		if arrow.TypeEqual(o, intervalType) && in.ID() == arrow.INTERVAL_MONTH_DAY_NANO {
			return intervalParts(mem), nil
		}
	case *arrow.ListType:
		if l, ok := in.(*arrow.ListType); ok {
			elem, err := converter(l.Elem(), o.Elem(), mem)
			if err != nil {
				return nil, err
			}
			return listOf(o, elem), nil
		}
	case *arrow.StringType:
		switch in.ID() {
		case arrow.LARGE_STRING, arrow.STRING_VIEW:
			return rebuildText(mem), nil
		}
	case *arrow.BinaryType:
		switch in.ID() {
		case arrow.LARGE_BINARY, arrow.BINARY_VIEW:
			return rebuildBinary(mem), nil
		}
	}
	if arrow.TypeEqual(in, out) {
		return func(a arrow.Array) (arrow.Array, error) {
			return array.Concatenate([]arrow.Array{a}, mem)
		}, nil
	}
	return nil, fmt.Errorf("cannot serve DuckDB's Arrow type %s as %s", in, out)
}

type textArray interface {
	arrow.Array
	Value(i int) string
}

type binaryArray interface {
	arrow.Array
	Value(i int) []byte
}

func rebuildText(mem memory.Allocator) convertFunc {
	return func(a arrow.Array) (arrow.Array, error) {
		in := a.(textArray)
		b := array.NewStringBuilder(mem)
		defer b.Release()
		b.Reserve(in.Len())
		for i := 0; i < in.Len(); i++ {
			if in.IsNull(i) {
				b.AppendNull()
			} else {
				b.Append(in.Value(i))
			}
		}
		return b.NewArray(), nil
	}
}

func rebuildBinary(mem memory.Allocator) convertFunc {
	return func(a arrow.Array) (arrow.Array, error) {
		in := a.(binaryArray)
		b := array.NewBinaryBuilder(mem, arrow.BinaryTypes.Binary)
		defer b.Release()
		b.Reserve(in.Len())
		for i := 0; i < in.Len(); i++ {
			if in.IsNull(i) {
				b.AppendNull()
			} else {
				b.Append(in.Value(i))
			}
		}
		return b.NewArray(), nil
	}
}

// uuidFromText parses DuckDB's text form of UUIDs (it exports them as
// strings) into the 16-byte UUID extension type.
func uuidFromText(mem memory.Allocator) convertFunc {
	return func(a arrow.Array) (arrow.Array, error) {
		in := a.(textArray)
		b := extensions.NewUUIDBuilder(mem)
		defer b.Release()
		b.Reserve(in.Len())
		for i := 0; i < in.Len(); i++ {
			if in.IsNull(i) {
				b.AppendNull()
				continue
			}
			if err := b.AppendValueFromString(in.Value(i)); err != nil {
				return nil, fmt.Errorf("uuid %q: %w", in.Value(i), err)
			}
		}
		return b.NewArray(), nil
	}
}

// intervalParts splits intervals into intervalType's months, days and
// microseconds (DuckDB keeps microseconds, so nothing is lost).
func intervalParts(mem memory.Allocator) convertFunc {
	return func(a arrow.Array) (arrow.Array, error) {
		in := a.(*array.MonthDayNanoInterval)
		b := array.NewStructBuilder(mem, intervalType)
		defer b.Release()
		months := b.FieldBuilder(0).(*array.Int32Builder)
		days := b.FieldBuilder(1).(*array.Int32Builder)
		micros := b.FieldBuilder(2).(*array.Int64Builder)
		for i := 0; i < in.Len(); i++ {
			if in.IsNull(i) {
				b.AppendNull()
				continue
			}
			v := in.Value(i)
			b.Append(true)
			months.Append(v.Months)
			days.Append(v.Days)
			micros.Append(v.Nanoseconds / 1000)
		}
		return b.NewArray(), nil
	}
}

// listOf converts a list's values with elem and rebuilds the list around
// them, with the served element field.
func listOf(out *arrow.ListType, elem convertFunc) convertFunc {
	return func(a arrow.Array) (arrow.Array, error) {
		in := a.(*array.List)
		n := in.Len()
		offsets := make([]int32, n+1)
		var first int64
		if n > 0 {
			first, _ = in.ValueOffsets(0)
		}
		last := first
		var valid []byte
		if in.NullN() > 0 {
			valid = make([]byte, bitutil.BytesForBits(int64(n)))
		}
		for i := 0; i < n; i++ {
			_, end := in.ValueOffsets(i)
			offsets[i+1] = int32(end - first)
			last = end
			if valid != nil && in.IsValid(i) {
				bitutil.SetBit(valid, i)
			}
		}
		values := array.NewSlice(in.ListValues(), first, last)
		defer values.Release()
		conv, err := elem(values)
		if err != nil {
			return nil, err
		}
		defer conv.Release()
		var validBuf *memory.Buffer
		if valid != nil {
			validBuf = memory.NewBufferBytes(valid)
		}
		data := array.NewData(out, n,
			[]*memory.Buffer{validBuf, memory.NewBufferBytes(arrow.Int32Traits.CastToBytes(offsets))},
			[]arrow.ArrayData{conv.Data()}, in.NullN(), 0)
		defer data.Release()
		return array.MakeFromData(data), nil
	}
}

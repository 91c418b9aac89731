//go:build duckdb_arrow

package engine

import (
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unsafe"

	bindings "github.com/duckdb/duckdb-go-bindings"
)

// engineType is a parsed engine type name of a Go function's signature.
type engineType struct {
	id       bindings.Type
	alias    string // JSON
	elem     *engineType
	fields   []engineType
	names    []string
	width    uint8
	scale    uint8
	original string
}

// parseEngineType reads "VARCHAR", "BIGINT[]", "DECIMAL(18,2)",
// "STRUCT(key VARCHAR, value JSON)", "ANY".
func parseEngineType(s string) (engineType, error) {
	t := strings.TrimSpace(s)
	if strings.HasSuffix(t, "[]") {
		e, err := parseEngineType(t[:len(t)-2])
		if err != nil {
			return engineType{}, err
		}
		return engineType{id: bindings.TypeList, elem: &e, original: s}, nil
	}
	upper := strings.ToUpper(t)
	if strings.HasPrefix(upper, "STRUCT(") && strings.HasSuffix(t, ")") {
		out := engineType{id: bindings.TypeStruct, original: s}
		for _, part := range splitTop(t[7 : len(t)-1]) {
			name, typ, ok := strings.Cut(strings.TrimSpace(part), " ")
			if !ok {
				return engineType{}, fmt.Errorf("bad struct field %q", part)
			}
			ft, err := parseEngineType(typ)
			if err != nil {
				return engineType{}, err
			}
			out.fields = append(out.fields, ft)
			out.names = append(out.names, name)
		}
		return out, nil
	}
	if strings.HasPrefix(upper, "DECIMAL(") {
		var w, sc int
		if _, err := fmt.Sscanf(upper, "DECIMAL(%d,%d)", &w, &sc); err != nil {
			return engineType{}, fmt.Errorf("bad decimal %q", s)
		}
		return engineType{id: bindings.TypeDecimal, width: uint8(w), scale: uint8(sc), original: s}, nil
	}
	ids := map[string]bindings.Type{
		"BOOLEAN": bindings.TypeBoolean, "SMALLINT": bindings.TypeSmallInt, "INTEGER": bindings.TypeInteger,
		"BIGINT": bindings.TypeBigInt, "UINTEGER": bindings.TypeUInteger, "FLOAT": bindings.TypeFloat, "DOUBLE": bindings.TypeDouble,
		"VARCHAR": bindings.TypeVarchar, "BLOB": bindings.TypeBlob, "DATE": bindings.TypeDate, "TIME": bindings.TypeTime,
		"TIMESTAMP": bindings.TypeTimestamp, "TIMESTAMPTZ": bindings.TypeTimestampTZ, "INTERVAL": bindings.TypeInterval,
		"UUID": bindings.TypeUUID, "ANY": bindings.TypeAny, "HUGEINT": bindings.TypeHugeInt,
	}
	if upper == "JSON" {
		return engineType{id: bindings.TypeVarchar, alias: "JSON", original: s}, nil
	}
	id, ok := ids[upper]
	if !ok {
		return engineType{}, fmt.Errorf("unknown engine type %q", s)
	}
	return engineType{id: id, original: s}, nil
}

func splitTop(s string) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}

// logical creates the DuckDB logical type (the caller destroys it).
func (t engineType) logical() bindings.LogicalType {
	switch t.id {
	case bindings.TypeList:
		child := t.elem.logical()
		lt := bindings.CreateListType(child)
		bindings.DestroyLogicalType(&child)
		return lt
	case bindings.TypeStruct:
		types := make([]bindings.LogicalType, len(t.fields))
		for i, f := range t.fields {
			types[i] = f.logical()
		}
		lt := bindings.CreateStructType(types, t.names)
		for i := range types {
			bindings.DestroyLogicalType(&types[i])
		}
		return lt
	case bindings.TypeDecimal:
		return bindings.CreateDecimalType(t.width, t.scale)
	}
	lt := bindings.CreateLogicalType(t.id)
	if t.alias != "" {
		bindings.LogicalTypeSetAlias(lt, t.alias)
	}
	return lt
}

// vectorWriter writes Go values into an output vector.
type vectorWriter struct {
	vec      bindings.Vector
	t        engineType
	data     unsafe.Pointer
	validity bool
	// list children are written after the rows, all at once.
	child     *vectorWriter
	childVals []any
	offsets   []uint64
	lengths   []uint64
	fields    []*vectorWriter
	capacity  int
}

func newVectorWriter(vec bindings.Vector, t engineType, n int) *vectorWriter {
	w := &vectorWriter{vec: vec, t: t, data: bindings.VectorGetData(vec), capacity: n}
	if t.id == bindings.TypeStruct {
		for i, f := range t.fields {
			w.fields = append(w.fields, newVectorWriter(bindings.StructVectorGetChild(vec, bindings.IdxT(i)), f, n))
		}
	}
	return w
}

func (w *vectorWriter) setNull(row int) {
	if !w.validity {
		bindings.VectorEnsureValidityWritable(w.vec)
		w.validity = true
	}
	bindings.ValiditySetRowInvalid(bindings.VectorGetValidity(w.vec), bindings.IdxT(row))
	if w.t.id == bindings.TypeList {
		entry := (*[2]uint64)(unsafe.Add(w.data, row*16))
		entry[0], entry[1] = 0, 0
	}
	for _, f := range w.fields {
		f.setNull(row)
	}
}

func (w *vectorWriter) set(row int, v any) error {
	if v == nil {
		w.setNull(row)
		return nil
	}
	p := func(size int) unsafe.Pointer { return unsafe.Add(w.data, row*size) }
	switch w.t.id {
	case bindings.TypeBoolean:
		b, ok := v.(bool)
		if !ok {
			return fmt.Errorf("want bool, got %T", v)
		}
		*(*bool)(p(1)) = b
	case bindings.TypeSmallInt:
		*(*int16)(p(2)) = int16(toInt(v))
	case bindings.TypeInteger:
		*(*int32)(p(4)) = int32(toInt(v))
	case bindings.TypeBigInt:
		*(*int64)(p(8)) = toInt(v)
	case bindings.TypeUInteger:
		*(*uint32)(p(4)) = uint32(toInt(v))
	case bindings.TypeFloat:
		*(*float32)(p(4)) = float32(toFloat(v))
	case bindings.TypeDouble:
		*(*float64)(p(8)) = toFloat(v)
	case bindings.TypeDate:
		*(*int32)(p(4)) = int32(toInt(v))
	case bindings.TypeTime, bindings.TypeTimestamp, bindings.TypeTimestampTZ:
		*(*int64)(p(8)) = toInt(v)
	case bindings.TypeInterval:
		iv, ok := v.(Interval)
		if !ok {
			return fmt.Errorf("want Interval, got %T", v)
		}
		b := (*[16]byte)(p(16))
		binary.LittleEndian.PutUint32(b[0:], uint32(iv.Months))
		binary.LittleEndian.PutUint32(b[4:], uint32(iv.Days))
		binary.LittleEndian.PutUint64(b[8:], uint64(iv.Micros))
	case bindings.TypeVarchar, bindings.TypeBlob:
		switch s := v.(type) {
		case string:
			bindings.VectorAssignStringElement(w.vec, bindings.IdxT(row), s)
		case []byte:
			bindings.VectorAssignStringElementLen(w.vec, bindings.IdxT(row), s)
		default:
			return fmt.Errorf("want string, got %T", v)
		}
	case bindings.TypeUUID:
		u, ok := v.([16]byte)
		if !ok {
			return fmt.Errorf("want [16]byte, got %T", v)
		}
		// DuckDB stores a UUID as a hugeint with the top bit flipped.
		hi := binary.BigEndian.Uint64(u[:8]) ^ (1 << 63)
		lo := binary.BigEndian.Uint64(u[8:])
		b := (*[16]byte)(p(16))
		binary.LittleEndian.PutUint64(b[0:], lo)
		binary.LittleEndian.PutUint64(b[8:], hi)
	case bindings.TypeList:
		items, ok := v.([]any)
		if !ok {
			return fmt.Errorf("want []any, got %T", v)
		}
		return w.appendList(row, items)
	case bindings.TypeStruct:
		items, ok := v.([]any)
		if !ok || len(items) != len(w.fields) {
			return fmt.Errorf("want %d fields, got %T", len(w.fields), v)
		}
		for i, f := range w.fields {
			if err := f.set(row, items[i]); err != nil {
				return err
			}
		}
	default:
		return fmt.Errorf("cannot write %s", w.t.original)
	}
	return nil
}

// appendList writes a list entry; the child values are written when the
// chunk is done (flush), since the child vector is resized once.
func (w *vectorWriter) appendList(row int, items []any) error {
	cur := uint64(bindings.ListVectorGetSize(w.vec))
	need := cur + uint64(len(items))
	if bindings.ListVectorReserve(w.vec, bindings.IdxT(need)) == bindings.StateError {
		return fmt.Errorf("cannot grow a list")
	}
	child := bindings.ListVectorGetChild(w.vec)
	cw := newVectorWriter(child, *w.t.elem, int(need))
	for i, it := range items {
		if err := cw.set(int(cur)+i, it); err != nil {
			return err
		}
	}
	if bindings.ListVectorSetSize(w.vec, bindings.IdxT(need)) == bindings.StateError {
		return fmt.Errorf("cannot size a list")
	}
	entry := (*[2]uint64)(unsafe.Add(w.data, row*16))
	entry[0], entry[1] = cur, uint64(len(items))
	return nil
}

func toInt(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case int:
		return int64(x)
	case int32:
		return int64(x)
	case Date:
		return int64(x)
	case Time:
		return int64(x)
	case Timestamp:
		return int64(x)
	case float64:
		return int64(x)
	case bool:
		if x {
			return 1
		}
		return 0
	case string:
		n, _ := strconv.ParseInt(x, 10, 64)
		return n
	}
	return 0
}

func toFloat(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case float32:
		return float64(x)
	case int64:
		return float64(x)
	case string:
		f, err := strconv.ParseFloat(x, 64)
		if err != nil {
			return math.NaN()
		}
		return f
	}
	return math.NaN()
}

//go:build duckdb_arrow

package engine

/*
#include <stdint.h>
#include <stdlib.h>
void hdScalarCallback(void *info, void *input, void *output);
void hdScalarDelete(void *data);
typedef void (*hd_scalar_fn)(void *, void *, void *);
typedef void (*hd_delete_fn)(void *);
*/
import "C"

import (
	"context"
	"errors"
	"fmt"
	"runtime/cgo"
	"strconv"
	"strings"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/extensions"
	bindings "github.com/duckdb/duckdb-go-bindings"
)

// ScalarFunc is a function the engine's SQL calls, implemented in Go: it
// computes one row at a time. Arguments arrive as Go values:
//
//	BOOLEAN bool; TINYINT…BIGINT, UINTEGER int64; FLOAT, DOUBLE float64;
//	VARCHAR (and JSON) string; BLOB []byte; DECIMAL string (its text);
//	DATE Date; TIME Time; TIMESTAMP, TIMESTAMPTZ Timestamp; INTERVAL
//	Interval; UUID [16]byte; lists []any; structs []any.
//
// and the result is returned the same way for its declared type. NULL
// is nil.
type ScalarFunc struct {
	Name string
	// Args are the engine types of the arguments ("VARCHAR", "BIGINT",
	// "DOUBLE[]", "ANY", …); Variadic, when set, the type of any further
	// ones.
	Args     []string
	Variadic string
	Returns  string
	// Volatile functions are not folded into constants.
	Volatile bool
	// NullCalls: the function is also called when an argument is NULL
	// (by default a NULL argument makes the result NULL).
	NullCalls bool
	Row       func(args []any) (any, error)
}

// Date is days since 1970-01-01; Time microseconds since midnight;
// Timestamp microseconds since 1970-01-01 (UTC for TIMESTAMPTZ).
type (
	Date      int64
	Time      int64
	Timestamp int64
	// TimestampTZ is a TIMESTAMPTZ parameter value (UTC microseconds).
	TimestampTZ int64
)

// Interval is the engine's interval: months, days and microseconds.
type Interval struct {
	Months int32
	Days   int32
	Micros int64
}

// Functions are what Open installs in a workspace's database besides
// its lockdown: Go scalar functions and SQL macros (CREATE MACRO …).
type Functions struct {
	Scalars []ScalarFunc
	Macros  []string
}

// udf is a registered function with what its callback needs.
type udf struct {
	f    *ScalarFunc
	opts bindings.ArrowOptions
	ret  engineType
}

// register installs the functions on a connection (they go to the
// database's catalog, for every connection).
func (c *Conn) register(fs *Functions) error {
	for i := range fs.Scalars {
		f := &fs.Scalars[i]
		if err := c.registerScalar(f); err != nil {
			return fmt.Errorf("engine: register %s: %w", f.Name, err)
		}
	}
	for _, m := range fs.Macros {
		if err := c.exec(context.Background(), m); err != nil {
			return fmt.Errorf("engine: %s: %w", firstLine(m), err)
		}
	}
	return nil
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

func (c *Conn) registerScalar(f *ScalarFunc) error {
	ret, err := parseEngineType(f.Returns)
	if err != nil {
		return err
	}
	sf := bindings.CreateScalarFunction()
	defer bindings.DestroyScalarFunction(&sf)
	bindings.ScalarFunctionSetName(sf, f.Name)
	for _, a := range f.Args {
		t, err := parseEngineType(a)
		if err != nil {
			return err
		}
		lt := t.logical()
		bindings.ScalarFunctionAddParameter(sf, lt)
		bindings.DestroyLogicalType(&lt)
	}
	if f.Variadic != "" {
		t, err := parseEngineType(f.Variadic)
		if err != nil {
			return err
		}
		lt := t.logical()
		bindings.ScalarFunctionSetVarargs(sf, lt)
		bindings.DestroyLogicalType(&lt)
	}
	rt := ret.logical()
	bindings.ScalarFunctionSetReturnType(sf, rt)
	bindings.DestroyLogicalType(&rt)
	if f.Volatile {
		bindings.ScalarFunctionSetVolatile(sf)
	}
	if f.NullCalls {
		bindings.ScalarFunctionSetSpecialHandling(sf)
	}
	u := &udf{f: f, ret: ret}
	bindings.ConnectionGetArrowOptions(c.conn, &u.opts)
	h := cgo.NewHandle(u)
	data := C.malloc(C.size_t(unsafe.Sizeof(C.uintptr_t(0))))
	*(*C.uintptr_t)(data) = C.uintptr_t(h)
	bindings.ScalarFunctionSetExtraInfo(sf, data, unsafe.Pointer(C.hd_delete_fn(C.hdScalarDelete)))
	bindings.ScalarFunctionSetFunction(sf, unsafe.Pointer(C.hd_scalar_fn(C.hdScalarCallback)))
	if bindings.RegisterScalarFunction(c.conn, sf) == bindings.StateError {
		return errors.New("duckdb refused the function")
	}
	return nil
}

//export hdScalarDelete
func hdScalarDelete(data unsafe.Pointer) {
	h := cgo.Handle(*(*C.uintptr_t)(data))
	if u, ok := h.Value().(*udf); ok {
		bindings.DestroyArrowOptions(&u.opts)
	}
	h.Delete()
	C.free(data)
}

//export hdScalarCallback
func hdScalarCallback(infoPtr, inputPtr, outputPtr unsafe.Pointer) {
	info := bindings.FunctionInfo{Ptr: infoPtr}
	data := bindings.ScalarFunctionGetExtraInfo(info)
	u := cgo.Handle(*(*C.uintptr_t)(data)).Value().(*udf)
	if err := u.run(bindings.DataChunk{Ptr: inputPtr}, bindings.Vector{Ptr: outputPtr}); err != nil {
		bindings.ScalarFunctionSetError(info, err.Error())
	}
}

// run computes one chunk.
func (u *udf) run(input bindings.DataChunk, output bindings.Vector) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("HDXX000:internal error in %s: %v", u.f.Name, r)
		}
	}()
	n := int(bindings.DataChunkGetSize(input))
	ncols := int(bindings.DataChunkGetColumnCount(input))
	types := make([]bindings.LogicalType, ncols)
	names := make([]string, ncols)
	for i := 0; i < ncols; i++ {
		types[i] = bindings.VectorGetColumnType(bindings.DataChunkGetVector(input, bindings.IdxT(i)))
		names[i] = "a" + strconv.Itoa(i)
	}
	schema, ed := bindings.NewArrowSchema(u.opts, types, names)
	for i := range types {
		bindings.DestroyLogicalType(&types[i])
	}
	if bindings.ErrorDataHasError(ed) {
		msg := bindings.ErrorDataMessage(ed)
		bindings.DestroyErrorData(&ed)
		return errors.New(msg)
	}
	bindings.DestroyErrorData(&ed)
	rec, ed := bindings.DataChunkToArrowArray(u.opts, schema, input)
	if bindings.ErrorDataHasError(ed) {
		msg := bindings.ErrorDataMessage(ed)
		bindings.DestroyErrorData(&ed)
		return errors.New(msg)
	}
	bindings.DestroyErrorData(&ed)
	defer rec.Release()
	w := newVectorWriter(output, u.ret, n)
	args := make([]any, ncols)
	for row := 0; row < n; row++ {
		null := false
		for i := 0; i < ncols; i++ {
			args[i] = arrowValue(rec.Column(i), row)
			if args[i] == nil {
				null = true
			}
		}
		if null && !u.f.NullCalls {
			w.setNull(row)
			continue
		}
		v, err := u.f.Row(args)
		if err != nil {
			return err
		}
		if err := w.set(row, v); err != nil {
			return fmt.Errorf("HDXX000:%s: %w", u.f.Name, err)
		}
	}
	return nil
}

// arrowValue reads one value as a Go value (see ScalarFunc).
func arrowValue(a arrow.Array, i int) any {
	if a.IsNull(i) {
		return nil
	}
	switch a := a.(type) {
	case *array.Boolean:
		return a.Value(i)
	case *array.Int8:
		return int64(a.Value(i))
	case *array.Int16:
		return int64(a.Value(i))
	case *array.Int32:
		return int64(a.Value(i))
	case *array.Int64:
		return a.Value(i)
	case *array.Uint8:
		return int64(a.Value(i))
	case *array.Uint16:
		return int64(a.Value(i))
	case *array.Uint32:
		return int64(a.Value(i))
	case *array.Uint64:
		return int64(a.Value(i))
	case *array.Float32:
		return float64(a.Value(i))
	case *array.Float64:
		return a.Value(i)
	// Strings are copied: the arrow buffers alias the engine's memory,
	// which is reused after the call, and a function may keep a string
	// (a cache key).
	case *array.String:
		return strings.Clone(a.Value(i))
	case *array.LargeString:
		return strings.Clone(a.Value(i))
	case *array.StringView:
		return strings.Clone(a.Value(i))
	case *array.Binary:
		return append([]byte(nil), a.Value(i)...)
	case *array.LargeBinary:
		return append([]byte(nil), a.Value(i)...)
	case *array.BinaryView:
		return append([]byte(nil), a.Value(i)...)
	case *array.Decimal128:
		t := a.DataType().(*arrow.Decimal128Type)
		return decimalText(a.Value(i), t.Scale)
	case *array.Date32:
		return Date(a.Value(i))
	case *array.Time64:
		us := int64(a.Value(i))
		if a.DataType().(*arrow.Time64Type).Unit == arrow.Nanosecond {
			us /= 1000
		}
		return Time(us)
	case *array.Timestamp:
		v := int64(a.Value(i))
		switch a.DataType().(*arrow.TimestampType).Unit {
		case arrow.Second:
			v *= 1_000_000
		case arrow.Millisecond:
			v *= 1000
		case arrow.Nanosecond:
			v /= 1000
		}
		return Timestamp(v)
	case *array.MonthDayNanoInterval:
		v := a.Value(i)
		return Interval{Months: v.Months, Days: v.Days, Micros: v.Nanoseconds / 1000}
	case *extensions.UUIDArray:
		var u [16]byte
		copy(u[:], a.Storage().(*array.FixedSizeBinary).Value(i))
		return u
	case *array.FixedSizeBinary:
		return append([]byte(nil), a.Value(i)...)
	case array.ListLike:
		start, end := a.ValueOffsets(i)
		child := a.ListValues()
		out := make([]any, 0, end-start)
		for j := start; j < end; j++ {
			out = append(out, arrowValue(child, int(j)))
		}
		return out
	case *array.Struct:
		out := make([]any, a.NumField())
		for f := range out {
			out[f] = arrowValue(a.Field(f), i)
		}
		return out
	case *array.ExtensionArrayBase:
		return arrowValue(a.Storage(), i)
	}
	if ext, ok := a.(array.ExtensionArray); ok {
		return arrowValue(ext.Storage(), i)
	}
	return a.ValueStr(i)
}

// decimalText prints a DECIMAL value with its scale.
func decimalText(v decimal128.Num, scale int32) string {
	b := v.BigInt()
	s := b.String()
	if scale <= 0 {
		return s
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for len(s) <= int(scale) {
		s = "0" + s
	}
	s = s[:len(s)-int(scale)] + "." + s[len(s)-int(scale):]
	if neg {
		s = "-" + s
	}
	return s
}

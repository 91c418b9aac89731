package api

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/hotdata-dev/hotdata/metastore"
	"github.com/hotdata-dev/hotdata/workspace"
)

// Encoders of stored results: each writes one batch at a time into a
// buffer that is flushed to the client after every batch, so a download
// holds one batch in memory whatever the result's size.

type resultEncoder interface {
	begin(schema *arrow.Schema) error
	write(rec arrow.RecordBatch) error
	end() error
}

const downloadBuffer = 64 << 10

func newResultEncoder(format string, w http.ResponseWriter, res metastore.Result, total int64) resultEncoder {
	out := &flushWriter{bw: bufio.NewWriterSize(w, downloadBuffer)}
	if f, ok := w.(http.Flusher); ok {
		out.flusher = f
	}
	switch format {
	case formatCSV:
		return &csvEncoder{w: out}
	case formatArrow:
		return &arrowEncoder{w: out}
	}
	return &jsonEncoder{w: out, res: res, total: total}
}

// schemaOf is rf's schema; a statement without a result set has none.
func schemaOf(rf *workspace.ResultFile) *arrow.Schema {
	if rf == nil {
		return arrow.NewSchema(nil, nil)
	}
	return rf.Schema()
}

// flushWriter buffers writes and sends them on flush.
type flushWriter struct {
	bw      *bufio.Writer
	flusher http.Flusher
}

func (f *flushWriter) Write(p []byte) (int, error) { return f.bw.Write(p) }

func (f *flushWriter) flush() error {
	if err := f.bw.Flush(); err != nil {
		return err
	}
	if f.flusher != nil {
		f.flusher.Flush()
	}
	return nil
}

// rowValues converts a batch's rows as the query response does.
type rowValues struct {
	rec  arrow.RecordBatch
	conv []jsonValue
}

func newRowValues(rec arrow.RecordBatch) rowValues {
	conv := make([]jsonValue, rec.NumCols())
	for i := range conv {
		conv[i] = jsonValueFor(rec.Column(i))
	}
	return rowValues{rec: rec, conv: conv}
}

// row fills dst with row r's values (nil for NULL).
func (v rowValues) row(r int, dst []any) {
	for c, f := range v.conv {
		if v.rec.Column(c).IsNull(r) {
			dst[c] = nil
			continue
		}
		dst[c] = f(r)
	}
}

// jsonEncoder writes {result_id, status, columns, nullable, rows,
// row_count, error_message}, one row per line.
type jsonEncoder struct {
	w     *flushWriter
	enc   *json.Encoder
	res   metastore.Result
	total int64
	rows  int64
}

func (e *jsonEncoder) begin(schema *arrow.Schema) error {
	cols := make([]string, schema.NumFields())
	nullable := make([]bool, schema.NumFields())
	for i, f := range schema.Fields() {
		cols[i], nullable[i] = f.Name, f.Nullable
	}
	id, _ := json.Marshal(e.res.ID)
	c, _ := json.Marshal(cols)
	n, _ := json.Marshal(nullable)
	fmt.Fprintf(e.w, `{"result_id":%s,"status":"succeeded","columns":%s,"nullable":%s,"rows":[`, id, c, n)
	e.enc = json.NewEncoder(e.w)
	return nil
}

func (e *jsonEncoder) write(rec arrow.RecordBatch) error {
	v := newRowValues(rec)
	row := make([]any, rec.NumCols())
	for r := 0; r < int(rec.NumRows()); r++ {
		if e.rows > 0 {
			e.w.Write([]byte{','})
		}
		v.row(r, row)
		if err := e.enc.Encode(row); err != nil {
			return err
		}
		e.rows++
	}
	return e.w.flush()
}

func (e *jsonEncoder) end() error {
	fmt.Fprintf(e.w, `],"row_count":%d,"error_message":null}`+"\n", e.total)
	return e.w.flush()
}

// csvEncoder writes a header line and one line per row, as PostgreSQL's
// COPY … CSV HEADER does: NULL is an empty field, an empty string is "",
// and a field is quoted when it holds a comma, a quote or a line break.
// Values read as in JSON (decimals exact, timestamps RFC 3339); arrays
// and structs are JSON text.
type csvEncoder struct {
	w   *flushWriter
	buf []byte
}

func (e *csvEncoder) begin(schema *arrow.Schema) error {
	if schema.NumFields() == 0 {
		return nil
	}
	e.buf = e.buf[:0]
	for i, f := range schema.Fields() {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		e.buf = csvString(e.buf, f.Name)
	}
	e.buf = append(e.buf, '\n')
	_, err := e.w.Write(e.buf)
	return err
}

func (e *csvEncoder) write(rec arrow.RecordBatch) error {
	v := newRowValues(rec)
	row := make([]any, rec.NumCols())
	for r := 0; r < int(rec.NumRows()); r++ {
		v.row(r, row)
		e.buf = e.buf[:0]
		for c, val := range row {
			if c > 0 {
				e.buf = append(e.buf, ',')
			}
			e.buf = csvValue(e.buf, val)
		}
		e.buf = append(e.buf, '\n')
		if _, err := e.w.Write(e.buf); err != nil {
			return err
		}
	}
	return e.w.flush()
}

func (e *csvEncoder) end() error { return e.w.flush() }

func csvValue(b []byte, v any) []byte {
	switch v := v.(type) {
	case nil:
		return b
	case string:
		return csvString(b, v)
	case bool:
		return strconv.AppendBool(b, v)
	case int8:
		return strconv.AppendInt(b, int64(v), 10)
	case int16:
		return strconv.AppendInt(b, int64(v), 10)
	case int32:
		return strconv.AppendInt(b, int64(v), 10)
	case int64:
		return strconv.AppendInt(b, v, 10)
	case uint8:
		return strconv.AppendUint(b, uint64(v), 10)
	case uint16:
		return strconv.AppendUint(b, uint64(v), 10)
	case uint32:
		return strconv.AppendUint(b, uint64(v), 10)
	case uint64:
		return strconv.AppendUint(b, v, 10)
	case float64:
		return appendJSONFloat(b, v)
	}
	data, err := json.Marshal(v)
	if err != nil {
		return csvString(b, fmt.Sprint(v))
	}
	return csvString(b, string(data))
}

func csvString(b []byte, s string) []byte {
	if s != "" && !strings.ContainsAny(s, ",\"\r\n") {
		return append(b, s...)
	}
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			b = append(b, '"')
		}
		b = append(b, s[i])
	}
	return append(b, '"')
}

// appendJSONFloat formats f as encoding/json does, so that CSV and JSON
// show the same digits.
func appendJSONFloat(b []byte, f float64) []byte {
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// clean up e-09 to e-9
		n := len(b)
		if n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

// arrowEncoder writes an Arrow IPC stream: the schema, then batches.
type arrowEncoder struct {
	w  *flushWriter
	iw *ipc.Writer
}

func (e *arrowEncoder) begin(schema *arrow.Schema) error {
	e.iw = ipc.NewWriter(e.w, ipc.WithSchema(schema), ipc.WithAllocator(memory.DefaultAllocator))
	return nil
}

func (e *arrowEncoder) write(rec arrow.RecordBatch) error {
	if err := e.iw.Write(rec); err != nil {
		return err
	}
	return e.w.flush()
}

func (e *arrowEncoder) end() error {
	if err := e.iw.Close(); err != nil {
		return err
	}
	return e.w.flush()
}

var _ io.Writer = (*flushWriter)(nil)

package api

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

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
// COPY … TO STDOUT (FORMAT csv, HEADER) does: every value in
// PostgreSQL's text form (timestamptz in UTC, a REST query's TimeZone;
// booleans t and f; arrays {…}; bytea \x…), NULL an empty field, and a
// field quoted when it is empty or holds a comma, a quote or a line
// break.
type csvEncoder struct {
	w      *flushWriter
	schema *arrow.Schema
	buf    []byte
	val    []byte
}

func (e *csvEncoder) begin(schema *arrow.Schema) error {
	e.schema = schema // its fields declare types (character(n)) the batches' may not
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
	enc := make([]func([]byte, int) []byte, rec.NumCols())
	for c := range enc {
		f := rec.Schema().Field(c)
		if e.schema != nil && e.schema.NumFields() == len(enc) {
			f = e.schema.Field(c)
		}
		enc[c] = workspace.PGText(f, rec.Column(c), time.UTC) // a REST query's TimeZone
	}
	for r := 0; r < int(rec.NumRows()); r++ {
		e.buf = e.buf[:0]
		for c := range enc {
			if c > 0 {
				e.buf = append(e.buf, ',')
			}
			if rec.Column(c).IsNull(r) {
				continue
			}
			e.val = enc[c](e.val[:0], r)
			if len(enc) == 1 && string(e.val) == `\.` {
				// Alone on a line it would read as COPY's end of data.
				e.buf = append(e.buf, `"\."`...)
				continue
			}
			e.buf = workspace.AppendCSVField(e.buf, e.val)
		}
		e.buf = append(e.buf, '\n')
		if _, err := e.w.Write(e.buf); err != nil {
			return err
		}
	}
	return e.w.flush()
}

func (e *csvEncoder) end() error { return e.w.flush() }

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

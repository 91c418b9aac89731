package wire

import (
	"encoding/binary"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/hotdata-dev/hotdata/internal/pgerr"
)

// resultWriter implements ResultWriter on a connection. In the simple
// protocol it sends RowDescription itself; in the extended protocol the
// Describe message did (or the client did not ask), and formats come from
// Bind.
type resultWriter struct {
	c        *conn
	extended bool
	formats  []int16
	opts     encodeOpts
	copy     *copyState
	// schema is the described schema, whose field metadata (declared
	// PostgreSQL types) the batches written after it may lack.
	schema *arrow.Schema
}

var _ ResultWriter = (*resultWriter)(nil)

func newResultWriter(c *conn, extended bool, formats []int16) *resultWriter {
	return &resultWriter{c: c, extended: extended, formats: formats, opts: encodeOpts{style: c.outputStyle()}}
}

func (r *resultWriter) ResultFormats() []int16 { return r.formats }

// format returns column i's format code.
func (r *resultWriter) format(i int) int16 {
	switch len(r.formats) {
	case 0:
		return pgproto3.TextFormat
	case 1:
		return r.formats[0]
	}
	if i < len(r.formats) {
		return r.formats[i]
	}
	return pgproto3.TextFormat
}

// sessionLocation takes the session's output settings for the
// statement's values: a SET earlier in the same Query applies to the
// statements after it, before ParameterStatus reports it.
func (r *resultWriter) sessionLocation() {
	r.opts.style = r.c.outputStyle()
}

func (r *resultWriter) Describe(schema *arrow.Schema) error {
	r.sessionLocation()
	r.schema = schema
	if r.extended {
		return nil
	}
	return r.DescribeFields(FieldsOf(schema))
}

func (r *resultWriter) DescribeFields(fields []pgproto3.FieldDescription) error {
	r.sessionLocation()
	if r.extended {
		return nil
	}
	rd := pgproto3.RowDescription{Fields: fields}
	r.c.w.send(&rd)
	return r.c.w.err
}

// encoders binds one encoder per column of rec in the requested formats.
func (r *resultWriter) encoders(rec arrow.RecordBatch) ([]arrow.Array, []textEncoder, error) {
	ncols := int(rec.NumCols())
	cols := make([]arrow.Array, ncols)
	enc := make([]textEncoder, ncols)
	schema := rec.Schema()
	if r.schema != nil && r.schema.NumFields() == ncols {
		schema = r.schema
	}
	for i := range cols {
		cols[i] = rec.Column(i)
		t := fieldType(schema.Field(i))
		if r.format(i) == pgproto3.BinaryFormat {
			if enc[i] = binaryEncoderForType(cols[i], t); enc[i] == nil {
				return nil, nil, pgerr.New(pgerr.FeatureNotSupported, "binary output is not supported for column %q of type %s; ask for text", rec.ColumnName(i), cols[i].DataType())
			}
			continue
		}
		enc[i] = textEncoderForType(cols[i], t, r.opts)
	}
	return cols, enc, nil
}

func (r *resultWriter) Write(rec arrow.RecordBatch) error {
	cols, enc, err := r.encoders(rec)
	if err != nil {
		return err
	}
	if r.copy != nil {
		return r.copy.write(r.c.w, cols, enc, int(rec.NumRows()))
	}
	w := r.c.w
	nrows := int(rec.NumRows())
	for row := 0; row < nrows; row++ {
		start := w.begin('D')
		w.buf = binary.BigEndian.AppendUint16(w.buf, uint16(len(cols)))
		for i, a := range cols {
			if a.IsNull(row) {
				w.buf = binary.BigEndian.AppendUint32(w.buf, 0xFFFFFFFF)
				continue
			}
			lenAt := len(w.buf)
			w.buf = append(w.buf, 0, 0, 0, 0)
			w.buf = enc[i](w.buf, row)
			binary.BigEndian.PutUint32(w.buf[lenAt:], uint32(len(w.buf)-lenAt-4))
		}
		w.end(start)
		if len(w.buf) >= flushAt {
			if err := w.flush(); err != nil {
				return err
			}
		}
	}
	return w.err
}

func (r *resultWriter) WriteRow(values [][]byte) error {
	w := r.c.w
	start := w.begin('D')
	w.buf = binary.BigEndian.AppendUint16(w.buf, uint16(len(values)))
	for _, v := range values {
		if v == nil {
			w.buf = binary.BigEndian.AppendUint32(w.buf, 0xFFFFFFFF)
			continue
		}
		w.buf = binary.BigEndian.AppendUint32(w.buf, uint32(len(v)))
		w.buf = append(w.buf, v...)
	}
	w.end(start)
	return w.maybeFlush()
}

func (r *resultWriter) EmptyQuery() error {
	r.c.w.send(&pgproto3.EmptyQueryResponse{})
	return r.c.w.err
}

func (r *resultWriter) Complete(tag string) error {
	if r.copy != nil {
		r.copy.finish(r.c.w)
		r.copy = nil
	}
	w := r.c.w
	start := w.begin('C')
	w.buf = append(w.buf, tag...)
	w.buf = append(w.buf, 0)
	w.end(start)
	return w.maybeFlush()
}

func (r *resultWriter) Notice(n *pgerr.Error) error {
	r.c.notice(n)
	// Notices (sync progress) must reach the client while it waits.
	return r.c.w.flush()
}

func (r *resultWriter) ParameterStatus(name, value string) error {
	r.c.w.send(&pgproto3.ParameterStatus{Name: name, Value: value})
	return r.c.w.err
}

// padEncoder pads a character(n) value with spaces to n characters.
func padEncoder(enc textEncoder, n int) textEncoder {
	return func(dst []byte, i int) []byte {
		start := len(dst)
		dst = enc(dst, i)
		for k := utf8.RuneCount(dst[start:]); k < n; k++ {
			dst = append(dst, ' ')
		}
		return dst
	}
}

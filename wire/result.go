package wire

import (
	"encoding/binary"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/hotdata-dev/hotdata/internal/pgerr"
)

// resultWriter implements ResultWriter on a connection: RowDescription,
// then text-format DataRows encoded straight from Arrow arrays.
type resultWriter struct {
	c      *conn
	fields []fieldDesc
	opts   encodeOpts
}

var _ ResultWriter = (*resultWriter)(nil)

func (r *resultWriter) Describe(schema *arrow.Schema) error {
	fields, err := describe(schema)
	if err != nil {
		return err
	}
	r.fields = fields
	r.opts = encodeOpts{loc: time.UTC}
	rd := pgproto3.RowDescription{Fields: make([]pgproto3.FieldDescription, len(fields))}
	for i, f := range fields {
		rd.Fields[i] = pgproto3.FieldDescription{
			Name:         []byte(f.name),
			DataTypeOID:  f.typ.oid,
			DataTypeSize: f.typ.size,
			TypeModifier: f.typ.typmod,
			Format:       pgproto3.TextFormat,
		}
	}
	r.c.w.send(&rd)
	return r.c.w.err
}

func (r *resultWriter) Write(rec arrow.RecordBatch) error {
	ncols := int(rec.NumCols())
	if ncols != len(r.fields) {
		return pgerr.New(pgerr.InternalError, "internal error: batch has %d columns, the description %d", ncols, len(r.fields))
	}
	cols := make([]arrow.Array, ncols)
	enc := make([]textEncoder, ncols)
	for i := range cols {
		cols[i] = rec.Column(i)
		enc[i] = textEncoderFor(cols[i], r.opts)
	}
	w := r.c.w
	nrows := int(rec.NumRows())
	for row := 0; row < nrows; row++ {
		start := w.begin('D')
		w.buf = binary.BigEndian.AppendUint16(w.buf, uint16(ncols))
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

func (r *resultWriter) EmptyQuery() error {
	r.c.w.send(&pgproto3.EmptyQueryResponse{})
	return r.c.w.err
}

func (r *resultWriter) Complete(tag string) error {
	r.c.w.send(&pgproto3.CommandComplete{CommandTag: []byte(tag)})
	r.fields = nil
	return r.c.w.maybeFlush()
}

func (r *resultWriter) Notice(n *pgerr.Error) error {
	r.c.w.notice(n)
	return r.c.w.maybeFlush()
}

func (r *resultWriter) ParameterStatus(name, value string) error {
	r.c.w.send(&pgproto3.ParameterStatus{Name: name, Value: value})
	return r.c.w.err
}

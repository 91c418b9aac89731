package wire

import (
	"encoding/binary"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/jackc/pgx/v5/pgproto3"
)

// COPY … TO STDOUT ("COPY Operations" in the protocol chapter; formats as
// in the COPY command's documentation).

// binaryCopySignature starts a binary COPY stream: signature, flags, and
// header extension length.
var binaryCopySignature = []byte("PGCOPY\n\xff\r\n\x00\x00\x00\x00\x00\x00\x00\x00\x00")

type copyState struct {
	format CopyFormat
	ncols  int
	// signature: the binary header is still to be sent. PostgreSQL sends
	// it in the same CopyData message as the first row (or the trailer
	// when there are no rows), and clients such as psycopg parse it so.
	signature bool
}

func (r *resultWriter) CopyOut(format CopyFormat, header bool, schema *arrow.Schema) error {
	r.sessionLocation()
	r.schema = schema
	n := schema.NumFields()
	resp := pgproto3.CopyOutResponse{ColumnFormatCodes: make([]uint16, n)}
	if format == CopyBinary {
		resp.OverallFormat = 1
		for i := range resp.ColumnFormatCodes {
			resp.ColumnFormatCodes[i] = 1
		}
		r.formats = []int16{pgproto3.BinaryFormat}
	} else {
		r.formats = nil
	}
	w := r.c.w
	w.send(&resp)
	r.copy = &copyState{format: format, ncols: n, signature: format == CopyBinary}
	switch {
	case format == CopyBinary:
	case header:
		line := make([]byte, 0, 64)
		for i, f := range schema.Fields() {
			if i > 0 {
				line = append(line, r.copy.delimiter())
			}
			if format == CopyCSV {
				line = appendCSV(line, []byte(f.Name))
			} else {
				line = appendCopyText(line, []byte(f.Name))
			}
		}
		w.send(&pgproto3.CopyData{Data: append(line, '\n')})
	}
	return w.err
}

func (s *copyState) delimiter() byte {
	if s.format == CopyCSV {
		return ','
	}
	return '\t'
}

// write sends each row as one CopyData message.
func (s *copyState) write(w *writer, cols []arrow.Array, enc []textEncoder, nrows int) error {
	var scratch []byte
	for row := 0; row < nrows; row++ {
		start := w.begin('d')
		if s.format == CopyBinary {
			if s.signature {
				w.buf = append(w.buf, binaryCopySignature...)
				s.signature = false
			}
			w.buf = binary.BigEndian.AppendUint16(w.buf, uint16(len(cols)))
		}
		for i, a := range cols {
			if s.format == CopyBinary {
				if a.IsNull(row) {
					w.buf = binary.BigEndian.AppendUint32(w.buf, 0xFFFFFFFF)
					continue
				}
				at := len(w.buf)
				w.buf = append(w.buf, 0, 0, 0, 0)
				w.buf = enc[i](w.buf, row)
				binary.BigEndian.PutUint32(w.buf[at:], uint32(len(w.buf)-at-4))
				continue
			}
			if i > 0 {
				w.buf = append(w.buf, s.delimiter())
			}
			if a.IsNull(row) {
				if s.format == CopyText {
					w.buf = append(w.buf, '\\', 'N')
				}
				continue
			}
			scratch = enc[i](scratch[:0], row)
			if s.format == CopyCSV {
				w.buf = appendCSV(w.buf, scratch)
			} else {
				w.buf = appendCopyText(w.buf, scratch)
			}
		}
		if s.format != CopyBinary {
			w.buf = append(w.buf, '\n')
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

func (s *copyState) finish(w *writer) {
	if s.format == CopyBinary {
		var data []byte
		if s.signature {
			data = append(data, binaryCopySignature...)
		}
		w.send(&pgproto3.CopyData{Data: append(data, 0xff, 0xff)})
	}
	w.send(&pgproto3.CopyDone{})
}

// appendCopyText escapes a value for COPY's text format.
func appendCopyText(dst, v []byte) []byte {
	for _, c := range v {
		switch c {
		case '\\':
			dst = append(dst, '\\', '\\')
		case '\t':
			dst = append(dst, '\\', 't')
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

// appendCSV quotes a value for COPY's CSV format when it must: empty
// strings (so they differ from NULL), and values holding the delimiter,
// a quote or a line break.
func appendCSV(dst, v []byte) []byte {
	needs := len(v) == 0
	for _, c := range v {
		if c == ',' || c == '"' || c == '\n' || c == '\r' {
			needs = true
			break
		}
	}
	if !needs {
		return append(dst, v...)
	}
	dst = append(dst, '"')
	for _, c := range v {
		if c == '"' {
			dst = append(dst, '"')
		}
		dst = append(dst, c)
	}
	return append(dst, '"')
}

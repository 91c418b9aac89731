package difftest

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// Column is what a RowDescription says of one result column that a
// client depends on. (Table OID and attribute number differ by design:
// Hotdata's tables are not the upstream's.)
type Column struct {
	Name    string `json:"name"`
	TypeOID uint32 `json:"type_oid"`
	Typmod  int32  `json:"typmod"`
	// Format is the format code the values come in (0 text, 1 binary):
	// what the client asked for, or the client misreads them.
	Format int16 `json:"format"`
}

// Outcome is everything a statement answered on one connection.
type Outcome struct {
	Columns []Column
	// Rows hold the values as sent (text or binary); nil is NULL.
	Rows [][][]byte
	Tag  string
	// Err is the ErrorResponse, if the statement failed.
	Err *pgconn.PgError
	// Failure is a client-side problem (timeout, lost connection): the
	// statement has no answer to compare.
	Failure string
}

// Format is how result values travel.
type Format int16

const (
	// Text is the simple query protocol, values in text.
	Text Format = 0
	// Binary is the extended protocol with every result column in binary.
	Binary Format = 1
)

func (f Format) String() string {
	if f == Binary {
		return "binary"
	}
	return "text"
}

// StatementTimeout bounds one statement on any connection.
const StatementTimeout = 10 * time.Second

// Run executes sql on conn in the given format.
func Run(ctx context.Context, conn *pgconn.PgConn, sql string, f Format) Outcome {
	ctx, cancel := context.WithTimeout(ctx, StatementTimeout)
	defer cancel()
	var rr *pgconn.ResultReader
	if f == Binary {
		rr = conn.ExecParams(ctx, sql, nil, nil, nil, []int16{1})
		return read(rr, nil)
	}
	mrr := conn.Exec(ctx, sql)
	var out Outcome
	n := 0
	for mrr.NextResult() {
		n++
		if n == 1 {
			out = read(mrr.ResultReader(), nil)
		} else {
			_ = read(mrr.ResultReader(), nil)
		}
	}
	if err := mrr.Close(); err != nil && out.Err == nil && out.Failure == "" {
		classifyErr(&out, err)
	}
	if n > 1 && out.Failure == "" {
		out.Failure = fmt.Sprintf("%d results for one statement", n)
	}
	return out
}

func read(rr *pgconn.ResultReader, _ []int16) Outcome {
	var out Outcome
	described := false
	describe := func() {
		if described {
			return
		}
		fds := rr.FieldDescriptions()
		if fds == nil {
			return
		}
		described = true
		out.Columns = make([]Column, len(fds))
		for i, fd := range fds {
			out.Columns[i] = Column{Name: fd.Name, TypeOID: fd.DataTypeOID, Typmod: fd.TypeModifier, Format: fd.Format}
		}
	}
	for rr.NextRow() {
		describe()
		vals := rr.Values()
		row := make([][]byte, len(vals))
		for i, v := range vals {
			if v != nil {
				row[i] = append(make([]byte, 0, len(v)), v...)
			}
		}
		out.Rows = append(out.Rows, row)
	}
	describe()
	tag, err := rr.Close()
	out.Tag = tag.String()
	if err != nil {
		classifyErr(&out, err)
	}
	return out
}

func classifyErr(out *Outcome, err error) {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		out.Err = pe
		return
	}
	out.Failure = err.Error()
}

package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hotdata-dev/hotdata/connectors"
)

// Batch bounds: a batch ends at whichever comes first. The time bound
// keeps progress visible (and rows flowing to the writer) when the
// upstream sends slowly.
const (
	defaultBatchRows  = 65536
	defaultBatchBytes = 32 << 20
	maxBatchWait      = time.Second
)

// columnsSQL reads a table's columns as they are now, with each domain's
// base type so that values decode like the base type.
const columnsSQL = `
SELECT a.attname, format_type(a.atttypid, a.atttypmod),
       CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE a.atttypid END,
       CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE a.atttypmod END,
       COALESCE(bt.typtype, t.typtype) = 'e',
       NOT a.attnotnull,
       CASE WHEN COALESCE(bt.typcategory, t.typcategory) = 'A' THEN COALESCE(bt.typelem, t.typelem) ELSE 0 END,
       COALESCE(et.typtype = 'e', false),
       a.atttypid
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_catalog.pg_type bt ON t.typtype = 'd' AND bt.oid = t.typbasetype
LEFT JOIN pg_catalog.pg_type et ON et.oid = CASE WHEN COALESCE(bt.typcategory, t.typcategory) = 'A' THEN COALESCE(bt.typelem, t.typelem) END
WHERE a.attrelid = (quote_ident($1) || '.' || quote_ident($2))::regclass
  AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum`

// Scan streams the table in binary format, decoding into Arrow builders.
func (c *Connector) Scan(ctx context.Context, req connectors.ScanRequest) (connectors.Scan, error) {
	conn, err := c.pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("scan %s.%s: %w", req.Schema, req.Table, err)
	}
	s, err := startScan(ctx, conn, req)
	if err != nil {
		conn.Release()
		return nil, fmt.Errorf("scan %s.%s: %w", req.Schema, req.Table, err)
	}
	return s, nil
}

// querier is a pool or one of its connections.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

func readColumns(ctx context.Context, conn querier, schema, table string) ([]column, error) {
	rows, err := conn.Query(ctx, columnsSQL, schema, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cols []column
	for rows.Next() {
		var c column
		if err := rows.Scan(&c.name, &c.typeName, &c.baseOID, &c.typmod, &c.isEnum, &c.nullable, &c.elemOID, &c.elemEnum, &c.typeOID); err != nil {
			return nil, err
		}
		cols = append(cols, c)
	}
	return cols, rows.Err()
}

func startScan(ctx context.Context, conn *pgxpool.Conn, req connectors.ScanRequest) (*scan, error) {
	s, q, err := planScan(ctx, conn, req)
	if err != nil {
		return nil, err
	}
	s.conn = conn
	if req.Snapshot != "" {
		// A snapshot exported by a replication slot: the transaction is
		// left open, and the pool discards the connection at release.
		if _, err := conn.Exec(ctx, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"); err != nil {
			s.rb.Release()
			return nil, err
		}
		if _, err := conn.Exec(ctx, "SET TRANSACTION SNAPSHOT "+quoteLiteral(req.Snapshot)); err != nil {
			s.rb.Release()
			_, _ = conn.Exec(context.WithoutCancel(ctx), "ROLLBACK")
			return nil, err
		}
	}
	// One statement reads one consistent snapshot of the table.
	if err := s.run(ctx, conn, q); err != nil {
		s.rb.Release()
		return nil, err
	}
	return s, nil
}

// scanQuery is a planned scan's statement.
type scanQuery struct {
	// list is the select list, from the FROM clause on: the statement
	// is SELECT list from.
	list, from string
	args       []any
	formats    pgx.QueryResultFormats
}

// planScan reads the table's columns (through q) and plans the scan's
// statement and decoders; the scan runs with run.
func planScan(ctx context.Context, q querier, req connectors.ScanRequest) (*scan, scanQuery, error) {
	current, err := readColumns(ctx, q, req.Schema, req.Table)
	if err != nil {
		return nil, scanQuery{}, err
	}
	if len(current) == 0 {
		return nil, scanQuery{}, fmt.Errorf("table %s.%s has no readable columns", req.Schema, req.Table)
	}
	cols := current
	if len(req.Columns) > 0 {
		byName := map[string]column{}
		for _, c := range current {
			byName[c.name] = c
		}
		cols = cols[:0:0]
		for _, want := range req.Columns {
			c, ok := byName[want.Name]
			if !ok {
				return nil, scanQuery{}, fmt.Errorf("column %q no longer exists upstream", want.Name)
			}
			cols = append(cols, c)
		}
	}
	s := &scan{batchRows: req.BatchRows}
	if s.batchRows <= 0 {
		s.batchRows = defaultBatchRows
	}
	s.refs.Store(1)
	exprs := make([]string, len(cols))
	fields := make([]arrow.Field, len(cols))
	plans := make([]plan, len(cols))
	for i, c := range cols {
		if reason, ok := req.AsText[c.name]; ok {
			plans[i] = textPlan(c, reason)
		} else {
			plans[i] = planColumn(c)
		}
		exprs[i] = plans[i].expr
		fields[i] = plans[i].field
		if plans[i].warning != "" {
			s.warnings = append(s.warnings, plans[i].warning)
		}
	}
	s.schema = arrow.NewSchema(fields, nil)
	s.plans = plans
	s.names = make([]string, len(cols))
	for i := range cols {
		s.names[i] = cols[i].name
	}
	sq := scanQuery{formats: make(pgx.QueryResultFormats, len(cols))}
	for i := range sq.formats {
		sq.formats[i] = pgx.BinaryFormatCode
		if plans[i].text {
			sq.formats[i] = pgx.TextFormatCode
		}
	}
	sq.list = strings.Join(exprs, ", ")
	sq.from = " FROM " + quoteIdent(req.Schema) + "." + quoteIdent(req.Table)
	where, args, err := filterSQL(req.Filter, current)
	if err != nil {
		return nil, scanQuery{}, err
	}
	sq.from += where
	sq.args = args
	s.builders()
	return s, sq, nil
}

// builders makes the scan's record builder and decoders.
func (s *scan) builders() {
	s.rb = array.NewRecordBuilder(memory.DefaultAllocator, s.schema)
	s.decoders = make([]decodeFunc, len(s.plans))
	for i := range s.plans {
		s.decoders[i] = s.plans[i].decoder(s.rb.Field(i))
	}
}

// run starts the scan's statement on conn.
func (s *scan) run(ctx context.Context, conn querier, q scanQuery) error {
	rows, err := conn.Query(ctx, "SELECT "+q.list+q.from, append([]any{q.formats}, q.args...)...)
	if err != nil {
		return err
	}
	s.rows = rows
	return nil
}

// scan implements connectors.Scan over a pgx result.
type scan struct {
	refs     atomic.Int64
	conn     *pgxpool.Conn
	rows     pgx.Rows
	schema   *arrow.Schema
	rb       *array.RecordBuilder
	decoders []decodeFunc
	plans    []plan
	names    []string
	// borrowed: conn belongs to a part reader, which ends its transaction
	// and releases it (see parts.go).
	borrowed bool
	// parts, when set, takes each row's ctid and xmin, read after its
	// columns (a run of parts, parts.go); pending: the row last fetched
	// starts the next batch.
	parts     *partRun
	pending   bool
	batchRows int
	cur       arrow.RecordBatch
	err       error
	done      bool
	warnings  []string
}

func (s *scan) Schema() *arrow.Schema          { return s.schema }
func (s *scan) RecordBatch() arrow.RecordBatch { return s.cur }
func (s *scan) Record() arrow.RecordBatch      { return s.cur }
func (s *scan) Err() error                     { return s.err }
func (s *scan) Retain()                        { s.refs.Add(1) }

func (s *scan) Warnings() []string { return append([]string(nil), s.warnings...) }

func (s *scan) Release() {
	if s.refs.Add(-1) != 0 {
		return
	}
	if s.cur != nil {
		s.cur.Release()
		s.cur = nil
	}
	s.close()
}

func (s *scan) close() {
	if s.rows != nil && !s.done && s.conn != nil {
		// Stopped early (an error, a value that needs text, the caller
		// gave up): closing the rows would read the rest of the table.
		// Close the connection instead; the pool discards it. (A cancel
		// request could reach the connection's next query.)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_ = s.conn.Conn().PgConn().Close(ctx)
		cancel()
	}
	if s.rows != nil {
		s.rows.Close()
		s.rows = nil
	}
	if s.rb != nil {
		s.rb.Release()
		s.rb = nil
	}
	if s.conn != nil {
		if !s.borrowed {
			s.conn.Release()
		}
		s.conn = nil
	}
}

func (s *scan) Next() bool {
	if s.cur != nil {
		s.cur.Release()
		s.cur = nil
	}
	if s.done || s.err != nil {
		return false
	}
	n, bytes := 0, 0
	start := time.Now()
	for n < s.batchRows && bytes < defaultBatchBytes {
		if n%256 == 255 && time.Since(start) >= maxBatchWait {
			break
		}
		if !s.pending && !s.rows.Next() {
			s.done = true
			if err := s.rows.Err(); err != nil {
				s.err = err
				return false
			}
			break
		}
		s.pending = false
		raw := s.rows.RawValues()
		if s.parts != nil {
			// The row's ctid and xmin, after its columns (parts.go): a
			// batch holds rows of one part.
			nd := len(s.decoders)
			k, err := s.parts.partOf(raw[nd])
			if err != nil {
				s.err = err
				return false
			}
			if n > 0 && k != s.parts.cur {
				s.pending = true // the next batch's first row
				break
			}
			s.parts.cur = k
			if err := s.parts.prints[k].add(raw[nd], raw[nd+1]); err != nil {
				s.err = err
				return false
			}
			raw = raw[:nd]
		}
		for i, v := range raw {
			if v == nil {
				s.rb.Field(i).AppendNull()
				continue
			}
			bytes += len(v)
			if err := s.decoders[i](v); err != nil {
				// The builders are left mid-row: the scan is over.
				var u *unheldError
				switch {
				case errors.Is(err, errNumericSpecial):
					s.err = &connectors.NeedsTextError{Column: s.names[i]}
				case errors.As(err, &u):
					s.err = &connectors.NeedsTextError{Column: s.names[i], Reason: u.reason}
				default:
					s.err = fmt.Errorf("column %s: %w", s.names[i], err)
				}
				return false
			}
		}
		n++
	}
	if s.done {
		// Free the upstream connection as soon as the last row is read.
		s.rows.Close()
		if !s.borrowed {
			s.conn.Release()
		}
		s.rows, s.conn = nil, nil
	}
	if n == 0 {
		return false
	}
	s.cur = s.rb.NewRecordBatch()
	return true
}

// filterSQL renders predicates as a WHERE clause with text parameters
// cast to each column's type, so that PostgreSQL compares values as the
// column's type whatever Go type they came in.
func filterSQL(preds []connectors.Predicate, cols []column) (string, []any, error) {
	if len(preds) == 0 {
		return "", nil, nil
	}
	byName := map[string]column{}
	for _, c := range cols {
		byName[c.name] = c
	}
	var conds []string
	var args []any
	for _, p := range preds {
		c, ok := byName[p.Column]
		if !ok {
			return "", nil, fmt.Errorf("filter: no column %q", p.Column)
		}
		if !connectors.ValidOp(p.Op) {
			return "", nil, fmt.Errorf("filter: operator %q is not supported", p.Op)
		}
		text, err := connectors.ValueText(p.Value)
		if err != nil {
			return "", nil, fmt.Errorf("filter on %s: %w", p.Column, err)
		}
		args = append(args, text)
		conds = append(conds, fmt.Sprintf("%s %s CAST($%d::text AS %s)", quoteIdent(c.name), p.Op, len(args), c.typeName))
	}
	return " WHERE " + strings.Join(conds, " AND "), args, nil
}

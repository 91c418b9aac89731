package files

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/hotdata-dev/hotdata/connectors"
	"github.com/hotdata-dev/hotdata/engine"
)

// DefaultBatchRows is the batch size when the request leaves it at 0.
const DefaultBatchRows = 65536

// Scan streams a file's rows: DuckDB reads it, projection and filters
// pushed into the statement, and each of its batches is converted to the
// served types and regrouped into batches of req.BatchRows.
func (c *Connector) Scan(ctx context.Context, req connectors.ScanRequest) (connectors.Scan, error) {
	f, ok := c.file(req.Schema, req.Table)
	if !ok {
		return nil, fmt.Errorf("files: no table %s.%s", req.Schema, req.Table)
	}
	r, err := c.prepare(ctx, f)
	if err != nil {
		return nil, err
	}
	src := r.source(recordRejects)
	all, err := c.describe(ctx, r, recordRejects)
	if err != nil {
		return nil, err
	}
	cols, err := project(all, req.Columns)
	if err != nil {
		return nil, fmt.Errorf("files: scan %s: %w", f.Table, err)
	}
	where, args, err := filterSQL(req.Filter, all)
	if err != nil {
		return nil, fmt.Errorf("files: scan %s: %w", f.Table, err)
	}
	// The inner select serves every column under its own name; the outer
	// one projects and filters on served values. DuckDB prunes the
	// columns neither uses and pushes filters into the reader when it can.
	inner := make([]string, len(all))
	for i, col := range all {
		inner[i] = col.expr + " AS " + engine.QuoteIdent(col.name)
	}
	outer := make([]string, len(cols))
	for i, col := range cols {
		outer[i] = engine.QuoteIdent(col.name)
	}
	sql := "SELECT " + strings.Join(outer, ", ") + " FROM (SELECT " + strings.Join(inner, ", ") + " FROM " + src + ") AS t" + where

	batch := req.BatchRows
	if batch <= 0 {
		batch = DefaultBatchRows
	}
	s := &scan{ctx: ctx, batch: int64(batch), mem: memory.DefaultAllocator,
		schema: arrow.NewSchema(fields(cols), nil),
		fail:   func(err error) error { return c.fail(ctx, r, err) }}
	s.refs.Store(1)
	for _, col := range cols {
		if col.warning != "" {
			s.warnings = append(s.warnings, col.warning)
		}
	}
	if err := s.start(c.eng, f, sql, args); err != nil {
		s.Release()
		return nil, err
	}
	return s, nil
}

// project picks the requested columns in the requested order.
func project(all []columnPlan, want []connectors.Column) ([]columnPlan, error) {
	if len(want) == 0 {
		return all, nil
	}
	byName := map[string]columnPlan{}
	for _, c := range all {
		byName[c.name] = c
	}
	out := make([]columnPlan, len(want))
	for i, w := range want {
		c, ok := byName[w.Name]
		if !ok {
			return nil, fmt.Errorf("no column %q", w.Name)
		}
		out[i] = c
	}
	return out, nil
}

// scan is a running file scan; it implements connectors.Scan.
type scan struct {
	ctx    context.Context
	schema *arrow.Schema
	batch  int64
	mem    memory.Allocator
	fail   func(error) error // describes a read error

	// The DuckDB side, held until the result is exhausted.
	conn  *engine.Conn
	stmt  *engine.Stmt
	rows  *engine.Rows
	convs []convertFunc
	file  File
	// rejectsAfter is the newest rejects scan id before this scan, -1
	// when the file does not skip bad rows.
	rejectsAfter int64

	pending     []arrow.RecordBatch // converted, not yet handed out
	pendingRows int64
	cur         arrow.RecordBatch
	err         error
	done        bool
	warnings    []string
	refs        atomic.Int64
}

var _ connectors.Scan = (*scan)(nil)

func (s *scan) start(eng *engine.Engine, f File, sql string, args []any) error {
	conn, err := eng.Conn(s.ctx)
	if err != nil {
		return fmt.Errorf("files: %w", err)
	}
	s.conn, s.file, s.rejectsAfter = conn, f, -1
	if f.SkipBadRows {
		if s.rejectsAfter, err = lastRejectScan(s.ctx, conn); err != nil {
			return fmt.Errorf("files: %s: rejected rows: %w", f.Path, err)
		}
	}
	if s.stmt, err = conn.Prepare(s.ctx, sql); err != nil {
		return s.fail(err)
	}
	if s.rows, err = s.stmt.Query(s.ctx, args); err != nil {
		return s.fail(err)
	}
	got := s.rows.Schema()
	if got.NumFields() != s.schema.NumFields() {
		return fmt.Errorf("files: %s: DuckDB returned %d columns, expected %d", f.Path, got.NumFields(), s.schema.NumFields())
	}
	s.convs = make([]convertFunc, got.NumFields())
	for i := range s.convs {
		if s.convs[i], err = converter(got.Field(i).Type, s.schema.Field(i).Type, s.mem); err != nil {
			return fmt.Errorf("files: %s column %s: %w", f.Path, s.schema.Field(i).Name, err)
		}
	}
	return nil
}

func (s *scan) Schema() *arrow.Schema          { return s.schema }
func (s *scan) RecordBatch() arrow.RecordBatch { return s.cur }
func (s *scan) Record() arrow.RecordBatch      { return s.cur }
func (s *scan) Err() error                     { return s.err }
func (s *scan) Retain()                        { s.refs.Add(1) }

// Warnings names the columns served lossily or as text and, once the
// scan is over, the bad rows it skipped.
func (s *scan) Warnings() []string { return append([]string(nil), s.warnings...) }

// Next hands out the next batch of up to batch rows.
func (s *scan) Next() bool {
	if s.cur != nil {
		s.cur.Release()
		s.cur = nil
	}
	if s.err != nil {
		return false
	}
	if err := s.ctx.Err(); err != nil {
		s.stop(fmt.Errorf("files: scan %s: %w", s.file.Path, err))
		return false
	}
	for !s.done && s.pendingRows < s.batch {
		if !s.rows.Next() {
			if err := s.rows.Err(); err != nil {
				s.stop(s.fail(err))
				return false
			}
			s.finish()
			break
		}
		rec, err := s.convert(s.rows.RecordBatch())
		if err != nil {
			s.stop(fmt.Errorf("files: %s: %w", s.file.Path, err))
			return false
		}
		if rec.NumRows() == 0 {
			rec.Release()
			continue
		}
		s.pending = append(s.pending, rec)
		s.pendingRows += rec.NumRows()
	}
	if s.pendingRows == 0 {
		return false
	}
	cur, err := s.take(min(s.batch, s.pendingRows))
	if err != nil {
		s.stop(fmt.Errorf("files: %s: %w", s.file.Path, err))
		return false
	}
	s.cur = cur
	return true
}

// convert copies one DuckDB batch into Go memory as the served types.
func (s *scan) convert(in arrow.RecordBatch) (arrow.RecordBatch, error) {
	cols := make([]arrow.Array, len(s.convs))
	defer func() {
		for _, c := range cols {
			if c != nil {
				c.Release()
			}
		}
	}()
	for i, conv := range s.convs {
		c, err := conv(in.Column(i))
		if err != nil {
			return nil, fmt.Errorf("column %s: %w", s.schema.Field(i).Name, err)
		}
		cols[i] = c
	}
	return array.NewRecordBatch(s.schema, cols, in.NumRows()), nil
}

// take removes the first n pending rows and returns them as one batch.
func (s *scan) take(n int64) (arrow.RecordBatch, error) {
	var parts []arrow.RecordBatch
	for need := n; need > 0; {
		r := s.pending[0]
		if r.NumRows() <= need {
			parts = append(parts, r)
			s.pending = s.pending[1:]
			need -= r.NumRows()
			continue
		}
		parts = append(parts, r.NewSlice(0, need))
		s.pending[0] = r.NewSlice(need, r.NumRows())
		r.Release()
		need = 0
	}
	s.pendingRows -= n
	if len(parts) == 1 {
		return parts[0], nil
	}
	defer func() {
		for _, p := range parts {
			p.Release()
		}
	}()
	cols := make([]arrow.Array, s.schema.NumFields())
	defer func() {
		for _, c := range cols {
			if c != nil {
				c.Release()
			}
		}
	}()
	for j := range cols {
		arrs := make([]arrow.Array, len(parts))
		for k, p := range parts {
			arrs[k] = p.Column(j)
		}
		c, err := array.Concatenate(arrs, s.mem)
		if err != nil {
			return nil, err
		}
		cols[j] = c
	}
	return array.NewRecordBatch(s.schema, cols, n), nil
}

// finish ends a scan whose result is exhausted: it frees the statement,
// counts skipped rows, and gives the connection back.
func (s *scan) finish() {
	s.done = true
	s.rows.Release()
	s.rows = nil
	s.stmt.Close()
	s.stmt = nil
	if s.rejectsAfter >= 0 {
		w, err := skippedRows(s.ctx, s.conn, s.file, s.rejectsAfter)
		if err != nil {
			w = fmt.Sprintf("%s: bad rows were skipped but could not be counted: %v", s.file.Path, err)
		}
		if w != "" {
			s.warnings = append(s.warnings, w)
		}
	}
	s.conn.Release()
	s.conn = nil
}

// stop ends the scan with an error, freeing everything at once.
func (s *scan) stop(err error) {
	s.err = err
	s.done = true
	s.close()
}

// close frees what the scan still holds.
func (s *scan) close() {
	for _, r := range s.pending {
		r.Release()
	}
	s.pending, s.pendingRows = nil, 0
	if s.rows != nil {
		s.rows.Release()
		s.rows = nil
	}
	if s.stmt != nil {
		s.stmt.Close()
		s.stmt = nil
	}
	if s.conn != nil {
		s.conn.Release()
		s.conn = nil
	}
}

// Release frees the scan when the last reference goes.
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

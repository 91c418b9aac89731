package snowflake

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	sf "github.com/snowflakedb/gosnowflake"

	"github.com/hotdata-dev/hotdata/connectors"
)

// Batch bounds: a batch ends at whichever comes first. The time bound
// keeps progress visible when the upstream sends slowly.
const (
	defaultBatchRows  = 65536
	defaultBatchBytes = 32 << 20
	maxBatchWait      = time.Second
)

// Scan reads a table with one SELECT. Snowflake's Arrow results are
// read batch by batch, as the driver downloads their chunks; a JSON
// result (the emulator's) arrives as text, which the decoders parse.
func (c *Connector) Scan(ctx context.Context, req connectors.ScanRequest) (connectors.Scan, error) {
	if req.Schema == "" {
		req.Schema = c.cfg.defaultSchema()
	}
	s, err := c.startScan(ctx, req)
	if err != nil {
		if ctx.Err() != nil && !errors.Is(err, ctx.Err()) {
			err = fmt.Errorf("%w (%v)", ctx.Err(), err)
		}
		return nil, fmt.Errorf("scan %s.%s: %w", req.Schema, req.Table, err)
	}
	return s, nil
}

// openTable opens a session and reads a table's columns; the caller
// closes conn.
func (c *Connector) openTable(ctx context.Context, schema, table string) (*sql.Conn, dialect, []column, error) {
	conn, d, err := c.session(ctx)
	if err != nil {
		return nil, d, nil, err
	}
	all, err := readColumns(ctx, conn, d, []string{schema}, table)
	if err == nil && len(all[tableKey{schema, table}]) == 0 {
		err = errors.New("no such table or view, or none of its columns is visible to the role")
	}
	if err != nil {
		conn.Close()
		return nil, d, nil, err
	}
	return conn, d, all[tableKey{schema, table}], nil
}

func (c *Connector) startScan(ctx context.Context, req connectors.ScanRequest) (*scan, error) {
	conn, d, current, err := c.openTable(ctx, req.Schema, req.Table)
	if err != nil {
		return nil, err
	}
	started := false
	defer func() {
		if !started {
			conn.Close()
		}
	}()
	cols := current
	if len(req.Columns) > 0 {
		cols = make([]column, 0, len(req.Columns))
		for _, want := range req.Columns {
			col, ok := findColumn(current, want.Name)
			if !ok {
				return nil, fmt.Errorf("column %q no longer exists upstream", want.Name)
			}
			cols = append(cols, col)
		}
	}
	where, err := filterSQL(req.Filter, current, d)
	if err != nil {
		return nil, err
	}
	if c.cfg.MaxBytesPerSync > 0 && len(req.Filter) == 0 {
		if err := c.checkCost(ctx, conn, d, req.Schema, req.Table); err != nil {
			return nil, err
		}
	}

	plans := make([]plan, len(cols))
	exprs := make([]string, len(cols))
	for i, col := range cols {
		if reason, ok := req.AsText[col.name]; ok {
			plans[i] = textPlan(col, reason, d)
		} else {
			plans[i] = planColumn(col, d)
		}
		exprs[i] = plans[i].expr
	}
	q := "SELECT " + strings.Join(exprs, ", ") + " FROM " + quoteIdent(req.Schema) + "." + quoteIdent(req.Table) + where
	s, err := c.startQuery(ctx, conn, d, req.Schema+"."+req.Table, plans, q, req.BatchRows)
	if err != nil {
		return nil, err
	}
	started = true
	return s, nil
}

// startQuery runs q, whose result columns are plans', on conn (which the
// scan then owns).
func (c *Connector) startQuery(ctx context.Context, conn *sql.Conn, d dialect, table string, plans []plan, q string, batchRows int) (*scan, error) {
	s := &scan{ctx: ctx, conn: conn, dialect: d, table: table, batchRows: batchRows, plans: plans}
	if s.batchRows <= 0 {
		s.batchRows = defaultBatchRows
	}
	s.refs.Store(1)
	s.bytesScanned.Store(-1)
	fields := make([]arrow.Field, len(plans))
	for i, p := range plans {
		fields[i] = p.field
		if p.warning != "" {
			s.warnings = append(s.warnings, p.warning)
		}
	}
	s.schema = arrow.NewSchema(fields, nil)
	s.rb = array.NewRecordBuilder(memory.DefaultAllocator, s.schema)
	ids := make(chan string, 1)
	qctx := sf.WithQueryIDChan(ctx, ids)
	var err error
	if d.arrow {
		err = s.startArrow(qctx, q)
	} else {
		err = s.startText(qctx, q)
	}
	select {
	case s.queryID = <-ids:
	default:
	}
	if err != nil {
		s.rb.Release()
		if isNonArrow(err) {
			c.forgetDialect()
			err = errors.New("the server sent JSON rows where it sent Arrow before: retry the scan")
		}
		return nil, err
	}
	return s, nil
}

// forgetDialect makes the next scan learn the server's dialect again.
func (c *Connector) forgetDialect() {
	c.mu.Lock()
	c.dialect = nil
	c.mu.Unlock()
}

// scan implements connectors.Scan and connectors.MeteredScan.
type scan struct {
	refs      atomic.Int64
	ctx       context.Context // the caller's
	table     string          // "schema.table", for errors
	conn      *sql.Conn
	dialect   dialect
	queryID   string
	schema    *arrow.Schema
	rb        *array.RecordBuilder
	plans     []plan
	batchRows int
	cur       arrow.RecordBatch
	err       error
	done      bool
	warnings  []string
	// bytesScanned is what Snowflake's query history says the query
	// read, once the scan is over (-1: unknown).
	bytesScanned atomic.Int64

	// A JSON result: rows of tagged text (see nullTag).
	rows     *sql.Rows
	vals     []sql.NullString
	dest     []any
	decoders []textDecoder

	// An Arrow result: the driver's batches, each fetched when reached.
	drows      driver.Rows
	batches    []*sf.ArrowBatch
	next       int                 // the batch to fetch next
	recs       []arrow.RecordBatch // the fetched batch's records
	rec        int                 // the record being read
	row        int                 // the next row of it
	converters []arrowConverter
}

var (
	_ connectors.Scan        = (*scan)(nil)
	_ connectors.MeteredScan = (*scan)(nil)
)

func (s *scan) Schema() *arrow.Schema          { return s.schema }
func (s *scan) RecordBatch() arrow.RecordBatch { return s.cur }
func (s *scan) Record() arrow.RecordBatch      { return s.cur }
func (s *scan) Err() error                     { return s.err }
func (s *scan) Retain()                        { s.refs.Add(1) }

// Warnings lists the columns read as text.
func (s *scan) Warnings() []string { return append([]string(nil), s.warnings...) }

// BytesScanned is the query's BYTES_SCANNED from Snowflake's query
// history, known once every row is read; -1 before, or when the server
// did not say (the emulator never does).
func (s *scan) BytesScanned() int64 { return s.bytesScanned.Load() }

func (s *scan) Release() {
	if s.refs.Add(-1) != 0 {
		return
	}
	if s.cur != nil {
		s.cur.Release()
		s.cur = nil
	}
	s.close()
	if s.rb != nil {
		s.rb.Release()
		s.rb = nil
	}
}

// close ends the query and hands the session back to the pool.
func (s *scan) close() {
	for i := s.rec; i < len(s.recs); i++ {
		s.recs[i].Release()
	}
	s.recs, s.rec, s.batches = nil, 0, nil
	if s.rows != nil {
		s.rows.Close()
		s.rows = nil
	}
	if s.drows != nil {
		s.drows.Close()
		s.drows = nil
	}
	if s.conn != nil {
		s.conn.Close()
		s.conn = nil
	}
}

func (s *scan) fail(err error) bool {
	var u *unheldError
	if errors.As(err, &u) {
		err = &connectors.NeedsTextError{Column: u.column, Reason: u.reason}
	}
	s.err = fmt.Errorf("scan %s: %w", s.table, err)
	s.close()
	return false
}

func (s *scan) Next() bool {
	if s.cur != nil {
		s.cur.Release()
		s.cur = nil
	}
	if s.done || s.err != nil || s.conn == nil {
		return false
	}
	if err := s.ctx.Err(); err != nil {
		return s.fail(err)
	}
	var n int
	var err error
	if s.rows != nil {
		n, err = s.readText()
	} else {
		n, err = s.readArrow()
	}
	if err != nil {
		if s.ctx.Err() != nil {
			err = s.ctx.Err()
		}
		return s.fail(err)
	}
	if s.done {
		s.finish()
	}
	if n == 0 {
		return false
	}
	s.cur = s.rb.NewRecordBatch()
	return true
}

// finish ends a scan that read every row: it asks the query history
// what the query read, then frees the session.
func (s *scan) finish() {
	s.bytesScanned.Store(queryBytes(s.ctx, s.conn, s.dialect, s.queryID))
	s.close()
}

// startText runs the query for a JSON result.
func (s *scan) startText(ctx context.Context, q string) error {
	rows, err := s.conn.QueryContext(ctx, q)
	if err != nil {
		return err
	}
	s.rows = rows
	s.vals = make([]sql.NullString, len(s.plans))
	s.dest = make([]any, len(s.plans))
	s.decoders = make([]textDecoder, len(s.plans))
	for i := range s.plans {
		s.dest[i] = &s.vals[i]
		s.decoders[i] = newTextDecoder(s.plans[i], s.rb.Field(i))
	}
	return nil
}

// readText appends up to a batch of rows of a JSON result.
func (s *scan) readText() (int, error) {
	n, bytes := 0, 0
	start := time.Now()
	for n < s.batchRows && bytes < defaultBatchBytes {
		if n%256 == 255 && time.Since(start) >= maxBatchWait {
			break
		}
		if !s.rows.Next() {
			if err := s.rows.Err(); err != nil {
				return n, err
			}
			s.done = true
			break
		}
		if err := s.rows.Scan(s.dest...); err != nil {
			return n, err
		}
		for i, v := range s.vals {
			// NULL: JSON null from Snowflake, "" from the emulator.
			if !v.Valid || v.String == "" {
				s.rb.Field(i).AppendNull()
				continue
			}
			text, ok := strings.CutPrefix(v.String, nullTag)
			if !ok {
				return n, fmt.Errorf("column %s: the server sent %q without the tag its query adds", s.plans[i].col.name, truncate(v.String))
			}
			bytes += len(text)
			if err := s.decoders[i](text); err != nil {
				return n, columnError(s.plans[i].col.name, err)
			}
		}
		n++
	}
	return n, nil
}

// columnError names the column of a value the scan cannot read.
func columnError(name string, err error) error {
	var u *unheldError
	if errors.As(err, &u) {
		return &unheldError{column: name, reason: u.reason}
	}
	return fmt.Errorf("column %s: %w", name, err)
}

func truncate(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// startArrow runs the query for an Arrow result, on the driver's own
// connection: Arrow batches are the driver's API, not database/sql's.
// The rows outlive Raw's callback, as gosnowflake's documentation has
// them do; the scan holds the session (s.conn) until it closes them.
// NUMBERs come unscaled with their scale (WithHigherPrecision) and
// timestamps in Snowflake's own form (UseOriginalTimestamp), so that
// nothing is rounded before the converters see it.
func (s *scan) startArrow(ctx context.Context, q string) error {
	qctx := sf.WithArrowBatches(ctx)
	qctx = sf.WithHigherPrecision(qctx)
	qctx = sf.WithArrowBatchesTimestampOption(qctx, sf.UseOriginalTimestamp)
	qctx = sf.WithArrowAllocator(qctx, memory.DefaultAllocator)
	err := s.conn.Raw(func(dc any) error {
		qc, ok := dc.(driver.QueryerContext)
		if !ok {
			return errors.New("the driver's connection cannot run queries")
		}
		rows, err := qc.QueryContext(qctx, q, nil)
		if err != nil {
			return err
		}
		s.drows = rows
		sr, ok := rows.(sf.SnowflakeRows)
		if !ok {
			return errors.New("the driver's rows are not Snowflake's")
		}
		s.batches, err = sr.GetArrowBatches()
		return err
	})
	if err != nil {
		if s.drows != nil {
			s.drows.Close()
			s.drows = nil
		}
		return err
	}
	s.converters = make([]arrowConverter, len(s.plans))
	for i := range s.plans {
		s.converters[i] = newArrowConverter(s.plans[i], s.rb.Field(i))
	}
	return nil
}

// readArrow appends up to a batch of rows of an Arrow result, fetching
// the driver's batches as it reaches them.
func (s *scan) readArrow() (int, error) {
	n := 0
	start := time.Now()
	for n < s.batchRows {
		if n > 0 && time.Since(start) >= maxBatchWait {
			break
		}
		for s.rec < len(s.recs) && s.row >= int(s.recs[s.rec].NumRows()) {
			s.recs[s.rec].Release()
			s.rec++
			s.row = 0
		}
		if s.rec >= len(s.recs) {
			if s.next >= len(s.batches) {
				s.done = true
				break
			}
			b := s.batches[s.next]
			s.batches[s.next] = nil
			s.next++
			recs, err := b.Fetch()
			if err != nil {
				return n, err
			}
			s.recs, s.rec, s.row = nil, 0, 0
			if recs != nil {
				s.recs = *recs
			}
			continue
		}
		r := s.recs[s.rec]
		if int(r.NumCols()) != len(s.converters) {
			return n, fmt.Errorf("the result has %d columns, the query %d", r.NumCols(), len(s.converters))
		}
		take := min(s.batchRows-n, int(r.NumRows())-s.row)
		for i, conv := range s.converters {
			if err := conv(r.Schema().Field(i), r.Column(i), s.row, s.row+take); err != nil {
				return n, columnError(s.plans[i].col.name, err)
			}
		}
		s.row += take
		n += take
	}
	return n, nil
}

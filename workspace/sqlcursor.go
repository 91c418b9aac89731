package workspace

import (
	"context"
	"math"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/hotdata-dev/hotdata/internal/pgerr"
	"github.com/hotdata-dev/hotdata/planner"
	"github.com/hotdata-dev/hotdata/wire"
)

// SQL-level prepared statements (PREPARE, EXECUTE) and cursors (DECLARE,
// FETCH, MOVE, CLOSE), as psql scripts, psycopg2's and psycopg's named
// cursors, asyncpg's cursors and ODBC's declare/fetch mode use them.
//
// A cursor moves as a PostgreSQL portal does (DoPortalRunFetch and
// PortalRunSelect in src/backend/tcop/pquery.c): FETCH and MOVE in every
// direction, with PostgreSQL's positions and row counts. A SCROLL cursor
// keeps every row it has read, so that it can go back; other cursors
// stream and only go forward (PostgreSQL lets some of them go back, when
// their plan can: Hotdata answers those with the error PostgreSQL gives
// when it cannot, "cursor can only scan forward").

// sqlCursor is a DECLAREd cursor.
type sqlCursor struct {
	src    cursor
	scroll bool
	hold   bool
	// committed marks a WITH HOLD cursor whose transaction committed:
	// a later ROLLBACK no longer closes it.
	committed bool
	ctx       context.Context
	cancel    context.CancelFunc
	srcDone   bool
	// The rows' description: Arrow (engine) or PostgreSQL fields (live).
	schema *arrow.Schema
	fields []pgproto3.FieldDescription
	// PostgreSQL's portal position: pos is the number of the current row
	// (the last one returned); atStart is before the first row, atEnd
	// after the last (pos is then the number of rows).
	atStart, atEnd bool
	pos            int64
	// rows are what a SCROLL cursor has read.
	rows rowStore
}

// describer is a cursor that knows its result's description once open.
type describer interface {
	description() (*arrow.Schema, []pgproto3.FieldDescription)
}

func (c *sqlCursor) close() {
	c.src.close()
	c.cancel()
	c.rows.release()
}

// describedFields are the cursor's columns as RowDescription says them.
func (c *sqlCursor) describedFields() []pgproto3.FieldDescription {
	if c.schema != nil {
		return wire.FieldsOf(c.schema)
	}
	return c.fields
}

// prepareSQL answers PREPARE name AS query.
func (ss *Session) prepareSQL(st *planner.Statement, w Sink) error {
	if _, exists := ss.sqlPrepared[st.Name]; exists {
		return pgerr.New("42P05", "prepared statement %q already exists", st.Name)
	}
	if ss.sqlPrepared == nil {
		ss.sqlPrepared = map[string]*planner.Statement{}
	}
	ss.sqlPrepared[st.Name] = st
	return w.Complete("PREPARE")
}

// executeSQL plans EXECUTE name (args): the prepared query with each
// argument, cast to its parameter's type, in place of the parameter.
func (ss *Session) executeSQL(st *planner.Statement, entry *catalogEntry) (*planner.Statement, error) {
	prep, ok := ss.sqlPrepared[st.Name]
	if !ok {
		return nil, pgerr.New(pgerr.InvalidSQLStatementName, "prepared statement %q does not exist", st.Name)
	}
	if len(st.Args) != prep.Inner.Params {
		return nil, pgerr.New(pgerr.SyntaxError, "wrong number of parameters for prepared statement %q", st.Name).
			WithDetail("Expected %d parameters but got %d.", prep.Inner.Params, len(st.Args))
	}
	sql := planner.ReplaceParams(prep.QuerySQL, func(n int) string {
		if n < 1 || n > len(st.Args) {
			return ""
		}
		return "(CAST((" + st.Args[n-1] + ") AS " + prep.Inner.ParamTypes[n-1].Name() + "))"
	})
	q, err := planner.PlanOne(sql, entry.planCatalog(ss.upstreamOnly()), ss.planOptions())
	if err != nil {
		return nil, err
	}
	q.Text, q.QuerySQL = st.Text, sql
	return q, nil
}

// declare opens a cursor: the query starts now and rows come with FETCH.
// b holds the parameters of a DECLARE sent with the extended protocol
// (psycopg's server cursors: DECLARE … CURSOR FOR … WHERE id = $1).
func (ss *Session) declare(ctx context.Context, st *planner.Statement, entry *catalogEntry, b *bound, w Sink) error {
	if !ss.inBlock() && !st.Hold {
		return pgerr.New("25P01", "DECLARE CURSOR can only be used in transaction blocks")
	}
	if _, exists := ss.cursors[st.Name]; exists {
		return pgerr.New("42P03", "cursor %q already exists", st.Name)
	}
	q := *st
	q.Kind, q.Tag = planner.Query, "SELECT"
	cctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	stop := context.AfterFunc(ctx, cancel)
	cur, err := ss.open(cctx, &q, entry, b, w)
	stop()
	if err != nil {
		cancel()
		return err
	}
	if lc, live := cur.(*liveCursor); live && !st.Hold {
		if err := lc.hold(); err != nil {
			cur.close()
			cancel()
			return err
		}
	}
	if _, live := cur.(*liveCursor); live && st.Hold {
		// A held cursor outlives its transaction: on the upstream it would
		// keep a connection and its table locks until the client closes it.
		cur.close()
		cancel()
		return pgerr.New(pgerr.FeatureNotSupported, "DECLARE … WITH HOLD is not supported for live queries").
			WithHint("Declare the cursor without WITH HOLD inside a transaction block, or SET hotdata.freshness = cached.")
	}
	c := &sqlCursor{src: cur, scroll: st.Scroll, hold: st.Hold, committed: !ss.inBlock(), ctx: cctx, cancel: cancel, atStart: true}
	if d, ok := cur.(describer); ok {
		c.schema, c.fields = d.description()
	}
	if ss.cursors == nil {
		ss.cursors = map[string]*sqlCursor{}
	}
	ss.cursors[st.Name] = c
	return w.Complete("DECLARE CURSOR")
}

// DescribeCursor describes a DECLAREd cursor for a Describe of the
// portal of that name: SQL cursors and protocol portals share one
// namespace in PostgreSQL, and psycopg describes its server cursors so
// (wire.CursorDescriber).
func (ss *Session) DescribeCursor(name string) ([]pgproto3.FieldDescription, bool) {
	c, ok := ss.cursors[name]
	if !ok {
		return nil, false
	}
	return c.describedFields(), true
}

// fetch answers FETCH and MOVE.
func (ss *Session) fetch(ctx context.Context, st *planner.Statement, w Sink) error {
	c, ok := ss.cursors[st.Name]
	if !ok {
		if ss.portalLookup != nil {
			if p, fields, ok := ss.portalLookup(st.Name); ok {
				return ss.fetchPortal(ctx, st, p, fields, w)
			}
		}
		return pgerr.New(pgerr.InvalidCursorName, "cursor %q does not exist", st.Name)
	}
	out := w
	if st.Move {
		out = nil
	}
	stop := context.AfterFunc(ctx, c.cancel)
	n, err := c.run(out, st.Direction, st.Count)
	stop()
	if err != nil {
		if pgerr.Code(err) != "55000" {
			// The query failed: the cursor is gone, as its portal would be.
			c.close()
			delete(ss.cursors, st.Name)
		}
		return err
	}
	return w.Complete(st.Tag + " " + strconv.FormatInt(n, 10))
}

// describe announces the cursor's columns to w (FETCH describes itself
// every time, even when it returns no rows).
func (c *sqlCursor) describe(w Sink) error {
	if c.schema != nil {
		return w.Describe(c.schema)
	}
	if c.fields != nil {
		return w.DescribeFields(c.fields)
	}
	return nil
}

// run is DoPortalRunFetch: it moves the cursor and sends the rows the
// statement returns to w (nil for MOVE), and returns how many.
func (c *sqlCursor) run(w Sink, dir planner.FetchDirection, count int64) (int64, error) {
	switch dir {
	case planner.FetchForward:
		if count < 0 {
			dir, count = planner.FetchBackward, -count
		}
	case planner.FetchBackward:
		if count < 0 {
			dir, count = planner.FetchForward, -count
		}
	case planner.FetchAbsolute:
		switch {
		case count > 0:
			// Rewind and go forward when the target is nearer the start,
			// else move from here; then fetch the target row forward.
			if count-1 <= c.pos/2 {
				if err := c.rewind(); err != nil {
					return 0, err
				}
				if count > 1 {
					if _, err := c.selectRows(nil, true, count-1); err != nil {
						return 0, err
					}
				}
			} else {
				pos := c.pos
				if c.atEnd {
					pos++ // one more fetch to come back from past the end
				}
				var err error
				if count <= pos {
					_, err = c.selectRows(nil, false, pos-count+1)
				} else if count > pos+1 {
					_, err = c.selectRows(nil, true, count-pos-1)
				}
				if err != nil {
					return 0, err
				}
			}
			return c.selectRows(w, true, 1)
		case count < 0:
			// To the end, back abs(count)-1 rows, then the row before.
			if _, err := c.selectRows(nil, true, planner.FetchAll); err != nil {
				return 0, err
			}
			if count < -1 {
				if _, err := c.selectRows(nil, false, -count-1); err != nil {
					return 0, err
				}
			}
			return c.selectRows(w, false, 1)
		default:
			if err := c.rewind(); err != nil {
				return 0, err
			}
			return c.selectRows(w, true, 0)
		}
	case planner.FetchRelative:
		switch {
		case count > 0:
			if count > 1 {
				if _, err := c.selectRows(nil, true, count-1); err != nil {
					return 0, err
				}
			}
			return c.selectRows(w, true, 1)
		case count < 0:
			if count < -1 {
				if _, err := c.selectRows(nil, false, -count-1); err != nil {
					return 0, err
				}
			}
			return c.selectRows(w, false, 1)
		}
		dir = planner.FetchForward
	}
	forward := dir == planner.FetchForward
	if count == 0 {
		// The current row again, if the cursor is on one.
		onRow := !c.atStart && !c.atEnd
		if w == nil {
			if onRow {
				return 1, nil
			}
			return 0, nil
		}
		if onRow {
			if _, err := c.selectRows(nil, false, 1); err != nil {
				return 0, err
			}
			count, forward = 1, true
		}
	}
	if !forward && count == planner.FetchAll && w == nil {
		// MOVE BACKWARD ALL is a rewind.
		n := c.pos
		if n > 0 && !c.atEnd {
			n--
		}
		return n, c.rewind()
	}
	return c.selectRows(w, forward, count)
}

// errForwardOnly is PostgreSQL's error for going back on a cursor that
// cannot (PortalRunSelect and DoPortalRewind).
func errForwardOnly() error {
	return pgerr.New("55000", "cursor can only scan forward").WithHint("Declare it with SCROLL option to enable backward scan.")
}

// rewind is DoPortalRewind.
func (c *sqlCursor) rewind() error {
	if c.atStart && !c.atEnd {
		return nil
	}
	if !c.scroll {
		return errForwardOnly()
	}
	c.atStart, c.atEnd, c.pos = true, false, 0
	return nil
}

// selectRows is PortalRunSelect: up to count rows (FetchAll: all) in one
// direction, sent to w (nil: counted only). A FETCH describes its rows
// here, as the executor's start does in PostgreSQL: after the checks
// that refuse to go back, and even when no row follows.
func (c *sqlCursor) selectRows(w Sink, forward bool, count int64) (int64, error) {
	if !forward && !c.scroll {
		return 0, errForwardOnly()
	}
	if w != nil {
		if err := c.describe(w); err != nil {
			return 0, err
		}
	}
	if forward {
		if c.atEnd || count <= 0 {
			return 0, nil
		}
		var n int64
		if c.scroll {
			want := c.pos + count
			if count == planner.FetchAll || want < c.pos {
				want = math.MaxInt64
			}
			if err := c.fill(w, want); err != nil {
				return 0, err
			}
			end := min(want, c.rows.n)
			n = end - c.pos
			if w != nil && n > 0 {
				if err := c.rows.emit(w, c.pos, end, false); err != nil {
					return 0, err
				}
			}
		} else {
			var err error
			if n, err = c.stream(w, count); err != nil {
				return 0, err
			}
		}
		if n > 0 {
			c.atStart = false
		}
		if count == planner.FetchAll || n < count {
			c.atEnd = true
		}
		c.pos += n
		return n, nil
	}
	if c.atStart || count <= 0 {
		return 0, nil
	}
	// Backward from past the end starts at the last row; from a row, at
	// the one before it.
	first := c.pos
	if !c.atEnd {
		first--
	}
	n := min(count, first)
	if w != nil && n > 0 {
		if err := c.rows.emit(w, first-n, first, true); err != nil {
			return 0, err
		}
	}
	if n > 0 && c.atEnd {
		c.atEnd = false
		c.pos++
	}
	if count == planner.FetchAll || n < count {
		c.atStart, c.pos = true, 0
	} else {
		c.pos -= n
	}
	return n, nil
}

// stream passes up to count rows from the query to w (NO SCROLL).
func (c *sqlCursor) stream(w Sink, count int64) (int64, error) {
	if c.srcDone {
		return 0, nil
	}
	maxRows := 0
	if count != planner.FetchAll && count < math.MaxInt32 {
		maxRows = int(count)
	}
	s := &cursorSink{outer: w, c: c}
	suspended, err := c.src.fetch(c.ctx, s, maxRows)
	if err != nil {
		return 0, err
	}
	c.srcDone = !suspended
	return s.rows, nil
}

// fill reads from the query until the cursor holds want rows or the
// query ends (SCROLL). w gets the notices meanwhile.
func (c *sqlCursor) fill(w Sink, want int64) error {
	for !c.srcDone && c.rows.n < want {
		maxRows := 0
		if want-c.rows.n < math.MaxInt32 {
			maxRows = int(want - c.rows.n)
		}
		s := &cursorSink{outer: w, c: c, store: &c.rows}
		suspended, err := c.src.fetch(c.ctx, s, maxRows)
		if err != nil {
			return err
		}
		c.srcDone = !suspended
	}
	return nil
}

// cursorSink receives the query's results under a FETCH: the rows go to
// the client (outer, nil for MOVE) or into the cursor's store; the
// query's own description and completion are not the FETCH's (FETCH
// describes the cursor itself and has its own tag).
type cursorSink struct {
	outer Sink
	c     *sqlCursor
	store *rowStore
	rows  int64
}

var _ Sink = (*cursorSink)(nil)

func (s *cursorSink) Describe(schema *arrow.Schema) error {
	if s.c.schema == nil && s.c.fields == nil {
		s.c.schema = schema
		if s.outer != nil && s.store == nil {
			return s.outer.Describe(schema)
		}
	}
	return nil
}

func (s *cursorSink) DescribeFields(fields []pgproto3.FieldDescription) error {
	if s.c.schema == nil && s.c.fields == nil {
		s.c.fields = fields
		if s.outer != nil && s.store == nil {
			return s.outer.DescribeFields(fields)
		}
	}
	return nil
}

func (s *cursorSink) Write(rec arrow.RecordBatch) error {
	s.rows += rec.NumRows()
	switch {
	case s.store != nil:
		return s.store.addBatch(rec)
	case s.outer != nil:
		return s.outer.Write(rec)
	}
	return nil
}

func (s *cursorSink) WriteRow(values [][]byte) error {
	s.rows++
	switch {
	case s.store != nil:
		s.store.addRow(values)
	case s.outer != nil:
		return s.outer.WriteRow(values)
	}
	return nil
}

func (s *cursorSink) ResultFormats() []int16 {
	if s.outer != nil {
		return s.outer.ResultFormats()
	}
	return nil
}

func (s *cursorSink) CopyOut(wire.CopyFormat, bool, *arrow.Schema) error {
	return pgerr.New(pgerr.FeatureNotSupported, "COPY is not a cursor's query")
}

func (s *cursorSink) Complete(string) error { return nil }
func (s *cursorSink) EmptyQuery() error     { return nil }

func (s *cursorSink) Notice(n *pgerr.Error) error {
	if s.outer != nil {
		return s.outer.Notice(n)
	}
	return nil
}

func (s *cursorSink) ParameterStatus(name, value string) error {
	if s.outer != nil {
		return s.outer.ParameterStatus(name, value)
	}
	return nil
}

// rowStore keeps the rows a SCROLL cursor has read: Arrow batches from
// the engine, or raw rows from a live upstream.
type rowStore struct {
	batches []arrow.RecordBatch
	starts  []int64 // the number of the first row of each batch (0-based)
	raw     [][][]byte
	n       int64
}

// addBatch keeps a copy of rec (its buffers belong to the query).
func (s *rowStore) addBatch(rec arrow.RecordBatch) error {
	if rec.NumRows() == 0 {
		return nil
	}
	cols := make([]arrow.Array, rec.NumCols())
	for i, col := range rec.Columns() {
		cp, err := array.Concatenate([]arrow.Array{col}, memory.DefaultAllocator)
		if err != nil {
			for _, c := range cols[:i] {
				c.Release()
			}
			return err
		}
		cols[i] = cp
	}
	b := array.NewRecordBatch(rec.Schema(), cols, rec.NumRows())
	for _, c := range cols {
		c.Release()
	}
	s.batches = append(s.batches, b)
	s.starts = append(s.starts, s.n)
	s.n += rec.NumRows()
	return nil
}

func (s *rowStore) addRow(values [][]byte) {
	row := make([][]byte, len(values))
	for i, v := range values {
		if v != nil {
			row[i] = append([]byte{}, v...)
		}
	}
	s.raw = append(s.raw, row)
	s.n++
}

// emit sends rows [from, to) (0-based), in reverse order when backward.
func (s *rowStore) emit(w Sink, from, to int64, backward bool) error {
	if s.raw != nil {
		for k := from; k < to; k++ {
			i := k
			if backward {
				i = to - 1 - (k - from)
			}
			if err := w.WriteRow(s.raw[i]); err != nil {
				return err
			}
		}
		return nil
	}
	write := func(lo, hi int64) error {
		bi := 0
		for bi+1 < len(s.starts) && s.starts[bi+1] <= lo {
			bi++
		}
		for lo < hi && bi < len(s.batches) {
			b := s.batches[bi]
			off := lo - s.starts[bi]
			end := min(b.NumRows(), hi-s.starts[bi])
			part := b.NewSlice(off, end)
			err := w.Write(part)
			part.Release()
			if err != nil {
				return err
			}
			lo = s.starts[bi] + end
			bi++
		}
		return nil
	}
	if !backward {
		return write(from, to)
	}
	for k := to - 1; k >= from; k-- {
		if err := write(k, k+1); err != nil {
			return err
		}
	}
	return nil
}

func (s *rowStore) release() {
	for _, b := range s.batches {
		b.Release()
	}
	s.batches, s.starts, s.raw, s.n = nil, nil, nil, 0
}

// closeCursor answers CLOSE name | ALL.
func (ss *Session) closeCursor(st *planner.Statement, w Sink) error {
	if st.Name == "" {
		ss.closeCursors(true, false)
		return w.Complete(st.Tag)
	}
	c, ok := ss.cursors[st.Name]
	if !ok {
		return pgerr.New(pgerr.InvalidCursorName, "cursor %q does not exist", st.Name)
	}
	c.close()
	delete(ss.cursors, st.Name)
	return w.Complete(st.Tag)
}

// closeCursors closes the cursors that end with their transaction: on
// COMMIT those without HOLD (the held ones are then committed), on
// ROLLBACK also the held ones its block declared; every cursor when all
// is set (CLOSE ALL, DISCARD ALL, the session's end).
func (ss *Session) closeCursors(all, commit bool) {
	for name, c := range ss.cursors {
		switch {
		case all, !c.hold, !commit && !c.committed:
			c.close()
			delete(ss.cursors, name)
		case commit:
			c.committed = true
		}
	}
}

// SetPortalLookup implements wire.PortalHooks.
func (ss *Session) SetPortalLookup(f wire.PortalLookup) { ss.portalLookup = f }

// fetchPortal answers FETCH and MOVE on a portal the protocol bound.
// Such portals only go forward in PostgreSQL (they are NO SCROLL).
func (ss *Session) fetchPortal(ctx context.Context, st *planner.Statement, p wire.Portal, fields []pgproto3.FieldDescription, w Sink) error {
	count := st.Count
	switch {
	case st.Direction == planner.FetchForward && count > 0:
	case st.Direction == planner.FetchRelative && count == 1:
	default:
		return errForwardOnly()
	}
	s := &cursorSink{c: &sqlCursor{schema: &arrow.Schema{}}}
	if !st.Move {
		text := make([]pgproto3.FieldDescription, len(fields))
		for i, f := range fields {
			f.Format = pgproto3.TextFormat
			text[i] = f
		}
		if err := w.DescribeFields(text); err != nil {
			return err
		}
		s.outer = w
	}
	maxRows := 0
	if count != planner.FetchAll && count < math.MaxInt32 {
		maxRows = int(count)
	}
	if _, err := p.Execute(ctx, s, maxRows); err != nil {
		return err
	}
	return w.Complete(st.Tag + " " + strconv.FormatInt(s.rows, 10))
}

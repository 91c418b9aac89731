package workspace

import (
	"context"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/hotdata-dev/hotdata/internal/pgerr"
	"github.com/hotdata-dev/hotdata/planner"
	"github.com/hotdata-dev/hotdata/wire"
)

// SQL-level prepared statements (PREPARE, EXECUTE) and cursors (DECLARE,
// FETCH, MOVE, CLOSE), as psql scripts and psycopg2's named cursors use
// them. Cursors only move forward.

// sqlCursor is a DECLAREd cursor.
type sqlCursor struct {
	cur    cursor
	hold   bool
	ctx    context.Context
	cancel context.CancelFunc
	done   bool
	// What the first FETCH described, repeated for the later ones.
	schema *arrow.Schema
	fields []pgproto3.FieldDescription
}

func (c *sqlCursor) close() {
	c.cur.close()
	c.cancel()
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

// executeSQL turns EXECUTE name (args) into the prepared query with its
// arguments in place, cast to the declared types.
func (ss *Session) executeSQL(st *planner.Statement) (*planner.Statement, error) {
	prep, ok := ss.sqlPrepared[st.Name]
	if !ok {
		return nil, pgerr.New(pgerr.InvalidSQLStatementName, "prepared statement %q does not exist", st.Name)
	}
	if len(st.Args) != prep.Inner.Params {
		return nil, pgerr.New(pgerr.SyntaxError, "wrong number of parameters for prepared statement %q", st.Name).
			WithDetail("Expected %d parameters but got %d.", prep.Inner.Params, len(st.Args))
	}
	args := make([]string, len(st.Args))
	for i, a := range st.Args {
		args[i] = "(" + a + ")"
		if i < len(prep.ArgTypes) && prep.ArgTypes[i] != "" {
			args[i] = "CAST(" + a + " AS " + prep.ArgTypes[i] + ")"
		}
	}
	return prep.Inner.WithConsts(st.Text, args), nil
}

// declare opens a cursor: the query starts now and rows come with FETCH.
func (ss *Session) declare(ctx context.Context, st *planner.Statement, entry *catalogEntry, w Sink) error {
	if ss.tx == txIdle && !st.Hold {
		return pgerr.New("25P01", "DECLARE CURSOR can only be used in transaction blocks")
	}
	if _, exists := ss.cursors[st.Name]; exists {
		return pgerr.New("42P03", "cursor %q already exists", st.Name)
	}
	q := *st
	q.Kind, q.Tag = planner.Query, "SELECT"
	cctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	stop := context.AfterFunc(ctx, cancel)
	cur, err := ss.open(cctx, &q, entry, nil, w)
	stop()
	if err != nil {
		cancel()
		return err
	}
	if ss.cursors == nil {
		ss.cursors = map[string]*sqlCursor{}
	}
	ss.cursors[st.Name] = &sqlCursor{cur: cur, hold: st.Hold, ctx: cctx, cancel: cancel}
	return w.Complete("DECLARE CURSOR")
}

// fetchSink counts a FETCH's rows, keeps the description for the next
// FETCH, and drops the statement's own completion (FETCH has its tag).
type fetchSink struct {
	wire.ResultWriter
	c    *sqlCursor
	move bool
	rows int64
}

func (f *fetchSink) Describe(schema *arrow.Schema) error {
	f.c.schema = schema
	if f.move {
		return nil
	}
	return f.ResultWriter.Describe(schema)
}

func (f *fetchSink) DescribeFields(fields []pgproto3.FieldDescription) error {
	f.c.fields = fields
	if f.move {
		return nil
	}
	return f.ResultWriter.DescribeFields(fields)
}

func (f *fetchSink) Write(rec arrow.RecordBatch) error {
	f.rows += rec.NumRows()
	if f.move {
		return nil
	}
	return f.ResultWriter.Write(rec)
}

func (f *fetchSink) WriteRow(values [][]byte) error {
	f.rows++
	if f.move {
		return nil
	}
	return f.ResultWriter.WriteRow(values)
}

func (f *fetchSink) Complete(string) error { return nil }

// fetch answers FETCH and MOVE.
func (ss *Session) fetch(ctx context.Context, st *planner.Statement, w Sink) error {
	c, ok := ss.cursors[st.Name]
	if !ok {
		return pgerr.New(pgerr.InvalidCursorName, "cursor %q does not exist", st.Name)
	}
	if st.Count == 0 {
		return pgerr.New(pgerr.FeatureNotSupported, "FETCH 0 (the current row again) is not supported")
	}
	fs := &fetchSink{ResultWriter: w, c: c, move: st.Move}
	// After the first FETCH the cursor no longer describes itself.
	if !st.Move {
		switch {
		case c.schema != nil:
			if err := w.Describe(c.schema); err != nil {
				return err
			}
		case c.fields != nil:
			if err := w.DescribeFields(c.fields); err != nil {
				return err
			}
		}
	}
	if !c.done {
		stop := context.AfterFunc(ctx, c.cancel)
		suspended, err := c.cur.fetch(c.ctx, fs, int(max(st.Count, 0)))
		stop()
		if err != nil {
			c.close()
			delete(ss.cursors, st.Name)
			return err
		}
		c.done = !suspended
	}
	return w.Complete(st.Tag + " " + strconv.FormatInt(fs.rows, 10))
}

// closeCursor answers CLOSE name | ALL.
func (ss *Session) closeCursor(st *planner.Statement, w Sink) error {
	if st.Name == "" {
		ss.closeCursors(true)
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

// closeCursors closes the cursors a transaction end takes (all of them
// when withHold is set).
func (ss *Session) closeCursors(withHold bool) {
	for name, c := range ss.cursors {
		if withHold || !c.hold {
			c.close()
			delete(ss.cursors, name)
		}
	}
}

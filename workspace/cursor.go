package workspace

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/hotdata-dev/hotdata/cache"
	"github.com/hotdata-dev/hotdata/engine"
	"github.com/hotdata-dev/hotdata/internal/pgerr"
	"github.com/hotdata-dev/hotdata/planner"
	"github.com/hotdata-dev/hotdata/translate"
	"github.com/hotdata-dev/hotdata/wire"
)

// cursor is one statement being run: opened once, then fetched from —
// all at once by the simple protocol, maxRows at a time by Execute.
type cursor interface {
	// fetch writes at most maxRows rows (0: all) to w. It reports whether
	// rows remain; when none do, it has completed the statement.
	fetch(ctx context.Context, w Sink, maxRows int) (suspended bool, err error)
	// close frees what the cursor holds; it may be called at any time.
	close()
}

// bound is what the extended protocol's Bind adds to a statement.
type bound struct {
	// args are the decoded parameter values, for the engine; inline are
	// those that go into the statement as SQL instead (by number).
	args   []any
	inline map[int]string
	// raw, oids, formats and resultFormats pass a live statement's
	// parameters through to the upstream untouched.
	raw           [][]byte
	oids          []uint32
	formats       []int16
	resultFormats []int16
	// live: the statement was described by the upstream and runs there.
	live bool
}

// engineStatement is the engine statement and its arguments: the
// parameters bound, but those inlined as SQL, the others numbered anew.
func (b *bound) engineStatement(sql string) (string, []any) {
	if b == nil {
		return sql, nil
	}
	if len(b.inline) == 0 {
		return sql, b.args
	}
	var args []any
	number := map[int]int{}
	for i, a := range b.args {
		if _, ok := b.inline[i+1]; !ok {
			args = append(args, a)
			number[i+1] = len(args)
		}
	}
	return planner.ReplaceParams(sql, func(n int) string {
		if s, ok := b.inline[n]; ok {
			return "(" + s + ")"
		}
		if m, ok := number[n]; ok {
			return "$" + strconv.Itoa(m)
		}
		return ""
	}), args
}

// open starts a statement. b is nil for the simple protocol.
func (ss *Session) open(ctx context.Context, st *planner.Statement, entry *catalogEntry, b *bound, sink Sink) (cursor, error) {
	switch st.Kind {
	case planner.Query, planner.Explain, planner.Copy, planner.Declare, planner.Execute:
		if ss.tx != txIdle {
			// The block has read data: its modes are now fixed.
			ss.txQueried = true
		}
	}
	switch st.Kind {
	case planner.Query, planner.Explain, planner.Copy:
		// A prepared query keeps the route it was described with; the
		// rest decide now.
		live := b != nil && b.live
		if b == nil || st.Kind == planner.Explain {
			live = ss.routeLive(ctx, st, entry)
		}
		if live {
			if wh, ts, obj, ok, err := ss.svc.pushdownTarget(ctx, st, entry); ok {
				if err != nil {
					return nil, err
				}
				return ss.openPushdown(ctx, st, entry, wh, ts, obj, b)
			}
			target, err := ss.svc.liveTarget(ctx, st, entry)
			if err != nil {
				return nil, err
			}
			return ss.openLive(ctx, st, target, b, sink)
		}
		return ss.openEngine(ctx, st, entry, b, sink)
	case planner.Set:
		return utility(func(w Sink) error { return ss.set(st, w) }), nil
	case planner.Show:
		return utility(func(w Sink) error { return ss.show(st, w) }), nil
	case planner.Transaction:
		return utility(func(w Sink) error { return ss.transaction(st, w) }), nil
	case planner.Discard:
		return utility(func(w Sink) error { return ss.discard(st, w) }), nil
	case planner.Deallocate:
		return utility(func(w Sink) error { return ss.deallocate(st, w) }), nil
	case planner.Prepare:
		return utility(func(w Sink) error { return ss.prepareSQL(st, w) }), nil
	case planner.Execute:
		q, err := ss.executeSQL(st, entry)
		if err != nil {
			return nil, err
		}
		return ss.open(ctx, q, entry, nil, sink)
	case planner.Declare:
		return utility(func(w Sink) error { return ss.declare(ctx, st, entry, b, w) }), nil
	case planner.Fetch:
		return utility(func(w Sink) error { return ss.fetch(ctx, st, w) }), nil
	case planner.ClosePortal:
		return utility(func(w Sink) error { return ss.closeCursor(st, w) }), nil
	case planner.Lock:
		return utility(func(w Sink) error {
			if ss.TxStatus() == 'I' {
				return pgerr.New(pgerr.NoActiveSQLTransaction, "LOCK TABLE can only be used in transaction blocks")
			}
			return w.Complete(st.Tag)
		}), nil
	}
	return nil, pgerr.New(pgerr.FeatureNotSupported, "statement not supported")
}

// utility is a statement that runs at its first fetch and returns at most
// a few rows.
type utility func(w Sink) error

func (u utility) fetch(_ context.Context, w Sink, _ int) (bool, error) { return false, u(w) }
func (u utility) close()                                               {}

// engineCursor streams a statement's rows from the workspace's engine.
type engineCursor struct {
	ss      *Session
	st      *planner.Statement
	conn    *engine.Conn
	stmt    *engine.Stmt
	rows    rowSource
	unpin   func()
	mounts  []engine.Mount
	snapIDs []string
	start   time.Time
	entry   *catalogEntry
	sql     string // the engine SQL with the session's values bound
	// live: the rows come from a warehouse (openPushdown), not the engine.
	live bool
	// cacheKey names the result in the result cache ("" when not
	// cacheable); collect gathers it while it streams (nil on a hit).
	cacheKey string
	collect  *cache.Collector

	started bool
	// schema is the result's, with the statement's names and types.
	schema *arrow.Schema
	batch  arrow.RecordBatch
	offset int64
	total  int64
	closed bool
}

// openEngine syncs what the statement needs, mounts it, and starts the
// statement on an engine connection.
func (ss *Session) openEngine(ctx context.Context, st *planner.Statement, entry *catalogEntry, b *bound, sink Sink) (cursor, error) {
	start := time.Now()
	sql, err := ss.engineSQL(st, entry)
	if err != nil {
		ss.recordRun(st, start, 0, nil, err)
		return nil, err
	}
	mounts, snapIDs, fresh, err := ss.svc.prepareTables(ctx, ss.ws, st.Tables, entry, sink, ss.settings.freshness())
	if errors.Is(err, errFormsChanged) {
		// A table was synced for this statement (first use, or a ttl
		// policy) into a snapshot that holds a column in another form:
		// plan the statement again against the catalog that has it.
		var again *planner.Statement
		if again, entry, err = ss.replan(ctx, st); err == nil {
			st = again
			if sql, err = ss.engineSQL(st, entry); err == nil {
				mounts, snapIDs, fresh, err = ss.svc.prepareTables(ctx, ss.ws, st.Tables, entry, sink, ss.settings.freshness())
			}
		}
		if errors.Is(err, errFormsChanged) {
			err = formsChangedError()
		}
	}
	if err != nil {
		ss.recordRun(st, start, 0, nil, err)
		return nil, err
	}
	ss.lastSnapshots, ss.lastFreshness = snapIDs, fresh
	c := &engineCursor{ss: ss, st: st, mounts: mounts, snapIDs: snapIDs, start: start, entry: entry, sql: sql}
	c.unpin = ss.svc.pins.Pin(snapIDs...)
	// A suspended workspace answers nothing, not even from the cache
	// (and an auto_resume workspace resumes here).
	if _, err := ss.svc.engineFor(ctx, ss.ws); err != nil {
		c.close()
		ss.recordRun(st, start, 0, snapIDs, err)
		return nil, err
	}
	if c.cacheKey = ss.resultCacheKey(st, entry, sql, b, snapIDs); c.cacheKey != "" {
		if res, ok := ss.svc.resultCache.Get(c.cacheKey); ok {
			c.rows = newMemRows(res)
			return c, nil
		}
	}
	if err := c.openEngine(ctx, b); err != nil {
		c.close()
		ss.recordRun(st, start, 0, snapIDs, err)
		return nil, err
	}
	return c, nil
}

// replan plans a statement again, as it was first planned (its text,
// with the parameter types it was planned with), against the catalog
// as it is now.
func (ss *Session) replan(ctx context.Context, st *planner.Statement) (*planner.Statement, *catalogEntry, error) {
	entry, err := ss.svc.catalog(ctx, ss.ws.ID, true)
	if err != nil {
		return nil, nil, err
	}
	opts := ss.planOptions()
	if st.Params > 0 {
		opts.ParamTypes = st.ParamTypes
	}
	again, err := planner.PlanOne(st.Text, entry.cat, opts)
	if err != nil {
		return nil, nil, err
	}
	if again == nil || again.Kind != st.Kind || again.Params != st.Params {
		// Not the statement's own text (EXECUTE's, DECLARE's, a
		// template's with its constants as parameters): the client
		// runs it again instead.
		return nil, nil, formsChangedError()
	}
	return again, entry, nil
}

func (c *engineCursor) openEngine(ctx context.Context, b *bound) error {
	eng, err := c.ss.svc.engineFor(ctx, c.ss.ws)
	if err != nil {
		return err
	}
	if err := eng.EnsureMounted(ctx, c.mounts); err != nil {
		return err
	}
	if c.st.Catalog {
		if err := c.ss.svc.ensurePgCatalog(ctx, eng, c.entry); err != nil {
			return err
		}
	}
	if c.st.Kind == planner.Explain {
		return nil // explain runs at fetch
	}
	if c.conn, err = eng.Conn(ctx); err != nil {
		return err
	}
	sql, args := b.engineStatement(c.sql)
	if c.stmt, err = c.conn.Prepare(ctx, sql); err != nil {
		c.ss.svc.log.Debug("engine refused a statement", "workspace", c.ss.ws.ID, "sql", c.st.Text, "engine_sql", sql, "error", err)
		return err
	}
	if len(args) < len(c.stmt.Params) {
		return pgerr.New("42P02", "there is no parameter $%d", len(args)+1).
			WithHint("Bind a value for every $n, or use the extended query protocol.")
	}
	rows, err := c.stmt.Query(ctx, args)
	if err != nil {
		return err
	}
	c.rows = rows
	if c.cacheKey != "" {
		c.collect = cache.NewCollector(rows.Schema(), c.ss.svc.resultCache.MaxEntryBytes())
	}
	return nil
}

func (c *engineCursor) fetch(ctx context.Context, w Sink, maxRows int) (bool, error) {
	if c.st.Kind == planner.Explain {
		err := c.ss.explain(ctx, c.sql, c.mounts, c.snapIDs, w)
		c.ss.recordRun(c.st, c.start, 0, c.snapIDs, err)
		return false, err
	}
	if !c.started {
		c.started = true
		schema := resultSchema(c.rows.Schema(), c.st.Columns)
		c.schema = schema
		if c.st.Kind == planner.Copy {
			if err := w.CopyOut(copyFormat(c.st.CopyOptions), c.st.CopyOptions.Header, schema); err != nil {
				return false, err
			}
		} else if err := w.Describe(schema); err != nil {
			return false, err
		}
	}
	var sent int64
	for maxRows <= 0 || sent < int64(maxRows) {
		if c.batch == nil || c.offset >= c.batch.NumRows() {
			c.batch, c.offset = nil, 0
			if !c.rows.Next() {
				err := c.rows.Err()
				c.record(err)
				if err != nil {
					return false, err
				}
				if c.collect != nil {
					if res := c.collect.Result(); res != nil {
						c.ss.svc.resultCache.Put(c.cacheKey, res)
					}
				}
				c.close()
				return false, w.Complete(describeTag(c.st.Tag, sent))
			}
			c.batch = c.rows.RecordBatch()
			if c.collect != nil {
				c.collect.Add(c.batch)
			}
		}
		n := c.batch.NumRows() - c.offset
		if maxRows > 0 {
			n = min(n, int64(maxRows)-sent)
		}
		part := c.batch
		if c.offset != 0 || n != c.batch.NumRows() {
			part = c.batch.NewSlice(c.offset, c.offset+n)
		} else {
			part.Retain()
		}
		// The batch under the statement's column names and types.
		out := array.NewRecordBatch(c.schema, part.Columns(), part.NumRows())
		part.Release()
		err := w.Write(out)
		out.Release()
		if err != nil {
			return false, err
		}
		c.offset += n
		sent += n
		c.total += n
	}
	// As PostgreSQL does, a portal that returned maxRows rows is
	// suspended even if nothing follows; the next Execute completes it.
	return true, nil
}

// record notes the statement's run.
func (c *engineCursor) record(err error) {
	if c.live {
		c.ss.recordLiveRun(c.st, c.start, c.total, nil, err)
		return
	}
	c.ss.recordRun(c.st, c.start, c.total, c.snapIDs, err)
}

// description is the result's schema, as the first fetch describes it.
func (c *engineCursor) description() (*arrow.Schema, []pgproto3.FieldDescription) {
	if c.rows == nil {
		return nil, nil
	}
	return resultSchema(c.rows.Schema(), c.st.Columns), nil
}

func (c *engineCursor) close() {
	if c.closed {
		return
	}
	c.closed = true
	if c.rows != nil {
		c.rows.Release()
	}
	if c.stmt != nil {
		c.stmt.Close()
	}
	if c.conn != nil {
		c.conn.Release()
	}
	if c.unpin != nil {
		c.unpin()
	}
}

func copyFormat(o *planner.CopyOptions) wire.CopyFormat {
	switch o.Format {
	case "csv":
		return wire.CopyCSV
	case "binary":
		return wire.CopyBinary
	}
	return wire.CopyText
}

// resultSchema names the engine's result columns as the statement's
// and gives each its PostgreSQL type (wire.MetaPGOID), as the planner
// decided them. Types the client cannot look up (the upstream's enums
// and domains) are described as text.
func resultSchema(schema *arrow.Schema, cols []translate.ResultColumn) *arrow.Schema {
	if len(cols) != schema.NumFields() {
		return schema
	}
	fields := make([]arrow.Field, len(cols))
	for i, c := range cols {
		f := schema.Field(i)
		f.Name = c.Name
		oid, mod, typlen, send, elem := translate.WireType(c.Type)
		if !c.Type.Known() {
			oid, mod, send = wire.OIDText, -1, 0
		}
		if send != 0 {
			// An upstream's own type: its OID, its values sent as those
			// of a built-in type (an enum's label as text).
			fields[i] = wire.PGUserField(f, oid, mod, typlen, send, elem)
			continue
		}
		fields[i] = wire.PGField(f, oid, mod)
	}
	md := schema.Metadata()
	return arrow.NewSchema(fields, &md)
}

// rowSource is where a cursor's batches come from: the engine, or a
// cached result.
type rowSource interface {
	Schema() *arrow.Schema
	Next() bool
	RecordBatch() arrow.RecordBatch
	Err() error
	Release()
}

// memRows reads a cached result.
type memRows struct {
	res *cache.Result
	i   int
}

func newMemRows(res *cache.Result) *memRows { return &memRows{res: res, i: -1} }

func (m *memRows) Schema() *arrow.Schema { return m.res.Schema }
func (m *memRows) Next() bool {
	m.i++
	return m.i < len(m.res.Batches)
}
func (m *memRows) RecordBatch() arrow.RecordBatch { return m.res.Batches[m.i] }
func (m *memRows) Err() error                     { return nil }
func (m *memRows) Release()                       {}

// resultCacheKey names the statement's result in the result cache, or
// returns "" when it must run: the cache is off for the session, the
// statement is not a plain query, or its result depends on when it runs.
func (ss *Session) resultCacheKey(st *planner.Statement, entry *catalogEntry, sql string, b *bound, snapIDs []string) string {
	if ss.svc.resultCache == nil || st.Kind != planner.Query || st.Volatile {
		return ""
	}
	if v, _ := ss.settings.get("hotdata.result_cache"); v == "off" {
		return ""
	}
	sql, args := b.engineStatement(sql)
	versions := snapIDs
	if st.Catalog {
		versions = append(append([]string(nil), snapIDs...), "pg_catalog:"+entry.pgVersion)
	}
	return cache.ResultKey(ss.ws.ID, sql, args, versions)
}

//go:build duckdb_arrow

package engine

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	bindings "github.com/duckdb/duckdb-go-bindings"

	"github.com/hotdata-dev/hotdata/internal/pgerr"
)

// Conn is one DuckDB connection. It runs one statement at a time; a
// statement's Rows hold it until they are released.
type Conn struct {
	e    *Engine
	conn bindings.Connection
	opts bindings.ArrowOptions
	// poisoned: an interrupt may still be in flight; do not reuse.
	poisoned bool
	// planning is closed when an abandoned Prepare finishes (nil: none).
	planning chan struct{}
}

// Release returns the connection to the pool.
func (c *Conn) Release() {
	if p := c.planning; p != nil {
		// Not reusable, nor closable, before DuckDB is done planning.
		c.planning = nil
		go func() {
			<-p
			c.Release()
		}()
		return
	}
	if c.poisoned {
		c.e.mu.Lock()
		c.e.open--
		c.e.mu.Unlock()
		c.close()
		return
	}
	c.e.release(c)
}

func (c *Conn) close() {
	bindings.DestroyArrowOptions(&c.opts)
	bindings.Disconnect(&c.conn)
}

// interruptOn interrupts the connection's statement when ctx ends. The
// returned stop reports false when the interrupt already started, and
// then returns only once it is over: the connection may be closed (or
// its handle reused) right after, which must not race with the
// interrupt reading it.
func (c *Conn) interruptOn(ctx context.Context) func() bool {
	done := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		defer close(done)
		bindings.Interrupt(c.conn)
	})
	return func() bool {
		if stop() {
			return true
		}
		<-done
		return false
	}
}

// exec runs a statement and discards its result; cancelling ctx
// interrupts it.
func (c *Conn) exec(ctx context.Context, sql string) error {
	stop := c.interruptOn(ctx)
	defer func() {
		if !stop() {
			// The interrupt ran: it could hit the next statement on
			// this connection.
			c.poisoned = true
		}
	}()
	var res bindings.Result
	state := bindings.Query(c.conn, sql, &res)
	defer bindings.DestroyResult(&res)
	if state == bindings.StateError {
		return translateMessage(ctx, c.e.scrub(bindings.ResultError(&res)))
	}
	return nil
}

// Stmt is a prepared statement.
type Stmt struct {
	c  *Conn
	ps bindings.PreparedStatement
	// ReadOnly is true for SELECT (and EXPLAIN) statements.
	ReadOnly bool
	// Params are the parameters' types as DuckDB inferred them; an entry
	// is nil when the context does not decide it.
	Params []arrow.DataType
	// Schema is the result's schema, nil when a parameter's unknown type
	// leaves it undecided.
	Schema *arrow.Schema
}

// Prepare parses and binds one statement. DuckDB's planning cannot be
// stopped (a long OR chain takes seconds): when ctx ends first, Prepare
// returns at once and the planning finishes in the background, holding
// the connection (Release waits for it). At most as many statements as
// the engine has threads are planned at once, so abandoned planning
// cannot pile up; a statement waiting for its turn honours ctx.
func (c *Conn) Prepare(ctx context.Context, sql string) (*Stmt, error) {
	if c.planning != nil {
		// An earlier Prepare of this connection was abandoned.
		select {
		case <-c.planning:
			c.planning = nil
		case <-ctx.Done():
			return nil, translate(ctx, ctx.Err())
		}
	}
	if ctx.Done() == nil {
		s, err := c.prepare(sql)
		if err != nil {
			return nil, translateMessage(ctx, err.Error())
		}
		return s, nil
	}
	select {
	case c.e.planSlots <- struct{}{}:
	case <-ctx.Done():
		return nil, translate(ctx, ctx.Err())
	}
	type result struct {
		s   *Stmt
		err error
	}
	done := make(chan result, 1)
	finished := make(chan struct{})
	go func() {
		defer func() { <-c.e.planSlots }()
		defer close(finished)
		s, err := c.prepare(sql)
		done <- result{s, err}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			return nil, translateMessage(ctx, r.err.Error())
		}
		return r.s, nil
	case <-ctx.Done():
		c.planning = finished
		go func() {
			// The statement nobody will run.
			<-finished
			if r := <-done; r.s != nil {
				r.s.Close()
			}
		}()
		return nil, translate(ctx, ctx.Err())
	}
}

// prepare runs DuckDB's Prepare; an error is DuckDB's message.
func (c *Conn) prepare(sql string) (*Stmt, error) {
	s := &Stmt{c: c}
	if bindings.Prepare(c.conn, sql, &s.ps) == bindings.StateError {
		msg := bindings.PrepareError(s.ps)
		bindings.DestroyPrepare(&s.ps)
		return nil, errors.New(c.e.scrub(msg))
	}
	switch bindings.PreparedStatementType(s.ps) {
	case bindings.StatementTypeSelect, bindings.StatementTypeExplain:
		s.ReadOnly = true
	}
	n := int(bindings.NParams(s.ps))
	s.Params = make([]arrow.DataType, n)
	for i := 1; i <= n; i++ {
		lt := bindings.ParamLogicalType(s.ps, bindings.IdxT(i))
		switch bindings.GetTypeId(lt) {
		case bindings.TypeInvalid, bindings.TypeAny, bindings.TypeSQLNull:
		default:
			if sc, err := c.arrowSchema([]bindings.LogicalType{lt}, []string{"p"}); err == nil {
				s.Params[i-1] = sc.Field(0).Type
			}
		}
		bindings.DestroyLogicalType(&lt)
	}
	cols := int(bindings.PreparedStatementColumnCount(s.ps))
	types := make([]bindings.LogicalType, cols)
	names := make([]string, cols)
	known := true
	for i := 0; i < cols; i++ {
		types[i] = bindings.PreparedStatementColumnLogicalType(s.ps, bindings.IdxT(i))
		names[i] = bindings.PreparedStatementColumnName(s.ps, bindings.IdxT(i))
		switch bindings.GetTypeId(types[i]) {
		case bindings.TypeInvalid, bindings.TypeAny:
			known = false
		}
	}
	if known {
		if sc, err := c.arrowSchema(types, names); err == nil {
			s.Schema = sc
		}
	}
	for i := range types {
		bindings.DestroyLogicalType(&types[i])
	}
	return s, nil
}

// MetaPGType is the Arrow field metadata key under which the engine names
// the PostgreSQL type of a column whose Arrow type alone does not say it
// ("uuid" and "json", both exported by DuckDB as strings).
const MetaPGType = "hotdata.pg_type"

func (c *Conn) arrowSchema(types []bindings.LogicalType, names []string) (*arrow.Schema, error) {
	sc, ed := bindings.NewArrowSchema(c.opts, types, names)
	defer bindings.DestroyErrorData(&ed)
	if bindings.ErrorDataHasError(ed) {
		return nil, errors.New(bindings.ErrorDataMessage(ed))
	}
	var fields []arrow.Field
	for i, lt := range types {
		pgType := ""
		switch {
		case bindings.GetTypeId(lt) == bindings.TypeUUID:
			pgType = "uuid"
		case bindings.GetTypeId(lt) == bindings.TypeVarchar && bindings.LogicalTypeGetAlias(lt) == "JSON":
			pgType = "json"
		}
		if pgType == "" {
			continue
		}
		if fields == nil {
			fields = append([]arrow.Field(nil), sc.Fields()...)
		}
		fields[i].Metadata = arrow.NewMetadata([]string{MetaPGType}, []string{pgType})
	}
	if fields != nil {
		md := sc.Metadata()
		sc = arrow.NewSchema(fields, &md)
	}
	return sc, nil
}

// Close frees the statement.
func (s *Stmt) Close() { bindings.DestroyPrepare(&s.ps) }

// Query binds args and starts the statement; rows are produced as they
// are fetched (streaming), so a slow reader slows the query down instead
// of the result piling up in memory. args hold nil, bool, int64, float64,
// string, []byte, Date, Time, Timestamp, TimestampTZ or Interval; DuckDB
// casts each to its parameter's type.
func (s *Stmt) Query(ctx context.Context, args []any) (*Rows, error) {
	if !s.ReadOnly {
		return nil, pgerr.New(pgerr.ReadOnlySQLTransaction, "the engine runs read-only statements only")
	}
	if len(args) != len(s.Params) {
		return nil, pgerr.New(pgerr.ProtocolViolation, "the statement takes %d parameters, %d were given", len(s.Params), len(args))
	}
	if err := s.bind(args); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, translate(ctx, err)
	}
	var pending bindings.PendingResult
	if bindings.PendingPreparedStreaming(s.ps, &pending) == bindings.StateError {
		msg := bindings.PendingError(pending)
		bindings.DestroyPending(&pending)
		return nil, translateMessage(ctx, s.c.e.scrub(msg))
	}
	r := &Rows{ctx: ctx, conn: s.c}
	r.refs.Store(1)
	r.stop = s.c.interruptOn(ctx)
	state := bindings.ExecutePending(pending, &r.res)
	bindings.DestroyPending(&pending)
	if state == bindings.StateError {
		err := translateMessage(ctx, s.c.e.scrub(bindings.ResultError(&r.res)))
		r.free()
		return nil, err
	}
	cols := int(bindings.ColumnCount(&r.res))
	types := make([]bindings.LogicalType, cols)
	names := make([]string, cols)
	for i := 0; i < cols; i++ {
		types[i] = bindings.ColumnLogicalType(&r.res, bindings.IdxT(i))
		names[i] = bindings.ColumnName(&r.res, bindings.IdxT(i))
	}
	sc, err := s.c.arrowSchema(types, names)
	for i := range types {
		bindings.DestroyLogicalType(&types[i])
	}
	if err != nil {
		r.free()
		return nil, fmt.Errorf("engine: result schema: %w", err)
	}
	r.schema = sc
	return r, nil
}

func (s *Stmt) bind(args []any) error {
	if bindings.ClearBindings(s.ps) == bindings.StateError {
		return errors.New("engine: clear bindings")
	}
	for i, a := range args {
		idx := bindings.IdxT(i + 1)
		var state bindings.State
		switch v := a.(type) {
		case nil:
			state = bindings.BindNull(s.ps, idx)
		case bool:
			state = bindings.BindBoolean(s.ps, idx, v)
		case int64:
			state = bindings.BindInt64(s.ps, idx, v)
		case float64:
			state = bindings.BindDouble(s.ps, idx, v)
		case string:
			state = bindings.BindVarchar(s.ps, idx, v)
		case []byte:
			state = bindings.BindBlob(s.ps, idx, v)
		case Date:
			state = bindings.BindDate(s.ps, idx, bindings.NewDate(int32(v)))
		case Time:
			state = bindings.BindTime(s.ps, idx, bindings.NewTime(int64(v)))
		case Timestamp:
			state = bindings.BindTimestamp(s.ps, idx, bindings.NewTimestamp(int64(v)))
		case TimestampTZ:
			state = bindings.BindTimestampTZ(s.ps, idx, bindings.NewTimestamp(int64(v)))
		case Interval:
			state = bindings.BindInterval(s.ps, idx, bindings.NewInterval(v.Months, v.Days, v.Micros))
		default:
			return fmt.Errorf("engine: cannot bind %T", a)
		}
		if state == bindings.StateError {
			return pgerr.New(pgerr.InvalidParameterValue, "parameter $%d: value %v does not fit the parameter's type", i+1, a)
		}
	}
	return nil
}

// Rows is a running statement's result stream; it implements
// array.RecordReader. Each batch is valid until the next call to Next.
type Rows struct {
	ctx    context.Context
	conn   *Conn
	res    bindings.Result
	schema *arrow.Schema
	cur    arrow.RecordBatch
	err    error
	done   bool
	refs   atomic.Int64
	stop   func() bool
	freed  bool
}

var _ array.RecordReader = (*Rows)(nil)

func (r *Rows) Schema() *arrow.Schema          { return r.schema }
func (r *Rows) RecordBatch() arrow.RecordBatch { return r.cur }
func (r *Rows) Record() arrow.RecordBatch      { return r.cur }
func (r *Rows) Err() error                     { return r.err }
func (r *Rows) Retain()                        { r.refs.Add(1) }

// Next fetches the next batch.
func (r *Rows) Next() bool {
	if r.cur != nil {
		r.cur.Release()
		r.cur = nil
	}
	if r.done || r.err != nil {
		return false
	}
	if err := r.ctx.Err(); err != nil {
		r.err = translate(r.ctx, err)
		return false
	}
	chunk := bindings.FetchChunk(r.res)
	if chunk.Ptr == nil {
		r.done = true
		if msg := bindings.ResultError(&r.res); msg != "" {
			r.err = translateMessage(r.ctx, r.conn.e.scrub(msg))
		}
		return false
	}
	rec, ed := bindings.DataChunkToArrowArray(r.conn.opts, r.schema, chunk)
	bindings.DestroyDataChunk(&chunk)
	if bindings.ErrorDataHasError(ed) {
		r.err = fmt.Errorf("engine: convert result: %s", bindings.ErrorDataMessage(ed))
		bindings.DestroyErrorData(&ed)
		return false
	}
	bindings.DestroyErrorData(&ed)
	r.cur = rec
	return true
}

// Release frees the result when the last reference goes.
func (r *Rows) Release() {
	if r.refs.Add(-1) != 0 {
		return
	}
	if r.cur != nil {
		r.cur.Release()
		r.cur = nil
	}
	r.free()
}

func (r *Rows) free() {
	if r.freed {
		return
	}
	r.freed = true
	bindings.DestroyResult(&r.res)
	if r.stop != nil && !r.stop() {
		// The interrupt ran or is running: do not hand this connection
		// to another statement that it could hit.
		r.conn.poisoned = true
	}
}

package workspace

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/hotdata-dev/hotdata/connectors/postgres"
	"github.com/hotdata-dev/hotdata/internal/pgerr"
	"github.com/hotdata-dev/hotdata/planner"
)

// liveTarget returns the PostgreSQL connector that holds every table a
// statement reads, or an error saying why the statement cannot run live.
func (s *Service) liveTarget(ctx context.Context, st *planner.Statement, entry *catalogEntry) (*postgres.Connector, error) {
	if err := st.LiveErr(); err != nil {
		return nil, err
	}
	var connID, connName string
	for _, obj := range st.Tables {
		ts := entry.tables[obj.ID]
		if ts == nil || ts.dataset != nil {
			return nil, pgerr.New(pgerr.FeatureNotSupported, "%s cannot be read live: it is not an upstream table", obj.QualifiedName()).
				WithHint("SET hotdata.freshness = cached to read it from the cache.")
		}
		if connID != "" && ts.conn.ID != connID {
			return nil, pgerr.New(pgerr.FeatureNotSupported, "a live query must read tables of one connection; this one reads %s and %s",
				connName, ts.conn.Name).WithHint("SET hotdata.freshness = cached to join across connections from the cache.")
		}
		connID, connName = ts.conn.ID, ts.conn.Name
		if ts.conn.SourceType != postgres.Type.Name {
			return nil, pgerr.New(pgerr.FeatureNotSupported, "live queries go to PostgreSQL, BigQuery and Snowflake connections only; %s is %s", ts.conn.Name, ts.conn.SourceType).
				WithHint("SET hotdata.freshness = cached to read it from the cache; with SET hotdata.max_staleness = '1s' too, a table synced longer ago is synced first, so the answer is as of now.")
		}
	}
	var conn *postgres.Connector
	for _, ts := range entry.tables {
		if ts.conn.ID == connID {
			c, err := s.connectorFor(ctx, ts.conn)
			if err != nil {
				return nil, err
			}
			pc, ok := c.(*postgres.Connector)
			if !ok {
				return nil, fmt.Errorf("connection %s is not a PostgreSQL connector", connName)
			}
			conn = pc
			break
		}
	}
	if conn == nil {
		return nil, fmt.Errorf("connection %s not in the catalog", connName)
	}
	return conn, nil
}

// upstreamError passes the upstream's error to the client as it is,
// without its position (which counts in the rewritten statement).
func upstreamError(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return &pgerr.Error{Code: pe.Code, Message: pe.Message, Detail: pe.Detail, Hint: pe.Hint, Err: err}
	}
	if err == nil {
		return nil
	}
	if errors.Is(err, postgres.ErrBusy) {
		return pgerr.Wrap(err, pgerr.TooManyConnections, "%v", err).
			WithHint("Every live connection to this upstream is in use; retry, or SET hotdata.freshness = cached.")
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return pgerr.Wrap(err, pgerr.QueryCanceled, "canceling statement due to user request")
	}
	return pgerr.Wrap(err, pgerr.ConnectionFailure, "the upstream query failed: %v", err)
}

// maxLiveOpen caps the live statements one session may leave open (SQL
// cursors, suspended portals): each holds an upstream connection, and
// the live pool is shared by every session of the workspace.
const maxLiveOpen = 4

// liveCursor streams a pushed-down statement's rows from the upstream.
type liveCursor struct {
	ss    *Session
	st    *planner.Statement
	up    *postgres.Upstream
	rr    *pgconn.ResultReader
	start time.Time
	// target is the connector; held is set once the statement is left
	// open between requests (postgres.Connector.Hold).
	target *postgres.Connector
	held   bool

	started bool
	total   int64
	closed  bool
}

// openLive starts a statement on the upstream: as one unnamed statement
// when there are no bound parameters (or as a prepared statement when it
// came from the plan cache), else as a prepared statement with the
// client's parameters and formats passed through.
func (ss *Session) openLive(ctx context.Context, st *planner.Statement, target *postgres.Connector, b *bound, sink Sink) (cursor, error) {
	start := time.Now()
	if st.Kind == planner.Copy {
		return nil, pgerr.New(pgerr.FeatureNotSupported, "COPY TO STDOUT runs on the cache").
			WithHint("SET hotdata.freshness = cached for COPY, or use SELECT for live data.")
	}
	if st.Kind == planner.Explain {
		return utility(func(w Sink) error {
			err := ss.explainLive(ctx, st, target, w)
			ss.recordLiveRun(st, start, 0, nil, err)
			return err
		}), nil
	}
	if n := ss.liveOpen.Load(); n >= maxLiveOpen {
		return nil, pgerr.New(pgerr.TooManyConnections, "this session already holds %d live queries open on the upstream (limit %d)", n, maxLiveOpen).
			WithHint("Fetch its open cursors to the end or CLOSE them, or SET hotdata.freshness = cached.")
	}
	up, err := target.Acquire(ctx)
	if err != nil {
		ss.recordLiveRun(st, start, 0, nil, err)
		return nil, upstreamError(err)
	}
	if err := up.Apply(ctx, ss.settings.forwarded()); err != nil {
		up.Release()
		ss.recordLiveRun(st, start, 0, nil, err)
		return nil, upstreamError(err)
	}
	ss.liveOpen.Add(1)
	c := &liveCursor{ss: ss, st: st, up: up, start: start, target: target}
	if b == nil {
		// The statement's text inlines its constants; when it came
		// from the plan cache, run it as a prepared statement with its
		// constants as parameters so the upstream reuses its plan too.
		if sql, args, oids, ok := st.UpstreamTemplate(); ok && !target.Refused(sql) {
			rr, err := up.ExecPrepared(ctx, sql, oids, args, nil, nil)
			if err == nil {
				c.rr = rr
				return c, nil
			}
			if ctx.Err() != nil {
				c.close()
				ss.recordLiveRun(st, start, 0, nil, err)
				return nil, upstreamError(err)
			}
			// Preparing failed (nothing ran): plan it as text from now on.
			target.Refuse(sql)
			if up.Busy() {
				c.close()
				return nil, upstreamError(err)
			}
		}
		c.rr = up.Exec(ctx, st.Upstream())
		return c, nil
	}
	c.rr, err = up.ExecPrepared(ctx, st.Upstream(), b.oids, b.raw, b.formats, b.resultFormats)
	if err != nil {
		c.close()
		ss.recordLiveRun(st, start, 0, nil, err)
		return nil, upstreamError(err)
	}
	return c, nil
}

// liveFields strips the upstream's table OIDs: they name its catalog,
// not ours.
func liveFields(in []pgconn.FieldDescription) []pgproto3.FieldDescription {
	out := make([]pgproto3.FieldDescription, len(in))
	for i, f := range in {
		out[i] = pgproto3.FieldDescription{Name: []byte(f.Name), DataTypeOID: f.DataTypeOID, DataTypeSize: f.DataTypeSize,
			TypeModifier: f.TypeModifier, Format: f.Format}
	}
	return out
}

func (c *liveCursor) fetch(ctx context.Context, w Sink, maxRows int) (bool, error) {
	if !c.started {
		c.started = true
		fields := liveFields(c.rr.FieldDescriptions())
		if err := w.DescribeFields(fields); err != nil {
			return false, err
		}
	}
	var sent int64
	for maxRows <= 0 || sent < int64(maxRows) {
		if !c.rr.NextRow() {
			tag, err := c.rr.Close()
			c.rr = nil
			c.ss.recordLiveRun(c.st, c.start, c.total, nil, err)
			if err != nil {
				c.close()
				return false, upstreamError(err)
			}
			c.close()
			t := tag.String()
			if strings.HasPrefix(t, "SELECT") && maxRows > 0 {
				t = describeTag("SELECT", sent)
			}
			return false, w.Complete(t)
		}
		if err := w.WriteRow(c.rr.Values()); err != nil {
			return false, err
		}
		sent++
		c.total++
	}
	// Rows remain: the statement stays open until the next request.
	if err := c.hold(); err != nil {
		c.close()
		return false, err
	}
	return true, nil
}

// hold counts the statement as left open on its upstream connection.
func (c *liveCursor) hold() error {
	if c.held {
		return nil
	}
	if !c.target.Hold() {
		return pgerr.New(pgerr.TooManyConnections, "too many live queries are held open on this upstream").
			WithHint("Read cursors to their end or CLOSE them; half of the upstream's live connections stay free for other statements. Or SET hotdata.freshness = cached.")
	}
	c.held = true
	return nil
}

// description is the upstream's description of the rows.
func (c *liveCursor) description() (*arrow.Schema, []pgproto3.FieldDescription) {
	if c.rr == nil {
		return nil, nil
	}
	return nil, liveFields(c.rr.FieldDescriptions())
}

func (c *liveCursor) close() {
	if c.closed {
		return
	}
	c.closed = true
	if c.rr != nil {
		// Not read to its end: stop it upstream rather than read the
		// rest (which may be endless).
		c.up.Abort()
		c.rr = nil
	}
	if c.up != nil {
		c.up.Release()
		c.ss.liveOpen.Add(-1)
	}
	if c.held {
		c.target.Unhold()
		c.held = false
	}
}

// explainLive answers EXPLAIN of a live statement: the route, then the
// upstream's own plan.
func (ss *Session) explainLive(ctx context.Context, st *planner.Statement, target *postgres.Connector, w Sink) error {
	up, err := target.Acquire(ctx)
	if err != nil {
		return upstreamError(err)
	}
	defer up.Release()
	if err := up.Apply(ctx, ss.settings.forwarded()); err != nil {
		return upstreamError(err)
	}
	names := make([]string, len(st.Tables))
	for i, o := range st.Tables {
		names[i] = o.QualifiedName()
	}
	lines := []string{"Hotdata route: live (pushed down to the upstream), tables: " + strings.Join(names, ", ")}
	res := up.Exec(ctx, "EXPLAIN "+st.Upstream()).Read()
	if res.Err != nil {
		return upstreamError(res.Err)
	}
	for _, row := range res.Rows {
		if len(row) > 0 {
			lines = append(lines, string(row[0]))
		}
	}
	rows := make([][]string, len(lines))
	for i, l := range lines {
		rows[i] = []string{l}
	}
	return sendStrings(w, []string{"QUERY PLAN"}, rows, "EXPLAIN")
}

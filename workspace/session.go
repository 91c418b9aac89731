package workspace

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"log/slog"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hotdata-dev/hotdata/cache"
	"github.com/hotdata-dev/hotdata/internal/metrics"
	"github.com/hotdata-dev/hotdata/internal/pgerr"
	"github.com/hotdata-dev/hotdata/metastore"
	"github.com/hotdata-dev/hotdata/pgval"
	"github.com/hotdata-dev/hotdata/planner"
	"github.com/hotdata-dev/hotdata/wire"
)

// Sink receives one statement's results: Arrow batches, or raw rows from
// a live upstream. It is the wire front end's ResultWriter; the REST API
// implements it too.
type Sink = wire.ResultWriter

// Sources of a session, recorded with its query runs.
const (
	SourcePgwire = "pgwire"
	SourceREST   = "rest"
)

type txState int

const (
	txIdle txState = iota
	txOpen
	txFailed
)

// Session is one client's conversation with a workspace: its settings and
// transaction state. A session is used by one goroutine at a time.
type Session struct {
	svc       *Service
	ws        metastore.Workspace
	principal metastore.Principal
	// authVersion is the metastore's auth version when principal was
	// loaded (revocation.go).
	authVersion int64
	user        string
	source      string
	pid         int32 // pg_backend_pid(); 0 outside pgwire
	// lastSnapshots are the snapshots the last statement read (the REST
	// front end records them with its run).
	lastSnapshots []string
	// lastFreshness is how fresh each table the last statement read was.
	lastFreshness []TableFreshness
	settings      *settings
	tx            txState
	// txStart are the settings as the transaction block found them (its
	// ROLLBACK restores them); savepoints are its open savepoints;
	// txQueried is set once a statement of the block read data (after
	// which its isolation level and read-write mode are fixed).
	txStart    gucSnapshot
	savepoints []savepoint
	txQueried  bool
	// implicit is set while the statements of a several-statement Query
	// run outside a block (PostgreSQL's implicit transaction block);
	// implicitStart are the settings before them.
	implicit      bool
	implicitStart gucSnapshot
	// txTime is when the transaction block began: now() in it.
	txTime time.Time
	// recordRuns queues each statement as a query run (pgwire).
	recordRuns bool
	// deallocateHook and discardHook drop the wire front end's prepared
	// statements and portals (DEALLOCATE, DISCARD ALL).
	deallocateHook func(name string) bool
	discardHook    func()
	// portalLookup finds the wire front end's portals for FETCH and MOVE.
	portalLookup wire.PortalLookup
	release      func()
	// SQL-level prepared statements and cursors.
	sqlPrepared map[string]*planner.Statement
	cursors     map[string]*sqlCursor
	// liveOpen counts the session's live statements still holding an
	// upstream connection (open cursors and suspended portals).
	liveOpen atomic.Int32
	// planning is closed when planning abandoned by statement_timeout
	// finishes (bounded); nil when none is left.
	planning chan struct{}
}

var (
	_ wire.Session    = (*Session)(nil)
	_ wire.ResetHooks = (*Session)(nil)
)

// NewSession opens a session on a workspace for p. params are start-up
// parameters (application_name, options, …).
func (s *Service) NewSession(ctx context.Context, p metastore.Principal, ws metastore.Workspace, user, source string, params map[string]string) (*Session, error) {
	if err := requireRole(p, metastore.RoleViewer, "querying"); err != nil {
		return nil, err
	}
	st, err := newSettings(params, user)
	if err != nil {
		return nil, err
	}
	return &Session{svc: s, ws: ws, principal: p, user: user, source: source, settings: st, recordRuns: source == SourcePgwire}, nil
}

// Workspace returns the session's workspace.
func (ss *Session) Workspace() metastore.Workspace { return ss.ws }

// withTimeout applies statement_timeout to one statement.
func (ss *Session) withTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	if timeout := ss.settings.statementTimeout(); timeout > 0 {
		return context.WithTimeoutCause(ctx, timeout, errStatementTimeout)
	}
	return context.WithCancel(ctx)
}

var errStatementTimeout = errors.New("statement timeout")

// timeoutError reports a statement stopped by statement_timeout as such.
func timeoutError(ctx context.Context, err error) error {
	if err != nil && errors.Is(context.Cause(ctx), errStatementTimeout) {
		return pgerr.Wrap(err, pgerr.QueryCanceled, "canceling statement due to statement timeout")
	}
	return err
}

// SimpleQuery runs every statement of one Query message (wire.Session).
func (ss *Session) SimpleQuery(ctx context.Context, sql string, w wire.ResultWriter) error {
	return ss.Execute(ctx, sql, w)
}

// Execute runs every statement in sql, in order, stopping at the first
// error, which it returns (a *pgerr.Error for anything the client did).
func (ss *Session) Execute(ctx context.Context, sql string, sink Sink) error {
	if err := ss.checkPrincipal(ctx); err != nil {
		return err
	}
	if err := ss.svc.checkStatementSize(sql); err != nil {
		ss.failTx()
		return err
	}
	// statement_timeout counts from the message's arrival: planning, and
	// the first statement, run under it.
	first, cancel := ss.withTimeout(ctx)
	defer cancel()
	stmts, entry, err := ss.plan(first, sql)
	if err != nil {
		ss.failTx()
		return timeoutError(first, err)
	}
	if len(stmts) == 0 {
		return sink.EmptyQuery()
	}
	// Several statements in one Query run in one implicit transaction
	// block, as in PostgreSQL: SET LOCAL, SET TRANSACTION and DECLARE
	// work in it, and an error undoes the SETs before it.
	if len(stmts) > 1 && ss.tx == txIdle {
		ss.beginImplicit()
	}
	for i, st := range stmts {
		if err := ss.checkFailedTx(st); err != nil {
			ss.endImplicit(false)
			return err
		}
		sctx, scancel := first, context.CancelFunc(func() {})
		if i > 0 {
			// Each further statement has a timeout of its own, as in
			// PostgreSQL.
			sctx, scancel = ss.withTimeout(ctx)
		}
		err := ss.runStatement(sctx, st, entry, sink)
		scancel()
		if err != nil {
			ss.failTx()
			ss.endImplicit(false)
			return err
		}
	}
	ss.endImplicit(true)
	return nil
}

// runStatement runs one statement to completion; ctx carries its
// statement_timeout (withTimeout).
func (ss *Session) runStatement(ctx context.Context, st *planner.Statement, entry *catalogEntry, sink Sink) error {
	cur, err := ss.open(ctx, st, entry, nil, sink)
	if err != nil {
		return timeoutError(ctx, err)
	}
	defer cur.close()
	_, err = cur.fetch(ctx, sink, 0)
	return timeoutError(ctx, err)
}

// checkFailedTx refuses statements in a failed transaction block, as
// PostgreSQL does, until it ends.
func (ss *Session) checkFailedTx(st *planner.Statement) error {
	if ss.tx != txFailed {
		return nil
	}
	if st != nil && st.Kind == planner.Transaction {
		switch st.Tx.Kind {
		case planner.TxRollback, planner.TxRollbackTo, planner.TxCommit:
			return nil
		}
	}
	return pgerr.New(pgerr.InFailedSQLTransaction, "current transaction is aborted, commands ignored until end of transaction block")
}

// FailTx fails the transaction block after an error the wire front
// end reported (wire.TxFailer): a Parse, Bind or Describe error fails it
// as a statement's does.
func (ss *Session) FailTx() { ss.failTx() }

// failTx fails an open block. As in PostgreSQL, the settings the failed
// part of it changed go back at once (to the last savepoint, or to the
// block's start), and are reported so before ReadyForQuery.
func (ss *Session) failTx() {
	if ss.tx != txOpen {
		return
	}
	ss.tx = txFailed
	if n := len(ss.savepoints); n > 0 {
		ss.restoreSettings(ss.savepoints[n-1].gucs)
	} else {
		ss.restoreSettings(ss.txStart)
	}
}

// live reports whether queries may go to the upstream (freshness live
// or auto): their plans then carry the upstream form too.
func (ss *Session) live() bool {
	v, _ := ss.settings.get("hotdata.freshness")
	return v == "live" || v == "auto"
}

// routeLive decides whether a statement goes to the upstream: always
// under freshness live (when it reads tables); under auto, when a table
// it reads is not cached or older than its ttl policy allows and the
// statement can run live — and then the tables are synced in the
// background, so that the next statements read the cache.
func (ss *Session) routeLive(ctx context.Context, st *planner.Statement, entry *catalogEntry) bool {
	v, _ := ss.settings.get("hotdata.freshness")
	if len(st.Tables) == 0 || v == "cached" {
		return false
	}
	if v == "live" {
		return true
	}
	if st.LiveErr() != nil {
		return false
	}
	if st.EngineErr() != nil {
		// Only the upstream can run it.
		_, err := ss.svc.liveTarget(ctx, st, entry)
		return err == nil
	}
	var stale []*tableState
	now := time.Now()
	for _, obj := range st.Tables {
		ts := entry.tables[obj.ID]
		if ts == nil {
			return false
		}
		pol, _ := cache.ParsePolicy(ts.table.Refresh)
		if ts.snapshot == nil || pol.Stale(ts.table.LastSyncAt, now) {
			stale = append(stale, ts)
		}
	}
	if len(stale) == 0 {
		return false
	}
	if _, err := ss.svc.liveTarget(ctx, st, entry); err != nil {
		return false // cannot run live: read the cache (syncing as needed)
	}
	for _, ts := range stale {
		ss.svc.syncInBackground(ts.table)
	}
	return true
}

// plan parses and resolves sql; when a name does not resolve against a
// cached catalog, the catalog is reloaded once (another process may have
// discovered the table since).
func (ss *Session) plan(ctx context.Context, sql string) ([]*planner.Statement, *catalogEntry, error) {
	entry, err := ss.svc.catalog(ctx, ss.ws.ID, false)
	if err != nil {
		return nil, nil, err
	}
	opts, upstream := ss.planOptions(), ss.upstreamOnly()
	// The results are the goroutine's own: abandoned, it writes them
	// after nobody reads them.
	planWith := func(entry *catalogEntry) ([]*planner.Statement, error) {
		var out []*planner.Statement
		var perr error
		if berr := ss.bounded(ctx, func() { out, perr = cachedPlan(entry, sql, opts, upstream) }); berr != nil {
			return nil, berr
		}
		return out, perr
	}
	stmts, err := planWith(entry)
	if code := pgerr.Code(err); err != nil && (code == pgerr.UndefinedTable || code == pgerr.AmbiguousAlias) && time.Since(entry.loadedAt) > 50*time.Millisecond {
		if entry, err = ss.svc.catalog(ctx, ss.ws.ID, true); err != nil {
			return nil, nil, err
		}
		stmts, err = planWith(entry)
	}
	return stmts, entry, err
}

// bounded runs fn, planning work that takes no context, so that the
// statement ends with ctx (statement_timeout, a cancel request): fn then
// runs on to its end in a goroutine nobody waits for. A session leaves
// at most one such goroutine behind: its next planning first waits for
// it (within its own timeout), so a client cannot pile them up beyond
// its sessions. Without a statement_timeout fn runs inline, for free.
func (ss *Session) bounded(ctx context.Context, fn func()) error {
	if ss.planning != nil {
		select {
		case <-ss.planning:
			ss.planning = nil
		case <-ctx.Done():
			e := pgerr.As(canceled(ctx))
			e.Hint = "An earlier statement of this session, stopped by statement_timeout, is still being planned: retry in a moment."
			return e
		}
	}
	if ss.settings.statementTimeout() <= 0 {
		fn()
		return nil
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn()
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		ss.planning = done
		return canceled(ctx)
	}
}

// canceled is the error of a statement whose context ended.
func canceled(ctx context.Context) error {
	return pgerr.Wrap(ctx.Err(), pgerr.QueryCanceled, "canceling statement due to user request")
}

// upstreamOnly reports whether statements that read tables go to the
// upstream (freshness live): they are planned without the cache's
// refusal of the columns it cannot serve.
func (ss *Session) upstreamOnly() bool {
	v, _ := ss.settings.get("hotdata.freshness")
	return v == "live"
}

// planOptions are the planner's options for this session now.
func (ss *Session) planOptions() planner.Options {
	return planner.Options{Live: ss.live(), Settings: ss.settings.translateSettings()}
}

// cachedPlan plans sql (against catUpstream when upstream), reusing the plan of an earlier statement that
// differed only in its constants (the simple query protocol inlines
// every value, so this is how it avoids a parse per execution).
func cachedPlan(entry *catalogEntry, sql string, opts planner.Options, upstream bool) ([]*planner.Statement, error) {
	cat := entry.planCatalog(upstream)
	key, consts, ok := planner.Normalize(sql)
	if !ok {
		return planner.Plan(sql, cat, opts)
	}
	shape, ok := planner.LiteralShape(consts)
	if !ok {
		return planner.Plan(sql, cat, opts)
	}
	k := planKey{sql: key, live: opts.Live, shape: shape, settings: opts.Settings, upstream: upstream}
	if v, hit := entry.plans.get(k); hit {
		tmpl, _ := v.([]*planner.Statement)
		if tmpl == nil {
			return planner.Plan(sql, cat, opts)
		}
		out := make([]*planner.Statement, len(tmpl))
		for i, st := range tmpl {
			out[i] = st.WithConsts(statementSource(sql, st, len(tmpl)), consts)
		}
		return out, nil
	}
	tmpl, _, err := planner.PlanTemplate(key, consts, cat, opts)
	if err != nil {
		// The text may not be parameterizable (DATE '2024-01-01' is not
		// DATE $1), or its error may depend on a constant: plan it as
		// it is, and remember to for a syntax error.
		if pgerr.Code(err) == pgerr.SyntaxError {
			entry.plans.put(k, nil)
		}
		return planner.Plan(sql, cat, opts)
	}
	for _, st := range tmpl {
		if st.ConstSensitive() {
			// The plan depends on a constant's value: plan each text.
			entry.plans.put(k, nil)
			return planner.Plan(sql, cat, opts)
		}
	}
	entry.plans.put(k, tmpl)
	out := make([]*planner.Statement, len(tmpl))
	for i, st := range tmpl {
		out[i] = st.WithConsts(statementSource(sql, st, len(tmpl)), consts)
	}
	return out, nil
}

// statementSource is the client's text of a statement planned from a
// normalized template: the whole text when it holds one statement.
func statementSource(sql string, tmpl *planner.Statement, n int) string {
	if n == 1 {
		return strings.TrimSpace(sql)
	}
	return tmpl.Text
}

// recordLiveRun is recordRun for a statement that ran on the upstream.
func (ss *Session) recordLiveRun(st *planner.Statement, start time.Time, rows int64, snapIDs []string, err error) {
	ss.record("live", st, start, rows, snapIDs, err)
}

// recordRun counts a finished statement of the cached route in the
// metrics and queues it as a query run.
func (ss *Session) recordRun(st *planner.Statement, start time.Time, rows int64, snapIDs []string, err error) {
	ss.record("cached", st, start, rows, snapIDs, err)
}

func (ss *Session) record(route string, st *planner.Statement, start time.Time, rows int64, snapIDs []string, err error) {
	code := ""
	if err != nil {
		code = pgerr.Code(err)
	}
	metrics.Statement(route, time.Since(start), code)
	recorded := ss.recordRuns && ss.svc.cfg.PgwireRuns.records(time.Since(start), err)
	runID := ""
	if recorded {
		runID = metastore.NewID(metastore.PrefixQueryRun)
	}
	// One structured line per statement (failures at info, the rest at
	// debug), with the id its query run is recorded under.
	level := slog.LevelDebug
	if err != nil {
		level = slog.LevelInfo
	}
	ss.svc.log.Log(context.Background(), level, "statement", "query_run_id", runID, "workspace", ss.ws.ID, "route", route,
		"duration_ms", time.Since(start).Milliseconds(), "rows", rows, "sqlstate", code)
	if !recorded {
		return
	}
	done := time.Now().UTC()
	run := metastore.QueryRun{ID: runID, WorkspaceID: ss.ws.ID, MemberID: ss.principal.Member.ID, UserName: ss.user, Source: ss.source,
		SQLText: st.Text, SQLHash: sqlHash(st.Text), CreatedAt: start.UTC(), CompletedAt: &done,
		ExecutionTimeMs: time.Since(start).Milliseconds(), RowCount: rows, SnapshotIDs: snapIDs, Status: metastore.StatusSucceeded}
	if err != nil {
		run.Status, run.ErrorMessage = metastore.StatusFailed, errorText(err)
	}
	ss.svc.runs.record(run)
}

func sqlHash(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:16])
}

func errorText(err error) string {
	if e := pgerr.As(err); e != nil {
		return e.Message
	}
	return err.Error()
}

// deallocate answers DEALLOCATE name | ALL.
func (ss *Session) deallocate(st *planner.Statement, sink Sink) error {
	// SQL PREPARE and the protocol's Parse share one namespace.
	if st.Name == "" {
		ss.sqlPrepared = nil
	} else if _, ok := ss.sqlPrepared[st.Name]; ok {
		delete(ss.sqlPrepared, st.Name)
		return sink.Complete(st.Tag)
	}
	if ss.deallocateHook != nil && !ss.deallocateHook(st.Name) && st.Name != "" {
		return pgerr.New(pgerr.InvalidSQLStatementName, "prepared statement %q does not exist", st.Name)
	}
	return sink.Complete(st.Tag)
}

// SetResetHooks implements wire.ResetHooks.
func (ss *Session) SetResetHooks(deallocate func(name string) bool, discardAll func()) {
	ss.deallocateHook, ss.discardHook = deallocate, discardAll
}

// TxStatus is the ReadyForQuery status byte.
func (ss *Session) TxStatus() byte {
	switch ss.tx {
	case txOpen:
		return 'T'
	case txFailed:
		return 'E'
	}
	return 'I'
}

// IdleTimeouts are the session's idle_session_timeout and
// idle_in_transaction_session_timeout.
func (ss *Session) IdleTimeouts() (time.Duration, time.Duration) {
	v1, _ := ss.settings.get("idle_session_timeout")
	v2, _ := ss.settings.get("idle_in_transaction_session_timeout")
	d1, _ := parseMillis(v1)
	d2, _ := parseMillis(v2)
	return time.Duration(d1) * time.Millisecond, time.Duration(d2) * time.Millisecond
}

// ReportedParameters are the session's values of the parameters
// reported at start-up (they may come from start-up options).
func (ss *Session) ReportedParameters() map[string]string {
	ss.settings.reportedChanges()
	return maps.Clone(ss.settings.reported)
}

// ReportedChanges lists the reported parameters that changed since the
// client was last told, for ParameterStatus messages before
// ReadyForQuery (wire.ParameterReporter).
func (ss *Session) ReportedChanges() [][2]string { return ss.settings.reportedChanges() }

// Location is the session's TimeZone as a location (wire formats
// timestamptz values with it).
func (ss *Session) Location() *time.Location { return ss.settings.Location() }

// Close ends the session.
func (ss *Session) Close() error {
	ss.closeCursors(true, false)
	if ss.release != nil {
		ss.release()
	}
	return nil
}

// describeTag builds "SELECT n"-style tags.
func describeTag(tag string, rows int64) string {
	switch tag {
	case "SELECT", "COPY":
		return tag + " " + strconv.FormatInt(rows, 10)
	}
	return tag
}

// engineSQL is st's engine SQL with this session's values of
// current_user, current_schema(s), current_setting and pg_backend_pid.
func (ss *Session) engineSQL(st *planner.Statement, entry *catalogEntry) (string, error) {
	now := time.Now()
	tx := now
	if ss.inBlock() && !ss.txTime.IsZero() {
		tx = ss.txTime
	}
	return st.EngineSQL(planner.SessionValues{User: ss.user, SearchPath: ss.searchPath(entry), PID: ss.pid, Setting: ss.settings.get,
		TxStart: tx, StatementStart: now})
}

// OutputStyle is how this session prints values (wire.Styler).
func (ss *Session) OutputStyle() pgval.Style { return ss.settings.style() }

// searchPath lists the schemas an unqualified name is looked up in, as
// current_schemas(false) does: those of search_path that exist ("$user"
// is the session's user name), then every other schema of the workspace,
// since Hotdata resolves an unqualified name in any schema where it is
// unambiguous (DESIGN.md, "Names in SQL").
func (ss *Session) searchPath(entry *catalogEntry) []string {
	v, _ := ss.settings.get("search_path")
	exists := entry.schemaNames()
	var out []string
	for _, p := range strings.Split(v, ",") {
		p = strings.TrimSpace(p)
		if len(p) >= 2 && p[0] == '"' && p[len(p)-1] == '"' {
			p = strings.ReplaceAll(p[1:len(p)-1], `""`, `"`)
		} else {
			p = strings.ToLower(p)
		}
		if p == "$user" {
			p = ss.user
		}
		if exists[p] && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	for _, p := range entry.pg.Schemas() {
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

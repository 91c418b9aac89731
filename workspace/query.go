package workspace

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/hotdata-dev/hotdata/cache"
	"github.com/hotdata-dev/hotdata/internal/pgerr"
	"github.com/hotdata-dev/hotdata/metastore"
	"github.com/hotdata-dev/hotdata/planner"
	"github.com/hotdata-dev/hotdata/wire"
)

// QueryOutcome is a REST query's records.
type QueryOutcome struct {
	Run    metastore.QueryRun
	Result metastore.Result
	// Freshness says how fresh each cached table the query read was.
	Freshness []TableFreshness
	// Warnings are notices worth showing (sync warnings, result storage).
	Warnings []string
}

// Query runs one statement for the REST API: rows go to preview as they
// come, the full result is stored as Parquet, and the run and result are
// recorded. A statement error is returned (as *pgerr.Error) after the run
// is recorded as failed. The statement counts against the workspace's
// concurrent-query limit while it runs (KindOverloaded past it).
func (s *Service) Query(ctx context.Context, p metastore.Principal, ws metastore.Workspace, sql string, preview Sink) (QueryOutcome, error) {
	q, err := s.startQuery(ctx, p, ws, sql)
	if err != nil {
		return QueryOutcome{}, err
	}
	defer q.release()
	return s.runQuery(ctx, q, preview)
}

// PendingQuery is a REST query running in the background (QueryAsync).
type PendingQuery struct {
	// Run is the run as recorded when it started (status running).
	Run      metastore.QueryRun
	ResultID string

	done chan struct{}
	out  QueryOutcome
	err  error
}

// Done is closed when the query has finished and its run is recorded.
func (q *PendingQuery) Done() <-chan struct{} { return q.done }

// Outcome is what Query would have returned; call it after Done.
func (q *PendingQuery) Outcome() (QueryOutcome, error) {
	<-q.done
	return q.out, q.err
}

// QueryAsync starts one statement like Query but runs it in a goroutine
// the service owns: it outlives the request that started it and is
// canceled by Close. Errors found before the statement starts (role,
// limits, several statements) are returned at once; the statement's own
// error is recorded with its run. preview is written by that goroutine:
// read it only after Done.
func (s *Service) QueryAsync(ctx context.Context, p metastore.Principal, ws metastore.Workspace, sql string, preview Sink) (*PendingQuery, error) {
	q, err := s.startQuery(ctx, p, ws, sql)
	if err != nil {
		return nil, err
	}
	pq := &PendingQuery{Run: q.run, ResultID: q.resID, done: make(chan struct{})}
	started := s.goBackground(func(bg context.Context) {
		defer close(pq.done)
		defer q.release()
		pq.out, pq.err = s.runQuery(bg, q, preview)
	})
	if !started {
		q.release()
		q.abandon(context.WithoutCancel(ctx), "the server is shutting down")
		return nil, newError(KindUnavailable, "SHUTTING_DOWN", "the server is shutting down: retry on another node or after restart")
	}
	return pq, nil
}

// restQuery is a REST statement admitted and recorded as running.
type restQuery struct {
	svc     *Service
	ws      metastore.Workspace
	sess    *Session
	sql     string
	run     metastore.QueryRun
	resID   string
	rel     string
	release func()
}

// startQuery checks and admits a statement, then records its run and
// its result as running (so that both can be polled while it runs).
func (s *Service) startQuery(ctx context.Context, p metastore.Principal, ws metastore.Workspace, sql string) (*restQuery, error) {
	if err := requireRole(p, metastore.RoleViewer, "querying"); err != nil {
		return nil, err
	}
	if err := s.checkStatementSize(sql); err != nil {
		return nil, err
	}
	entry, err := s.catalog(ctx, ws.ID, false)
	if err != nil {
		return nil, err
	}
	// The server's REST timeout is the session's statement_timeout:
	// planning and running count against it (57014, 408).
	var params map[string]string
	if s.cfg.RESTQueryTimeout > 0 {
		params = map[string]string{"statement_timeout": strconv.FormatInt(max(1, s.cfg.RESTQueryTimeout.Milliseconds()), 10)}
	}
	sess, err := s.NewSession(ctx, p, ws, p.Member.Name, SourceREST, params)
	if err != nil {
		return nil, err
	}
	var stmts []*planner.Statement
	var perr error
	tctx, cancel := sess.withTimeout(ctx)
	berr := sess.bounded(tctx, func() { stmts, perr = planner.Plan(sql, entry.cat, planner.Options{}) })
	cancel()
	if berr != nil {
		return nil, timeoutError(tctx, berr)
	}
	if perr == nil && len(stmts) != 1 {
		return nil, invalid("sql must hold exactly one statement; it holds %d", len(stmts))
	}
	resID := metastore.NewID(metastore.PrefixResult)
	release, err := s.queries.admit(ws, s.cfg.MaxConcurrentQueries, resID)
	if err != nil {
		return nil, err
	}
	q := &restQuery{svc: s, ws: ws, sess: sess, sql: sql, resID: resID, rel: filepath.Join("results", resID+".parquet"), release: release}
	q.run, err = s.store.CreateQueryRun(ctx, metastore.QueryRun{WorkspaceID: ws.ID, MemberID: p.Member.ID, UserName: p.Member.Name,
		Source: SourceREST, SQLText: sql, SQLHash: sqlHash(sql), ResultID: resID})
	if err != nil {
		release()
		return nil, err
	}
	expires := q.run.CreatedAt.Add(s.cfg.ResultRetention)
	if _, err := s.store.SaveResult(ctx, metastore.Result{ID: resID, WorkspaceID: ws.ID, QueryRunID: q.run.ID, Status: metastore.StatusRunning,
		CreatedAt: q.run.CreatedAt, ExpiresAt: &expires}); err != nil {
		release()
		q.abandon(context.WithoutCancel(ctx), "the result could not be recorded")
		return nil, err
	}
	return q, nil
}

// abandon records a run that never ran as canceled, and its result too.
func (q *restQuery) abandon(ctx context.Context, why string) {
	done := time.Now().UTC()
	q.run.Status, q.run.ErrorMessage, q.run.CompletedAt = metastore.StatusCanceled, why, &done
	if err := q.svc.store.FinishQueryRun(ctx, q.run); err != nil {
		q.svc.log.Warn("record abandoned query run", "run", q.run.ID, "err", err)
	}
	res, err := q.svc.store.GetResult(ctx, q.ws.ID, q.resID)
	if err == nil {
		res.Status, res.ErrorMessage = metastore.StatusCanceled, why
		_, err = q.svc.store.SaveResult(ctx, res)
	}
	if err != nil && !errors.Is(err, metastore.ErrNotFound) {
		q.svc.log.Warn("record abandoned result", "result", q.resID, "err", err)
	}
}

// runQuery executes an admitted statement, stores its result and
// records the outcome.
func (s *Service) runQuery(ctx context.Context, q *restQuery, preview Sink) (QueryOutcome, error) {
	var out QueryOutcome
	ws, run := q.ws, q.run
	tee := &resultTee{preview: preview, tmp: filepath.Join(s.layout.Tmp(ws.ID), q.resID+".parquet"), final: s.layout.Abs(ws.ID, q.rel),
		maxRows: s.cfg.MaxResultRows, maxBytes: s.cfg.MaxResultBytes}
	// POST /v1/query-runs/{id}/cancel stops it (CancelQueryRun).
	ctx, cancel := context.WithCancelCause(ctx)
	untrack := s.queries.track(run.ID, cancel)
	defer untrack()
	start := time.Now()
	execErr := q.sess.Execute(ctx, q.sql, tee)
	elapsed := time.Since(start)
	stats, storeErr := tee.finish(execErr == nil)

	done := time.Now().UTC()
	run.CompletedAt = &done
	run.ExecutionTimeMs = elapsed.Milliseconds()
	run.RowCount = tee.rows
	run.SnapshotIDs = q.sess.lastSnapshots
	out.Freshness = q.sess.lastFreshness
	res := metastore.Result{ID: q.resID, WorkspaceID: ws.ID, QueryRunID: run.ID, Columns: tee.columns, RowCount: tee.rows, CreatedAt: run.CreatedAt}
	switch {
	case execErr != nil && ctx.Err() != nil || pgerr.Code(execErr) == pgerr.QueryCanceled:
		run.Status, run.ErrorMessage = metastore.StatusCanceled, "canceled: "+errorText(execErr)
		res.Status, res.ErrorMessage = metastore.StatusCanceled, run.ErrorMessage
	case execErr != nil:
		run.Status, run.ErrorMessage = metastore.StatusFailed, errorText(execErr)
		res.Status, res.ErrorMessage = metastore.StatusFailed, run.ErrorMessage
	case storeErr != nil:
		s.log.Warn("store query result", "workspace", ws.ID, "result", q.resID, "err", storeErr)
		run.Status = metastore.StatusSucceeded
		res.Status, res.ErrorMessage = metastore.StatusFailed, "the result could not be stored: "+storeErr.Error()
		out.Warnings = append(out.Warnings, res.ErrorMessage)
	case tee.live:
		// Live rows come as PostgreSQL text, which is not stored.
		run.Status = metastore.StatusSucceeded
		res.Status, res.ErrorMessage = metastore.StatusFailed, liveNotStored
	default:
		run.Status = metastore.StatusSucceeded
		res.Status, res.SizeBytes = metastore.StatusSucceeded, stats.Bytes
		if tee.writer != nil {
			res.Path = q.rel
		}
		if tee.truncated != "" {
			// The result holds the rows stored before the cap.
			res.RowCount, res.ErrorMessage = tee.stored, tee.truncated
		}
	}
	expires := done.Add(s.cfg.ResultRetention)
	res.ExpiresAt = &expires
	run.ResultID = res.ID
	bg := context.WithoutCancel(ctx)
	var err error
	if res, err = s.store.SaveResult(bg, res); err != nil {
		return out, err
	}
	if err := s.store.FinishQueryRun(bg, run); err != nil {
		return out, err
	}
	out.Run, out.Result = run, res
	out.Warnings = append(out.Warnings, tee.warnings...)
	return out, execErr
}

const liveNotStored = "live results are not stored: run the query with hotdata.freshness = cached to keep it"

// resultTee passes a statement's results to the preview sink and writes
// them to a Parquet file in tmp/, moved into results/ when complete.
type resultTee struct {
	preview Sink
	tmp     string
	final   string
	writer  *cache.ParquetWriter
	columns []metastore.Column
	rows    int64
	live    bool // rows came as PostgreSQL values (not stored)
	// text is the schema with intervals as text (restintervals.go), nil
	// when the result has none; regs are the columns of reg values sent
	// as {OID, name} pairs, stored as names (restreg.go).
	text     *arrow.Schema
	regs     []int
	regText  *arrow.Schema
	warnings []string
	err      error // first storage error; the query goes on without storage
	// maxRows and maxBytes cap the stored result (0: no cap); past
	// either, storing stops, stored counts what was, and truncated says
	// why (the query goes on for its preview and row count).
	maxRows, maxBytes int64
	stored            int64
	truncated         string
}

// truncatedPrefix starts the error_message of a result cut at the cap.
const truncatedPrefix = "truncated: "

// store writes rec to the result file, up to the caps.
func (t *resultTee) store(rec arrow.RecordBatch) {
	if t.writer == nil || t.err != nil || t.truncated != "" {
		return
	}
	n := rec.NumRows()
	if t.maxRows > 0 && t.stored+n > t.maxRows {
		n = t.maxRows - t.stored
		t.truncate(fmt.Sprintf("the stored result holds its first %d rows, the server's cap (HOTDATA_MAX_RESULT_ROWS)", t.maxRows))
	}
	if n > 0 {
		part := rec
		if n < rec.NumRows() {
			part = rec.NewSlice(0, n)
			defer part.Release()
		}
		if err := t.writer.Write(part); err != nil {
			t.err = err
			return
		}
		t.stored += n
	}
	if t.truncated == "" && t.maxBytes > 0 && t.writer.RawBytes() >= t.maxBytes {
		t.truncate(fmt.Sprintf("the stored result holds its first %d rows: it reached the server's cap of %d bytes (HOTDATA_MAX_RESULT_BYTES)", t.stored, t.maxBytes))
	}
}

func (t *resultTee) truncate(why string) {
	t.truncated = truncatedPrefix + why
	t.warnings = append(t.warnings, t.truncated)
}

func (t *resultTee) Describe(schema *arrow.Schema) error {
	if t.regs = regPairColumns(schema); len(t.regs) > 0 {
		schema = regNamesSchema(schema, t.regs)
		t.regText = schema
	}
	if ts, ok := textIntervals(schema); ok {
		schema, t.text = ts, ts
	}
	t.columns = cache.ColumnsOf(schema)
	if w, err := cache.NewParquetWriter(t.tmp, schema); err != nil {
		t.err = err
	} else {
		t.writer = w
	}
	return t.preview.Describe(schema)
}

func (t *resultTee) Write(rec arrow.RecordBatch) error {
	if t.regText != nil {
		rec = regNames(rec, t.regText, t.regs)
		defer rec.Release()
	}
	if t.text != nil {
		rec = intervalsToText(rec, t.text)
		defer rec.Release()
	}
	t.rows += rec.NumRows()
	t.store(rec)
	return t.preview.Write(rec)
}

// DescribeFields and WriteRow carry rows that come as PostgreSQL values
// (live queries): they reach the preview but are not stored.
func (t *resultTee) DescribeFields(fields []pgproto3.FieldDescription) error {
	t.columns = make([]metastore.Column, len(fields))
	for i, f := range fields {
		t.columns[i] = metastore.Column{Name: string(f.Name), DataType: strconv.FormatUint(uint64(f.DataTypeOID), 10), Nullable: true}
	}
	t.live = true
	t.warnings = append(t.warnings, liveNotStored)
	return t.preview.DescribeFields(fields)
}

func (t *resultTee) WriteRow(values [][]byte) error {
	t.rows++
	return t.preview.WriteRow(values)
}

func (t *resultTee) ResultFormats() []int16 { return nil }

func (t *resultTee) CopyOut(wire.CopyFormat, bool, *arrow.Schema) error {
	return pgerr.New(pgerr.FeatureNotSupported, "COPY TO STDOUT needs the PostgreSQL protocol: run it with psql or a driver")
}

func (t *resultTee) Complete(tag string) error { return t.preview.Complete(tag) }
func (t *resultTee) EmptyQuery() error         { return t.preview.EmptyQuery() }

func (t *resultTee) Notice(n *pgerr.Error) error {
	if n.Severity == pgerr.SeverityWarning {
		t.warnings = append(t.warnings, n.Message)
	}
	return t.preview.Notice(n)
}

func (t *resultTee) ParameterStatus(name, value string) error {
	return t.preview.ParameterStatus(name, value)
}

// finish publishes the file when the statement succeeded, else removes it.
func (t *resultTee) finish(ok bool) (cache.WriteStats, error) {
	if t.writer == nil {
		return cache.WriteStats{}, t.err
	}
	if !ok || t.err != nil {
		t.writer.Abort()
		return cache.WriteStats{}, t.err
	}
	st, err := t.writer.Close()
	if err != nil {
		os.Remove(t.tmp)
		return st, err
	}
	if err := os.MkdirAll(filepath.Dir(t.final), 0o700); err != nil {
		return st, err
	}
	if err := os.Rename(t.tmp, t.final); err != nil {
		os.Remove(t.tmp)
		return st, errors.Join(errors.New("publish result"), err)
	}
	return st, nil
}

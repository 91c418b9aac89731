package workspace

import (
	"context"
	"errors"
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
	// Warnings are notices worth showing (sync warnings, result storage).
	Warnings []string
}

// Query runs one statement for the REST API: rows go to preview as they
// come, the full result is stored as Parquet, and the run and result are
// recorded. A statement error is returned (as *pgerr.Error) after the run
// is recorded as failed.
func (s *Service) Query(ctx context.Context, p metastore.Principal, ws metastore.Workspace, sql string, preview Sink) (QueryOutcome, error) {
	var out QueryOutcome
	if err := requireRole(p, metastore.RoleViewer, "querying"); err != nil {
		return out, err
	}
	entry, err := s.catalog(ctx, ws.ID, false)
	if err != nil {
		return out, err
	}
	if stmts, err := planner.Plan(sql, entry.cat, planner.Options{}); err == nil && len(stmts) != 1 {
		return out, invalid("sql must hold exactly one statement; it holds %d", len(stmts))
	}
	run, err := s.store.CreateQueryRun(ctx, metastore.QueryRun{WorkspaceID: ws.ID, MemberID: p.Member.ID, UserName: p.Member.Name,
		Source: SourceREST, SQLText: sql, SQLHash: sqlHash(sql)})
	if err != nil {
		return out, err
	}
	sess, err := s.NewSession(ctx, p, ws, p.Member.Name, SourceREST, nil)
	if err != nil {
		return out, err
	}
	resID := metastore.NewID(metastore.PrefixResult)
	rel := filepath.Join("results", resID+".parquet")
	tee := &resultTee{preview: preview, tmp: filepath.Join(s.layout.Tmp(ws.ID), resID+".parquet"), final: s.layout.Abs(ws.ID, rel)}
	start := time.Now()
	execErr := sess.Execute(ctx, sql, tee)
	elapsed := time.Since(start)
	stats, storeErr := tee.finish(execErr == nil)

	done := time.Now().UTC()
	run.CompletedAt = &done
	run.ExecutionTimeMs = elapsed.Milliseconds()
	run.RowCount = tee.rows
	res := metastore.Result{ID: resID, WorkspaceID: ws.ID, QueryRunID: run.ID, Columns: tee.columns, RowCount: tee.rows}
	switch {
	case execErr != nil:
		run.Status, run.ErrorMessage = metastore.StatusFailed, errorText(execErr)
		res.Status, res.ErrorMessage = metastore.StatusFailed, run.ErrorMessage
	case storeErr != nil:
		s.log.Warn("store query result", "workspace", ws.ID, "result", resID, "err", storeErr)
		run.Status = metastore.StatusSucceeded
		res.Status, res.ErrorMessage = metastore.StatusFailed, "the result could not be stored: "+storeErr.Error()
		out.Warnings = append(out.Warnings, res.ErrorMessage)
	default:
		run.Status = metastore.StatusSucceeded
		res.Status, res.SizeBytes = metastore.StatusSucceeded, stats.Bytes
		if tee.writer != nil {
			res.Path = rel
		}
	}
	expires := done.Add(s.cfg.ResultRetention)
	res.ExpiresAt = &expires
	run.ResultID = res.ID
	bg := context.WithoutCancel(ctx)
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

// resultTee passes a statement's results to the preview sink and writes
// them to a Parquet file in tmp/, moved into results/ when complete.
type resultTee struct {
	preview  Sink
	tmp      string
	final    string
	writer   *cache.ParquetWriter
	columns  []metastore.Column
	rows     int64
	warnings []string
	err      error // first storage error; the query goes on without storage
}

func (t *resultTee) Describe(schema *arrow.Schema) error {
	t.columns = cache.ColumnsOf(schema)
	if w, err := cache.NewParquetWriter(t.tmp, schema); err != nil {
		t.err = err
	} else {
		t.writer = w
	}
	return t.preview.Describe(schema)
}

func (t *resultTee) Write(rec arrow.RecordBatch) error {
	t.rows += rec.NumRows()
	if t.writer != nil && t.err == nil {
		if err := t.writer.Write(rec); err != nil {
			t.err = err
		}
	}
	return t.preview.Write(rec)
}

// DescribeFields and WriteRow carry rows that come as PostgreSQL values
// (live queries): they reach the preview but are not stored.
func (t *resultTee) DescribeFields(fields []pgproto3.FieldDescription) error {
	t.columns = make([]metastore.Column, len(fields))
	for i, f := range fields {
		t.columns[i] = metastore.Column{Name: string(f.Name), DataType: strconv.FormatUint(uint64(f.DataTypeOID), 10), Nullable: true}
	}
	t.warnings = append(t.warnings, "live results are not stored: run the query with hotdata.freshness = cached to keep it")
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

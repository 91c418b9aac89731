package metastore

import (
	"context"
	"fmt"
	"strings"
	"time"
)

const queryRunCols = `id, workspace_id, member_id, user_name, source, status, sql_text, sql_hash, snapshot_ids, result_id, row_count, execution_time_ms, error_message, created_at, completed_at`

func scanQueryRun(sc scanner, r *QueryRun) error {
	return sc.Scan(&r.ID, &r.WorkspaceID, &r.MemberID, &r.UserName, &r.Source, &r.Status, &r.SQLText, &r.SQLHash, jsonCol{&r.SnapshotIDs},
		&r.ResultID, &r.RowCount, &r.ExecutionTimeMs, &r.ErrorMessage, timeCol{&r.CreatedAt}, nullTimeCol{&r.CompletedAt})
}

// CreateQueryRun records a statement that starts running. r.ID is made
// when empty.
func (s *Store) CreateQueryRun(ctx context.Context, r QueryRun) (QueryRun, error) {
	if r.ID == "" {
		r.ID = NewID(PrefixQueryRun)
	}
	if r.Status == "" {
		r.Status = StatusRunning
	}
	r.CreatedAt = now()
	if r.SnapshotIDs == nil {
		r.SnapshotIDs = []string{}
	}
	_, err := s.exec(ctx, `INSERT INTO query_runs (`+queryRunCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.ID, r.WorkspaceID, r.MemberID, r.UserName, r.Source, r.Status, r.SQLText, r.SQLHash, toJSON(r.SnapshotIDs), r.ResultID,
		r.RowCount, r.ExecutionTimeMs, r.ErrorMessage, fmtTime(r.CreatedAt), fmtTimePtr(r.CompletedAt))
	return r, s.insertErr("create query run", err)
}

// FinishQueryRun stores a run's outcome: status, rows, time, result, error.
func (s *Store) FinishQueryRun(ctx context.Context, r QueryRun) error {
	t := now()
	if r.CompletedAt == nil {
		r.CompletedAt = &t
	}
	if r.SnapshotIDs == nil {
		r.SnapshotIDs = []string{}
	}
	res, err := s.exec(ctx, `UPDATE query_runs SET status = ?, snapshot_ids = ?, result_id = ?, row_count = ?, execution_time_ms = ?, error_message = ?, completed_at = ?
		WHERE id = ?`, r.Status, toJSON(r.SnapshotIDs), r.ResultID, r.RowCount, r.ExecutionTimeMs, r.ErrorMessage, fmtTimePtr(r.CompletedAt), r.ID)
	return mustAffect("finish query run", res, err)
}

// GetQueryRun returns a workspace's query run.
func (s *Store) GetQueryRun(ctx context.Context, workspaceID, id string) (QueryRun, error) {
	var r QueryRun
	err := scanQueryRun(s.queryRow(ctx, `SELECT `+queryRunCols+` FROM query_runs WHERE workspace_id = ? AND id = ?`, workspaceID, id), &r)
	return r, notFound("get query run", err)
}

// ListQueryRuns returns a workspace's query runs, newest first.
func (s *Store) ListQueryRuns(ctx context.Context, workspaceID string, limit, offset int) ([]QueryRun, error) {
	rows, err := s.query(ctx, `SELECT `+queryRunCols+` FROM query_runs WHERE workspace_id = ? ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`,
		workspaceID, limit, offset)
	if err != nil {
		return nil, fmt.Errorf("list query runs: %w", err)
	}
	return collect(rows, "list query runs", func(sc scanner) (QueryRun, error) {
		var r QueryRun
		return r, scanQueryRun(sc, &r)
	})
}

const resultCols = `id, workspace_id, query_run_id, status, path, columns, row_count, size_bytes, error_message, created_at, expires_at`

func scanResult(sc scanner, r *Result) error {
	return sc.Scan(&r.ID, &r.WorkspaceID, &r.QueryRunID, &r.Status, &r.Path, jsonCol{&r.Columns}, &r.RowCount, &r.SizeBytes,
		&r.ErrorMessage, timeCol{&r.CreatedAt}, nullTimeCol{&r.ExpiresAt})
}

// SaveResult inserts or replaces a result record. r.ID is made when empty.
func (s *Store) SaveResult(ctx context.Context, r Result) (Result, error) {
	if r.ID == "" {
		r.ID = NewID(PrefixResult)
	}
	if r.CreatedAt.IsZero() {
		r.CreatedAt = now()
	}
	if r.Columns == nil {
		r.Columns = []Column{}
	}
	_, err := s.exec(ctx, `INSERT INTO results (`+resultCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET status = excluded.status, path = excluded.path, columns = excluded.columns, row_count = excluded.row_count,
		size_bytes = excluded.size_bytes, error_message = excluded.error_message, expires_at = excluded.expires_at`,
		r.ID, r.WorkspaceID, r.QueryRunID, r.Status, r.Path, toJSON(r.Columns), r.RowCount, r.SizeBytes, r.ErrorMessage,
		fmtTime(r.CreatedAt), fmtTimePtr(r.ExpiresAt))
	return r, s.insertErr("save result", err)
}

// GetResult returns a workspace's result.
func (s *Store) GetResult(ctx context.Context, workspaceID, id string) (Result, error) {
	var r Result
	err := scanResult(s.queryRow(ctx, `SELECT `+resultCols+` FROM results WHERE workspace_id = ? AND id = ?`, workspaceID, id), &r)
	return r, notFound("get result", err)
}

// ListResults returns a workspace's results, newest first.
func (s *Store) ListResults(ctx context.Context, workspaceID string, limit, offset int) ([]Result, error) {
	rows, err := s.query(ctx, `SELECT `+resultCols+` FROM results WHERE workspace_id = ? ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`,
		workspaceID, limit, offset)
	if err != nil {
		return nil, fmt.Errorf("list results: %w", err)
	}
	return collect(rows, "list results", func(sc scanner) (Result, error) {
		var r Result
		return r, scanResult(sc, &r)
	})
}

// ExpiredResults returns results whose retention ended before t.
func (s *Store) ExpiredResults(ctx context.Context, t time.Time) ([]Result, error) {
	rows, err := s.query(ctx, `SELECT `+resultCols+` FROM results WHERE expires_at IS NOT NULL AND expires_at < ? ORDER BY expires_at`, fmtTime(t))
	if err != nil {
		return nil, fmt.Errorf("expired results: %w", err)
	}
	return collect(rows, "expired results", func(sc scanner) (Result, error) {
		var r Result
		return r, scanResult(sc, &r)
	})
}

// DeleteResult removes a result record.
func (s *Store) DeleteResult(ctx context.Context, workspaceID, id string) error {
	res, err := s.exec(ctx, `DELETE FROM results WHERE workspace_id = ? AND id = ?`, workspaceID, id)
	return mustAffect("delete result", res, err)
}

// InsertQueryRuns stores finished runs in one transaction, many rows
// per statement (the pgwire front end records runs in batches, off the
// query path).
func (s *Store) InsertQueryRuns(ctx context.Context, runs []QueryRun) error {
	if len(runs) == 0 {
		return nil
	}
	const perStatement = 100 // 15 values each, well under SQLite's variable limit
	return s.tx(ctx, func(tx *txn) error {
		for len(runs) > 0 {
			chunk := runs[:min(perStatement, len(runs))]
			runs = runs[len(chunk):]
			var q strings.Builder
			q.WriteString(`INSERT INTO query_runs (` + queryRunCols + `) VALUES `)
			args := make([]any, 0, 15*len(chunk))
			for i, r := range chunk {
				if i > 0 {
					q.WriteString(", ")
				}
				q.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
				if r.ID == "" {
					r.ID = NewID(PrefixQueryRun)
				}
				if r.CreatedAt.IsZero() {
					r.CreatedAt = now()
				}
				if r.SnapshotIDs == nil {
					r.SnapshotIDs = []string{}
				}
				args = append(args, r.ID, r.WorkspaceID, r.MemberID, r.UserName, r.Source, r.Status, r.SQLText, r.SQLHash, toJSON(r.SnapshotIDs),
					r.ResultID, r.RowCount, r.ExecutionTimeMs, r.ErrorMessage, fmtTime(r.CreatedAt), fmtTimePtr(r.CompletedAt))
			}
			if _, err := tx.exec(ctx, q.String(), args...); err != nil {
				return fmt.Errorf("insert query runs: %w", err)
			}
		}
		return nil
	})
}

// InterruptRESTRuns marks REST query runs (and their results) still
// running as canceled: called when the control plane starts, since REST
// queries run only there and none can still be running.
func (s *Store) InterruptRESTRuns(ctx context.Context) (int64, error) {
	t := fmtTime(now())
	const why = "the server stopped while the query ran"
	var n int64
	err := s.tx(ctx, func(tx *txn) error {
		if _, err := tx.exec(ctx, `UPDATE results SET status = ?, error_message = ? WHERE status = ? AND query_run_id IN
			(SELECT id FROM query_runs WHERE source = ? AND status = ?)`, StatusCanceled, why, StatusRunning, "rest", StatusRunning); err != nil {
			return err
		}
		res, err := tx.exec(ctx, `UPDATE query_runs SET status = ?, error_message = ?, completed_at = ? WHERE source = ? AND status = ?`,
			StatusCanceled, why, t, "rest", StatusRunning)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("interrupt query runs: %w", err)
	}
	return n, nil
}

package metastore

import (
	"context"
	"fmt"
	"strings"
)

const jobCols = `id, workspace_id, type, status, target, progress_rows, progress_bytes, progress_fraction, error, node, created_at, started_at, completed_at, warnings`

func scanJob(sc scanner, j *Job) error {
	var warnings string
	err := sc.Scan(&j.ID, &j.WorkspaceID, &j.Type, &j.Status, rawJSONCol{&j.Target}, &j.ProgressRows, &j.ProgressBytes, &j.ProgressFraction,
		&j.Error, &j.Node, timeCol{&j.CreatedAt}, nullTimeCol{&j.StartedAt}, nullTimeCol{&j.CompletedAt}, &warnings)
	if warnings != "" {
		j.Warnings = strings.Split(warnings, "\n")
	}
	return err
}

// CreateJob records a job that starts running on node.
func (s *Store) CreateJob(ctx context.Context, workspaceID, typ string, target any, node string) (Job, error) {
	t := now()
	j := Job{ID: NewID(PrefixJob), WorkspaceID: workspaceID, Type: typ, Status: StatusRunning, Target: []byte(toJSON(target)),
		Node: node, CreatedAt: t, StartedAt: &t}
	_, err := s.exec(ctx, `INSERT INTO jobs (`+jobCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		j.ID, j.WorkspaceID, j.Type, j.Status, string(j.Target), 0, 0, nil, "", j.Node, fmtTime(t), fmtTime(t), nil, "")
	return j, s.insertErr("create job", err)
}

// JobProgress updates a running job's progress; fraction may be nil.
func (s *Store) JobProgress(ctx context.Context, id string, rows, bytes int64, fraction *float64) error {
	_, err := s.exec(ctx, `UPDATE jobs SET progress_rows = ?, progress_bytes = ?, progress_fraction = ? WHERE id = ? AND status = ?`,
		rows, bytes, fraction, id, StatusRunning)
	if err != nil {
		return fmt.Errorf("job progress: %w", err)
	}
	return nil
}

// FinishJob stores a job's final status and error text.
func (s *Store) FinishJob(ctx context.Context, id, status, errText string, warnings ...string) error {
	for i, w := range warnings {
		warnings[i] = strings.ReplaceAll(w, "\n", " ")
	}
	res, err := s.exec(ctx, `UPDATE jobs SET status = ?, error = ?, warnings = ?, completed_at = ? WHERE id = ?`, status, errText, strings.Join(warnings, "\n"), fmtTime(now()), id)
	return mustAffect("finish job", res, err)
}

// GetJob returns a workspace's job.
func (s *Store) GetJob(ctx context.Context, workspaceID, id string) (Job, error) {
	var j Job
	err := scanJob(s.queryRow(ctx, `SELECT `+jobCols+` FROM jobs WHERE workspace_id = ? AND id = ?`, workspaceID, id), &j)
	return j, notFound("get job", err)
}

// ListJobs returns a workspace's jobs, newest first.
func (s *Store) ListJobs(ctx context.Context, workspaceID string, limit, offset int) ([]Job, error) {
	rows, err := s.query(ctx, `SELECT `+jobCols+` FROM jobs WHERE workspace_id = ? ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`, workspaceID, limit, offset)
	if err != nil {
		return nil, fmt.Errorf("list jobs: %w", err)
	}
	return collect(rows, "list jobs", func(sc scanner) (Job, error) {
		var j Job
		return j, scanJob(sc, &j)
	})
}

// InterruptJobs marks the jobs still running on node as interrupted: called
// at start-up, when no job of this node can be running any more.
func (s *Store) InterruptJobs(ctx context.Context, node string) (int64, error) {
	res, err := s.exec(ctx, `UPDATE jobs SET status = ?, error = ?, completed_at = ? WHERE node = ? AND status IN (?, ?)`,
		JobInterrupted, "the process stopped while the job ran", fmtTime(now()), node, StatusRunning, StatusPending)
	if err != nil {
		return 0, fmt.Errorf("interrupt jobs: %w", err)
	}
	return res.RowsAffected()
}

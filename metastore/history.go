package metastore

import (
	"context"
	"fmt"
	"time"
)

// DeletedSnapshotRetention bounds how long a deleted snapshot's record
// stays, whatever the history retention.
const DeletedSnapshotRetention = 24 * time.Hour

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// PurgedHistory counts what PurgeHistory removed.
type PurgedHistory struct {
	QueryRuns, Jobs, Snapshots int64
}

// PurgeHistory removes the records of the past that nothing reads any
// more: query runs and jobs that ended before before, and snapshots whose
// files were deleted before it. Running runs and jobs, published and
// retired snapshots stay whatever their age.
func (s *Store) PurgeHistory(ctx context.Context, before time.Time) (PurgedHistory, error) {
	var out PurgedHistory
	cut := fmtTime(before)
	// A deleted snapshot's record serves nothing (query runs name
	// snapshots by id only), and a table kept fresh by a change stream
	// makes several a second: they go after a day at most.
	snapCut := fmtTime(minTime(before, time.Now().Add(-DeletedSnapshotRetention)))
	for _, d := range []struct {
		n   *int64
		sql string
		cut string
	}{
		{&out.QueryRuns, `DELETE FROM query_runs WHERE completed_at IS NOT NULL AND completed_at < ?`, cut},
		{&out.Jobs, `DELETE FROM jobs WHERE completed_at IS NOT NULL AND completed_at < ?`, cut},
		{&out.Snapshots, `DELETE FROM snapshots WHERE status = '` + SnapshotDeleted + `' AND created_at < ?`, snapCut},
	} {
		res, err := s.exec(ctx, d.sql, d.cut)
		if err != nil {
			return out, fmt.Errorf("purge history: %w", err)
		}
		*d.n, _ = res.RowsAffected()
	}
	return out, nil
}

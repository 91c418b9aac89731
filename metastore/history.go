package metastore

import (
	"context"
	"fmt"
	"time"
)

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
	for _, d := range []struct {
		n   *int64
		sql string
	}{
		{&out.QueryRuns, `DELETE FROM query_runs WHERE completed_at IS NOT NULL AND completed_at < ?`},
		{&out.Jobs, `DELETE FROM jobs WHERE completed_at IS NOT NULL AND completed_at < ?`},
		{&out.Snapshots, `DELETE FROM snapshots WHERE status = '` + SnapshotDeleted + `' AND created_at < ?`},
	} {
		res, err := s.exec(ctx, d.sql, cut)
		if err != nil {
			return out, fmt.Errorf("purge history: %w", err)
		}
		*d.n, _ = res.RowsAffected()
	}
	return out, nil
}

package workspace

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"time"

	"github.com/hotdata-dev/hotdata/metastore"
)

// JobTypeResultCleanup records a retention pass that deleted results.
const JobTypeResultCleanup = "result_cleanup"

// gcInterval is how often collectGarbageLoop runs: every minute, or
// about twice per retention period when that is shorter (tests), so that
// results do not outlive their retention by much more than it.
func (s *Service) gcInterval() time.Duration {
	every := time.Minute
	if half := s.cfg.ResultRetention / 2; half < every {
		every = max(half, 50*time.Millisecond)
	}
	return every
}

// cleanupResults deletes results past their retention, the file first
// and then the record, and records one result_cleanup job per workspace
// where it deleted something. A result still being written by this
// process is left alone; one left "running" by a process that stopped is
// deleted like any other.
func (s *Service) cleanupResults(ctx context.Context) {
	expired, err := s.store.ExpiredResults(ctx, time.Now())
	if err != nil {
		if ctx.Err() == nil {
			s.log.Warn("result retention", "err", err)
		}
		return
	}
	type tally struct{ results, bytes int64 }
	done := map[string]*tally{}
	var order []string
	for _, r := range expired {
		if ctx.Err() != nil {
			break
		}
		if s.queries.isWriting(r.ID) {
			continue
		}
		if r.Path != "" {
			if err := os.Remove(s.layout.Abs(r.WorkspaceID, r.Path)); err != nil && !errors.Is(err, fs.ErrNotExist) {
				s.log.Warn("delete expired result file", "workspace", r.WorkspaceID, "result", r.ID, "err", err)
				continue
			}
		}
		if err := s.store.DeleteResult(ctx, r.WorkspaceID, r.ID); err != nil && !errors.Is(err, metastore.ErrNotFound) {
			s.log.Warn("delete expired result", "workspace", r.WorkspaceID, "result", r.ID, "err", err)
			continue
		}
		t := done[r.WorkspaceID]
		if t == nil {
			t = &tally{}
			done[r.WorkspaceID] = t
			order = append(order, r.WorkspaceID)
		}
		t.results++
		t.bytes += r.SizeBytes
	}
	bg := context.WithoutCancel(ctx)
	for _, wsID := range order {
		t := done[wsID]
		s.log.Info("deleted expired results", "workspace", wsID, "count", t.results, "bytes", t.bytes)
		job, err := s.store.CreateJob(bg, wsID, JobTypeResultCleanup,
			map[string]any{"results_deleted": t.results, "bytes_freed": t.bytes, "retention": s.cfg.ResultRetention.String()}, s.cfg.Node)
		if err == nil {
			if err = s.store.JobProgress(bg, job.ID, t.results, t.bytes, nil); err == nil {
				err = s.store.FinishJob(bg, job.ID, metastore.StatusSucceeded, "")
			}
		}
		if err != nil {
			s.log.Warn("record result cleanup job", "workspace", wsID, "err", err)
		}
	}
}

package workspace

import (
	"context"
	"errors"

	"github.com/hotdata-dev/hotdata/metastore"
)

// ListQueryRuns returns a page of the workspace's query runs (REST and
// recorded pgwire statements), newest first, and whether more follow.
func (s *Service) ListQueryRuns(ctx context.Context, p metastore.Principal, ws metastore.Workspace, limit, offset int) ([]metastore.QueryRun, bool, error) {
	if err := requireRole(p, metastore.RoleViewer, "listing query runs"); err != nil {
		return nil, false, err
	}
	runs, err := s.store.ListQueryRuns(ctx, ws.ID, limit+1, offset)
	if err != nil {
		return nil, false, err
	}
	more := len(runs) > limit
	if more {
		runs = runs[:limit]
	}
	return runs, more, nil
}

// GetQueryRun returns one query run of the workspace.
func (s *Service) GetQueryRun(ctx context.Context, p metastore.Principal, ws metastore.Workspace, id string) (metastore.QueryRun, error) {
	if err := requireRole(p, metastore.RoleViewer, "reading query runs"); err != nil {
		return metastore.QueryRun{}, err
	}
	r, err := s.store.GetQueryRun(ctx, ws.ID, id)
	if errors.Is(err, metastore.ErrNotFound) {
		return r, notFound("query run", id)
	}
	return r, err
}

// CancelQueryRun stops a REST query that is running: its run and result
// are recorded as canceled. Its member may cancel it, and so may a
// workspace admin. A run that is not running (finished, a pgwire
// statement, or another process's) is a conflict.
func (s *Service) CancelQueryRun(ctx context.Context, p metastore.Principal, ws metastore.Workspace, id string) (metastore.QueryRun, error) {
	r, err := s.GetQueryRun(ctx, p, ws, id)
	if err != nil {
		return r, err
	}
	if r.MemberID != p.Member.ID {
		if err := requireRole(p, metastore.RoleAdmin, "canceling another member's query"); err != nil {
			return r, err
		}
	}
	if r.Status != metastore.StatusRunning || !s.queries.cancel(r.ID) {
		return r, newError(KindConflict, "NOT_RUNNING", "query run %s is not running (status %s)", r.ID, r.Status)
	}
	return r, nil
}

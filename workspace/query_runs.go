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

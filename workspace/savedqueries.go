package workspace

import (
	"context"
	"errors"
	"strings"

	"github.com/hotdata-dev/hotdata/metastore"
	"github.com/hotdata-dev/hotdata/planner"
)

// SaveQuery stores a named SQL statement (version 1). The statement must
// parse and name tables that exist: a saved query that cannot run is
// caught when saved, not when executed.
func (s *Service) SaveQuery(ctx context.Context, p metastore.Principal, ws metastore.Workspace, name, description, sql string) (metastore.SavedQuery, error) {
	if err := requireRole(p, metastore.RoleMember, "saving queries"); err != nil {
		return metastore.SavedQuery{}, err
	}
	if err := s.checkSavedSQL(ctx, ws, name, sql); err != nil {
		return metastore.SavedQuery{}, err
	}
	q, err := s.store.CreateSavedQuery(ctx, ws.ID, name, description, sql)
	if errors.Is(err, metastore.ErrConflict) {
		return q, conflict("a saved query named %q already exists: edit it with PUT /v1/queries/{id}", name)
	}
	return q, err
}

func (s *Service) checkSavedSQL(ctx context.Context, ws metastore.Workspace, name, sql string) error {
	if strings.TrimSpace(name) == "" {
		return invalid("name must not be empty")
	}
	if len(name) > 200 {
		return invalid("name is %d characters; at most 200", len(name))
	}
	entry, err := s.catalog(ctx, ws.ID, false)
	if err != nil {
		return err
	}
	stmts, err := planner.Plan(sql, entry.cat, planner.Options{})
	if err != nil {
		return &Error{Kind: KindUnprocessable, Code: "INVALID_SQL", Message: "sql: " + err.Error(), Err: err}
	}
	if len(stmts) != 1 {
		return invalid("sql must hold exactly one statement; it holds %d", len(stmts))
	}
	if stmts[0].Kind != planner.Query {
		return invalid("a saved query must be a query (SELECT, WITH, VALUES, TABLE)")
	}
	return nil
}

// GetSavedQuery returns a saved query and its versions, newest first.
func (s *Service) GetSavedQuery(ctx context.Context, p metastore.Principal, ws metastore.Workspace, ref string) (metastore.SavedQuery, []metastore.SavedQueryVersion, error) {
	if err := requireRole(p, metastore.RoleViewer, "reading saved queries"); err != nil {
		return metastore.SavedQuery{}, nil, err
	}
	q, err := s.store.GetSavedQuery(ctx, ws.ID, ref)
	if errors.Is(err, metastore.ErrNotFound) {
		return q, nil, notFound("saved query", ref)
	}
	if err != nil {
		return q, nil, err
	}
	versions, err := s.store.ListSavedQueryVersions(ctx, q.ID)
	return q, versions, err
}

// ListSavedQueries lists a workspace's saved queries by name.
func (s *Service) ListSavedQueries(ctx context.Context, p metastore.Principal, ws metastore.Workspace, limit, offset int) ([]metastore.SavedQuery, bool, error) {
	if err := requireRole(p, metastore.RoleViewer, "listing saved queries"); err != nil {
		return nil, false, err
	}
	qs, err := s.store.ListSavedQueries(ctx, ws.ID, limit+1, offset)
	if err != nil {
		return nil, false, err
	}
	more := len(qs) > limit
	if more {
		qs = qs[:limit]
	}
	return qs, more, nil
}

// UpdateSavedQuery stores a new version; empty fields keep their value.
func (s *Service) UpdateSavedQuery(ctx context.Context, p metastore.Principal, ws metastore.Workspace, ref string, name, description, sql *string) (metastore.SavedQuery, error) {
	if err := requireRole(p, metastore.RoleMember, "editing saved queries"); err != nil {
		return metastore.SavedQuery{}, err
	}
	q, err := s.store.GetSavedQuery(ctx, ws.ID, ref)
	if errors.Is(err, metastore.ErrNotFound) {
		return q, notFound("saved query", ref)
	}
	if err != nil {
		return q, err
	}
	n, d, sqlText := q.Name, q.Description, q.SQL
	if name != nil {
		n = *name
	}
	if description != nil {
		d = *description
	}
	if sql != nil {
		sqlText = *sql
	}
	if err := s.checkSavedSQL(ctx, ws, n, sqlText); err != nil {
		return q, err
	}
	q, err = s.store.UpdateSavedQuery(ctx, ws.ID, q.ID, n, d, sqlText)
	if errors.Is(err, metastore.ErrConflict) {
		return q, conflict("a saved query named %q already exists", n)
	}
	return q, err
}

// DeleteSavedQuery removes a saved query and its versions.
func (s *Service) DeleteSavedQuery(ctx context.Context, p metastore.Principal, ws metastore.Workspace, ref string) (metastore.SavedQuery, error) {
	if err := requireRole(p, metastore.RoleMember, "deleting saved queries"); err != nil {
		return metastore.SavedQuery{}, err
	}
	q, err := s.store.GetSavedQuery(ctx, ws.ID, ref)
	if errors.Is(err, metastore.ErrNotFound) {
		return q, notFound("saved query", ref)
	}
	if err != nil {
		return q, err
	}
	return q, s.store.DeleteSavedQuery(ctx, ws.ID, q.ID)
}

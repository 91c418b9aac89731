package metastore

import (
	"context"
	"fmt"
	"strings"
)

const workspaceCols = `id, org_id, name, status, auto_resume, limits, created_at, updated_at`

func scanWorkspace(sc scanner, w *Workspace) error {
	return sc.Scan(&w.ID, &w.OrgID, &w.Name, &w.Status, &w.AutoResume, jsonCol{&w.Limits}, timeCol{&w.CreatedAt}, timeCol{&w.UpdatedAt})
}

// CreateWorkspace adds an active workspace to an organization.
func (s *Store) CreateWorkspace(ctx context.Context, orgID, name string, limits Limits) (Workspace, error) {
	t := now()
	w := Workspace{ID: NewID(PrefixWorkspace), OrgID: orgID, Name: name, Status: WorkspaceActive, AutoResume: true, Limits: limits, CreatedAt: t, UpdatedAt: t}
	_, err := s.exec(ctx, `INSERT INTO workspaces (`+workspaceCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		w.ID, w.OrgID, w.Name, w.Status, w.AutoResume, toJSON(w.Limits), fmtTime(t), fmtTime(t))
	return w, s.insertErr("create workspace", err)
}

// GetWorkspace returns a workspace by id, in any organization.
func (s *Store) GetWorkspace(ctx context.Context, id string) (Workspace, error) {
	var w Workspace
	err := scanWorkspace(s.queryRow(ctx, `SELECT `+workspaceCols+` FROM workspaces WHERE id = ?`, id), &w)
	return w, notFound("get workspace", err)
}

// FindWorkspace returns the organization's workspace whose id or name is ref.
func (s *Store) FindWorkspace(ctx context.Context, orgID, ref string) (Workspace, error) {
	var w Workspace
	err := scanWorkspace(s.queryRow(ctx, `SELECT `+workspaceCols+` FROM workspaces WHERE org_id = ? AND (id = ? OR name = ?)
		ORDER BY CASE WHEN id = ? THEN 0 ELSE 1 END LIMIT 1`, orgID, ref, ref, ref), &w)
	return w, notFound(fmt.Sprintf("find workspace %q", ref), err)
}

// ListWorkspaces returns an organization's workspaces by name.
func (s *Store) ListWorkspaces(ctx context.Context, orgID string) ([]Workspace, error) {
	rows, err := s.query(ctx, `SELECT `+workspaceCols+` FROM workspaces WHERE org_id = ? ORDER BY name`, orgID)
	if err != nil {
		return nil, fmt.Errorf("list workspaces: %w", err)
	}
	return collect(rows, "list workspaces", func(sc scanner) (Workspace, error) {
		var w Workspace
		return w, scanWorkspace(sc, &w)
	})
}

// UpdateWorkspace stores w's name, status, auto_resume and limits.
func (s *Store) UpdateWorkspace(ctx context.Context, w Workspace) (Workspace, error) {
	w.UpdatedAt = now()
	res, err := s.exec(ctx, `UPDATE workspaces SET name = ?, status = ?, auto_resume = ?, limits = ?, updated_at = ? WHERE id = ? AND org_id = ?`,
		w.Name, w.Status, w.AutoResume, toJSON(w.Limits), fmtTime(w.UpdatedAt), w.ID, w.OrgID)
	if err != nil {
		return w, s.insertErr("update workspace", err)
	}
	return w, mustAffect("update workspace", res, nil)
}

// UpdateWorkspaceSettings stores w's name, auto_resume and limits,
// leaving its status alone (SetWorkspaceStatus changes that).
func (s *Store) UpdateWorkspaceSettings(ctx context.Context, w Workspace) (Workspace, error) {
	w.UpdatedAt = now()
	res, err := s.exec(ctx, `UPDATE workspaces SET name = ?, auto_resume = ?, limits = ?, updated_at = ? WHERE id = ? AND org_id = ?`,
		w.Name, w.AutoResume, toJSON(w.Limits), fmtTime(w.UpdatedAt), w.ID, w.OrgID)
	if err != nil {
		return w, s.insertErr("update workspace", err)
	}
	if err := mustAffect("update workspace", res, nil); err != nil {
		return w, err
	}
	return s.GetWorkspace(ctx, w.ID)
}

// SetWorkspaceStatus moves a workspace to status. When from is given the
// change happens only from one of those statuses (ErrNotFound otherwise),
// so that concurrent lifecycle changes cannot undo each other.
func (s *Store) SetWorkspaceStatus(ctx context.Context, id, status string, from ...string) (Workspace, error) {
	q := `UPDATE workspaces SET status = ?, updated_at = ? WHERE id = ?`
	args := []any{status, fmtTime(now()), id}
	if len(from) > 0 {
		q += ` AND status IN (?` + strings.Repeat(", ?", len(from)-1) + `)`
		for _, f := range from {
			args = append(args, f)
		}
	}
	res, err := s.exec(ctx, q, args...)
	if err := mustAffect("set workspace status", res, err); err != nil {
		return Workspace{}, err
	}
	return s.GetWorkspace(ctx, id)
}

// DeleteWorkspace removes a workspace and, by cascade, its secrets,
// connections, tables, snapshots, datasets, runs, results, jobs and the
// tokens scoped to it. Files on disk are the caller's to remove.
func (s *Store) DeleteWorkspace(ctx context.Context, id string) error {
	res, err := s.exec(ctx, `DELETE FROM workspaces WHERE id = ?`, id)
	return s.authChanged(ctx, mustAffect("delete workspace", res, err))
}

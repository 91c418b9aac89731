package metastore

import (
	"context"
	"fmt"
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

// DeleteWorkspace removes a workspace and, by cascade, its secrets,
// connections, tables, snapshots, datasets, runs, results, jobs and the
// tokens scoped to it. Files on disk are the caller's to remove.
func (s *Store) DeleteWorkspace(ctx context.Context, id string) error {
	res, err := s.exec(ctx, `DELETE FROM workspaces WHERE id = ?`, id)
	return mustAffect("delete workspace", res, err)
}

package metastore

import (
	"context"
	"fmt"
)

const savedQueryCols = `id, workspace_id, name, description, sql_text, version, created_at, updated_at`

func scanSavedQuery(sc scanner, q *SavedQuery) error {
	return sc.Scan(&q.ID, &q.WorkspaceID, &q.Name, &q.Description, &q.SQL, &q.Version, timeCol{&q.CreatedAt}, timeCol{&q.UpdatedAt})
}

// CreateSavedQuery records a saved query at version 1.
func (s *Store) CreateSavedQuery(ctx context.Context, workspaceID, name, description, sqlText string) (SavedQuery, error) {
	t := now()
	q := SavedQuery{ID: NewID(PrefixSavedQuery), WorkspaceID: workspaceID, Name: name, Description: description, SQL: sqlText, Version: 1,
		CreatedAt: t, UpdatedAt: t}
	err := s.tx(ctx, func(tx *txn) error {
		if _, err := tx.exec(ctx, `INSERT INTO saved_queries (`+savedQueryCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			q.ID, q.WorkspaceID, q.Name, q.Description, q.SQL, q.Version, fmtTime(t), fmtTime(t)); err != nil {
			return err
		}
		_, err := tx.exec(ctx, `INSERT INTO saved_query_versions (query_id, version, name, description, sql_text, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			q.ID, q.Version, q.Name, q.Description, q.SQL, fmtTime(t))
		return err
	})
	return q, s.insertErr("create saved query", err)
}

// GetSavedQuery returns a workspace's saved query by id or name.
func (s *Store) GetSavedQuery(ctx context.Context, workspaceID, ref string) (SavedQuery, error) {
	var q SavedQuery
	err := scanSavedQuery(s.queryRow(ctx, `SELECT `+savedQueryCols+` FROM saved_queries WHERE workspace_id = ? AND (id = ? OR name = ?)`,
		workspaceID, ref, ref), &q)
	return q, notFound(fmt.Sprintf("get saved query %q", ref), err)
}

// ListSavedQueries returns a workspace's saved queries by name.
func (s *Store) ListSavedQueries(ctx context.Context, workspaceID string, limit, offset int) ([]SavedQuery, error) {
	rows, err := s.query(ctx, `SELECT `+savedQueryCols+` FROM saved_queries WHERE workspace_id = ? ORDER BY name LIMIT ? OFFSET ?`,
		workspaceID, limit, offset)
	if err != nil {
		return nil, fmt.Errorf("list saved queries: %w", err)
	}
	return collect(rows, "list saved queries", func(sc scanner) (SavedQuery, error) {
		var q SavedQuery
		return q, scanSavedQuery(sc, &q)
	})
}

// UpdateSavedQuery stores a new version of a saved query.
func (s *Store) UpdateSavedQuery(ctx context.Context, workspaceID, id, name, description, sqlText string) (SavedQuery, error) {
	var q SavedQuery
	err := s.tx(ctx, func(tx *txn) error {
		if err := scanSavedQuery(tx.queryRow(ctx, `SELECT `+savedQueryCols+` FROM saved_queries WHERE workspace_id = ? AND id = ?`, workspaceID, id), &q); err != nil {
			return notFound("update saved query", err)
		}
		t := now()
		q.Name, q.Description, q.SQL, q.Version, q.UpdatedAt = name, description, sqlText, q.Version+1, t
		if _, err := tx.exec(ctx, `UPDATE saved_queries SET name = ?, description = ?, sql_text = ?, version = ?, updated_at = ? WHERE id = ?`,
			q.Name, q.Description, q.SQL, q.Version, fmtTime(t), q.ID); err != nil {
			return err
		}
		_, err := tx.exec(ctx, `INSERT INTO saved_query_versions (query_id, version, name, description, sql_text, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			q.ID, q.Version, q.Name, q.Description, q.SQL, fmtTime(t))
		return err
	})
	if err != nil {
		return q, s.insertErr("update saved query", err)
	}
	return q, nil
}

// DeleteSavedQuery removes a saved query and its versions.
func (s *Store) DeleteSavedQuery(ctx context.Context, workspaceID, id string) error {
	res, err := s.exec(ctx, `DELETE FROM saved_queries WHERE workspace_id = ? AND id = ?`, workspaceID, id)
	return mustAffect("delete saved query", res, err)
}

// ListSavedQueryVersions returns a saved query's versions, newest first.
func (s *Store) ListSavedQueryVersions(ctx context.Context, queryID string) ([]SavedQueryVersion, error) {
	rows, err := s.query(ctx, `SELECT query_id, version, name, description, sql_text, created_at FROM saved_query_versions
		WHERE query_id = ? ORDER BY version DESC`, queryID)
	if err != nil {
		return nil, fmt.Errorf("list saved query versions: %w", err)
	}
	return collect(rows, "list saved query versions", func(sc scanner) (SavedQueryVersion, error) {
		var v SavedQueryVersion
		return v, sc.Scan(&v.QueryID, &v.Version, &v.Name, &v.Description, &v.SQL, timeCol{&v.CreatedAt})
	})
}

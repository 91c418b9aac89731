package metastore

import (
	"context"
	"fmt"
)

const uploadCols = `id, workspace_id, status, size_bytes, content_type, filename, sha256, path, created_at`

func scanUpload(sc scanner, u *Upload) error {
	return sc.Scan(&u.ID, &u.WorkspaceID, &u.Status, &u.SizeBytes, &u.ContentType, &u.Filename, &u.SHA256, &u.Path, timeCol{&u.CreatedAt})
}

// CreateUpload records a file already in place; u.ID and u.Path must be set.
func (s *Store) CreateUpload(ctx context.Context, u Upload) (Upload, error) {
	u.CreatedAt = now()
	if u.Status == "" {
		u.Status = "uploaded"
	}
	_, err := s.exec(ctx, `INSERT INTO uploads (`+uploadCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		u.ID, u.WorkspaceID, u.Status, u.SizeBytes, u.ContentType, u.Filename, u.SHA256, u.Path, fmtTime(u.CreatedAt))
	return u, s.insertErr("create upload", err)
}

// GetUpload returns a workspace's upload.
func (s *Store) GetUpload(ctx context.Context, workspaceID, id string) (Upload, error) {
	var u Upload
	err := scanUpload(s.queryRow(ctx, `SELECT `+uploadCols+` FROM uploads WHERE workspace_id = ? AND id = ?`, workspaceID, id), &u)
	return u, notFound(fmt.Sprintf("get upload %q", id), err)
}

// ListUploads returns a workspace's uploads, newest first.
func (s *Store) ListUploads(ctx context.Context, workspaceID string, limit, offset int) ([]Upload, error) {
	rows, err := s.query(ctx, `SELECT `+uploadCols+` FROM uploads WHERE workspace_id = ? ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`,
		workspaceID, limit, offset)
	if err != nil {
		return nil, fmt.Errorf("list uploads: %w", err)
	}
	return collect(rows, "list uploads", func(sc scanner) (Upload, error) {
		var u Upload
		return u, scanUpload(sc, &u)
	})
}

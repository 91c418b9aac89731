package metastore

import (
	"context"
	"fmt"
)

const secretCols = `id, workspace_id, name, created_at, updated_at`

func scanSecret(sc scanner, x *Secret) error {
	return sc.Scan(&x.ID, &x.WorkspaceID, &x.Name, timeCol{&x.CreatedAt}, timeCol{&x.UpdatedAt})
}

// CreateSecret seals value and stores it under name in the workspace.
func (s *Store) CreateSecret(ctx context.Context, workspaceID, name string, value []byte) (Secret, error) {
	t := now()
	x := Secret{ID: NewID(PrefixSecret), WorkspaceID: workspaceID, Name: name, CreatedAt: t, UpdatedAt: t}
	_, err := s.exec(ctx, `INSERT INTO secrets (id, workspace_id, name, sealed, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
		x.ID, x.WorkspaceID, x.Name, s.sealer.Seal(x.ID, value), fmtTime(t), fmtTime(t))
	return x, s.insertErr("create secret", err)
}

// GetSecret returns a secret's metadata by id or name.
func (s *Store) GetSecret(ctx context.Context, workspaceID, ref string) (Secret, error) {
	var x Secret
	err := scanSecret(s.queryRow(ctx, `SELECT `+secretCols+` FROM secrets WHERE workspace_id = ? AND (id = ? OR name = ?)`, workspaceID, ref, ref), &x)
	return x, notFound(fmt.Sprintf("get secret %q", ref), err)
}

// ListSecrets returns a workspace's secrets by name.
func (s *Store) ListSecrets(ctx context.Context, workspaceID string) ([]Secret, error) {
	rows, err := s.query(ctx, `SELECT `+secretCols+` FROM secrets WHERE workspace_id = ? ORDER BY name`, workspaceID)
	if err != nil {
		return nil, fmt.Errorf("list secrets: %w", err)
	}
	return collect(rows, "list secrets", func(sc scanner) (Secret, error) {
		var x Secret
		return x, scanSecret(sc, &x)
	})
}

// SecretValue opens a secret's value (by id or name).
func (s *Store) SecretValue(ctx context.Context, workspaceID, ref string) ([]byte, error) {
	var id string
	var sealed []byte
	err := s.queryRow(ctx, `SELECT id, sealed FROM secrets WHERE workspace_id = ? AND (id = ? OR name = ?)`, workspaceID, ref, ref).Scan(&id, &sealed)
	if err != nil {
		return nil, notFound(fmt.Sprintf("secret %q", ref), err)
	}
	v, err := s.sealer.Open(id, sealed)
	if err != nil {
		return nil, fmt.Errorf("secret %q: %w", ref, err)
	}
	return v, nil
}

// UpdateSecretValue replaces a secret's value (rotation), sealing it anew.
func (s *Store) UpdateSecretValue(ctx context.Context, workspaceID, ref string, value []byte) (Secret, error) {
	x, err := s.GetSecret(ctx, workspaceID, ref)
	if err != nil {
		return x, err
	}
	x.UpdatedAt = now()
	res, err := s.exec(ctx, `UPDATE secrets SET sealed = ?, updated_at = ? WHERE id = ?`, s.sealer.Seal(x.ID, value), fmtTime(x.UpdatedAt), x.ID)
	return x, mustAffect("update secret", res, err)
}

// DeleteSecret removes a secret; connections that used it keep a null reference.
func (s *Store) DeleteSecret(ctx context.Context, workspaceID, ref string) error {
	res, err := s.exec(ctx, `DELETE FROM secrets WHERE workspace_id = ? AND (id = ? OR name = ?)`, workspaceID, ref, ref)
	return mustAffect(fmt.Sprintf("delete secret %q", ref), res, err)
}

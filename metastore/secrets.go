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
// Connections whose secret of that name was deleted use the new one.
func (s *Store) CreateSecret(ctx context.Context, workspaceID, name string, value []byte) (Secret, error) {
	t := now()
	x := Secret{ID: NewID(PrefixSecret), WorkspaceID: workspaceID, Name: name, CreatedAt: t, UpdatedAt: t}
	err := s.tx(ctx, func(tx *txn) error {
		if _, err := tx.exec(ctx, `INSERT INTO secrets (id, workspace_id, name, sealed, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
			x.ID, x.WorkspaceID, x.Name, s.sealer.Seal(x.ID, value), fmtTime(t), fmtTime(t)); err != nil {
			return err
		}
		_, err := tx.exec(ctx, `UPDATE connections SET secret_id = ?, missing_secret = '', updated_at = ? WHERE workspace_id = ? AND missing_secret = ?`,
			x.ID, fmtTime(t), workspaceID, name)
		return err
	})
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

// UpdateSecretValue replaces a secret's value (rotation), sealing it
// anew. The connections that use it are marked updated, so that every
// process reopens their connectors with the new value.
func (s *Store) UpdateSecretValue(ctx context.Context, workspaceID, ref string, value []byte) (Secret, error) {
	x, err := s.GetSecret(ctx, workspaceID, ref)
	if err != nil {
		return x, err
	}
	x.UpdatedAt = now()
	err = s.tx(ctx, func(tx *txn) error {
		res, err := tx.exec(ctx, `UPDATE secrets SET sealed = ?, updated_at = ? WHERE id = ?`, s.sealer.Seal(x.ID, value), fmtTime(x.UpdatedAt), x.ID)
		if err := mustAffect("secret", res, err); err != nil {
			return err
		}
		_, err = tx.exec(ctx, `UPDATE connections SET updated_at = ? WHERE secret_id = ?`, fmtTime(x.UpdatedAt), x.ID)
		return err
	})
	if err != nil {
		return x, fmt.Errorf("update secret: %w", err)
	}
	return x, nil
}

// DeleteSecret removes a secret. The connections that used it keep its
// name as MissingSecret (and are marked updated), so that they can say
// why they cannot sync; a new secret of that name is used again.
func (s *Store) DeleteSecret(ctx context.Context, workspaceID, ref string) error {
	err := s.tx(ctx, func(tx *txn) error {
		var id, name string
		err := tx.queryRow(ctx, `SELECT id, name FROM secrets WHERE workspace_id = ? AND (id = ? OR name = ?)`, workspaceID, ref, ref).Scan(&id, &name)
		if err != nil {
			return notFound("secret", err)
		}
		if _, err := tx.exec(ctx, `UPDATE connections SET missing_secret = ?, secret_id = NULL, updated_at = ? WHERE secret_id = ?`,
			name, fmtTime(now()), id); err != nil {
			return err
		}
		res, err := tx.exec(ctx, `DELETE FROM secrets WHERE id = ?`, id)
		return mustAffect("secret", res, err)
	})
	if err != nil {
		return fmt.Errorf("delete secret %q: %w", ref, err)
	}
	return nil
}

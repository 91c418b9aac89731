package metastore

import (
	"context"
	"encoding/json"
	"fmt"
)

const datasetCols = `id, workspace_id, label, table_name, status, source, current_snapshot_id, error, created_at, updated_at`

func scanDataset(sc scanner, d *Dataset) error {
	return sc.Scan(&d.ID, &d.WorkspaceID, &d.Label, &d.TableName, &d.Status, rawJSONCol{&d.Source}, nullStringCol{&d.CurrentSnapshotID},
		&d.Error, timeCol{&d.CreatedAt}, timeCol{&d.UpdatedAt})
}

// CreateDataset records a dataset in the given status.
func (s *Store) CreateDataset(ctx context.Context, workspaceID, label, tableName, status string, source json.RawMessage) (Dataset, error) {
	t := now()
	d := Dataset{ID: NewID(PrefixDataset), WorkspaceID: workspaceID, Label: label, TableName: tableName, Status: status, Source: source, CreatedAt: t, UpdatedAt: t}
	_, err := s.exec(ctx, `INSERT INTO datasets (`+datasetCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		d.ID, d.WorkspaceID, d.Label, d.TableName, d.Status, rawOrEmptyObject(d.Source), nil, "", fmtTime(t), fmtTime(t))
	return d, s.insertErr("create dataset", err)
}

// GetDataset returns a workspace's dataset by id or table name.
func (s *Store) GetDataset(ctx context.Context, workspaceID, ref string) (Dataset, error) {
	var d Dataset
	err := scanDataset(s.queryRow(ctx, `SELECT `+datasetCols+` FROM datasets WHERE workspace_id = ? AND (id = ? OR table_name = ?)`, workspaceID, ref, ref), &d)
	return d, notFound(fmt.Sprintf("get dataset %q", ref), err)
}

// ListDatasets returns a workspace's datasets by table name.
func (s *Store) ListDatasets(ctx context.Context, workspaceID string) ([]Dataset, error) {
	rows, err := s.query(ctx, `SELECT `+datasetCols+` FROM datasets WHERE workspace_id = ? ORDER BY table_name`, workspaceID)
	if err != nil {
		return nil, fmt.Errorf("list datasets: %w", err)
	}
	return collect(rows, "list datasets", func(sc scanner) (Dataset, error) {
		var d Dataset
		return d, scanDataset(sc, &d)
	})
}

// DeleteDataset removes a dataset. Its snapshots are retired and kept
// (detached) so that the garbage collector deletes their files once no
// query reads them.
func (s *Store) DeleteDataset(ctx context.Context, workspaceID, id string) error {
	return s.tx(ctx, func(tx *txn) error {
		if _, err := tx.exec(ctx, `UPDATE snapshots SET status = ?, retired_at = ? WHERE dataset_id = ? AND status = ?`,
			SnapshotRetired, fmtTime(now()), id, SnapshotPublished); err != nil {
			return fmt.Errorf("delete dataset: %w", err)
		}
		if _, err := tx.exec(ctx, `UPDATE snapshots SET dataset_id = NULL WHERE dataset_id = ?`, id); err != nil {
			return fmt.Errorf("delete dataset: %w", err)
		}
		res, err := tx.exec(ctx, `DELETE FROM datasets WHERE workspace_id = ? AND id = ?`, workspaceID, id)
		return mustAffect("delete dataset", res, err)
	})
}

// SetDatasetStatus records a dataset's status (and error text) and,
// when source is not nil, the source of its latest load.
func (s *Store) SetDatasetStatus(ctx context.Context, id, status, errText string, source json.RawMessage) error {
	q := `UPDATE datasets SET status = ?, error = ?, updated_at = ?`
	args := []any{status, errText, fmtTime(now())}
	if source != nil {
		q += `, source = ?`
		args = append(args, string(source))
	}
	res, err := s.exec(ctx, q+` WHERE id = ?`, append(args, id)...)
	return mustAffect("set dataset status", res, err)
}

// PublishDatasetSnapshot makes snap the dataset's current snapshot (its
// next version) and the dataset ready, in one transaction; the previous
// snapshot is retired.
func (s *Store) PublishDatasetSnapshot(ctx context.Context, snap Snapshot, source json.RawMessage) (Snapshot, error) {
	err := s.tx(ctx, func(tx *txn) error {
		t := now()
		res, err := tx.exec(ctx, `UPDATE datasets SET status = ?, error = '', source = ?, updated_at = ? WHERE id = ? AND workspace_id = ?`,
			DatasetReady, rawOrEmptyObject(source), fmtTime(t), snap.DatasetID, snap.WorkspaceID)
		if err := mustAffect("dataset", res, err); err != nil {
			return err
		}
		if err := tx.queryRow(ctx, `SELECT COALESCE(MAX(version), 0) + 1 FROM snapshots WHERE dataset_id = ?`, snap.DatasetID).Scan(&snap.Version); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE snapshots SET status = ?, retired_at = ? WHERE dataset_id = ? AND status = ?`,
			SnapshotRetired, fmtTime(t), snap.DatasetID, SnapshotPublished); err != nil {
			return err
		}
		snap.Status, snap.CreatedAt = SnapshotPublished, t
		if _, err := tx.exec(ctx, `INSERT INTO snapshots (`+snapshotCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			snap.ID, snap.WorkspaceID, nil, snap.DatasetID, snap.Version, snap.Path, snap.RowCount, snap.SizeBytes, toJSON(snap.Columns),
			snap.Status, snap.Watermark, fmtTime(t), nil); err != nil {
			return err
		}
		_, err = tx.exec(ctx, `UPDATE datasets SET current_snapshot_id = ? WHERE id = ?`, snap.ID, snap.DatasetID)
		return err
	})
	if err != nil {
		return snap, fmt.Errorf("publish dataset snapshot: %w", err)
	}
	return snap, nil
}

// ListDatasetSnapshots returns a dataset's versions, newest first.
func (s *Store) ListDatasetSnapshots(ctx context.Context, datasetID string) ([]Snapshot, error) {
	rows, err := s.query(ctx, `SELECT `+snapshotCols+` FROM snapshots WHERE dataset_id = ? ORDER BY version DESC`, datasetID)
	if err != nil {
		return nil, fmt.Errorf("list dataset snapshots: %w", err)
	}
	return collect(rows, "list dataset snapshots", func(sc scanner) (Snapshot, error) {
		var x Snapshot
		return x, scanSnapshot(sc, &x)
	})
}

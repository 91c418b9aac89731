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

// DeleteDataset removes a dataset and its snapshots' records.
func (s *Store) DeleteDataset(ctx context.Context, workspaceID, id string) error {
	res, err := s.exec(ctx, `DELETE FROM datasets WHERE workspace_id = ? AND id = ?`, workspaceID, id)
	return mustAffect("delete dataset", res, err)
}

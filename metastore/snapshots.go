package metastore

import (
	"context"
	"fmt"
	"time"
)

const snapshotCols = `id, workspace_id, table_id, dataset_id, version, path, row_count, size_bytes, columns, status, watermark, created_at, retired_at`

func scanSnapshot(sc scanner, x *Snapshot) error {
	return sc.Scan(&x.ID, &x.WorkspaceID, nullStringCol{&x.TableID}, nullStringCol{&x.DatasetID}, &x.Version, &x.Path, &x.RowCount, &x.SizeBytes,
		jsonCol{&x.Columns}, &x.Status, &x.Watermark, timeCol{&x.CreatedAt}, nullTimeCol{&x.RetiredAt})
}

// PublishTableSnapshot makes snap the table's current snapshot in one
// transaction: it gets the next version number, the previous current
// snapshot is retired (its files stay until no reader holds them), and the
// table's last sync time is set. snap.ID and snap.Path must be set; the
// files must already be in place.
func (s *Store) PublishTableSnapshot(ctx context.Context, snap Snapshot) (Snapshot, error) {
	out, err := s.PublishTableSnapshots(ctx, []Snapshot{snap})
	if err != nil {
		return snap, err
	}
	return out[0], nil
}

// PublishTableSnapshots publishes snapshots of several tables in one
// transaction, each as PublishTableSnapshot does.
func (s *Store) PublishTableSnapshots(ctx context.Context, snaps []Snapshot) ([]Snapshot, error) {
	out := append([]Snapshot(nil), snaps...)
	err := s.tx(ctx, func(tx *txn) error {
		t := now()
		for i := range out {
			if err := publishTableSnapshot(ctx, tx, &out[i], t); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("publish snapshot: %w", err)
	}
	return out, nil
}

func publishTableSnapshot(ctx context.Context, tx *txn, snap *Snapshot, t time.Time) error {
	// Updating the table row first serializes concurrent publishers
	// (a row lock on PostgreSQL; SQLite takes the write lock at BEGIN).
	res, err := tx.exec(ctx, `UPDATE tables SET last_sync_at = ? WHERE id = ? AND workspace_id = ?`, fmtTime(t), snap.TableID, snap.WorkspaceID)
	if err := mustAffect("table", res, err); err != nil {
		return err
	}
	if err := tx.queryRow(ctx, `SELECT COALESCE(MAX(version), 0) + 1 FROM snapshots WHERE table_id = ?`, snap.TableID).Scan(&snap.Version); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `UPDATE snapshots SET status = ?, retired_at = ? WHERE table_id = ? AND status = ?`,
		SnapshotRetired, fmtTime(t), snap.TableID, SnapshotPublished); err != nil {
		return err
	}
	snap.Status = SnapshotPublished
	snap.CreatedAt = t
	if _, err := tx.exec(ctx, `INSERT INTO snapshots (`+snapshotCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		snap.ID, snap.WorkspaceID, snap.TableID, nil, snap.Version, snap.Path, snap.RowCount, snap.SizeBytes, toJSON(snap.Columns),
		snap.Status, snap.Watermark, fmtTime(t), nil); err != nil {
		return err
	}
	_, err = tx.exec(ctx, `UPDATE tables SET current_snapshot_id = ? WHERE id = ?`, snap.ID, snap.TableID)
	return err
}

// ClearCurrentWatermark forgets the position a table's current snapshot
// is as of (change data capture can no longer resume from it).
func (s *Store) ClearCurrentWatermark(ctx context.Context, tableID string) error {
	_, err := s.exec(ctx, `UPDATE snapshots SET watermark = '' WHERE id = (SELECT current_snapshot_id FROM tables WHERE id = ?)`, tableID)
	if err != nil {
		return fmt.Errorf("clear watermark: %w", err)
	}
	return nil
}

// AdvanceWatermark moves the position a table's current snapshot is as
// of to watermark (its change stream applied every change up to there,
// and none touched it). A snapshot no longer current, or whose position
// was cleared, keeps its own: it reports whether it moved.
func (s *Store) AdvanceWatermark(ctx context.Context, tableID, snapshotID, watermark string) (bool, error) {
	res, err := s.exec(ctx, `UPDATE snapshots SET watermark = ? WHERE id = ? AND watermark <> ''
AND id = (SELECT current_snapshot_id FROM tables WHERE id = ?)`, watermark, snapshotID, tableID)
	if err != nil {
		return false, fmt.Errorf("advance watermark: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// GetSnapshot returns a snapshot by id.
func (s *Store) GetSnapshot(ctx context.Context, id string) (Snapshot, error) {
	var x Snapshot
	err := scanSnapshot(s.queryRow(ctx, `SELECT `+snapshotCols+` FROM snapshots WHERE id = ?`, id), &x)
	return x, notFound("get snapshot", err)
}

// ListSnapshots returns a workspace's snapshots in the given status
// ("" for every status but deleted), oldest first.
func (s *Store) ListSnapshots(ctx context.Context, workspaceID, status string) ([]Snapshot, error) {
	q := `SELECT ` + snapshotCols + ` FROM snapshots WHERE workspace_id = ? AND `
	args := []any{workspaceID}
	if status == "" {
		q += `status <> ?`
		args = append(args, SnapshotDeleted)
	} else {
		q += `status = ?`
		args = append(args, status)
	}
	rows, err := s.query(ctx, q+` ORDER BY created_at, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("list snapshots: %w", err)
	}
	return collect(rows, "list snapshots", func(sc scanner) (Snapshot, error) {
		var x Snapshot
		return x, scanSnapshot(sc, &x)
	})
}

// RetireTableSnapshots retires every published snapshot of a table and
// clears its current snapshot (a cache purge): the next read syncs again.
func (s *Store) RetireTableSnapshots(ctx context.Context, tableID string) error {
	return s.tx(ctx, func(tx *txn) error {
		if _, err := tx.exec(ctx, `UPDATE snapshots SET status = ?, retired_at = ? WHERE table_id = ? AND status = ?`,
			SnapshotRetired, fmtTime(now()), tableID, SnapshotPublished); err != nil {
			return fmt.Errorf("retire snapshots: %w", err)
		}
		if _, err := tx.exec(ctx, `UPDATE tables SET current_snapshot_id = NULL WHERE id = ?`, tableID); err != nil {
			return fmt.Errorf("retire snapshots: %w", err)
		}
		return nil
	})
}

// MarkSnapshotDeleted records that a retired snapshot's files are gone.
func (s *Store) MarkSnapshotDeleted(ctx context.Context, id string) error {
	res, err := s.exec(ctx, `UPDATE snapshots SET status = ? WHERE id = ? AND status = ?`, SnapshotDeleted, id, SnapshotRetired)
	return mustAffect("mark snapshot deleted", res, err)
}

// TouchTableSync records a sync that found nothing new (an incremental
// sync past the watermark): the table's current snapshot stays and its
// last sync time moves on, so the refresh policy counts from now.
func (s *Store) TouchTableSync(ctx context.Context, tableID string) error {
	res, err := s.exec(ctx, `UPDATE tables SET last_sync_at = ? WHERE id = ?`, fmtTime(now()), tableID)
	return mustAffect("touch table sync", res, err)
}

package metastore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

const connectionCols = `id, workspace_id, name, source_type, config, secret_id, discovery_status, discovery_error, discovered_at, created_at, updated_at, missing_secret`

func scanConnection(sc scanner, c *Connection) error {
	return sc.Scan(&c.ID, &c.WorkspaceID, &c.Name, &c.SourceType, rawJSONCol{&c.Config}, nullStringCol{&c.SecretID},
		&c.DiscoveryStatus, &c.DiscoveryError, nullTimeCol{&c.DiscoveredAt}, timeCol{&c.CreatedAt}, timeCol{&c.UpdatedAt}, &c.MissingSecret)
}

// CreateConnection stores a new connection with discovery pending.
func (s *Store) CreateConnection(ctx context.Context, workspaceID, name, sourceType string, config json.RawMessage, secretID string) (Connection, error) {
	t := now()
	c := Connection{ID: NewID(PrefixConnection), WorkspaceID: workspaceID, Name: name, SourceType: sourceType, Config: config,
		SecretID: secretID, DiscoveryStatus: DiscoveryPending, CreatedAt: t, UpdatedAt: t}
	_, err := s.exec(ctx, `INSERT INTO connections (`+connectionCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ID, c.WorkspaceID, c.Name, c.SourceType, rawOrEmptyObject(c.Config), nullIfEmpty(c.SecretID), c.DiscoveryStatus, "", nil, fmtTime(t), fmtTime(t), "")
	return c, s.insertErr("create connection", err)
}

// GetConnection returns a workspace's connection by id or name.
func (s *Store) GetConnection(ctx context.Context, workspaceID, ref string) (Connection, error) {
	var c Connection
	err := scanConnection(s.queryRow(ctx, `SELECT `+connectionCols+` FROM connections WHERE workspace_id = ? AND (id = ? OR name = ?)`, workspaceID, ref, ref), &c)
	return c, notFound(fmt.Sprintf("get connection %q", ref), err)
}

// ListConnections returns a workspace's connections by name.
func (s *Store) ListConnections(ctx context.Context, workspaceID string) ([]Connection, error) {
	rows, err := s.query(ctx, `SELECT `+connectionCols+` FROM connections WHERE workspace_id = ? ORDER BY name`, workspaceID)
	if err != nil {
		return nil, fmt.Errorf("list connections: %w", err)
	}
	return collect(rows, "list connections", func(sc scanner) (Connection, error) {
		var c Connection
		return c, scanConnection(sc, &c)
	})
}

// SetDiscovery records the outcome of a schema discovery.
func (s *Store) SetDiscovery(ctx context.Context, connectionID, status, errText string) error {
	t := now()
	var at *time.Time
	if status == DiscoverySucceeded {
		at = &t
	}
	res, err := s.exec(ctx, `UPDATE connections SET discovery_status = ?, discovery_error = ?, discovered_at = COALESCE(?, discovered_at), updated_at = ? WHERE id = ?`,
		status, errText, fmtTimePtr(at), fmtTime(t), connectionID)
	return mustAffect("set discovery", res, err)
}

// ConnectionRemoved says what DeleteConnection removed.
type ConnectionRemoved struct {
	Tables int
	// Snapshots is how many snapshots were retired: their files stay
	// until the garbage collector deletes them after the grace period.
	Snapshots int
}

// DeleteConnection removes a connection with its tables, in one
// transaction. Its snapshots are retired and detached from their tables
// (table_id NULL) rather than deleted, so that their records outlive the
// tables and the garbage collector deletes their files once no reader
// holds them and the grace period has passed.
func (s *Store) DeleteConnection(ctx context.Context, workspaceID, id string) (ConnectionRemoved, error) {
	var out ConnectionRemoved
	err := s.tx(ctx, func(tx *txn) error {
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM tables WHERE connection_id = ? AND workspace_id = ?`, id, workspaceID).Scan(&out.Tables); err != nil {
			return err
		}
		const ofConnection = ` table_id IN (SELECT id FROM tables WHERE connection_id = ? AND workspace_id = ?)`
		res, err := tx.exec(ctx, `UPDATE snapshots SET status = ?, retired_at = ? WHERE status = ? AND`+ofConnection,
			SnapshotRetired, fmtTime(now()), SnapshotPublished, id, workspaceID)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		out.Snapshots = int(n)
		// Deleted snapshots have no files left: their records may go with the tables.
		if _, err := tx.exec(ctx, `UPDATE snapshots SET table_id = NULL WHERE status = ? AND`+ofConnection, SnapshotRetired, id, workspaceID); err != nil {
			return err
		}
		res, err = tx.exec(ctx, `DELETE FROM connections WHERE workspace_id = ? AND id = ?`, workspaceID, id)
		return mustAffect("connection", res, err)
	})
	if err != nil {
		return ConnectionRemoved{}, fmt.Errorf("delete connection: %w", err)
	}
	return out, nil
}

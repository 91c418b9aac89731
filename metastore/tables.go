package metastore

import (
	"context"
	"fmt"
	"strings"
	"time"
)

const tableCols = `t.id, t.workspace_id, t.connection_id, c.name, t.schema_name, t.table_name, t.columns, t.primary_key, t.row_estimate,
	t.refresh, t.incremental_column, t.status, t.current_snapshot_id, t.last_sync_at, t.discovered_at, t.last_read_at,
	t.primary_key_name, t.indexes, t.foreign_keys, t.user_types, t.incremental_lookback, t.detect_deletes`

const tableFrom = ` FROM tables t JOIN connections c ON c.id = t.connection_id `

func scanTable(sc scanner, t *Table) error {
	return sc.Scan(&t.ID, &t.WorkspaceID, &t.ConnectionID, &t.ConnectionName, &t.Schema, &t.Name, jsonCol{&t.Columns}, jsonCol{&t.PrimaryKey},
		&t.RowEstimate, &t.Refresh, &t.IncrementalColumn, &t.Status, nullStringCol{&t.CurrentSnapshotID}, nullTimeCol{&t.LastSyncAt}, timeCol{&t.DiscoveredAt},
		nullTimeCol{&t.LastReadAt}, &t.PrimaryKeyName, jsonCol{&t.Indexes}, jsonCol{&t.ForeignKeys}, jsonCol{&t.UserTypes},
		&t.IncrementalLookback, &t.DetectDeletes)
}

// DiscoveredTable is one table as a schema discovery found it.
type DiscoveredTable struct {
	Schema         string
	Name           string
	Columns        []Column
	PrimaryKey     []string
	PrimaryKeyName string
	Indexes        []Index
	ForeignKeys    []ForeignKey
	UserTypes      []UserType
	RowEstimate    int64
}

// DiscoveryCounts says what a discovery changed.
type DiscoveryCounts struct {
	Added, Updated, Vanished int
}

// ApplyDiscovery records a connection's discovered tables in one
// transaction: new tables are added with the manual policy, known ones get
// the new columns, keys, indexes and foreign keys and keep their policy
// and snapshots, and tables no longer found are marked vanished (their
// snapshots stay until purged).
func (s *Store) ApplyDiscovery(ctx context.Context, conn Connection, found []DiscoveredTable) (DiscoveryCounts, error) {
	var counts DiscoveryCounts
	err := s.tx(ctx, func(tx *txn) error {
		rows, err := tx.query(ctx, `SELECT id, schema_name, table_name FROM tables WHERE connection_id = ?`, conn.ID)
		if err != nil {
			return err
		}
		existing := map[[2]string]string{}
		for rows.Next() {
			var id, schema, name string
			if err := rows.Scan(&id, &schema, &name); err != nil {
				rows.Close()
				return err
			}
			existing[[2]string{schema, name}] = id
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		t := fmtTime(now())
		for _, d := range found {
			key := [2]string{d.Schema, d.Name}
			pk, indexes, fks, uts := d.PrimaryKey, d.Indexes, d.ForeignKeys, d.UserTypes
			if pk == nil {
				pk = []string{}
			}
			if indexes == nil {
				indexes = []Index{}
			}
			if fks == nil {
				fks = []ForeignKey{}
			}
			if uts == nil {
				uts = []UserType{}
			}
			if id, ok := existing[key]; ok {
				delete(existing, key)
				if _, err := tx.exec(ctx, `UPDATE tables SET columns = ?, primary_key = ?, primary_key_name = ?, indexes = ?, foreign_keys = ?,
					user_types = ?, row_estimate = ?, status = ?, discovered_at = ? WHERE id = ?`,
					toJSON(d.Columns), toJSON(pk), d.PrimaryKeyName, toJSON(indexes), toJSON(fks), toJSON(uts), d.RowEstimate, TablePresent, t, id); err != nil {
					return err
				}
				counts.Updated++
				continue
			}
			if _, err := tx.exec(ctx, `INSERT INTO tables (id, workspace_id, connection_id, schema_name, table_name, columns, primary_key,
				primary_key_name, indexes, foreign_keys, user_types, row_estimate, status, discovered_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				NewID(PrefixTable), conn.WorkspaceID, conn.ID, d.Schema, d.Name, toJSON(d.Columns), toJSON(pk), d.PrimaryKeyName,
				toJSON(indexes), toJSON(fks), toJSON(uts), d.RowEstimate, TablePresent, t); err != nil {
				return err
			}
			counts.Added++
		}
		for _, id := range existing {
			if _, err := tx.exec(ctx, `UPDATE tables SET status = ? WHERE id = ? AND status <> ?`, TableVanished, id, TableVanished); err != nil {
				return err
			}
			counts.Vanished++
		}
		return nil
	})
	if err != nil {
		return counts, fmt.Errorf("apply discovery of %s: %w", conn.Name, err)
	}
	return counts, nil
}

// TableFilter selects tables. Schema and Name may hold % and _ wildcards
// (SQL LIKE); empty fields match everything.
type TableFilter struct {
	WorkspaceID     string
	ConnectionID    string
	Schema          string
	Name            string
	IncludeVanished bool
	Limit           int // 0: no limit
	Offset          int
}

// ListTables returns the tables that match f, ordered by connection name,
// schema and table.
func (s *Store) ListTables(ctx context.Context, f TableFilter) ([]Table, error) {
	var where []string
	var args []any
	where = append(where, "t.workspace_id = ?")
	args = append(args, f.WorkspaceID)
	if f.ConnectionID != "" {
		where = append(where, "(t.connection_id = ? OR c.name = ?)")
		args = append(args, f.ConnectionID, f.ConnectionID)
	}
	if f.Schema != "" {
		where = append(where, "t.schema_name LIKE ?")
		args = append(args, f.Schema)
	}
	if f.Name != "" {
		where = append(where, "t.table_name LIKE ?")
		args = append(args, f.Name)
	}
	if !f.IncludeVanished {
		where = append(where, "t.status = ?")
		args = append(args, TablePresent)
	}
	q := `SELECT ` + tableCols + tableFrom + ` WHERE ` + strings.Join(where, " AND ") + ` ORDER BY c.name, t.schema_name, t.table_name`
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d OFFSET %d", f.Limit, f.Offset)
	}
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list tables: %w", err)
	}
	return collect(rows, "list tables", func(sc scanner) (Table, error) {
		var t Table
		return t, scanTable(sc, &t)
	})
}

// GetTable returns a connection's table by schema and name.
func (s *Store) GetTable(ctx context.Context, connectionID, schema, name string) (Table, error) {
	var t Table
	err := scanTable(s.queryRow(ctx, `SELECT `+tableCols+tableFrom+` WHERE t.connection_id = ? AND t.schema_name = ? AND t.table_name = ?`,
		connectionID, schema, name), &t)
	return t, notFound(fmt.Sprintf("get table %s.%s", schema, name), err)
}

// GetTableByID returns a table by id.
func (s *Store) GetTableByID(ctx context.Context, id string) (Table, error) {
	var t Table
	err := scanTable(s.queryRow(ctx, `SELECT `+tableCols+tableFrom+` WHERE t.id = ?`, id), &t)
	return t, notFound("get table", err)
}

// SetTablePolicy stores a table's refresh policy and incremental column.
func (s *Store) SetTablePolicy(ctx context.Context, tableID string, p TablePolicy) error {
	res, err := s.exec(ctx, `UPDATE tables SET refresh = ?, incremental_column = ?, incremental_lookback = ?, detect_deletes = ? WHERE id = ?`,
		p.Refresh, p.IncrementalColumn, p.IncrementalLookback, p.DetectDeletes, tableID)
	return mustAffect("set table policy", res, err)
}

// TablePolicy is how a table is kept fresh (SetTablePolicy).
type TablePolicy struct {
	Refresh             string
	IncrementalColumn   string
	IncrementalLookback string
	DetectDeletes       bool
}

// MarkTablesRead records that queries read the tables at t (for cache
// eviction, least recently read first). Callers batch these.
func (s *Store) MarkTablesRead(ctx context.Context, ids []string, t time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	return s.tx(ctx, func(tx *txn) error {
		for _, id := range ids {
			if _, err := tx.exec(ctx, `UPDATE tables SET last_read_at = ? WHERE id = ?`, fmtTime(t), id); err != nil {
				return fmt.Errorf("mark tables read: %w", err)
			}
		}
		return nil
	})
}

// ListScheduledTables returns the present tables of every workspace whose
// refresh policy is not manual, for the background scheduler.
func (s *Store) ListScheduledTables(ctx context.Context) ([]Table, error) {
	rows, err := s.query(ctx, `SELECT `+tableCols+tableFrom+` WHERE t.refresh <> ? AND t.status = ? ORDER BY t.workspace_id, t.id`, "manual", TablePresent)
	if err != nil {
		return nil, fmt.Errorf("list scheduled tables: %w", err)
	}
	return collect(rows, "list scheduled tables", func(sc scanner) (Table, error) {
		var t Table
		return t, scanTable(sc, &t)
	})
}

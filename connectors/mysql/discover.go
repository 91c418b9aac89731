package mysql

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/hotdata-dev/hotdata/connectors"
)

// Discover lists the tables and views of the configured databases that
// the user can see, with their columns, primary keys, other indexes,
// foreign keys and row estimates.
// information_schema shows only objects the user has privileges on.
func (c *Connector) Discover(ctx context.Context) ([]connectors.Table, error) {
	if err := c.connect(ctx); err != nil {
		return nil, fmt.Errorf("discover: %w", err)
	}
	schemas := c.cfg.discoverSchemas()
	// SYSTEM VERSIONED is MariaDB's name for a table with history; its
	// current rows read like any table's. Sequences are left out.
	query := `
SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_ROWS
FROM information_schema.TABLES
WHERE TABLE_SCHEMA IN (` + placeholders(len(schemas)) + `)
  AND TABLE_TYPE IN ('BASE TABLE', 'VIEW', 'SYSTEM VERSIONED')
ORDER BY TABLE_SCHEMA, TABLE_NAME`
	args := make([]any, len(schemas))
	for i, s := range schemas {
		args[i] = s
	}
	rows, err := c.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("discover: %w", err)
	}
	var tables []connectors.Table
	for rows.Next() {
		var t connectors.Table
		var est sql.NullInt64
		if err := rows.Scan(&t.Schema, &t.Name, &est); err != nil {
			rows.Close()
			return nil, fmt.Errorf("discover: %w", err)
		}
		t.RowEstimate = nullInt64(est)
		tables = append(tables, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("discover: %w", err)
	}
	mariadb, err := isMariaDB(ctx, c.db)
	if err != nil {
		return nil, fmt.Errorf("discover: %w", err)
	}
	cols, err := readColumns(ctx, c.db, mariadb, schemas, "")
	if err != nil {
		return nil, fmt.Errorf("discover columns: %w", err)
	}
	keys, err := readPrimaryKeys(ctx, c.db, schemas)
	if err != nil {
		return nil, fmt.Errorf("discover primary keys: %w", err)
	}
	indexes, err := readIndexes(ctx, c.db, schemas)
	if err != nil {
		return nil, fmt.Errorf("discover indexes: %w", err)
	}
	fks, err := readForeignKeys(ctx, c.db, schemas)
	if err != nil {
		return nil, fmt.Errorf("discover foreign keys: %w", err)
	}
	out := tables[:0]
	for _, t := range tables {
		key := tableKey{t.Schema, t.Name}
		tc := cols[key]
		if len(tc) == 0 {
			// Dropped between the two queries, or no column is visible.
			continue
		}
		for _, col := range tc {
			t.Columns = append(t.Columns, connectors.Column{
				Name: col.name, DataType: col.colType, Nullable: col.nullable, TypeOID: typeOID(kindOf(col)),
			})
		}
		t.PrimaryKey = keys[key]
		t.Indexes, t.ForeignKeys = indexes[key], fks[key]
		out = append(out, t)
	}
	return out, nil
}

package mysql

import (
	"context"
	"database/sql"
	"strings"
)

// tableKey names a table: database, table.
type tableKey [2]string

// readColumns reads the columns of the tables in schemas (of one table
// when table is not ""), each table's in ordinal order.
func readColumns(ctx context.Context, q querier, mariadb bool, schemas []string, table string) (map[tableKey][]column, error) {
	query := `
SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, LOWER(DATA_TYPE), IS_NULLABLE = 'YES',
       COALESCE(NUMERIC_PRECISION, -1), COALESCE(NUMERIC_SCALE, -1),
       LOWER(COALESCE(CHARACTER_SET_NAME, '')), LOWER(EXTRA)
FROM information_schema.COLUMNS
WHERE TABLE_SCHEMA IN (` + placeholders(len(schemas)) + `)`
	args := make([]any, 0, len(schemas)+1)
	for _, s := range schemas {
		args = append(args, s)
	}
	if table != "" {
		query += " AND TABLE_NAME = ?"
		args = append(args, table)
	}
	query += " ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION"
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[tableKey][]column{}
	for rows.Next() {
		var key tableKey
		var c column
		if err := rows.Scan(&key[0], &key[1], &c.name, &c.colType, &c.dataType, &c.nullable, &c.precision, &c.scale, &c.charset, &c.extra); err != nil {
			return nil, err
		}
		out[key] = append(out[key], c)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if mariadb {
		if err := markJSONColumns(ctx, q, schemas, table, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// markJSONColumns finds MariaDB's JSON columns. MariaDB's JSON is an
// alias for LONGTEXT that adds the column constraint
// CHECK (json_valid(`column`)); information_schema.COLUMNS shows only
// "longtext", so the constraint is what tells JSON from text.
func markJSONColumns(ctx context.Context, q querier, schemas []string, table string, cols map[tableKey][]column) error {
	query := `
SELECT CONSTRAINT_SCHEMA, TABLE_NAME, CHECK_CLAUSE
FROM information_schema.CHECK_CONSTRAINTS
WHERE CONSTRAINT_SCHEMA IN (` + placeholders(len(schemas)) + `) AND CHECK_CLAUSE LIKE 'json\_valid(%'`
	args := make([]any, 0, len(schemas)+1)
	for _, s := range schemas {
		args = append(args, s)
	}
	if table != "" {
		query += " AND TABLE_NAME = ?"
		args = append(args, table)
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var key tableKey
		var clause string
		if err := rows.Scan(&key[0], &key[1], &clause); err != nil {
			return err
		}
		tc := cols[key]
		for i := range tc {
			// Only the exact clause: a constraint that checks more than
			// validity is the user's own, on a text column.
			if tc[i].dataType == "longtext" && strings.EqualFold(clause, "json_valid("+quoteIdent(tc[i].name)+")") {
				tc[i].json = true
			}
		}
	}
	return rows.Err()
}

// readPrimaryKeys reads the primary key columns of the tables in schemas,
// in key order.
func readPrimaryKeys(ctx context.Context, q querier, schemas []string) (map[tableKey][]string, error) {
	query := `
SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME
FROM information_schema.KEY_COLUMN_USAGE
WHERE CONSTRAINT_NAME = 'PRIMARY' AND TABLE_SCHEMA IN (` + placeholders(len(schemas)) + `)
ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION`
	args := make([]any, len(schemas))
	for i, s := range schemas {
		args[i] = s
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[tableKey][]string{}
	for rows.Next() {
		var key tableKey
		var col string
		if err := rows.Scan(&key[0], &key[1], &col); err != nil {
			return nil, err
		}
		out[key] = append(out[key], col)
	}
	return out, rows.Err()
}

// nullInt64 reads a nullable count as 0 when NULL.
func nullInt64(n sql.NullInt64) int64 {
	if !n.Valid || n.Int64 < 0 {
		return 0
	}
	return n.Int64
}

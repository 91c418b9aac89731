package mysql

import (
	"context"
	"database/sql"
	"strings"

	"github.com/hotdata-dev/hotdata/connectors"
)

// readIndexes reads the indexes of the tables in schemas other than
// their primary keys, columns in index order. Full-text and spatial
// indexes, which PostgreSQL has no form of, and functional key parts
// (MySQL 8) are left out. Definition is left to the catalog, which
// prints it as PostgreSQL would.
func readIndexes(ctx context.Context, q querier, schemas []string) (map[tableKey][]connectors.Index, error) {
	query := `
SELECT TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, NON_UNIQUE = 0, LOWER(INDEX_TYPE), COLUMN_NAME, COALESCE(COLLATION, 'A') = 'D'
FROM information_schema.STATISTICS
WHERE INDEX_NAME <> 'PRIMARY' AND INDEX_TYPE IN ('BTREE', 'HASH') AND TABLE_SCHEMA IN (` + placeholders(len(schemas)) + `)
ORDER BY TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`
	args := make([]any, len(schemas))
	for i, s := range schemas {
		args[i] = s
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[tableKey][]connectors.Index{}
	skip := map[[3]string]bool{}
	for rows.Next() {
		var key tableKey
		var name, method string
		var unique, desc bool
		var col sql.NullString
		if err := rows.Scan(&key[0], &key[1], &name, &unique, &method, &col, &desc); err != nil {
			return nil, err
		}
		id := [3]string{key[0], key[1], name}
		if !col.Valid {
			skip[id] = true // a functional key part
			continue
		}
		ixs := out[key]
		if n := len(ixs); n == 0 || ixs[n-1].Name != name {
			// A unique index is a UNIQUE constraint in MySQL.
			ixs = append(ixs, connectors.Index{Name: name, Method: method, Unique: unique, Constraint: unique})
		}
		ix := &ixs[len(ixs)-1]
		ix.Columns = append(ix.Columns, connectors.IndexColumn{Name: col.String, Descending: desc})
		ix.KeyColumns = len(ix.Columns)
		out[key] = ixs
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for key, ixs := range out {
		kept := ixs[:0]
		for _, ix := range ixs {
			if !skip[[3]string{key[0], key[1], ix.Name}] {
				kept = append(kept, ix)
			}
		}
		out[key] = kept
	}
	return out, nil
}

// readForeignKeys reads the foreign keys of the tables in schemas.
func readForeignKeys(ctx context.Context, q querier, schemas []string) (map[tableKey][]connectors.ForeignKey, error) {
	query := `
SELECT k.TABLE_SCHEMA, k.TABLE_NAME, k.CONSTRAINT_NAME, k.COLUMN_NAME, k.REFERENCED_TABLE_SCHEMA, k.REFERENCED_TABLE_NAME,
       k.REFERENCED_COLUMN_NAME, r.UPDATE_RULE, r.DELETE_RULE, r.MATCH_OPTION
FROM information_schema.KEY_COLUMN_USAGE k
JOIN information_schema.REFERENTIAL_CONSTRAINTS r
  ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND r.TABLE_NAME = k.TABLE_NAME
WHERE k.REFERENCED_TABLE_NAME IS NOT NULL AND k.TABLE_SCHEMA IN (` + placeholders(len(schemas)) + `)
ORDER BY k.TABLE_SCHEMA, k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION`
	args := make([]any, len(schemas))
	for i, s := range schemas {
		args[i] = s
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[tableKey][]connectors.ForeignKey{}
	for rows.Next() {
		var key tableKey
		var name, col, refSchema, refTable, refCol, onUpdate, onDelete, match string
		if err := rows.Scan(&key[0], &key[1], &name, &col, &refSchema, &refTable, &refCol, &onUpdate, &onDelete, &match); err != nil {
			return nil, err
		}
		fks := out[key]
		if n := len(fks); n == 0 || fks[n-1].Name != name {
			fks = append(fks, connectors.ForeignKey{Name: name, RefSchema: refSchema, RefTable: refTable,
				OnUpdate: fkAction(onUpdate), OnDelete: fkAction(onDelete), Match: fkMatch(match)})
		}
		fk := &fks[len(fks)-1]
		fk.Columns = append(fk.Columns, col)
		fk.RefColumns = append(fk.RefColumns, refCol)
		out[key] = fks
	}
	return out, rows.Err()
}

// fkAction is PostgreSQL's code for a referential action.
func fkAction(rule string) string {
	switch strings.ToUpper(rule) {
	case "CASCADE":
		return "c"
	case "SET NULL":
		return "n"
	case "SET DEFAULT":
		return "d"
	case "RESTRICT":
		return "r"
	}
	return "a" // NO ACTION
}

// fkMatch is PostgreSQL's code for a match type (MySQL reports NONE
// for the default, which is PostgreSQL's MATCH SIMPLE).
func fkMatch(option string) string {
	switch strings.ToUpper(option) {
	case "FULL":
		return "f"
	case "PARTIAL":
		return "p"
	}
	return "s"
}

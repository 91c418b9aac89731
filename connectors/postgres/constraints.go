package postgres

import (
	"context"
	"fmt"

	"github.com/hotdata-dev/hotdata/connectors"
)

// indexesSQL lists the valid indexes other than primary keys and
// exclusion constraints, one row per column (or expression), with what
// pg_get_indexdef prints from USING on (plain, as pg_dump prints it, and
// pretty, as psql does, when different).
const indexesSQL = `
WITH ix AS (
  SELECT n.nspname, c.relname, ic.relname AS index_name, am.amname, i.indisunique, con.contype = 'u' AS is_constraint,
         i.indnkeyatts, i.indexrelid, i.indrelid, i.indkey, i.indoption,
         pg_catalog.pg_get_indexdef(i.indexrelid) AS def, pg_catalog.pg_get_indexdef(i.indexrelid, 0, true) AS pretty,
         'CREATE ' || CASE WHEN i.indisunique THEN 'UNIQUE ' ELSE '' END || 'INDEX ' || quote_ident(ic.relname) || ' ON ' ||
           CASE WHEN c.relkind = 'p' THEN 'ONLY ' ELSE '' END || c.oid::regclass::text || ' USING ' AS prefix,
         pg_catalog.pg_get_expr(i.indpred, i.indrelid) AS pred, pg_catalog.pg_get_expr(i.indpred, i.indrelid, true) AS pretty_pred
  FROM pg_catalog.pg_index i
  JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
  JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_catalog.pg_am am ON am.oid = ic.relam
  LEFT JOIN pg_catalog.pg_constraint con ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x')
  WHERE NOT i.indisprimary AND i.indisvalid AND coalesce(con.contype, 'u') = 'u'
    AND n.nspname NOT IN ('pg_catalog', 'information_schema')
    AND (cardinality($1::text[]) = 0 OR n.nspname = ANY($1::text[])))
SELECT ix.nspname, ix.relname, ix.index_name, ix.amname, ix.indisunique, coalesce(ix.is_constraint, false), ix.indnkeyatts,
       CASE WHEN left(ix.def, length(ix.prefix)) = ix.prefix THEN substr(ix.def, length(ix.prefix) + 1)
            ELSE substr(ix.def, strpos(ix.def, ' USING ') + 7) END,
       CASE WHEN ix.pretty = ix.def THEN ''
            WHEN left(ix.pretty, length(ix.prefix)) = ix.prefix THEN substr(ix.pretty, length(ix.prefix) + 1)
            ELSE substr(ix.pretty, strpos(ix.pretty, ' USING ') + 7) END,
       coalesce(ix.pred, ''), CASE WHEN ix.pretty_pred = ix.pred THEN '' ELSE coalesce(ix.pretty_pred, '') END, ia.attname, CASE WHEN k.attnum = 0 THEN pg_catalog.pg_get_indexdef(ix.indexrelid, k.ord::int, true) ELSE '' END,
       coalesce((ix.indoption[k.ord - 1] & 1) = 1, false), coalesce((ix.indoption[k.ord - 1] & 2) = 2, false), ia.atttypid
FROM ix
JOIN LATERAL unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord) ON true
JOIN pg_catalog.pg_attribute ia ON ia.attrelid = ix.indexrelid AND ia.attnum = k.ord
ORDER BY ix.nspname, ix.relname, ix.index_name, k.ord`

// discoverIndexes adds each table's indexes (other than its primary
// key's) to tables.
func (c *Connector) discoverIndexes(ctx context.Context, schemas []string, tables []connectors.Table, index map[[2]string]int) error {
	rows, err := c.pool.Query(ctx, indexesSQL, schemas)
	if err != nil {
		return fmt.Errorf("discover indexes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var schema, table string
		var ix connectors.Index
		var keys int16
		var col connectors.IndexColumn
		if err := rows.Scan(&schema, &table, &ix.Name, &ix.Method, &ix.Unique, &ix.Constraint, &keys, &ix.Definition, &ix.PrettyDefinition, &ix.Predicate, &ix.PrettyPredicate,
			&col.Name, &col.Expression, &col.Descending, &col.NullsFirst, &col.TypeOID); err != nil {
			return fmt.Errorf("discover indexes: %w", err)
		}
		i, ok := index[[2]string{schema, table}]
		if !ok {
			continue
		}
		t := &tables[i]
		if n := len(t.Indexes); n == 0 || t.Indexes[n-1].Name != ix.Name {
			ix.KeyColumns = int(keys)
			t.Indexes = append(t.Indexes, ix)
		}
		last := &t.Indexes[len(t.Indexes)-1]
		last.Columns = append(last.Columns, col)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("discover indexes: %w", err)
	}
	return nil
}

// foreignKeysSQL lists the foreign keys of the tables (not those a
// partition inherits from its parent), with the columns they reference.
const foreignKeysSQL = `
SELECT n.nspname, c.relname, con.conname,
       ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
             JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum ORDER BY k.ord),
       rn.nspname, rc.relname,
       ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
             JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum ORDER BY k.ord),
       con.confupdtype::text, con.confdeltype::text, con.confmatchtype::text, con.condeferrable, con.condeferred, NOT con.convalidated,
       -- confdelsetcols is PostgreSQL 15's: read through to_jsonb so that older servers answer too.
       ARRAY(SELECT a.attname::text FROM jsonb_array_elements_text(CASE WHEN jsonb_typeof(to_jsonb(con) -> 'confdelsetcols') = 'array' THEN to_jsonb(con) -> 'confdelsetcols' ELSE '[]' END) WITH ORDINALITY AS k(attnum, ord)
             JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum::int2 ORDER BY k.ord)
FROM pg_catalog.pg_constraint con
JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_class rc ON rc.oid = con.confrelid
JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace
WHERE con.contype = 'f' AND con.conparentid = 0
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND (cardinality($1::text[]) = 0 OR n.nspname = ANY($1::text[]))
ORDER BY n.nspname, c.relname, con.conname`

// discoverForeignKeys adds each table's foreign keys to tables.
func (c *Connector) discoverForeignKeys(ctx context.Context, schemas []string, tables []connectors.Table, index map[[2]string]int) error {
	rows, err := c.pool.Query(ctx, foreignKeysSQL, schemas)
	if err != nil {
		return fmt.Errorf("discover foreign keys: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var schema, table string
		var fk connectors.ForeignKey
		if err := rows.Scan(&schema, &table, &fk.Name, &fk.Columns, &fk.RefSchema, &fk.RefTable, &fk.RefColumns,
			&fk.OnUpdate, &fk.OnDelete, &fk.Match, &fk.Deferrable, &fk.Deferred, &fk.NotValid, &fk.DeleteSetColumns); err != nil {
			return fmt.Errorf("discover foreign keys: %w", err)
		}
		if len(fk.DeleteSetColumns) == 0 {
			fk.DeleteSetColumns = nil
		}
		if i, ok := index[[2]string{schema, table}]; ok {
			tables[i].ForeignKeys = append(tables[i].ForeignKeys, fk)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("discover foreign keys: %w", err)
	}
	return nil
}

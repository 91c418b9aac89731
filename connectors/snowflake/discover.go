package snowflake

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	sf "github.com/snowflakedb/gosnowflake"

	"github.com/hotdata-dev/hotdata/connectors"
)

// Discover lists the tables and views of the configured schemas that
// the role can see, with their columns, row counts and primary keys.
// INFORMATION_SCHEMA shows only objects the role has privileges on.
func (c *Connector) Discover(ctx context.Context) ([]connectors.Table, error) {
	conn, d, err := c.session(ctx)
	if err != nil {
		return nil, fmt.Errorf("discover: %w", err)
	}
	defer conn.Close()
	tables, err := readTables(ctx, conn, d, c.cfg.discoverSchemas(), "")
	if err != nil {
		return nil, fmt.Errorf("discover: %w", err)
	}
	cols, err := readColumns(ctx, conn, d, c.cfg.discoverSchemas(), "")
	if err != nil {
		return nil, fmt.Errorf("discover columns: %w", err)
	}
	keys, err := readPrimaryKeys(ctx, conn)
	if err != nil {
		return nil, fmt.Errorf("discover primary keys: %w", err)
	}
	out := make([]connectors.Table, 0, len(tables))
	for _, t := range tables {
		key := tableKey{t.schema, t.name}
		tc := cols[key]
		if len(tc) == 0 {
			continue // dropped between the two queries, or no column is visible
		}
		ct := connectors.Table{Schema: t.schema, Name: t.name, RowEstimate: max(t.rows, 0)}
		for _, col := range tc {
			ct.Columns = append(ct.Columns, connectors.Column{
				Name: col.name, DataType: col.sourceType(), Nullable: col.nullable, TypeOID: typeOID(col),
			})
		}
		if pk, ok := keys[key]; ok {
			ct.PrimaryKey, ct.PrimaryKeyName = pk.columns, pk.name
		}
		out = append(out, ct)
	}
	return out, nil
}

type tableKey struct{ schema, name string }

// tableInfo is a row of INFORMATION_SCHEMA.TABLES; rows and bytes are -1
// when it does not say (views, or the emulator's DuckDB, which has
// neither column).
type tableInfo struct {
	schema, name, kind string
	rows, bytes        int64
}

// querier is what reading the catalog needs: a pool or one session.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// schemaFilter is the WHERE condition on TABLE_SCHEMA: the given
// schemas (or one table's), else all but INFORMATION_SCHEMA. Names are
// literals: the emulator takes no bind parameters.
func schemaFilter(schemas []string, table string, d dialect) (string, error) {
	var conds []string
	if len(schemas) == 0 {
		conds = append(conds, "TABLE_SCHEMA <> 'INFORMATION_SCHEMA'")
	} else {
		lits := make([]string, len(schemas))
		for i, s := range schemas {
			l, err := quoteString(s, d)
			if err != nil {
				return "", err
			}
			lits[i] = l
		}
		conds = append(conds, "TABLE_SCHEMA IN ("+strings.Join(lits, ", ")+")")
	}
	if table != "" {
		l, err := quoteString(table, d)
		if err != nil {
			return "", err
		}
		conds = append(conds, "TABLE_NAME = "+l)
	}
	return " WHERE " + strings.Join(conds, " AND "), nil
}

// readTables reads INFORMATION_SCHEMA.TABLES of the session's database.
// It selects every column and picks them by name, as the emulator has
// no ROW_COUNT or BYTES. ("TABLES" is quoted: the emulator's parser
// would rewrite it otherwise.)
func readTables(ctx context.Context, q querier, d dialect, schemas []string, table string) ([]tableInfo, error) {
	where, err := schemaFilter(schemas, table, d)
	if err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, `SELECT * FROM INFORMATION_SCHEMA."TABLES"`+where)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	names, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	at := map[string]int{}
	for i, n := range names {
		at[strings.ToUpper(n)] = i
	}
	get := func(vals []sql.NullString, name string) sql.NullString {
		if i, ok := at[name]; ok {
			return vals[i]
		}
		return sql.NullString{}
	}
	vals := make([]sql.NullString, len(names))
	dest := make([]any, len(names))
	for i := range vals {
		dest[i] = &vals[i]
	}
	var out []tableInfo
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		t := tableInfo{schema: get(vals, "TABLE_SCHEMA").String, name: get(vals, "TABLE_NAME").String,
			kind: get(vals, "TABLE_TYPE").String, rows: nullInt(get(vals, "ROW_COUNT")), bytes: nullInt(get(vals, "BYTES"))}
		if t.schema == "" || t.name == "" {
			continue
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].schema != out[j].schema {
			return out[i].schema < out[j].schema
		}
		return out[i].name < out[j].name
	})
	return out, nil
}

// readColumns reads INFORMATION_SCHEMA.COLUMNS, by table, in column order.
func readColumns(ctx context.Context, q querier, d dialect, schemas []string, table string) (map[tableKey][]column, error) {
	where, err := schemaFilter(schemas, table, d)
	if err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, `SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION, DATA_TYPE, IS_NULLABLE,
  NUMERIC_PRECISION, NUMERIC_SCALE, CHARACTER_MAXIMUM_LENGTH, DATETIME_PRECISION, COLLATION_NAME
FROM INFORMATION_SCHEMA.COLUMNS`+where)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	type ordered struct {
		pos int64
		col column
	}
	byTable := map[tableKey][]ordered{}
	for rows.Next() {
		var schema, tbl, name, pos, dataType, nullable, prec, scale, length, frac, collation sql.NullString
		if err := rows.Scan(&schema, &tbl, &name, &pos, &dataType, &nullable, &prec, &scale, &length, &frac, &collation); err != nil {
			return nil, err
		}
		col := column{name: name.String, dataType: strings.ToUpper(strings.TrimSpace(dataType.String)),
			nullable:  !strings.EqualFold(nullable.String, "NO"),
			precision: nullInt(prec), scale: nullInt(scale), length: nullInt(length), fraction: nullInt(frac),
			collation: collation.String}
		key := tableKey{schema.String, tbl.String}
		byTable[key] = append(byTable[key], ordered{nullInt(pos), col})
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make(map[tableKey][]column, len(byTable))
	for key, cols := range byTable {
		sort.SliceStable(cols, func(i, j int) bool { return cols[i].pos < cols[j].pos })
		for _, o := range cols {
			out[key] = append(out[key], o.col)
		}
	}
	return out, nil
}

type primaryKey struct {
	name    string
	columns []string
}

// readPrimaryKeys lists the primary keys of the session's database
// (SHOW PRIMARY KEYS IN DATABASE; Snowflake records them without
// enforcing them). A server that refuses the statement (the emulator
// does not know it) reports none.
func readPrimaryKeys(ctx context.Context, q querier) (map[tableKey]primaryKey, error) {
	rows, err := q.QueryContext(ctx, "SHOW PRIMARY KEYS IN DATABASE")
	var se *sf.SnowflakeError
	if errors.As(err, &se) && se.Number < 200000 {
		// A SQL error from the server (the driver's own are 26xxxx).
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	names, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	vals := make([]sql.NullString, len(names))
	dest := make([]any, len(names))
	for i := range vals {
		dest[i] = &vals[i]
	}
	var found []map[string]string
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		r := make(map[string]string, len(names))
		for i, n := range names {
			r[strings.ToLower(n)] = vals[i].String
		}
		found = append(found, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return primaryKeys(found), nil
}

// primaryKeys assembles SHOW PRIMARY KEYS rows (schema_name, table_name,
// column_name, key_sequence, constraint_name) into keys.
func primaryKeys(rows []map[string]string) map[tableKey]primaryKey {
	type part struct {
		seq  int64
		name string
	}
	parts := map[tableKey][]part{}
	names := map[tableKey]string{}
	for _, r := range rows {
		key := tableKey{r["schema_name"], r["table_name"]}
		seq, err := strconv.ParseInt(r["key_sequence"], 10, 64)
		if err != nil || key.schema == "" || key.name == "" || r["column_name"] == "" {
			continue
		}
		parts[key] = append(parts[key], part{seq, r["column_name"]})
		names[key] = r["constraint_name"]
	}
	out := make(map[tableKey]primaryKey, len(parts))
	for key, ps := range parts {
		sort.Slice(ps, func(i, j int) bool { return ps[i].seq < ps[j].seq })
		pk := primaryKey{name: names[key]}
		for _, p := range ps {
			pk.columns = append(pk.columns, p.name)
		}
		out[key] = pk
	}
	return out
}

// nullInt parses an integer column read as text; -1 for NULL. The
// emulator sends NULL as an empty string, which reads as NULL too.
func nullInt(s sql.NullString) int64 {
	if !s.Valid || s.String == "" {
		return -1
	}
	n, err := strconv.ParseInt(s.String, 10, 64)
	if err != nil {
		return -1
	}
	return n
}

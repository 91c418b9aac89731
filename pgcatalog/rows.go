package pgcatalog

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// table collects rows for one emulated relation and renders them as an
// INSERT. Columns a row leaves out get their default: false, 0 or ” in
// pg_catalog (whose columns are NOT NULL in PostgreSQL), NULL for arrays,
// node trees, ACLs and in information_schema.
type table struct {
	rel  *Relation
	rows []map[string]any
}

func newTable(schema, name string) *table {
	rel, ok := Lookup(schema, name)
	if !ok {
		panic("pgcatalog: no relation " + schema + "." + name)
	}
	return &table{rel: rel}
}

func (t *table) add(row map[string]any) {
	for k := range row {
		if _, ok := t.rel.Types[k]; !ok {
			panic(fmt.Sprintf("pgcatalog: %s has no column %s", t.rel.Name, k))
		}
	}
	t.rows = append(t.rows, row)
}

// insertBatch bounds the rows of one INSERT statement.
const insertBatch = 500

// inserts renders the rows as INSERT statements into the engine table.
func (t *table) inserts() []string {
	var out []string
	for start := 0; start < len(t.rows); start += insertBatch {
		end := min(start+insertBatch, len(t.rows))
		var b strings.Builder
		b.WriteString("INSERT INTO " + t.rel.engineName() + " VALUES ")
		for i, row := range t.rows[start:end] {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('(')
			for j, col := range t.rel.Columns {
				if j > 0 {
					b.WriteString(", ")
				}
				v, ok := row[col]
				if !ok {
					v = t.rel.defaultValue(col)
				}
				b.WriteString(literal(v, t.rel.Types[col]))
			}
			b.WriteByte(')')
		}
		out = append(out, b.String())
	}
	return out
}

func (r *Relation) engineName() string {
	return EngineCatalog + "." + r.EngineSchema + "." + quoteIdent(r.Name)
}

// EngineName is the relation's fully qualified DuckDB name parts.
func (r *Relation) EngineName() (catalog, schema, name string) {
	return EngineCatalog, r.EngineSchema, r.Name
}

func (r *Relation) defaultValue(col string) any {
	if r.Schema != "pg_catalog" {
		return nil
	}
	switch t := r.Types[col]; {
	case strings.HasSuffix(t, "[]"), t == "pg_node_tree", t == "anyarray", t == "int2vector", t == "oidvector",
		t == "timestamp with time zone", t == "interval", t == "bytea", t == "pg_lsn", t == "inet",
		t == "pg_ndistinct", t == "pg_dependencies", t == "pg_mcv_list":
		return nil
	case t == "boolean":
		return false
	case t == "text" || t == "character varying":
		return nil
	case t == "name" || t == `"char"`:
		return ""
	}
	return 0
}

// literal renders a Go value as a DuckDB literal of the column's type.
func literal(v any, pgType string) string {
	switch v := v.(type) {
	case nil:
		return "NULL"
	case string:
		return quoteString(v)
	case bool:
		return strconv.FormatBool(v)
	case int:
		return strconv.Itoa(v)
	case int16:
		return strconv.Itoa(int(v))
	case int32:
		return strconv.Itoa(int(v))
	case int64:
		return strconv.FormatInt(v, 10)
	case uint32:
		return strconv.FormatUint(uint64(v), 10)
	case float64:
		if math.IsInf(v, 0) || math.IsNaN(v) {
			return "NULL"
		}
		return strconv.FormatFloat(v, 'g', -1, 64)
	case time.Time:
		return "TIMESTAMPTZ " + quoteString(v.UTC().Format("2006-01-02 15:04:05.999999Z07:00"))
	case []string:
		parts := make([]string, len(v))
		for i, s := range v {
			parts[i] = quoteString(s)
		}
		return "[" + strings.Join(parts, ", ") + "]::VARCHAR[]"
	case []int16:
		parts := make([]string, len(v))
		for i, n := range v {
			parts[i] = strconv.Itoa(int(n))
		}
		return "[" + strings.Join(parts, ", ") + "]::SMALLINT[]"
	case []uint32:
		parts := make([]string, len(v))
		for i, n := range v {
			parts[i] = strconv.FormatUint(uint64(n), 10)
		}
		return "[" + strings.Join(parts, ", ") + "]::UINTEGER[]"
	}
	panic(fmt.Sprintf("pgcatalog: no literal for %T", v))
}

// splitArray splits the inside of a PostgreSQL array literal's braces
// (no nesting; elements may be double-quoted).
func splitArray(s string) []string {
	var out []string
	var cur strings.Builder
	quoted := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"':
			quoted = !quoted
		case c == '\\' && i+1 < len(s):
			i++
			cur.WriteByte(s[i])
		case c == ',' && !quoted:
			out = append(out, cur.String())
			cur.Reset()
		default:
			cur.WriteByte(c)
		}
	}
	if s != "" {
		out = append(out, cur.String())
	}
	return out
}

func quoteString(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

func quoteIdent(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

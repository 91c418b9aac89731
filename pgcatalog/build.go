package pgcatalog

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"sort"
	"strconv"
	"strings"
)

// Workspace is what the emulated catalog shows of one workspace.
type Workspace struct {
	// Database is the database name clients connect to (the workspace).
	Database string
	// Owner is the role that owns every object (OID 10).
	Owner string
	// Roles are further role names to list (members), besides Owner.
	Roles  []string
	Tables []Table
	// Types are the upstreams' own types the tables' columns have.
	Types []UserType
}

// Table is one queryable table: a connection's table or a dataset.
type Table struct {
	// ID identifies the table for good (its OID derives from it).
	ID string
	// Schema is the emulated schema: "connection.schema" or "datasets".
	Schema     string
	Name       string
	Columns    []Column
	PrimaryKey []string
	// PrimaryKeyName is the primary key constraint's name ("":
	// <Name>_pkey, PostgreSQL's default).
	PrimaryKeyName string
	// Indexes are the other indexes; ForeignKeys reference tables of the
	// workspace (others are left out: PostgreSQL has no dangling keys).
	Indexes     []Index
	ForeignKeys []ForeignKey
	RowEstimate int64
	Comment     string
}

// Index is an index other than the primary key's.
type Index struct {
	Name string
	// Method is the access method: btree, hash, gist, gin, spgist, brin.
	Method string
	Unique bool
	// Constraint is true when the index backs a UNIQUE constraint.
	Constraint bool
	// Columns are the key columns then the INCLUDE ones; KeyColumns
	// counts the key columns.
	Columns    []IndexColumn
	KeyColumns int
	// Definition is what pg_get_indexdef prints after USING ("btree (a,
	// b DESC)"); "" to derive it from the columns. PrettyDefinition is
	// its pretty form (psql's), "" when the same.
	Definition       string
	PrettyDefinition string
	// Predicate is a partial index's condition as pg_get_expr prints it
	// ("" for none); PrettyPredicate is its pretty form, "" when the same.
	Predicate       string
	PrettyPredicate string
}

// IndexColumn is a column or expression of an Index.
type IndexColumn struct {
	// Name is the table column, or the name of an expression's column
	// in the index (lower, expr).
	Name string
	// Expression is an expression key as PostgreSQL prints it; "" for a
	// table column.
	Expression string
	Descending bool
	NullsFirst bool
	// TypeOID is the type the index stores, 0: the column's (text for
	// an expression).
	TypeOID uint32
}

// ForeignKey is a foreign key of a table.
type ForeignKey struct {
	Name    string
	Columns []string
	// RefSchema is the referenced table's emulated schema
	// ("connection.schema"); RefTable its name.
	RefSchema, RefTable string
	RefColumns          []string
	// OnUpdate, OnDelete: a (no action), r, c, n, d, as pg_constraint.
	OnUpdate, OnDelete string
	DeleteSetColumns   []string
	// Match: s (simple), f (full), p (partial).
	Match      string
	Deferrable bool
	Deferred   bool
	NotValid   bool
}

// Column is one column of a Table.
type Column struct {
	Name string
	// DataType is the upstream's type name ("numeric(12,2)", "varchar(255)").
	DataType string
	// TypeOID is the upstream's PostgreSQL type OID, 0 if none.
	TypeOID  uint32
	Nullable bool
}

// SchemaName is the emulated schema of a connection's upstream schema.
func SchemaName(connection, schema string) string { return connection + "." + schema }

// Version fingerprints ws: equal versions fill equal rows.
func (ws Workspace) Version() string {
	b, _ := json.Marshal(ws)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:12])
}

// Schemas lists the workspace's schema names, sorted.
func (ws Workspace) Schemas() []string {
	seen := map[string]bool{}
	var out []string
	for _, t := range ws.Tables {
		if !seen[t.Schema] {
			seen[t.Schema] = true
			out = append(out, t.Schema)
		}
	}
	for _, t := range ws.Types {
		if !seen[t.Schema] {
			seen[t.Schema] = true
			out = append(out, t.Schema)
		}
	}
	sort.Strings(out)
	return out
}

// dynamicRelations are the relations Fill rewrites; every other relation
// holds static rows (or none).
var dynamicRelations = []string{
	"pg_catalog.pg_namespace", "pg_catalog.pg_class", "pg_catalog.pg_attribute", "pg_catalog.pg_constraint",
	"pg_catalog.pg_index", "pg_catalog.pg_database", "pg_catalog.pg_roles", "pg_catalog.pg_user",
	"pg_catalog.pg_tables", "pg_catalog.pg_indexes", "pg_catalog.pg_description", "pg_catalog.pg_attrdef",
	"pg_catalog.pg_stat_user_tables", "pg_catalog.pg_stat_all_tables",
	"information_schema.schemata", "information_schema.tables", "information_schema.columns",
	"information_schema.table_constraints", "information_schema.key_column_usage",
	"information_schema.constraint_column_usage", "information_schema.referential_constraints", "information_schema.enabled_roles",
	"information_schema.applicable_roles", "information_schema.table_privileges",
}

// Fill returns the statements that replace the workspace's rows, to run
// in one transaction after Setup's.
func Fill(ws Workspace) []string {
	b := newBuilder(ws)
	b.build()
	var stmts []string
	for _, name := range dynamicRelations {
		schema, rel, _ := strings.Cut(name, ".")
		r, _ := Lookup(schema, rel)
		stmts = append(stmts, "DELETE FROM "+r.engineName())
	}
	for name, t := range b.tables {
		if name == "pg_catalog.pg_type" || name == "pg_catalog.pg_enum" {
			continue // below
		}
		stmts = append(stmts, t.inserts()...)
	}
	for _, l := range []*lookupTable{b.defs, b.names, b.desc, b.indexCols, b.classes, b.exprs} {
		stmts = append(stmts, l.stmts()...)
	}
	// The user types' rows replace the last ones (built-in types have
	// OIDs below 16384).
	sys := EngineCatalog + "." + engineSystem
	stmts = append(stmts, "DELETE FROM "+sys+".pg_type WHERE oid >= 16384", "DELETE FROM "+sys+".pg_enum",
		"DELETE FROM "+sys+".hd_types WHERE hd_t_oid >= 16384")
	for _, name := range []string{"pg_catalog.pg_type", "pg_catalog.pg_enum"} {
		if t := b.tables[name]; t != nil {
			stmts = append(stmts, t.inserts()...)
		}
	}
	stmts = append(stmts, b.types.insertStmts()...)
	stmts = append(stmts,
		"CREATE OR REPLACE MACRO "+EngineCatalog+"."+engineSystem+".current_database() AS "+quoteString(ws.Database),
		"CREATE OR REPLACE MACRO "+EngineCatalog+"."+engineSystem+".current_catalog() AS "+quoteString(ws.Database))
	return stmts
}

type builder struct {
	ws     Workspace
	oids   *oids
	tables map[string]*table
	nsOID  map[string]uint32
	// tableInfo: each table by schema and name, for foreign keys.
	tableInfo map[string]*tableInfo
	// triggers: the tables on either side of a foreign key.
	triggers map[string]bool
	// relNames are the relation names taken in each schema ("schema\x00name"):
	// PostgreSQL's are unique in a schema, MySQL's index names only in a
	// table.
	relNames map[string]bool
	// the functions' lookup tables
	defs, names, desc, indexCols, classes, exprs *lookupTable
	// types are the user types' hd_types rows.
	types *lookupTable
}

func newBuilder(ws Workspace) *builder {
	keys := []string{"database"}
	for _, s := range ws.Schemas() {
		keys = append(keys, "schema\x00"+s)
	}
	for _, t := range ws.Tables {
		keys = append(keys, "table\x00"+t.ID, "pkey\x00"+t.ID, "pkeyidx\x00"+t.ID)
		for _, ix := range t.Indexes {
			keys = append(keys, "index\x00"+t.ID+"\x00"+ix.Name, "ucon\x00"+t.ID+"\x00"+ix.Name)
		}
		for _, fk := range t.ForeignKeys {
			keys = append(keys, "fkey\x00"+t.ID+"\x00"+fk.Name)
		}
	}
	for _, r := range ws.Roles {
		keys = append(keys, "role\x00"+r)
	}
	keys = append(keys, userTypeKeys(ws)...)
	b := &builder{ws: ws, oids: assignOIDs(keys), tables: map[string]*table{}, tableInfo: map[string]*tableInfo{}, triggers: map[string]bool{}, relNames: map[string]bool{}, nsOID: map[string]uint32{
		"pg_catalog": OIDPgCatalog, "information_schema": OIDInformationSchema,
	}}
	for _, s := range ws.Schemas() {
		b.nsOID[s] = b.oids.get("schema\x00" + s)
	}
	b.defs, b.names, b.desc, b.indexCols = &lookupTable{name: "hd_defs"}, &lookupTable{name: "hd_names"},
		&lookupTable{name: "hd_desc"}, &lookupTable{name: "hd_indexcols"}
	b.exprs = &lookupTable{name: "hd_exprs"}
	b.types = &lookupTable{name: "hd_types"}
	// hd_classes names every relation with its schema, for to_regclass:
	// the catalogs with a fixed OID, and the workspace's (added below).
	b.classes = &lookupTable{name: "hd_classes"}
	system := make([]string, 0, len(systemRelationOIDs))
	for name := range systemRelationOIDs {
		system = append(system, name)
	}
	sort.Strings(system)
	for _, name := range system {
		b.classes.add(systemRelationOIDs[name], "pg_catalog", name)
	}
	return b
}

func (b *builder) t(qualified string) *table {
	if t := b.tables[qualified]; t != nil {
		return t
	}
	schema, name, _ := strings.Cut(qualified, ".")
	t := newTable(schema, name)
	b.tables[qualified] = t
	return t
}

func (b *builder) build() {
	ws := b.ws
	dbOID := b.oids.get("database")
	b.t("pg_catalog.pg_database").add(map[string]any{
		"oid": dbOID, "datname": ws.Database, "datdba": uint32(OIDOwner), "encoding": 6, "datlocprovider": "c",
		"datallowconn": true, "datconnlimit": -1, "dattablespace": uint32(1663), "datcollate": "C", "datctype": "C",
	})
	roles := append([]string{ws.Owner}, ws.Roles...)
	seen := map[string]bool{}
	for i, r := range roles {
		if r == "" || seen[r] {
			continue
		}
		seen[r] = true
		oid := uint32(OIDOwner)
		if i > 0 {
			oid = b.oids.get("role\x00" + r)
		}
		b.names.add("role", oid, r)
		b.t("pg_catalog.pg_roles").add(map[string]any{"rolname": r, "oid": oid, "rolinherit": true, "rolcanlogin": true,
			"rolconnlimit": -1, "rolpassword": "********", "rolsuper": i == 0})
		b.t("pg_catalog.pg_user").add(map[string]any{"usename": r, "usesysid": oid, "usesuper": i == 0, "passwd": "********"})
		b.t("information_schema.enabled_roles").add(map[string]any{"role_name": r})
	}
	for _, ns := range []struct {
		name string
		oid  uint32
	}{{"pg_catalog", OIDPgCatalog}, {"information_schema", OIDInformationSchema}} {
		b.names.add("namespace", ns.oid, ns.name)
		b.t("pg_catalog.pg_namespace").add(map[string]any{"oid": ns.oid, "nspname": ns.name, "nspowner": uint32(OIDOwner)})
		b.t("information_schema.schemata").add(map[string]any{"catalog_name": ws.Database, "schema_name": ns.name, "schema_owner": ws.Owner})
	}
	b.addUserTypes()
	for _, s := range ws.Schemas() {
		b.names.add("namespace", b.nsOID[s], s)
		b.t("pg_catalog.pg_namespace").add(map[string]any{"oid": b.nsOID[s], "nspname": s, "nspowner": uint32(OIDOwner)})
		b.t("information_schema.schemata").add(map[string]any{"catalog_name": ws.Database, "schema_name": s, "schema_owner": ws.Owner})
	}
	// Foreign keys are triggers in PostgreSQL, on both tables: psql
	// looks for them only where relhastriggers is set.
	exists := map[string]bool{}
	for _, t := range ws.Tables {
		exists[t.Schema+"\x00"+t.Name] = true
		b.relNames[t.Schema+"\x00"+t.Name] = true
	}
	for _, t := range ws.Tables {
		for _, fk := range t.ForeignKeys {
			if exists[fk.RefSchema+"\x00"+fk.RefTable] {
				b.triggers[t.Schema+"\x00"+t.Name] = true
				b.triggers[fk.RefSchema+"\x00"+fk.RefTable] = true
			}
		}
	}
	for _, t := range ws.Tables {
		b.addTable(t)
	}
	// Foreign keys last: they need the OIDs of the tables they reference.
	for _, t := range ws.Tables {
		for _, fk := range t.ForeignKeys {
			b.addForeignKey(t, fk)
		}
	}
}

func (b *builder) addTable(t Table) {
	ws := b.ws
	oid := b.oids.get("table\x00" + t.ID)
	ns := b.nsOID[t.Schema]
	hasPK := len(t.PrimaryKey) > 0
	hasIndex := hasPK || len(t.Indexes) > 0
	reltuples := float64(-1)
	if t.RowEstimate > 0 {
		reltuples = float64(t.RowEstimate)
	}
	b.names.add("class", oid, t.Name)
	b.classes.add(oid, t.Schema, t.Name)
	b.t("pg_catalog.pg_class").add(map[string]any{
		"oid": oid, "relname": t.Name, "relnamespace": ns, "relowner": uint32(OIDOwner), "relam": uint32(oidHeap),
		"relfilenode": oid, "reltuples": reltuples, "relhasindex": hasIndex, "relpersistence": "p", "relkind": "r",
		"relnatts": int16(len(t.Columns)), "relispopulated": true, "relreplident": "d", "relhastriggers": b.triggers[t.Schema+"\x00"+t.Name],
	})
	b.t("pg_catalog.pg_tables").add(map[string]any{"schemaname": t.Schema, "tablename": t.Name, "tableowner": ws.Owner, "hasindexes": hasIndex})
	b.t("pg_catalog.pg_stat_user_tables").add(map[string]any{"relid": oid, "schemaname": t.Schema, "relname": t.Name, "n_live_tup": max(t.RowEstimate, 0)})
	b.t("pg_catalog.pg_stat_all_tables").add(map[string]any{"relid": oid, "schemaname": t.Schema, "relname": t.Name, "n_live_tup": max(t.RowEstimate, 0)})
	b.t("information_schema.tables").add(map[string]any{
		"table_catalog": ws.Database, "table_schema": t.Schema, "table_name": t.Name, "table_type": "BASE TABLE",
		"is_insertable_into": "NO", "is_typed": "NO",
	})
	b.t("information_schema.table_privileges").add(map[string]any{
		"grantor": ws.Owner, "grantee": "PUBLIC", "table_catalog": ws.Database, "table_schema": t.Schema, "table_name": t.Name,
		"privilege_type": "SELECT", "is_grantable": "NO", "with_hierarchy": "YES",
	})
	if t.Comment != "" {
		b.t("pg_catalog.pg_description").add(map[string]any{"objoid": oid, "classoid": uint32(oidPgClass), "objsubid": 0, "description": t.Comment})
		b.desc.add(oid, 0, t.Comment)
	}
	attnum := map[string]int16{}
	for i, c := range t.Columns {
		n := int16(i + 1)
		attnum[c.Name] = n
		typ, typmod := b.columnType(c.DataType, c.TypeOID)
		b.attribute(oid, c.Name, n, typ, typmod, !c.Nullable)
		info := b.columnInfo(t, c, n, typ, typmod)
		if u, array := b.userType(typ); u != nil {
			b.userColumnInfo(info, u, array)
		}
		b.t("information_schema.columns").add(info)
	}
	cols := map[string]Column{}
	for _, c := range t.Columns {
		cols[c.Name] = c
	}
	b.tableInfo[t.Schema+"\x00"+t.Name] = &tableInfo{oid: oid, attnum: attnum, t: t}
	if hasPK {
		b.addPrimaryKey(t, oid, ns, attnum, cols)
	}
	for _, ix := range t.Indexes {
		b.addIndex(t, ix, oid, ns, attnum, cols)
	}
}

// attribute is one pg_attribute row: a column of a table or an index.
func (b *builder) attribute(relOID uint32, name string, n int16, typ uint32, typmod int32, notNull bool) {
	bt := builtinTypes[typ]
	if u, array := b.userType(typ); u != nil {
		bt = &builtinType{oid: typ, typlen: int(u.Typlen), align: "i", storage: "p", category: "E"}
		if array || u.Kind != "e" {
			bt.typlen, bt.storage, bt.category = -1, "x", "U"
			if array {
				bt.category = "A"
			}
		}
		if u.Kind == "d" && !array {
			if base := builtinTypes[u.BaseOID]; base != nil {
				c := *base
				c.oid = typ
				bt = &c
			}
		}
	}
	if bt == nil {
		bt = builtinTypes[oidText]
	}
	b.t("pg_catalog.pg_attribute").add(map[string]any{
		"attrelid": relOID, "attname": name, "atttypid": typ, "attstattarget": -1, "attlen": int16(bt.typlen), "attnum": n,
		"attndims": boolInt(bt.category == "A"), "attcacheoff": -1, "atttypmod": typmod, "attbyval": bt.typlen > 0 && bt.typlen <= 8,
		"attalign": bt.align, "attstorage": bt.storage, "attnotnull": notNull, "attislocal": true,
		"attcollation": uint32(collationOf(bt)),
	})
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// collationOf is the default collation (100) for collatable types.
func collationOf(t *builtinType) int {
	switch t.category {
	case "S":
		return 100
	case "A":
		if e := builtinTypes[t.elem]; e != nil && e.category == "S" {
			return 100
		}
	}
	return 0
}

func (b *builder) addPrimaryKey(t Table, relOID, ns uint32, attnum map[string]int16, cols map[string]Column) {
	ws := b.ws
	conOID, idxOID := b.oids.get("pkey\x00"+t.ID), b.oids.get("pkeyidx\x00"+t.ID)
	name := b.relName(t, primaryKeyName(t))
	var keys []int16
	var quoted []string
	for _, c := range t.PrimaryKey {
		if n, ok := attnum[c]; ok {
			keys = append(keys, n)
			quoted = append(quoted, QuoteIdent(c))
		}
	}
	if len(keys) != len(t.PrimaryKey) {
		return
	}
	b.tableInfo[t.Schema+"\x00"+t.Name].pk = &uniqueKey{name: name, columns: t.PrimaryKey, index: idxOID}
	def := "PRIMARY KEY (" + strings.Join(quoted, ", ") + ")"
	indexDef := "CREATE UNIQUE INDEX " + QuoteIdent(name) + " ON " + QuoteIdent(t.Schema) + "." + QuoteIdent(t.Name) +
		" USING btree (" + strings.Join(quoted, ", ") + ")"
	b.names.add("class", idxOID, name)
	b.classes.add(idxOID, t.Schema, name)
	b.t("pg_catalog.pg_class").add(map[string]any{
		"oid": idxOID, "relname": name, "relnamespace": ns, "relowner": uint32(OIDOwner), "relam": uint32(oidBtree),
		"relfilenode": idxOID, "reltuples": float64(-1), "relpersistence": "p", "relkind": "i",
		"relnatts": int16(len(keys)), "relispopulated": true, "relreplident": "n",
	})
	for i, col := range t.PrimaryKey {
		typ, typmod := b.columnType(cols[col].DataType, cols[col].TypeOID)
		b.attribute(idxOID, col, int16(i+1), typ, typmod, false)
		b.indexCols.add(idxOID, i+1, QuoteIdent(col))
	}
	zeros := make([]int16, len(keys))
	b.t("pg_catalog.pg_index").add(map[string]any{
		"indexrelid": idxOID, "indrelid": relOID, "indnatts": int16(len(keys)), "indnkeyatts": int16(len(keys)),
		"indisunique": true, "indisprimary": true, "indimmediate": true, "indisvalid": true, "indisready": true,
		"indislive": true, "indkey": keys, "indoption": zeros, "indcollation": make([]uint32, len(keys)), "indclass": make([]uint32, len(keys)),
	})
	b.t("pg_catalog.pg_constraint").add(map[string]any{
		"oid": conOID, "conname": name, "connamespace": ns, "contype": "p", "convalidated": true, "conrelid": relOID,
		"conindid": idxOID, "conislocal": true, "connoinherit": true, "conkey": keys,
		"confupdtype": " ", "confdeltype": " ", "confmatchtype": " ",
	})
	b.t("pg_catalog.pg_indexes").add(map[string]any{"schemaname": t.Schema, "tablename": t.Name, "indexname": name, "indexdef": indexDef})
	b.defs.add(conOID, def, nil)
	b.defs.add(idxOID, indexDef, nil)
	b.t("information_schema.table_constraints").add(map[string]any{
		"constraint_catalog": ws.Database, "constraint_schema": t.Schema, "constraint_name": name, "table_catalog": ws.Database,
		"table_schema": t.Schema, "table_name": t.Name, "constraint_type": "PRIMARY KEY", "is_deferrable": "NO",
		"initially_deferred": "NO", "enforced": "YES",
	})
	for i, c := range t.PrimaryKey {
		b.t("information_schema.key_column_usage").add(map[string]any{
			"constraint_catalog": ws.Database, "constraint_schema": t.Schema, "constraint_name": name, "table_catalog": ws.Database,
			"table_schema": t.Schema, "table_name": t.Name, "column_name": c, "ordinal_position": i + 1,
		})
		b.t("information_schema.constraint_column_usage").add(map[string]any{
			"table_catalog": ws.Database, "table_schema": t.Schema, "table_name": t.Name, "column_name": c,
			"constraint_catalog": ws.Database, "constraint_schema": t.Schema, "constraint_name": name,
		})
	}
}

// columnInfo is information_schema.columns for one column.
func (b *builder) columnInfo(t Table, c Column, n int16, typ uint32, typmod int32) map[string]any {
	bt := builtinTypes[typ]
	if bt == nil {
		bt = builtinTypes[oidText]
	}
	row := map[string]any{
		"table_catalog": b.ws.Database, "table_schema": t.Schema, "table_name": t.Name, "column_name": c.Name,
		"ordinal_position": int(n), "is_nullable": yesNo(c.Nullable), "udt_catalog": b.ws.Database, "udt_schema": "pg_catalog",
		"udt_name": bt.name, "dtd_identifier": strconv.Itoa(int(n)), "is_self_referencing": "NO", "is_identity": "NO",
		"identity_cycle": "NO", "is_generated": "NEVER", "is_updatable": "NO",
	}
	base := bt
	// As information_schema.columns does for types in pg_catalog (every
	// type here is): format_type's name, or ARRAY.
	row["data_type"] = bt.display
	if bt.category == "A" {
		row["data_type"] = "ARRAY"
		base = builtinTypes[bt.elem]
	}
	if base == nil || bt.category == "A" {
		return row
	}
	switch base.oid {
	case oidVarchar, oidBPChar:
		if typmod >= 4 {
			row["character_maximum_length"] = int(typmod - 4)
			row["character_octet_length"] = int(typmod-4) * 4
		} else {
			row["character_octet_length"] = 1073741824
		}
	case oidText:
		row["character_octet_length"] = 1073741824
	case oidInt2:
		row["numeric_precision"], row["numeric_precision_radix"], row["numeric_scale"] = 16, 2, 0
	case oidInt4:
		row["numeric_precision"], row["numeric_precision_radix"], row["numeric_scale"] = 32, 2, 0
	case oidInt8:
		row["numeric_precision"], row["numeric_precision_radix"], row["numeric_scale"] = 64, 2, 0
	case oidFloat4:
		row["numeric_precision"], row["numeric_precision_radix"] = 24, 2
	case oidFloat8:
		row["numeric_precision"], row["numeric_precision_radix"] = 53, 2
	case oidNumeric:
		row["numeric_precision_radix"] = 10
		if typmod >= 4 {
			m := typmod - 4
			row["numeric_precision"], row["numeric_scale"] = int(m>>16&0xffff), int(m&0xffff)
		}
	case oidTimestamp, oidTimestamptz, oidTime, oidTimetz, oidInterval:
		row["datetime_precision"] = 6
		if typmod >= 0 {
			row["datetime_precision"] = int(typmod)
		}
	case 1082: // date
		row["datetime_precision"] = 0
	}
	if collationOf(bt) != 0 {
		row["collation_catalog"], row["collation_schema"], row["collation_name"] = b.ws.Database, "pg_catalog", "default"
	}
	return row
}

func yesNo(b bool) string {
	if b {
		return "YES"
	}
	return "NO"
}

// lookupTable holds rows of one of the functions' lookup tables
// (hd_defs, hd_names, hd_desc, hd_indexcols).
type lookupTable struct {
	name string
	rows [][]any
}

func (l *lookupTable) add(vals ...any) { l.rows = append(l.rows, vals) }

func (l *lookupTable) stmts() []string {
	out := []string{"DELETE FROM " + EngineCatalog + "." + engineSystem + "." + l.name}
	for start := 0; start < len(l.rows); start += insertBatch {
		var b strings.Builder
		b.WriteString("INSERT INTO " + EngineCatalog + "." + engineSystem + "." + l.name + " VALUES ")
		for i, r := range l.rows[start:min(start+insertBatch, len(l.rows))] {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('(')
			for j, v := range r {
				if j > 0 {
					b.WriteString(", ")
				}
				b.WriteString(literal(v, ""))
			}
			b.WriteByte(')')
		}
		out = append(out, b.String())
	}
	return out
}

package pgcatalog

import (
	"strconv"
	"strings"
)

// tableInfo is what foreign keys need of the table they reference.
type tableInfo struct {
	t      Table
	oid    uint32
	attnum map[string]int16
	// pk and uniques are the keys a foreign key may reference.
	pk      *uniqueKey
	uniques []*uniqueKey
}

// uniqueKey is a primary key or UNIQUE constraint.
type uniqueKey struct {
	name    string
	columns []string
	index   uint32
}

// relName is name for an index of t, made unique in t's schema as
// PostgreSQL's relation names are: a name taken (by a table, or an index
// of another table, as MySQL allows) becomes <table>_<name>, then
// <table>_<name>1, ….
func (b *builder) relName(t Table, name string) string {
	try := name
	for i := 0; b.relNames[t.Schema+"\x00"+try]; i++ {
		try = t.Name + "_" + name
		if i > 0 {
			try += strconv.Itoa(i)
		}
	}
	b.relNames[t.Schema+"\x00"+try] = true
	return try
}

func primaryKeyName(t Table) string {
	if t.PrimaryKeyName != "" {
		return t.PrimaryKeyName
	}
	return t.Name + "_pkey"
}

// accessMethods are the OIDs of pg_am's rows by name.
var accessMethods = func() map[string]uint32 {
	m := map[string]uint32{}
	for _, r := range staticRows["pg_am"] {
		n, _ := strconv.ParseUint(*r[0], 10, 32)
		m[*r[1]] = uint32(n)
	}
	return m
}()

// keyText is an index key as pg_get_indexdef prints it: the expression
// (or quoted column), then its ordering when not the default.
func keyText(c IndexColumn) string {
	s := c.Expression
	if s == "" {
		s = QuoteIdent(c.Name)
	}
	switch {
	case c.Descending && !c.NullsFirst:
		s += " DESC NULLS LAST"
	case c.Descending:
		s += " DESC"
	case c.NullsFirst:
		s += " NULLS FIRST"
	}
	return s
}

// indexDefinition is the index from its access method on, as
// pg_get_indexdef prints it after USING.
func indexDefinition(ix Index) string {
	if ix.Definition != "" {
		return ix.Definition
	}
	keys := min(max(ix.KeyColumns, 0), len(ix.Columns))
	parts := make([]string, keys)
	for i, c := range ix.Columns[:keys] {
		parts[i] = keyText(c)
	}
	def := ix.Method + " (" + strings.Join(parts, ", ") + ")"
	if keys < len(ix.Columns) {
		var inc []string
		for _, c := range ix.Columns[keys:] {
			inc = append(inc, keyText(IndexColumn{Name: c.Name, Expression: c.Expression}))
		}
		def += " INCLUDE (" + strings.Join(inc, ", ") + ")"
	}
	if ix.Predicate != "" {
		def += " WHERE " + ix.Predicate
	}
	return def
}

// addIndex adds an index: its pg_class, pg_index, pg_attribute and
// pg_indexes rows, and for a UNIQUE constraint its pg_constraint and
// information_schema rows.
func (b *builder) addIndex(t Table, ix Index, relOID, ns uint32, attnum map[string]int16, cols map[string]Column) {
	ws := b.ws
	am, ok := accessMethods[ix.Method]
	if !ok || len(ix.Columns) == 0 {
		return
	}
	idxOID := b.oids.get("index\x00" + t.ID + "\x00" + ix.Name)
	ix.Name = b.relName(t, ix.Name)
	keys := make([]int16, len(ix.Columns))
	options := make([]int16, len(ix.Columns))
	var exprs []string
	for i, c := range ix.Columns {
		name, typ, typmod := c.Name, uint32(oidText), int32(-1)
		if c.Expression == "" {
			n, ok := attnum[c.Name]
			if !ok {
				return // a column the table no longer has
			}
			keys[i] = n
			typ, typmod = columnType(cols[c.Name].DataType, cols[c.Name].TypeOID)
		} else {
			exprs = append(exprs, c.Expression)
			if name == "" {
				name = "expr"
			}
		}
		if c.TypeOID != 0 && c.TypeOID != typ && builtinTypes[c.TypeOID] != nil {
			typ, typmod = c.TypeOID, -1 // what the index stores: a hash index, integers
		}
		if c.Descending {
			options[i] |= 1
		}
		if c.NullsFirst {
			options[i] |= 2
		}
		b.attribute(idxOID, name, int16(i+1), typ, typmod, false)
		key := c.Expression
		if key == "" {
			key = QuoteIdent(c.Name)
		}
		b.indexCols.add(idxOID, i+1, key)
	}
	keyCount := min(max(ix.KeyColumns, 1), len(ix.Columns))
	unique := ""
	if ix.Unique {
		unique = "UNIQUE "
	}
	head := "CREATE " + unique + "INDEX " + QuoteIdent(ix.Name) + " ON " + QuoteIdent(t.Schema) + "." + QuoteIdent(t.Name) + " USING "
	indexDef := head + indexDefinition(ix)
	var pretty any
	if ix.PrettyDefinition != "" {
		pretty = head + ix.PrettyDefinition
	}
	b.names.add("class", idxOID, ix.Name)
	b.classes.add(idxOID, t.Schema, ix.Name)
	b.t("pg_catalog.pg_class").add(map[string]any{
		"oid": idxOID, "relname": ix.Name, "relnamespace": ns, "relowner": uint32(OIDOwner), "relam": am,
		"relfilenode": idxOID, "reltuples": float64(-1), "relpersistence": "p", "relkind": "i",
		"relnatts": int16(len(ix.Columns)), "relispopulated": true, "relreplident": "n",
	})
	row := map[string]any{
		"indexrelid": idxOID, "indrelid": relOID, "indnatts": int16(len(ix.Columns)), "indnkeyatts": int16(keyCount),
		"indisunique": ix.Unique, "indimmediate": true, "indisvalid": true, "indisready": true, "indislive": true,
		"indkey": keys, "indoption": options[:keyCount], "indcollation": make([]uint32, keyCount), "indclass": make([]uint32, keyCount),
	}
	// pg_get_expr prints what these hold: the expressions, the predicate.
	if len(exprs) > 0 {
		row["indexprs"] = strings.Join(exprs, ", ")
	}
	if ix.Predicate != "" {
		row["indpred"] = ix.Predicate
		if ix.PrettyPredicate != "" {
			b.exprs.add(ix.Predicate, ix.PrettyPredicate)
		}
	}
	b.t("pg_catalog.pg_index").add(row)
	b.t("pg_catalog.pg_indexes").add(map[string]any{"schemaname": t.Schema, "tablename": t.Name, "indexname": ix.Name, "indexdef": indexDef})
	b.defs.add(idxOID, indexDef, pretty)
	if !ix.Unique || !ix.Constraint {
		return
	}
	// A UNIQUE constraint on the index's columns.
	var names []string
	for _, c := range ix.Columns[:keyCount] {
		if c.Expression != "" {
			return // constraints have no expressions
		}
		names = append(names, c.Name)
	}
	conOID := b.oids.get("ucon\x00" + t.ID + "\x00" + ix.Name)
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = QuoteIdent(n)
	}
	def := "UNIQUE (" + strings.Join(quoted, ", ") + ")"
	if keyCount < len(ix.Columns) {
		var inc []string
		for _, c := range ix.Columns[keyCount:] {
			inc = append(inc, QuoteIdent(c.Name))
		}
		def += " INCLUDE (" + strings.Join(inc, ", ") + ")"
	}
	b.t("pg_catalog.pg_constraint").add(map[string]any{
		"oid": conOID, "conname": ix.Name, "connamespace": ns, "contype": "u", "convalidated": true, "conrelid": relOID,
		"conindid": idxOID, "conislocal": true, "connoinherit": true, "conkey": keys[:keyCount],
		"confupdtype": " ", "confdeltype": " ", "confmatchtype": " ",
	})
	b.defs.add(conOID, def, nil)
	b.tableInfo[t.Schema+"\x00"+t.Name].uniques = append(b.tableInfo[t.Schema+"\x00"+t.Name].uniques,
		&uniqueKey{name: ix.Name, columns: names, index: idxOID})
	b.t("information_schema.table_constraints").add(map[string]any{
		"constraint_catalog": ws.Database, "constraint_schema": t.Schema, "constraint_name": ix.Name, "table_catalog": ws.Database,
		"table_schema": t.Schema, "table_name": t.Name, "constraint_type": "UNIQUE", "is_deferrable": "NO",
		"initially_deferred": "NO", "enforced": "YES", "nulls_distinct": "YES",
	})
	for i, c := range names {
		b.t("information_schema.key_column_usage").add(map[string]any{
			"constraint_catalog": ws.Database, "constraint_schema": t.Schema, "constraint_name": ix.Name, "table_catalog": ws.Database,
			"table_schema": t.Schema, "table_name": t.Name, "column_name": c, "ordinal_position": i + 1,
		})
		b.t("information_schema.constraint_column_usage").add(map[string]any{
			"table_catalog": ws.Database, "table_schema": t.Schema, "table_name": t.Name, "column_name": c,
			"constraint_catalog": ws.Database, "constraint_schema": t.Schema, "constraint_name": ix.Name,
		})
	}
}

// fkActions are pg_constraint's action codes as SQL says them.
var fkActions = map[string]string{"r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}

// foreignKeyDef is pg_get_constraintdef of a foreign key (ruleutils.c):
// the referenced table is named with its schema, as PostgreSQL names a
// table outside search_path (the emulated schemas never are in it).
func foreignKeyDef(fk ForeignKey) string {
	quote := func(names []string) string {
		q := make([]string, len(names))
		for i, n := range names {
			q[i] = QuoteIdent(n)
		}
		return strings.Join(q, ", ")
	}
	var b strings.Builder
	b.WriteString("FOREIGN KEY (" + quote(fk.Columns) + ") REFERENCES " + QuoteIdent(fk.RefSchema) + "." + QuoteIdent(fk.RefTable) +
		"(" + quote(fk.RefColumns) + ")")
	switch fk.Match {
	case "f":
		b.WriteString(" MATCH FULL")
	case "p":
		b.WriteString(" MATCH PARTIAL")
	}
	if a, ok := fkActions[fk.OnUpdate]; ok {
		b.WriteString(" ON UPDATE " + a)
	}
	if a, ok := fkActions[fk.OnDelete]; ok {
		b.WriteString(" ON DELETE " + a)
	}
	if len(fk.DeleteSetColumns) > 0 {
		b.WriteString(" (" + quote(fk.DeleteSetColumns) + ")")
	}
	if fk.Deferrable {
		b.WriteString(" DEFERRABLE")
	}
	if fk.Deferred {
		b.WriteString(" INITIALLY DEFERRED")
	}
	if fk.NotValid {
		b.WriteString(" NOT VALID")
	}
	return b.String()
}

// ruleNames are information_schema's names of the referential actions.
var ruleNames = map[string]string{"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}

// addForeignKey adds a foreign key whose referenced table is in the
// workspace: its pg_constraint row and its information_schema rows.
func (b *builder) addForeignKey(t Table, fk ForeignKey) {
	ws := b.ws
	from, to := b.tableInfo[t.Schema+"\x00"+t.Name], b.tableInfo[fk.RefSchema+"\x00"+fk.RefTable]
	if from == nil || to == nil || len(fk.Columns) == 0 || len(fk.Columns) != len(fk.RefColumns) {
		return
	}
	attnums := func(info *tableInfo, names []string) []int16 {
		out := make([]int16, 0, len(names))
		for _, n := range names {
			a, ok := info.attnum[n]
			if !ok {
				return nil
			}
			out = append(out, a)
		}
		return out
	}
	conkey, confkey := attnums(from, fk.Columns), attnums(to, fk.RefColumns)
	if conkey == nil || confkey == nil {
		return
	}
	// The referenced key: the primary key or a UNIQUE constraint on the
	// referenced columns.
	var ref *uniqueKey
	for _, k := range append([]*uniqueKey{to.pk}, to.uniques...) {
		if k != nil && sameSet(k.columns, fk.RefColumns) {
			ref = k
			break
		}
	}
	conOID := b.oids.get("fkey\x00" + t.ID + "\x00" + fk.Name)
	row := map[string]any{
		"oid": conOID, "conname": fk.Name, "connamespace": b.nsOID[t.Schema], "contype": "f", "condeferrable": fk.Deferrable,
		"condeferred": fk.Deferred, "convalidated": !fk.NotValid, "conrelid": from.oid, "confrelid": to.oid,
		"conislocal": true, "connoinherit": true, "conkey": conkey, "confkey": confkey,
		"confupdtype": orDefault(fk.OnUpdate, "a"), "confdeltype": orDefault(fk.OnDelete, "a"), "confmatchtype": orDefault(fk.Match, "s"),
	}
	if ref != nil {
		row["conindid"] = ref.index
	}
	if len(fk.DeleteSetColumns) > 0 {
		if set := attnums(from, fk.DeleteSetColumns); set != nil {
			row["confdelsetcols"] = set
		}
	}
	b.t("pg_catalog.pg_constraint").add(row)
	b.defs.add(conOID, foreignKeyDef(fk), nil)
	b.t("information_schema.table_constraints").add(map[string]any{
		"constraint_catalog": ws.Database, "constraint_schema": t.Schema, "constraint_name": fk.Name, "table_catalog": ws.Database,
		"table_schema": t.Schema, "table_name": t.Name, "constraint_type": "FOREIGN KEY", "is_deferrable": yesNo(fk.Deferrable),
		"initially_deferred": yesNo(fk.Deferred), "enforced": "YES",
	})
	match := map[string]string{"f": "FULL", "p": "PARTIAL"}[fk.Match]
	if match == "" {
		match = "NONE"
	}
	rc := map[string]any{
		"constraint_catalog": ws.Database, "constraint_schema": t.Schema, "constraint_name": fk.Name,
		"match_option": match, "update_rule": ruleNames[orDefault(fk.OnUpdate, "a")], "delete_rule": ruleNames[orDefault(fk.OnDelete, "a")],
	}
	if ref != nil {
		rc["unique_constraint_catalog"], rc["unique_constraint_schema"], rc["unique_constraint_name"] = ws.Database, fk.RefSchema, ref.name
	}
	b.t("information_schema.referential_constraints").add(rc)
	for i, c := range fk.Columns {
		kcu := map[string]any{
			"constraint_catalog": ws.Database, "constraint_schema": t.Schema, "constraint_name": fk.Name, "table_catalog": ws.Database,
			"table_schema": t.Schema, "table_name": t.Name, "column_name": c, "ordinal_position": i + 1,
		}
		if ref != nil {
			// The referenced column's position in the referenced key.
			for j, rcol := range ref.columns {
				if rcol == fk.RefColumns[i] {
					kcu["position_in_unique_constraint"] = j + 1
				}
			}
		}
		b.t("information_schema.key_column_usage").add(kcu)
	}
	// constraint_column_usage names the referenced columns of a foreign
	// key, as PostgreSQL's does.
	seen := map[string]bool{}
	for _, c := range fk.RefColumns {
		if seen[c] {
			continue
		}
		seen[c] = true
		b.t("information_schema.constraint_column_usage").add(map[string]any{
			"table_catalog": ws.Database, "table_schema": fk.RefSchema, "table_name": fk.RefTable, "column_name": c,
			"constraint_catalog": ws.Database, "constraint_schema": t.Schema, "constraint_name": fk.Name,
		})
	}
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	in := map[string]bool{}
	for _, x := range a {
		in[x] = true
	}
	for _, x := range b {
		if !in[x] {
			return false
		}
	}
	return true
}

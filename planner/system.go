package planner

import (
	"strconv"
	"strings"
	"time"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/hotdata-dev/hotdata/internal/pgerr"
	"github.com/hotdata-dev/hotdata/pgcatalog"
	"github.com/hotdata-dev/hotdata/pgval"
)

// This file holds the emulated catalog's relations as planner objects,
// 'name'::regclass lookups, and the session values (current_user,
// current_setting, …) that the engine SQL carries as markers.

// systemObjects are the emulated relations as catalog objects, for
// result and parameter types; filled once by init, read-only after.
var systemObjects = map[*pgcatalog.Relation]*Object{}

func systemObject(rel *pgcatalog.Relation) *Object { return systemObjects[rel] }

func newSystemObject(rel *pgcatalog.Relation) *Object {
	cat, schema, name := rel.EngineName()
	o := &Object{Kind: KindSystem, Catalog: cat, Schema: schema, Name: name, Columns: map[string]string{}, ColumnOrder: rel.Columns}
	for _, c := range rel.Columns {
		o.Columns[c] = pgcatalog.ClientType(rel.Types[c])
	}
	return o
}

func init() {
	for _, schema := range []string{"pg_catalog", "information_schema"} {
		for _, name := range pgcatalog.RelationNames(schema) {
			rel, _ := pgcatalog.Lookup(schema, name)
			systemObjects[rel] = newSystemObject(rel)
		}
	}
}

// resolveSystem resolves a name that means an emulated catalog relation:
// pg_catalog.x, information_schema.x, or an unqualified pg_catalog name
// (PostgreSQL searches pg_catalog first). ok is false for other names.
func resolveSystem(sql string, rv *pg.RangeVar) (obj *Object, ok bool, err error) {
	if rv.Catalogname != "" {
		return nil, false, nil
	}
	if rv.Schemaname == "" {
		rel, found := pgcatalog.Lookup("", rv.Relname)
		if !found {
			return nil, false, nil
		}
		return systemObject(rel), true, nil
	}
	if !pgcatalog.IsSystemSchema(rv.Schemaname) {
		return nil, false, nil
	}
	rel, found := pgcatalog.Lookup(rv.Schemaname, rv.Relname)
	if !found {
		e := pgerr.New(pgerr.UndefinedTable, "relation %q does not exist", rv.Schemaname+"."+rv.Relname)
		e.Position = charPosition(sql, rv.Location)
		e.Hint = "Hotdata emulates PostgreSQL's pg_catalog and information_schema relations; this one is not among them."
		return nil, true, e
	}
	return systemObject(rel), true, nil
}

// markerQuote brackets a session value marker in the engine SQL:
// '\x02hd:user\x02' is replaced by the value when the statement runs.
const markerQuote = "\x02"

// regclassOID looks up 'name'::regclass as PostgreSQL does: the text is
// a possibly qualified, possibly quoted relation name.
func regclassOID(s string, cat *Catalog) (uint32, error) {
	if n, err := strconv.ParseUint(strings.TrimSpace(s), 10, 32); err == nil {
		return uint32(n), nil // an OID stands for itself, as in regclassin
	}
	tree, err := pg.Parse("SELECT FROM " + s)
	var rv *pg.RangeVar
	if err == nil && len(tree.Stmts) == 1 {
		if sel := tree.Stmts[0].Stmt.GetSelectStmt(); sel != nil && len(sel.FromClause) == 1 {
			rv = sel.FromClause[0].GetRangeVar()
		}
	}
	if rv == nil || rv.Alias != nil || !rv.Inh {
		return 0, pgerr.New(pgerr.InvalidName, "invalid name syntax: %q", s)
	}
	if obj, ok, err := resolveSystem(s, rv); ok {
		if err != nil {
			return 0, pgerr.New(pgerr.UndefinedTable, "relation %q does not exist", s)
		}
		if oid, ok := pgcatalog.RelationOID(obj.Name); ok {
			return oid, nil
		}
		return 0, pgerr.New(pgerr.FeatureNotSupported, "relation %q has no OID in Hotdata's catalog", s)
	}
	matches := cat.resolve(rv.Catalogname, rv.Schemaname, rv.Relname)
	if len(matches) != 1 || matches[0].OID == 0 {
		return 0, pgerr.New(pgerr.UndefinedTable, "relation %q does not exist", s)
	}
	return matches[0].OID, nil
}

// SessionValues are what the session functions return for one session.
type SessionValues struct {
	User string
	// SearchPath lists the schemas of search_path that exist, in order.
	SearchPath []string
	PID        int32
	// Setting returns a run-time parameter's value as SHOW prints it.
	Setting func(name string) (string, bool)
	// TxStart is when the transaction began (now()), StatementStart
	// when the statement did (statement_timestamp()).
	TxStart, StatementStart time.Time
}

// ConstSensitive reports a plan that depends on the value of a constant
// Normalize turned into a parameter ('name'::regclass, current_setting):
// such a template cannot serve other constants; plan the text as is.
func (s *Statement) ConstSensitive() bool {
	if s.Inner != nil && s.Inner.ConstSensitive() {
		return true
	}
	return s.constSensitive || s.uncacheable
}

// EngineSQL returns the engine SQL with the session's values in place
// of current_user, current_schema(s), current_setting and pg_backend_pid.
func (s *Statement) EngineSQL(v SessionValues) (string, error) {
	if s.engineErr != nil {
		return "", s.engineErr
	}
	if !strings.Contains(s.Engine, markerQuote) {
		return s.Engine, nil
	}
	const open = "'" + markerQuote + "hd:"
	var b strings.Builder
	rest := s.Engine
	for {
		i := strings.Index(rest, open)
		if i < 0 {
			break
		}
		j := strings.Index(rest[i+len(open):], markerQuote+"'")
		if j < 0 {
			break
		}
		key := rest[i+len(open) : i+len(open)+j]
		b.WriteString(rest[:i])
		val, err := sessionValue(key, v)
		if err != nil {
			return "", err
		}
		b.WriteString(val)
		rest = rest[i+len(open)+j+2:]
	}
	b.WriteString(rest)
	return b.String(), nil
}

func sessionValue(key string, v SessionValues) (string, error) {
	switch {
	case key == "user":
		return sqlString(v.User), nil
	case key == "pid":
		return strconv.Itoa(int(v.PID)), nil
	case key == "schema":
		if len(v.SearchPath) == 0 {
			return "CAST(NULL AS VARCHAR)", nil
		}
		return sqlString(v.SearchPath[0]), nil
	case strings.HasPrefix(key, "schemas:"):
		schemas := v.SearchPath
		if key == "schemas:true" && !contains(schemas, "pg_catalog") {
			schemas = append([]string{"pg_catalog"}, schemas...)
		}
		quoted := make([]string, len(schemas))
		for i, s := range schemas {
			quoted[i] = sqlString(s)
		}
		return "(CAST([" + strings.Join(quoted, ", ") + "] AS VARCHAR[]))", nil
	case key == "now":
		return sqlString(timestampText(v.TxStart)), nil
	case key == "statement_now":
		return sqlString(timestampText(v.StatementStart)), nil
	case key == "style":
		get := func(name string) string {
			val, _ := v.Setting(name)
			return val
		}
		return sqlString(pgval.EncodeStyle(get("timezone"), get("datestyle"), get("intervalstyle"), get("extra_float_digits"), get("bytea_output"))), nil
	case strings.HasPrefix(key, "setting:"), strings.HasPrefix(key, "setting?:"):
		kind, name, _ := strings.Cut(key, ":")
		if val, ok := v.Setting(name); ok {
			return sqlString(val), nil
		}
		if kind == "setting?" {
			return "CAST(NULL AS VARCHAR)", nil
		}
		return "", pgerr.New(pgerr.UndefinedObject, "unrecognized configuration parameter %q", name)
	}
	return "", pgerr.New(pgerr.FeatureNotSupported, "current_setting() takes a constant setting name here").
		WithHint("Use SHOW name, or current_setting('name').")
}

// timestampText is t as a timestamptz the engine reads exactly.
func timestampText(t time.Time) string {
	if t.IsZero() {
		t = time.Now()
	}
	return t.UTC().Format("2006-01-02 15:04:05.999999") + "+00"
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func sqlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// scalarFunctionsInFrom are functions that return one value, which
// PostgreSQL lets a query call in FROM (a one-row relation) and the
// engine only as an expression: the catalog's functions, and those of
// the engine that tools call there.
var scalarFunctionsInFrom = wordSet(`string_to_array regexp_split_to_array array_append array_prepend array_cat
	array_remove array_replace array_fill current_schemas current_schema current_setting current_database`)

// scalarFunctionInFrom turns "FROM f(…) [AS] s" of a scalar function f
// into "FROM LATERAL (SELECT f(…) AS s) s", the one row PostgreSQL
// makes of it: its column is named after the alias (or the function),
// and it may refer to the FROM items before it.
func scalarFunctionInFrom(node *pg.Node, rf *pg.RangeFunction) {
	if len(rf.Functions) != 1 || rf.Ordinality || rf.IsRowsfrom {
		return
	}
	items := rf.Functions[0].GetList()
	if items == nil || len(items.Items) == 0 || len(items.Items) > 1 && items.Items[1] != nil && items.Items[1].Node != nil {
		return // a column definition list: a record-returning function
	}
	fc := items.Items[0].GetFuncCall()
	if fc == nil {
		return
	}
	parts := strs(fc.Funcname)
	if len(parts) != len(fc.Funcname) || len(parts) == 0 || len(parts) > 2 || len(parts) == 2 && parts[0] != "pg_catalog" {
		return
	}
	name := parts[len(parts)-1]
	if !scalarFunctionsInFrom[name] && !pgcatalog.Functions[name] {
		return
	}
	alias := rf.Alias
	if alias == nil {
		alias = &pg.Alias{Aliasname: name}
	}
	column := alias.Aliasname
	if len(alias.Colnames) > 0 {
		if s := alias.Colnames[0].GetString_(); s != nil {
			column = s.Sval
		}
	}
	sel := &pg.SelectStmt{TargetList: []*pg.Node{pg.MakeResTargetNodeWithNameAndVal(column, items.Items[0], -1)}}
	node.Node = &pg.Node_RangeSubselect{RangeSubselect: &pg.RangeSubselect{Lateral: true,
		Subquery: &pg.Node{Node: &pg.Node_SelectStmt{SelectStmt: sel}}, Alias: alias}}
}

func strs(nodes []*pg.Node) []string {
	out := make([]string, 0, len(nodes))
	for _, n := range nodes {
		if s := n.GetString_(); s != nil {
			out = append(out, s.Sval)
		}
	}
	return out
}

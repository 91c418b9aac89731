package translate

import (
	"strconv"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/hotdata-dev/hotdata/internal/pgerr"
)

// Table is a relation a query can read: a cached table, a dataset or an
// emulated catalog relation.
type Table struct {
	// Engine is the engine's name of the relation, quoted as needed.
	Engine string
	// Catalog, Schema and Name are the names qualified column references
	// may use (schema.table.column).
	Catalog, Schema, Name string
	// DefaultSchema: the connection's default schema (conn.table means
	// conn.<default>.table).
	DefaultSchema bool
	Columns       []Column
	// PrimaryKey names the columns of the primary key (functional
	// dependency in GROUP BY).
	PrimaryKey []string
	// Ref is the caller's object, reported in Result.Tables.
	Ref any
	// OID is the relation's pg_class OID (the system column tableoid);
	// 0 when it has none.
	OID uint32
}

// Column is one column of a Table.
type Column struct {
	Name string
	Type Type
	// Unavailable, when set, says why the cache cannot serve this column
	// (a value it could not keep exactly): reading it is an error.
	Unavailable string
	// Text: the engine holds the column's values as PostgreSQL's text
	// output (a numeric(p,s) column with NaN or Infinity values).
	Text bool
	// Domain is the upstream's domain the column has, when it has one
	// (Type is then the domain's base type): see RegisterUserType.
	Domain Type
}

// Env is what the analyzer needs from its caller.
type Env struct {
	// Table resolves a relation name as written in FROM (catalog and
	// schema empty when not written). It returns a *pgerr.Error (42P01,
	// 42P09) when the name does not resolve to exactly one relation.
	Table func(catalog, schema, name string, loc int) (*Table, error)
	// ParamTypes are the types the client declared for $1, $2, …; an OID
	// of 0 lets the statement decide.
	ParamTypes []Type
	// Settings are the session's settings that change how literals are
	// read (TimeZone, DateStyle, IntervalStyle).
	Settings Settings
	// Functions adds functions beyond PostgreSQL's built-ins that this
	// statement may call (the emulated catalog's); nil for none.
	Functions map[string]*Impl
	// RegCast renders a cast to an OID alias type: of a string literal
	// (looked up now) or of an expression of type from (engine SQL src).
	RegCast func(to Type, literal string, isLiteral bool, src string, from Type) (string, error)
	// RegOutput prints a value of an OID alias type (regclass, …) as its
	// name, as the type's output function does.
	RegOutput func(t Type, sql string) string
	// UserTypes are the upstreams' own types (enums, domains,
	// composite types) the workspace's columns have, by the names a
	// statement may call them: "name", "schema.name" and
	// "connection.schema.name" (see RegisterUserType). A name that
	// stands for several types maps to OpaqueOID.
	UserTypes map[string]Type
	// Literals marks parameters that stand for a statement's constants
	// (a plan made once for statements that differ only in them): by
	// parameter number-1, the literal's kind, or LitNone for a real one.
	Literals []LiteralKind
}

// LiteralKind is the lexical kind of a constant a parameter stands for.
type LiteralKind struct {
	// Kind is LitNone, LitInteger (fits int4), LitBigint, LitNumeric
	// (p, s: its digits and scale) or LitString.
	Kind int
	P, S int
}

// Literal kinds.
const (
	LitNone = iota
	LitInteger
	LitBigint
	LitNumeric
	LitString
)

// Settings are the session settings the analyzer reads.
type Settings struct {
	TimeZone      string // IANA name or offset; "" is UTC
	DateStyle     string // "ISO, MDY" by default
	IntervalStyle string // "postgres" by default
}

// ResultColumn is one column of a query's result.
type ResultColumn struct {
	Name string
	Type Type
}

// Result is an analyzed query.
type Result struct {
	// SQL is the engine statement. It may hold session markers (see
	// Marker) that the caller replaces with the session's values.
	SQL     string
	Columns []ResultColumn
	// Params are the parameters' types, decided by the client or by the
	// statement (every $n up to the highest one).
	Params []Type
	// Tables are the Refs of every table read, each once, in order.
	Tables []any
	// Volatile is set when the result depends on when the statement runs.
	Volatile bool
	// Uncacheable is set when the plan must not be reused for another
	// execution (it froze 'now' or similar at planning time).
	Uncacheable bool
	// Catalog is set when the statement calls functions of the emulated
	// catalog (Env.Functions).
	Catalog bool
}

// Marker is the text a session value takes in Result.SQL: the caller
// replaces "'\x02hd:setting:<name>\x02'" with the value as an engine
// string literal.
func Marker(setting string) string { return "'\x02hd:setting:" + setting + "\x02'" }

// Analyze checks a query (a SELECT, VALUES or WITH statement) as
// PostgreSQL would and translates it into engine SQL that computes the
// same result, or returns the error PostgreSQL would give, or 0A000 for
// what the engine cannot compute exactly.
func Analyze(sql string, stmt *pg.Node, env *Env) (*Result, error) {
	a := &analyzer{sql: sql, env: env, seen: map[any]bool{}}
	a.params = make([]Type, len(env.ParamTypes))
	copy(a.params, env.ParamTypes)
	sel := stmt.GetSelectStmt()
	if sel == nil {
		return nil, internal("Analyze: not a SELECT")
	}
	q, err := a.selectStmt(sel, nil, false)
	if err != nil {
		return nil, err
	}
	res := &Result{Tables: a.tables, Volatile: a.volatile, Uncacheable: a.uncacheable, Catalog: a.catalog}
	targets := q.visibleTargets()
	for _, t := range targets {
		if t.e.srf && !q.srfOK {
			return nil, internal("set-returning function left in the select list")
		}
		res.Columns = append(res.Columns, ResultColumn{Name: t.name, Type: t.e.typ})
	}
	a.regOutputs(q)
	a.padOutputs(q)
	res.Catalog = res.Catalog || a.catalog
	res.SQL = q.render()
	for i, p := range a.params {
		if i < len(env.Literals) && env.Literals[i].Kind != LitNone {
			continue
		}
		if p.OID == 0 {
			return nil, pgerr.New("42P18", "could not determine data type of parameter $%d", i+1)
		}
		res.Params = append(res.Params, p)
	}
	res.Uncacheable = a.uncacheable
	return res, nil
}

// analyzer holds what one statement's analysis shares.
type analyzer struct {
	sql    string
	env    *Env
	params []Type
	tables []any
	seen   map[any]bool
	// nextAlias numbers engine aliases of FROM items and WITH queries.
	nextAlias   int
	volatile    bool
	uncacheable bool
	// catalog: the statement calls functions of the emulated catalog.
	catalog bool
}

func (a *analyzer) alias(prefix string) string {
	a.nextAlias++
	return prefix + strconv.Itoa(a.nextAlias)
}

// target is one select list item.
type target struct {
	e    *expr
	name string
	// junk: added for ORDER BY or GROUP BY, not output.
	junk bool
}

// selectQuery is an analyzed SELECT (or set operation, or VALUES) ready
// to render.
type selectQuery struct {
	a       *analyzer
	targets []*target
	// Either a plain select ...
	distinct   bool
	distinctOn []string
	from       []string
	where      string
	groupBy    []string
	groupSets  string // a GROUP BY with grouping sets, rendered whole
	having     string
	windows    []string
	qualify    string // FETCH FIRST … WITH TIES (withTies)
	// orderByWindow: an ORDER BY item calls a window function.
	orderByWindow bool
	// ... or a set operation of two queries ...
	op          string // "UNION", "UNION ALL", …
	left, right *selectQuery
	// dedupe, for a UNION over values equal without being the same text
	// (numerics of varying scale, jsonb): per output column the key its
	// values compare by ("" for the value itself). op is then UNION ALL,
	// grouped by the keys; a group whose values print differently fails,
	// as which one PostgreSQL keeps is not defined.
	dedupe []string
	// distinctKeys is dedupe for SELECT DISTINCT: set, the select runs
	// without DISTINCT and is grouped by these keys.
	distinctKeys []string
	// ... or VALUES rows.
	values [][]*expr
	// with is the WITH clause.
	with      []string
	recursive bool
	orderBy   []string
	limit     string
	offset    string
	// srfOK: set-returning functions of the select list were moved to a
	// lateral unnest (none left).
	srfOK bool
}

func (q *selectQuery) visibleTargets() []*target {
	var out []*target
	for _, t := range q.targets {
		if !t.junk {
			out = append(out, t)
		}
	}
	return out
}

// render writes the engine SQL of q; every output column is named c1,
// c2, … in order (callers know the PostgreSQL names).
func (q *selectQuery) render() string {
	var b strings.Builder
	if len(q.with) > 0 {
		b.WriteString("WITH ")
		if q.recursive {
			b.WriteString("RECURSIVE ")
		}
		b.WriteString(strings.Join(q.with, ", "))
		b.WriteString(" ")
	}
	switch {
	case q.op != "" && q.dedupe != nil:
		b.WriteString(groupByKeys(q.dedupe, "UNION", "(("+q.left.render()+") UNION ALL ("+q.right.render()+"))"))
	case q.distinct && q.distinctKeys != nil:
		inner := *q
		inner.with, inner.recursive, inner.distinct, inner.distinctKeys = nil, false, false, nil
		inner.orderBy, inner.limit, inner.offset = nil, "", ""
		b.WriteString(groupByKeys(q.distinctKeys, "SELECT DISTINCT", "("+inner.render()+")"))
	case q.op != "" && orderByKeys(q.orderBy):
		// The engine orders a set operation by its columns only: a sort
		// key over them orders the operation's result as a subquery.
		b.WriteString("SELECT * FROM ((")
		b.WriteString(q.left.render())
		b.WriteString(") ")
		b.WriteString(q.op)
		b.WriteString(" (")
		b.WriteString(q.right.render())
		b.WriteString(")) AS hd_setop")
	case q.op != "":
		b.WriteString("(")
		b.WriteString(q.left.render())
		b.WriteString(") ")
		b.WriteString(q.op)
		b.WriteString(" (")
		b.WriteString(q.right.render())
		b.WriteString(")")
	case q.values != nil:
		b.WriteString("SELECT * FROM (VALUES ")
		for i, row := range q.values {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(")
			for j, v := range row {
				if j > 0 {
					b.WriteString(", ")
				}
				b.WriteString(v.sql)
			}
			b.WriteString(")")
		}
		b.WriteString(") AS v(")
		for j := range q.targets {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("c" + strconv.Itoa(j+1))
		}
		b.WriteString(")")
	default:
		b.WriteString("SELECT ")
		if q.distinct {
			b.WriteString("DISTINCT ")
			if len(q.distinctOn) > 0 {
				b.WriteString("ON (")
				b.WriteString(strings.Join(q.distinctOn, ", "))
				b.WriteString(") ")
			}
		}
		n := 0
		for _, t := range q.targets {
			if t.junk {
				continue
			}
			if n > 0 {
				b.WriteString(", ")
			}
			n++
			b.WriteString(t.e.sql)
			b.WriteString(" AS c")
			b.WriteString(strconv.Itoa(n))
		}
		if n == 0 {
			// SELECT with no columns (SELECT FROM t): the engine needs one.
			b.WriteString("NULL AS c0")
		}
		if len(q.from) > 0 {
			b.WriteString(" FROM ")
			b.WriteString(strings.Join(q.from, ", "))
		}
		if q.where != "" {
			b.WriteString(" WHERE ")
			b.WriteString(q.where)
		}
		if q.groupSets != "" {
			b.WriteString(" GROUP BY ")
			b.WriteString(q.groupSets)
		} else if len(q.groupBy) > 0 {
			b.WriteString(" GROUP BY ")
			b.WriteString(strings.Join(q.groupBy, ", "))
		}
		if q.having != "" {
			b.WriteString(" HAVING ")
			b.WriteString(q.having)
		}
		if len(q.windows) > 0 {
			b.WriteString(" WINDOW ")
			b.WriteString(strings.Join(q.windows, ", "))
		}
		if q.qualify != "" {
			b.WriteString(" QUALIFY ")
			b.WriteString(q.qualify)
		}
	}
	if len(q.orderBy) > 0 {
		b.WriteString(" ORDER BY ")
		b.WriteString(strings.Join(q.orderBy, ", "))
	}
	if q.limit != "" {
		b.WriteString(" LIMIT ")
		b.WriteString(q.limit)
	}
	if q.offset != "" {
		b.WriteString(" OFFSET ")
		b.WriteString(q.offset)
	}
	return b.String()
}

// groupByKeys removes duplicates from the rows of from (columns c1, c2,
// …) by keys (one per column, "" for the value itself), failing on a
// group whose values print differently: which one PostgreSQL keeps is not
// defined.
func groupByKeys(keys []string, what, from string) string {
	var cols, group []string
	for i, k := range keys {
		c := "c" + strconv.Itoa(i+1)
		if k == "" {
			cols, group = append(cols, c), append(group, c)
			continue
		}
		cols = append(cols, "CASE WHEN count(DISTINCT "+c+") > 1 THEN "+
			raise("0A000", what+" over equal values written differently (such as 1.0 and 1.00) is not supported by Hotdata's cache engine: which one PostgreSQL keeps is not defined")+
			" ELSE any_value("+c+") END AS "+c)
		group = append(group, k)
	}
	return "SELECT * FROM (SELECT " + strings.Join(cols, ", ") + " FROM " + from + " AS hd_u GROUP BY " + strings.Join(group, ", ") + ") AS hd_setop"
}

// orderByKeys: some ORDER BY item is a sort key rather than a position.
func orderByKeys(items []string) bool {
	for _, it := range items {
		if it != "" && (it[0] < '0' || it[0] > '9') {
			return true
		}
	}
	return false
}

// outputTypes are the types of a query's visible columns.
func (q *selectQuery) outputTypes() []*expr {
	var out []*expr
	for _, t := range q.visibleTargets() {
		out = append(out, t.e)
	}
	return out
}

// regOutputs prints result columns of OID alias types (regclass, …) as
// their names, as their output functions do.
func (a *analyzer) regOutputs(q *selectQuery) {
	if a.env.RegOutput == nil {
		return
	}
	ts := q.visibleTargets()
	need := false
	for _, t := range ts {
		if isRegOutput(t.e.typ) {
			need = true
		}
	}
	if !need {
		return
	}
	a.catalog = true
	inline := q.op == "" && q.values == nil
	for _, t := range ts {
		if isRegOutput(t.e.typ) && (t.e.agg || t.e.win || t.e.srf) {
			// The output function's lookups are subqueries, where the
			// engine cannot evaluate an aggregate or a window function.
			inline = false
		}
	}
	out := func(t Type, sql string) string {
		if t.IsArray() {
			return a.env.RegOutput(t, sql)
		}
		// The OID (the binary form) with the name (the text form); the
		// front end sends the one the client asked for.
		return "CASE WHEN " + sql + " IS NULL THEN NULL ELSE struct_pack(o := CAST(" + sql + " AS UINTEGER), n := " + a.env.RegOutput(t, sql) + ") END"
	}
	if inline {
		for _, t := range ts {
			if isRegOutput(t.e.typ) {
				t.e.sql = out(t.e.typ, t.e.sql)
			}
		}
		return
	}
	inner := *q
	alias := a.alias("r")
	outer := &selectQuery{a: a, from: []string{"(" + inner.render() + ") AS " + alias}}
	for i, t := range ts {
		sql := alias + ".c" + strconv.Itoa(i+1)
		if isRegOutput(t.e.typ) {
			sql = out(t.e.typ, sql)
		}
		outer.targets = append(outer.targets, &target{e: &expr{sql: sql, typ: t.e.typ}, name: t.name})
	}
	*q = *outer
}

// TypeOf resolves a type name as written in sql (PREPARE's parameter
// types): PostgreSQL's 42704 for a type it has not.
func TypeOf(sql string, tn *pg.TypeName) (Type, error) {
	a := &analyzer{sql: sql, env: &Env{}, seen: map[any]bool{}}
	return newLevel(a, nil).typeName(tn)
}

// InputSQL reads s as type t's input function does, with the session's
// settings, and returns the value as an engine expression (for values a
// caller cannot bind, such as arrays). PostgreSQL's input errors come
// back as they are.
func InputSQL(s string, t Type, settings Settings) (string, error) {
	a := &analyzer{env: &Env{Settings: settings}, seen: map[any]bool{}}
	e, err := a.inputLiteralValue(s, t)
	if err != nil {
		return "", err
	}
	return e.sql, nil
}

// isRegOutput: a value of an OID alias type, or an array of them, which
// prints as names.
func isRegOutput(t Type) bool {
	return isRegType(t.OID) || t.IsArray() && !isVector(t.OID) && isRegType(t.Elem().OID)
}

// padOutputs gives character results the padding PostgreSQL's values
// carry where the result type does not say it (max(c) of a char(8)
// column prints "hello   "); the engine holds them unpadded.
func (a *analyzer) padOutputs(q *selectQuery) {
	needs := func(e *expr) bool { return isChar(e.typ) && charLen(e.typ) == 0 && e.pad > 0 }
	pad := func(e *expr, sql string) string {
		n := strconv.Itoa(e.pad)
		if e.typ.IsArray() {
			return "list_transform(" + sql + ", lambda hd_p: hd_bpchar_pad(hd_p, " + n + "))"
		}
		return "hd_bpchar_pad(" + sql + ", " + n + ")"
	}
	ts := q.visibleTargets()
	need := false
	for _, t := range ts {
		need = need || needs(t.e)
	}
	if !need {
		return
	}
	if q.op == "" && q.values == nil {
		for _, t := range ts {
			if needs(t.e) {
				t.e.sql = pad(t.e, t.e.sql)
			}
		}
		return
	}
	inner := *q
	alias := a.alias("r")
	outer := &selectQuery{a: a, from: []string{"(" + inner.render() + ") AS " + alias}}
	for i, t := range ts {
		sql := alias + ".c" + strconv.Itoa(i+1)
		if needs(t.e) {
			sql = pad(t.e, sql)
		}
		outer.targets = append(outer.targets, &target{e: &expr{sql: sql, typ: t.e.typ}, name: t.name})
	}
	*q = *outer
}

package translate

import (
	"strconv"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"
)

// The json functions that return record take their columns from a
// column definition list: jsonb_to_record(j) AS x(a int, b text). Each
// column is populated from the object's key of its name as PostgreSQL's
// populate_record_field does: a missing key or a JSON null is NULL; a
// json or jsonb column takes the value itself; any other scalar type
// reads the value's text (a string's contents, else the JSON text) with
// its input function, which is the cast from text (and a typmod applied
// as an assignment would: varchar(2) fails on 'xyz' rather than cut it).
// Arrays, domains and composite columns populate otherwise: refused.

// jsonRecordFunctions are the functions a column definition list may
// follow, by name: whether each returns a set, and the json kind read.
var jsonRecordFunctions = map[string]struct {
	set  bool
	kind string
}{
	"json_to_record":     {false, "json"},
	"jsonb_to_record":    {false, "jsonb"},
	"json_to_recordset":  {true, "json"},
	"jsonb_to_recordset": {true, "jsonb"},
}

// coldefFunction is a function in FROM with a column definition list.
func (l *level) coldefFunction(rf *pg.RangeFunction, fnode *pg.Node) (string, []*nsItem, error) {
	fc := fnode.GetFuncCall()
	var name string
	if fc != nil {
		parts := strs(fc.Funcname)
		if len(parts) == 1 || len(parts) == 2 && parts[0] == "pg_catalog" {
			name = parts[len(parts)-1]
		}
	}
	fn, ok := jsonRecordFunctions[name]
	if !ok || len(fc.Args) != 1 || fc.AggStar || fc.AggDistinct || fc.FuncVariadic || fc.Over != nil || len(fc.AggOrder) > 0 || fc.AggFilter != nil {
		return "", nil, l.a.unsupportedAt(-1, "column definition lists are supported for json_to_record, jsonb_to_record, json_to_recordset and jsonb_to_recordset only")
	}
	if rf.Ordinality {
		return "", nil, l.a.unsupportedAt(fc.Location, "WITH ORDINALITY with a column definition list is not supported")
	}
	kindType := TJSON
	if fn.kind == "jsonb" {
		kindType = TJSONB
	}
	var arg *expr
	err := l.withVisible(true, func() error {
		saved := l.clause
		l.clause = "FROM function"
		defer func() { l.clause = saved }()
		e, err := l.expr(fc.Args[0])
		if err != nil {
			return err
		}
		if e.agg {
			return l.a.errAt(nodeLocation(fnode), "42803", "aggregate functions are not allowed in functions in FROM")
		}
		if e.win {
			return l.a.errAt(nodeLocation(fnode), "42P20", "window functions are not allowed in functions in FROM")
		}
		if e.typ.OID != kindType.OID && !e.unknown {
			return l.a.errAt(fc.Location, "42883", "function %s(%s) does not exist", name, e.typ.Name()).
				WithHint("No function matches the given name and argument types. You might need to add explicit type casts.")
		}
		arg, err = l.coerceTo(e, kindType, numForm{}, ccImplicit, "")
		return err
	})
	if err != nil {
		return "", nil, err
	}
	alias := l.a.alias("t")
	inner := l.a.alias("r")
	j := inner + ".j"
	it := &nsItem{name: name, engine: alias, relVisible: true, colsVisible: true, level: l}
	if rf.Alias != nil {
		it.name = rf.Alias.Aliasname
		it.aliased = true
	}
	var cols []string
	for i, n := range rf.Coldeflist {
		cd := n.GetColumnDef()
		if cd == nil || cd.TypeName == nil {
			return "", nil, internal("column definition without a type")
		}
		t, err := l.typeName(cd.TypeName)
		if err != nil {
			return "", nil, err
		}
		e, err := l.populateField(j, cd.Colname, fn.kind, t, cd.TypeName.Location)
		if err != nil {
			return "", nil, err
		}
		c := "c" + strconv.Itoa(i+1)
		cols = append(cols, e.sql+" AS "+c)
		it.cols = append(it.cols, nsCol{name: cd.Colname, typ: e.typ, num: e.num, pad: padOf(e), sql: alias + "." + c})
	}
	from := "(SELECT " + arg.sql + " AS j)"
	check := "hd_json_typeof(" + j + ") <> 'object'"
	msg := "cannot call populate_composite on a non-object"
	if fn.set {
		// One row per element of the array, each of which must be an
		// object (NULL input: no rows).
		from = "(SELECT unnest(hd_json_elements(" + arg.sql + ", '" + fn.kind + "')) AS j)"
		check = "hd_json_typeof(" + j + ") IS DISTINCT FROM 'object'"
		msg = "argument of " + name + " must be an array of objects"
	}
	where := "CASE WHEN " + check + " THEN " + raise("22023", msg) + " ELSE true END"
	sql := "LATERAL (SELECT " + strings.Join(cols, ", ") + " FROM " + from + " AS " + inner + " WHERE " + where + ") AS " + alias
	return sql, []*nsItem{it}, nil
}

// populateField is one column of a column definition list: the value of
// key in the json object j (engine SQL) as a value of type t.
func (l *level) populateField(j, key, kind string, t Type, loc int32) (*expr, error) {
	text := "hd_json_get_text(" + j + ", " + sqlString(key) + ")"
	if info, _ := userInfo(t.OID); info != nil || t.IsArray() || t.OID == OIDRecord || t.OID == OpaqueOID || t.IsPolymorphic() {
		return nil, l.a.unsupportedAt(loc, "a column of type %s in a column definition list is not supported by Hotdata's cache engine", t.Name())
	}
	if t.OID == OIDJSON || t.OID == OIDJSONB {
		// The value itself; a JSON null is NULL.
		v := &expr{sql: "CASE WHEN " + text + " IS NOT NULL THEN hd_json_get(" + j + ", " + sqlString(key) + ", '" + kind + "') END", typ: TJSON}
		if kind == "jsonb" {
			v.typ = TJSONB
		}
		return l.coerceTo(v, t, numForm{}, ccExplicit, "")
	}
	base := Type{t.OID, -1}
	e, err := l.coerceTo(&expr{sql: text, typ: TText}, base, numFormOf(base), ccExplicit, "")
	if err != nil {
		return nil, err
	}
	if t.Mod >= 0 {
		return l.coerceTo(e, t, numFormOf(t), ccAssignment, "")
	}
	return e, nil
}

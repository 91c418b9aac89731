package translate

import (
	"strconv"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"
)

// rangeFunction is a function in FROM: a set-returning function (one row
// per element) or a scalar function (one row), optionally WITH
// ORDINALITY; functions in FROM see the FROM items before them.
func (l *level) rangeFunction(rf *pg.RangeFunction) (string, []*nsItem, error) {
	if rf.IsRowsfrom || len(rf.Functions) != 1 {
		return "", nil, l.a.unsupportedAt(-1, "ROWS FROM (…) is not supported")
	}
	items := rf.Functions[0].GetList()
	if items == nil || len(items.Items) == 0 {
		return "", nil, internal("empty function in FROM")
	}
	if len(items.Items) > 1 && items.Items[1] != nil && items.Items[1].Node != nil {
		return "", nil, l.a.unsupportedAt(-1, "column definition lists for functions in FROM are not supported")
	}
	fnode := items.Items[0]
	if len(rf.Coldeflist) > 0 {
		return l.coldefFunction(rf, fnode)
	}
	if fc := fnode.GetFuncCall(); fc != nil && len(fc.Args) > 1 {
		if parts := strs(fc.Funcname); parts[len(parts)-1] == "unnest" {
			return l.multiUnnest(rf, fc)
		}
	}
	e, err := l.fromFuncExpr(fnode)
	if err != nil {
		return "", nil, err
	}
	name := figureColname(fnode)
	if fc := fnode.GetFuncCall(); fc != nil {
		parts := strs(fc.Funcname)
		name = parts[len(parts)-1]
	}
	alias := l.a.alias("t")
	it := &nsItem{name: name, engine: alias, relVisible: true, colsVisible: true, level: l}
	if rf.Alias != nil {
		it.name = rf.Alias.Aliasname
		it.aliased = true
	}
	if e.fromTable != "" {
		var cols []string
		for i, fname := range e.fieldNames {
			col := "c" + strconv.Itoa(i+1)
			cols = append(cols, col)
			if len(e.fieldNames) == 1 && e.typ.OID != OIDRecord {
				fname = it.name // a scalar result's column is named as the FROM item
			}
			it.cols = append(it.cols, nsCol{name: fname, typ: e.fields[i], num: numFormOf(e.fields[i]), sql: alias + "." + col})
		}
		sel := "SELECT * FROM " + e.fromTable
		if rf.Ordinality {
			n := len(cols) + 1
			col := "c" + strconv.Itoa(n)
			cols = append(cols, col)
			sel = "SELECT *, CAST(row_number() OVER () AS BIGINT) FROM " + e.fromTable
			it.cols = append(it.cols, nsCol{name: "ordinality", typ: TInt8, sql: alias + "." + col})
		}
		if err := l.applyFuncAliases(it, rf); err != nil {
			return "", nil, err
		}
		return "(" + sel + ") AS " + alias + "(" + strings.Join(cols, ", ") + ")", []*nsItem{it}, nil
	}
	var selectList []string
	switch {
	case e.typ.OID == OIDRecord && len(e.fieldNames) > 0:
		// A function with OUT columns (jsonb_each, …): one column each.
		for i, fname := range e.fieldNames {
			col := "c" + strconv.Itoa(i+1)
			selectList = append(selectList, "struct_extract("+e.sql+", 'f"+strconv.Itoa(i+1)+"') AS "+col)
			it.cols = append(it.cols, nsCol{name: fname, typ: e.fields[i], num: numFormOf(e.fields[i]), sql: alias + "." + col})
		}
		if e.srf {
			// Unnest the records first, then take their fields.
			inner := l.a.alias("r")
			sel := "SELECT " + e.sql + " AS r"
			if rf.Ordinality {
				sel += ", " + ordinalitySQL(e) + " AS o"
			}
			var cols []string
			for i := range e.fieldNames {
				cols = append(cols, "struct_extract("+inner+".r, 'f"+strconv.Itoa(i+1)+"') AS c"+strconv.Itoa(i+1))
			}
			if rf.Ordinality {
				cols = append(cols, inner+".o AS c"+strconv.Itoa(len(e.fieldNames)+1))
				it.cols = append(it.cols, nsCol{name: "ordinality", typ: TInt8, sql: alias + ".c" + strconv.Itoa(len(e.fieldNames)+1)})
			}
			sql := "LATERAL (SELECT " + strings.Join(cols, ", ") + " FROM (" + sel + ") AS " + inner + ") AS " + alias
			if err := l.applyFuncAliases(it, rf); err != nil {
				return "", nil, err
			}
			return sql, []*nsItem{it}, nil
		}
	case e.typ.OID == OIDRecord:
		return "", nil, l.a.unsupportedAt(nodeLocation(fnode), "functions in FROM returning record are not supported")
	default:
		colName := it.name
		if e.unknown {
			ce, err := l.coerceTo(e, TText, numForm{}, ccImplicit, "")
			if err != nil {
				return "", nil, err
			}
			e = ce
		}
		selectList = append(selectList, e.sql+" AS c1")
		it.cols = append(it.cols, nsCol{name: colName, typ: e.typ, num: e.num, sql: alias + ".c1"})
	}
	if rf.Ordinality {
		n := len(it.cols) + 1
		if e.srf {
			selectList = append(selectList, ordinalitySQL(e)+" AS c"+strconv.Itoa(n))
		} else {
			selectList = append(selectList, "CAST(1 AS BIGINT) AS c"+strconv.Itoa(n))
		}
		it.cols = append(it.cols, nsCol{name: "ordinality", typ: TInt8, sql: alias + ".c" + strconv.Itoa(n)})
	}
	if err := l.applyFuncAliases(it, rf); err != nil {
		return "", nil, err
	}
	return "LATERAL (SELECT " + strings.Join(selectList, ", ") + ") AS " + alias, []*nsItem{it}, nil
}

// fromFuncExpr analyzes a function in FROM, which sees the FROM items
// before it and may be neither an aggregate nor a window function.
func (l *level) fromFuncExpr(fnode *pg.Node) (*expr, error) {
	var e *expr
	err := l.withVisible(true, func() error {
		saved := l.clause
		l.clause = "FROM function"
		defer func() { l.clause = saved }()
		var err error
		e, err = l.expr(fnode)
		return err
	})
	if err != nil {
		return nil, err
	}
	if e.agg {
		return nil, l.a.errAt(nodeLocation(fnode), "42803", "aggregate functions are not allowed in functions in FROM")
	}
	if e.win {
		return nil, l.a.errAt(nodeLocation(fnode), "42P20", "window functions are not allowed in functions in FROM")
	}
	return e, nil
}

// multiUnnest is unnest(a, b, …) in FROM, which PostgreSQL reads as ROWS
// FROM (unnest(a), unnest(b), …): one row per position up to the longest
// array, shorter ones giving NULL, one column per array (each named
// unnest), and WITH ORDINALITY the position.
func (l *level) multiUnnest(rf *pg.RangeFunction, fc *pg.FuncCall) (string, []*nsItem, error) {
	alias := l.a.alias("t")
	it := &nsItem{name: "unnest", engine: alias, relVisible: true, colsVisible: true, level: l}
	if rf.Alias != nil {
		it.name = rf.Alias.Aliasname
		it.aliased = true
	}
	var selectList, lengths []string
	for i, arg := range fc.Args {
		one := &pg.Node{Node: &pg.Node_FuncCall{FuncCall: &pg.FuncCall{Funcname: fc.Funcname, Args: []*pg.Node{arg},
			Funcformat: fc.Funcformat, Location: fc.Location}}}
		e, err := l.fromFuncExpr(one)
		if err != nil {
			return "", nil, err
		}
		whole := "unnest(" + e.srfList + ")"
		if !e.srf || e.srfList == "" || !strings.Contains(e.sql, whole) {
			return "", nil, l.a.unsupportedAt(fc.Location, "unnest() of several arrays of this kind in FROM is not supported")
		}
		col := "c" + strconv.Itoa(i+1)
		selectList = append(selectList, strings.Replace(e.sql, whole, "("+e.srfList+")[hd_i]", 1)+" AS "+col)
		lengths = append(lengths, "coalesce(len("+e.srfList+"), 0)")
		it.cols = append(it.cols, nsCol{name: "unnest", typ: e.typ, num: e.num, sql: alias + "." + col})
	}
	if rf.Ordinality {
		col := "c" + strconv.Itoa(len(it.cols)+1)
		selectList = append(selectList, "CAST(hd_i AS BIGINT) AS "+col)
		it.cols = append(it.cols, nsCol{name: "ordinality", typ: TInt8, sql: alias + "." + col})
	}
	if err := l.applyFuncAliases(it, rf); err != nil {
		return "", nil, err
	}
	positions := "(SELECT unnest(generate_series(1, greatest(" + strings.Join(lengths, ", ") + "))) AS hd_i) AS " + l.a.alias("g")
	return "LATERAL (SELECT " + strings.Join(selectList, ", ") + " FROM " + positions + ") AS " + alias, []*nsItem{it}, nil
}

// ordinalitySQL numbers the rows of a set-returning function built on
// unnest(list).
func ordinalitySQL(e *expr) string {
	if e.srfList == "" {
		return "CAST(row_number() OVER () AS BIGINT)"
	}
	return "CAST(unnest(generate_series(1, len(" + e.srfList + "))) AS BIGINT)"
}

func (l *level) applyFuncAliases(it *nsItem, rf *pg.RangeFunction) error {
	if rf.Alias == nil {
		return nil
	}
	if len(rf.Alias.Colnames) > len(it.cols) {
		return l.a.errAt(-1, "42P10", "too many column aliases specified for function %s", it.name)
	}
	for i, c := range rf.Alias.Colnames {
		it.cols[i].name = c.GetString_().GetSval()
	}
	return nil
}

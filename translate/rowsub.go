package translate

import (
	"strconv"

	pg "github.com/pganalyze/pg_query_go/v6"
)

// rowQuantified is (a, b) op ANY/ALL (SELECT x, y …), which (a, b) IN
// (…) and NOT IN are: each subquery row is a row comparison with the
// left row, and PostgreSQL combines the results in three-valued logic
// (ANY: true if one is true, else NULL if one is NULL, else false; ALL
// the other way round). The engine's own IN over structs would not
// keep the NULLs, so the combination is an aggregate over the subquery.
func (l *level) rowQuantified(out *expr, op string, all bool, row *pg.RowExpr, q *selectQuery, loc int32) (*expr, error) {
	var le []*expr
	for _, n := range row.Args {
		e, err := l.expr(n)
		if err != nil {
			return nil, err
		}
		if e.agg || e.win {
			return nil, l.a.unsupportedAt(loc, "row comparisons of aggregates with a subquery are not supported")
		}
		le = append(le, e)
	}
	ts := q.visibleTargets()
	if len(ts) != len(le) {
		if len(ts) > len(le) {
			return nil, l.a.errAt(loc, "42601", "subquery has too many columns")
		}
		return nil, l.a.errAt(loc, "42601", "subquery has too few columns")
	}
	alias := l.a.alias("s")
	re := make([]*expr, len(ts))
	for i, t := range ts {
		re[i] = &expr{sql: alias + ".c" + strconv.Itoa(i+1), typ: t.e.typ, num: t.e.num, unknown: t.e.unknown, lit: t.e.lit}
	}
	cmp, err := l.rowCompareExprs(op, le, re, loc)
	if err != nil {
		return nil, err
	}
	c := cmp.sql
	combine := "CASE WHEN bool_or(" + c + ") THEN true WHEN bool_or(" + c + " IS NULL) THEN NULL ELSE false END"
	if all {
		combine = "CASE WHEN bool_or(NOT " + c + ") THEN false WHEN bool_or(" + c + " IS NULL) THEN NULL ELSE true END"
	}
	out.typ = TBool
	out.merge(le...)
	out.sublink = true
	out.constant = false
	out.sql = "(SELECT " + combine + " FROM (" + q.render() + ") AS " + alias + ")"
	return out, nil
}

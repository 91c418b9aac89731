package difftest

import (
	pg "github.com/pganalyze/pg_query_go/v6"
)

// Ordered reports whether the statement's rows come in an order SQL
// defines: a top-level ORDER BY (of the statement itself or of the set
// operation it is). Rows of any other statement compare as multisets.
// A statement that does not parse compares as ordered: it is expected to
// fail and has no rows.
func Ordered(sql string) bool {
	res, err := pg.Parse(sql)
	if err != nil || len(res.Stmts) != 1 {
		return true
	}
	sel := res.Stmts[0].GetStmt().GetSelectStmt()
	if sel == nil {
		return true // SHOW, EXPLAIN, SET…: one row or a fixed order
	}
	return len(sel.GetSortClause()) > 0
}

package translate

import (
	"strconv"

	pg "github.com/pganalyze/pg_query_go/v6"
	"google.golang.org/protobuf/proto"
)

// groupedSRF rewrites a query whose GROUP BY names a select-list item
// holding a set-returning function (SELECT regexp_split_to_table(x, ' ')
// AS w, count(*) … GROUP BY w, as pgcli sends): PostgreSQL computes such
// a function before grouping, one input row per returned row. It becomes
// a LATERAL subquery in FROM, and the select-list item a reference to
// its column. Queries without such a GROUP BY item come back unchanged.
func groupedSRF(sel *pg.SelectStmt) *pg.SelectStmt {
	if len(sel.GroupClause) == 0 {
		return sel
	}
	var targets []int
	for i, n := range sel.TargetList {
		rt := n.GetResTarget()
		if rt == nil || rt.Val == nil || !topSRF(rt.Val) {
			continue
		}
		for _, g := range sel.GroupClause {
			if groupRefersTo(g, rt, i) {
				targets = append(targets, i)
				break
			}
		}
	}
	if len(targets) == 0 {
		return sel
	}
	out := proto.Clone(sel).(*pg.SelectStmt)
	for k, i := range targets {
		rt := out.TargetList[i].GetResTarget()
		alias := "hd_srf" + strconv.Itoa(k+1)
		inner := &pg.SelectStmt{TargetList: []*pg.Node{{Node: &pg.Node_ResTarget{ResTarget: &pg.ResTarget{Name: "v", Val: rt.Val}}}},
			LimitOption: pg.LimitOption_LIMIT_OPTION_DEFAULT, Op: pg.SetOperation_SETOP_NONE}
		sub := &pg.Node{Node: &pg.Node_RangeSubselect{RangeSubselect: &pg.RangeSubselect{
			Lateral:  len(out.FromClause) > 0,
			Subquery: &pg.Node{Node: &pg.Node_SelectStmt{SelectStmt: inner}},
			Alias:    &pg.Alias{Aliasname: alias},
		}}}
		out.FromClause = append(out.FromClause, sub)
		name := rt.Name
		if name == "" {
			name = resultName(rt.Val)
		}
		rt.Val = &pg.Node{Node: &pg.Node_ColumnRef{ColumnRef: &pg.ColumnRef{Fields: []*pg.Node{
			{Node: &pg.Node_String_{String_: &pg.String{Sval: alias}}},
			{Node: &pg.Node_String_{String_: &pg.String{Sval: "v"}}},
		}, Location: -1}}}
		rt.Name = name
	}
	return out
}

// topSRF reports a select-list expression that is a call of a
// set-returning function.
func topSRF(n *pg.Node) bool {
	fc := n.GetFuncCall()
	if fc == nil || fc.AggStar || fc.Over != nil {
		return false
	}
	name := ""
	if len(fc.Funcname) > 0 {
		name = fc.Funcname[len(fc.Funcname)-1].GetString_().GetSval()
	}
	for _, p := range procsByName[name] {
		if p.retset {
			return true
		}
	}
	return false
}

// groupRefersTo reports whether GROUP BY item g names select-list item
// rt (number i, 0-based): by its output name or its position.
func groupRefersTo(g *pg.Node, rt *pg.ResTarget, i int) bool {
	if c := g.GetColumnRef(); c != nil && len(c.Fields) == 1 && rt.Name != "" {
		return c.Fields[0].GetString_().GetSval() == rt.Name
	}
	if ac := g.GetAConst(); ac != nil && ac.GetIval() != nil {
		return int(ac.GetIval().Ival) == i+1
	}
	return false
}

// resultName is the column name PostgreSQL gives a function call item.
func resultName(n *pg.Node) string {
	if fc := n.GetFuncCall(); fc != nil && len(fc.Funcname) > 0 {
		return fc.Funcname[len(fc.Funcname)-1].GetString_().GetSval()
	}
	return "?column?"
}

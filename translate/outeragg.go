package translate

import pg "github.com/pganalyze/pg_query_go/v6"

// An aggregate inside a subquery whose arguments reference only columns
// of the outer query is an aggregate of the outer query in PostgreSQL
// (SELECT (SELECT max(o.x) FROM t) FROM o is one row): the outer query
// is grouped by it, and the subquery sees its value as a constant. The
// engine binds such an aggregate the same way, so its SQL stays where
// it is written; the analysis moves it to the outer level.

// outerAggState is what an aggregate call changes at the inner and the
// outer level, kept to undo it when the aggregate turns out to be the
// outer query's.
type outerAggState struct {
	aggSeen   bool // the inner level's aggSeen before the call
	ungrouped int  // len(parent.outerUngrouped) before the call
}

// checkOuterAggregate refuses the outer aggregates this analysis cannot
// place exactly: references beyond the immediately enclosing query, a
// subquery that is an arm of a set operation (its parent is not the
// outer query), FILTER and ORDER BY (which may reference the inner
// level), and an aggregate in a clause of the outer query that allows
// none (an error there, as PostgreSQL's).
func (l *level) checkOuterAggregate(fc *pg.FuncCall, refsBefore [3]int) error {
	p := l.parent
	if l.aggRefs[2] > refsBefore[2] || l.arm || p == nil || fc.AggFilter != nil || len(fc.AggOrder) > 0 || p.aggDepth > 0 {
		return l.a.unsupportedAt(fc.Location, "this aggregate of an outer query's columns inside a subquery is not supported by Hotdata's cache engine")
	}
	return p.checkAggAllowed(fc.Location, false)
}

// becomeOuterAggregate makes out an aggregate of the parent level: the
// inner level is not grouped by it, and the outer columns its arguments
// read are inside an aggregate there (not ungrouped).
func (l *level) becomeOuterAggregate(out *expr, st *outerAggState) {
	l.aggSeen = st.aggSeen
	p := l.parent
	p.aggSeen = true
	p.outerUngrouped = p.outerUngrouped[:st.ungrouped]
	out.agg = false
	out.ungrouped = nil
}

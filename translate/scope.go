package translate

import (
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/hotdata-dev/hotdata/internal/pgerr"
)

// level is one query level (a SELECT and its clauses): the names its
// expressions see and the state of grouping.
type level struct {
	a      *analyzer
	parent *level
	// items are the FROM items (namespace entries) of this level.
	items []*nsItem
	// ctes are the WITH queries this level defines.
	ctes []*cteDef
	// lateral: the FROM items visible to a LATERAL item being analyzed
	// (set while analyzing FROM).
	lateral []*nsItem
	// inFrom: analyzing a non-lateral FROM item, which sees no sibling
	// items.
	inFrom bool

	// clause names the clause being analyzed, for errors about
	// aggregates, window functions and set-returning functions in it.
	clause string
	// grouping state
	groupKeys map[string]bool
	// fdItems are FROM items whose primary key is grouped (their other
	// columns are functionally dependent on it); fdExtra lists those
	// columns' SQL, added to the engine's GROUP BY.
	fdItems map[*nsItem]bool
	fdExtra []string
	// aggDepth > 0 while analyzing the arguments of an aggregate of this
	// level; aggSeen is set when one was found.
	aggDepth int
	// badLateral are the left items of a RIGHT or FULL join while its
	// right side is analyzed: a LATERAL reference to them is an error.
	badLateral map[*nsItem]bool
	// aggRefs count the column references met inside an aggregate's
	// arguments: of this level, of outer levels, and of levels beyond
	// the parent.
	aggRefs [3]int
	// outerAggCall is set while an aggregate of the outer query is rendered.
	outerAggCall int
	aggSeen      bool
	winSeen      bool
	// windows are the named windows of the WINDOW clause.
	windows map[string]*pg.WindowDef
	// targets of this level, for GROUP BY/ORDER BY by output name.
	targets []*target
	// groupingSets: the query has GROUPING SETS/ROLLUP/CUBE.
	groupingSets bool
	// outerUngrouped are this level's columns referenced from subqueries
	// of its select list, HAVING or ORDER BY outside any aggregate.
	outerUngrouped []*colRef
	// groupWrap are GROUP BY keys grouped by their sort key (numerics of
	// varying scale), by their SQL: outside aggregates they read
	// any_value(key) (NULL where a grouping set leaves the key out).
	groupWrap map[string]string
	// arm: this SELECT is a side of a set operation, whose unknown
	// outputs the operation types.
	arm bool
	// explicitVariadic: the function call being rendered was written
	// with VARIADIC.
	explicitVariadic bool
	// lastOperLeft is the left input type of the binary operator
	// binaryOp chose last (NULLIF's result type).
	lastOperLeft Type
}

func newLevel(a *analyzer, parent *level) *level {
	return &level{a: a, parent: parent, groupKeys: map[string]bool{}, fdItems: map[*nsItem]bool{}, groupWrap: map[string]string{}}
}

// depth is the number of enclosing levels.
func (l *level) depth() int {
	d := 0
	for p := l.parent; p != nil; p = p.parent {
		d++
	}
	return d
}

// nsItem is one FROM item as names see it.
type nsItem struct {
	// name qualifies its columns (the alias, or the table name).
	name string
	// engine is the item's alias in the engine SQL.
	engine string
	cols   []nsCol
	// relVisible: qualified references (name.col) find it.
	relVisible bool
	// colsVisible: unqualified references search its columns.
	colsVisible bool
	// table is the relation when the item is a table (not aliased for
	// schema-qualified column references when aliased is true).
	table   *Table
	aliased bool
	level   *level
	// joinCols: for a join, its merged columns hide the duplicate
	// columns of its sides from "*".
}

// nsCol is one column of a FROM item.
type nsCol struct {
	name string
	typ  Type
	num  numForm
	sql  string
	// hidden columns are not part of "*" (a USING join's right side).
	hidden bool
	// unavailable: the cache could not keep this column (why).
	unavailable string
	// fields of a record-typed column, and their names when known.
	fields     []Type
	fieldNames []string
	// pad: see expr.pad; dom: expr.dom.
	pad int
	dom Type
}

func (it *nsItem) column(name string) (int, int) {
	idx, n := -1, 0
	for i, c := range it.cols {
		if c.name == name {
			if idx < 0 {
				idx = i
			}
			n++
		}
	}
	return idx, n
}

// visibleItems are the items whose columns unqualified names search at
// this level.
func (l *level) visibleItems() []*nsItem {
	if l.lateral != nil {
		return l.lateral
	}
	if l.inFrom {
		return nil
	}
	return l.items
}

// findColumn resolves an unqualified column name (colNameToVar).
func (l *level) findColumn(name string, loc int32) (*expr, error) {
	for lv := l; lv != nil; lv = lv.parent {
		var found *nsItem
		idx := -1
		for _, it := range lv.visibleItems() {
			if !it.colsVisible {
				continue
			}
			i, n := it.column(name)
			if n == 0 {
				continue
			}
			if n > 1 || found != nil {
				return nil, l.a.errAt(loc, "42702", "column reference %q is ambiguous", name)
			}
			found, idx = it, i
		}
		if found != nil {
			return lv.columnExpr(l, found, idx, loc)
		}
	}
	return nil, nil
}

// findItem resolves a qualifier (table alias or [catalog.]schema.table).
func (l *level) findItem(quals []string, loc int32) (*nsItem, *level, error) {
	for lv := l; lv != nil; lv = lv.parent {
		var found *nsItem
		for _, it := range lv.visibleItemsForRel() {
			if !it.relVisible || !it.matches(quals) {
				continue
			}
			if found != nil {
				return nil, nil, l.a.errAt(loc, "42P09", "table reference %q is ambiguous", strings.Join(quals, "."))
			}
			found = it
		}
		if found != nil {
			return found, lv, nil
		}
	}
	return nil, nil, nil
}

func (l *level) visibleItemsForRel() []*nsItem {
	return l.visibleItems()
}

// matches reports whether a qualifier names this item.
func (it *nsItem) matches(quals []string) bool {
	switch len(quals) {
	case 1:
		return it.name == quals[0]
	case 2, 3:
		t := it.table
		if t == nil || it.aliased || t.Name != quals[len(quals)-1] {
			return false
		}
		if len(quals) == 3 {
			return t.Catalog == quals[0] && t.Schema == quals[1]
		}
		s := quals[0]
		return s == t.Schema || s == t.Catalog && t.DefaultSchema || s == t.Catalog+"."+t.Schema
	}
	return false
}

// columnExpr is a reference to column idx of item it, which belongs to
// level lv, seen from level from.
func (lv *level) columnExpr(from *level, it *nsItem, idx int, loc int32) (*expr, error) {
	c := it.cols[idx]
	if c.unavailable != "" {
		return nil, from.a.at(pgerr.New(pgerr.FeatureNotSupported, "column %q of %s is not in the cache: %s", c.name, it.name, c.unavailable).
			WithHint("%s", liveHint), loc)
	}
	if lv.badLateral[it] {
		return nil, from.a.errAt(loc, "42P10", "invalid reference to FROM-clause entry for table %q", it.name).
			WithDetail("The combining JOIN type must be INNER or LEFT for a LATERAL reference.")
	}
	if from.aggDepth > 0 {
		if lv == from {
			from.aggRefs[0]++
		} else {
			from.aggRefs[1]++
			if lv != from.parent {
				from.aggRefs[2]++
			}
		}
	}
	ref := &colRef{item: it, index: idx, name: c.name, loc: loc}
	e := &expr{sql: c.sql, typ: c.typ, num: c.num, col: ref, loc: loc, fields: c.fields, fieldNames: c.fieldNames, pad: c.pad, dom: c.dom}
	if lv == from {
		if !from.columnGrouped(it, c) {
			e.ungrouped = []*colRef{ref}
		}
	} else {
		// An outer reference: grouping of its own level is checked there.
		ref.level = 1
		lv.noteOuterRef(from, e)
	}
	return e, nil
}

// columnGrouped reports a column that GROUP BY covers.
func (l *level) columnGrouped(it *nsItem, c nsCol) bool {
	if l.aggDepth > 0 {
		return true
	}
	if l.groupKeys[c.sql] {
		return true
	}
	if l.fdItems[it] {
		l.addFD(c.sql)
		return true
	}
	return false
}

func (l *level) addFD(sql string) {
	for _, s := range l.fdExtra {
		if s == sql {
			return
		}
	}
	l.fdExtra = append(l.fdExtra, sql)
}

// noteOuterRef records a reference from an inner level to a column of
// this level: outside aggregates of this level, it must be grouped here.
func (l *level) noteOuterRef(from *level, e *expr) {
	switch l.clause {
	case "SELECT", "HAVING", "ORDER BY", "window definition":
	default:
		return
	}
	if l.aggDepth > 0 || l.groupKeys[e.sql] {
		return
	}
	if e.col != nil && l.fdItems[e.col.item] {
		l.addFD(e.sql)
		return
	}
	l.outerUngrouped = append(l.outerUngrouped, e.col)
}

package connectors

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// Querier is a connector that runs a live statement over one of its
// tables in its own SQL dialect (live pushdown to a warehouse). Package
// pushdown decides which statements may go and builds the Query; the
// connector renders it, runs it, and returns its rows as a scan does.
type Querier interface {
	// Query runs q. The scan's columns are q.Select's, in order, each in
	// the Arrow form a Scan gives the source column it reads (a count
	// as int64, a sum as Sum says).
	Query(ctx context.Context, q *Query) (Scan, error)
	// RenderQuery is q as the statement the source would run, with
	// placeholders for its values (for EXPLAIN).
	RenderQuery(ctx context.Context, q *Query) (string, error)
}

// ErrNotPushed marks a Query a source will not run because it would
// compute it otherwise than PostgreSQL (a sum whose scale it cannot
// tell, a comparison of a type it orders differently).
var ErrNotPushed = errors.New("not pushed down")

// Query is a statement over one table, reduced to what every warehouse
// dialect computes as PostgreSQL does: columns and count, sum, min and
// max of columns, filtered by comparisons with constants, grouped,
// ordered and limited.
type Query struct {
	Schema, Table string
	Distinct      bool
	Select        []Item
	Where         *Cond
	// GroupBy are column names.
	GroupBy []string
	OrderBy []Order
	// Limit and Offset are -1 when absent.
	Limit, Offset int64
}

// Aggregates an Item may compute.
const (
	AggNone  = ""
	AggCount = "count" // count(column), or count(*) when Column is ""
	AggSum   = "sum"
	AggMin   = "min"
	AggMax   = "max"
)

// Item is a select-list entry: a column, or an aggregate of one.
type Item struct {
	Agg    string
	Column string
	// Distinct is count(DISTINCT column).
	Distinct bool
}

// Order is an ORDER BY entry (NULLS FIRST/LAST always explicit, as
// PostgreSQL's defaults differ from the warehouses').
type Order struct {
	Item       Item
	Desc       bool
	NullsFirst bool
}

// Condition operators.
const (
	CondAnd     = "and"
	CondOr      = "or"
	CondNot     = "not"
	CondCompare = "compare" // Column Op Values[0]
	CondIsNull  = "isnull"
	CondNotNull = "notnull"
	CondIn      = "in" // Column IN (Values…)
)

// Cond is a WHERE condition over the table's columns and constants.
// Values are as Predicate.Value: int64, float64, string, bool,
// time.Time, or a decimal in a string for a numeric column; the source
// compares them as the column's type.
type Cond struct {
	Op     string
	Args   []*Cond
	Column string
	// CompareOp is one of =, <>, <, <=, >, >= (CondCompare).
	CompareOp string
	Values    []any
}

// RenderCond writes a condition in SQL: AND, OR and NOT (each operand
// parenthesised) here, every other condition by leaf.
func RenderCond(c *Cond, leaf func(*Cond) (string, error)) (string, error) {
	switch c.Op {
	case CondAnd, CondOr:
		parts := make([]string, 0, len(c.Args))
		for _, a := range c.Args {
			s, err := RenderCond(a, leaf)
			if err != nil {
				return "", err
			}
			parts = append(parts, "("+s+")")
		}
		return strings.Join(parts, " "+strings.ToUpper(c.Op)+" "), nil
	case CondNot:
		if len(c.Args) != 1 {
			return "", fmt.Errorf("NOT of %d conditions", len(c.Args))
		}
		s, err := RenderCond(c.Args[0], leaf)
		return "NOT (" + s + ")", err
	}
	return leaf(c)
}

// Direction is an ORDER BY entry's direction with its NULLS placement
// written out: " ASC NULLS LAST".
func (o Order) Direction() string {
	d := " ASC"
	if o.Desc {
		d = " DESC"
	}
	if o.NullsFirst {
		return d + " NULLS FIRST"
	}
	return d + " NULLS LAST"
}

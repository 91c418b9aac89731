package pushdown

import (
	"math"
	"strings"
	"time"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/hotdata-dev/hotdata/connectors"
	"github.com/hotdata-dev/hotdata/engine"
	"github.com/hotdata-dev/hotdata/internal/pgerr"
	"github.com/hotdata-dev/hotdata/pgval"
)

// class groups the PostgreSQL types a warehouse column has by what may
// be pushed down on them.
type class int

const (
	cOther class = iota
	cInt
	cNumeric
	cFloat
	cText
	cBool
	cDate
	cTimestamp
	cTimestamptz
	cTime
	cBytes
)

func classOf(typ string) class {
	switch {
	case typ == "bigint", typ == "integer", typ == "smallint":
		return cInt
	case typ == "numeric", strings.HasPrefix(typ, "numeric("):
		return cNumeric
	case typ == "double precision", typ == "real":
		return cFloat
	case typ == "text", typ == "character varying", strings.HasPrefix(typ, "character varying("):
		return cText
	case typ == "boolean":
		return cBool
	case typ == "date":
		return cDate
	case typ == "timestamp without time zone", strings.HasPrefix(typ, "timestamp(") && strings.HasSuffix(typ, "without time zone"):
		return cTimestamp
	case typ == "timestamp with time zone", strings.HasPrefix(typ, "timestamp(") && strings.HasSuffix(typ, "with time zone"):
		return cTimestamptz
	case typ == "time without time zone", strings.HasPrefix(typ, "time(") && strings.HasSuffix(typ, "without time zone"):
		return cTime
	case typ == "bytea":
		return cBytes
	}
	return cOther
}

// comparesAlike says whether a column of class k may be compared with a
// constant on the warehouse as PostgreSQL compares it (text by code
// point, as the cache does).
func comparesAlike(k class) bool {
	switch k {
	case cInt, cNumeric, cText, cBool, cDate, cTimestamp, cTimestamptz:
		return true
	}
	return false
}

// literal reads a constant's text as PostgreSQL's input function of a
// column of class k does, in the session's TimeZone and DateStyle.
func (tr *translator) literal(text string, k class) (any, error) {
	clock := func() time.Time { return tr.v.Now }
	switch k {
	case cInt:
		return pgval.ParseInt(text, 64)
	case cNumeric:
		n, err := pgval.ParseNumeric(text)
		if err != nil {
			return nil, err
		}
		return n.String(), nil
	case cText:
		return text, nil
	case cBool:
		return pgval.ParseBool(text)
	case cDate:
		d, err := pgval.ParseDate(text, tr.v.Style, clock)
		return engine.Date(d), err
	case cTimestamp:
		us, err := pgval.ParseTimestamp(text, tr.v.Style, clock)
		return engine.Timestamp(us), err
	case cTimestamptz:
		us, err := pgval.ParseTimestamptz(text, tr.v.Style, clock)
		return engine.TimestampTZ(us), err
	}
	return nil, tr.refuse("comparing a %s column does not run live on %s", kindName[k], tr.t.Source)
}

// cond reads a WHERE condition.
func (tr *translator) cond(n *pg.Node) (*connectors.Cond, error) {
	switch {
	case n.GetBoolExpr() != nil:
		be := n.GetBoolExpr()
		op := map[pg.BoolExprType]string{pg.BoolExprType_AND_EXPR: connectors.CondAnd, pg.BoolExprType_OR_EXPR: connectors.CondOr,
			pg.BoolExprType_NOT_EXPR: connectors.CondNot}[be.Boolop]
		c := &connectors.Cond{Op: op}
		for _, a := range be.Args {
			sub, err := tr.cond(a)
			if err != nil {
				return nil, err
			}
			c.Args = append(c.Args, sub)
		}
		return c, nil
	case n.GetNullTest() != nil:
		nt := n.GetNullTest()
		cr := nt.Arg.GetColumnRef()
		if cr == nil || nt.Argisrow {
			return nil, tr.refuse("IS NULL runs live on %s only on a column", tr.t.Source)
		}
		col, err := tr.column(cr)
		if err != nil {
			return nil, err
		}
		op := connectors.CondIsNull
		if nt.Nulltesttype == pg.NullTestType_IS_NOT_NULL {
			op = connectors.CondNotNull
		}
		return &connectors.Cond{Op: op, Column: col}, nil
	case n.GetColumnRef() != nil:
		// A boolean column as the condition: column = true.
		col, err := tr.column(n.GetColumnRef())
		if err != nil {
			return nil, err
		}
		if classOf(tr.t.Columns[col]) != cBool {
			return nil, pgerr.New("42804", "argument of WHERE must be type boolean, not type %s", tr.t.Columns[col])
		}
		return &connectors.Cond{Op: connectors.CondCompare, Column: col, CompareOp: "=", Values: []any{true}}, nil
	case n.GetAExpr() != nil:
		return tr.aexpr(n.GetAExpr())
	}
	return nil, tr.refuse("the condition %s does not run live on %s: compare columns with constants", tr.deparse(n), tr.t.Source)
}

var flipped = map[string]string{"=": "=", "<>": "<>", "<": ">", "<=": ">=", ">": "<", ">=": "<="}

func (tr *translator) aexpr(e *pg.A_Expr) (*connectors.Cond, error) {
	op := ""
	if len(e.Name) > 0 {
		op = e.Name[len(e.Name)-1].GetString_().GetSval()
	}
	if op == "!=" {
		op = "<>"
	}
	switch e.Kind {
	case pg.A_Expr_Kind_AEXPR_OP:
		if _, ok := flipped[op]; !ok {
			break
		}
		cr, other := e.Lexpr.GetColumnRef(), e.Rexpr
		if cr == nil {
			cr, other, op = e.Rexpr.GetColumnRef(), e.Lexpr, flipped[op]
		}
		if cr == nil {
			break
		}
		col, k, err := tr.comparedColumn(cr)
		if err != nil {
			return nil, err
		}
		v, err := tr.constant(other, k, col)
		if err != nil {
			return nil, err
		}
		return &connectors.Cond{Op: connectors.CondCompare, Column: col, CompareOp: op, Values: []any{v}}, nil
	case pg.A_Expr_Kind_AEXPR_IN:
		cr := e.Lexpr.GetColumnRef()
		list := e.Rexpr.GetList()
		if cr == nil || list == nil {
			break
		}
		col, k, err := tr.comparedColumn(cr)
		if err != nil {
			return nil, err
		}
		c := &connectors.Cond{Op: connectors.CondIn, Column: col}
		for _, item := range list.Items {
			v, err := tr.constant(item, k, col)
			if err != nil {
				return nil, err
			}
			c.Values = append(c.Values, v)
		}
		if op == "<>" { // NOT IN
			return &connectors.Cond{Op: connectors.CondNot, Args: []*connectors.Cond{c}}, nil
		}
		return c, nil
	case pg.A_Expr_Kind_AEXPR_BETWEEN, pg.A_Expr_Kind_AEXPR_NOT_BETWEEN:
		cr := e.Lexpr.GetColumnRef()
		list := e.Rexpr.GetList()
		if cr == nil || list == nil || len(list.Items) != 2 {
			break
		}
		col, k, err := tr.comparedColumn(cr)
		if err != nil {
			return nil, err
		}
		lo, err := tr.constant(list.Items[0], k, col)
		if err != nil {
			return nil, err
		}
		hi, err := tr.constant(list.Items[1], k, col)
		if err != nil {
			return nil, err
		}
		between := &connectors.Cond{Op: connectors.CondAnd, Args: []*connectors.Cond{
			{Op: connectors.CondCompare, Column: col, CompareOp: ">=", Values: []any{lo}},
			{Op: connectors.CondCompare, Column: col, CompareOp: "<=", Values: []any{hi}},
		}}
		if e.Kind == pg.A_Expr_Kind_AEXPR_NOT_BETWEEN {
			return &connectors.Cond{Op: connectors.CondNot, Args: []*connectors.Cond{between}}, nil
		}
		return between, nil
	}
	return nil, tr.refuse("the condition %s does not run live on %s: compare columns with constants (=, <>, <, <=, >, >=, IN, BETWEEN, IS NULL)", tr.deparse(&pg.Node{Node: &pg.Node_AExpr{AExpr: e}}), tr.t.Source)
}

// comparedColumn is a column compared with a constant, and its class.
func (tr *translator) comparedColumn(cr *pg.ColumnRef) (string, class, error) {
	col, err := tr.column(cr)
	if err != nil {
		return "", 0, err
	}
	typ := tr.t.Columns[col]
	k := classOf(typ)
	if !comparesAlike(k) {
		return "", 0, tr.refuse("comparing %s (%s) does not run live on %s: the warehouse compares such values otherwise than PostgreSQL", col, typ, tr.t.Source)
	}
	return col, k, nil
}

// constant reads a constant compared with a column of class k: a
// literal (typed or not) read by PostgreSQL's input function of the
// column's type, or a bound parameter.
func (tr *translator) constant(n *pg.Node, k class, col string) (any, error) {
	v, err := tr.value(n, k)
	if err != nil {
		return nil, err
	}
	if v == nil {
		return nil, tr.refuse("comparing %s with NULL does not run live on %s (it is never true: use IS NULL)", col, tr.t.Source)
	}
	return v, nil
}

// value reads a constant as a value of class k (nil for NULL).
func (tr *translator) value(n *pg.Node, k class) (any, error) {
	if tc := n.GetTypeCast(); tc != nil {
		// 'x'::date, DATE 'x': the cast must be to the column's own
		// kind of type, without a size or precision, so that reading
		// the text as the column's type is what PostgreSQL does.
		if target := castClass(tc.TypeName); target != k || len(tc.TypeName.Typmods) > 0 {
			return nil, tr.refuse("the cast %s does not run live on %s: compare with a constant of the column's type", tr.deparse(n), tr.t.Source)
		}
		n = tc.Arg
	}
	var raw any
	switch {
	case n.GetAConst() != nil:
		c := n.GetAConst()
		var text string
		switch {
		case c.Isnull:
			return nil, nil
		case c.GetIval() != nil:
			if k != cInt && k != cNumeric {
				return nil, tr.refuse("comparing a %s column with a number does not run live", kindName[k])
			}
			return int64(c.GetIval().Ival), nil
		case c.GetFval() != nil:
			if k == cInt && !strings.ContainsAny(c.GetFval().Fval, ".eE") {
				// An integer too wide for int4 is a Float node; one too
				// wide for int8 compares as numeric in PostgreSQL.
				v, err := pgval.ParseInt(c.GetFval().Fval, 64)
				if err != nil {
					return nil, tr.refuse("comparing a integer column with %s does not run live on %s", c.GetFval().Fval, tr.t.Source)
				}
				return v, nil
			}
			if k != cNumeric {
				// 1.5 against an integer compares as numeric in
				// PostgreSQL, as a float elsewhere.
				return nil, tr.refuse("comparing a %s column with %s does not run live: use a constant of the column's type", kindName[k], c.GetFval().Fval)
			}
			text = c.GetFval().Fval
		case c.GetBoolval() != nil:
			if k != cBool {
				return nil, tr.refuse("comparing a %s column with a boolean does not run live", kindName[k])
			}
			return c.GetBoolval().Boolval, nil
		case c.GetSval() != nil:
			text = c.GetSval().Sval
		default:
			return nil, tr.refuse("this constant does not run live on %s", tr.t.Source)
		}
		var err error
		if raw, err = tr.literal(text, k); err != nil {
			return nil, err
		}
	case n.GetParamRef() != nil:
		p := int(n.GetParamRef().Number)
		if p < 1 || p > len(tr.v.Args) {
			return nil, pgerr.New("42P02", "there is no parameter $%d", p)
		}
		raw = tr.v.Args[p-1]
		if raw == nil {
			return nil, nil
		}
	default:
		return nil, tr.refuse("the value %s does not run live on %s: compare with a constant or a parameter", tr.deparse(n), tr.t.Source)
	}
	return tr.convert(raw, k)
}

var kindName = map[class]string{cInt: "integer", cNumeric: "numeric", cFloat: "float", cText: "text", cBool: "boolean",
	cDate: "date", cTimestamp: "timestamp", cTimestamptz: "timestamptz", cTime: "time", cBytes: "bytea", cOther: "other"}

// castClass is the class of a cast's target type.
func castClass(tn *pg.TypeName) class {
	var parts []string
	for _, n := range tn.GetNames() {
		parts = append(parts, n.GetString_().GetSval())
	}
	if len(parts) == 0 || len(tn.ArrayBounds) > 0 {
		return cOther
	}
	switch parts[len(parts)-1] {
	case "int8", "bigint":
		// (int2 and int4 casts check a narrower range.)
		return cInt
	case "numeric", "decimal":
		return cNumeric
	case "text", "varchar":
		return cText
	case "bool", "boolean":
		return cBool
	case "date":
		return cDate
	case "timestamp":
		return cTimestamp
	case "timestamptz":
		return cTimestamptz
	}
	return cOther
}

// convert turns a decoded value (an engine value for dates and times)
// into a connectors.Cond value of class k.
func (tr *translator) convert(v any, k class) (any, error) {
	bad := func() error {
		return tr.refuse("a %T value compared with a %s column does not run live on %s", v, kindName[k], tr.t.Source)
	}
	switch k {
	case cInt:
		switch v := v.(type) {
		case int64:
			return v, nil
		case int32:
			return int64(v), nil
		case int16:
			return int64(v), nil
		}
	case cNumeric:
		switch v := v.(type) {
		case int64:
			return v, nil
		case string:
			if strings.ContainsAny(v, "NnIi") { // NaN, Infinity
				return nil, tr.refuse("comparing with %s does not run live on %s", v, tr.t.Source)
			}
			return v, nil
		}
	case cText:
		if s, ok := v.(string); ok {
			return s, nil
		}
	case cBool:
		if b, ok := v.(bool); ok {
			return b, nil
		}
	case cDate:
		// Only a date: a timestamp compared with a date column compares
		// as a timestamp in PostgreSQL.
		if d, ok := v.(engine.Date); ok {
			if d == pgval.DateInfinity || d == pgval.DateNegInfinity {
				return nil, tr.refuse("comparing with an infinite date does not run live on %s", tr.t.Source)
			}
			return time.Unix(int64(d)*86400, 0).UTC(), nil
		}
	case cTimestamp, cTimestamptz:
		// Of the column's own kind only: between timestamp and
		// timestamptz PostgreSQL converts in the session's TimeZone.
		var us int64
		switch v := v.(type) {
		case engine.Timestamp:
			if k != cTimestamp {
				return nil, bad()
			}
			us = int64(v)
		case engine.TimestampTZ:
			if k != cTimestamptz {
				return nil, bad()
			}
			us = int64(v)
		default:
			return nil, bad()
		}
		if us == math.MaxInt64 || us == -math.MaxInt64 || us == math.MinInt64 {
			return nil, tr.refuse("comparing with an infinite timestamp does not run live on %s", tr.t.Source)
		}
		return time.UnixMicro(us).UTC(), nil
	}
	return nil, bad()
}

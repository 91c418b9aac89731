package translate

import (
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"
)

// Records compare in PostgreSQL field by field with each field type's
// own equality (record_eq, record_cmp, and the grouping of DISTINCT and
// GROUP BY), NULL fields equal to each other and greater than the rest.
// The engine's structs compare the same way, so a record whose fields
// the engine compares as PostgreSQL does can be compared, grouped and
// counted distinct as a struct.

// recordComparable reports whether the engine compares values of e, a
// record, as PostgreSQL does.
func recordComparable(e *expr) bool {
	if e.typ.OID != OIDRecord || len(e.fields) == 0 {
		return false
	}
	for _, f := range e.fields {
		switch f.OID {
		case OIDBool, OIDInt2, OIDInt4, OIDInt8, OIDDate, OIDTimestamp, OIDTimestamptz, OIDTime, OIDUUID:
		case OIDText, OIDVarchar:
			// A ROW('a') field is of type unknown in PostgreSQL, which
			// fails to compare (the engine holds it as text): a text
			// field is known to be one only in a ROW(…) analyzed here.
			if e.rowElems == nil || e.unknownField {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// checkComparableExpr is checkComparable for an analyzed expression: a
// record of fields the engine compares as PostgreSQL does is comparable.
func (l *level) checkComparableExpr(e *expr, what string, loc int32) error {
	if recordComparable(e) {
		return nil
	}
	return l.checkComparable(e.typ, e.num, what, loc)
}

// recordEquality renders record = record and record <> record (record_eq,
// record_ne) of records the engine compares as PostgreSQL does, with the
// same field types on both sides (PostgreSQL fails on others when it
// compares them, which depends on the data: refused).
func recordEquality(op string) *Impl {
	return &Impl{Build: func(c *Call) (string, error) {
		a, b := c.args[0], c.args[1]
		if !recordComparable(a) || !recordComparable(b) || !sameTypes(a.fields, b.fields) {
			return "", unsupported("record %s record is supported by Hotdata's cache engine only for records of the same boolean, integer, text, date, time and uuid fields", op)
		}
		return "(" + c.Arg(0) + " " + op + " " + c.Arg(1) + ")", nil
	}}
}

func sameTypes(a, b []Type) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].OID != b[i].OID {
			return false
		}
	}
	return true
}

func init() {
	register(map[string]*Impl{
		"record_eq(record,record)": recordEquality("="),
		"record_ne(record,record)": recordEquality("<>"),
	})
}

// rowDistinct is ROW(…) IS [NOT] DISTINCT FROM ROW(…) (make_row_distinct_op):
// distinct when some pair of fields is distinct, each pair compared
// NULL-safe with its own = operator.
func (l *level) rowDistinct(lr, rr *pg.RowExpr, not bool, loc int32) (*expr, error) {
	if len(lr.Args) != len(rr.Args) {
		return nil, l.a.errAt(loc, "42601", "unequal number of entries in row expressions")
	}
	out := &expr{typ: TBool, loc: loc}
	var parts []string
	for i := range lr.Args {
		left, err := l.expr(lr.Args[i])
		if err != nil {
			return nil, err
		}
		right, err := l.expr(rr.Args[i])
		if err != nil {
			return nil, err
		}
		d, err := l.distinctPair(left, right, loc)
		if err != nil {
			return nil, err
		}
		out.merge(d)
		parts = append(parts, d.sql)
	}
	out.sql = "(" + strings.Join(parts, " OR ") + ")"
	if not {
		out.sql = "(NOT " + out.sql + ")"
	}
	out.constant = false
	return out, nil
}

package translate

import (
	"fmt"
	"strings"
)

// numForm is how the engine holds a numeric value: as DECIMAL(p,s) when
// every value of the expression has display scale s and at most p
// digits, else as PostgreSQL's text form (VARCHAR: every digit and the
// display scale of each value kept, NaN and ±Infinity included), on
// which the hd_num_* functions compute as PostgreSQL's numeric does.
type numForm struct {
	fixed bool
	p, s  int
}

var numText = numForm{}

// numAny asks a coercion to keep whatever form the value has.
var numAny = numForm{p: -1}

func fixedNum(p, s int) numForm { return numForm{fixed: true, p: p, s: s} }

// maxDecimal is the engine's widest DECIMAL.
const maxDecimal = 38

// expr is an analyzed expression: its PostgreSQL type and the engine SQL
// that computes exactly PostgreSQL's value of it.
type expr struct {
	sql string
	typ Type
	num numForm // when typ is numeric

	// An expression whose type its context decides: an untyped string
	// literal (lit), NULL, or a parameter whose type is not known yet.
	unknown bool
	lit     *string
	null    bool
	param   int

	// fields are the field types of a record (ROW(…), a whole row).
	fields []Type
	// fieldNames are a whole-row reference's column names.
	fieldNames []string
	// rowParts and rowElems are the fields of a ROW(…) expression.
	rowParts []string
	rowElems []*expr
	// unknownField: a field of the ROW(…) is an untyped literal, of
	// type unknown in PostgreSQL (held as text here), which PostgreSQL
	// cannot compare.
	unknownField bool

	// col is set when the expression is a plain column reference.
	col *colRef
	// Facts of the analysis.
	agg      bool // holds an aggregate of the current query level
	win      bool // holds a window function
	volatile bool
	sublink  bool // holds a subquery
	// ungrouped are column references of the current level outside any
	// aggregate, checked against GROUP BY.
	ungrouped []*colRef
	// constant is true for expressions of literals only (no columns,
	// parameters, subqueries or volatile functions).
	constant bool
	loc      int32
	// srf is true for a set-returning function call (only allowed at the
	// top of a select list item).
	srf bool
	// srfList is the engine list a set-returning function unnests;
	// fromTable the table expression of a catalog set-returning function.
	srfList   string
	fromTable string
	// collateC is set by COLLATE "C" and friends (no change in the engine).
	collated bool
	// placeholder: a parameter standing for one of the statement's
	// constants (Env.Literals); its value is not known here.
	placeholder bool
	// nullConst: a NULL literal given a type.
	nullConst bool
	// dom is the domain a value of type typ (the domain's base type)
	// has where PostgreSQL still sees the domain (a column of a domain,
	// passed through unchanged): pg_typeof reports it.
	dom Type
	// pad is the length a character value (or a character array's
	// elements) carries padded to in PostgreSQL, when the type no longer
	// says it (max(c) of a char(8) column); the engine holds character
	// values without their padding.
	pad int
}

// padOf is the padding a character value of type t carries: its
// declared length, or what the expression says.
func padOf(e *expr) int {
	t := e.typ
	if t.IsArray() {
		t = t.Elem()
		t.Mod = e.typ.Mod
	}
	if t.OID != OIDBPChar {
		return 0
	}
	if n := charLen(t); n > 0 {
		return n
	}
	return e.pad
}

// isChar: character or character[].
func isChar(t Type) bool {
	return t.OID == OIDBPChar || t.IsArray() && t.Elem().OID == OIDBPChar
}

// colRef is one resolved column reference.
type colRef struct {
	level int // query nesting level it belongs to (0: innermost when resolved)
	item  *nsItem
	index int
	name  string
	loc   int32
}

// engineType is the DuckDB type holding values of t (with numeric form n).
func engineType(t Type, n numForm) (string, error) {
	if TextHeld(t.OID) || enumLike(t) != nil || isComposite(t) {
		return "VARCHAR", nil
	}
	if t.IsArray() {
		e, err := engineType(t.Elem(), n)
		if err != nil {
			return "", err
		}
		return e + "[]", nil
	}
	switch t.OID {
	case OIDBool:
		return "BOOLEAN", nil
	case OIDInt2:
		return "SMALLINT", nil
	case OIDInt4:
		return "INTEGER", nil
	case OIDInt8:
		return "BIGINT", nil
	case OIDFloat4:
		return "FLOAT", nil
	case OIDFloat8:
		return "DOUBLE", nil
	case OIDNumeric:
		if n.fixed {
			return fmt.Sprintf("DECIMAL(%d,%d)", n.p, n.s), nil
		}
		return "VARCHAR", nil
	case OIDText, OIDVarchar, OIDBPChar, OIDName, OIDChar, OIDUnknown, OpaqueOID,
		OIDPgNodeTree, OIDAclitem, OIDVoid:
		return "VARCHAR", nil
	case OIDBytea:
		return "BLOB", nil
	case OIDDate:
		return "DATE", nil
	case OIDTime:
		return "TIME", nil
	case OIDTimestamp:
		return "TIMESTAMP", nil
	case OIDTimestamptz:
		return "TIMESTAMPTZ", nil
	case OIDInterval:
		return "INTERVAL", nil
	case OIDUUID:
		return "UUID", nil
	case OIDJSON, OIDJSONB:
		return "JSON", nil
	case OIDOID, OIDRegproc, OIDRegprocedure, OIDRegclass, OIDRegtype, OIDRegnamespace, OIDRegrole, OIDRegoper, OIDRegoperator, OIDRegconfig, OIDRegcollation, 28, 29:
		return "UINTEGER", nil
	case OIDInt2Vector:
		return "SMALLINT[]", nil
	case OIDOIDVector:
		return "UINTEGER[]", nil
	}
	return "", unsupported("type %s is not supported by Hotdata's cache engine", t.Name())
}

// numFormOf is the form a numeric value of type t takes by default: a
// numeric(p,s) with p ≤ 38 is DECIMAL(p,s); anything else is text.
func numFormOf(t Type) numForm {
	if t.OID != OIDNumeric {
		return numForm{}
	}
	if p, s, ok := numericPS(t.Mod); ok && p <= maxDecimal && s >= 0 && s <= p {
		return fixedNum(p, s)
	}
	return numText
}

// castSQL casts sql to the engine type of t.
func castSQL(sql string, t Type, n numForm) (string, error) {
	et, err := engineType(t, n)
	if err != nil {
		return "", err
	}
	return "CAST(" + sql + " AS " + et + ")", nil
}

// sqlString quotes s as an engine string literal.
func sqlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// quoteIdent quotes an engine identifier.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// nullOf is a typed NULL.
func nullOf(t Type, n numForm) string {
	s, err := castSQL("NULL", t, n)
	if err != nil {
		return "NULL"
	}
	return s
}

// merge collects the analysis facts of sub-expressions into e.
func (e *expr) merge(subs ...*expr) *expr {
	e.constant = true
	for _, s := range subs {
		if s == nil {
			continue
		}
		e.agg = e.agg || s.agg
		e.win = e.win || s.win
		e.volatile = e.volatile || s.volatile
		e.sublink = e.sublink || s.sublink
		e.ungrouped = append(e.ungrouped, s.ungrouped...)
		e.constant = e.constant && s.constant
	}
	return e
}

// TextHeld reports the built-in types the engine holds as PostgreSQL's
// text output of the value (the cache keeps them so): they are read and
// printed as they are; operations on them are refused.
func TextHeld(oid uint32) bool {
	switch oid {
	case OIDXML, OIDMoney, OIDInet, OIDCidr, OIDTimetz, OIDBit, OIDVarbit,
		829, 774, // macaddr, macaddr8
		3614, 3615, // tsvector, tsquery
		600, 601, 602, 603, 604, 628, 718, // geometric types
		3220, 2970, 5038, // pg_lsn, txid_snapshot, pg_snapshot
		3904, 3906, 3908, 3910, 3912, 3926, // ranges
		4451, 4532, 4533, 4534, 4535, 4536: // multiranges
		return true
	}
	return false
}

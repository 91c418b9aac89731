package translate

import (
	"fmt"
	"strings"

	"github.com/hotdata-dev/hotdata/internal/pgerr"
	"sync"
	"sync/atomic"
)

// An upstream's own types (enums, domains, composite types) are known to
// the analyzer through RegisterUserType, which gives each one a handle: a
// Type whose OID is private to the analyzer (in [handleBase, OpaqueOID)),
// unique in the process for the type's whole description (where it
// comes from, its name, its labels, …). Handles are Types like any
// other: they survive Type{t.OID, -1}, key the catalog rows the analyzer
// consults (Category, Name, IsArray, Elem, ArrayOf), and never reach a
// client: UserTypeOf gives the OID clients see (the upstream's).
//
// Values of an enum are held by the engine as their label (VARCHAR);
// they order by the label's position in the type's sort order
// (enumSortKey). A domain is never the type of an expression here: a
// value of a domain has its base type, and remembers the domain
// (expr.dom) where PostgreSQL would still report it (pg_typeof, a plain
// column passed through).

// handleBase is the first handle OID.
const handleBase = 0xF0000000

// UserType describes one of an upstream's own types.
type UserType struct {
	// OID is the type's OID as clients see it (pg_type.oid in the
	// emulated catalog, RowDescription); ArrayOID its array type's (0:
	// none).
	OID      uint32
	ArrayOID uint32
	// Schema is the type's namespace in the emulated catalog
	// ("connection.schema"); Name its typname.
	Schema string
	Name   string
	// Kind is typtype: 'e' enum, 'd' domain, 'c' composite.
	Kind byte
	// Typlen is pg_type.typlen (-1: variable length).
	Typlen int16
	// Labels are an enum's labels in their sort order.
	Labels []string
	// Base is a domain's base type (a handle for a domain over an enum);
	// NotNull and HasChecks its constraints.
	Base      Type
	NotNull   bool
	HasChecks bool
}

// userTypeInfo is a registered user type with its handles.
type userTypeInfo struct {
	UserType
	handle, arrayHandle uint32
	row, arrayRow       *typeRow
	label               map[string]int // enum label -> position from 1
}

var userTypes struct {
	mu    sync.Mutex
	byKey map[string]*userTypeInfo
	next  uint32
	// byHandle maps both handles of each type to it (copied on write).
	byHandle atomic.Pointer[map[uint32]*userTypeInfo]
}

// RegisterUserType returns the handle of u, registering it the first
// time its description is seen.
func RegisterUserType(u UserType) Type {
	key := fmt.Sprintf("%d\x00%d\x00%s\x00%s\x00%c\x00%d\x00%q\x00%d/%d\x00%v\x00%v", u.OID, u.ArrayOID, u.Schema, u.Name, u.Kind, u.Typlen,
		u.Labels, u.Base.OID, u.Base.Mod, u.NotNull, u.HasChecks)
	userTypes.mu.Lock()
	defer userTypes.mu.Unlock()
	if info := userTypes.byKey[key]; info != nil {
		return Type{info.handle, -1}
	}
	if userTypes.byKey == nil {
		userTypes.byKey = map[string]*userTypeInfo{}
		userTypes.next = handleBase
	}
	if userTypes.next+2 >= OpaqueOID {
		return Type{OpaqueOID, -1} // out of handles: served as text
	}
	info := &userTypeInfo{UserType: u, handle: userTypes.next, arrayHandle: userTypes.next + 1}
	userTypes.next += 2
	info.Labels = append([]string(nil), u.Labels...)
	display := quoteTypeName(u.Name)
	info.row = &typeRow{oid: info.handle, name: u.Name, display: display, array: info.arrayHandle, typlen: u.Typlen, typtype: u.Kind}
	switch u.Kind {
	case 'e':
		info.row.category = 'E'
		info.label = make(map[string]int, len(u.Labels))
		for i, l := range u.Labels {
			info.label[l] = i + 1
		}
	case 'c':
		info.row.category = 'C'
	case 'd':
		info.row.category = u.Base.Category()
	}
	info.arrayRow = &typeRow{oid: info.arrayHandle, name: "_" + u.Name, display: display + "[]", category: 'A', elem: info.handle, typlen: -1, typtype: 'b'}
	if u.ArrayOID == 0 {
		info.row.array = 0
	}
	m := map[uint32]*userTypeInfo{}
	if old := userTypes.byHandle.Load(); old != nil {
		for k, v := range *old {
			m[k] = v
		}
	}
	m[info.handle], m[info.arrayHandle] = info, info
	userTypes.byHandle.Store(&m)
	userTypes.byKey[key] = info
	return Type{info.handle, -1}
}

// quoteTypeName is a type name as format_type prints it (quote_identifier).
func quoteTypeName(s string) string {
	plain := s != ""
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c == '_' || i > 0 && c >= '0' && c <= '9') {
			plain = false
		}
	}
	if plain && !isKeyword(s) {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// isUserOID reports a handle OID.
func isUserOID(oid uint32) bool { return oid >= handleBase && oid < OpaqueOID }

// userInfo finds the type a handle belongs to; array reports the
// handle of its array type.
func userInfo(oid uint32) (info *userTypeInfo, array bool) {
	if !isUserOID(oid) {
		return nil, false
	}
	m := userTypes.byHandle.Load()
	if m == nil {
		return nil, false
	}
	info = (*m)[oid]
	if info == nil {
		return nil, false
	}
	return info, oid == info.arrayHandle
}

// userRow is the catalog row of a handle (nil for other OIDs).
func userRow(oid uint32) *typeRow {
	info, array := userInfo(oid)
	switch {
	case info == nil:
		return nil
	case array:
		return info.arrayRow
	}
	return info.row
}

// UserTypeOf describes t when it is (an array of) an upstream's own type:
// the type, and whether t is its array type.
func UserTypeOf(t Type) (u *UserType, array bool) {
	info, array := userInfo(t.OID)
	if info == nil {
		return nil, false
	}
	return &info.UserType, array
}

// enumInfo is the enum t is, or nil.
func enumInfo(t Type) *userTypeInfo {
	info, array := userInfo(t.OID)
	if info == nil || array || info.Kind != 'e' {
		return nil
	}
	return info
}

// enumLike is the enum whose labels a value of type t holds: t's own,
// or a domain's over an enum (which orders, reads and prints as its
// enum, though the enum's operators and functions do not take it).
func enumLike(t Type) *userTypeInfo {
	for depth := 0; depth < 8; depth++ {
		info, array := userInfo(t.OID)
		if info == nil || array {
			return nil
		}
		switch info.Kind {
		case 'e':
			return info
		case 'd':
			t = info.Base
			continue
		}
		return nil
	}
	return nil
}

// domainBase is t's base type when t is a domain (itself otherwise).
func domainBase(oid uint32) uint32 {
	for depth := 0; depth < 8; depth++ {
		info, array := userInfo(oid)
		if info == nil || array || info.Kind != 'd' {
			return oid
		}
		oid = info.Base.OID
	}
	return oid
}

// isEnum reports an enum type.
func isEnum(t Type) bool { return enumInfo(t) != nil }

// isComposite reports an upstream's composite type (held as its text).
func isComposite(t Type) bool {
	info, array := userInfo(t.OID)
	return info != nil && !array && info.Kind == 'c'
}

// isOpaque reports types whose values the engine holds as their text
// output without knowing their structure: only read, never operated on.
func isOpaque(t Type) bool {
	return t.OID == OpaqueOID || isComposite(t)
}

// WireType is the type a client is told a value of t has, and how its
// values are sent: the OID and typmod of RowDescription (the upstream's
// OID for its own types), pg_type.typlen, and for a user type the
// built-in type whose binary form its values take (text for an enum's
// label, text[] for an array of enums, with elem the element type's OID
// to write in the array's header); send is 0 for other types.
func WireType(t Type) (oid uint32, mod int32, typlen int16, send, elem uint32) {
	info, array := userInfo(t.OID)
	if info == nil {
		if t.OID == OpaqueOID {
			return OIDText, -1, -1, 0, 0
		}
		typlen = -1
		if r := t.row(); r != nil {
			typlen = r.typlen
		}
		return t.OID, t.Mod, typlen, 0, 0
	}
	switch {
	case array:
		send = OIDTextArray
		if info.Kind == 'c' {
			send = 0
		}
		return info.ArrayOID, -1, -1, send, info.OID
	case info.Kind == 'e':
		return info.OID, -1, info.Typlen, OIDText, 0
	case info.Kind == 'c':
		return info.OID, -1, -1, 0, 0 // record_send: not here
	}
	// A domain: PostgreSQL describes its values by the base type.
	return WireType(info.Base)
}

// enumPosition is the engine expression of an enum value's position in
// its type's sort order (NULL for NULL).
func enumPosition(info *userTypeInfo, sql string) string {
	return "list_position(" + enumLabelList(info) + ", " + sql + ")"
}

// enumLabelList is the engine list of an enum's labels in sort order.
func enumLabelList(info *userTypeInfo) string {
	parts := make([]string, len(info.Labels))
	for i, l := range info.Labels {
		parts[i] = sqlString(l)
	}
	return "CAST([" + strings.Join(parts, ", ") + "] AS VARCHAR[])"
}

// enumInput reads s as a label of the enum (enum_in).
func enumInput(info *userTypeInfo, s string) (string, error) {
	if _, ok := info.label[s]; !ok {
		return "", errf("22P02", "invalid input value for enum %s: %q", info.row.display, s)
	}
	return sqlString(s), nil
}

// enumInputSQL reads the text of sql as a label of the enum at run time.
func enumInputSQL(info *userTypeInfo, sql string) string {
	msg := "invalid input value for enum " + info.row.display + ": "
	return "(CASE WHEN " + sql + " IS NULL OR list_contains(" + enumLabelList(info) + ", " + sql + ") THEN " + sql +
		" ELSE error(" + sqlString("HD22P02:"+msg+"\"") + " || " + sql + " || '\"') END)"
}

// isKeyword reports the keywords quote_identifier quotes (all but the
// unreserved ones; the common ones, src/include/parser/kwlist.h).
func isKeyword(s string) bool { return quotedKeywords[s] }

var quotedKeywords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`all analyse analyze and any array as asc asymmetric both case cast check collate column
		constraint create current_catalog current_date current_role current_time current_timestamp current_user default
		deferrable desc distinct do else end except false fetch for foreign from grant group having in initially intersect
		into lateral leading limit localtime localtimestamp not null offset on only or order placing primary references
		returning select session_user some symmetric system_user table then to trailing true union unique user using
		variadic when where window with authorization binary collation concurrently cross current_schema freeze full ilike
		inner is isnull join left like natural notnull outer overlaps right similar tablesample verbose
		between bigint bit boolean char character coalesce dec decimal exists extract float greatest grouping inout int
		integer interval least national nchar none normalize nullif numeric out overlay position precision real row
		setof smallint substring time timestamp treat trim values varchar xmlattributes xmlconcat xmlelement xmlexists
		xmlforest xmlnamespaces xmlparse xmlpi xmlroot xmlserialize xmltable`) {
		m[w] = true
	}
	return m
}()

// enumOf is the enum type of a call's first argument (its declared,
// resolved type).
func enumOf(c *Call) (*userTypeInfo, error) {
	for _, t := range c.Types {
		if info := enumInfo(t); info != nil {
			return info, nil
		}
	}
	if info := enumInfo(c.Result); info != nil {
		return info, nil
	}
	return nil, internal("%s: no enum argument", c.Name)
}

func init() {
	m := map[string]*Impl{}
	cmp := func(op string) *Impl {
		return &Impl{Build: func(c *Call) (string, error) {
			info, err := enumOf(c)
			if err != nil {
				return "", err
			}
			if op == "=" || op == "<>" {
				return "(" + c.Args[0] + " " + op + " " + c.Args[1] + ")", nil
			}
			return "(" + enumPosition(info, c.Args[0]) + " " + op + " " + enumPosition(info, c.Args[1]) + ")", nil
		}}
	}
	m["enum_eq(anyenum,anyenum)"] = cmp("=")
	m["enum_ne(anyenum,anyenum)"] = cmp("<>")
	m["enum_lt(anyenum,anyenum)"] = cmp("<")
	m["enum_gt(anyenum,anyenum)"] = cmp(">")
	m["enum_le(anyenum,anyenum)"] = cmp("<=")
	m["enum_ge(anyenum,anyenum)"] = cmp(">=")
	m["enum_cmp(anyenum,anyenum)"] = &Impl{Build: func(c *Call) (string, error) {
		info, err := enumOf(c)
		if err != nil {
			return "", err
		}
		return "CAST(sign(" + enumPosition(info, c.Args[0]) + " - " + enumPosition(info, c.Args[1]) + ") AS INTEGER)", nil
	}}
	pick := func(fn string) *Impl {
		return &Impl{Build: func(c *Call) (string, error) {
			info, err := enumOf(c)
			if err != nil {
				return "", err
			}
			// Strict: NULL when either is.
			return "CASE WHEN " + c.Args[0] + " IS NULL OR " + c.Args[1] + " IS NULL THEN NULL ELSE list_extract(" + enumLabelList(info) + ", " +
				fn + "(" + enumPosition(info, c.Args[0]) + ", " + enumPosition(info, c.Args[1]) + ")) END", nil
		}}
	}
	m["enum_smaller(anyenum,anyenum)"] = pick("least")
	m["enum_larger(anyenum,anyenum)"] = pick("greatest")
	end := func(first bool) *Impl {
		return &Impl{Build: func(c *Call) (string, error) {
			info, err := enumOf(c)
			if err != nil {
				return "", err
			}
			if len(info.Labels) == 0 {
				return "CAST(NULL AS VARCHAR)", nil
			}
			l := info.Labels[len(info.Labels)-1]
			if first {
				l = info.Labels[0]
			}
			return withArg(c.args[0], sqlString(l)), nil
		}}
	}
	m["enum_first(anyenum)"] = end(true)
	m["enum_last(anyenum)"] = end(false)
	m["enum_range(anyenum)"] = &Impl{Build: func(c *Call) (string, error) {
		info, err := enumOf(c)
		if err != nil {
			return "", err
		}
		return withArg(c.args[0], enumLabelList(info)), nil
	}}
	m["enum_range(anyenum,anyenum)"] = &Impl{Build: func(c *Call) (string, error) {
		info, err := enumOf(c)
		if err != nil {
			return "", err
		}
		n := itoa(len(info.Labels))
		return "list_slice(" + enumLabelList(info) + ", coalesce(" + enumPosition(info, c.Args[0]) + ", 1), coalesce(" +
			enumPosition(info, c.Args[1]) + ", " + n + "))", nil
	}}
	for _, f := range []string{"min", "max"} {
		f := f
		m[f+"(anyenum)"] = &Impl{Agg: func(c *Call, agg func(string, ...string) string) (string, error) {
			info := enumInfo(c.args[0].typ)
			if info == nil {
				return "", internal("%s(anyenum) of %s", f, c.args[0].typ.Name())
			}
			return "list_extract(" + enumLabelList(info) + ", " + agg(f, enumPosition(info, c.Args[0])) + ")", nil
		}}
	}
	register(m)
}

// withArg is sql, still evaluating an argument that is not a constant
// (its rows, its aggregate) as the call's own.
func withArg(a *expr, sql string) string {
	if a.constant || a.null || a.nullConst {
		return sql
	}
	return "CASE WHEN (" + a.sql + ") IS NULL THEN " + sql + " ELSE " + sql + " END"
}

// domainCast is x::domain: the value coerced to the domain's base type
// (with its typmod), then checked against the domain's NOT NULL. Its
// type is the base type, remembering the domain (expr.dom). Domains with
// CHECK constraints are refused: the constraint's expression is not
// known here.
func (l *level) domainCast(e *expr, t Type, u *UserType, array bool, loc int32) (*expr, error) {
	if array {
		return nil, l.a.unsupportedAt(loc, "casts to arrays of the upstream's domain %s are not supported by Hotdata's cache engine", u.Name).
			WithHint("%s", liveHint)
	}
	if u.HasChecks {
		return nil, l.a.unsupportedAt(loc, "casts to the upstream's domain %s are not supported by Hotdata's cache engine: its CHECK constraints are not evaluated here", quoteTypeName(u.Name)).
			WithHint("Cast to its base type %s instead, or SET hotdata.freshness = live.", u.Base.Name())
	}
	base := u.Base
	if enumLike(t) != nil {
		// A domain over an enum is a type of its own here.
		ce, err := l.coerceTo(e, t, numForm{}, ccExplicit, "")
		if err != nil {
			return nil, l.a.at(pgerr.As(err), loc)
		}
		out := *ce
		out.loc = loc
		if u.NotNull {
			out.sql = "(CASE WHEN " + ce.sql + " IS NULL THEN error(" + sqlString("HD23502:domain "+quoteTypeName(u.Name)+" does not allow null values") + ") ELSE " + ce.sql + " END)"
			out.constant = false
		}
		return &out, nil
	}
	if bu, _ := UserTypeOf(base); bu != nil && bu.Kind == 'd' || isComposite(base) || base.OID == OpaqueOID {
		return nil, l.a.unsupportedAt(loc, "casts to the upstream's domain %s are not supported by Hotdata's cache engine", quoteTypeName(u.Name))
	}
	nf := numFormOf(base)
	if base.OID == OIDNumeric && base.Mod < 0 {
		nf = numAny
	}
	ce, err := l.coerceTo(e, base, nf, ccExplicit, "")
	if err != nil {
		return nil, l.a.at(pgerr.As(err), loc)
	}
	out := *ce
	out.loc = loc
	out.col = nil
	out.dom = t
	if u.NotNull {
		out.sql = "(CASE WHEN " + ce.sql + " IS NULL THEN error(" + sqlString("HD23502:domain "+quoteTypeName(u.Name)+" does not allow null values") + ") ELSE " + ce.sql + " END)"
		out.constant = false
	}
	return &out, nil
}

// commonDomain is the domain of the values of a CASE, COALESCE or set
// operation when all of them are of that same domain (select_common_type
// keeps a type all inputs share, domains included; one input of another
// type, or untyped, makes it the base type).
func commonDomain(es []*expr) Type {
	if len(es) == 0 {
		return Type{}
	}
	d := es[0].dom
	for _, e := range es {
		if e.unknown || e.dom != d {
			return Type{}
		}
	}
	return d
}

// polyDomain is the domain a polymorphic function's result has: the
// domain of every argument of a polymorphic element type (anyelement,
// anynonarray, anycompatible…) when they all have the same one (the
// resolved type is then the domain, as PostgreSQL keeps it).
func polyDomain(args []*expr, decl []Type, ret Type) Type {
	switch ret.OID {
	case OIDAnyElement, OIDAnyNonArray, OIDAnyCompatible, OIDAnyCompatibleNonArray, OIDAnyArray, OIDAnyCompatibleArray:
	default:
		return Type{}
	}
	var dom Type
	for i, d := range decl {
		if i >= len(args) {
			break
		}
		switch d.OID {
		case OIDAnyElement, OIDAnyNonArray, OIDAnyCompatible, OIDAnyCompatibleNonArray:
		default:
			continue
		}
		a := args[i]
		if a.unknown || a.dom.OID == 0 || dom.OID != 0 && a.dom != dom {
			return Type{}
		}
		dom = a.dom
	}
	return dom
}

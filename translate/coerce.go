package translate

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/hotdata-dev/hotdata/internal/pgerr"
)

// styleMarker stands for the session's output settings (TimeZone,
// DateStyle, IntervalStyle, extra_float_digits, bytea_output), which the
// text output and input functions read.
var styleMarker = SessionMarker("style")

// typeDesc describes a type to the engine's output and input functions:
// "23", "1700", "1042(9)", "1007", "2249{23,25}".
func typeDesc(t Type, fields []Type) string {
	if info, array := userInfo(t.OID); info != nil {
		// An enum's values are its labels: text to the engine's
		// functions (and arrays of them text[]).
		if array {
			return typeDesc(Type{OIDTextArray, -1}, nil)
		}
		return typeDesc(TText, nil)
	}
	s := strconv.FormatUint(uint64(t.OID), 10)
	if t.Mod >= 0 {
		s += "(" + strconv.Itoa(int(t.Mod)) + ")"
	}
	if t.OID == OIDRecord && len(fields) > 0 {
		parts := make([]string, len(fields))
		for i, f := range fields {
			parts[i] = typeDesc(f, nil)
		}
		s += "{" + strings.Join(parts, ",") + "}"
	}
	return s
}

// outputSQL is a value's text output (the type's output function), in
// the session's styles.
func outputSQL(e *expr) string {
	if TextHeld(e.typ.OID) || enumLike(e.typ) != nil || isComposite(e.typ) {
		return e.sql
	}
	switch e.typ.OID {
	case OIDText, OIDVarchar, OIDName, OIDChar, OpaqueOID, OIDUnknown, OIDJSON, OIDJSONB:
		return e.sql
	case OIDInt2, OIDInt4, OIDInt8, OIDOID:
		return "CAST(" + e.sql + " AS VARCHAR)"
	case OIDNumeric:
		return textNum(e)
	case OIDBool:
		return "CASE WHEN " + e.sql + " THEN 't' WHEN NOT " + e.sql + " THEN 'f' END"
	case OIDUUID:
		return "CAST(" + e.sql + " AS VARCHAR)"
	case OIDBPChar:
		if n := charLen(e.typ); n > 0 {
			return "hd_bpchar_pad(" + e.sql + ", " + strconv.Itoa(n) + ")"
		}
		return e.sql
	case OIDInt2Vector, OIDOIDVector:
		return "array_to_string(" + e.sql + ", ' ')"
	}
	return "hd_out(" + e.sql + ", " + sqlString(typeDesc(e.typ, e.fields)) + ", " + styleMarker + ")"
}

// coerceBool coerces a condition to boolean (coerce_to_boolean).
func (l *level) coerceBool(e *expr, what string) (*expr, error) {
	if e.typ.OID == OIDBool && !e.unknown {
		return e, nil
	}
	if e.unknown {
		return l.coerceTo(e, TBool, numForm{}, ccImplicit, what)
	}
	if k, _ := findPathway(OIDBool, e.typ.OID, ccImplicit); k == pathNone {
		return nil, l.a.errAt(e.loc, "42804", "argument of %s must be type boolean, not type %s", what, e.typ.Name())
	}
	return l.coerceTo(e, TBool, numForm{}, ccImplicit, what)
}

// coerceTo converts e to type t (engine form nf for numerics) in a
// coercion context, as coerce_to_target_type does: literals are read by
// the type's input function now, parameters take the type, values go
// through the cast PostgreSQL would pick.
func (l *level) coerceTo(e *expr, t Type, nf numForm, cc coercionContext, what string) (*expr, error) {
	if e.dom.OID != 0 {
		// A domain's value becomes a value of its base type.
		c := *e
		c.dom = Type{}
		e = &c
	}
	if t.OID == OIDNumeric && nf != numAny && !nf.fixed && numFormOf(t).fixed && cc != ccImplicit {
		nf = numFormOf(t)
	}
	if t.OID != OIDNumeric {
		nf = numForm{}
	}
	if t.OID == OIDAny || t.IsPolymorphic() {
		if e.unknown {
			return l.coerceTo(e, TText, numForm{}, cc, what)
		}
		return e, nil
	}
	if e.unknown {
		return l.coerceUnknown(e, t, nf, cc)
	}
	src := e.typ
	if src.OID == t.OID {
		if t.OID == OIDNumeric && t.Mod >= 0 && src.Mod != t.Mod {
			return l.typmodCoerce(e, t, cc) // it chooses the form
		}
		out, err := l.retypeNumeric(e, t, nf)
		if err != nil {
			return nil, err
		}
		return l.typmodCoerce(out, t, cc)
	}
	if src.OID == OIDRecord && t.OID == OIDRecord {
		return e, nil
	}
	kind, cast := findPathway(t.OID, src.OID, cc)
	if kind == pathNone {
		if cc == ccExplicit {
			return nil, l.a.errAt(e.loc, "42846", "cannot cast type %s to %s", src.Name(), t.Name())
		}
		if what != "" {
			return nil, l.a.errAt(e.loc, "42804", "%s types %s and %s cannot be matched", what, Type{src.OID, -1}.Name(), Type{t.OID, -1}.Name())
		}
		return nil, l.a.errAt(e.loc, "42804", "cannot coerce type %s to %s", src.Name(), t.Name())
	}
	var out *expr
	var err error
	if kind == pathFunc && t.OID == OIDBit && (src.OID == OIDInt4 || src.OID == OIDInt8) {
		// bitfromint4/bitfromint8 take the target's length themselves.
		bits := map[uint32]string{OIDInt4: "32", OIDInt8: "64"}[src.OID]
		out = &expr{typ: t, sql: "hd_int_to_bit(CAST(" + e.sql + " AS BIGINT), " + bits + ", " + strconv.Itoa(int(t.Mod)) + ")"}
		out.merge(e)
		out.constant = e.constant
		out.loc = e.loc
		return out, nil
	}
	switch kind {
	case pathRelabel:
		out, err = l.relabel(e, t, nf)
	case pathFunc:
		out, err = l.castFunc(e, Type{t.OID, -1}, nf, cast)
	case pathViaIO:
		out, err = l.castViaIO(e, Type{t.OID, -1}, nf)
	case pathArray:
		out, err = l.castArray(e, t, cc)
	}
	if err != nil {
		return nil, err
	}
	out.merge(e)
	out.constant = e.constant
	out.loc = e.loc
	if t.OID == OIDNumeric && nf != numAny && out.num != nf && t.Mod < 0 {
		if out, err = l.retypeNumeric(out, Type{OIDNumeric, -1}, nf); err != nil {
			return nil, err
		}
	}
	return l.typmodCoerce(out, t, cc)
}

// retypeNumeric converts between numeric engine forms.
func (l *level) retypeNumeric(e *expr, t Type, nf numForm) (*expr, error) {
	out := *e
	out.typ = Type{t.OID, e.typ.Mod}
	if t.OID != OIDNumeric || e.num == nf || nf == numAny {
		return &out, nil
	}
	out.num = nf
	switch {
	case !nf.fixed && e.num.fixed:
		out.sql = decimalText(e.sql, e.num)
	case nf.fixed && e.num.fixed:
		if nf.s < e.num.s {
			return nil, internal("narrowing numeric form %v to %v", e.num, nf)
		}
		out.sql = "CAST(" + e.sql + " AS DECIMAL(" + strconv.Itoa(nf.p) + "," + strconv.Itoa(nf.s) + "))"
	case nf.fixed && !e.num.fixed:
		// Text to DECIMAL: exact only when the value has at most that
		// scale; rounding to a typmod is typmodCoerce's job.
		out.sql = "hd_num_to_decimal(" + e.sql + ", " + strconv.Itoa(nf.p) + ", " + strconv.Itoa(nf.s) + ")"
		out.sql = "CAST(" + out.sql + " AS DECIMAL(" + strconv.Itoa(nf.p) + "," + strconv.Itoa(nf.s) + "))"
	}
	return &out, nil
}

// relabel is a binary-coercible conversion: the value does not change,
// though the engine type may.
func (l *level) relabel(e *expr, t Type, nf numForm) (*expr, error) {
	out := &expr{typ: Type{t.OID, -1}, num: nf, sql: e.sql}
	if t.OID == OIDNumeric {
		out.num = e.num
	}
	src, err1 := engineType(e.typ, e.num)
	dst, err2 := engineType(t, out.num)
	if err2 != nil {
		return nil, l.a.at(pgerr.As(err2), e.loc)
	}
	if err1 == nil && src != dst {
		out.sql = "CAST(" + e.sql + " AS " + dst + ")"
	}
	if e.typ.OID == OIDCidr && t.OID == OIDInet {
		// The same value prints otherwise as an inet (no /32).
		out.sql = "hd_inet_f(" + e.sql + ", 'inet')"
	}
	if e.typ.OID == OIDBPChar && (t.OID == OIDText || t.OID == OIDVarchar) {
		// character(n) compares and converts without its padding, which
		// the cache never stores.
		out.sql = e.sql
	}
	return out, nil
}

// castViaIO converts through text: the source's output function, then
// the target's input function.
func (l *level) castViaIO(e *expr, t Type, nf numForm) (*expr, error) {
	text := l.a.output(e)
	out := &expr{typ: t, num: nf}
	if info := enumLike(t); info != nil {
		out.sql = enumInputSQL(info, text)
		return out, nil
	}
	if t.Category() == 'S' || t.OID == OpaqueOID {
		out.sql = text
		if t.OID == OIDBPChar {
			out.sql = "rtrim(" + text + ", ' ')"
		}
		return out, nil
	}
	in, nfo, err := inputSQL(text, t)
	if err != nil {
		return nil, l.a.at(pgerr.As(err), e.loc)
	}
	out.sql, out.num = in, nfo
	return out, nil
}

// inputSQL reads text as type t at run time (the type's input function).
func inputSQL(text string, t Type) (string, numForm, error) {
	if info := enumLike(t); info != nil {
		return enumInputSQL(info, text), numForm{}, nil
	}
	switch t.OID {
	case OIDText, OIDVarchar, OIDName, OpaqueOID:
		return text, numForm{}, nil
	case OIDBPChar:
		return "rtrim(" + text + ", ' ')", numForm{}, nil
	case OIDChar:
		return "hd_in_char(" + text + ")", numForm{}, nil
	case OIDNumeric:
		return "hd_in_numeric(" + text + ")", numText, nil
	case OIDInt2, OIDInt4, OIDInt8, OIDFloat4, OIDFloat8, OIDBool, OIDDate, OIDTime, OIDTimestamp, OIDTimestamptz,
		OIDInterval, OIDUUID, OIDJSON, OIDJSONB, OIDBytea, OIDOID,
		OIDInet, OIDCidr, OIDMoney, OIDBit, OIDVarbit, OIDTimetz:
		name := typeByOID[t.OID].name
		return "hd_in_" + name + "(" + text + ", " + styleMarker + ")", numForm{}, nil
	}
	return "", numForm{}, unsupported("reading text as type %s is not supported by Hotdata's cache engine", t.Name())
}

// castFunc applies a pg_cast function.
func (l *level) castFunc(e *expr, t Type, nf numForm, c *castRow) (*expr, error) {
	key := typeByOID[e.typ.OID].name + "->" + typeByOID[t.OID].name
	impl := castImpls[key]
	if impl == nil {
		return nil, l.a.unsupportedAt(e.loc, "the cast from %s to %s is not supported by Hotdata's cache engine", Type{e.typ.OID, -1}.Name(), t.Name())
	}
	out := &expr{typ: t, num: nf}
	sql, onum, err := impl(l, e, t)
	if err != nil {
		return nil, l.a.at(pgerr.As(err), e.loc)
	}
	out.sql = sql
	if t.OID == OIDNumeric {
		out.num = onum
	}
	return out, nil
}

// castArray converts an array element by element.
func (l *level) castArray(e *expr, t Type, cc coercionContext) (*expr, error) {
	elem := &expr{typ: e.typ.Elem(), sql: "hd_e"}
	elem.typ.Mod = -1
	if elem.typ.OID == OIDNumeric {
		elem.num = e.num
	}
	te := t.Elem()
	if isRegType(elem.typ.OID) && te.Category() == 'S' && l.a.env.RegOutput != nil {
		// reg values print as names: the catalog's array output (its
		// lookups cannot run in a lambda).
		l.a.catalog = true
		return &expr{typ: t, sql: l.a.env.RegOutput(e.typ, e.sql)}, nil
	}
	ce, err := l.coerceTo(elem, te, numFormOf(te), cc, "")
	if err != nil {
		return nil, err
	}
	out := &expr{typ: t, num: ce.num}
	out.sql = "list_transform(" + e.sql + ", lambda hd_e: " + ce.sql + ")"
	return out, nil
}

// typmodCoerce applies a type modifier (coerce_type_typmod): varchar(n)
// truncates on explicit casts, numeric(p,s) rounds, timestamp(p) rounds.
func (l *level) typmodCoerce(e *expr, t Type, cc coercionContext) (*expr, error) {
	if t.Mod < 0 || e.typ.Mod == t.Mod && e.typ.OID == t.OID {
		if t.Mod < 0 && e.typ.OID == t.OID {
			out := *e
			out.typ.Mod = e.typ.Mod
			if cc == ccExplicit && e.typ.Mod >= 0 {
				out.typ.Mod = -1
			}
			return &out, nil
		}
		return e, nil
	}
	out := *e
	out.typ = t
	out.col = nil
	switch t.OID {
	case OIDVarchar:
		n := charLen(t)
		if cc == ccExplicit {
			out.sql = "left(" + e.sql + ", " + strconv.Itoa(n) + ")"
		} else {
			out.sql = "hd_check_len(" + e.sql + ", " + strconv.Itoa(n) + ", " + sqlString(fmt.Sprintf("value too long for type character varying(%d)", n)) + ")"
		}
	case OIDBPChar:
		n := charLen(t)
		if cc == ccExplicit {
			out.sql = "rtrim(left(" + e.sql + ", " + strconv.Itoa(n) + "), ' ')"
		} else {
			out.sql = "rtrim(hd_check_len(rtrim(" + e.sql + ", ' '), " + strconv.Itoa(n) + ", " + sqlString(fmt.Sprintf("value too long for type character(%d)", n)) + "), ' ')"
		}
	case OIDNumeric:
		p, s, _ := numericPS(t.Mod)
		if p > maxDecimal || s < 0 || s > p {
			// Round to the scale, check the precision, keep text.
			out.sql = "hd_num_typmod(" + textNum(e) + ", " + strconv.Itoa(p) + ", " + strconv.Itoa(s) + ")"
			out.num = numText
			break
		}
		out.num = fixedNum(p, s)
		if e.num.fixed {
			// Round half away from zero to the scale; a value that
			// does not fit the precision fails (22003) in the cast.
			out.sql = "CAST(round(" + e.sql + ", " + strconv.Itoa(s) + ") AS DECIMAL(" + strconv.Itoa(p) + "," + strconv.Itoa(s) + "))"
		} else {
			out.sql = "CAST(hd_num_typmod(" + e.sql + ", " + strconv.Itoa(p) + ", " + strconv.Itoa(s) + ") AS DECIMAL(" + strconv.Itoa(p) + "," + strconv.Itoa(s) + "))"
		}
	case OIDTimestamp, OIDTimestamptz, OIDTime:
		if t.Mod < 6 {
			fn := map[uint32]string{OIDTimestamp: "hd_round_ts", OIDTimestamptz: "hd_round_tstz", OIDTime: "hd_round_time"}[t.OID]
			out.sql = fn + "(" + e.sql + ", " + strconv.Itoa(int(t.Mod)) + ")"
		}
	case OIDInterval:
		out.sql = "hd_interval_typmod(" + e.sql + ", " + strconv.Itoa(int(t.Mod)) + ")"
	case OIDBit, OIDVarbit, OIDTimetz:
		out.sql, _ = netTypmod(e, t, cc)
	default:
		if t.IsArray() {
			elem := &expr{typ: Type{t.Elem().OID, -1}, sql: "hd_e", num: e.num}
			ce, err := l.typmodCoerce(elem, t.Elem(), cc)
			if err != nil {
				return nil, err
			}
			if ce.sql != "hd_e" {
				out.sql = "list_transform(" + e.sql + ", lambda hd_e: " + ce.sql + ")"
			}
			out.num = ce.num
		}
	}
	return &out, nil
}

// textNum is a numeric expression in text form.
func textNum(e *expr) string {
	if e.num.fixed {
		return decimalText(e.sql, e.num)
	}
	return e.sql
}

// decimalText is a DECIMAL's text as numeric_out prints it: the engine
// leaves out the 0 before the point of a DECIMAL(p,p).
func decimalText(sql string, n numForm) string {
	if n.p > n.s {
		return "CAST(" + sql + " AS VARCHAR)"
	}
	return "hd_dec_text(" + sql + ")"
}

// coerceUnknown types a literal, NULL or parameter whose type the context
// decides.
func (l *level) coerceUnknown(e *expr, t Type, nf numForm, cc coercionContext) (*expr, error) {
	if t.OID == OIDUnknown {
		t = TText
	}
	switch {
	case e.null:
		out := &expr{typ: t, num: nf, sql: nullOf(t, nf), constant: true, null: false, nullConst: true, loc: e.loc}
		if t.OID == OIDNumeric && !nf.fixed {
			out.sql = "CAST(NULL AS VARCHAR)"
		}
		return out, nil
	case e.param > 0:
		if l.a.params[e.param-1].OID == 0 {
			l.a.params[e.param-1] = Type{t.OID, -1}
		}
		p, err := l.typedParam(e.param, l.a.params[e.param-1], e.loc)
		if err != nil {
			return nil, err
		}
		if p.typ.OID != t.OID {
			return l.coerceTo(p, t, nf, cc, "")
		}
		if t.OID == OIDNumeric {
			return l.retypeNumeric(p, t, nf)
		}
		return l.typmodCoerce(p, t, cc)
	case e.placeholder:
		// A string constant known only by its text, which replaces e.sql:
		// only the string types read it without converting it.
		out := &expr{typ: t, sql: e.sql, constant: true, loc: e.loc, placeholder: true, lit: e.lit}
		switch t.OID {
		case OIDText, OIDVarchar, OpaqueOID:
		case OIDBPChar:
			out.sql = "rtrim(" + e.sql + ", ' ')"
		default:
			l.a.uncacheable = true
			out.typ = TText
		}
		return l.typmodCoerce(out, t, cc)
	case e.lit != nil:
		out, err := l.inputLiteral(*e.lit, t, e.loc)
		if err != nil {
			return nil, err
		}
		out.constant, out.loc = true, e.loc
		out.lit = e.lit
		if t.OID == OIDNumeric && nf != numAny && out.num != nf {
			if ret, err := l.retypeNumericLiteral(out, nf); err == nil {
				out = ret
			}
		}
		return l.typmodCoerce(out, t, cc)
	}
	return nil, internal("unknown expression without value")
}

// retypeNumericLiteral gives a numeric literal another engine form.
func (l *level) retypeNumericLiteral(e *expr, nf numForm) (*expr, error) {
	if !nf.fixed {
		out := *e
		out.num = numText
		out.sql = textNum(e)
		return &out, nil
	}
	if e.num.fixed && nf.s >= e.num.s && nf.p-nf.s >= e.num.p-e.num.s {
		return l.retypeNumeric(e, TNumeric, nf)
	}
	return e, nil
}

// output is a value's text output, with OID alias types printed as names.
func (a *analyzer) output(e *expr) string {
	if (isRegType(e.typ.OID) || e.typ.IsArray() && isRegType(e.typ.Elem().OID)) && a.env.RegOutput != nil {
		a.catalog = true
		return a.env.RegOutput(e.typ, e.sql)
	}
	return outputSQL(e)
}

package translate

import (
	"strconv"

	"github.com/hotdata-dev/hotdata/pgval"
)

// inet, cidr, money, bit, bit varying and time with time zone. The
// engine holds their values as PostgreSQL's text output (TextHeld);
// the hd_inet_*, hd_cash_*, hd_bit_* and hd_timetz_* functions read
// that text and compute as PostgreSQL does. Equal values have equal
// text, so equality is the text's; ordering goes through sortKey.

// netLiteral reads a literal of one of these types at planning time
// (the type's input function); ok is false for other types.
func (a *analyzer) netLiteral(s string, t Type) (string, bool, error) {
	var out string
	var err error
	switch t.OID {
	case OIDInet, OIDCidr:
		var ip pgval.Inet
		ip, err = pgval.ParseInet(s, t.OID == OIDCidr)
		out = ip.Format(t.OID == OIDCidr)
	case OIDMoney:
		var c int64
		c, err = pgval.ParseMoney(s)
		out = pgval.FormatMoney(c)
	case OIDBit, OIDVarbit:
		// coerce_type reads the literal with typmod -1; the length
		// coercion (typmodCoerce) then pads or truncates an explicit cast.
		out, err = pgval.ParseBit(s, -1, t.OID == OIDVarbit)
	case OIDTimetz:
		var tz pgval.Timetz
		tz, err = pgval.ParseTimetz(s, a.style(), a.clock)
		if err == nil && t.Mod >= 0 && t.Mod < 6 {
			tz.Time = pgval.RoundTimestamp(tz.Time, int(t.Mod))
		}
		out = tz.String()
	default:
		return "", false, nil
	}
	if err != nil {
		return "", true, err
	}
	return sqlString(out), true, nil
}

// netSortKey is the engine expression that orders values of these
// types as PostgreSQL does ("" for bit strings, whose text orders so).
func netSortKey(e *expr) string {
	switch e.typ.OID {
	case OIDInet, OIDCidr:
		return "hd_inet_f(" + e.sql + ", 'key')"
	case OIDMoney:
		return "hd_cash_key(" + e.sql + ")"
	case OIDTimetz:
		return "hd_timetz_key(" + e.sql + ")"
	}
	return ""
}

// netTypmod applies bit(n), varbit(n) and timetz(p) (their length
// coercion functions).
func netTypmod(e *expr, t Type, cc coercionContext) (string, bool) {
	switch t.OID {
	case OIDBit, OIDVarbit:
		return "hd_bit_typmod(" + e.sql + ", " + strconv.Itoa(int(t.Mod)) + ", " + strconv.FormatBool(cc == ccExplicit) + ", " +
			strconv.FormatBool(t.OID == OIDVarbit) + ")", true
	case OIDTimetz:
		if t.Mod < 6 {
			return "hd_timetz_typmod(" + e.sql + ", " + strconv.Itoa(int(t.Mod)) + ")", true
		}
		return e.sql, true
	}
	return "", false
}

// keyCompare compares two values by their sort keys.
func keyCompare(key func(string) string, op string) *Impl {
	return &Impl{Build: func(c *Call) (string, error) {
		return "(" + key(c.Args[0]) + " " + op + " " + key(c.Args[1]) + ")", nil
	}}
}

func init() {
	m := map[string]*Impl{}
	s := func(key, sql string) { m[key] = &Impl{SQL: sql} }
	inetKey := func(x string) string { return "hd_inet_f(" + x + ", 'key')" }
	cashKey := func(x string) string { return "hd_cash_key(" + x + ")" }
	ttzKey := func(x string) string { return "hd_timetz_key(" + x + ")" }
	cmp := []struct{ suffix, op string }{{"eq", "="}, {"ne", "<>"}, {"lt", "<"}, {"le", "<="}, {"gt", ">"}, {"ge", ">="}}
	for _, c := range cmp {
		if c.suffix == "eq" || c.suffix == "ne" {
			// Equal values have equal text.
			s("network_"+c.suffix+"(inet,inet)", "($1 "+c.op+" $2)")
			s("cash_"+c.suffix+"(money,money)", "($1 "+c.op+" $2)")
			s("timetz_"+c.suffix+"(timetz,timetz)", "($1 "+c.op+" $2)")
		} else {
			m["network_"+c.suffix+"(inet,inet)"] = keyCompare(inetKey, c.op)
			m["cash_"+c.suffix+"(money,money)"] = keyCompare(cashKey, c.op)
			m["timetz_"+c.suffix+"(timetz,timetz)"] = keyCompare(ttzKey, c.op)
		}
		// Bit strings' text orders as bitcmp does.
		s("bit"+c.suffix+"(bit,bit)", "($1 "+c.op+" $2)")
		s("varbit"+c.suffix+"(varbit,varbit)", "($1 "+c.op+" $2)")
	}
	s("network_cmp(inet,inet)", "CAST(sign(CAST(hd_inet_f($1, 'key') > hd_inet_f($2, 'key') AS INTEGER) - CAST(hd_inet_f($1, 'key') < hd_inet_f($2, 'key') AS INTEGER)) AS INTEGER)")
	// inet and cidr.
	for _, f := range []string{"host", "abbrev", "broadcast", "netmask", "hostmask", "network"} {
		s(f+"(inet)", "hd_inet_f($1, '"+f+"')")
	}
	s("abbrev(cidr)", "hd_inet_f($1, 'abbrev_cidr')")
	s("text(inet)", "hd_inet_f($1, 'show')")
	s("cidr(inet)", "hd_inet_f($1, 'cidr')")
	s("masklen(inet)", "hd_inet_i($1, 'masklen')")
	s("family(inet)", "hd_inet_i($1, 'family')")
	s("set_masklen(inet,int4)", "hd_inet_setmasklen($1, $2, false)")
	s("set_masklen(cidr,int4)", "hd_inet_setmasklen($1, $2, true)")
	s("inet_same_family(inet,inet)", "hd_inet_b($1, $2, 'same_family')")
	s("inet_merge(inet,inet)", "hd_inet_2($1, $2, 'merge')")
	for op, f := range map[string]string{"sub": "network_sub", "subeq": "network_subeq", "sup": "network_sup", "supeq": "network_supeq", "overlap": "network_overlap"} {
		s(f+"(inet,inet)", "hd_inet_b($1, $2, '"+op+"')")
	}
	s("inetnot(inet)", "hd_inet_f($1, 'not')")
	s("inetand(inet,inet)", "hd_inet_2($1, $2, 'and')")
	s("inetor(inet,inet)", "hd_inet_2($1, $2, 'or')")
	s("inetpl(inet,int8)", "hd_inet_pl($1, $2)")
	s("int8pl_inet(int8,inet)", "hd_inet_pl($2, $1)")
	s("inetmi_int8(inet,int8)", "hd_inet_mi_int($1, $2)")
	s("inetmi(inet,inet)", "hd_inet_mi($1, $2)")
	// money.
	s("cash_pl(money,money)", "hd_cash_pl($1, $2)")
	s("cash_mi(money,money)", "hd_cash_mi($1, $2)")
	for _, t := range []string{"int2", "int4", "int8"} {
		s("cash_mul_"+t+"(money,"+t+")", "hd_cash_mul_int($1, CAST($2 AS BIGINT))")
		s(t+"_mul_cash("+t+",money)", "hd_cash_mul_int($2, CAST($1 AS BIGINT))")
		s("cash_div_"+t+"(money,"+t+")", "hd_cash_div_int($1, CAST($2 AS BIGINT))")
	}
	for _, t := range []string{"flt4", "flt8"} {
		ft := map[string]string{"flt4": "float4", "flt8": "float8"}[t]
		s("cash_mul_"+t+"(money,"+ft+")", "hd_cash_mul_flt($1, CAST($2 AS DOUBLE))")
		s(t+"_mul_cash("+ft+",money)", "hd_cash_mul_flt($2, CAST($1 AS DOUBLE))")
		s("cash_div_"+t+"(money,"+ft+")", "hd_cash_div_flt($1, CAST($2 AS DOUBLE))")
	}
	s("cash_div_cash(money,money)", "hd_cash_div_cash($1, $2)")
	s("cashlarger(money,money)", "CASE WHEN hd_cash_key($1) > hd_cash_key($2) THEN $1 ELSE $2 END")
	s("cashsmaller(money,money)", "CASE WHEN hd_cash_key($1) < hd_cash_key($2) THEN $1 ELSE $2 END")
	s("cash_words(money)", "hd_cash_words($1)")
	m["cash_cmp(money,money)"] = &Impl{Build: func(c *Call) (string, error) {
		return "CAST(sign(hd_cash_key(" + c.Args[0] + ") - hd_cash_key(" + c.Args[1] + ")) AS INTEGER)", nil
	}}
	// bit strings.
	s("bitand(bit,bit)", "hd_bit_op($1, $2, 'and')")
	s("bitor(bit,bit)", "hd_bit_op($1, $2, 'or')")
	s("bitxor(bit,bit)", "hd_bit_op($1, $2, 'xor')")
	s("bitnot(bit)", "hd_bit_not($1)")
	s("bitshiftleft(bit,int4)", "hd_bit_shl($1, $2)")
	s("bitshiftright(bit,int4)", "hd_bit_shr($1, $2)")
	s("bitcat(varbit,varbit)", "($1 || $2)")
	s("length(bit)", "CAST(length($1) AS INTEGER)")
	s("bit_length(bit)", "CAST(length($1) AS INTEGER)")
	s("octet_length(bit)", "CAST((length($1) + 7) // 8 AS INTEGER)")
	s("bit_count(bit)", "hd_bit_count($1)")
	s("position(bit,bit)", "hd_bit_position($1, $2)")
	s("substring(bit,int4,int4)", "hd_bit_substr($1, $2, $3)")
	s("substring(bit,int4)", "hd_bit_substr1($1, $2)")
	s("overlay(bit,bit,int4,int4)", "hd_bit_overlay($1, $2, $3, $4)")
	s("overlay(bit,bit,int4)", "hd_bit_overlay($1, $2, $3, CAST(length($2) AS INTEGER))")
	s("get_bit(bit,int4)", "hd_bit_get($1, $2)")
	s("set_bit(bit,int4,int4)", "hd_bit_set($1, $2, $3)")
	s("bitcmp(bit,bit)", "hd_bit_cmp($1, $2)")
	s("varbitcmp(varbit,varbit)", "hd_bit_cmp($1, $2)")
	// time with time zone.
	for _, k := range []string{"extract", "date_part"} {
		k := k
		m[k+"(text,timetz)"] = &Impl{Build: func(c *Call) (string, error) {
			if k == "extract" {
				c.num = numText
				return "hd_extract_timetz(lower(" + c.Args[0] + "), " + c.Args[1] + ")", nil
			}
			return "hd_date_part_timetz(lower(" + c.Args[0] + "), " + c.Args[1] + ")", nil
		}}
	}
	s("timetz_pl_interval(timetz,interval)", "hd_timetz_pl($1, $2, 1)")
	s("interval_pl_timetz(interval,timetz)", "hd_timetz_pl($2, $1, 1)")
	s("timetz_mi_interval(timetz,interval)", "hd_timetz_pl($1, $2, -1)")
	s("timetz_larger(timetz,timetz)", "CASE WHEN hd_timetz_key($1) > hd_timetz_key($2) THEN $1 ELSE $2 END")
	s("timetz_smaller(timetz,timetz)", "CASE WHEN hd_timetz_key($1) < hd_timetz_key($2) THEN $1 ELSE $2 END")
	s("timetz_cmp(timetz,timetz)", "CAST(sign(hd_timetz_key($1) - hd_timetz_key($2)) AS INTEGER)")
	dateTimetz := "CASE WHEN NOT isfinite($1) THEN CAST(CASE WHEN $1 > DATE '1970-01-01' THEN 'infinity' ELSE '-infinity' END AS TIMESTAMPTZ) ELSE hd_date_timetz($1, $2) END"
	s("datetimetz_pl(date,timetz)", dateTimetz)
	s("timestamptz(date,timetz)", dateTimetz)
	s("timetzdate_pl(timetz,date)", "CASE WHEN NOT isfinite($2) THEN CAST(CASE WHEN $2 > DATE '1970-01-01' THEN 'infinity' ELSE '-infinity' END AS TIMESTAMPTZ) ELSE hd_date_timetz($2, $1) END")
	m["timezone(text,timetz)"] = &Impl{SQL: "hd_timetz_at($2, hd_at_zone($1), CAST(" + SessionMarker("now") + " AS TIMESTAMPTZ))"}
	s("timezone(interval,timetz)", "hd_timetz_izone($2, $1)")
	s("time(timetz)", "hd_timetz_time($1)")
	s("timetz(timestamptz)", "hd_tstz_timetz($1, $tz)")
	m["timetz(time)"] = &Impl{SQL: "hd_time_timetz($1, $tz, CAST(" + SessionMarker("now") + " AS TIMESTAMPTZ))"}
	// Aggregates.
	keyed := func(f, key string) *Impl {
		return &Impl{Agg: func(c *Call, agg func(string, ...string) string) (string, error) {
			return agg("arg_"+f, c.Args[0], key+"("+c.Args[0]+")"), nil
		}}
	}
	for _, f := range []string{"min", "max"} {
		m[f+"(inet)"] = &Impl{Agg: func(c *Call, agg func(string, ...string) string) (string, error) {
			return agg("arg_"+f, c.Args[0], "hd_inet_f("+c.Args[0]+", 'key')"), nil
		}}
		m[f+"(money)"] = keyed(f, "hd_cash_key")
		m[f+"(timetz)"] = keyed(f, "hd_timetz_key")
		m[f+"(time)"] = aggSQL(f, "")
	}
	m["sum(money)"] = &Impl{Agg: func(c *Call, agg func(string, ...string) string) (string, error) {
		return "hd_cash_sum(" + agg("list", c.Args[0]) + ")", nil
	}}
	for _, f := range []string{"and", "or", "xor"} {
		f := f
		m["bit_"+f+"(bit)"] = &Impl{Agg: func(c *Call, agg func(string, ...string) string) (string, error) {
			return "hd_bit_agg(" + agg("list", c.Args[0]) + ", '" + f + "')", nil
		}}
	}
	for _, t := range []string{"int2", "int4", "int8"} {
		m["bit_xor("+t+")"] = aggSQL("bit_xor", "")
	}
	register(m)

	// Casts.
	cast := func(key, tmpl string) { castImpls[key] = tzCast(tmpl) }
	cast("inet->cidr", "hd_inet_f($1, 'cidr')")
	cast("inet->text", "hd_inet_f($1, 'show')")
	cast("inet->varchar", "hd_inet_f($1, 'show')")
	cast("inet->bpchar", "hd_inet_f($1, 'show')")
	cast("cidr->text", "hd_inet_f($1, 'show')")
	cast("cidr->varchar", "hd_inet_f($1, 'show')")
	cast("cidr->bpchar", "hd_inet_f($1, 'show')")
	cast("int4->money", "hd_int_cash(CAST($1 AS BIGINT))")
	cast("int8->money", "hd_int_cash($1)")
	castImpls["numeric->money"] = func(l *level, e *expr, t Type) (string, numForm, error) {
		return "hd_numeric_cash(" + textNum(e) + ")", numForm{}, nil
	}
	castImpls["money->numeric"] = func(l *level, e *expr, t Type) (string, numForm, error) {
		return "CAST(hd_cash_numeric(" + e.sql + ") AS DECIMAL(20,2))", fixedNum(20, 2), nil
	}
	cast("int4->bit", "hd_int_to_bit(CAST($1 AS BIGINT), 32, -1)")
	cast("int8->bit", "hd_int_to_bit($1, 64, -1)")
	cast("bit->int4", "CAST(hd_bit_to_int($1, 32) AS INTEGER)")
	cast("bit->int8", "hd_bit_to_int($1, 64)")
	cast("time->timetz", "hd_time_timetz($1, $tz, CAST("+SessionMarker("now")+" AS TIMESTAMPTZ))")
	cast("timestamptz->timetz", "hd_tstz_timetz($1, $tz)")
	cast("timetz->time", "hd_timetz_time($1)")
	cast("interval->time", "hd_interval_time($1)")
}

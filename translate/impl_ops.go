package translate

import (
	"strconv"
	"strings"
)

// Comparison, arithmetic, text, date/time, bytea and array operators.

// compare renders a comparison; numerics of varying scale compare by
// their sort keys.
func compare(op string) *Impl {
	return &Impl{Build: func(c *Call) (string, error) {
		a, b := c.args[0], c.args[1]
		if a.typ.OID == OIDNumeric || b.typ.OID == OIDNumeric {
			if !a.num.fixed || !b.num.fixed {
				return "(hd_num_key(" + textNum(a) + ") " + op + " hd_num_key(" + textNum(b) + "))", nil
			}
		}
		return "(" + c.Args[0] + " " + op + " " + c.Args[1] + ")", nil
	}}
}

// tzCompare compares a date or timestamp with a timestamptz: the former
// is read in the session's time zone.
func tzCompare(op string, leftLocal bool, leftDate, rightDate bool) *Impl {
	return &Impl{Build: func(c *Call) (string, error) {
		l, r := c.Args[0], c.Args[1]
		conv := func(s string, isDate bool) string {
			if isDate {
				s = "CAST(" + s + " AS TIMESTAMP)"
			}
			return "hd_local_to_tstz(" + s + ", " + Marker("timezone") + ")"
		}
		if leftLocal {
			l = conv(l, leftDate)
		} else {
			r = conv(r, rightDate)
		}
		return "(" + l + " " + op + " " + r + ")", nil
	}}
}

var cmpOps = map[string]string{"eq": "=", "ne": "<>", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}

func init() {
	m := map[string]*Impl{}
	add := func(key string, impl *Impl) { m[key] = impl }
	// Same-type and cross-type comparisons the engine compares natively.
	for suffix, op := range cmpOps {
		for _, t := range []string{"bool", "int2", "int4", "int8", "float4", "float8", "oid", "name", "bpchar", "date", "time", "timestamp", "timestamptz", "interval", "uuid", "bytea", "char"} {
			add(t+suffix+"("+t+","+t+")", compare(op))
		}
		for _, pair := range [][2]string{{"int2", "int4"}, {"int4", "int2"}, {"int2", "int8"}, {"int8", "int2"}, {"int4", "int8"}, {"int8", "int4"}, {"float4", "float8"}, {"float8", "float4"}} {
			add(crossName(pair[0], pair[1])+suffix+"("+pair[0]+","+pair[1]+")", compare(op))
		}
		add("numeric_"+suffix+"(numeric,numeric)", compare(op))
		add("array_"+suffix+"(anyarray,anyarray)", compare(op))
		add("name"+suffix+"text(name,text)", compare(op))
		add("text"+suffix+"name(text,name)", compare(op))
		add("date_"+suffix+"_timestamp(date,timestamp)", compare(op))
		add("timestamp_"+suffix+"_date(timestamp,date)", compare(op))
		add("date_"+suffix+"_timestamptz(date,timestamptz)", tzCompare(op, true, true, false))
		add("timestamptz_"+suffix+"_date(timestamptz,date)", tzCompare(op, false, false, true))
		add("timestamp_"+suffix+"_timestamptz(timestamp,timestamptz)", tzCompare(op, true, false, false))
		add("timestamptz_"+suffix+"_timestamp(timestamptz,timestamp)", tzCompare(op, false, false, false))
	}
	// Names that do not follow the pattern above.
	for _, t := range []string{"date", "time", "timestamp", "timestamptz", "interval", "uuid"} {
		for suffix, op := range cmpOps {
			delete(m, t+suffix+"("+t+","+t+")")
			add(t+"_"+suffix+"("+t+","+t+")", compare(op))
		}
	}
	for suffix, op := range cmpOps {
		key := "text_" + suffix + "(text,text)"
		if suffix == "eq" || suffix == "ne" {
			key = "text" + suffix + "(text,text)"
		}
		add(key, compare(op))
		delete(m, "bytea"+suffix+"(bytea,bytea)")
		add("bytea"+suffix+"(bytea,bytea)", compare(op))
	}
	// text_pattern_* compare bytewise, as the engine always does.
	for _, s := range []string{"lt", "le", "ge", "gt"} {
		op := cmpOps[s]
		add("text_pattern_"+s+"(text,text)", compare(op))
		add("bpchar_pattern_"+s+"(bpchar,bpchar)", compare(op))
	}
	// Integer arithmetic: the engine checks overflow within the type.
	for _, t := range []string{"int2", "int4", "int8"} {
		add(t+"pl("+t+","+t+")", &Impl{SQL: "($1 + $2)"})
		add(t+"mi("+t+","+t+")", &Impl{SQL: "($1 - $2)"})
		add(t+"mul("+t+","+t+")", &Impl{SQL: "($1 * $2)"})
		add(t+"div("+t+","+t+")", &Impl{SQL: "hd_int_div($1, $2)"})
		add(t+"mod("+t+","+t+")", &Impl{SQL: "hd_int_mod($1, $2)"})
		add(t+"um("+t+")", &Impl{SQL: "(- $1)"})
		add(t+"up("+t+")", &Impl{SQL: "$1"})
		add(t+"abs("+t+")", &Impl{SQL: "abs($1)"})
		add(t+"and("+t+","+t+")", &Impl{SQL: "($1 & $2)"})
		add(t+"or("+t+","+t+")", &Impl{SQL: "($1 | $2)"})
		add(t+"xor("+t+","+t+")", &Impl{SQL: "xor($1, $2)"})
		add(t+"not("+t+")", &Impl{SQL: "(~ $1)"})
		// Shifts as C does them on x86: the count taken modulo the
		// width of the int (int2 is shifted as an int), the result
		// wrapped to the type.
		eng := map[string]string{"int2": "SMALLINT", "int4": "INTEGER", "int8": "BIGINT"}[t]
		mask := map[string]string{"int2": "31", "int4": "31", "int8": "63"}[t]
		shl := "hd_wrap(CAST($1 AS HUGEINT) << ($2 & " + mask + "), " + map[string]string{"int2": "32", "int4": "32", "int8": "64"}[t] + ")"
		if t == "int2" {
			shl = "hd_wrap(" + shl + ", 16)"
		}
		add(t+"shl("+t+",int4)", &Impl{SQL: "CAST(" + shl + " AS " + eng + ")"})
		add(t+"shr("+t+",int4)", &Impl{SQL: "CAST(CAST($1 AS BIGINT) >> ($2 & " + mask + ") AS " + eng + ")"})
	}
	for _, pair := range [][2]string{{"int2", "int4"}, {"int4", "int2"}, {"int2", "int8"}, {"int8", "int2"}, {"int4", "int8"}, {"int8", "int4"}} {
		n := crossName(pair[0], pair[1])
		args := "(" + pair[0] + "," + pair[1] + ")"
		// Computed in the wider type, as PostgreSQL's int24pl and
		// friends do (the engine would narrow a literal to SMALLINT).
		wide := "INTEGER"
		if pair[0] == "int8" || pair[1] == "int8" {
			wide = "BIGINT"
		}
		a, b := "CAST($1 AS "+wide+")", "CAST($2 AS "+wide+")"
		add(n+"pl"+args, &Impl{SQL: "(" + a + " + " + b + ")"})
		add(n+"mi"+args, &Impl{SQL: "(" + a + " - " + b + ")"})
		add(n+"mul"+args, &Impl{SQL: "(" + a + " * " + b + ")"})
		add(n+"div"+args, &Impl{SQL: "hd_int_div(" + a + ", " + b + ")"})
	}
	// Floats: PostgreSQL's overflow, underflow and division checks.
	for _, t := range []string{"float4", "float8"} {
		args := "(" + t + "," + t + ")"
		add(t+"pl"+args, &Impl{SQL: "hd_" + t + "_pl($1, $2)"})
		add(t+"mi"+args, &Impl{SQL: "hd_" + t + "_mi($1, $2)"})
		add(t+"mul"+args, &Impl{SQL: "hd_" + t + "_mul($1, $2)"})
		add(t+"div"+args, &Impl{SQL: "hd_" + t + "_div($1, $2)"})
		add(t+"um("+t+")", &Impl{SQL: "(- $1)"})
		add(t+"up("+t+")", &Impl{SQL: "$1"})
		add(t+"abs("+t+")", &Impl{SQL: "abs($1)"})
	}
	for _, pair := range [][2]string{{"float4", "float8"}, {"float8", "float4"}} {
		n := crossName(pair[0], pair[1])
		args := "(" + pair[0] + "," + pair[1] + ")"
		add(n+"pl"+args, &Impl{SQL: "hd_float8_pl(CAST($1 AS DOUBLE), CAST($2 AS DOUBLE))"})
		add(n+"mi"+args, &Impl{SQL: "hd_float8_mi(CAST($1 AS DOUBLE), CAST($2 AS DOUBLE))"})
		add(n+"mul"+args, &Impl{SQL: "hd_float8_mul(CAST($1 AS DOUBLE), CAST($2 AS DOUBLE))"})
		add(n+"div"+args, &Impl{SQL: "hd_float8_div(CAST($1 AS DOUBLE), CAST($2 AS DOUBLE))"})
	}
	add("dsqrt(float8)", &Impl{SQL: "hd_dsqrt($1)"})
	add("dcbrt(float8)", &Impl{SQL: "cbrt($1)"})
	add("dpow(float8,float8)", &Impl{SQL: "hd_dpow($1, $2)"})
	// Numerics.
	add("numeric_add(numeric,numeric)", numArith("+", "hd_num_add"))
	add("numeric_sub(numeric,numeric)", numArith("-", "hd_num_sub"))
	add("numeric_mul(numeric,numeric)", numArith("*", "hd_num_mul"))
	add("numeric_div(numeric,numeric)", numText2("hd_num_div"))
	add("numeric_mod(numeric,numeric)", numText2("hd_num_mod"))
	add("numeric_power(numeric,numeric)", numText2("hd_num_pow"))
	add("numeric_uminus(numeric)", numUnary("(- $1)", "hd_num_neg"))
	add("numeric_uplus(numeric)", numUnary("$1", ""))
	add("numeric_abs(numeric)", numUnary("abs($1)", "hd_num_abs"))
	// Booleans.
	add("boolne(bool,bool)", compare("<>"))
	// Text.
	add("textcat(text,text)", &Impl{SQL: "($1 || $2)"})
	add("textanycat(text,anynonarray)", &Impl{Build: func(c *Call) (string, error) {
		t, err := c.textOf(1)
		return "(" + c.Args[0] + " || " + t + ")", err
	}})
	add("anytextcat(anynonarray,text)", &Impl{Build: func(c *Call) (string, error) {
		t, err := c.textOf(0)
		return "(" + t + " || " + c.Args[1] + ")", err
	}})
	for _, t := range []string{"text", "bpchar", "name"} {
		args := "(" + t + ",text)"
		// A character(n) matches with its trailing blanks (bpcharlike,
		// bpcharregexeq): the cache keeps it without them.
		padded := func(tmpl string) *Impl {
			if t != "bpchar" {
				return &Impl{SQL: tmpl}
			}
			return &Impl{Build: func(c *Call) (string, error) {
				return expand(tmpl, append([]string{bpcharPadded(c.args[0], c.Args[0])}, c.Args[1:]...)), nil
			}}
		}
		add(t+"like"+args, padded("($1 LIKE $2 ESCAPE '\\')"))
		add(t+"nlike"+args, padded("($1 NOT LIKE $2 ESCAPE '\\')"))
		add(t+"iclike"+args, padded("hd_ilike($1, $2, '\\')"))
		add(t+"icnlike"+args, padded("(NOT hd_ilike($1, $2, '\\'))"))
		for _, op := range []struct {
			name          string
			negate, icase bool
		}{{"regexeq", false, false}, {"regexne", true, false}, {"icregexeq", false, true}, {"icregexne", true, true}} {
			m := regexMatch(op.negate, op.icase)
			if t == "bpchar" {
				build := m.Build
				m = &Impl{Build: func(c *Call) (string, error) {
					c.Args[0] = bpcharPadded(c.args[0], c.Args[0])
					return build(c)
				}}
			}
			add(t+op.name+args, m)
		}
	}
	add("starts_with(text,text)", &Impl{SQL: "starts_with($1, $2)"})
	// bytea.
	add("byteacat(bytea,bytea)", &Impl{SQL: "($1 || $2)"})
	// Dates and times.
	add("date_mi(date,date)", &Impl{SQL: "hd_date_mi($1, $2)"})
	add("date_pli(date,int4)", &Impl{SQL: "hd_date_pli($1, $2)"})
	add("integer_pl_date(int4,date)", &Impl{SQL: "hd_date_pli($2, $1)"})
	add("date_mii(date,int4)", &Impl{SQL: "hd_date_pli($1, - $2)"})
	add("date_pl_interval(date,interval)", &Impl{SQL: "hd_ts_pl_interval(CAST($1 AS TIMESTAMP), $2)"})
	add("interval_pl_date(interval,date)", &Impl{SQL: "hd_ts_pl_interval(CAST($2 AS TIMESTAMP), $1)"})
	add("date_mi_interval(date,interval)", &Impl{SQL: "hd_ts_pl_interval(CAST($1 AS TIMESTAMP), hd_interval_neg($2))"})
	add("datetime_pl(date,time)", &Impl{SQL: "CASE WHEN isfinite($1) THEN CAST($1 AS TIMESTAMP) + to_microseconds(CAST(epoch_us($2) AS BIGINT)) ELSE CAST($1 AS TIMESTAMP) END"})
	add("timedate_pl(time,date)", &Impl{SQL: "CASE WHEN isfinite($2) THEN CAST($2 AS TIMESTAMP) + to_microseconds(CAST(epoch_us($1) AS BIGINT)) ELSE CAST($2 AS TIMESTAMP) END"})
	add("timestamp_pl_interval(timestamp,interval)", &Impl{SQL: "hd_ts_pl_interval($1, $2)"})
	add("interval_pl_timestamp(interval,timestamp)", &Impl{SQL: "hd_ts_pl_interval($2, $1)"})
	add("timestamp_mi_interval(timestamp,interval)", &Impl{SQL: "hd_ts_pl_interval($1, hd_interval_neg($2))"})
	add("timestamptz_pl_interval(timestamptz,interval)", &Impl{SQL: "hd_tstz_pl_interval($1, $2, $tz)"})
	add("interval_pl_timestamptz(interval,timestamptz)", &Impl{SQL: "hd_tstz_pl_interval($2, $1, $tz)"})
	add("timestamptz_mi_interval(timestamptz,interval)", &Impl{SQL: "hd_tstz_pl_interval($1, hd_interval_neg($2), $tz)"})
	add("timestamp_mi(timestamp,timestamp)", &Impl{SQL: "hd_ts_mi($1, $2)"})
	add("timestamptz_mi(timestamptz,timestamptz)", &Impl{SQL: "hd_tstz_mi($1, $2)"})
	add("time_mi_time(time,time)", &Impl{SQL: "hd_time_mi($1, $2)"})
	add("time_pl_interval(time,interval)", &Impl{SQL: "hd_time_pl_interval($1, $2)"})
	add("interval_pl_time(interval,time)", &Impl{SQL: "hd_time_pl_interval($2, $1)"})
	add("time_mi_interval(time,interval)", &Impl{SQL: "hd_time_pl_interval($1, hd_interval_neg($2))"})
	add("interval_pl(interval,interval)", &Impl{SQL: "hd_interval_pl($1, $2)"})
	add("interval_mi(interval,interval)", &Impl{SQL: "hd_interval_pl($1, hd_interval_neg($2))"})
	add("interval_um(interval)", &Impl{SQL: "hd_interval_neg($1)"})
	add("interval_mul(interval,float8)", &Impl{SQL: "hd_interval_mul($1, $2)"})
	add("mul_d_interval(float8,interval)", &Impl{SQL: "hd_interval_mul($2, $1)"})
	add("interval_div(interval,float8)", &Impl{SQL: "hd_interval_div($1, $2)"})
	// Arrays.
	add("array_append(anycompatiblearray,anycompatible)", &Impl{SQL: "hd_array_append($1, $2)"})
	add("array_prepend(anycompatible,anycompatiblearray)", &Impl{SQL: "hd_array_prepend($1, $2)"})
	add("array_cat(anycompatiblearray,anycompatiblearray)", &Impl{SQL: "hd_array_cat($1, $2)"})
	add("arrayoverlap(anyarray,anyarray)", &Impl{SQL: "list_has_any($1, $2)"})
	add("arraycontains(anyarray,anyarray)", &Impl{SQL: "hd_array_contains($1, $2)"})
	add("arraycontained(anyarray,anyarray)", &Impl{SQL: "hd_array_contains($2, $1)"})
	register(m)
}

// crossName is the name stem of a cross-type operator function
// (int24, float48).
func crossName(a, b string) string {
	digit := func(t string) string { return strings.TrimLeft(t, "intfloa") }
	prefix := "int"
	if strings.HasPrefix(a, "float") {
		prefix = "float"
	}
	return prefix + digit(a) + digit(b)
}

// numArith renders +, - and * of numerics: in DECIMAL when both are and
// the result fits, else on PostgreSQL's text form.
func numArith(op, fn string) *Impl {
	return &Impl{Build: func(c *Call) (string, error) {
		a, b := c.args[0], c.args[1]
		if a.num.fixed && b.num.fixed {
			var p, s int
			if op == "*" {
				p, s = a.num.p+b.num.p, a.num.s+b.num.s
			} else {
				s = max(a.num.s, b.num.s)
				p = max(a.num.p-a.num.s, b.num.p-b.num.s) + s + 1
			}
			if p <= maxDecimal {
				c.num = fixedNum(p, s)
				return "CAST((" + c.Args[0] + " " + op + " " + c.Args[1] + ") AS DECIMAL(" + strconv.Itoa(p) + "," + strconv.Itoa(s) + "))", nil
			}
		}
		c.num = numText
		return fn + "(" + textNum(a) + ", " + textNum(b) + ")", nil
	}}
}

func numText2(fn string) *Impl {
	return &Impl{Build: func(c *Call) (string, error) {
		c.num = numText
		return fn + "(" + textNum(c.args[0]) + ", " + textNum(c.args[1]) + ")", nil
	}}
}

func numUnary(fixedSQL, fn string) *Impl {
	return &Impl{Build: func(c *Call) (string, error) {
		a := c.args[0]
		if a.num.fixed || fn == "" {
			c.num = a.num
			return expand(fixedSQL, c.Args), nil
		}
		c.num = numText
		return fn + "(" + a.sql + ")", nil
	}}
}

// textOf is argument i as the cast to text renders it.
func (c *Call) textOf(i int) (string, error) {
	a := c.args[i]
	if a.typ.OID == OIDText || a.typ.Category() == 'S' && a.typ.OID != OIDBPChar {
		return a.sql, nil
	}
	if isRegType(a.typ.OID) {
		return c.l.a.output(a), nil
	}
	e, err := c.l.coerceTo(a, TText, numForm{}, ccExplicit, "")
	if err != nil {
		return "", err
	}
	return e.sql, nil
}

// bpcharPadded is a character(n) value with its trailing blanks, as
// PostgreSQL's pattern matching on character(n) sees it.
func bpcharPadded(e *expr, sql string) string {
	if e.typ.Mod < 4 {
		return sql
	}
	return "rpad(" + sql + ", " + strconv.Itoa(int(e.typ.Mod-4)) + ", ' ')"
}

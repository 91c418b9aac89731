package translate

import (
	"strconv"
	"strings"
)

// Scalar functions: math, strings, regular expressions, bytea, arrays.

func init() {
	m := map[string]*Impl{}
	add := func(key string, impl *Impl) { m[key] = impl }
	s := func(key, sql string) { m[key] = &Impl{SQL: sql} }

	// Math on floats.
	for _, t := range []string{"float4", "float8"} {
		s("abs("+t+")", "abs($1)")
	}
	s("abs(int2)", "abs($1)")
	s("abs(int4)", "abs($1)")
	s("abs(int8)", "abs($1)")
	s("ceil(float8)", "ceil($1)")
	s("ceiling(float8)", "ceil($1)")
	s("floor(float8)", "floor($1)")
	s("round(float8)", "round_even($1, 0)")
	s("trunc(float8)", "trunc($1)")
	s("sign(float8)", "hd_float8_sign($1)")
	s("sqrt(float8)", "hd_dsqrt($1)")
	s("cbrt(float8)", "cbrt($1)")
	s("exp(float8)", "hd_dexp($1)")
	s("ln(float8)", "hd_dln($1)")
	s("log(float8)", "hd_dlog10($1)")
	s("log10(float8)", "hd_dlog10($1)")
	s("power(float8,float8)", "hd_dpow($1, $2)")
	s("pow(float8,float8)", "hd_dpow($1, $2)")
	s("pi()", "pi()")
	s("degrees(float8)", "hd_degrees($1)")
	s("radians(float8)", "hd_radians($1)")
	for _, f := range []string{"sin", "cos", "tan", "atan"} {
		s(f+"(float8)", f+"($1)")
	}
	s("asin(float8)", "hd_asin($1)")
	s("acos(float8)", "hd_acos($1)")
	s("atan2(float8,float8)", "atan2($1, $2)")
	for _, f := range []string{"sind", "cosd", "tand", "cotd", "asind", "acosd", "atand"} {
		s(f+"(float8)", "hd_"+f+"($1)")
	}
	s("atan2d(float8,float8)", "hd_atan2d($1, $2)")
	add("random()", &Impl{SQL: "random()", Volatile: true})
	s("mod(int2,int2)", "hd_int_mod($1, $2)")
	s("mod(int4,int4)", "hd_int_mod($1, $2)")
	s("mod(int8,int8)", "hd_int_mod($1, $2)")
	s("gcd(int4,int4)", "hd_gcd($1, $2)")
	s("gcd(int8,int8)", "hd_gcd($1, $2)")
	s("lcm(int4,int4)", "hd_lcm($1, $2)")
	s("lcm(int8,int8)", "hd_lcm($1, $2)")
	s("width_bucket(float8,float8,float8,int4)", "hd_width_bucket($1, $2, $3, $4)")
	// Math on numerics.
	add("abs(numeric)", numUnary("abs($1)", "hd_num_abs"))
	add("mod(numeric,numeric)", numText2("hd_num_mod"))
	add("div(numeric,numeric)", numText2("hd_num_divtrunc"))
	add("power(numeric,numeric)", numText2("hd_num_pow"))
	add("pow(numeric,numeric)", numText2("hd_num_pow"))
	add("log(numeric,numeric)", numText2("hd_num_logb"))
	add("gcd(numeric,numeric)", numText2("hd_num_gcd"))
	add("lcm(numeric,numeric)", numText2("hd_num_lcm"))
	for _, f := range []string{"sqrt", "exp", "ln", "log10"} {
		add(f+"(numeric)", numText1("hd_num_"+f))
	}
	add("log(numeric)", numText1("hd_num_log10"))
	add("sign(numeric)", numText1("hd_num_sign"))
	add("ceil(numeric)", numRoundLike("ceil", "hd_num_ceil"))
	add("ceiling(numeric)", numRoundLike("ceil", "hd_num_ceil"))
	add("floor(numeric)", numRoundLike("floor", "hd_num_floor"))
	add("round(numeric)", numRound("round", "hd_num_round", false))
	add("round(numeric,int4)", numRound("round", "hd_num_round", true))
	add("trunc(numeric)", numRound("trunc", "hd_num_trunc", false))
	add("trunc(numeric,int4)", numRound("trunc", "hd_num_trunc", true))
	add("scale(numeric)", &Impl{Build: func(c *Call) (string, error) {
		a := c.args[0]
		if a.num.fixed {
			return "CASE WHEN " + a.sql + " IS NULL THEN NULL ELSE " + strconv.Itoa(a.num.s) + " END", nil
		}
		return "hd_num_scale(" + a.sql + ")", nil
	}})
	add("min_scale(numeric)", &Impl{Build: func(c *Call) (string, error) { return "hd_num_min_scale(" + textNum(c.args[0]) + ")", nil }})
	add("trim_scale(numeric)", numText1("hd_num_trim_scale"))
	add("factorial(int8)", &Impl{Build: func(c *Call) (string, error) {
		c.num = numText
		return "hd_num_factorial(" + c.Args[0] + ")", nil
	}})
	// width_bucket(x, thresholds): PostgreSQL's binary search counts the
	// thresholds <= x when they are in order (what the engine computes);
	// out of order its answer is the search's accident, so it is refused.
	add("width_bucket(anycompatible,anycompatiblearray)", &Impl{Build: func(c *Call) (string, error) {
		switch el := c.args[1].typ.Elem(); el.OID {
		case OIDInt2, OIDInt4, OIDInt8, OIDFloat4, OIDFloat8, OIDDate, OIDTimestamp, OIDTimestamptz:
		case OIDNumeric:
			if !c.args[1].num.fixed || !c.args[0].num.fixed {
				return "", unsupported("width_bucket() over numeric values of varying scale is not supported by Hotdata's cache engine")
			}
		default:
			return "", unsupported("width_bucket() over %s thresholds is not supported by Hotdata's cache engine", el.Name())
		}
		x, th := c.Args[0], c.Args[1]
		return "(CASE WHEN " + x + " IS NULL OR " + th + " IS NULL THEN NULL" +
			" WHEN len(list_filter(" + th + ", lambda hd_t: hd_t IS NULL)) > 0 THEN " + raise("22004", "thresholds array must not contain NULLs") +
			" WHEN list_sort(" + th + ") <> " + th + " THEN " + raise("0A000", "width_bucket() with thresholds out of order is not supported by Hotdata's cache engine (PostgreSQL's answer then depends on its search)") +
			" ELSE CAST(len(list_filter(" + th + ", lambda hd_t: hd_t <= " + x + ")) AS INTEGER) END)", nil
	}})
	add("width_bucket(numeric,numeric,numeric,int4)", &Impl{Build: func(c *Call) (string, error) {
		return "hd_num_width_bucket(" + textNum(c.args[0]) + ", " + textNum(c.args[1]) + ", " + textNum(c.args[2]) + ", " + c.Args[3] + ")", nil
	}})

	// Strings.
	s("length(text)", "length($1)")
	s("char_length(text)", "length($1)")
	s("character_length(text)", "length($1)")
	s("length(bpchar)", "length($1)")
	s("char_length(bpchar)", "length($1)")
	s("character_length(bpchar)", "length($1)")
	s("octet_length(text)", "CAST(strlen($1) AS INTEGER)")
	add("octet_length(bpchar)", &Impl{Build: func(c *Call) (string, error) {
		if n := charLen(c.args[0].typ); n > 0 {
			return "CAST(strlen(rpad(" + c.Args[0] + ", " + strconv.Itoa(n) + ", ' ')) AS INTEGER)", nil
		}
		return "CAST(strlen(" + c.Args[0] + ") AS INTEGER)", nil
	}})
	s("bit_length(text)", "CAST(strlen($1) * 8 AS INTEGER)")
	s("length(bytea)", "CAST(octet_length($1) AS INTEGER)")
	s("octet_length(bytea)", "CAST(octet_length($1) AS INTEGER)")
	s("bit_length(bytea)", "CAST(octet_length($1) * 8 AS INTEGER)")
	s("lower(text)", "hd_lower($1)")
	s("upper(text)", "hd_upper($1)")
	s("normalize(text,text)", "hd_normalize($1, $2)")
	s("is_normalized(text,text)", "hd_is_normalized($1, $2)")
	s("initcap(text)", "hd_initcap($1)")
	s("substr(text,int4)", "hd_substr1($1, $2)")
	s("substring(text,int4)", "hd_substr1($1, $2)")
	s("substr(text,int4,int4)", "hd_substr($1, $2, $3)")
	s("substring(text,int4,int4)", "hd_substr($1, $2, $3)")
	s("substr(bytea,int4)", "hd_bsubstr1($1, $2)")
	s("substring(bytea,int4)", "hd_bsubstr1($1, $2)")
	s("substr(bytea,int4,int4)", "hd_bsubstr($1, $2, $3)")
	s("substring(bytea,int4,int4)", "hd_bsubstr($1, $2, $3)")
	s("position(text,text)", "CAST(strpos($1, $2) AS INTEGER)")
	s("strpos(text,text)", "CAST(strpos($1, $2) AS INTEGER)")
	s("replace(text,text,text)", "hd_replace($1, $2, $3)")
	s("translate(text,text,text)", "hd_translate($1, $2, $3)")
	s("btrim(text)", "trim($1, ' ')")
	s("btrim(text,text)", "trim($1, $2)")
	s("ltrim(text)", "ltrim($1, ' ')")
	s("ltrim(text,text)", "ltrim($1, $2)")
	s("rtrim(text)", "rtrim($1, ' ')")
	s("rtrim(text,text)", "rtrim($1, $2)")
	s("lpad(text,int4)", "hd_lpad($1, $2, ' ')")
	s("lpad(text,int4,text)", "hd_lpad($1, $2, $3)")
	s("rpad(text,int4)", "hd_rpad($1, $2, ' ')")
	s("rpad(text,int4,text)", "hd_rpad($1, $2, $3)")
	s("left(text,int4)", "hd_left($1, $2)")
	s("right(text,int4)", "hd_right($1, $2)")
	s("repeat(text,int4)", "hd_repeat($1, $2)")
	s("reverse(text)", "hd_reverse($1)")
	s("split_part(text,text,int4)", "hd_split_part($1, $2, $3)")
	s("md5(text)", "md5($1)")
	s("md5(bytea)", "md5($1)")
	s("sha256(bytea)", "unhex(sha256($1))")
	s("sha224(bytea)", "hd_sha224($1)")
	s("sha384(bytea)", "hd_sha384($1)")
	s("sha512(bytea)", "hd_sha512($1)")
	s("btrim(bytea,bytea)", "hd_bytea_btrim($1, $2)")
	s("ltrim(bytea,bytea)", "hd_bytea_ltrim($1, $2)")
	s("rtrim(bytea,bytea)", "hd_bytea_rtrim($1, $2)")
	add("convert_to(text,name)", &Impl{Build: convertTo})
	add("convert_from(bytea,name)", &Impl{Build: convertFrom})
	add("gen_random_uuid()", &Impl{SQL: "gen_random_uuid()", Volatile: true})
	s("ascii(text)", "hd_ascii($1)")
	s("chr(int4)", "hd_chr($1)")
	s("to_hex(int4)", "hd_to_hex32($1)")
	s("to_hex(int8)", "hd_to_hex64($1)")
	s("quote_ident(text)", "hd_quote_ident($1)")
	s("quote_literal(text)", "hd_quote_literal($1)")
	s("quote_nullable(text)", "coalesce(hd_quote_literal($1), 'NULL')")
	add("quote_literal(anyelement)", &Impl{Build: func(c *Call) (string, error) {
		t, err := c.textOf(0)
		return "hd_quote_literal(" + t + ")", err
	}})
	add("quote_nullable(anyelement)", &Impl{Build: func(c *Call) (string, error) {
		t, err := c.textOf(0)
		return "coalesce(hd_quote_literal(" + t + "), 'NULL')", err
	}})
	s("overlay(text,text,int4)", "hd_overlay($1, $2, $3, length($2))")
	s("overlay(text,text,int4,int4)", "hd_overlay($1, $2, $3, $4)")
	add("concat(any)", &Impl{Build: func(c *Call) (string, error) {
		if c.explicitVariadic && len(c.args) == 1 {
			return variadicJoin(c, c.args[0], "''")
		}
		if len(c.args) == 0 {
			return "''", nil
		}
		parts := make([]string, len(c.args))
		for i, a := range c.args {
			parts[i] = outputSQL(a)
		}
		return "concat(" + strings.Join(parts, ", ") + ")", nil
	}})
	add("concat_ws(text,any)", &Impl{Build: func(c *Call) (string, error) {
		if c.explicitVariadic && len(c.args) == 2 {
			return variadicJoin(c, c.args[1], c.Args[0])
		}
		parts := []string{c.Args[0]}
		for _, a := range c.args[1:] {
			parts = append(parts, outputSQL(a))
		}
		return "concat_ws(" + strings.Join(parts, ", ") + ")", nil
	}})
	add("format(text)", formatImpl())
	add("format(text,any)", formatImpl())
	s("encode(bytea,text)", "hd_encode($1, $2)")
	s("decode(text,text)", "hd_decode($1, $2)")
	regexFuncs(add)
	add("string_to_array(text,text)", &Impl{SQL: "hd_string_to_array($1, $2, CAST(NULL AS VARCHAR))"})
	add("string_to_array(text,text,text)", &Impl{SQL: "hd_string_to_array($1, $2, $3)"})
	add("string_to_table(text,text)", &Impl{Build: func(c *Call) (string, error) {
		c.srfList = "hd_string_to_array(" + c.Args[0] + ", " + c.Args[1] + ", CAST(NULL AS VARCHAR))"
		return "unnest(" + c.srfList + ")", nil
	}})
	add("string_to_table(text,text,text)", &Impl{Build: func(c *Call) (string, error) {
		c.srfList = "hd_string_to_array(" + c.Args[0] + ", " + c.Args[1] + ", " + c.Args[2] + ")"
		return "unnest(" + c.srfList + ")", nil
	}})
	add("array_to_string(anyarray,text)", arrayToString(false))
	add("array_to_string(anyarray,text,text)", arrayToString(true))
	// bpchar, varchar and text conversions called as functions.
	add("text(bpchar)", &Impl{SQL: "$1"})
	add("text(name)", &Impl{SQL: "$1"})
	add("text(char)", &Impl{SQL: "$1"})
	add("text(bool)", &Impl{Build: func(c *Call) (string, error) { s, _, err := boolToText(c.l, c.args[0], TText); return s, err }})

	// Conditional and misc.
	add("num_nulls(any)", &Impl{Build: func(c *Call) (string, error) { return countNulls(c, true), nil }})
	add("num_nonnulls(any)", &Impl{Build: func(c *Call) (string, error) { return countNulls(c, false), nil }})
	add("pg_typeof(any)", &Impl{KeepUnknown: true, Build: func(c *Call) (string, error) {
		a := c.args[0]
		t := a.typ
		if a.unknown {
			t = TUnknown
		}
		if a.dom.OID != 0 {
			t = a.dom // a domain's value, as PostgreSQL still sees it
		}
		if t.OID == OpaqueOID || t.IsArray() && t.Elem().OID == OpaqueOID || t.OID == OIDRecord && a.fieldNames != nil {
			return "", unsupported("pg_typeof() of a value of an upstream's own type (an enum, a domain, a table's row type) is not supported by Hotdata's cache engine")
		}
		oid := strconv.FormatUint(uint64(t.OID), 10)
		if u, array := UserTypeOf(t); u != nil {
			// The OID clients know the type by.
			oid = strconv.FormatUint(uint64(u.OID), 10)
			if array {
				oid = strconv.FormatUint(uint64(u.ArrayOID), 10)
			}
		}
		if a.agg || a.win || a.srf {
			// The argument still makes the query aggregate (or return a
			// row per element): keep it, for its rows alone.
			return "CAST(CASE WHEN (" + a.sql + ") IS NULL THEN " + oid + " ELSE " + oid + " END AS UINTEGER)", nil
		}
		return "CAST(" + oid + " AS UINTEGER)", nil
	}})
	register(m)
}

func countNulls(c *Call, nulls bool) string {
	if len(c.args) == 0 {
		return "0"
	}
	if c.explicitVariadic && len(c.args) == 1 && c.args[0].typ.IsArray() {
		// num_nulls(VARIADIC arr): the array's elements (NULL for a
		// NULL array).
		a := c.args[0].sql
		if nulls {
			return "CAST(len(" + a + ") - list_count(" + a + ") AS INTEGER)"
		}
		return "CAST(list_count(" + a + ") AS INTEGER)"
	}
	var parts []string
	for _, a := range c.args {
		cond := " IS NULL"
		if !nulls {
			cond = " IS NOT NULL"
		}
		parts = append(parts, "CAST(("+a.sql+")"+cond+" AS INTEGER)")
	}
	return "CAST((" + strings.Join(parts, " + ") + ") AS INTEGER)"
}

func numText1(fn string) *Impl {
	return &Impl{Build: func(c *Call) (string, error) {
		c.num = numText
		return fn + "(" + textNum(c.args[0]) + ")", nil
	}}
}

// numRoundLike is ceil/floor: DECIMAL when possible (scale 0).
func numRoundLike(duck, fn string) *Impl {
	return &Impl{Build: func(c *Call) (string, error) {
		a := c.args[0]
		if a.num.fixed {
			p := max(a.num.p-a.num.s+1, 1)
			c.num = fixedNum(p, 0)
			return "CAST(" + duck + "(" + a.sql + ") AS DECIMAL(" + strconv.Itoa(p) + ",0))", nil
		}
		c.num = numText
		return fn + "(" + a.sql + ")", nil
	}}
}

// numRound is round/trunc(x[, n]): the result's scale is n (at least 0).
func numRound(duck, fn string, withPlaces bool) *Impl {
	return &Impl{Build: func(c *Call) (string, error) {
		a := c.args[0]
		places := "0"
		n, constPlaces := 0, true
		if withPlaces {
			places = c.Args[1]
			if v, err := strconv.Atoi(strings.Trim(places, "()")); err == nil {
				n = v
			} else {
				constPlaces = false
			}
		}
		if a.num.fixed && constPlaces && n >= 0 && n <= a.num.s {
			p := a.num.p - a.num.s + n + 1
			if p <= maxDecimal {
				c.num = fixedNum(p, n)
				f := "round"
				if duck == "trunc" {
					f = "trunc"
				}
				return "CAST(" + f + "(" + a.sql + ", " + strconv.Itoa(n) + ") AS DECIMAL(" + strconv.Itoa(p) + "," + strconv.Itoa(n) + "))", nil
			}
		}
		c.num = numText
		return fn + "(" + textNum(a) + ", " + places + ")", nil
	}}
}

// arrayToString prints the elements with their output functions.
func arrayToString(withNull bool) *Impl {
	return &Impl{Build: func(c *Call) (string, error) {
		a := c.args[0]
		elem := &expr{sql: "hd_x", typ: Type{a.typ.Elem().OID, -1}, num: a.num}
		out := outputSQL(elem)
		list := "list_transform(" + a.sql + ", lambda hd_x: " + out + ")"
		if withNull {
			list = "list_transform(" + list + ", lambda hd_y: coalesce(hd_y, " + c.Args[2] + "))"
		}
		return "array_to_string(list_filter(" + list + ", lambda hd_z: hd_z IS NOT NULL), " + c.Args[1] + ")", nil
	}}
}

// variadicJoin is concat(VARIADIC arr) and concat_ws(sep, VARIADIC arr):
// the elements' text joined by sep, NULL elements left out, NULL for a
// NULL array.
func variadicJoin(c *Call, arr *expr, sep string) (string, error) {
	if !arr.typ.IsArray() {
		return "", errf("22023", "VARIADIC argument must be an array")
	}
	elem := &expr{typ: Type{arr.typ.Elem().OID, -1}, sql: "hd_x", num: arr.num}
	return "CASE WHEN " + arr.sql + " IS NULL THEN NULL ELSE array_to_string(list_transform(" + arr.sql + ", lambda hd_x: " + outputSQL(elem) + "), " + sep + ") END", nil
}

// encodingArg reads convert_to's and convert_from's encoding name as
// pg_char_to_encoding does (case and punctuation ignored): UTF8 or
// LATIN1; other encodings are refused.
func encodingArg(c *Call, fn string) (string, error) {
	name, ok := c.ConstArg(1)
	if !ok {
		return "", unsupported("%s() with an encoding name that is not a constant is not supported by Hotdata's cache engine", fn)
	}
	var clean strings.Builder
	for _, r := range strings.ToLower(name) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			clean.WriteRune(r)
		}
	}
	switch clean.String() {
	case "utf8", "unicode":
		return "UTF8", nil
	case "latin1", "iso88591":
		return "LATIN1", nil
	}
	return "", unsupported("%s() with encoding %q is not supported by Hotdata's cache engine (UTF8 and LATIN1 are)", fn, name)
}

// convertTo is convert_to(text, encoding): the text's bytes in the
// encoding (the database encoding is UTF8).
func convertTo(c *Call) (string, error) {
	enc, err := encodingArg(c, "convert_to")
	if err != nil {
		return "", err
	}
	if enc == "LATIN1" {
		return "hd_convert_to_latin1(" + c.Args[0] + ")", nil
	}
	return "encode(" + c.Args[0] + ")", nil
}

// convertFrom is convert_from(bytea, encoding): the bytes read in the
// encoding, which they must be valid in.
func convertFrom(c *Call) (string, error) {
	enc, err := encodingArg(c, "convert_from")
	if err != nil {
		return "", err
	}
	if enc == "LATIN1" {
		return "hd_convert_from_latin1(" + c.Args[0] + ")", nil
	}
	return "hd_convert_from_utf8(" + c.Args[0] + ")", nil
}

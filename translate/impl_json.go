package translate

import (
	"strconv"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"
)

// JSON and arrays. json keeps its text as written; jsonb is held as
// jsonb's text output, which the hd_json* functions (PostgreSQL's JSON
// semantics, in Go) read and produce.

// jsonDesc describes e's type to the engine's JSON functions
// (pgfunc/json_datum.go): typeDesc's form, with the field names of
// records. Values of a type the cache holds as text without knowing
// it (an enum, a domain, a composite or an array type: OpaqueOID) have
// no JSON form here: to_json would need the real type.
func jsonDesc(e *expr) (string, error) {
	return jsonDescOf(e.typ, e.fields, e.fieldNames, e.rowElems)
}

func jsonDescOf(t Type, fields []Type, names []string, elems []*expr) (string, error) {
	base := t
	if t.IsArray() {
		base = t.Elem()
	}
	if enumLike(base) != nil {
		// A label: a JSON string, as text is.
		return typeDesc(t, nil), nil
	}
	if (t.OID == OIDInet || t.OID == OIDCidr) && len(elems) == 0 && fields == nil {
		// A scalar inet or cidr is read in its output form (from.go's
		// hd_inet_f): to_json writes that text, as a string.
		return typeDesc(TText, nil), nil
	}
	if base.OID == OIDInet || base.OID == OIDCidr {
		// An array of them is held as text(inet) (which prints /32), not
		// inet_out.
		return "", unsupported("converting values of type %s to json is not supported by Hotdata's cache engine", base.Name())
	}
	if isOpaque(base) {
		return "", unsupported("converting values of a type the cache holds as text (an enum, a domain, a composite or array type) to json is not supported by Hotdata's cache engine")
	}
	if base.OID != OIDRecord {
		return typeDesc(t, nil), nil
	}
	if len(fields) == 0 {
		return "", unsupported("converting a record whose fields are not known to json is not supported by Hotdata's cache engine")
	}
	var b strings.Builder
	b.WriteString(strconv.FormatUint(uint64(t.OID), 10))
	b.WriteByte('{')
	for i, f := range fields {
		if i > 0 {
			b.WriteByte(',')
		}
		if i < len(names) && names[i] != "" {
			b.WriteString(jsonQuote(names[i]))
		}
		var sub string
		var err error
		switch {
		case i < len(elems) && elems[i] != nil:
			sub, err = jsonDesc(elems[i])
		default:
			sub, err = jsonDescOf(f, nil, nil, nil)
		}
		if err != nil {
			return "", err
		}
		b.WriteString(sub)
	}
	b.WriteByte('}')
	return b.String(), nil
}

// jsonQuote is s as a JSON string.
func jsonQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20:
			b.WriteString(`\u00`)
			b.WriteByte("0123456789abcdef"[r>>4])
			b.WriteByte("0123456789abcdef"[r&15])
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// toJSON is a value as to_json/to_jsonb renders it.
func toJSON(e *expr, kind string) (string, error) {
	switch e.typ.OID {
	case OIDJSON:
		if kind == "jsonb" {
			return "hd_jsonb_norm(" + e.sql + ")", nil
		}
		return e.sql, nil
	case OIDJSONB:
		return e.sql, nil
	}
	d, err := jsonDesc(e)
	if err != nil {
		return "", err
	}
	return "hd_to_json(" + e.sql + ", " + sqlString(d) + ", " + sqlString(kind) + ", " + styleMarker + ")", nil
}

// jsonArgsDesc describes a list of values as the fields of one record.
func jsonArgsDesc(args []*expr) (string, error) {
	parts := make([]string, len(args))
	for i, a := range args {
		d, err := jsonDesc(a)
		if err != nil {
			return "", err
		}
		parts[i] = d
	}
	return strconv.Itoa(OIDRecord) + "{" + strings.Join(parts, ",") + "}", nil
}

// pathArg is a path given as text[] or, called without VARIADIC, as
// the trailing text arguments.
func pathArg(c *Call, from int) string {
	if c.variadic {
		return "CAST([" + strings.Join(c.Args[from:], ", ") + "] AS VARCHAR[])"
	}
	return c.Args[from]
}

func init() {
	m := map[string]*Impl{}
	add := func(key string, impl *Impl) { m[key] = impl }
	s := func(key, sql string) { m[key] = &Impl{SQL: sql} }
	build := func(key string, f func(c *Call) (string, error)) { m[key] = &Impl{Build: f} }
	for _, k := range []string{"json", "jsonb"} {
		k := k
		kq := sqlString(k)
		s(k+"_object_field("+k+",text)", "hd_json_get($1, $2, "+kq+")")
		s(k+"_object_field_text("+k+",text)", "hd_json_get_text($1, $2)")
		s(k+"_array_element("+k+",int4)", "hd_json_index($1, $2, "+kq+")")
		s(k+"_array_element_text("+k+",int4)", "hd_json_index_text($1, $2, "+kq+")")
		build(k+"_extract_path("+k+",_text)", func(c *Call) (string, error) {
			return "hd_json_path(" + c.Args[0] + ", " + pathArg(c, 1) + ", " + kq + ")", nil
		})
		build(k+"_extract_path_text("+k+",_text)", func(c *Call) (string, error) {
			return "hd_json_path_text(" + c.Args[0] + ", " + pathArg(c, 1) + ")", nil
		})
		s(k+"_typeof("+k+")", "hd_json_typeof($1)")
		s(k+"_array_length("+k+")", "hd_json_array_length($1)")
		s(k+"_strip_nulls("+k+")", "hd_json_strip_nulls($1, "+kq+")")
		build("to_"+k+"(anyelement)", func(c *Call) (string, error) { return toJSON(c.args[0], k) })
		add(k+"_build_object()", &Impl{SQL: "CAST('{}' AS JSON)"})
		add(k+"_build_array()", &Impl{SQL: "CAST('[]' AS JSON)"})
		build(k+"_build_object(any)", func(c *Call) (string, error) {
			if !c.variadic {
				return "", unsupported("%s_build_object(VARIADIC array) is not supported by Hotdata's cache engine", k)
			}
			if len(c.args)%2 != 0 {
				return "", errf("22023", "argument list must have even number of elements").
					WithHint("The arguments of %s_build_object() must consist of alternating keys and values.", k)
			}
			d, err := jsonArgsDesc(c.args)
			if err != nil {
				return "", err
			}
			return "hd_json_build_object(" + kq + ", " + sqlString(d) + ", " + styleMarker + ", " + strings.Join(c.Args, ", ") + ")", nil
		})
		build(k+"_build_array(any)", func(c *Call) (string, error) {
			if !c.variadic {
				return "", unsupported("%s_build_array(VARIADIC array) is not supported by Hotdata's cache engine", k)
			}
			d, err := jsonArgsDesc(c.args)
			if err != nil {
				return "", err
			}
			return "hd_json_build_array(" + kq + ", " + sqlString(d) + ", " + styleMarker + ", " + strings.Join(c.Args, ", ") + ")", nil
		})
		s(k+"_object(_text)", "hd_json_object($1, "+kq+")")
		s(k+"_object(_text,_text)", "hd_json_object($1, $2, "+kq+")")
		srf := func(key, list string, fields []Type, names []string) {
			add(key, &Impl{Build: func(c *Call) (string, error) {
				c.srfList = expand(list, c.Args)
				if fields != nil {
					c.Result = TRecord
					c.fields, c.fieldNames = fields, names
				}
				return "unnest(" + c.srfList + ")", nil
			}})
		}
		srf(k+"_array_elements("+k+")", "hd_json_elements($1, "+kq+")", nil, nil)
		srf(k+"_array_elements_text("+k+")", "hd_json_elements_text($1)", nil, nil)
		srf(k+"_object_keys("+k+")", "hd_json_keys($1)", nil, nil)
		jt := TJSON
		if k == "jsonb" {
			jt = TJSONB
		}
		srf(k+"_each("+k+")", "hd_json_each($1, "+kq+")", []Type{TText, jt}, []string{"key", "value"})
		srf(k+"_each_text("+k+")", "hd_json_each_text($1)", []Type{TText, TText}, []string{"key", "value"})
	}
	rowToJSON := func(c *Call) (string, error) {
		d, err := jsonDesc(c.args[0])
		if err != nil {
			return "", err
		}
		pretty := "false"
		if len(c.Args) > 1 {
			pretty = c.Args[1]
		}
		return "hd_row_to_json(" + c.Args[0] + ", " + sqlString(d) + ", " + pretty + ", " + styleMarker + ")", nil
	}
	build("row_to_json(record)", rowToJSON)
	build("row_to_json(record,bool)", rowToJSON)
	arrayToJSON := func(c *Call) (string, error) {
		d, err := jsonDesc(c.args[0])
		if err != nil {
			return "", err
		}
		pretty := "false"
		if len(c.Args) > 1 {
			pretty = c.Args[1]
		}
		return "hd_array_to_json(" + c.Args[0] + ", " + sqlString(d) + ", " + pretty + ", " + styleMarker + ")", nil
	}
	build("array_to_json(anyarray)", arrayToJSON)
	build("array_to_json(anyarray,bool)", arrayToJSON)
	s("jsonb_concat(jsonb,jsonb)", "hd_jsonb_concat($1, $2)")
	s("jsonb_contains(jsonb,jsonb)", "hd_jsonb_contains($1, $2)")
	s("jsonb_contained(jsonb,jsonb)", "hd_jsonb_contains($2, $1)")
	s("jsonb_exists(jsonb,text)", "hd_jsonb_exists($1, $2)")
	s("jsonb_exists_any(jsonb,_text)", "hd_jsonb_exists_any($1, $2)")
	s("jsonb_exists_all(jsonb,_text)", "hd_jsonb_exists_all($1, $2)")
	s("jsonb_delete(jsonb,text)", "hd_jsonb_delete_key($1, $2)")
	s("jsonb_delete(jsonb,int4)", "hd_jsonb_delete_index($1, $2)")
	build("jsonb_delete(jsonb,_text)", func(c *Call) (string, error) {
		return "hd_jsonb_delete_keys(" + c.Args[0] + ", " + pathArg(c, 1) + ")", nil
	})
	s("jsonb_delete_path(jsonb,_text)", "hd_jsonb_delete_path($1, $2)")
	// Defaults: jsonb_set(…, create_if_missing true), jsonb_insert(…,
	// insert_after false), jsonb_set_lax(…, true, 'use_json_null').
	build("jsonb_set(jsonb,_text,jsonb,bool)", func(c *Call) (string, error) {
		a := append(append([]string(nil), c.Args...), "true")[:4]
		return "hd_jsonb_set(" + strings.Join(a, ", ") + ")", nil
	})
	build("jsonb_insert(jsonb,_text,jsonb,bool)", func(c *Call) (string, error) {
		a := append(append([]string(nil), c.Args...), "false")[:4]
		return "hd_jsonb_insert(" + strings.Join(a, ", ") + ")", nil
	})
	build("jsonb_set_lax(jsonb,_text,jsonb,bool,text)", func(c *Call) (string, error) {
		a := append(append([]string(nil), c.Args...), "true", "'use_json_null'")[:5]
		if len(c.Args) == 4 {
			a[4] = "'use_json_null'"
		}
		return "hd_jsonb_set_lax(" + strings.Join(a, ", ") + ")", nil
	})
	s("jsonb_pretty(jsonb)", "hd_jsonb_pretty($1)")
	// jsonb's btree order: hd_jsonb_key is a byte string ordered as
	// compareJsonbContainers orders.
	s("jsonb_eq(jsonb,jsonb)", "(hd_jsonb_key($1) = hd_jsonb_key($2))")
	s("jsonb_ne(jsonb,jsonb)", "(hd_jsonb_key($1) <> hd_jsonb_key($2))")
	s("jsonb_lt(jsonb,jsonb)", "(hd_jsonb_key($1) < hd_jsonb_key($2))")
	s("jsonb_le(jsonb,jsonb)", "(hd_jsonb_key($1) <= hd_jsonb_key($2))")
	s("jsonb_gt(jsonb,jsonb)", "(hd_jsonb_key($1) > hd_jsonb_key($2))")
	s("jsonb_ge(jsonb,jsonb)", "(hd_jsonb_key($1) >= hd_jsonb_key($2))")
	s("jsonb_cmp(jsonb,jsonb)", "CAST(sign(CASE WHEN hd_jsonb_key($1) < hd_jsonb_key($2) THEN -1 WHEN hd_jsonb_key($1) > hd_jsonb_key($2) THEN 1 ELSE 0 END) AS INTEGER)")

	// Arrays.
	s("array_length(anyarray,int4)", "hd_array_length($1, $2)")
	s("array_upper(anyarray,int4)", "hd_array_length($1, $2)")
	s("array_lower(anyarray,int4)", "CASE WHEN hd_array_length($1, $2) IS NULL THEN NULL ELSE 1 END")
	s("array_ndims(anyarray)", "CASE WHEN $1 IS NULL OR len($1) = 0 THEN NULL ELSE 1 END")
	s("array_dims(anyarray)", "CASE WHEN $1 IS NULL OR len($1) = 0 THEN NULL ELSE '[1:' || len($1) || ']' END")
	s("cardinality(anyarray)", "CAST(len($1) AS INTEGER)")
	s("array_position(anycompatiblearray,anycompatible)", "hd_array_position($1, $2, 1)")
	s("array_position(anycompatiblearray,anycompatible,int4)", "hd_array_position($1, $2, $3)")
	s("array_positions(anycompatiblearray,anycompatible)", "hd_array_positions($1, $2)")
	s("array_remove(anycompatiblearray,anycompatible)", "hd_array_remove($1, $2)")
	s("array_replace(anycompatiblearray,anycompatible,anycompatible)", "hd_array_replace($1, $2, $3)")
	s("trim_array(anyarray,int4)", "hd_trim_array($1, $2)")
	add("unnest(anyarray)", &Impl{Build: func(c *Call) (string, error) {
		c.srfList = c.Args[0]
		c.num = c.args[0].num
		return "unnest(" + c.Args[0] + ")", nil
	}})
	add("generate_subscripts(anyarray,int4)", &Impl{Build: func(c *Call) (string, error) {
		c.srfList = "hd_subscripts(" + c.Args[0] + ", " + c.Args[1] + ", false)"
		return "unnest(" + c.srfList + ")", nil
	}})
	add("generate_subscripts(anyarray,int4,bool)", &Impl{Build: func(c *Call) (string, error) {
		c.srfList = "hd_subscripts(" + c.Args[0] + ", " + c.Args[1] + ", " + c.Args[2] + ")"
		return "unnest(" + c.srfList + ")", nil
	}})
	register(m)
}

// jsonb's casts to scalar types (jsonb_numeric, jsonb_int4, jsonb_bool,
// …): a jsonb number or boolean, else 22023 "cannot cast jsonb …".
func init() {
	intCast := func(name, engine string, bits int) castImpl {
		return func(l *level, e *expr, t Type) (string, numForm, error) {
			return "CAST(hd_jsonb_int(" + e.sql + ", " + sqlString(name) + ", " + strconv.Itoa(bits) + ") AS " + engine + ")", numForm{}, nil
		}
	}
	floatCast := func(name, engine string, bits int) castImpl {
		return func(l *level, e *expr, t Type) (string, numForm, error) {
			return "CAST(hd_jsonb_float(" + e.sql + ", " + sqlString(name) + ", " + strconv.Itoa(bits) + ") AS " + engine + ")", numForm{}, nil
		}
	}
	for k, v := range map[string]castImpl{
		"jsonb->int2":   intCast("smallint", "SMALLINT", 16),
		"jsonb->int4":   intCast("integer", "INTEGER", 32),
		"jsonb->int8":   intCast("bigint", "BIGINT", 64),
		"jsonb->float4": floatCast("real", "FLOAT", 32),
		"jsonb->float8": floatCast("double precision", "DOUBLE", 64),
		"jsonb->numeric": func(l *level, e *expr, t Type) (string, numForm, error) {
			return "hd_jsonb_numeric(" + e.sql + ", 'numeric')", numText, nil
		},
		"jsonb->bool": func(l *level, e *expr, t Type) (string, numForm, error) {
			return "hd_jsonb_bool(" + e.sql + ")", numForm{}, nil
		},
	} {
		if castImpls[k] != nil {
			panic("translate: duplicate cast " + k)
		}
		castImpls[k] = v
	}
}

// jsonbSubscript is jb[x] (jsonbsubs.c): a subscript that coerces to
// exactly one of integer and text (an untyped literal is text) is a
// path step, fetched as #> fetches; slices are refused.
func (l *level) jsonbSubscript(e *expr, idx *pg.A_Indices) (*expr, error) {
	if idx.IsSlice {
		loc := e.loc
		if idx.Lidx != nil {
			loc = nodeLocation(idx.Lidx)
		} else if idx.Uidx != nil {
			loc = nodeLocation(idx.Uidx)
		}
		return nil, l.a.errAt(loc, "42804", "jsonb subscript does not support slices")
	}
	x, err := l.expr(idx.Uidx)
	if err != nil {
		return nil, err
	}
	target := TText
	if !x.unknown {
		toInt := canCoerce(x.typ, TInt4, false, ccImplicit)
		toText := canCoerce(x.typ, TText, false, ccImplicit)
		switch {
		case toInt && toText:
			return nil, l.a.errAt(nodeLocation(idx.Uidx), "42804", "subscript type %s is not supported", x.typ.Name()).
				WithHint("jsonb subscript must be coercible to only one type, integer or text.")
		case toInt:
			target = TInt4
		case !toText:
			return nil, l.a.errAt(nodeLocation(idx.Uidx), "42804", "subscript type %s is not supported", x.typ.Name()).
				WithHint("jsonb subscript must be coercible to either integer or text.")
		}
	}
	cx, err := l.coerceTo(x, target, numForm{}, ccImplicit, "")
	if err != nil {
		return nil, err
	}
	step := cx.sql
	if target.OID == OIDInt4 {
		step = "CAST(" + step + " AS VARCHAR)"
	}
	out := &expr{typ: TJSONB, loc: e.loc, srf: e.srf}
	out.sql = "hd_json_path(" + e.sql + ", CAST([" + step + "] AS VARCHAR[]), 'jsonb')"
	return out.merge(e, cx), nil
}

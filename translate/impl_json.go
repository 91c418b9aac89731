package translate

import "strings"

// JSON and arrays. json keeps its text as written; jsonb is held as
// jsonb's text output, which the hd_json* functions (PostgreSQL's JSON
// semantics, in Go) read and produce.

// toJSON is a value as to_json/to_jsonb renders it.
func toJSON(e *expr, kind string) string {
	switch e.typ.OID {
	case OIDJSON:
		if kind == "jsonb" {
			return "hd_jsonb_norm(" + e.sql + ")"
		}
		return e.sql
	case OIDJSONB:
		return e.sql
	}
	return "hd_to_json(" + e.sql + ", " + sqlString(typeDesc(e.typ, e.fields)) + ", " + sqlString(kind) + ", " + styleMarker + ")"
}

func init() {
	m := map[string]*Impl{}
	add := func(key string, impl *Impl) { m[key] = impl }
	s := func(key, sql string) { m[key] = &Impl{SQL: sql} }
	for _, k := range []string{"json", "jsonb"} {
		k := k
		kq := sqlString(k)
		s(k+"_object_field("+k+",text)", "hd_json_get($1, $2, "+kq+")")
		s(k+"_object_field_text("+k+",text)", "hd_json_get_text($1, $2)")
		s(k+"_array_element("+k+",int4)", "hd_json_index($1, $2, "+kq+")")
		s(k+"_array_element_text("+k+",int4)", "hd_json_index_text($1, $2)")
		s(k+"_extract_path("+k+",_text)", "hd_json_path($1, $2, "+kq+")")
		s(k+"_extract_path_text("+k+",_text)", "hd_json_path_text($1, $2)")
		s(k+"_typeof("+k+")", "hd_json_typeof($1)")
		s(k+"_array_length("+k+")", "hd_json_array_length($1)")
		s(k+"_strip_nulls("+k+")", "hd_json_strip_nulls($1, "+kq+")")
		add("to_"+k+"(anyelement)", &Impl{Build: func(c *Call) (string, error) { return toJSON(c.args[0], k), nil }})
		add(k+"_build_object()", &Impl{SQL: "CAST('{}' AS JSON)"})
		add(k+"_build_array()", &Impl{SQL: "CAST('[]' AS JSON)"})
		add(k+"_build_object(any)", &Impl{Build: func(c *Call) (string, error) {
			if len(c.args)%2 != 0 {
				return "", errf("22023", "argument list must have even number of elements").
					WithHint("The arguments of %s_build_object() must consist of alternating keys and values.", k)
			}
			var parts []string
			for i, a := range c.args {
				if i%2 == 0 {
					if a.null {
						return "", errf("22004", "argument %d cannot be null", i+1).WithHint("Object keys should be text.")
					}
					parts = append(parts, outputSQL(a))
				} else {
					parts = append(parts, toJSON(a, k))
				}
			}
			return "hd_json_build_object([" + strings.Join(parts, ", ") + "], " + kq + ")", nil
		}})
		add(k+"_build_array(any)", &Impl{Build: func(c *Call) (string, error) {
			var parts []string
			for _, a := range c.args {
				parts = append(parts, toJSON(a, k))
			}
			return "hd_json_build_array([" + strings.Join(parts, ", ") + "], " + kq + ")", nil
		}})
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
	s("jsonb_concat(jsonb,jsonb)", "hd_jsonb_concat($1, $2)")
	s("jsonb_contains(jsonb,jsonb)", "hd_jsonb_contains($1, $2)")
	s("jsonb_contained(jsonb,jsonb)", "hd_jsonb_contains($2, $1)")
	s("jsonb_exists(jsonb,text)", "hd_jsonb_exists($1, $2)")
	s("jsonb_exists_any(jsonb,_text)", "hd_jsonb_exists_any($1, $2)")
	s("jsonb_exists_all(jsonb,_text)", "hd_jsonb_exists_all($1, $2)")
	s("jsonb_delete(jsonb,text)", "hd_jsonb_delete_key($1, $2)")
	s("jsonb_delete(jsonb,int4)", "hd_jsonb_delete_index($1, $2)")
	s("jsonb_delete(jsonb,_text)", "hd_jsonb_delete_keys($1, $2)")
	s("jsonb_delete_path(jsonb,_text)", "hd_jsonb_delete_path($1, $2)")
	s("jsonb_set(jsonb,_text,jsonb,bool)", "hd_jsonb_set($1, $2, $3, $4)")
	s("jsonb_insert(jsonb,_text,jsonb,bool)", "hd_jsonb_insert($1, $2, $3, $4)")
	s("jsonb_pretty(jsonb)", "hd_jsonb_pretty($1)")
	s("jsonb_eq(jsonb,jsonb)", "(hd_jsonb_key($1) = hd_jsonb_key($2))")
	s("jsonb_ne(jsonb,jsonb)", "(hd_jsonb_key($1) <> hd_jsonb_key($2))")
	add("array_to_json(anyarray)", &Impl{Build: func(c *Call) (string, error) { return toJSON(c.args[0], "json"), nil }})

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

package pgfunc

import (
	"strconv"
	"strings"

	"github.com/hotdata-dev/hotdata/engine"
	"github.com/hotdata-dev/hotdata/internal/pgerr"
	"github.com/hotdata-dev/hotdata/pgval"
)

// JSON as PostgreSQL's json (the text as written) and jsonb (its
// normalized text output) functions compute it.

func parseJSON(v any) (*pgval.JSONValue, error) {
	j, err := pgval.ParseJSON(str(v))
	if err != nil {
		return nil, fail(err)
	}
	return j, nil
}

// parseJSONLenient parses as json_in validates (json_typeof and
// json_array_length de-escape nothing).
func parseJSONLenient(v any) (*pgval.JSONValue, error) {
	j, err := pgval.ParseJSONLenient(str(v))
	if err != nil {
		return nil, fail(err)
	}
	return j, nil
}

// jsonOut renders a sub-value: json keeps its text, jsonb normalizes.
func jsonOut(v *pgval.JSONValue, kind string) string {
	if kind == "json" {
		return v.Raw
	}
	v.Canonicalize()
	return string(v.AppendJSONB(nil))
}

// jsonText is ->>: strings unescaped, null as NULL, others as text.
func jsonText(v *pgval.JSONValue, kind string) any {
	switch v.Kind {
	case 's':
		return v.Str
	case 'z':
		return nil
	}
	return jsonOut(v, kind)
}

func field(v *pgval.JSONValue, key string) *pgval.JSONValue {
	if v.Kind != 'o' {
		return nil
	}
	var found *pgval.JSONValue
	for i, k := range v.Keys {
		if k == key {
			found = v.Vals[i] // the last duplicate, as PostgreSQL reads json
		}
	}
	return found
}

func index(v *pgval.JSONValue, i int64) *pgval.JSONValue {
	if v.Kind != 'a' {
		return nil
	}
	if i < 0 {
		i += int64(len(v.Vals))
	}
	if i < 0 || i >= int64(len(v.Vals)) {
		return nil
	}
	return v.Vals[i]
}

func path(v *pgval.JSONValue, p []any) *pgval.JSONValue {
	for _, el := range p {
		if v == nil || el == nil {
			return nil
		}
		s := str(el)
		switch v.Kind {
		case 'o':
			v = field(v, s)
		case 'a':
			// strtol: leading white space, a sign, digits, nothing after.
			i, err := strconv.ParseInt(strings.TrimLeft(s, " \t\n\r\f\v"), 10, 32)
			if err != nil {
				return nil
			}
			v = index(v, i)
		default:
			return nil
		}
	}
	return v
}

func jsonFuncs() []engine.ScalarFunc {
	get := func(name string, text bool, pick func(v *pgval.JSONValue, a []any) *pgval.JSONValue, args []string) engine.ScalarFunc {
		ret := "JSON"
		if text {
			ret = "VARCHAR"
		}
		return fn(name, args, ret, func(a []any) (any, error) {
			j, err := parseJSON(a[0])
			if err != nil {
				return nil, err
			}
			kind := "jsonb"
			if len(a) > 2 {
				kind = str(a[2])
			}
			if kind == "jsonb" && len(args) > 2 {
				j.Canonicalize()
			}
			v := pick(j, a)
			if v == nil {
				return nil, nil
			}
			if text {
				return jsonText(v, "json"), nil
			}
			return jsonOut(v, kind), nil
		})
	}
	byKey := func(v *pgval.JSONValue, a []any) *pgval.JSONValue { return field(v, str(a[1])) }
	byIndex := func(v *pgval.JSONValue, a []any) *pgval.JSONValue {
		if len(a) > 2 && str(a[2]) == "jsonb" && v.Kind != 'o' && v.Kind != 'a' {
			// A jsonb scalar is a one-element pseudo array.
			if i := i64(a[1]); i == 0 || i == -1 {
				return v
			}
			return nil
		}
		return index(v, i64(a[1]))
	}
	byPath := func(v *pgval.JSONValue, a []any) *pgval.JSONValue { p, _ := a[1].([]any); return path(v, p) }
	fs := []engine.ScalarFunc{
		get("hd_json_get", false, byKey, []string{"VARCHAR", "VARCHAR", "VARCHAR"}),
		get("hd_json_get_text", true, byKey, []string{"VARCHAR", "VARCHAR"}),
		get("hd_json_index", false, byIndex, []string{"VARCHAR", "INTEGER", "VARCHAR"}),
		get("hd_json_index_text", true, byIndex, []string{"VARCHAR", "INTEGER", "VARCHAR"}),
		get("hd_json_path", false, byPath, []string{"VARCHAR", "VARCHAR[]", "VARCHAR"}),
		get("hd_json_path_text", true, byPath, []string{"VARCHAR", "VARCHAR[]"}),
		fn("hd_json_typeof", []string{"VARCHAR"}, "VARCHAR", func(a []any) (any, error) {
			j, err := parseJSONLenient(a[0])
			if err != nil {
				return nil, err
			}
			return map[byte]string{'o': "object", 'a': "array", 's': "string", 'n': "number", 't': "boolean", 'f': "boolean", 'z': "null"}[j.Kind], nil
		}),
		fn("hd_json_array_length", []string{"VARCHAR"}, "INTEGER", func(a []any) (any, error) {
			j, err := parseJSONLenient(a[0])
			if err != nil {
				return nil, err
			}
			switch j.Kind {
			case 'a':
				return int64(len(j.Vals)), nil
			case 'o':
				return nil, failf("22023", "cannot get array length of a non-array")
			}
			return nil, failf("22023", "cannot get array length of a scalar")
		}),
		fn("hd_json_strip_nulls", []string{"VARCHAR", "VARCHAR"}, "JSON", func(a []any) (any, error) {
			j, err := parseJSON(a[0])
			if err != nil {
				return nil, err
			}
			stripNulls(j)
			if str(a[1]) == "jsonb" {
				return jsonOut(j, "jsonb"), nil
			}
			return string(appendCompact(nil, j)), nil
		}),
		fn("hd_jsonb_norm", []string{"VARCHAR"}, "JSON", func(a []any) (any, error) {
			s, err := pgval.NormalizeJSONB(str(a[0]))
			if err != nil {
				return nil, fail(err)
			}
			return s, nil
		}),
		fn("hd_jsonb_key", []string{"VARCHAR"}, "BLOB", func(a []any) (any, error) {
			j, err := parseJSON(a[0])
			if err != nil {
				return nil, err
			}
			j.Canonicalize()
			return j.AppendJSONBSortKey(nil), nil
		}),
		fn("hd_jsonb_pretty", []string{"VARCHAR"}, "VARCHAR", func(a []any) (any, error) {
			j, err := parseJSON(a[0])
			if err != nil {
				return nil, err
			}
			j.Canonicalize()
			return string(j.AppendJSONBPretty(nil)), nil
		}),
		{Name: "hd_json_build_object", Args: []string{"VARCHAR", "VARCHAR", "VARCHAR"}, Variadic: "ANY", Returns: "JSON", NullCalls: true, Row: buildObject},
		{Name: "hd_json_build_array", Args: []string{"VARCHAR", "VARCHAR", "VARCHAR"}, Variadic: "ANY", Returns: "JSON", NullCalls: true, Row: buildArray},
		{Name: "hd_json_object", Args: []string{"VARCHAR[]", "VARCHAR"}, Returns: "JSON", Row: jsonObject1},
		{Name: "hd_json_object", Args: []string{"VARCHAR[]", "VARCHAR[]", "VARCHAR"}, Returns: "JSON", Row: jsonObject2},
		{Name: "hd_row_to_json", Args: []string{"ANY", "VARCHAR", "BOOLEAN", "VARCHAR"}, Returns: "JSON", Row: func(a []any) (any, error) {
			items, _ := a[0].([]any)
			lf, _ := a[2].(bool)
			return string(appendCompositeJSON(nil, items, parseJDesc(str(a[1])), style(a[3]), lf)), nil
		}},
		{Name: "hd_array_to_json", Args: []string{"ANY", "VARCHAR", "BOOLEAN", "VARCHAR"}, Returns: "JSON", Row: func(a []any) (any, error) {
			items, _ := a[0].([]any)
			lf, _ := a[2].(bool)
			d := parseJDesc(str(a[1]))
			if d.elem == nil {
				return nil, failf("XX000", "array_to_json of a non-array")
			}
			return string(appendArrayJSON(nil, items, *d.elem, style(a[3]), lf)), nil
		}},
		{Name: "hd_json_elements", Args: []string{"VARCHAR", "VARCHAR"}, Returns: "JSON[]", Row: func(a []any) (any, error) {
			j, err := parseJSON(a[0])
			if err != nil {
				return nil, err
			}
			if j.Kind != 'a' {
				if j.Kind == 'o' {
					return nil, failf("22023", "cannot extract elements from an object")
				}
				return nil, failf("22023", "cannot extract elements from a scalar")
			}
			out := make([]any, len(j.Vals))
			for i, v := range j.Vals {
				out[i] = jsonOut(v, str(a[1]))
			}
			return out, nil
		}},
		{Name: "hd_json_elements_text", Args: []string{"VARCHAR"}, Returns: "VARCHAR[]", Row: func(a []any) (any, error) {
			j, err := parseJSON(a[0])
			if err != nil {
				return nil, err
			}
			if j.Kind != 'a' {
				if j.Kind == 'o' {
					return nil, failf("22023", "cannot extract elements from an object")
				}
				return nil, failf("22023", "cannot extract elements from a scalar")
			}
			out := make([]any, len(j.Vals))
			for i, v := range j.Vals {
				out[i] = jsonText(v, "json")
			}
			return out, nil
		}},
		{Name: "hd_json_keys", Args: []string{"VARCHAR"}, Returns: "VARCHAR[]", Row: func(a []any) (any, error) {
			j, err := parseJSON(a[0])
			if err != nil {
				return nil, err
			}
			if j.Kind != 'o' {
				if j.Kind == 'a' {
					return nil, failf("22023", "cannot call %s on an array", "json_object_keys")
				}
				return nil, failf("22023", "cannot call %s on a scalar", "json_object_keys")
			}
			out := make([]any, len(j.Keys))
			for i, k := range j.Keys {
				out[i] = k
			}
			return out, nil
		}},
		{Name: "hd_json_each", Args: []string{"VARCHAR", "VARCHAR"}, Returns: "STRUCT(f1 VARCHAR, f2 JSON)[]", Row: func(a []any) (any, error) {
			return jsonEach(a, false)
		}},
		{Name: "hd_json_each_text", Args: []string{"VARCHAR"}, Returns: "STRUCT(f1 VARCHAR, f2 VARCHAR)[]", Row: func(a []any) (any, error) {
			return jsonEach(a, true)
		}},
		{Name: "hd_to_json", Args: []string{"ANY", "VARCHAR", "VARCHAR", "VARCHAR"}, Returns: "JSON", Row: func(a []any) (any, error) {
			return datumJSON(a[0], parseJDesc(str(a[1])), str(a[2]), style(a[3]))
		}},
		{Name: "hd_json_agg", Args: []string{"ANY", "VARCHAR", "VARCHAR", "VARCHAR"}, Returns: "JSON", Row: func(a []any) (any, error) {
			items, _ := a[0].([]any)
			d, st := parseJDesc(str(a[1])), style(a[3])
			// json_agg_transfn: ", " between values, and "\n " before a
			// non-null array or record that is not the first.
			structured := d.category() == jcArray || d.category() == jcComposite
			b := []byte{'['}
			for i, it := range items {
				if i > 0 {
					b = append(b, ", "...)
					if it != nil && structured {
						b = append(b, "\n "...)
					}
				}
				b = appendDatumJSON(b, it, d, st)
			}
			b = append(b, ']')
			if str(a[2]) == "jsonb" {
				return toJSONB(b)
			}
			return string(b), nil
		}},
		{Name: "hd_json_object_agg", Args: []string{"ANY", "ANY", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR"}, Returns: "JSON", Row: func(a []any) (any, error) {
			keys, _ := a[0].([]any)
			vals, _ := a[1].([]any)
			kd, vd, st := parseJDesc(str(a[2])), parseJDesc(str(a[3])), style(a[5])
			b := []byte("{ ")
			for i := range keys {
				if keys[i] == nil {
					return nil, failf("22023", "field name must not be null")
				}
				if i > 0 {
					b = append(b, ", "...)
				}
				k, err := jsonKey(keys[i], kd, st)
				if err != nil {
					return nil, err
				}
				b = pgval.AppendJSONString(b, k)
				b = append(b, " : "...)
				var v any
				if i < len(vals) {
					v = vals[i]
				}
				b = appendDatumJSON(b, v, vd, st)
			}
			b = append(b, " }"...)
			if str(a[4]) == "jsonb" {
				return toJSONB(b)
			}
			return string(b), nil
		}},
	}
	return append(fs, jsonbFuncs()...)
}

func jsonEach(a []any, text bool) (any, error) {
	j, err := parseJSON(a[0])
	if err != nil {
		return nil, err
	}
	kind := "json"
	if !text {
		kind = str(a[1])
	}
	if j.Kind != 'o' {
		if j.Kind == 'a' {
			return nil, failf("22023", "cannot deconstruct an array as an object")
		}
		return nil, failf("22023", "cannot deconstruct a scalar")
	}
	if kind == "jsonb" {
		j.Canonicalize()
	}
	out := make([]any, len(j.Keys))
	for i, k := range j.Keys {
		var v any
		if text {
			v = jsonText(j.Vals[i], "json")
		} else {
			v = jsonOut(j.Vals[i], kind)
		}
		out[i] = []any{k, v}
	}
	return out, nil
}

func stripNulls(v *pgval.JSONValue) {
	if v.Kind == 'o' {
		var keys []string
		var vals []*pgval.JSONValue
		for i, c := range v.Vals {
			if c.Kind == 'z' {
				continue
			}
			stripNulls(c)
			keys, vals = append(keys, v.Keys[i]), append(vals, c)
		}
		v.Keys, v.Vals = keys, vals
	}
	if v.Kind == 'a' {
		for _, c := range v.Vals {
			stripNulls(c)
		}
	}
}

// appendCompact writes json_strip_nulls' output (no spaces).
func appendCompact(dst []byte, v *pgval.JSONValue) []byte {
	switch v.Kind {
	case 'o':
		dst = append(dst, '{')
		for i, k := range v.Keys {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = pgval.AppendJSONString(dst, k)
			dst = append(dst, ':')
			dst = appendCompact(dst, v.Vals[i])
		}
		return append(dst, '}')
	case 'a':
		dst = append(dst, '[')
		for i, c := range v.Vals {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendCompact(dst, c)
		}
		return append(dst, ']')
	case 's':
		// Strings are de-escaped and escaped again (escape_json).
		return pgval.AppendJSONString(dst, v.Str)
	}
	return append(dst, v.Raw...)
}

// buildObject is json_build_object and jsonb_build_object:
// (kind, descriptions of the arguments as one record, style, args…).
func buildObject(a []any) (any, error) {
	kind, d, st := str(a[0]), parseJDesc(str(a[1])), style(a[2])
	args := a[3:]
	b := []byte{'{'}
	for i := 0; i+1 < len(args); i += 2 {
		if args[i] == nil {
			if kind == "jsonb" {
				return nil, failf("22023", "argument %d: key must not be null", i+1)
			}
			return nil, fail(pgerr.New("22023", "argument %d cannot be null", i+1).WithHint("Object keys should be text."))
		}
		kd, vd := d.field(i), d.field(i+1)
		k, err := jsonKey(args[i], kd, st)
		if err != nil {
			return nil, err
		}
		if i > 0 {
			b = append(b, ", "...)
		}
		b = pgval.AppendJSONString(b, k)
		b = append(b, " : "...)
		b = appendDatumJSON(b, args[i+1], vd, st)
	}
	b = append(b, '}')
	if kind == "jsonb" {
		return toJSONB(b)
	}
	return string(b), nil
}

// buildArray is json_build_array and jsonb_build_array.
func buildArray(a []any) (any, error) {
	kind, d, st := str(a[0]), parseJDesc(str(a[1])), style(a[2])
	b := []byte{'['}
	for i, v := range a[3:] {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = appendDatumJSON(b, v, d.field(i), st)
	}
	b = append(b, ']')
	if kind == "jsonb" {
		return toJSONB(b)
	}
	return string(b), nil
}

func (d jdesc) field(i int) jdesc {
	if i < len(d.fields) {
		return d.fields[i]
	}
	return jdesc{oid: oidText, mod: -1}
}

// jsonObject1 is json_object(text[]): alternating keys and values
// (arrays are one-dimensional here).
func jsonObject1(a []any) (any, error) {
	items, _ := a[0].([]any)
	if len(items)%2 != 0 {
		return nil, failf("2202E", "array must have even number of elements")
	}
	var keys, vals []any
	for i := 0; i < len(items); i += 2 {
		keys, vals = append(keys, items[i]), append(vals, items[i+1])
	}
	return jsonObjectOf(keys, vals, str(a[1]))
}

// jsonObject2 is json_object(keys text[], values text[]).
func jsonObject2(a []any) (any, error) {
	keys, _ := a[0].([]any)
	vals, _ := a[1].([]any)
	if len(keys) != len(vals) {
		return nil, failf("2202E", "mismatched array dimensions")
	}
	return jsonObjectOf(keys, vals, str(a[2]))
}

func jsonObjectOf(keys, vals []any, kind string) (any, error) {
	b := []byte{'{'}
	for i := range keys {
		if keys[i] == nil {
			return nil, failf("22004", "null value not allowed for object key")
		}
		if i > 0 {
			b = append(b, ", "...)
		}
		b = pgval.AppendJSONString(b, str(keys[i]))
		b = append(b, " : "...)
		if vals[i] == nil {
			b = append(b, "null"...)
		} else {
			b = pgval.AppendJSONString(b, str(vals[i]))
		}
	}
	b = append(b, '}')
	if kind == "jsonb" {
		return toJSONB(b)
	}
	return string(b), nil
}

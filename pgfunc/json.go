package pgfunc

import (
	"math"
	"strconv"
	"strings"

	"github.com/hotdata-dev/hotdata/engine"
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
			i, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
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
	byIndex := func(v *pgval.JSONValue, a []any) *pgval.JSONValue { return index(v, i64(a[1])) }
	byPath := func(v *pgval.JSONValue, a []any) *pgval.JSONValue { p, _ := a[1].([]any); return path(v, p) }
	fs := []engine.ScalarFunc{
		get("hd_json_get", false, byKey, []string{"VARCHAR", "VARCHAR", "VARCHAR"}),
		get("hd_json_get_text", true, byKey, []string{"VARCHAR", "VARCHAR"}),
		get("hd_json_index", false, byIndex, []string{"VARCHAR", "INTEGER", "VARCHAR"}),
		get("hd_json_index_text", true, byIndex, []string{"VARCHAR", "INTEGER"}),
		get("hd_json_path", false, byPath, []string{"VARCHAR", "VARCHAR[]", "VARCHAR"}),
		get("hd_json_path_text", true, byPath, []string{"VARCHAR", "VARCHAR[]"}),
		fn("hd_json_typeof", []string{"VARCHAR"}, "VARCHAR", func(a []any) (any, error) {
			j, err := parseJSON(a[0])
			if err != nil {
				return nil, err
			}
			return map[byte]string{'o': "object", 'a': "array", 's': "string", 'n': "number", 't': "boolean", 'f': "boolean", 'z': "null"}[j.Kind], nil
		}),
		fn("hd_json_array_length", []string{"VARCHAR"}, "INTEGER", func(a []any) (any, error) {
			j, err := parseJSON(a[0])
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
		fn("hd_jsonb_key", []string{"VARCHAR"}, "VARCHAR", func(a []any) (any, error) {
			j, err := parseJSON(a[0])
			if err != nil {
				return nil, err
			}
			j.Canonicalize()
			return string(appendKey(nil, j)), nil
		}),
		fn("hd_jsonb_pretty", []string{"VARCHAR"}, "VARCHAR", func(a []any) (any, error) {
			j, err := parseJSON(a[0])
			if err != nil {
				return nil, err
			}
			j.Canonicalize()
			return string(appendPretty(nil, j, 0)), nil
		}),
		{Name: "hd_json_build_object", Args: []string{"VARCHAR[]", "VARCHAR"}, Returns: "JSON", Row: func(a []any) (any, error) {
			items, _ := a[0].([]any)
			kind := str(a[1])
			if kind == "jsonb" {
				obj := &pgval.JSONValue{Kind: 'o'}
				for i := 0; i+1 < len(items); i += 2 {
					if items[i] == nil {
						return nil, failf("22004", "argument %d cannot be null", i+1)
					}
					v := &pgval.JSONValue{Kind: 'z'}
					if items[i+1] != nil {
						var err error
						if v, err = parseJSON(items[i+1]); err != nil {
							return nil, err
						}
					}
					obj.Keys = append(obj.Keys, str(items[i]))
					obj.Vals = append(obj.Vals, v)
				}
				return jsonOut(obj, "jsonb"), nil
			}
			var b []byte
			b = append(b, '{')
			for i := 0; i+1 < len(items); i += 2 {
				if items[i] == nil {
					return nil, failf("22004", "argument %d cannot be null", i+1)
				}
				if i > 0 {
					b = append(b, ", "...)
				}
				b = pgval.AppendJSONString(b, str(items[i]))
				b = append(b, " : "...)
				if items[i+1] == nil {
					b = append(b, "null"...)
				} else {
					b = append(b, str(items[i+1])...)
				}
			}
			return string(append(b, '}')), nil
		}, NullCalls: true},
		{Name: "hd_json_build_array", Args: []string{"VARCHAR[]", "VARCHAR"}, Returns: "JSON", Row: func(a []any) (any, error) {
			items, _ := a[0].([]any)
			parts := make([]string, len(items))
			for i, it := range items {
				parts[i] = "null"
				if it != nil {
					parts[i] = str(it)
				}
			}
			s := "[" + strings.Join(parts, ", ") + "]"
			if str(a[1]) == "jsonb" {
				n, err := pgval.NormalizeJSONB(s)
				if err != nil {
					return nil, fail(err)
				}
				return n, nil
			}
			return s, nil
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
			s := string(toJSON(nil, a[0], parseDesc(str(a[1])), style(a[3]), false))
			if str(a[2]) == "jsonb" {
				n, err := pgval.NormalizeJSONB(s)
				if err != nil {
					return nil, fail(err)
				}
				return n, nil
			}
			return s, nil
		}},
		{Name: "hd_json_agg", Args: []string{"ANY", "VARCHAR", "VARCHAR", "VARCHAR"}, Returns: "JSON", Row: func(a []any) (any, error) {
			items, _ := a[0].([]any)
			d, st := parseDesc(str(a[1])), style(a[3])
			b := []byte{'['}
			for i, it := range items {
				if i > 0 {
					b = append(b, ", "...)
				}
				b = toJSON(b, it, d, st, false)
			}
			b = append(b, ']')
			if str(a[2]) == "jsonb" {
				n, err := pgval.NormalizeJSONB(string(b))
				if err != nil {
					return nil, fail(err)
				}
				return n, nil
			}
			return string(b), nil
		}},
		{Name: "hd_json_object_agg", Args: []string{"VARCHAR[]", "ANY", "VARCHAR", "VARCHAR", "VARCHAR"}, Returns: "JSON", Row: func(a []any) (any, error) {
			keys, _ := a[0].([]any)
			vals, _ := a[1].([]any)
			d, st := parseDesc(str(a[2])), style(a[4])
			b := []byte("{ ")
			for i := range keys {
				if keys[i] == nil {
					return nil, failf("22023", "field name must not be null")
				}
				if i > 0 {
					b = append(b, ", "...)
				}
				b = pgval.AppendJSONString(b, str(keys[i]))
				b = append(b, " : "...)
				var v any
				if i < len(vals) {
					v = vals[i]
				}
				b = toJSON(b, v, d, st, false)
			}
			b = append(b, " }"...)
			if str(a[3]) == "jsonb" {
				n, err := pgval.NormalizeJSONB(string(b))
				if err != nil {
					return nil, fail(err)
				}
				return n, nil
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
	}
	return append(dst, v.Raw...)
}

// appendKey writes a canonical form for jsonb equality (numbers by value).
func appendKey(dst []byte, v *pgval.JSONValue) []byte {
	if v.Kind == 'n' {
		return v.Num.TrimScale().Append(append(dst, 'n'))
	}
	switch v.Kind {
	case 'o':
		dst = append(dst, '{')
		for i, k := range v.Keys {
			dst = pgval.AppendJSONString(dst, k)
			dst = append(dst, ':')
			dst = appendKey(dst, v.Vals[i])
			dst = append(dst, ',')
		}
		return append(dst, '}')
	case 'a':
		dst = append(dst, '[')
		for _, c := range v.Vals {
			dst = appendKey(dst, c)
			dst = append(dst, ',')
		}
		return append(dst, ']')
	}
	return v.AppendJSONB(dst)
}

// appendPretty is jsonb_pretty.
func appendPretty(dst []byte, v *pgval.JSONValue, level int) []byte {
	indent := func(n int) {
		for i := 0; i < n; i++ {
			dst = append(dst, "    "...)
		}
	}
	switch v.Kind {
	case 'o':
		dst = append(dst, "{\n"...)
		for i, k := range v.Keys {
			if i > 0 {
				dst = append(dst, ",\n"...)
			}
			indent(level + 1)
			dst = pgval.AppendJSONString(dst, k)
			dst = append(dst, ": "...)
			dst = appendPretty(dst, v.Vals[i], level+1)
		}
		dst = append(dst, '\n')
		indent(level)
		return append(dst, '}')
	case 'a':
		dst = append(dst, "[\n"...)
		for i, c := range v.Vals {
			if i > 0 {
				dst = append(dst, ",\n"...)
			}
			indent(level + 1)
			dst = appendPretty(dst, c, level+1)
		}
		dst = append(dst, '\n')
		indent(level)
		return append(dst, ']')
	}
	return v.AppendJSONB(dst)
}

// toJSON is datum_to_json: a value as JSON text.
func toJSON(dst []byte, v any, d tdesc, st pgval.Style, inRecord bool) []byte {
	if v == nil {
		return append(dst, "null"...)
	}
	if d.elem != nil {
		items, _ := v.([]any)
		dst = append(dst, '[')
		for i, it := range items {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = toJSON(dst, it, *d.elem, st, true)
		}
		return append(dst, ']')
	}
	switch d.oid {
	case oidBool:
		if v.(bool) {
			return append(dst, "true"...)
		}
		return append(dst, "false"...)
	case oidInt2, oidInt4, oidInt8, oidOID:
		return strconv.AppendInt(dst, toInt64(v), 10)
	case oidFloat4, oidFloat8:
		f := toFloat64(v)
		bits := 64
		if d.oid == oidFloat4 {
			bits = 32
		}
		s := pgval.AppendFloat(nil, f, bits, st.ExtraFloatDigits)
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return pgval.AppendJSONString(dst, string(s))
		}
		return append(dst, s...)
	case oidNumeric:
		s := toString(v)
		if s == "NaN" || s == "Infinity" || s == "-Infinity" {
			return pgval.AppendJSONString(dst, s)
		}
		return append(dst, s...)
	case oidJSON, oidJSONB:
		return append(dst, toString(v)...)
	case oidDate:
		days := int64(v.(engine.Date))
		if days == pgval.DateInfinity || days == pgval.DateNegInfinity {
			return pgval.AppendJSONString(dst, string(pgval.AppendDate(nil, days, pgval.DefaultStyle)))
		}
		return pgval.AppendJSONString(dst, string(pgval.AppendDate(nil, days, pgval.DefaultStyle)))
	case oidTimestamp:
		return pgval.AppendJSONString(dst, pgval.ISOTimestamp(int64(v.(engine.Timestamp)), nil))
	case oidTimestamptz:
		return pgval.AppendJSONString(dst, pgval.ISOTimestamp(int64(v.(engine.Timestamp)), st.Loc))
	case oidRecord:
		items, _ := v.([]any)
		dst = append(dst, '{')
		for i, it := range items {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = pgval.AppendJSONString(dst, "f"+strconv.Itoa(i+1))
			dst = append(dst, ':')
			fd := tdesc{oid: oidText, mod: -1}
			if i < len(d.fields) {
				fd = d.fields[i]
			}
			dst = toJSON(dst, it, fd, st, true)
		}
		return append(dst, '}')
	}
	return pgval.AppendJSONString(dst, string(appendText(nil, v, d, st)))
}

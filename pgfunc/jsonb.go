package pgfunc

import (
	"strconv"

	"github.com/hotdata-dev/hotdata/engine"
	"github.com/hotdata-dev/hotdata/internal/pgerr"
	"github.com/hotdata-dev/hotdata/pgval"
)

// jsonb operators: containment, existence, concatenation, deletion and
// path updates (jsonb_util.c, jsonfuncs.c).

func jsonbFuncs() []engine.ScalarFunc {
	two := func(name string, ret string, f func(a, b *pgval.JSONValue) (any, error)) engine.ScalarFunc {
		return fn(name, []string{"VARCHAR", "VARCHAR"}, ret, func(a []any) (any, error) {
			x, err := parseJSON(a[0])
			if err != nil {
				return nil, err
			}
			y, err := parseJSON(a[1])
			if err != nil {
				return nil, err
			}
			x.Canonicalize()
			y.Canonicalize()
			return f(x, y)
		})
	}
	return []engine.ScalarFunc{
		two("hd_jsonb_contains", "BOOLEAN", func(a, b *pgval.JSONValue) (any, error) { return contains(a, b, true), nil }),
		two("hd_jsonb_concat", "JSON", func(a, b *pgval.JSONValue) (any, error) { return jsonOut(concat(a, b), "jsonb"), nil }),
		fn("hd_jsonb_exists", []string{"VARCHAR", "VARCHAR"}, "BOOLEAN", func(a []any) (any, error) {
			j, err := parseJSON(a[0])
			if err != nil {
				return nil, err
			}
			return exists(j, str(a[1])), nil
		}),
		{Name: "hd_jsonb_exists_any", Args: []string{"VARCHAR", "VARCHAR[]"}, Returns: "BOOLEAN", Row: func(a []any) (any, error) {
			j, err := parseJSON(a[0])
			if err != nil {
				return nil, err
			}
			keys, _ := a[1].([]any)
			for _, k := range keys {
				if k != nil && exists(j, str(k)) {
					return true, nil
				}
			}
			return false, nil
		}},
		{Name: "hd_jsonb_exists_all", Args: []string{"VARCHAR", "VARCHAR[]"}, Returns: "BOOLEAN", Row: func(a []any) (any, error) {
			j, err := parseJSON(a[0])
			if err != nil {
				return nil, err
			}
			keys, _ := a[1].([]any)
			for _, k := range keys {
				if k != nil && !exists(j, str(k)) {
					return false, nil
				}
			}
			return true, nil
		}},
		fn("hd_jsonb_delete_key", []string{"VARCHAR", "VARCHAR"}, "JSON", func(a []any) (any, error) {
			j, err := parseJSON(a[0])
			if err != nil {
				return nil, err
			}
			j.Canonicalize()
			if j.Kind != 'o' && j.Kind != 'a' {
				return nil, failf("22023", "cannot delete from scalar")
			}
			deleteKey(j, str(a[1]))
			return jsonOut(j, "jsonb"), nil
		}),
		{Name: "hd_jsonb_delete_keys", Args: []string{"VARCHAR", "VARCHAR[]"}, Returns: "JSON", Row: func(a []any) (any, error) {
			j, err := parseJSON(a[0])
			if err != nil {
				return nil, err
			}
			j.Canonicalize()
			if j.Kind != 'o' && j.Kind != 'a' {
				return nil, failf("22023", "cannot delete from scalar")
			}
			keys, _ := a[1].([]any)
			for _, k := range keys {
				if k != nil {
					deleteKey(j, str(k))
				}
			}
			return jsonOut(j, "jsonb"), nil
		}},
		fn("hd_jsonb_delete_index", []string{"VARCHAR", "INTEGER"}, "JSON", func(a []any) (any, error) {
			j, err := parseJSON(a[0])
			if err != nil {
				return nil, err
			}
			j.Canonicalize()
			switch j.Kind {
			case 'o':
				return nil, failf("22023", "cannot delete from object using integer index")
			case 'a':
			default:
				return nil, failf("22023", "cannot delete from scalar")
			}
			i := i64(a[1])
			if i < 0 {
				i += int64(len(j.Vals))
			}
			if i >= 0 && i < int64(len(j.Vals)) {
				j.Vals = append(j.Vals[:i:i], j.Vals[i+1:]...)
			}
			return jsonOut(j, "jsonb"), nil
		}),
		{Name: "hd_jsonb_delete_path", Args: []string{"VARCHAR", "VARCHAR[]"}, Returns: "JSON", Row: func(a []any) (any, error) {
			j, err := parseJSON(a[0])
			if err != nil {
				return nil, err
			}
			j.Canonicalize()
			p, _ := a[1].([]any)
			if j.Kind != 'o' && j.Kind != 'a' {
				return nil, failf("22023", "cannot delete path in scalar")
			}
			if err := deletePath(j, p); err != nil {
				return nil, err
			}
			return jsonOut(j, "jsonb"), nil
		}},
		{Name: "hd_jsonb_set", Args: []string{"VARCHAR", "VARCHAR[]", "VARCHAR", "BOOLEAN"}, Returns: "JSON", Row: func(a []any) (any, error) {
			return setPath(a, false)
		}},
		{Name: "hd_jsonb_set_lax", Args: []string{"VARCHAR", "VARCHAR[]", "VARCHAR", "BOOLEAN", "VARCHAR"}, Returns: "JSON", NullCalls: true, Row: setLax},
		fn("hd_jsonb_numeric", []string{"VARCHAR", "VARCHAR"}, "VARCHAR", func(a []any) (any, error) {
			n, err := jsonbNumber(a[0], str(a[1]))
			if err != nil {
				return nil, err
			}
			return n.String(), nil
		}),
		fn("hd_jsonb_int", []string{"VARCHAR", "VARCHAR", "INTEGER"}, "BIGINT", func(a []any) (any, error) {
			name := str(a[1])
			n, err := jsonbNumber(a[0], name)
			if err != nil {
				return nil, err
			}
			v, err := n.Int64(int(i64(a[2])), name)
			if err != nil {
				return nil, fail(err)
			}
			return v, nil
		}),
		fn("hd_jsonb_float", []string{"VARCHAR", "VARCHAR", "INTEGER"}, "DOUBLE", func(a []any) (any, error) {
			name := str(a[1])
			n, err := jsonbNumber(a[0], name)
			if err != nil {
				return nil, err
			}
			f, err := pgval.ParseFloat(n.String(), int(i64(a[2])))
			if err != nil {
				return nil, fail(err)
			}
			return f, nil
		}),
		fn("hd_jsonb_bool", []string{"VARCHAR"}, "BOOLEAN", func(a []any) (any, error) {
			j, err := parseJSON(a[0])
			if err != nil {
				return nil, err
			}
			switch j.Kind {
			case 't':
				return true, nil
			case 'f':
				return false, nil
			}
			return nil, failf("22023", "cannot cast jsonb %s to type %s", jsonbTypeName(j), "boolean")
		}),
		{Name: "hd_jsonb_insert", Args: []string{"VARCHAR", "VARCHAR[]", "VARCHAR", "BOOLEAN"}, Returns: "JSON", Row: func(a []any) (any, error) {
			return setPath(a, true)
		}},
	}
}

func exists(j *pgval.JSONValue, key string) bool {
	switch j.Kind {
	case 'o':
		return field(j, key) != nil
	case 'a':
		for _, v := range j.Vals {
			if v.Kind == 's' && v.Str == key {
				return true
			}
		}
	case 's':
		return j.Str == key
	}
	return false
}

func equalScalar(a, b *pgval.JSONValue) bool {
	if a.Kind != b.Kind {
		return false
	}
	switch a.Kind {
	case 's':
		return a.Str == b.Str
	case 'n':
		return a.Num.Cmp(b.Num) == 0
	}
	return true
}

// contains is JsonbDeepContains (top: the outermost call, where an
// array contains a scalar that is one of its elements).
func contains(a, b *pgval.JSONValue, top bool) bool {
	switch {
	case a.Kind == 'o' && b.Kind == 'o':
		for i, k := range b.Keys {
			av := field(a, k)
			if av == nil {
				return false
			}
			bv := b.Vals[i]
			if bv.Kind == 'o' || bv.Kind == 'a' {
				if av.Kind != bv.Kind || !contains(av, bv, false) {
					return false
				}
			} else if !equalScalar(av, bv) {
				return false
			}
		}
		return true
	case a.Kind == 'a' && b.Kind == 'a':
		for _, bv := range b.Vals {
			found := false
			for _, av := range a.Vals {
				if bv.Kind == 'o' || bv.Kind == 'a' {
					if av.Kind == bv.Kind && contains(av, bv, false) {
						found = true
						break
					}
				} else if equalScalar(av, bv) {
					found = true
					break
				}
			}
			if !found {
				return false
			}
		}
		return true
	case a.Kind == 'a' && top && b.Kind != 'o':
		for _, av := range a.Vals {
			if equalScalar(av, b) {
				return true
			}
		}
		return false
	case a.Kind != 'o' && a.Kind != 'a' && b.Kind != 'o' && b.Kind != 'a':
		return equalScalar(a, b)
	}
	return false
}

// concat is jsonb || jsonb.
func concat(a, b *pgval.JSONValue) *pgval.JSONValue {
	switch {
	case a.Kind == 'o' && b.Kind == 'o':
		out := &pgval.JSONValue{Kind: 'o', Keys: append([]string(nil), a.Keys...), Vals: append([]*pgval.JSONValue(nil), a.Vals...)}
		out.Keys = append(out.Keys, b.Keys...)
		out.Vals = append(out.Vals, b.Vals...)
		out.Canonicalize()
		return out
	}
	wrap := func(v *pgval.JSONValue) []*pgval.JSONValue {
		if v.Kind == 'a' {
			return v.Vals
		}
		return []*pgval.JSONValue{v}
	}
	return &pgval.JSONValue{Kind: 'a', Vals: append(append([]*pgval.JSONValue(nil), wrap(a)...), wrap(b)...)}
}

func deleteKey(j *pgval.JSONValue, key string) {
	switch j.Kind {
	case 'o':
		for i, k := range j.Keys {
			if k == key {
				j.Keys = append(j.Keys[:i:i], j.Keys[i+1:]...)
				j.Vals = append(j.Vals[:i:i], j.Vals[i+1:]...)
				return
			}
		}
	case 'a':
		var vals []*pgval.JSONValue
		for _, v := range j.Vals {
			if !(v.Kind == 's' && v.Str == key) {
				vals = append(vals, v)
			}
		}
		j.Vals = vals
	}
}

func deletePath(j *pgval.JSONValue, p []any) error {
	if len(p) == 0 || j == nil {
		return nil
	}
	if p[0] == nil {
		return failf("22004", "path element at position 1 is null")
	}
	k := str(p[0])
	switch j.Kind {
	case 'o':
		for i, key := range j.Keys {
			if key == k {
				if len(p) == 1 {
					j.Keys = append(j.Keys[:i:i], j.Keys[i+1:]...)
					j.Vals = append(j.Vals[:i:i], j.Vals[i+1:]...)
					return nil
				}
				return deletePath(j.Vals[i], p[1:])
			}
		}
	case 'a':
		idx, err := strconv.Atoi(k)
		if err != nil {
			return failf("22P02", "path element at position 1 is not an integer: %q", k)
		}
		if idx < 0 {
			idx += len(j.Vals)
		}
		if idx < 0 || idx >= len(j.Vals) {
			return nil
		}
		if len(p) == 1 {
			j.Vals = append(j.Vals[:idx:idx], j.Vals[idx+1:]...)
			return nil
		}
		return deletePath(j.Vals[idx], p[1:])
	}
	return nil
}

// setPath is jsonb_set and jsonb_insert.
func setPath(a []any, insert bool) (any, error) {
	j, err := parseJSON(a[0])
	if err != nil {
		return nil, err
	}
	j.Canonicalize()
	p, _ := a[1].([]any)
	nv, err := parseJSON(a[2])
	if err != nil {
		return nil, err
	}
	nv.Canonicalize()
	flag, _ := a[3].(bool)
	if j.Kind != 'o' && j.Kind != 'a' {
		return nil, failf("22023", "cannot set path in scalar")
	}
	cur := j
	for i, el := range p {
		if el == nil {
			return nil, failf("22004", "path element at position %d is null", i+1)
		}
		k := str(el)
		last := i == len(p)-1
		switch cur.Kind {
		case 'o':
			found := -1
			for n, key := range cur.Keys {
				if key == k {
					found = n
				}
			}
			if last {
				switch {
				case found >= 0 && insert:
					return nil, failf("22023", "cannot replace existing key")
				case found >= 0:
					cur.Vals[found] = nv
				case insert || flag:
					cur.Keys = append(cur.Keys, k)
					cur.Vals = append(cur.Vals, nv)
					cur.Canonicalize()
				}
				return jsonOut(j, "jsonb"), nil
			}
			if found < 0 {
				return jsonOut(j, "jsonb"), nil
			}
			cur = cur.Vals[found]
		case 'a':
			idx, err := strconv.Atoi(k)
			if err != nil {
				return nil, failf("22P02", "path element at position %d is not an integer: %q", i+1, k)
			}
			n := len(cur.Vals)
			if idx < 0 {
				idx += n
			}
			if last {
				switch {
				case insert:
					after := flag
					pos := idx
					if after {
						pos++
					}
					if idx < 0 {
						pos = 0
					}
					if pos > n {
						pos = n
					}
					cur.Vals = append(cur.Vals[:pos:pos], append([]*pgval.JSONValue{nv}, cur.Vals[pos:]...)...)
				case idx >= 0 && idx < n:
					cur.Vals[idx] = nv
				case flag && idx < 0:
					cur.Vals = append([]*pgval.JSONValue{nv}, cur.Vals...)
				case flag:
					cur.Vals = append(cur.Vals, nv)
				}
				return jsonOut(j, "jsonb"), nil
			}
			if idx < 0 || idx >= n {
				return jsonOut(j, "jsonb"), nil
			}
			cur = cur.Vals[idx]
		default:
			return jsonOut(j, "jsonb"), nil
		}
	}
	return jsonOut(j, "jsonb"), nil
}

// jsonbTypeName is JsonbTypeName for a cast's message.
func jsonbTypeName(j *pgval.JSONValue) string {
	switch j.Kind {
	case 'o':
		return "object"
	case 'a':
		return "array"
	case 's':
		return "string"
	case 'n':
		return "numeric"
	case 't', 'f':
		return "boolean"
	}
	return "null"
}

// jsonbNumber is a jsonb scalar number cast to a numeric type (name is
// the target's name for the message).
func jsonbNumber(v any, name string) (pgval.Numeric, error) {
	j, err := parseJSON(v)
	if err != nil {
		return pgval.Numeric{}, err
	}
	if j.Kind != 'n' {
		return pgval.Numeric{}, failf("22023", "cannot cast jsonb %s to type %s", jsonbTypeName(j), name)
	}
	return j.Num, nil
}

// setLax is jsonb_set_lax: an SQL NULL new value is handled as
// null_value_treatment says.
func setLax(a []any) (any, error) {
	if a[0] == nil || a[1] == nil || a[3] == nil {
		return nil, nil
	}
	const msg = `null_value_treatment must be "delete_key", "return_target", "use_json_null", or "raise_exception"`
	if a[4] == nil {
		return nil, failf("22023", msg)
	}
	if a[2] != nil {
		return setPath(a[:4], false)
	}
	switch str(a[4]) {
	case "raise_exception":
		return nil, fail(pgerr.New("22004", "JSON value must not be null").
			WithDetail(`Exception was raised because null_value_treatment is "raise_exception".`).
			WithHint("To avoid, either change the null_value_treatment argument or ensure that an SQL NULL is not passed."))
	case "use_json_null":
		return setPath([]any{a[0], a[1], "null", a[3]}, false)
	case "delete_key":
		j, err := parseJSON(a[0])
		if err != nil {
			return nil, err
		}
		j.Canonicalize()
		if j.Kind != 'o' && j.Kind != 'a' {
			return nil, failf("22023", "cannot delete path in scalar")
		}
		p, _ := a[1].([]any)
		if err := deletePath(j, p); err != nil {
			return nil, err
		}
		return jsonOut(j, "jsonb"), nil
	case "return_target":
		return a[0], nil
	}
	return nil, failf("22023", msg)
}

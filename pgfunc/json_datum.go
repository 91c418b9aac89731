package pgfunc

import (
	"strconv"
	"strings"
	"sync"

	"github.com/hotdata-dev/hotdata/engine"
	"github.com/hotdata-dev/hotdata/pgval"
)

// datum_to_json and datum_to_jsonb (json.c, jsonb.c): a value of any
// type as JSON text. The translator describes the value's type in a
// JSON type description:
//
//	desc   = oid [ "(" typmod ")" ] [ "{" field { "," field } "}" ]
//	field  = [ name ] desc        name: a JSON string ("id")
//
// "2249{\"id\"23,\"name\"25}" is a record of an int4 named id and a
// text named name; fields without a name are f1, f2, … An array type's
// fields are its element's (a record array).

// jdesc is a parsed JSON type description.
type jdesc struct {
	oid    uint32
	mod    int32
	elem   *jdesc
	fields []jdesc
	names  []string
}

var jdescCache sync.Map

func parseJDesc(s string) jdesc {
	if v, ok := jdescCache.Load(s); ok {
		return v.(jdesc)
	}
	// The engine's strings alias its memory: the cache keeps a copy.
	s = strings.Clone(s)
	i := 0
	d := parseJDescAt(s, &i)
	jdescCache.Store(s, d)
	return d
}

func parseJDescAt(s string, i *int) jdesc {
	d := jdesc{mod: -1}
	j := *i
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	oid, _ := strconv.ParseUint(s[*i:j], 10, 32)
	d.oid = uint32(oid)
	*i = j
	if *i < len(s) && s[*i] == '(' {
		k := strings.IndexByte(s[*i:], ')')
		if k > 0 {
			m, _ := strconv.Atoi(s[*i+1 : *i+k])
			d.mod = int32(m)
			*i += k + 1
		}
	}
	if *i < len(s) && s[*i] == '{' {
		*i++
		for *i < len(s) && s[*i] != '}' {
			name := ""
			if s[*i] == '"' {
				k := *i + 1
				for k < len(s) && s[k] != '"' {
					if s[k] == '\\' {
						k++
					}
					k++
				}
				if v, err := pgval.ParseJSON(s[*i : k+1]); err == nil {
					name = v.Str
				}
				*i = k + 1
			}
			d.names = append(d.names, name)
			d.fields = append(d.fields, parseJDescAt(s, i))
			if *i < len(s) && s[*i] == ',' {
				*i++
			}
		}
		*i++ // '}'
	}
	if e, ok := arrayElems[d.oid]; ok {
		ed := jdesc{oid: e, mod: d.mod, fields: d.fields, names: d.names}
		d.elem = &ed
		d.fields, d.names = nil, nil
	}
	return d
}

// text is the description as the text output functions read it.
func (d jdesc) tdesc() tdesc {
	t := tdesc{oid: d.oid, mod: d.mod}
	if d.elem != nil {
		e := d.elem.tdesc()
		t.elem = &e
	}
	for _, f := range d.fields {
		t.fields = append(t.fields, f.tdesc())
	}
	return t
}

func (d jdesc) fieldName(i int) string {
	if i < len(d.names) && d.names[i] != "" {
		return d.names[i]
	}
	return "f" + strconv.Itoa(i+1)
}

// jsonCategory is json_categorize_type's answer.
const (
	jcOther = iota
	jcNumeric
	jcBool
	jcDate
	jcTimestamp
	jcTimestamptz
	jcJSON
	jcArray
	jcComposite
)

func (d jdesc) category() int {
	if d.elem != nil {
		return jcArray
	}
	switch d.oid {
	case oidBool:
		return jcBool
	case oidInt2, oidInt4, oidInt8, oidFloat4, oidFloat8, oidNumeric:
		return jcNumeric
	case oidDate:
		return jcDate
	case oidTimestamp:
		return jcTimestamp
	case oidTimestamptz:
		return jcTimestamptz
	case oidJSON, oidJSONB:
		return jcJSON
	case oidRecord:
		return jcComposite
	}
	return jcOther
}

// validJSONNumber is IsValidJsonNumber.
func validJSONNumber(s string) bool {
	if s == "" {
		return false
	}
	v, err := pgval.ParseJSONLenient(s)
	return err == nil && v.Kind == 'n'
}

// numberText is a numeric-category value's output text.
func numberText(v any, d jdesc, st pgval.Style) string {
	switch d.oid {
	case oidFloat4, oidFloat8:
		bits := 64
		if d.oid == oidFloat4 {
			bits = 32
		}
		return string(pgval.AppendFloat(nil, toFloat64(v), bits, st.ExtraFloatDigits))
	case oidInt2, oidInt4, oidInt8:
		return strconv.FormatInt(toInt64(v), 10)
	}
	return toString(v)
}

// scalarText is a non-container value's text as to_json renders it
// before quoting: ISO dates and timestamps, other values by their
// output function.
func scalarText(dst []byte, v any, d jdesc, st pgval.Style) []byte {
	switch d.category() {
	case jcNumeric:
		return append(dst, numberText(v, d, st)...)
	case jcBool:
		if b, _ := v.(bool); b {
			return append(dst, "true"...)
		}
		return append(dst, "false"...)
	case jcDate:
		return pgval.AppendJSONDate(dst, int64(v.(engine.Date)))
	case jcTimestamp:
		return pgval.AppendJSONTimestamp(dst, int64(v.(engine.Timestamp)), nil)
	case jcTimestamptz:
		return pgval.AppendJSONTimestamp(dst, int64(v.(engine.Timestamp)), st.Loc)
	}
	if d.oid == oidUUID {
		switch u := v.(type) {
		case [16]byte:
			return pgval.AppendUUID(dst, u[:])
		case string:
			return append(dst, strings.ToLower(u)...)
		}
	}
	return appendText(dst, v, d.tdesc(), st)
}

// errKeyNotScalar is datum_to_json's refusal of a container as a key.
func errKeyNotScalar() error {
	return failf("22023", "key value must be scalar, not array, composite, or json")
}

// jsonKey is a value as an object key (datum_to_json with key_scalar).
func jsonKey(v any, d jdesc, st pgval.Style) (string, error) {
	switch d.category() {
	case jcArray, jcComposite, jcJSON:
		return "", errKeyNotScalar()
	}
	return string(scalarText(nil, v, d, st)), nil
}

// appendDatumJSON is datum_to_json: v (nil is NULL) as json text.
func appendDatumJSON(dst []byte, v any, d jdesc, st pgval.Style) []byte {
	if v == nil {
		return append(dst, "null"...)
	}
	switch d.category() {
	case jcArray:
		items, _ := v.([]any)
		return appendArrayJSON(dst, items, *d.elem, st, false)
	case jcComposite:
		items, _ := v.([]any)
		return appendCompositeJSON(dst, items, d, st, false)
	case jcJSON:
		return append(dst, toString(v)...)
	case jcBool:
		return scalarText(dst, v, d, st)
	case jcNumeric:
		s := numberText(v, d, st)
		if validJSONNumber(s) {
			return append(dst, s...)
		}
		return pgval.AppendJSONString(dst, s)
	}
	return pgval.AppendJSONString(dst, string(scalarText(nil, v, d, st)))
}

// appendArrayJSON is array_to_json (one dimension): "," between
// elements, ",\n " with line feeds.
func appendArrayJSON(dst []byte, items []any, elem jdesc, st pgval.Style, lineFeeds bool) []byte {
	dst = append(dst, '[')
	for i, it := range items {
		if i > 0 {
			dst = append(dst, ',')
			if lineFeeds {
				dst = append(dst, "\n "...)
			}
		}
		dst = appendDatumJSON(dst, it, elem, st)
	}
	return append(dst, ']')
}

// appendCompositeJSON is composite_to_json: {"name":value,…}, ",\n "
// between fields with line feeds.
func appendCompositeJSON(dst []byte, items []any, d jdesc, st pgval.Style, lineFeeds bool) []byte {
	dst = append(dst, '{')
	for i, it := range items {
		if i > 0 {
			dst = append(dst, ',')
			if lineFeeds {
				dst = append(dst, "\n "...)
			}
		}
		dst = pgval.AppendJSONString(dst, d.fieldName(i))
		dst = append(dst, ':')
		fd := jdesc{oid: oidText, mod: -1}
		if i < len(d.fields) {
			fd = d.fields[i]
		}
		dst = appendDatumJSON(dst, it, fd, st)
	}
	return append(dst, '}')
}

// toJSONB turns json text built by datum_to_json into jsonb's text
// output: datum_to_jsonb gives the same tree (numbers by value, keys
// sorted, the last duplicate kept, strings de-escaped).
func toJSONB(b []byte) (string, error) {
	s, err := pgval.NormalizeJSONB(string(b))
	if err != nil {
		return "", fail(err)
	}
	return s, nil
}

// datumJSON renders one value as json or jsonb text.
func datumJSON(v any, d jdesc, kind string, st pgval.Style) (any, error) {
	b := appendDatumJSON(nil, v, d, st)
	if kind == "jsonb" {
		return toJSONB(b)
	}
	return string(b), nil
}

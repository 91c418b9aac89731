//go:build duckdb_arrow

package pgfunc

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/hotdata-dev/hotdata/engine"
	"github.com/hotdata-dev/hotdata/internal/pgerr"
)

var (
	testEngineOnce sync.Once
	testEngine     *engine.Engine
	testEngineErr  error
)

// query runs engine SQL with this package's functions and returns the
// first column of the first row as text ("NULL" for NULL), or the error.
func query(t *testing.T, sql string) (string, error) {
	t.Helper()
	testEngineOnce.Do(func() {
		dir := filepath.Join(t.TempDir(), "workspaces", "ws_json")
		testEngine, testEngineErr = engine.Open(context.Background(), dir, engine.Limits{MemoryBytes: 256 << 20, Threads: 1, Functions: Functions()})
	})
	if testEngineErr != nil {
		t.Fatal(testEngineErr)
	}
	var out string
	err := testEngine.Query(context.Background(), sql, nil, func(rr array.RecordReader) error {
		for rr.Next() {
			rec := rr.RecordBatch()
			if rec.NumRows() > 0 && out == "" {
				c := rec.Column(0)
				if c.IsNull(0) {
					out = "NULL"
				} else {
					out = strings.Clone(c.ValueStr(0))
				}
			}
		}
		return rr.Err()
	})
	return out, err
}

// queryErr runs sql and returns its value or "ERROR <SQLSTATE>".
func queryErr(t *testing.T, sql string) string {
	t.Helper()
	got, err := query(t, sql)
	if err != nil {
		if e := pgerr.As(err); e != nil {
			return "ERROR " + e.Code
		}
		return "ERROR " + err.Error()
	}
	return got
}

// TestDatumToJSON checks to_json/to_jsonb's rendering of values, as
// PostgreSQL 15 prints them (extra_float_digits 1, TimeZone UTC).
func TestDatumToJSON(t *testing.T) {
	for _, c := range []struct{ sql, want string }{
		// Numbers: JSON numbers, except NaN and infinities (strings);
		// jsonb reads numbers as numeric.
		{`hd_to_json(CAST('NaN' AS DOUBLE), '701', 'json', '')`, `"NaN"`},
		{`hd_to_json(CAST('-Infinity' AS FLOAT), '700', 'jsonb', '')`, `"-Infinity"`},
		{`hd_to_json(CAST(1e20 AS DOUBLE), '701', 'json', '')`, `1e+20`},
		{`hd_to_json(CAST(1e20 AS DOUBLE), '701', 'jsonb', '')`, `100000000000000000000`},
		{`hd_to_json(CAST(-0.0 AS DOUBLE), '701', 'jsonb', '')`, `0`},
		{`hd_to_json(CAST(1.50 AS DECIMAL(5,2)), '1700(327686)', 'jsonb', '')`, `1.50`},
		{`hd_to_json('Infinity', '1700', 'json', '')`, `"Infinity"`},
		{`hd_to_json(CAST(7 AS UINTEGER), '26', 'json', '')`, `"7"`}, // oid is not a number to to_json
		// Strings, uuids, bytea, bpchar padding.
		{`hd_to_json('a"b' || chr(10), '25', 'json', '')`, `"a\"b\n"`},
		{`hd_to_json(CAST('A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11' AS UUID), '2950', 'json', '')`, `"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"`},
		{`hd_to_json(CAST('\xde\xad' AS BLOB), '17', 'json', '')`, `"\\xdead"`},
		{`hd_to_json('x', '1042(7)', 'jsonb', '')`, `"x  "`},
		// Dates and timestamps in ISO form with T, whatever DateStyle.
		{`hd_to_json(CAST('2024-01-02' AS DATE), '1082', 'json', '')`, `"2024-01-02"`},
		{`hd_to_json(CAST('2024-01-02 03:04:05.5' AS TIMESTAMP), '1114', 'json', '')`, `"2024-01-02T03:04:05.5"`},
		{`hd_to_json(CAST('2024-01-02 03:04:05+00' AS TIMESTAMPTZ), '1184', 'json', '')`, `"2024-01-02T03:04:05+00:00"`},
		// Arrays and records, with field names; json keeps its text.
		{`hd_to_json([1, NULL, 3], '1007', 'json', '')`, `[1,null,3]`},
		{`hd_to_json([1, NULL, 3], '1007', 'jsonb', '')`, `[1, null, 3]`},
		{`hd_to_json(row(1, 'x', CAST(NULL AS BOOLEAN)), '2249{"id"23,"name"25,16}', 'json', '')`, `{"id":1,"name":"x","f3":null}`},
		{`hd_to_json(row(row(1, 2), [3]), '2249{2249{23,"b"23},1007}', 'json', '')`, `{"f1":{"f1":1,"b":2},"f2":[3]}`},
		{`hd_to_json(row(CAST('{"b": 1,  "a": 2}' AS JSON)), '2249{114}', 'json', '')`, `{"f1":{"b": 1,  "a": 2}}`},
		{`hd_to_json(row(CAST('{"b": 1,  "a": 2}' AS JSON)), '2249{114}', 'jsonb', '')`, `{"f1": {"a": 2, "b": 1}}`},
		{`hd_to_json(row(1, 2), '2249{"a"23,"a"23}', 'jsonb', '')`, `{"a": 2}`},
	} {
		if got := queryErr(t, "SELECT "+c.sql); got != c.want {
			t.Errorf("%s = %s, want %s", c.sql, got, c.want)
		}
	}
}

func TestJSONBuild(t *testing.T) {
	for _, c := range []struct{ sql, want string }{
		{`hd_json_build_object('json', '2249{25,23,25,1700}', '', 'a', 1, 'b', '1.50')`, `{"a" : 1, "b" : 1.50}`},
		{`hd_json_build_object('jsonb', '2249{25,23,25,23}', '', 'b', 1, 'a', 2)`, `{"a": 2, "b": 1}`},
		// Keys are scalars as text: numbers and booleans quoted.
		{`hd_json_build_object('json', '2249{701,23,16,23,1082,23}', '', CAST(1e20 AS DOUBLE), 1, true, 2, CAST('2024-01-02' AS DATE), 3)`, `{"1e+20" : 1, "true" : 2, "2024-01-02" : 3}`},
		{`hd_json_build_object('json', '2249{25,23}', '', CAST(NULL AS VARCHAR), 1)`, `ERROR 22023`},
		{`hd_json_build_object('jsonb', '2249{25,23}', '', CAST(NULL AS VARCHAR), 1)`, `ERROR 22023`},
		{`hd_json_build_object('json', '2249{1007,23}', '', [1], 1)`, `ERROR 22023`},
		{`hd_json_build_object('json', '2249{25,23}', '', 'a', CAST(NULL AS INTEGER))`, `{"a" : null}`},
		{`hd_json_build_array('json', '2249{23,25,1007,2249{23}}', '', 1, 'x', [1, 2], row(3))`, `[1, "x", [1,2], {"f1":3}]`},
		{`hd_json_object(['a', '1', 'b', NULL], 'json')`, `{"a" : "1", "b" : null}`},
		{`hd_json_object(['a', '1', 'b'], 'json')`, `ERROR 2202E`},
		{`hd_json_object([NULL, 'b'], ['1', '2'], 'jsonb')`, `ERROR 22004`},
		{`hd_json_object(['b', 'a', 'b'], ['1', NULL, '3'], 'jsonb')`, `{"a": null, "b": "3"}`},
	} {
		if got := queryErr(t, "SELECT "+c.sql); got != c.want {
			t.Errorf("%s = %s, want %s", c.sql, got, c.want)
		}
	}
}

func TestJSONAgg(t *testing.T) {
	for _, c := range []struct{ sql, want string }{
		// json_agg: ", " between values, "\n " also before an array or
		// record that is not first and not null; jsonb_agg normalizes.
		{`hd_json_agg([1, NULL, 3], '23', 'json', '')`, `[1, null, 3]`},
		{`hd_json_agg([row(1, 'a'), NULL, row(2, NULL)], '2249{"x"23,"y"25}', 'json', '')`, "[{\"x\":1,\"y\":\"a\"}, null, \n {\"x\":2,\"y\":null}]"},
		{`hd_json_agg([NULL, [1, 2], [3]], '1007', 'json', '')`, "[null, \n [1,2], \n [3]]"},
		{`hd_json_agg([row(1, 'a')], '2249{"x"23,"y"25}', 'jsonb', '')`, `[{"x": 1, "y": "a"}]`},
		{`hd_json_object_agg(['a', 'b'], [1, NULL], '25', '23', 'json', '')`, `{ "a" : 1, "b" : null }`},
		{`hd_json_object_agg(['b', 'a', 'b'], [1, NULL, 2], '25', '23', 'jsonb', '')`, `{"a": null, "b": 2}`},
		{`hd_json_object_agg(['a', NULL], [1, 2], '25', '23', 'json', '')`, `ERROR 22023`},
	} {
		if got := queryErr(t, "SELECT "+c.sql); got != c.want {
			t.Errorf("%s = %q, want %q", c.sql, got, c.want)
		}
	}
}

func TestJSONBFunctions(t *testing.T) {
	for _, c := range []struct{ sql, want string }{
		{`hd_jsonb_pretty('{"a": {}, "b": []}')`, "{\n    \"a\": {\n    },\n    \"b\": [\n    ]\n}"},
		{`hd_json_index('"x"', 0, 'jsonb')`, `"x"`},
		{`hd_json_index('"x"', -1, 'jsonb')`, `"x"`},
		{`hd_json_index('"x"', 1, 'jsonb')`, `NULL`},
		{`hd_json_index('"x"', 0, 'json')`, `NULL`},
		{`hd_jsonb_key('1.0') = hd_jsonb_key('1')`, `true`},
		{`hd_jsonb_key('{"a": [1]}') > hd_jsonb_key('[1, 2, 3]')`, `true`},
		{`hd_jsonb_int('2.5', 'integer', 32)`, `3`},
		{`hd_jsonb_int('1e10', 'integer', 32)`, `ERROR 22003`},
		{`hd_jsonb_int('"1"', 'integer', 32)`, `ERROR 22023`},
		{`hd_jsonb_numeric('1.50', 'numeric')`, `1.50`},
		{`hd_jsonb_bool('1')`, `ERROR 22023`},
		{`hd_jsonb_set_lax('{"a": 1}', ['a'], NULL, true, 'delete_key')`, `{}`},
		{`hd_jsonb_set_lax('{"a": 1}', ['a'], NULL, true, 'use_json_null')`, `{"a": null}`},
		{`hd_jsonb_set_lax('{"a": 1}', ['a'], NULL, true, 'raise_exception')`, `ERROR 22004`},
		{`hd_jsonb_set_lax('{"a": 1}', ['a'], '2', true, NULL)`, `ERROR 22023`},
		{`hd_jsonb_set('{"a": 1}', [NULL], '2', true)`, `ERROR 22004`},
		{`hd_jsonb_insert('{"a": 1}', ['a'], '2', false)`, `ERROR 22023`},
		{`hd_json_strip_nulls('{"a": "\u00e9", "b": null, "c": [1e2, null]}', 'json')`, `{"a":"é","c":[1e2,null]}`},
		{`hd_json_strip_nulls('{"a": "\u00e9", "b": null, "c": [1e2, null]}', 'jsonb')`, `{"a": "é", "c": [100, null]}`},
		{`hd_json_typeof('"\u0000"')`, `string`},
		{`hd_json_get_text('{"a": "\u0000"}', 'a')`, `ERROR 22P05`},
	} {
		if got := queryErr(t, "SELECT "+c.sql); got != c.want {
			t.Errorf("%s = %q, want %q", c.sql, got, c.want)
		}
	}
}

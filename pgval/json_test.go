package pgval

import (
	"bytes"
	"sort"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the zone below, also where the system has no zone files

	"github.com/hotdata-dev/hotdata/internal/pgerr"
)

func TestNormalizeJSONB(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		// Numbers print as numeric does: the scale kept, exponents expanded.
		{`[1.50, 1e2, -0, 0.0, 1E-3, 100000000000000000000, -1.0e-2, 1E+2]`, `[1.50, 100, 0, 0.0, 0.001, 100000000000000000000, -0.010, 100]`},
		// Keys sorted shorter first, then bytewise; the last duplicate wins.
		{`{"b": 1, "a": 2, "aa": 3, "c": {"z": 1, "y": 2}}`, `{"a": 2, "b": 1, "c": {"y": 2, "z": 1}, "aa": 3}`},
		{`{"a": 1, "a": 2, "b": {"x": 1, "x": [3]}}`, `{"a": 2, "b": {"x": [3]}}`},
		{`{"é": 1, "z": 2, "zz": 3}`, `{"z": 2, "zz": 3, "é": 1}`}, // é is two bytes
		{`  {"a" :1,  "b":[ 1 , 2 ]}  `, `{"a": 1, "b": [1, 2]}`},
		{`"\u00e9\u0041\t\ud83d\ude00"`, `"éA\t😀"`},
		{`"\u001f\/"`, `"\u001f/"`},
		{`[]`, `[]`},
		{`{}`, `{}`},
	} {
		got, err := NormalizeJSONB(c.in)
		if err != nil || got != c.want {
			t.Errorf("NormalizeJSONB(%s) = %s, %v; want %s", c.in, got, err, c.want)
		}
	}
}

func TestJSONErrors(t *testing.T) {
	for _, c := range []struct {
		in       string
		json     string // json_in's SQLSTATE ("" accepts)
		jsonb    string // jsonb_in's
		strictly string // a de-escaping function's
	}{
		{`"\u0000"`, "", "22P05", "22P05"},
		{`"\ud83d"`, "", "22P02", "22P02"},
		{`"\ud83dx"`, "", "22P02", "22P02"},
		{`"\u00"`, "22P02", "22P02", "22P02"},
		{`{"a": }`, "22P02", "22P02", "22P02"},
		{`01`, "22P02", "22P02", "22P02"},
		{`1.`, "22P02", "22P02", "22P02"},
		{`[1,]`, "22P02", "22P02", "22P02"},
		{"\"a\tb\"", "22P02", "22P02", "22P02"},
	} {
		code := func(err error) string {
			if err == nil {
				return ""
			}
			return pgerr.As(err).Code
		}
		if got := code(ValidJSON(c.in)); got != c.json {
			t.Errorf("ValidJSON(%s): %q, want %q", c.in, got, c.json)
		}
		_, err := NormalizeJSONB(c.in)
		if got := code(err); got != c.jsonb {
			t.Errorf("NormalizeJSONB(%s): %q, want %q", c.in, got, c.jsonb)
		}
		_, err = ParseJSON(c.in)
		if got := code(err); got != c.strictly {
			t.Errorf("ParseJSON(%s): %q, want %q", c.in, got, c.strictly)
		}
	}
}

func TestJSONBPretty(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`{}`, "{\n}"},
		{`[]`, "[\n]"},
		{`"x"`, `"x"`},
		{`{"a": 1, "b": [1, 2, {"c": null}], "d": {}}`, "{\n    \"a\": 1,\n    \"b\": [\n        1,\n        2,\n        {\n            \"c\": null\n        }\n    ],\n    \"d\": {\n    }\n}"},
		{`[[], {}]`, "[\n    [\n    ],\n    {\n    }\n]"},
	} {
		v, err := ParseJSON(c.in)
		if err != nil {
			t.Fatal(err)
		}
		v.Canonicalize()
		if got := string(v.AppendJSONBPretty(nil)); got != c.want {
			t.Errorf("pretty(%s) = %q, want %q", c.in, got, c.want)
		}
	}
}

func sortKey(t *testing.T, s string) []byte {
	t.Helper()
	v, err := ParseJSON(s)
	if err != nil {
		t.Fatal(err)
	}
	v.Canonicalize()
	return v.AppendJSONBSortKey(nil)
}

// TestJSONBSortKey checks the key against PostgreSQL 15's ORDER BY of
// these jsonb values.
func TestJSONBSortKey(t *testing.T) {
	want := []string{`[]`, `null`, `""`, `"a"`, `"ab"`, `-10`, `-1`, `0.5`, `1`, `2.5`, `100`, `false`, `true`,
		`[null]`, `["b"]`, `[1]`, `[[]]`, `[{}]`, `[1, 2]`, `{}`, `{"a": 1}`, `{"aa": 1}`, `{"b": 1}`, `{"a": 1, "b": 2}`}
	in := append([]string(nil), want...)
	sort.Slice(in, func(i, j int) bool { return strings.Compare(in[i], in[j]) > 0 }) // scramble
	sort.SliceStable(in, func(i, j int) bool { return bytes.Compare(sortKey(t, in[i]), sortKey(t, in[j])) < 0 })
	if strings.Join(in, " | ") != strings.Join(want, " | ") {
		t.Errorf("order:\n got %s\nwant %s", strings.Join(in, " | "), strings.Join(want, " | "))
	}
	// Equality is by value: numbers compare numerically, keys as stored.
	for _, c := range []struct {
		a, b string
		cmp  int
	}{
		{`1`, `1.00`, 0},
		{`{"a": 1.0, "b": [2.50]}`, `{"b": [2.5], "a": 1}`, 0},
		{`-0.12`, `-0.123`, 1},
		{`-5`, `-50`, 1},
		{`0.001`, `0.01`, -1},
		{`123456789012345678901234567890`, `123456789012345678901234567891`, -1},
		{`1e-7`, `0`, 1},
		{`-1e-7`, `0`, -1},
		{`{"b": 1, "aa": 1}`, `{"aa": 1, "bb": 1}`, 1}, // keys in storage order: "b" vs "aa"
		{`1`, `[1]`, -1}, // a raw scalar is below a real array …
		{`1`, `[]`, 1},   // … unless it has more elements
		{`[1, "a"]`, `[1, 2]`, -1},
	} {
		if got := bytes.Compare(sortKey(t, c.a), sortKey(t, c.b)); got != c.cmp {
			t.Errorf("cmp(%s, %s) = %d, want %d", c.a, c.b, got, c.cmp)
		}
	}
}

func TestAppendJSONTimestamp(t *testing.T) {
	kolkata, err := time.LoadLocation("Asia/Kolkata")
	if err != nil {
		t.Fatal(err)
	}
	ts := func(s string) int64 {
		us, err := ParseTimestamp(s, DefaultStyle, time.Now)
		if err != nil {
			t.Fatal(err)
		}
		return us
	}
	for _, c := range []struct {
		us   int64
		loc  *time.Location
		want string
	}{
		{ts("2024-01-02 03:04:05.5"), nil, "2024-01-02T03:04:05.5"},
		{ts("0001-01-01 00:00:00 BC"), nil, "0001-01-01T00:00:00 BC"},
		{ts("0100-06-01 12:00:00 BC"), time.UTC, "0100-06-01T12:00:00+00:00 BC"},
		{ts("2024-03-10 06:30:00"), kolkata, "2024-03-10T12:00:00+05:30"},
		{TSInfinity, time.UTC, "infinity"},
		{TSNegInfinity, nil, "-infinity"},
	} {
		if got := string(AppendJSONTimestamp(nil, c.us, c.loc)); got != c.want {
			t.Errorf("AppendJSONTimestamp = %q, want %q", got, c.want)
		}
	}
}

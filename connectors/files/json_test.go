package files

import (
	"context"
	"reflect"
	"strings"
	"testing"
)

func TestNDJSON(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "events.ndjson", `{"id": 1, "name": "ünï", "score": 1.5, "tags": ["a", "b"], "meta": {"k": 1, "v": [true]}, "at": "2024-03-01 12:30:45"}
{"id": 2, "name": null, "score": null, "tags": [], "meta": null, "at": null}
{"id": 3, "name": "x", "score": 3, "tags": null, "meta": {"k": 2, "v": []}, "at": "1999-12-31 23:59:59"}
`)
	c := openFiles(t, dir, File{Table: "events", Path: "events.ndjson"})
	if err := c.Test(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := "id bigint 20, name text 25, score double precision 701, tags text[] 1009, meta json 114, at timestamp without time zone 1114"
	if got := strings.Join(columnsOf(t, c, "events"), ", "); got != want {
		t.Errorf("columns:\n got %s\nwant %s", got, want)
	}
	got := scanTable(t, c, "events")
	rows := [][]any{
		{int64(1), "ünï", 1.5, []any{"a", "b"}, `{"k":1,"v":[true]}`, ts("2024-03-01 12:30:45")},
		{int64(2), nil, nil, []any{}, nil, nil},
		{int64(3), "x", 3.0, nil, `{"k":2,"v":[]}`, ts("1999-12-31 23:59:59")},
	}
	for i := range rows {
		if i >= len(got.rows) {
			t.Fatalf("%d rows, want %d", len(got.rows), len(rows))
		}
		g, w := got.rows[i], rows[i]
		if s, ok := g[4].(string); ok && sameJSON(s, w[4].(string)) {
			g[4] = w[4]
		}
		if !reflect.DeepEqual(g, w) {
			t.Errorf("row %d: %#v, want %#v", i+1, g, w)
		}
	}
	if want := "column meta of type STRUCT(k BIGINT, v BOOLEAN[]) is cached as json"; strings.Join(got.warnings, "|") != want {
		t.Errorf("warnings %q, want %q", got.warnings, want)
	}
	// The nested column is not read: no warning.
	if got := scanTable(t, c, "events", "id", "tags"); len(got.warnings) != 0 || len(got.rows) != 3 {
		t.Errorf("projection: rows %v, warnings %v", got.rows, got.warnings)
	}
}

func TestJSONArray(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "people.json", `[
  {"id": 1, "name": "Ada", "born": "1815-12-10", "ok": true},
  {"id": 2, "name": "Grace", "born": null, "ok": false}
]`)
	writeFile(t, dir, "one.json", `{"id": 7, "name": "solo"}`)
	c := openFiles(t, dir, File{Table: "people", Path: "people.json"}, File{Table: "one", Path: "one.json"})
	if got := strings.Join(columnsOf(t, c, "people"), ", "); got != "id bigint 20, name text 25, born date 1082, ok boolean 16" {
		t.Errorf("columns: %s", got)
	}
	got := scanTable(t, c, "people")
	want := [][]any{{int64(1), "Ada", "1815-12-10", true}, {int64(2), "Grace", nil, false}}
	if !reflect.DeepEqual(got.rows, want) {
		t.Errorf("rows %v, want %v", got.rows, want)
	}
	if got := scanTable(t, c, "one"); !reflect.DeepEqual(got.rows, [][]any{{int64(7), "solo"}}) {
		t.Errorf("single object: %v", got.rows)
	}
	if err := c.Test(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// TestJSONErrors: a malformed line or value is reported by its place,
// without the host path.
func TestJSONErrors(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "a.ndjson", "{\"a\": [}\n{\"a\": 1}\n")
	writeFile(t, dir, "c.ndjson", "{\"a\": 1}\n{\"a\": 1}\n{\"a\": 1}\n{\"a\": [}\n{\"a\": 1}\n")
	writeFile(t, dir, "arr.json", `[{"id": 1}, {"id": ]`)
	for file, want := range map[string]string{
		"a.ndjson": "a.ndjson line 1: malformed JSON at byte 8: unexpected character",
		"c.ndjson": "c.ndjson line 4: malformed JSON at byte 8: unexpected character",
		"arr.json": "arr.json: malformed JSON at byte 8 in value 3: unexpected character",
	} {
		c := openFiles(t, dir, File{Table: "t", Path: file})
		if err := c.Test(context.Background()); err == nil || err.Error() != want {
			t.Errorf("Test of %s: %v\nwant %s", file, err, want)
		}
	}
}

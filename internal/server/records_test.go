package server_test

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgtype"

	"github.com/hotdata-dev/hotdata/internal/hdtest"
	"github.com/hotdata-dev/hotdata/internal/testenv"
)

// TestRecords: ROW(…) values read as PostgreSQL prints them (record_out:
// fields in order, NULL as nothing, quoted when needed), checked against
// PostgreSQL itself, and decode in binary through pgx.
func TestRecords(t *testing.T) {
	h := hdtest.Start(t)
	url := h.PGURL(hdtest.Token, "default", "disable")
	up := testenv.Postgres(t)
	for _, sql := range []string{
		`SELECT ROW(1, 'a') AS r`,
		`SELECT ROW(1, 'a b', NULL, 'x"y', '', 'back\slash', '(p)', 'c,d') AS r`,
		`SELECT ROW(true, 2.5::numeric(4,2), DATE '2024-02-29', ARRAY[1,2]) AS r`,
		`SELECT ROW(ROW(1, 'in ner'), 3) AS r`,
	} {
		_, got := textRows(t, url, sql)
		_, want := textRows(t, up, sql)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %v, PostgreSQL says %v", sql, got, want)
		}
	}
	c := connect(t, url)
	var n int32
	var s string
	var null *int32
	if err := c.QueryRow(context.Background(), `SELECT ROW(7::int, 'seven'::text, NULL::int)`).Scan(pgtype.CompositeFields{&n, &s, &null}); err != nil {
		t.Fatal(err)
	}
	if n != 7 || s != "seven" || null != nil {
		t.Fatalf("binary record: %v %q %v", n, s, null)
	}
}

// TestRecordsREST: over REST a record with unnamed fields is a JSON array
// of its values (no field lost to a duplicate name).
func TestRecordsREST(t *testing.T) {
	h := hdtest.Start(t)
	out := h.API("POST", "/v1/query", map[string]any{"sql": `SELECT ROW(1, 'a', NULL) AS r`}, 200)
	if got := compactJSON(t, out["rows"]); got != `[[[1,"a",null]]]` {
		t.Fatalf("rows %s", got)
	}
	if w, ok := out["warning"]; ok {
		t.Fatalf("warning: %v", w)
	}
	if got := fetch(t, h, "/v1/results/"+out["result_id"].(string)); got.status != 200 || !strings.Contains(strings.Join(strings.Fields(string(got.body)), ""), `"rows":[[[1,"a",null]]]`) {
		t.Fatalf("stored: %d %s", got.status, got.body)
	}
}

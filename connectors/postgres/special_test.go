package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/hotdata-dev/hotdata/connectors"
	"github.com/hotdata-dev/hotdata/internal/testenv"
)

// scanRows reads a whole table through the connector: each row's cells
// as cell renders them (lists as [a b]), and the scan's error.
func scanRows(t *testing.T, c *Connector, req connectors.ScanRequest) ([][]string, error) {
	t.Helper()
	sc, err := c.Scan(context.Background(), req)
	if err != nil {
		return nil, err
	}
	defer sc.Release()
	var rows [][]string
	for sc.Next() {
		rec := sc.RecordBatch()
		for r := 0; r < int(rec.NumRows()); r++ {
			var row []string
			for ci := 0; ci < int(rec.NumCols()); ci++ {
				row = append(row, listCell(rec.Column(ci), r))
			}
			rows = append(rows, row)
		}
	}
	return rows, sc.Err()
}

func listCell(a arrow.Array, i int) string {
	l, ok := a.(*array.List)
	if !ok || l.IsNull(i) {
		return cell(a, i)
	}
	start, end := l.ValueOffsets(i)
	var parts []string
	for j := start; j < end; j++ {
		parts = append(parts, cell(l.ListValues(), int(j)))
	}
	return "[" + strings.Join(parts, " ") + "]"
}

// TestScanArraySpecialElements: an array element with no form in the
// list's element type (a NaN numeric) used to end the whole process with
// a panic (the list entry was appended, then a NULL for the special
// value beside it). Infinite dates now have their form; a NaN element
// asks for the column as text.
func TestScanArraySpecialElements(t *testing.T) {
	dbURL := testenv.Postgres(t)
	testenv.PostgresExec(t, dbURL,
		`CREATE TABLE dates (id int, da date[])`,
		`INSERT INTO dates VALUES (1, '{2024-01-01}'), (2, '{infinity,2024-01-02,-infinity}')`,
		`CREATE TABLE nums (id int, na numeric(6,2)[])`,
		`INSERT INTO nums VALUES (1, '{1.5}'), (2, '{2.5,NaN}')`)
	c, err := Open(context.Background(), configFor(t, dbURL), "")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	rows, err := scanRows(t, c, connectors.ScanRequest{Schema: "public", Table: "dates"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := fmt.Sprint(rows), "[[1 [2024-01-01]] [2 [infinity 2024-01-02 -infinity]]]"; got != want {
		t.Errorf("dates = %s, want %s", got, want)
	}
	_, err = scanRows(t, c, connectors.ScanRequest{Schema: "public", Table: "nums"})
	var needs *connectors.NeedsTextError
	if !errors.As(err, &needs) || needs.Column != "na" || !strings.Contains(needs.Reason, "NaN") {
		t.Fatalf("scan nums: %v, want a NeedsTextError for na", err)
	}
}

// TestScanNeedsText: each value class that a column's native form cannot
// hold stops the scan with a connectors.NeedsTextError naming the column
// (and why the cache cannot serve it, but for NaN in numeric(p,s), which
// it serves from text); scanned again with the column in AsText, the
// column holds PostgreSQL's text output and says so in its metadata.
func TestScanNeedsText(t *testing.T) {
	dbURL := testenv.Postgres(t)
	testenv.PostgresExec(t, dbURL,
		`CREATE DOMAIN price AS numeric(8,2)`,
		`CREATE TABLE t (id int, n numeric(12,4), p price, m int[], lb text[], ts timestamptz, ok numeric(5,1), iv interval, ivs interval[], bp bpchar)`,
		`INSERT INTO t VALUES (1, 1.5, 2.25, '{1,2}', '{a}', '2024-01-01 00:00:00+00', 1.5, '2562047:47:16.854775', '{"-2562047:47:16.854775"}', 'ab')`)
	c, err := Open(context.Background(), configFor(t, dbURL), "")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	req := connectors.ScanRequest{Schema: "public", Table: "t"}
	if _, err := scanRows(t, c, req); err != nil {
		t.Fatalf("plain values: %v", err)
	}
	cases := []struct {
		update, column, reason, text string
	}{
		{`UPDATE t SET n = 'NaN'`, "n", "", "NaN"},
		{`UPDATE t SET p = 'NaN'`, "p", "", "NaN"},
		{`UPDATE t SET m = '{{1,2},{3,4}}'`, "m", "it holds 2-dimensional arrays; " + arrayForm, "{{1,2},{3,4}}"},
		{`UPDATE t SET lb = '[-3:-2]={x,y}'`, "lb", "it holds arrays with lower bound -3; " + arrayForm, "[-3:-2]={x,y}"},
		{`UPDATE t SET ts = '294276-12-31 23:59:59.999999+00'`, "ts", "it holds timestamps later than 294247-01-10 04:00:54.775806", "294276-12-31 23:59:59.999999+00"},
		{`UPDATE t SET iv = '2562047:47:16.854776'`, "iv", "it holds intervals whose time part exceeds", "2562047:47:16.854776"},
		{`UPDATE t SET ivs = '{"1 day","-2562047:47:16.854776"}'`, "ivs", "it holds intervals whose time part exceeds", `{"1 day",-2562047:47:16.854776}`},
		{`UPDATE t SET bp = 'ab '`, "bp", "it holds bpchar values with trailing spaces", "ab "},
	}
	for _, tc := range cases {
		testenv.PostgresExec(t, dbURL, `SET TimeZone = 'UTC'`, tc.update)
		_, err := scanRows(t, c, req)
		var needs *connectors.NeedsTextError
		if !errors.As(err, &needs) || needs.Column != tc.column || !strings.HasPrefix(needs.Reason, tc.reason) || (tc.reason == "") != (needs.Reason == "") {
			t.Fatalf("%s: %v, want a NeedsTextError for %s (%q)", tc.update, err, tc.column, tc.reason)
		}
		if req.AsText == nil {
			req.AsText = map[string]string{}
		}
		req.AsText[tc.column] = needs.Reason
		sc, err := c.Scan(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		f := sc.Schema().Field(sc.Schema().FieldIndices(tc.column)[0])
		held, _ := f.Metadata.GetValue(connectors.MetaTextHeld)
		why, _ := f.Metadata.GetValue(connectors.MetaUnavailable)
		typ, _ := f.Metadata.GetValue(connectors.MetaSourceType)
		if f.Type.ID() != arrow.STRING || held != "true" || why != needs.Reason || typ == "" {
			t.Errorf("%s as text: field %v", tc.column, f)
		}
		sc.Release()
		rows, err := scanRows(t, c, req)
		if err != nil {
			t.Fatalf("%s as text: %v", tc.column, err)
		}
		if got := rows[0][sc.Schema().FieldIndices(tc.column)[0]]; got != tc.text {
			t.Errorf("%s as text = %q, want %q", tc.column, got, tc.text)
		}
	}
	// AsText names of columns the table does not have are ignored.
	req.AsText["gone"] = ""
	if _, err := scanRows(t, c, req); err != nil {
		t.Fatal(err)
	}
}

// TestScanStopsEarly: a scan released before its end (here after a value
// that needs text, early in a large table) does not read the rest of the
// table: its connection is closed rather than drained.
func TestScanStopsEarly(t *testing.T) {
	dbURL := testenv.Postgres(t)
	testenv.PostgresExec(t, dbURL,
		`CREATE TABLE big (id int, n numeric(10,2))`,
		`INSERT INTO big SELECT i, CASE WHEN i = 10 THEN 'NaN'::numeric ELSE i END FROM generate_series(1, 3000000) i`)
	c, err := Open(context.Background(), configFor(t, dbURL), "")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	start := time.Now()
	sc, err := c.Scan(context.Background(), connectors.ScanRequest{Schema: "public", Table: "big", BatchRows: 100})
	if err != nil {
		t.Fatal(err)
	}
	for sc.Next() {
	}
	var needs *connectors.NeedsTextError
	if !errors.As(sc.Err(), &needs) {
		t.Fatalf("scan: %v", sc.Err())
	}
	sc.Release()
	stopped := time.Since(start)
	start = time.Now()
	if _, err := scanRows(t, c, connectors.ScanRequest{Schema: "public", Table: "big", AsText: map[string]string{"n": ""}}); err != nil {
		t.Fatal(err)
	}
	if whole := time.Since(start); stopped > whole/4 {
		t.Errorf("stopping at row 10 took %v, reading all 3M rows %v", stopped, whole)
	}
}

package files

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/hotdata-dev/hotdata/connectors"
)

func TestCSVDelimiterSniffing(t *testing.T) {
	for name, d := range map[string]string{"comma": ",", "semicolon": ";", "tab": "\t", "pipe": "|"} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			content := strings.ReplaceAll("id,name,price\n1,apple,1.5\n2,pear,2.25\n3,fig,10\n", ",", d)
			writeFile(t, dir, "fruit.csv", content)
			c := openFiles(t, dir, File{Table: "fruit", Path: "fruit.csv"})
			if got := strings.Join(columnsOf(t, c, "fruit"), ", "); got != "id bigint 20, name text 25, price double precision 701" {
				t.Errorf("columns: %s", got)
			}
			got := scanTable(t, c, "fruit")
			want := [][]any{{int64(1), "apple", 1.5}, {int64(2), "pear", 2.25}, {int64(3), "fig", 10.0}}
			if !reflect.DeepEqual(got.rows, want) {
				t.Errorf("rows %v, want %v", got.rows, want)
			}
		})
	}
}

func TestCSVHeader(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "noheader.csv", "1,apple,1.5\n2,pear,2.25\n")
	writeFile(t, dir, "words.csv", "alpha,beta\ngamma,delta\n")
	no, yes := false, true
	c := openFiles(t, dir,
		File{Table: "sniffed", Path: "noheader.csv"},
		File{Table: "as_data", Path: "words.csv", Header: &no},
		File{Table: "as_header", Path: "words.csv", Header: &yes},
	)
	got := scanTable(t, c, "sniffed")
	if n := got.schema.NumFields(); n != 3 || len(got.rows) != 2 || got.rows[0][0] != int64(1) || got.rows[1][1] != "pear" {
		t.Errorf("sniffed no header: %d columns, rows %v", n, got.rows)
	}
	got = scanTable(t, c, "as_data")
	if want := [][]any{{"alpha", "beta"}, {"gamma", "delta"}}; !reflect.DeepEqual(got.rows, want) {
		t.Errorf("header=false: rows %v, want %v", got.rows, want)
	}
	got = scanTable(t, c, "as_header")
	if f := got.schema.Field(0).Name; f != "alpha" || !reflect.DeepEqual(got.rows, [][]any{{"gamma", "delta"}}) {
		t.Errorf("header=true: column %s, rows %v", f, got.rows)
	}
}

func TestCSVQuotedFields(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "notes.csv", "id,note,tail\n"+
		"1,\"hello, world\",a\n"+
		"2,\"line one\nline two\",b\n"+
		"3,\"she said \"\"hi\"\"\",c\n"+
		"4,plain,d\n")
	c := openFiles(t, dir, File{Table: "notes", Path: "notes.csv", Delimiter: ","})
	got := scanTable(t, c, "notes")
	want := [][]any{
		{int64(1), "hello, world", "a"},
		{int64(2), "line one\nline two", "b"},
		{int64(3), `she said "hi"`, "c"},
		{int64(4), "plain", "d"},
	}
	if !reflect.DeepEqual(got.rows, want) {
		t.Errorf("rows %q, want %q", got.rows, want)
	}
}

func TestCSVColumnTypes(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "orders.csv", "code,qty,price,day,at,ok,note\n"+
		"007,3,19.99,2024-02-29,2024-03-01 12:30:45.123456,true,x\n"+
		"010,,0.5,,,,\n")
	c := openFiles(t, dir, File{Table: "orders", Path: "orders.csv", Columns: []ColumnType{
		{Name: "code", Type: "text"}, {Name: "qty", Type: "integer"}, {Name: "price", Type: "numeric(12,2)"},
		{Name: "day", Type: "date"}, {Name: "at", Type: "timestamp"}, {Name: "ok", Type: "boolean"},
	}})
	want := "code text 25, qty integer 23, price numeric(12,2) 1700, day date 1082, " +
		"at timestamp without time zone 1114, ok boolean 16, note text 25"
	if got := strings.Join(columnsOf(t, c, "orders"), ", "); got != want {
		t.Errorf("columns:\n got %s\nwant %s", got, want)
	}
	got := scanTable(t, c, "orders")
	rows := [][]any{
		{"007", int64(3), "19.99", "2024-02-29", ts("2024-03-01 12:30:45.123456"), true, "x"},
		{"010", nil, "0.50", nil, nil, nil, nil},
	}
	if !reflect.DeepEqual(got.rows, rows) {
		t.Errorf("rows %v, want %v", got.rows, rows)
	}
	// The Arrow fields carry the served type's name.
	tables, err := c.Discover(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range got.schema.Fields() {
		typ, _ := f.Metadata.GetValue(connectors.MetaSourceType)
		if wantType := tables[0].Columns[i].DataType; typ != wantType {
			t.Errorf("field %s: source type %q, want %q", f.Name, typ, wantType)
		}
	}
	// An override naming a column the file lacks fails.
	bad := openFiles(t, dir, File{Table: "orders", Path: "orders.csv", Columns: []ColumnType{{Name: "nope", Type: "integer"}}})
	if err := bad.Test(context.Background()); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Errorf("override of a missing column: %v", err)
	}
}

func TestCSVNulls(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "n.csv", "id,name,score\n1,,\n2,\"\",7\n3,x,\n")
	c := openFiles(t, dir, File{Table: "n", Path: "n.csv"})
	got := scanTable(t, c, "n")
	// As in PostgreSQL's CSV format: empty is NULL, quoted empty is "".
	want := [][]any{{int64(1), nil, nil}, {int64(2), "", int64(7)}, {int64(3), "x", nil}}
	if !reflect.DeepEqual(got.rows, want) {
		t.Errorf("rows %#v, want %#v", got.rows, want)
	}
}

func TestCSVUTF8(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "cities.csv", "名前,ville,emoji\n寿司,Zürich,✓🚀\nçà,Göteborg,\n")
	c := openFiles(t, dir, File{Table: "cities", Path: "cities.csv"})
	got := scanTable(t, c, "cities")
	if names := fmt.Sprint(got.schema.Field(0).Name, got.schema.Field(1).Name); names != "名前ville" {
		t.Errorf("column names %s", names)
	}
	want := [][]any{{"寿司", "Zürich", "✓🚀"}, {"çà", "Göteborg", nil}}
	if !reflect.DeepEqual(got.rows, want) {
		t.Errorf("rows %v, want %v", got.rows, want)
	}
}

// badCSV has a value that is no integer on line 5 and a short row on
// line 7 (the header is line 1).
const badCSV = "id,qty,name\n1,2,a\n2,3,b\n3,4,c\n4,abc,d\n5,6,e\n6,7\n7,8,g\n"

func TestCSVBadRow(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "items.csv", badCSV)
	c := openFiles(t, dir, File{Table: "items", Path: "items.csv", Columns: []ColumnType{{Name: "qty", Type: "integer"}}})
	_, err := tryScan(c, connectors.ScanRequest{Schema: DefaultSchema, Table: "items"})
	var fe *FileError
	if !errors.As(err, &fe) || fe.Line != 5 {
		t.Fatalf("scan: %v, want a FileError on line 5", err)
	}
	if want := `items.csv line 5: could not convert "abc" to integer in column qty`; err.Error() != want {
		t.Errorf("scan error\n got %s\nwant %s", err, want)
	}
	if strings.Contains(err.Error(), dir) {
		t.Errorf("error shows the host path: %v", err)
	}
	if err := c.Test(context.Background()); err == nil || !strings.Contains(err.Error(), "line 5") {
		t.Errorf("Test: %v, want the bad row's line", err)
	}
	// A row with too few fields names its line too, with nothing
	// configured: qty is sniffed as text, and the sniffer is not thrown
	// by the short row on line 7.
	c2 := openFiles(t, dir, File{Table: "items", Path: "items.csv"})
	_, err = tryScan(c2, connectors.ScanRequest{Schema: DefaultSchema, Table: "items"})
	if err == nil || err.Error() != "items.csv line 7: expected 3 columns, found 2" {
		t.Errorf("short row: %v", err)
	}
	if got := strings.Join(columnsOf(t, c2, "items"), ", "); got != "id bigint 20, qty text 25, name text 25" {
		t.Errorf("sniffed columns: %s", got)
	}
}

func TestCSVSkipBadRows(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "items.csv", badCSV)
	c := openFiles(t, dir, File{Table: "items", Path: "items.csv", SkipBadRows: true, Delimiter: ",",
		Columns: []ColumnType{{Name: "qty", Type: "integer"}}})
	if err := c.Test(context.Background()); err != nil {
		t.Fatalf("Test with skip_bad_rows: %v", err)
	}
	// Twice: the second scan counts its own skipped rows only.
	for range 2 {
		got := scanTable(t, c, "items")
		var ids []any
		for _, r := range got.rows {
			ids = append(ids, r[0])
		}
		if fmt.Sprint(ids) != "[1 2 3 5 7]" {
			t.Errorf("ids %v, want the rows without errors", ids)
		}
		if len(got.rows) > 0 && !reflect.DeepEqual(got.rows[3], []any{int64(5), int64(6), "e"}) {
			t.Errorf("row 4: %v", got.rows[3])
		}
		want := `items.csv: skipped 2 bad rows (line 5: could not convert "abc" to integer in column qty; line 7: expected 3 columns, found 2)`
		if strings.Join(got.warnings, "|") != want {
			t.Errorf("warnings %q\nwant %q", got.warnings, want)
		}
	}
	// A clean file skips nothing and says nothing.
	writeFile(t, dir, "clean.csv", "a,b\n1,2\n")
	c2 := openFiles(t, dir, File{Table: "clean", Path: "clean.csv", SkipBadRows: true})
	if got := scanTable(t, c2, "clean"); len(got.warnings) != 0 || len(got.rows) != 1 {
		t.Errorf("clean file: rows %v, warnings %v", got.rows, got.warnings)
	}
}

func TestCSVFilterAndProjection(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "f.csv", "id,name,day\n1,a,2024-01-01\n2,b,2024-06-01\n3,c,2025-01-01\n")
	c := openFiles(t, dir, File{Table: "f", Path: "f.csv"})
	got, err := tryScan(c, connectors.ScanRequest{Schema: DefaultSchema, Table: "f",
		Columns: []connectors.Column{{Name: "name"}},
		Filter: []connectors.Predicate{
			{Column: "day", Op: ">=", Value: ts("2024-06-01 00:00:00")},
			{Column: "id", Op: "<>", Value: 3},
		}})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.rows, [][]any{{"b"}}) {
		t.Errorf("rows %v", got.rows)
	}
	if _, err := c.Scan(context.Background(), connectors.ScanRequest{Schema: DefaultSchema, Table: "f",
		Filter: []connectors.Predicate{{Column: "id", Op: "; DROP", Value: 1}}}); err == nil {
		t.Error("a bad operator was accepted")
	}
	if _, err := c.Scan(context.Background(), connectors.ScanRequest{Schema: "other", Table: "f"}); err == nil {
		t.Error("a table in another schema was found")
	}
}

func TestBatchRows(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("n\n")
	for i := range 10_000 {
		fmt.Fprintf(&b, "%d\n", i)
	}
	writeFile(t, dir, "n.csv", b.String())
	c := openFiles(t, dir, File{Table: "n", Path: "n.csv"})
	for _, size := range []int{0, 1000, 3000, 5000} {
		s, err := c.Scan(context.Background(), connectors.ScanRequest{Schema: DefaultSchema, Table: "n", BatchRows: size})
		if err != nil {
			t.Fatal(err)
		}
		var sizes []int64
		var next int64
		for s.Next() {
			rec := s.RecordBatch()
			sizes = append(sizes, rec.NumRows())
			for i := 0; i < int(rec.NumRows()); i++ {
				if v := value(rec.Column(0), i); v != next {
					t.Fatalf("batch size %d: value %v, want %d", size, v, next)
				}
				next++
			}
		}
		if err := s.Err(); err != nil {
			t.Fatal(err)
		}
		s.Release()
		want := size
		if want == 0 {
			want = 10_000
		}
		// Every batch is full but the last.
		for i, n := range sizes {
			if n > int64(want) || i < len(sizes)-1 && n != int64(want) {
				t.Errorf("batch size %d: batches %v", size, sizes)
				break
			}
		}
		if next != 10_000 {
			t.Errorf("batch size %d: %d rows", size, next)
		}
	}
}

func ptr[T any](v T) *T { return &v }

// Package connectortest is the conformance suite every connector passes.
// A connector's own tests put the fixture tables in a real source (see
// Source) and call Run.
package connectortest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/hotdata-dev/hotdata/connectors"
)

// The fixture: every source holds these two tables in Source.Schema.
//
// Table "items", primary key id, in this column order:
//
//	id      integer             not null
//	name    text (any string type)
//	amount  decimal(12,2)
//	created timestamp without time zone
//	active  boolean
//
// with the rows of ItemsRows. Table "big" has columns id (integer) and
// label (text) with BigRows rows: id = 1..BigRows, label = "row <id>".
//
// A source with Constraints also holds table "line_items" (LinesSQL gives
// it in PostgreSQL and MySQL both): a foreign key to items, an index
// and a unique index.
const (
	ItemsTable = "items"
	BigTable   = "big"
	BigRows    = 100_000
)

// ItemsRows are the fixture's rows, as the suite expects to read them:
// id, name, amount (decimal text), created (UTC, microseconds), active.
var ItemsRows = [][]any{
	{int64(1), "widget", "19.99", time.Date(2024, 3, 1, 12, 30, 45, 123456000, time.UTC), true},
	{int64(2), "gadget ünïcode ✓", "-0.01", time.Date(1999, 12, 31, 23, 59, 59, 0, time.UTC), false},
	{int64(3), nil, nil, nil, nil},
	{int64(4), "", "1234567890.12", time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC), true},
}

// LinesSQL makes the "line_items" table of sources with Constraints (after
// items).
var LinesSQL = []string{
	`CREATE TABLE line_items (id integer PRIMARY KEY, item_id integer, qty integer, code varchar(20),
		CONSTRAINT line_items_item_fkey FOREIGN KEY (item_id) REFERENCES items (id) ON DELETE CASCADE)`,
	`CREATE INDEX line_items_item_qty_idx ON line_items (item_id, qty DESC)`,
	`CREATE UNIQUE INDEX line_items_code_key ON line_items (code)`,
}

// ItemsColumns are the fixture's column names in order.
var ItemsColumns = []string{"id", "name", "amount", "created", "active"}

// Source is one connector under test.
type Source struct {
	// Open returns a connector on a source that holds the fixture.
	Open func(t *testing.T) connectors.Connector
	// Schema is the schema (or database, or folder) holding the fixture.
	Schema string
	// PrimaryKeys is true when the source reports primary keys.
	PrimaryKeys bool
	// Constraints is true when the source reports indexes and foreign
	// keys, and holds the "line_items" table (LinesSQL).
	Constraints bool
	// Broken returns a connector whose source cannot be reached or
	// whose credentials are wrong (nil: the source has no such case).
	Broken func(t *testing.T) connectors.Connector
	// OpenAt returns a connector on the server at host:port, logging in
	// as user (nil: the source is no server).
	OpenAt func(t *testing.T, host string, port int, user string) connectors.Connector
	// TextForms is true when the connector reads columns as the
	// source's text on request (ScanRequest.AsText).
	TextForms bool
	// Addr is the fixture server's host and port, and User a user it
	// knows (for OpenAt).
	Host string
	Port int
	User string
}

// Run runs the suite.
func Run(t *testing.T, src Source) {
	ctx := context.Background()
	c := src.Open(t)
	t.Cleanup(func() { c.Close() })

	t.Run("test", func(t *testing.T) {
		d, err := connectors.Health(ctx, c)
		if err != nil || d <= 0 {
			t.Fatalf("health: %v, %v", d, err)
		}
		if src.Broken != nil {
			b := src.Broken(t)
			defer b.Close()
			if err := b.Test(ctx); err == nil {
				t.Fatal("Test succeeded on a broken source")
			}
			if _, err := b.Discover(ctx); err == nil {
				t.Fatal("Discover succeeded on a broken source")
			}
		}
	})
	if src.OpenAt != nil {
		t.Run("connect_errors", func(t *testing.T) { connectErrors(t, src) })
	}
	t.Run("discover", func(t *testing.T) {
		tables, err := c.Discover(ctx)
		if err != nil {
			t.Fatal(err)
		}
		items := find(tables, src.Schema, ItemsTable)
		big := find(tables, src.Schema, BigTable)
		if items == nil || big == nil {
			t.Fatalf("discover: %s.%s or %s.%s missing from %v", src.Schema, ItemsTable, src.Schema, BigTable, names(tables))
		}
		var cols []string
		for _, col := range items.Columns {
			cols = append(cols, col.Name)
			if col.DataType == "" {
				t.Errorf("column %s has no data type", col.Name)
			}
		}
		if strings.Join(cols, ",") != strings.Join(ItemsColumns, ",") {
			t.Errorf("items columns %v, want %v", cols, ItemsColumns)
		}
		if src.PrimaryKeys && strings.Join(items.PrimaryKey, ",") != "id" {
			t.Errorf("items primary key %v, want [id]", items.PrimaryKey)
		}
		if items.RowEstimate < 0 {
			t.Errorf("negative row estimate %d", items.RowEstimate)
		}
		if src.Constraints {
			checkConstraints(t, src.Schema, find(tables, src.Schema, "line_items"))
		}
	})
	t.Run("scan", func(t *testing.T) {
		got := scanAll(t, c, connectors.ScanRequest{Schema: src.Schema, Table: ItemsTable})
		checkRows(t, got, ItemsRows, ItemsColumns)
	})
	if src.TextForms {
		t.Run("as_text", func(t *testing.T) {
			const why = "it holds values the cache cannot"
			got := scanAll(t, c, connectors.ScanRequest{Schema: src.Schema, Table: ItemsTable, AsText: map[string]string{"amount": why, "gone": ""}})
			f := got.schema.Field(2)
			held, _ := f.Metadata.GetValue(connectors.MetaTextHeld)
			reason, _ := f.Metadata.GetValue(connectors.MetaUnavailable)
			typ, _ := f.Metadata.GetValue(connectors.MetaSourceType)
			if f.Name != "amount" || f.Type.ID() != arrow.STRING || held != "true" || reason != why || typ == "" {
				t.Fatalf("amount read as text: field %v", f)
			}
			if held, _ := got.schema.Field(1).Metadata.GetValue(connectors.MetaTextHeld); held != "" {
				t.Errorf("name marked as text: %q", held)
			}
			for i, r := range ItemsRows {
				if got.rows[i][2] != r[2] {
					t.Errorf("row %d amount as text = %#v, want %#v", i+1, got.rows[i][2], r[2])
				}
			}
		})
	}
	t.Run("projection", func(t *testing.T) {
		got := scanAll(t, c, connectors.ScanRequest{Schema: src.Schema, Table: ItemsTable,
			Columns: []connectors.Column{{Name: "active"}, {Name: "id"}}})
		var want [][]any
		for _, r := range ItemsRows {
			want = append(want, []any{r[4], r[0]})
		}
		checkRows(t, got, want, []string{"active", "id"})
	})
	t.Run("filter", func(t *testing.T) {
		for _, c2 := range []struct {
			filter []connectors.Predicate
			ids    []int64
		}{
			{[]connectors.Predicate{{Column: "id", Op: ">", Value: int64(2)}}, []int64{3, 4}},
			{[]connectors.Predicate{{Column: "id", Op: ">=", Value: int64(2)}, {Column: "active", Op: "=", Value: true}}, []int64{4}},
			{[]connectors.Predicate{{Column: "created", Op: ">", Value: time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)}}, []int64{1}},
			{[]connectors.Predicate{{Column: "amount", Op: "<", Value: "0"}}, []int64{2}},
			{[]connectors.Predicate{{Column: "name", Op: "=", Value: "gadget ünïcode ✓"}}, []int64{2}},
		} {
			got := scanAll(t, c, connectors.ScanRequest{Schema: src.Schema, Table: ItemsTable,
				Columns: []connectors.Column{{Name: "id"}}, Filter: c2.filter})
			var ids []int64
			for _, r := range got.rows {
				ids = append(ids, r[0].(int64))
			}
			if fmt.Sprint(sorted(ids)) != fmt.Sprint(c2.ids) {
				t.Errorf("filter %+v: ids %v, want %v", c2.filter, ids, c2.ids)
			}
		}
		_, err := c.Scan(ctx, connectors.ScanRequest{Schema: src.Schema, Table: ItemsTable,
			Filter: []connectors.Predicate{{Column: "nope", Op: "=", Value: int64(1)}}})
		if err == nil {
			t.Error("a filter on a missing column was accepted")
		}
	})
	t.Run("stream", func(t *testing.T) {
		// A big table arrives in bounded batches, every row once.
		scan, err := c.Scan(ctx, connectors.ScanRequest{Schema: src.Schema, Table: BigTable, BatchRows: 10_000})
		if err != nil {
			t.Fatal(err)
		}
		defer scan.Release()
		var n, sum int64
		batches := 0
		for scan.Next() {
			rec := scan.RecordBatch()
			if rec.NumRows() > 10_000 {
				t.Fatalf("batch of %d rows, asked for at most 10000", rec.NumRows())
			}
			batches++
			for i := 0; i < int(rec.NumRows()); i++ {
				id := cell(rec.Column(0), i).(int64)
				if label := cell(rec.Column(1), i); label != fmt.Sprintf("row %d", id) {
					t.Fatalf("row %d: label %v", id, label)
				}
				sum += id
				n++
			}
		}
		if err := scan.Err(); err != nil {
			t.Fatal(err)
		}
		if n != BigRows || sum != BigRows*(BigRows+1)/2 || batches < BigRows/10_000 {
			t.Fatalf("read %d rows (id sum %d) in %d batches", n, sum, batches)
		}
	})
	t.Run("cancel", func(t *testing.T) {
		cctx, cancel := context.WithCancel(ctx)
		scan, err := c.Scan(cctx, connectors.ScanRequest{Schema: src.Schema, Table: BigTable, BatchRows: 1000})
		if err != nil {
			t.Fatal(err)
		}
		defer scan.Release()
		if !scan.Next() {
			t.Fatalf("no first batch: %v", scan.Err())
		}
		cancel()
		for scan.Next() {
		}
		if err := scan.Err(); err == nil || !errors.Is(err, context.Canceled) && !strings.Contains(err.Error(), "cancel") {
			t.Fatalf("after cancel: %v", err)
		}
		// The connector still works.
		scanAll(t, c, connectors.ScanRequest{Schema: src.Schema, Table: ItemsTable})
	})
	t.Run("missing", func(t *testing.T) {
		if s, err := c.Scan(ctx, connectors.ScanRequest{Schema: src.Schema, Table: "no_such_table"}); err == nil {
			s.Release()
			t.Fatal("scan of a missing table succeeded")
		}
	})
}

func find(tables []connectors.Table, schema, name string) *connectors.Table {
	for i := range tables {
		if tables[i].Schema == schema && tables[i].Name == name {
			return &tables[i]
		}
	}
	return nil
}

func names(tables []connectors.Table) []string {
	var out []string
	for _, t := range tables {
		out = append(out, t.Schema+"."+t.Name)
	}
	return out
}

func sorted(ids []int64) []int64 {
	out := append([]int64(nil), ids...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

type result struct {
	schema *arrow.Schema
	rows   [][]any
}

// scanAll reads a whole scan into normalized values (see cell).
func scanAll(t *testing.T, c connectors.Connector, req connectors.ScanRequest) result {
	t.Helper()
	scan, err := c.Scan(context.Background(), req)
	if err != nil {
		t.Fatalf("scan %+v: %v", req, err)
	}
	defer scan.Release()
	res := result{schema: scan.Schema()}
	for scan.Next() {
		rec := scan.RecordBatch()
		if !rec.Schema().Equal(res.schema) {
			t.Fatalf("batch schema %v differs from the scan's %v", rec.Schema(), res.schema)
		}
		for i := 0; i < int(rec.NumRows()); i++ {
			row := make([]any, rec.NumCols())
			for j := range row {
				row[j] = cell(rec.Column(j), i)
			}
			res.rows = append(res.rows, row)
		}
	}
	if err := scan.Err(); err != nil {
		t.Fatalf("scan %+v: %v", req, err)
	}
	return res
}

// checkRows compares rows in id order (the first int64 column named id,
// else the order read) with the expected values.
func checkRows(t *testing.T, got result, want [][]any, cols []string) {
	t.Helper()
	var names []string
	for _, f := range got.schema.Fields() {
		names = append(names, f.Name)
	}
	if strings.Join(names, ",") != strings.Join(cols, ",") {
		t.Fatalf("columns %v, want %v", names, cols)
	}
	idCol := -1
	for i, n := range cols {
		if n == "id" {
			idCol = i
		}
	}
	rows := got.rows
	if idCol >= 0 {
		byID := map[int64][]any{}
		for _, r := range rows {
			byID[r[idCol].(int64)] = r
		}
		rows = nil
		for _, w := range want {
			rows = append(rows, byID[w[idCol].(int64)])
		}
	}
	if len(got.rows) != len(want) {
		t.Fatalf("%d rows, want %d: %v", len(got.rows), len(want), got.rows)
	}
	for i, w := range want {
		for j := range w {
			if rows[i] == nil || !equal(rows[i][j], w[j]) {
				t.Errorf("row %d column %s: got %#v, want %#v", i+1, cols[j], value(rows[i], j), w[j])
			}
		}
	}
}

func value(row []any, j int) any {
	if row == nil {
		return "<missing row>"
	}
	return row[j]
}

func equal(got, want any) bool {
	if wt, ok := want.(time.Time); ok {
		gt, ok := got.(time.Time)
		return ok && gt.Equal(wt)
	}
	if ws, ok := want.(string); ok {
		if d, ok := got.(decimalText); ok {
			return string(d) == ws
		}
	}
	return got == want
}

// decimalText is a decimal value as text with its scale's digits.
type decimalText string

// cell normalizes one Arrow value for comparison: integers as int64,
// decimals as decimalText, timestamps as UTC time.Time, strings, bools,
// floats as float64, NULL as nil.
func cell(a arrow.Array, i int) any {
	if a.IsNull(i) {
		return nil
	}
	switch a := a.(type) {
	case *array.Int8:
		return int64(a.Value(i))
	case *array.Int16:
		return int64(a.Value(i))
	case *array.Int32:
		return int64(a.Value(i))
	case *array.Int64:
		return a.Value(i)
	case *array.Uint8:
		return int64(a.Value(i))
	case *array.Uint16:
		return int64(a.Value(i))
	case *array.Uint32:
		return int64(a.Value(i))
	case *array.Uint64:
		return int64(a.Value(i))
	case *array.Float32:
		return float64(a.Value(i))
	case *array.Float64:
		return a.Value(i)
	case *array.Boolean:
		return a.Value(i)
	case *array.String:
		return a.Value(i)
	case *array.LargeString:
		return a.Value(i)
	case *array.StringView:
		return a.Value(i)
	case *array.Decimal128:
		return decimalText(a.Value(i).ToString(a.DataType().(*arrow.Decimal128Type).Scale))
	case *array.Timestamp:
		unit := a.DataType().(*arrow.TimestampType).Unit
		return a.Value(i).ToTime(unit).UTC()
	}
	return a.ValueStr(i)
}

// checkConstraints checks the indexes and foreign key of "line_items".
func checkConstraints(t *testing.T, schema string, lines *connectors.Table) {
	t.Helper()
	if lines == nil {
		t.Fatal("table line_items is missing")
	}
	if len(lines.ForeignKeys) != 1 {
		t.Fatalf("line_items foreign keys: %+v, want one", lines.ForeignKeys)
	}
	fk := lines.ForeignKeys[0]
	if fk.Name != "line_items_item_fkey" || strings.Join(fk.Columns, ",") != "item_id" || fk.RefSchema != schema || fk.RefTable != ItemsTable ||
		strings.Join(fk.RefColumns, ",") != "id" || fk.OnDelete != "c" || fk.Match != "s" || fk.Deferrable || fk.NotValid {
		t.Errorf("line_items foreign key: %+v", fk)
	}
	byName := map[string]connectors.Index{}
	for _, ix := range lines.Indexes {
		byName[ix.Name] = ix
	}
	ix, ok := byName["line_items_item_qty_idx"]
	if !ok || ix.Method != "btree" || ix.Unique || ix.KeyColumns != 2 || len(ix.Columns) != 2 ||
		ix.Columns[0].Name != "item_id" || ix.Columns[0].Descending || ix.Columns[1].Name != "qty" || !ix.Columns[1].Descending {
		t.Errorf("index line_items_item_qty_idx: %+v (of %+v)", ix, lines.Indexes)
	}
	ix, ok = byName["line_items_code_key"]
	if !ok || ix.Method != "btree" || !ix.Unique || len(ix.Columns) != 1 || ix.Columns[0].Name != "code" {
		t.Errorf("index line_items_code_key: %+v (of %+v)", ix, lines.Indexes)
	}
	for _, ix := range lines.Indexes {
		if ix.Name == "PRIMARY" || strings.HasSuffix(ix.Name, "_pkey") {
			t.Errorf("the primary key is listed among the indexes: %+v", ix)
		}
	}
}

// connectErrors: Test and Discover say why a server cannot be reached or
// logged into, as a *connectors.ConnectError naming the address.
func connectErrors(t *testing.T, src Source) {
	ctx := context.Background()
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedPort := closed.Addr().(*net.TCPAddr).Port
	closed.Close()
	// A server that accepts connections and never answers.
	silent, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	go func() {
		var held []net.Conn
		defer func() {
			for _, c := range held {
				c.Close()
			}
		}()
		for {
			c, err := silent.Accept()
			if err != nil {
				return
			}
			held = append(held, c)
		}
	}()
	silentPort := silent.Addr().(*net.TCPAddr).Port
	// A server of another protocol: it answers every connection as an
	// HTTP server would, then hangs up.
	other, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	go func() {
		for {
			c, err := other.Accept()
			if err != nil {
				return
			}
			_, _ = c.Write([]byte("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"))
			c.Close()
		}
	}()
	otherPort := other.Addr().(*net.TCPAddr).Port
	for _, c := range []struct {
		name, host string
		port       int
		user, want string
		// answered: the source spoke its protocol, and the message
		// (not only the detail) may say why it refused.
		answered bool
	}{
		{"refused", "127.0.0.1", closedPort, src.User, "connection refused", false},
		{"dns", "no-such-host.invalid", src.Port, src.User, `cannot resolve host "no-such-host.invalid"`, false},
		{"login", src.Host, src.Port, "no_such_user_here", "no_such_user_here", true},
		{"timeout", "127.0.0.1", silentPort, src.User, "timed out after " + connectors.ConnectTimeout.String(), false},
		{"other protocol", "127.0.0.1", otherPort, src.User, "", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			conn := src.OpenAt(t, c.host, c.port, c.user)
			defer conn.Close()
			addr := net.JoinHostPort(c.host, strconv.Itoa(c.port))
			calls := []struct {
				what string
				call func() error
			}{
				{"Discover", func() error { _, err := conn.Discover(ctx); return err }},
				{"Test", func() error { return conn.Test(ctx) }},
			}
			if c.name == "timeout" {
				calls = calls[:1] // one wait is enough
			}
			for _, call := range calls {
				err := call.call()
				var ce *connectors.ConnectError
				if !errors.As(err, &ce) || ce.Addr != addr || !strings.Contains(connectors.Detail(err), c.want) {
					t.Errorf("%s: %s, want a ConnectError for %s whose detail says %q", call.what, connectors.Detail(err), addr, c.want)
				}
				// A closed port, a silent one and another protocol read
				// alike, so that the message cannot scan ports.
				if unreachable := "cannot connect to " + addr + ": " + connectors.Unreachable; !c.answered && (err == nil || !strings.HasSuffix(err.Error(), unreachable)) {
					t.Errorf("%s: message %v, want it to end in %q", call.what, err, unreachable)
				} else if c.answered && (err == nil || !strings.Contains(err.Error(), c.want)) {
					t.Errorf("%s: message %v, want it to say %q", call.what, err, c.want)
				}
			}
		})
	}
}

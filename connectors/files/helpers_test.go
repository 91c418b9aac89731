package files

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/extensions"
	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/hotdata-dev/hotdata/connectors"
	"github.com/hotdata-dev/hotdata/engine"
)

// writeFile writes a test file under dir.
func writeFile(t *testing.T, dir, name, content string) {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// writeParquet writes a query's result to a Parquet file with a
// separate, unrestricted DuckDB, so the file holds exact types.
func writeParquet(t *testing.T, path, query string) {
	t.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("COPY (" + query + ") TO " + quoteLiteral(path) + " (FORMAT parquet)"); err != nil {
		t.Fatal(err)
	}
}

// openFiles opens a connector on dir serving files.
func openFiles(t *testing.T, dir string, files ...File) *Connector {
	t.Helper()
	c, err := Open(context.Background(), Config{Root: dir, Files: files, Limits: testLimits})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

var testLimits = engine.Limits{MemoryBytes: 256 << 20, Threads: 1}

// scanned is a whole scan read into plain values (see value).
type scanned struct {
	schema   *arrow.Schema
	rows     [][]any
	warnings []string
}

func scanTable(t *testing.T, c *Connector, table string, cols ...string) scanned {
	t.Helper()
	req := connectors.ScanRequest{Schema: DefaultSchema, Table: table}
	for _, col := range cols {
		req.Columns = append(req.Columns, connectors.Column{Name: col})
	}
	res, err := tryScan(c, req)
	if err != nil {
		t.Fatalf("scan %s: %v", table, err)
	}
	return res
}

func tryScan(c *Connector, req connectors.ScanRequest) (scanned, error) {
	s, err := c.Scan(context.Background(), req)
	if err != nil {
		return scanned{}, err
	}
	defer s.Release()
	res := scanned{schema: s.Schema()}
	for s.Next() {
		rec := s.RecordBatch()
		if !rec.Schema().Equal(res.schema) {
			return res, fmt.Errorf("batch schema %v differs from %v", rec.Schema(), res.schema)
		}
		for i := 0; i < int(rec.NumRows()); i++ {
			row := make([]any, rec.NumCols())
			for j := range row {
				row[j] = value(rec.Column(j), i)
			}
			res.rows = append(res.rows, row)
		}
	}
	res.warnings = s.Warnings()
	return res, s.Err()
}

// value turns one Arrow value into a plain Go value for comparison:
// integers as int64, decimals and JSON as text, timestamps as UTC
// time.Time, dates as "2006-01-02", UUIDs as text, intervals as
// "<months>m<days>d<micros>us", lists as []any, NULL as nil.
func value(a arrow.Array, i int) any {
	if a.IsNull(i) {
		return nil
	}
	switch a := a.(type) {
	case *array.Int16:
		return int64(a.Value(i))
	case *array.Int32:
		return int64(a.Value(i))
	case *array.Int64:
		return a.Value(i)
	case *array.Float32:
		return float64(a.Value(i))
	case *array.Float64:
		return a.Value(i)
	case *array.Boolean:
		return a.Value(i)
	case *array.String:
		return a.Value(i)
	case *array.Binary:
		return string(a.Value(i))
	case *array.Decimal128:
		return a.Value(i).ToString(a.DataType().(*arrow.Decimal128Type).Scale)
	case *array.Timestamp:
		return a.Value(i).ToTime(arrow.Microsecond).UTC()
	case *array.Date32:
		return a.Value(i).ToTime().Format("2006-01-02")
	case *array.Time64:
		return a.Value(i).ToTime(arrow.Microsecond).Format("15:04:05.999999")
	case *extensions.UUIDArray:
		return a.Value(i).String()
	case *extensions.JSONArray:
		return a.Storage().(*array.String).Value(i)
	case *array.Struct:
		return fmt.Sprintf("%dm%dd%dus", a.Field(0).(*array.Int32).Value(i), a.Field(1).(*array.Int32).Value(i), a.Field(2).(*array.Int64).Value(i))
	case *array.List:
		start, end := a.ValueOffsets(i)
		out := []any{}
		for j := start; j < end; j++ {
			out = append(out, value(a.ListValues(), int(j)))
		}
		return out
	}
	return fmt.Sprintf("<%s>", a.DataType())
}

func ts(s string) time.Time {
	t, err := time.Parse("2006-01-02 15:04:05.999999", s)
	if err != nil {
		panic(err)
	}
	return t
}

// sameJSON reports whether two JSON texts hold the same value.
func sameJSON(a, b string) bool {
	var x, y any
	return json.Unmarshal([]byte(a), &x) == nil && json.Unmarshal([]byte(b), &y) == nil && fmt.Sprint(x) == fmt.Sprint(y)
}

// columnsOf returns a discovered table's columns as "name type oid".
func columnsOf(t *testing.T, c *Connector, table string) []string {
	t.Helper()
	tables, err := c.Discover(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, tb := range tables {
		if tb.Name == table {
			var out []string
			for _, col := range tb.Columns {
				out = append(out, fmt.Sprintf("%s %s %d", col.Name, col.DataType, col.TypeOID))
			}
			return out
		}
	}
	t.Fatalf("table %s not discovered", table)
	return nil
}

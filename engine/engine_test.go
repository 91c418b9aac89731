//go:build duckdb_arrow

package engine

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/hotdata-dev/hotdata/internal/pgerr"
)

// writeParquet writes a query's result to a Parquet file with a separate,
// unrestricted DuckDB.
func writeParquet(t testing.TB, path, query string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("COPY (" + query + ") TO " + quoteString(path) + " (FORMAT parquet)"); err != nil {
		t.Fatal(err)
	}
}

func collect(t *testing.T, e *Engine, q string) ([][]string, error) {
	t.Helper()
	var out [][]string
	err := e.Query(context.Background(), q, nil, func(rr array.RecordReader) error {
		for rr.Next() {
			rec := rr.RecordBatch()
			for r := 0; r < int(rec.NumRows()); r++ {
				var row []string
				for c := 0; c < int(rec.NumCols()); c++ {
					// Values alias DuckDB-owned memory that is freed on Next: copy.
					row = append(row, strings.Clone(rec.Column(c).ValueStr(r)))
				}
				out = append(out, row)
			}
		}
		return rr.Err()
	})
	return out, err
}

func openTest(t testing.TB) (*Engine, string) {
	t.Helper()
	root := t.TempDir()
	ws := filepath.Join(root, "workspaces", "ws_a")
	e, err := Open(context.Background(), ws, Limits{MemoryBytes: 256 << 20, Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return e, ws
}

func TestMountAndQuery(t *testing.T) {
	e, ws := openTest(t)
	v1 := filepath.Join(ws, "tables", "conn_x", "public", "orders", "snap_1")
	writeParquet(t, filepath.Join(v1, "part-00000.parquet"), "SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS t(id, name)")
	ctx := context.Background()
	m := Mount{Catalog: "sales", Schema: "public", Table: "orders", Dir: v1, Version: 1}
	if err := e.EnsureMounted(ctx, []Mount{m}); err != nil {
		t.Fatal(err)
	}
	rows, err := collect(t, e, "SELECT id, name FROM sales.public.orders ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0][0] != "1" || rows[1][1] != "b" {
		t.Fatalf("rows = %v", rows)
	}
	// A new snapshot replaces the view.
	v2 := filepath.Join(ws, "tables", "conn_x", "public", "orders", "snap_2")
	writeParquet(t, filepath.Join(v2, "part-00000.parquet"), "SELECT 3 AS id, 'c' AS name")
	m.Dir, m.Version = v2, 2
	if err := e.EnsureMounted(ctx, []Mount{m}); err != nil {
		t.Fatal(err)
	}
	rows, err = collect(t, e, "SELECT count(*), max(name) FROM sales.public.orders")
	if err != nil || rows[0][0] != "1" || rows[0][1] != "c" {
		t.Fatalf("after remount: %v, %v", rows, err)
	}
	// Mounting outside the workspace folder is refused.
	// Going back to an older version is ignored.
	if err := e.EnsureMounted(ctx, []Mount{{Catalog: "sales", Schema: "public", Table: "orders", Dir: v1, Version: 1}}); err != nil {
		t.Fatal(err)
	}
	if rows, _ := collect(t, e, "SELECT count(*) FROM sales.public.orders"); rows[0][0] != "1" {
		t.Fatalf("an older mount replaced a newer one: %v", rows)
	}
	if err := e.EnsureMounted(ctx, []Mount{{Catalog: "x", Schema: "s", Table: "t", Dir: "/etc"}}); err == nil {
		t.Fatal("mount outside the workspace accepted")
	}
}

// TestLockdown checks that SQL cannot reach outside the workspace folder
// or change the locked settings.
func TestLockdown(t *testing.T) {
	e, ws := openTest(t)
	other := filepath.Join(filepath.Dir(ws), "ws_b", "tables", "secret.parquet")
	writeParquet(t, other, "SELECT 42 AS secret")
	cases := map[string]string{
		"read host file":            "SELECT * FROM read_csv('/etc/passwd')",
		"read other workspace":      "SELECT * FROM read_parquet(" + quoteString(other) + ")",
		"glob other workspace":      "SELECT * FROM glob(" + quoteString(filepath.Dir(other)+"/*") + ")",
		"read text":                 "SELECT * FROM read_text('/etc/hostname')",
		"install extension":         "INSTALL httpfs",
		"load extension":            "LOAD httpfs",
		"attach host file":          "ATTACH '/tmp/evil.duckdb' AS evil",
		"copy to host":              "COPY (SELECT 1) TO '/tmp/hotdata-evil.csv'",
		"unlock configuration":      "SET lock_configuration = false",
		"enable external access":    "SET enable_external_access = true",
		"widen allowed dirs":        "SET allowed_directories = ['/']",
		"raise memory":              "SET memory_limit = '100GB'",
		"change threads":            "SET threads = 64",
		"reset external access":     "RESET enable_external_access",
		"float division":            "SET integer_division = false",
		"http read":                 "SELECT * FROM read_csv('http://127.0.0.1:1/x.csv')",
		"parquet outside by dotdot": "SELECT * FROM read_parquet(" + quoteString(ws+"/../ws_b/tables/secret.parquet") + ")",
	}
	for name, q := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := collect(t, e, q); err == nil {
				t.Fatalf("%s succeeded through Query", q)
			}
			// DuckDB itself refuses too, not only the read-only guard.
			if err := e.exec(context.Background(), q); err == nil {
				t.Fatalf("%s succeeded in DuckDB", q)
			}
		})
	}
	if _, err := os.Stat("/tmp/hotdata-evil.csv"); err == nil {
		t.Fatal("COPY wrote outside the workspace")
	}
	// Settings stayed as locked.
	rows, err := collect(t, e, "SELECT current_setting('enable_external_access'), current_setting('lock_configuration'), current_setting('threads'), current_setting('TimeZone')")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(rows[0], ","); got != "false,true,1,UTC" {
		t.Fatalf("settings = %s", got)
	}
	rows, err = collect(t, e, "SELECT current_setting('allowed_directories')::VARCHAR, current_setting('autoinstall_known_extensions'), current_setting('autoload_known_extensions'), current_setting('allow_community_extensions')")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(rows[0][1:], ","); got != "false,false,false" {
		t.Fatalf("extension settings = %s", got)
	}
	// Only the workspace folder (DuckDB adds the spill folder, inside it).
	for _, d := range strings.Split(strings.Trim(rows[0][0], "[]"), ", ") {
		if !strings.HasPrefix(d, ws+"/") {
			t.Fatalf("allowed_directories = %s: %s is outside the workspace", rows[0][0], d)
		}
	}
	// The engine still works after all of that.
	if rows, err := collect(t, e, "SELECT 1 + 1"); err != nil || rows[0][0] != "2" {
		t.Fatalf("engine unusable after refused statements: %v %v", rows, err)
	}
	// Integers divide as in PostgreSQL.
	if rows, err := collect(t, e, "SELECT 7 / 2, -7 / 2, 7.0 / 2"); err != nil || strings.Join(rows[0], ",") != "3,-3,3.5" {
		t.Fatalf("division: %v %v", rows, err)
	}
}

func TestClosed(t *testing.T) {
	e, _ := openTest(t)
	e.Close()
	if _, err := collect(t, e, "SELECT 1"); err == nil {
		t.Fatal("query on closed engine succeeded")
	}
}

func TestPrepareDescribes(t *testing.T) {
	e, _ := openTest(t)
	ctx := context.Background()
	c, err := e.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Release()
	// DuckDB infers a parameter's type from a comparison, not from
	// arithmetic or a cast; a result column that depends on an untyped
	// parameter leaves the schema undecided.
	st, err := c.Prepare(ctx, "SELECT i + $1 AS total, $2::VARCHAR AS label, 1.50::DECIMAL(10,2) AS d FROM range(3) t(i) WHERE i > $3")
	if err != nil {
		t.Fatal(err)
	}
	if !st.ReadOnly || len(st.Params) != 3 || st.Params[0] != nil || st.Params[2] == nil || st.Params[2].ID() != arrow.INT64 || st.Schema != nil {
		t.Fatalf("stmt = %+v", st)
	}
	st.Close()
	st, err = c.Prepare(ctx, "SELECT i + CAST($1 AS BIGINT) AS total, $2::VARCHAR AS label, 1.50::DECIMAL(10,2) AS d FROM range(3) t(i) WHERE i > $3")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if st.Schema == nil {
		t.Fatal("no schema with the parameter cast")
	}
	if got := st.Schema.String(); !strings.Contains(got, "total: type=int64") || !strings.Contains(got, "d: type=decimal(10, 2)") {
		t.Errorf("schema = %s", got)
	}
	rows, err := st.Query(ctx, []any{int64(10), "x", "0"})
	if err != nil {
		t.Fatal(err)
	}
	var totals []int64
	for rows.Next() {
		totals = append(totals, rows.RecordBatch().Column(0).(*array.Int64).Int64Values()...)
	}
	rows.Release()
	if rows.Err() != nil || len(totals) != 2 || totals[0] != 11 || totals[1] != 12 {
		t.Fatalf("totals = %v, %v", totals, rows.Err())
	}
	// A parameter nothing constrains has no type, and neither has a
	// column that depends on it.
	st2, err := c.Prepare(ctx, "SELECT $1 AS x")
	if err != nil {
		t.Fatal(err)
	}
	defer st2.Close()
	if st2.Params[0] != nil || st2.Schema != nil {
		t.Errorf("untyped parameter: params %v schema %v", st2.Params, st2.Schema)
	}
	if _, err := c.Prepare(ctx, "SELEC 1"); pgerr.Code(err) != pgerr.SyntaxError {
		t.Errorf("syntax error: %v", err)
	}
	if _, err := c.Prepare(ctx, "SELECT * FROM nope"); pgerr.Code(err) != pgerr.UndefinedTable {
		t.Errorf("unknown table: %v", err)
	}
}

// TestCancelStreaming: cancelling the context stops a long query.
func TestCancelStreaming(t *testing.T) {
	e, _ := openTest(t)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	start := time.Now()
	err := e.Query(ctx, "SELECT count(*) FROM range(100000000000) a", nil, func(rr array.RecordReader) error {
		for rr.Next() {
		}
		return rr.Err()
	})
	if pgerr.Code(err) != pgerr.QueryCanceled || time.Since(start) > 10*time.Second {
		t.Fatalf("err = %v after %v", err, time.Since(start))
	}
	// The engine keeps working.
	if rows, err := collect(t, e, "SELECT 7"); err != nil || rows[0][0] != "7" {
		t.Fatalf("after cancel: %v, %v", rows, err)
	}
}

// TestStreamingLargeResult reads a result far bigger than one batch
// without materializing it.
func TestStreamingLargeResult(t *testing.T) {
	e, _ := openTest(t)
	var n, sum int64
	err := e.Query(context.Background(), "SELECT i FROM range(1000000) t(i)", nil, func(rr array.RecordReader) error {
		for rr.Next() {
			for _, v := range rr.RecordBatch().Column(0).(*array.Int64).Int64Values() {
				n++
				sum += v
			}
		}
		return rr.Err()
	})
	if err != nil || n != 1000000 || sum != 499999500000 {
		t.Fatalf("n=%d sum=%d err=%v", n, sum, err)
	}
}

// TestEnsureState: setup runs once, fill once per version and all or
// nothing; a failed fill leaves the previous state readable.
func TestEnsureState(t *testing.T) {
	e, _ := openTest(t)
	ctx := context.Background()
	setups := 0
	setup := func() []string {
		setups++
		return []string{"ATTACH ':memory:' AS st", "CREATE TABLE st.main.v (x INTEGER)"}
	}
	fill := func(x string) func() []string {
		return func() []string { return []string{"DELETE FROM st.main.v", "INSERT INTO st.main.v VALUES (" + x + ")"} }
	}
	for _, v := range []string{"1", "1", "2"} {
		if err := e.EnsureState(ctx, "s", v, setup, fill(v)); err != nil {
			t.Fatal(err)
		}
	}
	if rows, err := collect(t, e, "SELECT x FROM st.main.v"); err != nil || len(rows) != 1 || rows[0][0] != "2" || setups != 1 {
		t.Fatalf("rows %v, setups %d, err %v", rows, setups, err)
	}
	bad := func() []string {
		return []string{"DELETE FROM st.main.v", "INSERT INTO st.main.v VALUES ('not a number')"}
	}
	if err := e.EnsureState(ctx, "s", "3", setup, bad); err == nil {
		t.Fatal("a failing fill succeeded")
	}
	if rows, err := collect(t, e, "SELECT x FROM st.main.v"); err != nil || len(rows) != 1 || rows[0][0] != "2" {
		t.Fatalf("after a failed fill: %v, %v", rows, err)
	}
	if err := e.EnsureState(ctx, "s", "4", setup, fill("4")); err != nil || setups != 1 {
		t.Fatalf("fill after failure: %v (setups %d)", err, setups)
	}
}

// TestErrorsHideWorkspacePath: DuckDB quotes the paths it fails to read;
// the engine's errors name neither the workspace folder nor the data dir,
// including for a path escaping with "\.." (which allowed_directories
// does not treat as "..").
func TestErrorsHideWorkspacePath(t *testing.T) {
	e, ws := openTest(t)
	root := filepath.Dir(filepath.Dir(ws))
	for _, q := range []string{
		"SELECT * FROM read_parquet(" + quoteString(ws+"/missing.parquet") + ")",
		"SELECT * FROM read_parquet(" + quoteString(ws+`/\../ws_b/secret.parquet`) + ")",
		"SELECT * FROM read_csv(" + quoteString(root+"/admin-token") + ")",
	} {
		_, err := collect(t, e, q)
		if err == nil {
			t.Fatalf("%s succeeded", q)
		}
		var pe *pgerr.Error
		if !errors.As(err, &pe) {
			t.Fatalf("%s: %T %v", q, err, err)
		}
		for _, text := range []string{err.Error(), pe.Message, pe.Detail, pe.Hint, fmt.Sprint(errors.Unwrap(pe))} {
			if strings.Contains(text, root) {
				t.Errorf("%s: error names the data dir: %q", q, text)
			}
		}
	}
}

// TestCancelRacesClose: a statement cancelled just as it ends leaves its
// interrupt running while the poisoned connection is closed; closing
// waits for the interrupt instead of racing it (go test -race).
func TestCancelRacesClose(t *testing.T) {
	e, _ := openTest(t)
	for i := range 200 {
		ctx, cancel := context.WithCancel(context.Background())
		go cancel()
		q := "SELECT count(*) FROM range(" + fmt.Sprint(1000*(i%20)) + ")"
		_ = e.exec(ctx, q)
		_, _ = collectCtx(ctx, e, q)
		cancel()
	}
	if rows, err := collect(t, e, "SELECT 1 + 1"); err != nil || rows[0][0] != "2" {
		t.Fatalf("engine after cancellations: %v %v", rows, err)
	}
}

func collectCtx(ctx context.Context, e *Engine, q string) (int, error) {
	n := 0
	err := e.Query(ctx, q, nil, func(rr array.RecordReader) error {
		for rr.Next() {
			n++
		}
		return rr.Err()
	})
	return n, err
}

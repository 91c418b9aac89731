//go:build duckdb_arrow

package engine

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestNativeCopy: WriteNative makes a database file with the snapshot's
// rows; a mount reads it (then a newer snapshot's Parquet files, and the
// old copy is detached); a damaged copy falls back to the Parquet files;
// a cancelled copy leaves nothing; copies outside the folder are refused.
func TestNativeCopy(t *testing.T) {
	e, ws := openTest(t)
	ctx := context.Background()
	v1 := filepath.Join(ws, "tables", "conn_x", "public", "orders", "snap_1")
	writeParquet(t, filepath.Join(v1, "part-00000.parquet"), "SELECT i AS id, 'n' || i AS name, i * 1.5 AS price FROM range(1000) t(i)")
	writeParquet(t, filepath.Join(v1, "part-00001.parquet"), "SELECT 1000 AS id, NULL AS name, NULL AS price")
	const q = "SELECT count(*), sum(id), max(name), sum(price), count(name) FROM sales.public.orders"
	m := Mount{Catalog: "sales", Schema: "public", Table: "orders", Dir: v1, Version: 1}
	if err := e.EnsureMounted(ctx, []Mount{m}); err != nil {
		t.Fatal(err)
	}
	fromParquet, err := collect(t, e, q)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.WriteNative(ctx, v1, nil); err != nil {
		t.Fatal(err)
	}
	native := filepath.Join(v1, NativeFile)
	if _, err := os.Stat(native); err != nil {
		t.Fatal(err)
	}
	if left, _ := filepath.Glob(filepath.Join(v1, ".native-*")); len(left) != 0 {
		t.Fatalf("temporary files left: %v", left)
	}
	m.Native = native
	if err := e.EnsureMounted(ctx, []Mount{m}); err != nil {
		t.Fatal(err)
	}
	if !e.ReadsNative(m) {
		t.Fatal("the mount did not attach the native copy")
	}
	fromNative, err := collect(t, e, q)
	if err != nil || !reflect.DeepEqual(fromNative, fromParquet) {
		t.Fatalf("native %v (%v), parquet %v", fromNative, err, fromParquet)
	}
	if fromParquet[0][0] != "1001" || fromParquet[0][4] != "1000" {
		t.Fatalf("rows: %v", fromParquet)
	}
	// Writing it again is free.
	if err := e.WriteNative(ctx, v1, nil); err != nil {
		t.Fatal(err)
	}

	// A newer snapshot without a copy: its Parquet files; the old copy goes.
	v2 := filepath.Join(ws, "tables", "conn_x", "public", "orders", "snap_2")
	writeParquet(t, filepath.Join(v2, "part-00000.parquet"), "SELECT 7 AS id, 'x' AS name, 2.5 AS price")
	old := e.mounts[mountKey(m)].alias
	if err := e.EnsureMounted(ctx, []Mount{{Catalog: "sales", Schema: "public", Table: "orders", Dir: v2, Version: 2}}); err != nil {
		t.Fatal(err)
	}
	if rows, err := collect(t, e, "SELECT count(*) FROM duckdb_databases() WHERE database_name = '"+old+"'"); err != nil || rows[0][0] != "0" {
		t.Fatalf("old copy still attached: %v %v", rows, err)
	}
	if rows, err := collect(t, e, q); err != nil || rows[0][0] != "1" {
		t.Fatalf("after the new snapshot: %v %v", rows, err)
	}

	// A damaged copy: the mount reads the Parquet files.
	v3 := filepath.Join(ws, "tables", "conn_x", "public", "orders", "snap_3")
	writeParquet(t, filepath.Join(v3, "part-00000.parquet"), "SELECT 8 AS id, 'y' AS name, 1.0 AS price")
	bad := filepath.Join(v3, NativeFile)
	if err := os.WriteFile(bad, []byte("not a database"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := e.EnsureMounted(ctx, []Mount{{Catalog: "sales", Schema: "public", Table: "orders", Dir: v3, Version: 3, Native: bad}}); err != nil {
		t.Fatal(err)
	}
	if rows, err := collect(t, e, "SELECT max(name) FROM sales.public.orders"); err != nil || rows[0][0] != "y" {
		t.Fatalf("damaged copy: %v %v", rows, err)
	}
	if e.ReadsNative(Mount{Catalog: "sales", Schema: "public", Table: "orders"}) {
		t.Fatal("ReadsNative is true for a damaged copy the view does not read")
	}

	// Cancelled: no copy, no leftovers.
	v4 := filepath.Join(ws, "tables", "conn_x", "public", "orders", "snap_4")
	writeParquet(t, filepath.Join(v4, "part-00000.parquet"), "SELECT i AS id FROM range(1000) t(i)")
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := e.WriteNative(cctx, v4, nil); err == nil {
		t.Fatal("a cancelled copy succeeded")
	}
	if left, _ := filepath.Glob(filepath.Join(v4, "*.duckdb*")); len(left) != 0 {
		t.Fatalf("a cancelled copy left %v", left)
	}
	if err := e.WriteNative(ctx, t.TempDir(), nil); err == nil {
		t.Fatal("a copy outside the workspace folder was made")
	}
}

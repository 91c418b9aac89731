package engine

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestMergedDeltas: base and delta files read as the table's current
// rows: inserts, updates (with columns left unchanged keeping their
// value, and columns set to NULL becoming NULL), deletes, a key deleted
// and inserted again, composite keys; the same as applying the changes
// in order.
func TestMergedDeltas(t *testing.T) {
	e, ws := openTest(t)
	dir := filepath.Join(ws, "tables", "conn_x", "public", "t", "snap_1")
	writeParquet(t, filepath.Join(dir, "part-00000.parquet"),
		"SELECT * FROM (VALUES (1, 'a', 'x', 10), (1, 'b', 'y', 20), (2, 'a', 'z', 30), (3, 'a', 'w', 40)) AS t(k1, k2, v, n)")
	delta := func(name, rows string) {
		writeParquet(t, filepath.Join(dir, DeltaPrefix+name+".parquet"),
			"SELECT k1::INTEGER AS k1, k2::VARCHAR AS k2, v::VARCHAR AS v, n::INTEGER AS n, _hd_op::VARCHAR AS _hd_op, _hd_seq::BIGINT AS _hd_seq, _hd_unchanged::VARCHAR AS _hd_unchanged FROM (VALUES "+rows+") AS d(k1, k2, v, n, _hd_op, _hd_seq, _hd_unchanged)")
	}
	// 1: update (1,a) v only (n unchanged, TOAST-style); delete (1,b);
	// insert (4,a); set (2,a).n to NULL.
	delta("0001", "(1, 'a', 'x2', NULL, 'U', 100, '0001'), (1, 'b', NULL, NULL, 'D', 101, NULL), (4, 'a', 'new', 50, 'I', 102, NULL), (2, 'a', 'z', NULL, 'U', 103, NULL)")
	// 2: (1,b) comes back; (1,a) updated again with v unchanged; (3,a)
	// deleted and inserted again within the file, in reverse order of
	// rows (the sequence decides, not the order in the file).
	delta("0002", "(3, 'a', 'w2', 41, 'I', 203, NULL), (3, 'a', NULL, NULL, 'D', 202, NULL), (1, 'a', NULL, 11, 'U', 201, '0010'), (1, 'b', 'back', 21, 'I', 200, NULL)")
	m := Mount{Catalog: "c", Schema: "public", Table: "t", Dir: dir, Version: 1, Key: []string{"k1", "k2"}, Columns: []string{"k1", "k2", "v", "n"}}
	if err := e.EnsureMounted(context.Background(), []Mount{m}); err != nil {
		t.Fatal(err)
	}
	rows, err := collect(t, e, "SELECT k1, k2, v, n FROM c.public.t ORDER BY k1, k2")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows {
		got = append(got, strings.Join(r, "|"))
	}
	want := []string{"1|a|x2|11", "1|b|back|21", "2|a|z|(null)", "3|a|w2|41", "4|a|new|50"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("merged rows:\n got %v\nwant %v", got, want)
	}
	// The columns keep their names, order and types.
	rows, err = collect(t, e, "SELECT column_name, data_type FROM information_schema.columns WHERE table_catalog = 'c' AND table_name = 't' ORDER BY ordinal_position")
	if err != nil || len(rows) != 4 || rows[0][0] != "k1" || rows[3][0] != "n" || rows[3][1] != "INTEGER" {
		t.Fatalf("columns: %v, %v", rows, err)
	}
	if err := e.WriteNative(context.Background(), dir, nil); err == nil {
		t.Fatal("a native copy of a folder with delta files")
	}
}

// TestNativeCopyOfDeltas: a snapshot with delta files gets a native copy
// of its merged rows; the next snapshot (the same files, linked, and one
// more delta file) gets its copy from the previous one with the newer
// changes applied; either reads as the merged files do.
func TestNativeCopyOfDeltas(t *testing.T) {
	e, ws := openTest(t)
	ctx := context.Background()
	table := filepath.Join(ws, "tables", "conn_x", "public", "t")
	v1 := filepath.Join(table, "snap_1")
	writeParquet(t, filepath.Join(v1, "part-00000.parquet"),
		"SELECT i AS k, 'v' || i AS v, i * 10 AS n FROM range(1, 1001) t(i)")
	delta := func(dir, name, rows string) {
		writeParquet(t, filepath.Join(dir, DeltaPrefix+name+".parquet"),
			"SELECT k::BIGINT AS k, v::VARCHAR AS v, n::BIGINT AS n, _hd_op::VARCHAR AS _hd_op, _hd_seq::BIGINT AS _hd_seq, _hd_unchanged::VARCHAR AS _hd_unchanged FROM (VALUES "+rows+") AS d(k, v, n, _hd_op, _hd_seq, _hd_unchanged)")
	}
	delta(v1, "0001", "(1, 'one', 11, 'U', 100, NULL), (2, NULL, NULL, 'D', 101, NULL), (5000, 'new', 1, 'I', 102, NULL), (3, 'x', NULL, 'U', 103, '001')")
	key := []string{"k"}
	cols := []string{"k", "v", "n"}
	const q = "SELECT count(*), sum(k), min(v), max(v), sum(n), max(CASE WHEN k = 3 THEN v || n END), max(CASE WHEN k = 1 THEN v || n END) FROM c.public.t"
	read := func(dir string, native bool, version int64) [][]string {
		t.Helper()
		m := Mount{Catalog: "c", Schema: "public", Table: "t", Dir: dir, Version: version, Key: key, Columns: cols}
		if native {
			m.Native = filepath.Join(dir, NativeFile)
		}
		if err := e.EnsureMounted(ctx, []Mount{m}); err != nil {
			t.Fatal(err)
		}
		if e.ReadsNative(m) != native {
			t.Fatalf("%s: reads native %v, want %v", dir, e.ReadsNative(m), native)
		}
		rows, err := collect(t, e, q)
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}
	merged1 := read(v1, false, 1)
	if merged1[0][0] != "1000" || merged1[0][5] != "x30" || merged1[0][6] != "one11" {
		t.Fatalf("merged rows: %v", merged1)
	}
	if err := e.WriteNative(ctx, v1, key); err != nil {
		t.Fatal(err)
	}
	if got := read(v1, true, 2); !reflect.DeepEqual(got, merged1) {
		t.Fatalf("native copy of v1 %v, merged %v", got, merged1)
	}

	// v2: v1's files linked, and a newer delta file.
	v2 := filepath.Join(table, "snap_2")
	if err := os.MkdirAll(v2, 0o700); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(v1, "*.parquet"))
	for _, f := range files {
		if err := os.Link(f, filepath.Join(v2, filepath.Base(f))); err != nil {
			t.Fatal(err)
		}
	}
	delta(v2, "0002", "(1, NULL, 12, 'U', 200, '010'), (5000, NULL, NULL, 'D', 201, NULL), (2, 'back', 2, 'I', 202, NULL), (7, 'seven', 70, 'U', 203, NULL)")
	merged2 := read(v2, false, 3)
	base, deltas, err := SnapshotFiles(v2)
	if err != nil {
		t.Fatal(err)
	}
	if prev, newer := e.nativeBefore(v2, base, deltas); prev != filepath.Join(v1, NativeFile) || len(newer) != 1 {
		t.Fatalf("v2's copy would not start from v1's: %q %v", prev, newer)
	}
	if err := e.WriteNative(ctx, v2, key); err != nil {
		t.Fatal(err)
	}
	if got := read(v2, true, 4); !reflect.DeepEqual(got, merged2) {
		t.Fatalf("incremental native copy of v2 %v, merged %v", got, merged2)
	}
	if merged2[0][6] != "one12" {
		t.Fatalf("merged v2: %v", merged2)
	}
	// A copy that does not attach (gone over the quota after the mount was
	// planned): the files are read merged, never raw.
	gone := Mount{Catalog: "c", Schema: "public", Table: "t", Dir: v2, Version: 5, Key: key, Columns: cols, Native: filepath.Join(v2, "gone.duckdb")}
	if err := e.EnsureMounted(ctx, []Mount{gone}); err != nil {
		t.Fatal(err)
	}
	if got, err := collect(t, e, q); err != nil || !reflect.DeepEqual(got, merged2) || e.ReadsNative(gone) {
		t.Fatalf("without its copy: %v %v, merged %v", got, err, merged2)
	}
	// A folder whose base files are other files (a compaction) does not
	// start from v1's copy.
	v3 := filepath.Join(table, "snap_3")
	writeParquet(t, filepath.Join(v3, "part-00000.parquet"), "SELECT i AS k, 'v' || i AS v, i * 10 AS n FROM range(1, 1001) t(i)")
	delta(v3, "0003", "(1, 'z', 1, 'U', 300, NULL)")
	base, deltas, _ = SnapshotFiles(v3)
	if prev, _ := e.nativeBefore(v3, base, deltas); prev != "" {
		t.Fatalf("a compacted folder starts from %s", prev)
	}
}

// BenchmarkNativeCopyOfDeltas compares a snapshot's native copy made in
// full (every row loaded from its Parquet files and merged with its
// delta file) with one made from the previous snapshot's copy (cloned,
// the newer delta file applied): 1M rows, 1,000 changed.
//
//	go test -tags duckdb_arrow -run '^$' -bench NativeCopyOfDeltas ./engine
func BenchmarkNativeCopyOfDeltas(b *testing.B) {
	e, ws := openTest(b)
	ctx := context.Background()
	table := filepath.Join(ws, "tables", "conn_x", "public", "t")
	v1 := filepath.Join(table, "snap_1")
	writeParquet(b, filepath.Join(v1, "part-00000.parquet"),
		"SELECT i AS k, 'value ' || i AS v, i * 10 AS n, i / 7.0 AS f FROM range(1, 1000001) t(i)")
	if err := e.WriteNative(ctx, v1, nil); err != nil {
		b.Fatal(err)
	}
	key := []string{"k"}
	for _, mode := range []string{"full", "incremental"} {
		b.Run(mode, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				dir := filepath.Join(table, fmt.Sprintf("snap_%s_%d", mode, i))
				if err := os.MkdirAll(dir, 0o700); err != nil {
					b.Fatal(err)
				}
				if err := os.Link(filepath.Join(v1, "part-00000.parquet"), filepath.Join(dir, "part-00000.parquet")); err != nil {
					b.Fatal(err)
				}
				writeParquet(b, filepath.Join(dir, DeltaPrefix+"0001.parquet"),
					"SELECT i * 997 AS k, 'changed' AS v, i AS n, 0.5 AS f, CASE WHEN i % 10 = 0 THEN 'D' ELSE 'U' END AS _hd_op, 100 + i AS _hd_seq, NULL::VARCHAR AS _hd_unchanged FROM range(1, 1001) t(i)")
				if mode == "full" {
					os.Rename(filepath.Join(v1, NativeFile), filepath.Join(v1, "hidden"))
				}
				b.StartTimer()
				if err := e.WriteNative(ctx, dir, key); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				if mode == "full" {
					os.Rename(filepath.Join(v1, "hidden"), filepath.Join(v1, NativeFile))
				}
				os.RemoveAll(dir)
				b.StartTimer()
			}
		})
	}
}

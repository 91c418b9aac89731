package engine

import (
	"context"
	"path/filepath"
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
	if err := e.WriteNative(context.Background(), dir); err == nil {
		t.Fatal("a native copy of a folder with delta files")
	}
}

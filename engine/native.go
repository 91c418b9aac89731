//go:build duckdb_arrow

package engine

import (
	"context"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/apache/arrow-go/v18/arrow/array"
)

// A snapshot's native copy: the same rows as its Parquet files, in a
// DuckDB database file (table main.data) in the snapshot's folder. DuckDB
// scans its own storage several times faster than Parquet (lighter
// compression, finer zone maps), so queries read the copy once it exists;
// the Parquet files stay the snapshot of record (incremental syncs share
// them, and the copy can always be made again from them).

// NativeFile is the name of the native copy in a snapshot's folder.
const NativeFile = "native.duckdb"

// nativeAlias names the attached copy at path: unique per file, and not
// a name the planner lets a statement reach.
func nativeAlias(path string) string {
	h := fnv.New64a()
	h.Write([]byte(path))
	return fmt.Sprintf("hd_native_%016x", h.Sum64())
}

// WriteNative makes the native copy of the snapshot in dir (absolute,
// inside the workspace folder): it loads the Parquet files into a new
// database file beside them, under a temporary name, and renames it into
// place once complete, so a reader never sees a partial copy. It runs in
// a database of its own, locked down like the engine, with the engine's
// memory limit and one thread: a background copy leaves the other cores
// to queries, and one writer keeps the file compact (parallel,
// order-preserving inserts leave it about twice as large).
//
// A snapshot with delta files (key names the table's key columns) gets
// the merged rows. When an earlier snapshot of the table in a sibling
// folder has a copy and shares this one's files but the newer deltas,
// the copy is made incrementally: that copy, cloned, with the newer
// deltas applied by key, rather than every row loaded again.
func (e *Engine) WriteNative(ctx context.Context, dir string, key []string) error {
	if !e.inside(dir) {
		return fmt.Errorf("engine: native copy of %s: outside the workspace folder", dir)
	}
	target := filepath.Join(dir, NativeFile)
	if _, err := os.Stat(target); err == nil {
		return nil
	}
	base, deltas, err := SnapshotFiles(dir)
	if err != nil {
		return fmt.Errorf("engine: native copy of %s: %w", dir, err)
	}
	if len(deltas) > 0 && len(key) == 0 {
		return fmt.Errorf("engine: native copy of %s: delta files need the table's key", dir)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	spill := filepath.Join(e.dir, "tmp", fmt.Sprintf("duckdb-%d", os.Getpid()), "native")
	w, err := open(ctx, e.dir, spill, Limits{MemoryBytes: e.limits.MemoryBytes, Threads: 1})
	if err != nil {
		return fmt.Errorf("native copy of %s: %w", dir, err)
	}
	defer func() {
		w.Close()
		os.RemoveAll(spill)
	}()
	tmp := filepath.Join(dir, fmt.Sprintf(".native-%d.duckdb", os.Getpid()))
	removeDB := func() {
		os.Remove(tmp)
		os.Remove(tmp + ".wal")
	}
	removeDB()
	prev, newer := e.nativeBefore(dir, base, deltas)
	if prev != "" && cloneFile(prev, tmp) != nil {
		prev = "" // gone meanwhile (collected, over the quota): in full
		removeDB()
	}
	if prev != "" {
		// The earlier copy, cloned, with the newer changes applied.
		err = w.exec(ctx, "ATTACH "+quoteString(tmp)+" AS native_copy")
		if err == nil && len(newer) > 0 {
			err = w.applyDeltas(ctx, newer, key)
		}
	} else {
		var q string
		if q, err = nativeSelect(ctx, w, base, deltas, key); err == nil {
			err = w.exec(ctx, "ATTACH "+quoteString(tmp)+" AS native_copy", "CREATE TABLE native_copy.main.data AS "+q)
		}
	}
	if err == nil {
		err = w.exec(ctx, "CHECKPOINT native_copy", "DETACH DATABASE native_copy")
	}
	if _, serr := os.Stat(tmp + ".wal"); err == nil && serr == nil {
		err = fmt.Errorf("changes left in the write-ahead log after the checkpoint")
	}
	if err == nil {
		err = ctx.Err() // interrupted after the last statement
	}
	if err != nil {
		removeDB()
		return fmt.Errorf("native copy of %s: %w", dir, err)
	}
	if err := os.Rename(tmp, target); err != nil {
		removeDB()
		return fmt.Errorf("native copy of %s: %w", dir, err)
	}
	return nil
}

// nativeSelect is the query of a snapshot's rows: its Parquet files, or
// with delta files their merge.
func nativeSelect(ctx context.Context, w *Engine, base, deltas, key []string) (string, error) {
	if len(deltas) == 0 {
		return "SELECT * FROM read_parquet(" + fileList(base) + ")", nil
	}
	cols, err := w.columnsOf(ctx, "SELECT * FROM read_parquet("+fileList(base)+")")
	if err != nil {
		return "", err
	}
	return MergedSelect(base, deltas, cols, key)
}

// columnsOf lists a query's column names, in order.
func (e *Engine) columnsOf(ctx context.Context, q string) ([]string, error) {
	var cols []string
	err := e.Query(ctx, "SELECT column_name FROM (DESCRIBE "+q+")", nil, func(r array.RecordReader) error {
		for r.Next() {
			rec := r.RecordBatch()
			names := rec.Column(0).(*array.String)
			for i := 0; i < names.Len(); i++ {
				cols = append(cols, strings.Clone(names.Value(i))) // the batch's memory is DuckDB's
			}
		}
		return r.Err()
	})
	return cols, err
}

// nativeBefore finds an earlier snapshot of the table (a sibling folder)
// whose native copy this one's can start from: its files are all this
// folder's (the same files, linked), with the same base files, so that
// this one is it plus the delta files it lacks (returned, in order).
func (e *Engine) nativeBefore(dir string, base, deltas []string) (string, []string) {
	if len(deltas) == 0 {
		return "", nil
	}
	siblings, err := os.ReadDir(filepath.Dir(dir))
	if err != nil {
		return "", nil
	}
	best, bestNewer := "", []string(nil)
	for _, s := range siblings {
		other := filepath.Join(filepath.Dir(dir), s.Name())
		if !s.IsDir() || other == dir {
			continue
		}
		native := filepath.Join(other, NativeFile)
		if _, err := os.Stat(native); err != nil {
			continue
		}
		oBase, oDeltas, err := SnapshotFiles(other)
		if err != nil || len(oBase) != len(base) || len(oDeltas) > len(deltas) || !sameFiles(oBase, base) || !sameFiles(oDeltas, deltas[:len(oDeltas)]) {
			continue
		}
		if newer := deltas[len(oDeltas):]; best == "" || len(newer) < len(bestNewer) {
			best, bestNewer = native, newer
		}
	}
	return best, bestNewer
}

// sameFiles reports whether two lists name the same files (one inode:
// a snapshot's files are hard links of the previous one's).
func sameFiles(a, b []string) bool {
	for i := range a {
		x, err1 := os.Stat(a[i])
		y, err2 := os.Stat(b[i])
		if err1 != nil || err2 != nil || !os.SameFile(x, y) {
			return false
		}
	}
	return true
}

// applyDeltas applies delta files, by key, to the copy attached as
// native_copy (main.data): each changed key's merged row replaces the
// copy's (MergedSelect's rules, with the copy's rows as the base), and a
// deleted key's row goes.
func (w *Engine) applyDeltas(ctx context.Context, deltas, key []string) error {
	const data = "native_copy.main.data"
	cols, err := w.columnsOf(ctx, "SELECT * FROM "+data)
	if err != nil {
		return err
	}
	with, _, err := mergedChanges(data, deltas, cols, key)
	if err != nil {
		return err
	}
	on := make([]string, len(key))
	for i, k := range key {
		on[i] = data + "." + QuoteIdent(k) + " = hd_m." + QuoteIdent(k)
	}
	return w.exec(ctx,
		"CREATE TEMP TABLE hd_m AS "+with+"SELECT * FROM hd_m",
		"DELETE FROM "+data+" USING hd_m WHERE "+strings.Join(on, " AND "),
		"INSERT INTO "+data+" BY NAME SELECT * EXCLUDE ("+deltaOp+") FROM hd_m WHERE "+deltaOp+" <> 'D'",
		"DROP TABLE hd_m")
}

// cloneFile copies a database file to a new path (synced).
func cloneFile(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	if err := dst.Sync(); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}

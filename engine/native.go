//go:build duckdb_arrow

package engine

import (
	"context"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
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
func (e *Engine) WriteNative(ctx context.Context, dir string) error {
	if !e.inside(dir) {
		return fmt.Errorf("engine: native copy of %s: outside the workspace folder", dir)
	}
	target := filepath.Join(dir, NativeFile)
	if _, err := os.Stat(target); err == nil {
		return nil
	}
	if HasDeltas(dir) {
		return fmt.Errorf("engine: native copy of %s: it holds delta files, read merged", dir)
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
	glob := quoteString(filepath.Join(dir, "*.parquet"))
	err = w.exec(ctx,
		"ATTACH "+quoteString(tmp)+" AS native_copy",
		"CREATE TABLE native_copy.main.data AS SELECT * FROM read_parquet("+glob+")",
		"DETACH DATABASE native_copy")
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

package engine

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/apache/arrow-go/v18/arrow/array"
)

// Merge reads a change-data-capture snapshot's base and delta files
// merged by key (MergedSelect) and passes the rows to fn, with a DuckDB of
// its own locked down to the workspace folder wsDir (compaction: the
// rows become the next snapshot's base file).
func Merge(ctx context.Context, wsDir string, limits Limits, base, deltas, cols, key []string, fn func(array.RecordReader) error) error {
	q, err := MergedSelect(base, deltas, cols, key)
	if err != nil {
		return err
	}
	spill := filepath.Join(wsDir, "tmp", fmt.Sprintf("duckdb-%d", os.Getpid()), "merge")
	e, err := open(ctx, wsDir, spill, Limits{MemoryBytes: limits.MemoryBytes, Threads: max(limits.Threads, 1)})
	if err != nil {
		return fmt.Errorf("merge snapshot files: %w", err)
	}
	defer func() {
		e.Close()
		os.RemoveAll(spill)
	}()
	for _, f := range append(append([]string(nil), base...), deltas...) {
		if !e.inside(f) {
			return fmt.Errorf("merge snapshot files: %s is outside the workspace folder", f)
		}
	}
	return e.Query(ctx, q, nil, fn)
}

// SnapshotFiles splits a snapshot folder's Parquet files into base and
// delta files, each sorted.
func SnapshotFiles(dir string) (base, deltas []string, err error) { return snapshotFiles(dir) }

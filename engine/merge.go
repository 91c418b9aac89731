package engine

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/apache/arrow-go/v18/arrow/array"
)

// QueryFiles runs one query over Parquet files of the workspace folder
// wsDir with a DuckDB of its own, locked down to that folder, and passes
// the rows to fn (the cache's own work on its files: compaction, delete
// detection; never user SQL).
func QueryFiles(ctx context.Context, wsDir string, limits Limits, files []string, query string, fn func(array.RecordReader) error) error {
	spill := filepath.Join(wsDir, "tmp", fmt.Sprintf("duckdb-%d", os.Getpid()), "files")
	e, err := open(ctx, wsDir, spill, Limits{MemoryBytes: limits.MemoryBytes, Threads: max(limits.Threads, 1)})
	if err != nil {
		return fmt.Errorf("query snapshot files: %w", err)
	}
	defer func() {
		e.Close()
		os.RemoveAll(spill)
	}()
	for _, f := range files {
		if !e.inside(f) {
			return fmt.Errorf("query snapshot files: %s is outside the workspace folder", f)
		}
	}
	return e.Query(ctx, query, nil, fn)
}

// Merge reads a snapshot's base and delta files merged by key
// (MergedSelect) and passes the rows to fn (compaction: the rows become
// the next snapshot's base file).
func Merge(ctx context.Context, wsDir string, limits Limits, base, deltas, cols, key []string, fn func(array.RecordReader) error) error {
	q, err := MergedSelect(base, deltas, cols, key)
	if err != nil {
		return err
	}
	return QueryFiles(ctx, wsDir, limits, append(append([]string(nil), base...), deltas...), q, fn)
}

// KeysGone reads the keys of a snapshot's merged rows that a Parquet
// file of keys (keysFile: the upstream's, read just now) lacks.
func KeysGone(ctx context.Context, wsDir string, limits Limits, base, deltas, cols, key []string, keysFile string, fn func(array.RecordReader) error) error {
	q, err := MergedSelect(base, deltas, cols, key)
	if err != nil {
		return err
	}
	qk := make([]string, len(key))
	for i, k := range key {
		qk[i] = QuoteIdent(k)
	}
	keys := strings.Join(qk, ", ")
	q = "SELECT " + keys + " FROM (" + q + ") hd_c ANTI JOIN read_parquet(" + quoteString(keysFile) + ") hd_u USING (" + keys + ")"
	return QueryFiles(ctx, wsDir, limits, append(append(append([]string(nil), base...), deltas...), keysFile), q, fn)
}

// CountMerged counts a snapshot's merged rows.
func CountMerged(ctx context.Context, wsDir string, limits Limits, base, deltas, cols, key []string) (int64, error) {
	q, err := MergedSelect(base, deltas, cols, key)
	if err != nil {
		return 0, err
	}
	var n int64
	err = QueryFiles(ctx, wsDir, limits, append(append([]string(nil), base...), deltas...), "SELECT count(*)::BIGINT FROM ("+q+")", func(rr array.RecordReader) error {
		for rr.Next() {
			if rec := rr.RecordBatch(); rec.NumRows() > 0 {
				n = rec.Column(0).(*array.Int64).Value(0)
			}
		}
		return rr.Err()
	})
	return n, err
}

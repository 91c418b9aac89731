package cache

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/compute"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/arrow/scalar"

	"github.com/hotdata-dev/hotdata/connectors"
	"github.com/hotdata-dev/hotdata/engine"
	"github.com/hotdata-dev/hotdata/metastore"
)

// Incremental syncs of tables with a primary key merge by key: the rows
// read are a delta file of upserts (engine/deltas.go), so an updated row
// replaces its cached version and a row read again by the lookback
// replaces itself; with delete detection, the cached keys the upstream no
// longer has become deletes; past CompactDeltas delta files the snapshot
// is merged into one base file before it is published.

// mergeLimits bounds the DuckDB the cache's own merges use.
var mergeLimits = engine.Limits{MemoryBytes: 512 << 20, Threads: 1}

// changeFields are a table's fields as delta files hold them (every
// column nullable: a delete sets only the key), then the change columns.
func changeFields(fields []arrow.Field) []arrow.Field {
	out := make([]arrow.Field, 0, len(fields)+3)
	for _, f := range fields {
		f.Nullable = true
		out = append(out, f)
	}
	return append(out,
		arrow.Field{Name: connectors.ChangeOpColumn, Type: arrow.BinaryTypes.String},
		arrow.Field{Name: connectors.ChangeSeqColumn, Type: arrow.PrimitiveTypes.Int64},
		arrow.Field{Name: "_hd_unchanged", Type: arrow.BinaryTypes.String, Nullable: true})
}

// upsertReader adds the change columns to a scan's batches: every row an
// update ("U": it replaces the key's row, or adds it) at sequence seq.
type upsertReader struct {
	connectors.Scan
	schema *arrow.Schema
	seq    int64
	cur    arrow.RecordBatch
	err    error
}

func upserts(r connectors.Scan, seq int64) *upsertReader {
	return &upsertReader{Scan: r, schema: arrow.NewSchema(changeFields(r.Schema().Fields()), nil), seq: seq}
}

func (u *upsertReader) Schema() *arrow.Schema { return u.schema }
func (u *upsertReader) Err() error {
	if u.err != nil {
		return u.err
	}
	return u.Scan.Err()
}
func (u *upsertReader) RecordBatch() arrow.RecordBatch { return u.cur }
func (u *upsertReader) Record() arrow.RecordBatch      { return u.cur }

func (u *upsertReader) Next() bool {
	if u.cur != nil {
		u.cur.Release()
		u.cur = nil
	}
	if u.err != nil || !u.Scan.Next() {
		return false
	}
	rec := u.Scan.RecordBatch()
	n := int(rec.NumRows())
	cols := make([]arrow.Array, 0, rec.NumCols()+3)
	for _, c := range rec.Columns() {
		c.Retain()
		cols = append(cols, c)
	}
	change, err := changeColumns("U", u.seq, n)
	if err != nil {
		for _, c := range cols {
			c.Release()
		}
		u.err = err
		return false
	}
	cols = append(cols, change...)
	u.cur = array.NewRecordBatch(u.schema, cols, int64(n))
	for _, c := range cols {
		c.Release()
	}
	return true
}

func (u *upsertReader) Release() {
	if u.cur != nil {
		u.cur.Release()
		u.cur = nil
	}
	u.Scan.Release()
}

// constArray is n copies of a value (arrow's scalar package builds it).
func constArray(v scalar.Scalar, n int) (arrow.Array, error) {
	return scalar.MakeArrayFromScalar(v, n, memory.DefaultAllocator)
}

// changeColumns are the change columns of n rows: operation op at
// sequence seq, no column left unchanged.
func changeColumns(op string, seq int64, n int) ([]arrow.Array, error) {
	ops, err := constArray(scalar.NewStringScalar(op), n)
	if err != nil {
		return nil, err
	}
	seqs, err := constArray(scalar.NewInt64Scalar(seq), n)
	if err != nil {
		ops.Release()
		return nil, err
	}
	return []arrow.Array{ops, seqs, array.MakeArrayOfNull(memory.DefaultAllocator, arrow.BinaryTypes.String, n)}, nil
}

// finishMerge completes an incremental merge written into dir: the schema
// file, the deletes (when the table detects them), the compaction; it
// returns the snapshot's rows and bytes, and how many rows were deleted.
func (s *Syncer) finishMerge(ctx context.Context, t metastore.Table, conn connectors.Connector, dir string, prev *metastore.Snapshot, fields []arrow.Field, seq int64) (int64, int64, int64, error) {
	prevSchema := filepath.Join(s.layout.Abs(t.WorkspaceID, prev.Path), SchemaFile)
	if err := os.Link(prevSchema, filepath.Join(dir, SchemaFile)); err != nil {
		if err := writeSchemaFile(filepath.Join(dir, SchemaFile), arrow.NewSchema(fields, nil)); err != nil {
			return 0, 0, 0, err
		}
	}
	cols := fieldNames(fields)
	var deleted int64
	if t.DetectDeletes {
		var err error
		if deleted, err = s.writeDeletes(ctx, t, conn, dir, fields, cols, seq+1); err != nil {
			return 0, 0, 0, fmt.Errorf("detect deletes: %w", err)
		}
	}
	base, deltas, err := engine.SnapshotFiles(dir)
	if err != nil {
		return 0, 0, 0, err
	}
	if len(deltas) > CompactDeltas {
		if err := compactDir(ctx, s.layout.Workspace(t.WorkspaceID), dir, t.PrimaryKey, fields); err != nil {
			return 0, 0, 0, err
		}
		if base, deltas, err = engine.SnapshotFiles(dir); err != nil {
			return 0, 0, 0, err
		}
	}
	rows, err := engine.CountMerged(ctx, s.layout.Workspace(t.WorkspaceID), mergeLimits, base, deltas, cols, t.PrimaryKey)
	if err != nil {
		return 0, 0, 0, err
	}
	var bytes int64
	for _, f := range append(base, deltas...) {
		if info, err := os.Stat(f); err == nil {
			bytes += info.Size()
		}
	}
	return rows, bytes, deleted, nil
}

func fieldNames(fields []arrow.Field) []string {
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = f.Name
	}
	return out
}

// writeDeletes reads the upstream's keys and writes a delta file deleting
// the cached rows whose key is gone; it returns how many.
func (s *Syncer) writeDeletes(ctx context.Context, t metastore.Table, conn connectors.Connector, dir string, fields []arrow.Field, cols []string, seq int64) (int64, error) {
	keyCols := make([]connectors.Column, len(t.PrimaryKey))
	for i, k := range t.PrimaryKey {
		keyCols[i] = connectors.Column{Name: k}
	}
	scan, err := conn.Scan(ctx, connectors.ScanRequest{Schema: t.Schema, Table: t.Name, Columns: keyCols})
	if err != nil {
		return 0, err
	}
	keysDir := dir + ".keys"
	defer os.RemoveAll(keysDir)
	keysFile := filepath.Join(keysDir, "keys.parquet")
	_, err = WriteParquet(keysFile, scan, nil)
	scan.Release()
	if err != nil {
		return 0, err
	}
	base, deltas, err := engine.SnapshotFiles(dir)
	if err != nil {
		return 0, err
	}
	var total int64
	schema := arrow.NewSchema(changeFields(fields), nil)
	byName := map[string]int{}
	for i, f := range fields {
		byName[f.Name] = i
	}
	var recs []arrow.RecordBatch
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	err = engine.KeysGone(ctx, s.layout.Workspace(t.WorkspaceID), mergeLimits, base, deltas, cols, t.PrimaryKey, keysFile, func(rr array.RecordReader) error {
		for rr.Next() {
			rec := rr.RecordBatch()
			n := int(rec.NumRows())
			if n == 0 {
				continue
			}
			arrs := make([]arrow.Array, schema.NumFields())
			for i, f := range fields {
				arrs[i] = array.MakeArrayOfNull(memory.DefaultAllocator, f.Type, n)
			}
			for k, name := range t.PrimaryKey {
				i := byName[name]
				col := rec.Column(k)
				var out arrow.Array
				var err error
				if arrow.TypeEqual(col.DataType(), fields[i].Type) {
					out, err = array.Concatenate([]arrow.Array{col}, memory.DefaultAllocator)
				} else {
					out, err = compute.CastArray(ctx, col, compute.SafeCastOptions(fields[i].Type))
				}
				if err != nil {
					return fmt.Errorf("key column %s: %w", name, err)
				}
				arrs[i].Release()
				arrs[i] = out
			}
			change, err := changeColumns("D", seq, n)
			if err != nil {
				return err
			}
			copy(arrs[len(fields):], change)
			recs = append(recs, array.NewRecordBatch(schema, arrs, int64(n)))
			total += int64(n)
			for _, a := range arrs {
				a.Release()
			}
		}
		return rr.Err()
	})
	if err != nil || len(recs) == 0 {
		return 0, err
	}
	r, err := array.NewRecordReader(schema, recs)
	if err != nil {
		return 0, err
	}
	defer r.Release()
	_, err = WriteParquet(filepath.Join(dir, fmt.Sprintf("%s%020d.parquet", engine.DeltaPrefix, seq)), r, nil)
	return total, err
}

// compactDir merges a snapshot folder's base and delta files into one base
// file with the table's fields, in place (the folder is not published).
func compactDir(ctx context.Context, wsDir, dir string, key []string, fields []arrow.Field) error {
	base, deltas, err := engine.SnapshotFiles(dir)
	if err != nil {
		return err
	}
	out := filepath.Join(dir, fmt.Sprintf("part-m%020d.parquet", time.Now().UnixNano()))
	if _, err := mergeFiles(ctx, wsDir, mergeLimits, base, deltas, key, fields, out); err != nil {
		os.Remove(out)
		return fmt.Errorf("compact: %w", err)
	}
	for _, f := range append(base, deltas...) {
		if err := os.Remove(f); err != nil {
			return fmt.Errorf("compact: %w", err)
		}
	}
	return nil
}

// mergeFiles writes a snapshot's base and delta files, merged by key, to
// one new base file out with the table's fields.
func mergeFiles(ctx context.Context, wsDir string, limits engine.Limits, base, deltas, key []string, fields []arrow.Field, out string) (WriteStats, error) {
	schema := arrow.NewSchema(fields, nil)
	var st WriteStats
	err := engine.Merge(ctx, wsDir, limits, base, deltas, fieldNames(fields), key, func(rr array.RecordReader) error {
		var err error
		st, err = WriteParquet(out, &castReader{rr: rr, schema: schema}, nil)
		return err
	})
	return st, err
}

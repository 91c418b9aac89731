package cache

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/compute"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/hotdata-dev/hotdata/connectors"
	"github.com/hotdata-dev/hotdata/engine"
	"github.com/hotdata-dev/hotdata/metastore"
)

// Snapshots kept fresh by change data capture (the engine's deltas.go
// says how they are read): each batch of changes makes a new snapshot
// folder holding the previous one's files (hard links) and one more
// delta file, or, after a TRUNCATE, an empty base file and the changes
// since.

// ChangeWrite is a snapshot written from a table's changes, ready to
// publish (PublishChanges) or to discard (Discard).
type ChangeWrite struct {
	Snapshot metastore.Snapshot
	final    string
}

// WriteChanges writes a table's changes on top of its current snapshot
// prev, as a new snapshot folder at position (the stream's position the
// snapshot is as of). fields are the table's cached columns.
func (s *Syncer) WriteChanges(ctx context.Context, t metastore.Table, prev metastore.Snapshot, fields []arrow.Field, tc connectors.TableChanges, position string) (*ChangeWrite, error) {
	snapID := metastore.NewID(metastore.PrefixSnapshot)
	tmpRoot := s.layout.Tmp(t.WorkspaceID)
	lock, err := lockTmp(tmpRoot, snapID)
	if err != nil {
		return nil, err
	}
	tmpDir := filepath.Join(tmpRoot, snapID)
	defer func() {
		os.RemoveAll(tmpDir)
		lock.release()
	}()
	if err := os.MkdirAll(tmpDir, 0o700); err != nil {
		return nil, err
	}
	rows, bytes := prev.RowCount, prev.SizeBytes
	if err := os.Link(filepath.Join(s.layout.Abs(t.WorkspaceID, prev.Path), SchemaFile), filepath.Join(tmpDir, SchemaFile)); err != nil {
		return nil, fmt.Errorf("changes of %s.%s: %w", t.Schema, t.Name, err)
	}
	if tc.Truncated {
		st, err := writeRecords(filepath.Join(tmpDir, "part-00000.parquet"), arrow.NewSchema(fields, nil), nil)
		if err != nil {
			return nil, fmt.Errorf("truncate %s.%s: %w", t.Schema, t.Name, err)
		}
		rows, bytes = 0, st.Bytes
	} else {
		files, err := filepath.Glob(filepath.Join(s.layout.Abs(t.WorkspaceID, prev.Path), "*.parquet"))
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			if err := os.Link(f, filepath.Join(tmpDir, filepath.Base(f))); err != nil {
				return nil, fmt.Errorf("changes of %s.%s: %w", t.Schema, t.Name, err)
			}
		}
	}
	if tc.Changes != nil && tc.Changes.NumRows() > 0 {
		seqs := tc.Changes.Column(int(tc.Changes.NumCols()) - 2).(*array.Int64)
		name := fmt.Sprintf("%s%020d.parquet", engine.DeltaPrefix, seqs.Value(0))
		st, err := writeRecords(filepath.Join(tmpDir, name), tc.Changes.Schema(), tc.Changes)
		if err != nil {
			return nil, fmt.Errorf("changes of %s.%s: %w", t.Schema, t.Name, err)
		}
		bytes += st.Bytes
		ops := tc.Changes.Column(len(fields)).(*array.String)
		for i := 0; i < ops.Len(); i++ {
			switch ops.Value(i) {
			case "I":
				rows++
			case "D":
				rows--
			}
		}
	}
	rel := filepath.Join(TableDir(t.ConnectionID, t.Schema, t.Name), snapID)
	final := s.layout.Abs(t.WorkspaceID, rel)
	if err := os.MkdirAll(filepath.Dir(final), 0o700); err != nil {
		return nil, err
	}
	if err := os.Rename(tmpDir, final); err != nil {
		return nil, err
	}
	if err := syncDir(filepath.Dir(final)); err != nil {
		os.RemoveAll(final)
		return nil, err
	}
	return &ChangeWrite{final: final, Snapshot: metastore.Snapshot{ID: snapID, WorkspaceID: t.WorkspaceID, TableID: t.ID, Path: rel,
		RowCount: max(rows, 0), SizeBytes: bytes, Columns: prev.Columns, Watermark: position}}, nil
}

// PublishChanges publishes written snapshots together, in one metastore
// transaction: a reader sees all of a transaction's tables or none.
func (s *Syncer) PublishChanges(ctx context.Context, writes []*ChangeWrite) ([]metastore.Snapshot, error) {
	snaps := make([]metastore.Snapshot, len(writes))
	for i, w := range writes {
		snaps[i] = w.Snapshot
	}
	out, err := s.store.PublishTableSnapshots(context.WithoutCancel(ctx), snaps)
	if err != nil {
		for _, w := range writes {
			s.publishFailed(w.Snapshot.ID, w.final, err)
		}
		return nil, err
	}
	return out, nil
}

// Discard removes a written snapshot that will not be published.
func (w *ChangeWrite) Discard() { os.RemoveAll(w.final) }

// writeRecords writes one record batch (nil: none) to a Parquet file.
func writeRecords(path string, schema *arrow.Schema, rec arrow.RecordBatch) (WriteStats, error) {
	var recs []arrow.RecordBatch
	if rec != nil {
		recs = append(recs, rec)
	}
	r, err := array.NewRecordReader(schema, recs)
	if err != nil {
		return WriteStats{}, err
	}
	defer r.Release()
	return WriteParquet(path, r, nil)
}

// SchemaFile, in a change-data-capture snapshot's folder, is the Arrow
// schema of its files (IPC format): the fields with their metadata
// (text-held columns, source types), which Parquet's own schema loses
// for some types.
const SchemaFile = "schema.arrow"

// writeSchemaFile writes a schema as an Arrow IPC stream without batches.
func writeSchemaFile(path string, schema *arrow.Schema) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("write schema: %w", err)
	}
	w := ipc.NewWriter(f, ipc.WithSchema(schema))
	if err := w.Close(); err != nil {
		f.Close()
		return fmt.Errorf("write schema: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("write schema: %w", err)
	}
	return f.Close()
}

// SnapshotFields reads the Arrow fields a change-data-capture snapshot's
// files hold (SchemaFile).
func (s *Syncer) SnapshotFields(snap metastore.Snapshot) ([]arrow.Field, error) {
	f, err := os.Open(filepath.Join(s.layout.Abs(snap.WorkspaceID, snap.Path), SchemaFile))
	if err != nil {
		return nil, fmt.Errorf("snapshot %s: %w", snap.ID, err)
	}
	defer f.Close()
	r, err := ipc.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("snapshot %s: %w", snap.ID, err)
	}
	defer r.Release()
	return r.Schema().Fields(), nil
}

// Compaction is a change-data-capture snapshot's base and delta files
// merged into one new base file, not yet installed.
type Compaction struct {
	dir    string          // its tmp folder, holding the base file
	lock   *tmpLock        // held until installed or discarded
	merged map[string]bool // the delta files (names) it holds
	bases  []os.FileInfo   // the base files it merged
	Rows   int64
	Bytes  int64
}

// CompactDeltas says when a snapshot's delta files are merged into its
// base: past this many files.
const CompactDeltas = 16

// NeedsCompaction reports whether a snapshot holds enough delta files to
// merge.
func (s *Syncer) NeedsCompaction(snap metastore.Snapshot) bool {
	_, deltas, err := engine.SnapshotFiles(s.layout.Abs(snap.WorkspaceID, snap.Path))
	return err == nil && len(deltas) > CompactDeltas
}

// Compact merges a snapshot's files into one base file with the table's
// fields (the rows as the merged view reads them), for InstallCompaction.
func (s *Syncer) Compact(ctx context.Context, t metastore.Table, snap metastore.Snapshot, fields []arrow.Field, limits engine.Limits) (*Compaction, error) {
	dir := s.layout.Abs(snap.WorkspaceID, snap.Path)
	base, deltas, err := engine.SnapshotFiles(dir)
	if err != nil {
		return nil, err
	}
	id := metastore.NewID(metastore.PrefixSnapshot) + ".compact"
	tmpRoot := s.layout.Tmp(t.WorkspaceID)
	lock, err := lockTmp(tmpRoot, id)
	if err != nil {
		return nil, err
	}
	c := &Compaction{dir: filepath.Join(tmpRoot, id), lock: lock, merged: map[string]bool{}}
	for _, d := range deltas {
		c.merged[filepath.Base(d)] = true
	}
	for _, b := range base {
		info, err := os.Stat(b)
		if err != nil {
			c.Discard()
			return nil, err
		}
		c.bases = append(c.bases, info)
	}
	st, err := mergeFiles(ctx, s.layout.Workspace(t.WorkspaceID), limits, base, deltas, t.PrimaryKey, fields, filepath.Join(c.dir, "part-00000.parquet"))
	c.Rows, c.Bytes = st.Rows, st.Bytes
	if err != nil {
		c.Discard()
		return nil, fmt.Errorf("compact %s.%s: %w", t.Schema, t.Name, err)
	}
	return c, nil
}

// ErrCompactionStale: the snapshot's base changed while it was compacted.
var ErrCompactionStale = errors.New("the snapshot's base changed during its compaction")

// Discard removes a compaction that will not be installed.
func (c *Compaction) Discard() {
	os.RemoveAll(c.dir)
	c.lock.release()
}

// InstallCompaction writes the snapshot that replaces cur: the compacted
// base file and cur's delta files written since the compaction began.
func (s *Syncer) InstallCompaction(t metastore.Table, cur metastore.Snapshot, c *Compaction) (*ChangeWrite, error) {
	defer c.Discard()
	base, deltas, err := engine.SnapshotFiles(s.layout.Abs(cur.WorkspaceID, cur.Path))
	if err != nil {
		return nil, err
	}
	// A TRUNCATE or a new first read since replaced the base: the
	// compaction is of rows that are gone.
	same := len(base) == len(c.bases)
	for i := 0; same && i < len(base); i++ {
		info, err := os.Stat(base[i])
		same = err == nil && os.SameFile(info, c.bases[i])
	}
	if !same {
		return nil, ErrCompactionStale
	}
	snapID := metastore.NewID(metastore.PrefixSnapshot)
	rel := filepath.Join(TableDir(t.ConnectionID, t.Schema, t.Name), snapID)
	final := s.layout.Abs(t.WorkspaceID, rel)
	if err := os.MkdirAll(final, 0o700); err != nil {
		return nil, err
	}
	bytes := c.Bytes
	link := func(src string) error { return os.Link(src, filepath.Join(final, filepath.Base(src))) }
	for _, f := range []string{filepath.Join(c.dir, "part-00000.parquet"), filepath.Join(s.layout.Abs(cur.WorkspaceID, cur.Path), SchemaFile)} {
		if err := link(f); err != nil {
			os.RemoveAll(final)
			return nil, err
		}
	}
	for _, d := range deltas {
		if c.merged[filepath.Base(d)] {
			continue
		}
		if err := link(d); err != nil {
			os.RemoveAll(final)
			return nil, err
		}
		if info, err := os.Stat(d); err == nil {
			bytes += info.Size()
		}
	}
	if err := syncDir(final); err != nil {
		os.RemoveAll(final)
		return nil, err
	}
	return &ChangeWrite{final: final, Snapshot: metastore.Snapshot{ID: snapID, WorkspaceID: t.WorkspaceID, TableID: t.ID, Path: rel,
		RowCount: c.Rows, SizeBytes: bytes, Columns: cur.Columns, Watermark: cur.Watermark}}, nil
}

// castReader gives a reader's batches the schema of the table's fields,
// casting columns whose type the engine returns differently.
type castReader struct {
	rr     array.RecordReader
	schema *arrow.Schema
	cur    arrow.RecordBatch
	err    error
}

func (c *castReader) Retain()                        {}
func (c *castReader) Release()                       { c.release() }
func (c *castReader) Schema() *arrow.Schema          { return c.schema }
func (c *castReader) RecordBatch() arrow.RecordBatch { return c.cur }
func (c *castReader) Record() arrow.RecordBatch      { return c.cur }
func (c *castReader) Err() error {
	if c.err != nil {
		return c.err
	}
	return c.rr.Err()
}

func (c *castReader) release() {
	if c.cur != nil {
		c.cur.Release()
		c.cur = nil
	}
}

func (c *castReader) Next() bool {
	c.release()
	if c.err != nil || !c.rr.Next() {
		return false
	}
	rec := c.rr.RecordBatch()
	if int(rec.NumCols()) != c.schema.NumFields() {
		c.err = fmt.Errorf("merged rows have %d columns, the table %d", rec.NumCols(), c.schema.NumFields())
		return false
	}
	cols := make([]arrow.Array, rec.NumCols())
	defer func() {
		for _, a := range cols {
			if a != nil {
				a.Release()
			}
		}
	}()
	for i := range cols {
		want := c.schema.Field(i).Type
		col := rec.Column(i)
		if arrow.TypeEqual(col.DataType(), want) {
			// The engine's batch is only valid until its next: copy.
			cp, err := array.Concatenate([]arrow.Array{col}, memory.DefaultAllocator)
			if err != nil {
				c.err = err
				return false
			}
			cols[i] = cp
			continue
		}
		out, err := compute.CastArray(context.Background(), col, compute.SafeCastOptions(want))
		if err != nil {
			c.err = fmt.Errorf("column %s: the engine returns %s, the table holds %s: %w", c.schema.Field(i).Name, col.DataType(), want, err)
			return false
		}
		cols[i] = out
	}
	c.cur = array.NewRecordBatch(c.schema, cols, rec.NumRows())
	return true
}

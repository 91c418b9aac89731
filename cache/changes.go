package cache

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

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

// SnapshotFields reads the Arrow fields a snapshot's files hold (with
// their metadata: text-held columns, source types) from its first base
// file.
func (s *Syncer) SnapshotFields(snap metastore.Snapshot) ([]arrow.Field, error) {
	dir := s.layout.Abs(snap.WorkspaceID, snap.Path)
	files, err := filepath.Glob(filepath.Join(dir, "*.parquet"))
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		if strings.HasPrefix(filepath.Base(f), engine.DeltaPrefix) {
			continue
		}
		pf, err := file.OpenParquetFile(f, false)
		if err != nil {
			return nil, fmt.Errorf("snapshot %s: %w", snap.ID, err)
		}
		schema, err := pqarrow.FromParquet(pf.MetaData().Schema, nil, pf.MetaData().KeyValueMetadata())
		pf.Close()
		if err != nil {
			return nil, fmt.Errorf("snapshot %s: %w", snap.ID, err)
		}
		return schema.Fields(), nil
	}
	return nil, fmt.Errorf("snapshot %s has no base file", snap.ID)
}

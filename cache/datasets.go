package cache

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/hotdata-dev/hotdata/metastore"
)

// DatasetDir is the relative folder of a dataset's snapshots.
func DatasetDir(datasetID string) string { return filepath.Join("datasets", datasetID) }

// WriteDataset writes r as a new version of a dataset and publishes it,
// with the same guarantees as a table sync: written under tmp/, published
// with one rename and one metastore commit, nothing left on failure.
// source is recorded as the dataset's latest source.
func (s *Syncer) WriteDataset(ctx context.Context, ds metastore.Dataset, r array.RecordReader, source json.RawMessage) (metastore.Snapshot, error) {
	return s.publishDataset(ctx, ds, source, func(dir string) (metastore.Snapshot, error) {
		st, err := WriteParquet(filepath.Join(dir, "part-00000.parquet"), r, nil)
		if err != nil {
			return metastore.Snapshot{}, err
		}
		return metastore.Snapshot{RowCount: st.Rows, SizeBytes: st.Bytes, Columns: ColumnsOf(r.Schema())}, nil
	})
}

// ImportDataset publishes a Parquet file written by Hotdata (a stored
// query result) as a new version of a dataset, sharing the file (a hard
// link) rather than copying it when the file system allows.
func (s *Syncer) ImportDataset(ctx context.Context, ds metastore.Dataset, parquetPath string, source json.RawMessage) (metastore.Snapshot, error) {
	return s.publishDataset(ctx, ds, source, func(dir string) (metastore.Snapshot, error) {
		dst := filepath.Join(dir, "part-00000.parquet")
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return metastore.Snapshot{}, err
		}
		if err := os.Link(parquetPath, dst); err != nil {
			if err := copyFile(parquetPath, dst); err != nil {
				return metastore.Snapshot{}, fmt.Errorf("import dataset: %w", err)
			}
		}
		f, err := file.OpenParquetFile(dst, false)
		if err != nil {
			return metastore.Snapshot{}, fmt.Errorf("import dataset: %w", err)
		}
		defer f.Close()
		fr, err := pqarrow.NewFileReader(f, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
		if err != nil {
			return metastore.Snapshot{}, fmt.Errorf("import dataset: %w", err)
		}
		schema, err := fr.Schema()
		if err != nil {
			return metastore.Snapshot{}, fmt.Errorf("import dataset: %w", err)
		}
		info, err := os.Stat(dst)
		if err != nil {
			return metastore.Snapshot{}, err
		}
		return metastore.Snapshot{RowCount: f.NumRows(), SizeBytes: info.Size(), Columns: ColumnsOf(schema)}, nil
	})
}

// publishDataset has write fill a fresh snapshot folder under tmp/, then
// moves it into place and records it.
func (s *Syncer) publishDataset(ctx context.Context, ds metastore.Dataset, source json.RawMessage, write func(dir string) (metastore.Snapshot, error)) (metastore.Snapshot, error) {
	snapID := metastore.NewID(metastore.PrefixSnapshot)
	tmpRoot := s.layout.Tmp(ds.WorkspaceID)
	lock, err := lockTmp(tmpRoot, snapID)
	if err != nil {
		return metastore.Snapshot{}, err
	}
	tmpDir := filepath.Join(tmpRoot, snapID)
	defer func() {
		os.RemoveAll(tmpDir)
		lock.release()
	}()
	snap, err := write(tmpDir)
	if err != nil {
		return metastore.Snapshot{}, err
	}
	rel := filepath.Join(DatasetDir(ds.ID), snapID)
	final := s.layout.Abs(ds.WorkspaceID, rel)
	if err := os.MkdirAll(filepath.Dir(final), 0o700); err != nil {
		return metastore.Snapshot{}, fmt.Errorf("publish dataset: %w", err)
	}
	if err := os.Rename(tmpDir, final); err != nil {
		return metastore.Snapshot{}, fmt.Errorf("publish dataset: %w", err)
	}
	if err := syncDir(filepath.Dir(final)); err != nil {
		os.RemoveAll(final)
		return metastore.Snapshot{}, fmt.Errorf("publish dataset: %w", err)
	}
	snap.ID, snap.WorkspaceID, snap.DatasetID, snap.Path = snapID, ds.WorkspaceID, ds.ID, rel
	published, err := s.store.PublishDatasetSnapshot(context.WithoutCancel(ctx), snap, source)
	if err != nil {
		s.publishFailed(snapID, final, err)
		return metastore.Snapshot{}, err
	}
	return published, nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

package cache

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/hotdata-dev/hotdata/connectors"
)

// RowGroupRows is the Parquet row-group size: close to DuckDB's own
// (122,880), so a scan parallelizes per row group and zone maps prune well.
const RowGroupRows = 128 * 1024

// writerProps are the Parquet settings of every snapshot: zstd, column
// statistics for zone-map pruning, decimals as integers, dictionaries
// where they pay: on text
// columns (statuses, codes, names repeat), not on numbers and times,
// whose values mostly differ and whose hashing cost a third of a sync's
// CPU time.
func writerProps(schema *arrow.Schema) *parquet.WriterProperties {
	opts := []parquet.WriterProperty{
		parquet.WithCompression(compress.Codecs.Zstd),
		parquet.WithCompressionLevel(1),
		parquet.WithStats(true),
		parquet.WithDictionaryDefault(false),
		parquet.WithMaxRowGroupLength(RowGroupRows),
		parquet.WithDataPageSize(1 << 20),
		parquet.WithCreatedBy("hotdata"),
		// Decimals of up to 18 digits as INT32/INT64, as DuckDB writes
		// them: scanned several times faster than fixed-length bytes.
		parquet.WithStoreDecimalAsInteger(true),
	}
	for _, f := range schema.Fields() {
		t := f.Type
		if ext, ok := t.(arrow.ExtensionType); ok {
			t = ext.StorageType()
		}
		if held, _ := f.Metadata.GetValue(connectors.MetaTextHeld); held == "true" {
			// The text of a number, array or timestamp: values that
			// mostly differ, as the native form's would.
			continue
		}
		switch t.ID() {
		case arrow.STRING, arrow.LARGE_STRING, arrow.BINARY, arrow.LARGE_BINARY:
			opts = append(opts, parquet.WithDictionaryFor(f.Name, true))
		}
	}
	return parquet.NewWriterProperties(opts...)
}

// WriteStats says what a write produced.
type WriteStats struct {
	Rows  int64
	Bytes int64 // on disk
}

// ParquetWriter streams record batches into one new Parquet file.
type ParquetWriter struct {
	path string
	fw   *pqarrow.FileWriter
	rows int64
	raw  int64
}

// NewParquetWriter creates the file at path, which must not exist.
func NewParquetWriter(path string, schema *arrow.Schema) (*ParquetWriter, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("write parquet: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("write parquet: %w", err)
	}
	fw, err := pqarrow.NewFileWriter(schema, syncCloser{f}, writerProps(schema), pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema()))
	if err != nil {
		f.Close()
		os.Remove(path)
		return nil, fmt.Errorf("write parquet: %w", err)
	}
	return &ParquetWriter{path: path, fw: fw}, nil
}

// Write appends a batch.
func (w *ParquetWriter) Write(rec arrow.RecordBatch) error {
	if err := w.fw.WriteBuffered(rec); err != nil {
		return fmt.Errorf("write parquet: %w", err)
	}
	w.rows += rec.NumRows()
	w.raw += recordBytes(rec)
	return nil
}

// Rows and RawBytes say how much was written so far (uncompressed).
func (w *ParquetWriter) Rows() int64     { return w.rows }
func (w *ParquetWriter) RawBytes() int64 { return w.raw }

// Close finishes the file and syncs it to disk.
func (w *ParquetWriter) Close() (WriteStats, error) {
	st := WriteStats{Rows: w.rows}
	if err := w.fw.Close(); err != nil {
		return st, fmt.Errorf("write parquet: %w", err)
	}
	info, err := os.Stat(w.path)
	if err != nil {
		return st, fmt.Errorf("write parquet: %w", err)
	}
	st.Bytes = info.Size()
	return st, nil
}

// Abort closes and removes the file.
func (w *ParquetWriter) Abort() {
	_ = w.fw.Close()
	os.Remove(w.path)
}

// WriteParquet writes every batch of r into the file at path, which must
// not exist, and syncs it to disk. progress, when set, is called after each
// batch with the rows and uncompressed bytes so far.
//
// Reading and writing overlap: a goroutine reads (decodes) the next
// batches while this one encodes and compresses the current one, so a
// sync uses two cores. r's batches must stay valid when retained past
// the next call to Next (Arrow's contract; a reader over borrowed memory
// must copy).
func WriteParquet(path string, r array.RecordReader, progress func(rows, bytes int64)) (WriteStats, error) {
	w, err := NewParquetWriter(path, r.Schema())
	if err != nil {
		return WriteStats{}, err
	}
	batches := make(chan arrow.RecordBatch, 2)
	stop := make(chan struct{})
	var readErr error
	go func() {
		defer close(batches)
		for r.Next() {
			rec := r.RecordBatch()
			rec.Retain()
			select {
			case batches <- rec:
			case <-stop:
				rec.Release()
				return
			}
		}
		readErr = r.Err()
	}()
	var writeErr error
	for rec := range batches {
		if writeErr == nil {
			if writeErr = w.Write(rec); writeErr == nil && progress != nil {
				progress(w.Rows(), w.RawBytes())
			}
			if writeErr != nil {
				close(stop)
			}
		}
		rec.Release()
	}
	// The reader goroutine has returned: batches is closed.
	if writeErr != nil {
		w.Abort()
		return WriteStats{}, writeErr
	}
	if readErr != nil {
		w.Abort()
		return WriteStats{}, readErr
	}
	return w.Close()
}

func recordBytes(rec arrow.RecordBatch) int64 {
	var n int64
	for _, c := range rec.Columns() {
		for _, b := range c.Data().Buffers() {
			if b != nil {
				n += int64(b.Len())
			}
		}
	}
	return n
}

// syncCloser makes Close flush the file to disk first.
type syncCloser struct{ *os.File }

func (s syncCloser) Close() error {
	if err := s.File.Sync(); err != nil {
		s.File.Close()
		return fmt.Errorf("sync: %w", err)
	}
	return s.File.Close()
}

// syncDir fsyncs a directory so that a rename into it is durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

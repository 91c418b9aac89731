package workspace

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/hotdata-dev/hotdata/metastore"
	"github.com/hotdata-dev/hotdata/wire"
)

// ListResults returns a page of the workspace's stored results, newest
// first, and whether more follow.
func (s *Service) ListResults(ctx context.Context, p metastore.Principal, ws metastore.Workspace, limit, offset int) ([]metastore.Result, bool, error) {
	if err := requireRole(p, metastore.RoleViewer, "listing results"); err != nil {
		return nil, false, err
	}
	list, err := s.store.ListResults(ctx, ws.ID, limit+1, offset)
	if err != nil {
		return nil, false, err
	}
	more := len(list) > limit
	if more {
		list = list[:limit]
	}
	return list, more, nil
}

// GetResult returns one result's record, whatever its status.
func (s *Service) GetResult(ctx context.Context, p metastore.Principal, ws metastore.Workspace, id string) (metastore.Result, error) {
	if err := requireRole(p, metastore.RoleViewer, "reading results"); err != nil {
		return metastore.Result{}, err
	}
	r, err := s.store.GetResult(ctx, ws.ID, id)
	if errors.Is(err, metastore.ErrNotFound) {
		return r, newError(KindNotFound, "NOT_FOUND", "result %q does not exist: results are kept for %s after their query ends (GET /v1/results lists them)",
			id, s.cfg.ResultRetention)
	}
	return r, err
}

// ResultFile is a stored result open for reading. Rows are read in
// record batches straight from its Parquet file, so reading a result of
// any size takes memory in proportion to one batch, not to the result.
type ResultFile struct {
	Result metastore.Result
	f      *os.File
	size   int64
	pf     *file.Reader
	fr     *pqarrow.FileReader
	schema *arrow.Schema
}

// resultBufferBytes is the read buffer of each column chunk: pages are
// read as the batches need them, not whole chunks at once.
const resultBufferBytes = 1 << 20

// OpenResult opens the file of a succeeded result (from GetResult); a
// result without rows stored (failed, running, or a statement that
// returned no rows) is an error. Close the file when done; a file
// deleted by retention meanwhile stays readable until then.
func (s *Service) OpenResult(r metastore.Result) (*ResultFile, error) {
	if r.Status != metastore.StatusSucceeded || r.Path == "" {
		return nil, fmt.Errorf("open result %s: nothing stored (status %s)", r.ID, r.Status)
	}
	f, err := os.Open(s.layout.Abs(r.WorkspaceID, r.Path))
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, newError(KindNotFound, "NOT_FOUND", "result %q has no stored file any more: run its query again", r.ID)
		}
		return nil, fmt.Errorf("open result %s: %w", r.ID, err)
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("open result %s: %w", r.ID, err)
	}
	props := parquet.NewReaderProperties(memory.DefaultAllocator)
	props.BufferedStreamEnabled = true
	props.BufferSize = resultBufferBytes
	pf, err := file.NewParquetReader(f, file.WithReadProps(props))
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("open result %s: %w", r.ID, err)
	}
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{BatchSize: resultBatchRows, PreAllocBinaryData: true}, memory.DefaultAllocator)
	if err != nil {
		pf.Close()
		return nil, fmt.Errorf("open result %s: %w", r.ID, err)
	}
	schema, err := fr.Schema()
	if err != nil {
		pf.Close()
		return nil, fmt.Errorf("open result %s: %w", r.ID, err)
	}
	return &ResultFile{Result: r, f: f, size: info.Size(), pf: pf, fr: fr, schema: schema}, nil
}

// resultBatchRows is the rows per batch read from a result file.
const resultBatchRows = 16 * 1024

// Schema is the result's Arrow schema, as the query produced it.
func (r *ResultFile) Schema() *arrow.Schema { return r.schema }

// NumRows is the number of rows stored.
func (r *ResultFile) NumRows() int64 { return r.pf.NumRows() }

// Raw reads the Parquet file itself.
func (r *ResultFile) Raw() io.ReadSeeker { return io.NewSectionReader(r.f, 0, r.size) }

// Close releases the file.
func (r *ResultFile) Close() error { return r.pf.Close() }

// Batches calls fn with the rows from offset on, at most limit of them
// (limit < 0: all), in order, in batches of at most resultBatchRows. A
// batch is valid only during the call. Row groups before offset are not
// read at all.
func (r *ResultFile) Batches(ctx context.Context, offset, limit int64, fn func(arrow.RecordBatch) error) error {
	total := r.NumRows()
	if offset >= total || limit == 0 || r.schema.NumFields() == 0 {
		return nil
	}
	if limit < 0 || limit > total-offset {
		limit = total - offset
	}
	// Skip whole row groups, then rows within the first one read.
	var groups []int
	skip := offset
	for i := 0; i < r.pf.NumRowGroups(); i++ {
		n := r.pf.MetaData().RowGroup(i).NumRows()
		if len(groups) == 0 && skip >= n {
			skip -= n
			continue
		}
		groups = append(groups, i)
	}
	if len(groups) == 0 {
		return nil
	}
	rr, err := r.fr.GetRecordReader(ctx, nil, groups)
	if err != nil {
		return fmt.Errorf("read result %s: %w", r.Result.ID, err)
	}
	defer rr.Release()
	// Rows before offset within the first group are read and dropped
	// (less than one row group), which is simpler and surer than seeking
	// through pages of nested columns.
	for limit > 0 && rr.Next() {
		if err := ctx.Err(); err != nil {
			return err
		}
		rec := rr.RecordBatch()
		n := rec.NumRows()
		if skip >= n {
			skip -= n
			continue
		}
		if skip > 0 || n-skip > limit {
			take := min(n-skip, limit)
			part := rec.NewSlice(skip, skip+take)
			err := fn(part)
			part.Release()
			if err != nil {
				return err
			}
			skip, limit = 0, limit-take
			continue
		}
		if err := fn(rec); err != nil {
			return err
		}
		limit -= n
	}
	if err := rr.Err(); err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("read result %s: %w", r.Result.ID, err)
	}
	return nil
}

// PGText returns what appends the PostgreSQL text form of row i of a
// result column a of field f (not NULL), timestamptz in loc: what COPY …
// TO writes, for encoders of stored results (REST's CSV).
func PGText(f arrow.Field, a arrow.Array, loc *time.Location) func(dst []byte, i int) []byte {
	return wire.TextEncoder(f, a, loc)
}

// AppendCSVField appends a non-NULL text value as a field of COPY … CSV.
func AppendCSVField(dst, v []byte) []byte { return wire.AppendCSV(dst, v) }

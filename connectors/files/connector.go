package files

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/hotdata-dev/hotdata/connectors"
	"github.com/hotdata-dev/hotdata/engine"
)

// Connector reads the configured files with a DuckDB of its own, locked
// down to the root folder. It is safe for concurrent use.
type Connector struct {
	cfg  Config
	root string // cfg.Root with symlinks resolved
	eng  *engine.Engine
}

var _ connectors.Connector = (*Connector)(nil)

// Open checks the config and opens the DuckDB that reads the files. A
// path that leads outside the root (through a symlink) is refused; a file
// that does not exist yet is not, Test reports it.
func Open(ctx context.Context, cfg Config) (*Connector, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	root, err := filepath.EvalSymlinks(cfg.Root)
	if err != nil {
		return nil, fmt.Errorf("files: root folder: %w", pathProblem(err))
	}
	if info, err := os.Stat(root); err != nil || !info.IsDir() {
		return nil, errors.New("files: root is not a folder")
	}
	for _, f := range cfg.Files {
		if _, err := resolve(root, f.Path); errors.Is(err, errOutside) {
			return nil, connectors.InvalidConfig("files config: %s: %v", f.Path, err)
		}
	}
	eng, err := engine.Open(ctx, root, cfg.Limits)
	if err != nil {
		return nil, fmt.Errorf("files: %w", err)
	}
	return &Connector{cfg: cfg, root: root, eng: eng}, nil
}

// Close closes the DuckDB; scans still running keep it until released.
func (c *Connector) Close() error { return c.eng.Close() }

// Test checks that every file exists inside the root and parses. Text
// formats are read to the end, so that a bad row anywhere is reported now
// rather than at the first sync; Parquet files only have their schema
// read.
func (c *Connector) Test(ctx context.Context) error {
	for _, f := range c.cfg.Files {
		r, err := c.prepare(ctx, f)
		if err != nil {
			return err
		}
		if _, err := c.describe(ctx, r, skipSilently); err != nil {
			return err
		}
		if f.Format == FormatParquet {
			continue
		}
		// count(COLUMNS(*)) reads every column, so every value is
		// converted (count(*) would let the reader skip them).
		q := "SELECT count(COLUMNS(*)) FROM " + r.source(skipSilently)
		if err := c.eng.Query(ctx, q, nil, drain); err != nil {
			return c.fail(ctx, r, err)
		}
	}
	return nil
}

// Discover returns one table per file.
func (c *Connector) Discover(ctx context.Context) ([]connectors.Table, error) {
	tables := make([]connectors.Table, 0, len(c.cfg.Files))
	for _, f := range c.cfg.Files {
		r, err := c.prepare(ctx, f)
		if err != nil {
			return nil, err
		}
		cols, err := c.describe(ctx, r, skipSilently)
		if err != nil {
			return nil, err
		}
		t := connectors.Table{Schema: c.cfg.Schema, Name: f.Table}
		for _, col := range cols {
			t.Columns = append(t.Columns, connectors.Column{Name: col.name, DataType: col.served.pgName, Nullable: true, TypeOID: col.served.oid})
		}
		if f.Format == FormatParquet {
			if t.RowEstimate, err = c.parquetRows(ctx, r); err != nil {
				return nil, err
			}
		} else {
			t.RowEstimate = estimateRows(r.abs, f)
		}
		tables = append(tables, t)
	}
	return tables, nil
}

// file returns the configured file of a table.
func (c *Connector) file(schema, table string) (File, bool) {
	if schema != c.cfg.Schema {
		return File{}, false
	}
	for _, f := range c.cfg.Files {
		if f.Table == table {
			return f, true
		}
	}
	return File{}, false
}

// prepare finds a file's real path, refusing one outside the root, and
// sniffs a CSV file's dialect. It runs before every read, so a symlink
// planted after Open is caught too.
func (c *Connector) prepare(ctx context.Context, f File) (reading, error) {
	abs, err := resolve(c.root, f.Path)
	if err != nil {
		return reading{}, &FileError{Path: f.Path, Problem: err.Error(), Err: err}
	}
	r := reading{File: f, abs: abs}
	if f.Format == FormatCSV {
		if r.csv, err = sniffCSV(ctx, c.eng, f, abs); err != nil {
			return reading{}, c.fail(ctx, r, err)
		}
	}
	return r, nil
}

// describe reads a file's columns as its reader sees them and plans how
// each is served.
func (c *Connector) describe(ctx context.Context, r reading, mode readMode) ([]columnPlan, error) {
	q := "SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM " + r.source(mode) + ")"
	var cols []columnPlan
	err := c.eng.Query(ctx, q, nil, func(rr array.RecordReader) error {
		for rr.Next() {
			rec := rr.RecordBatch()
			names, types := rec.Column(0).(*array.String), rec.Column(1).(*array.String)
			for i := 0; i < int(rec.NumRows()); i++ {
				// Values live in DuckDB's memory until the next batch.
				cols = append(cols, planColumn(strings.Clone(names.Value(i)), strings.Clone(types.Value(i))))
			}
		}
		return rr.Err()
	})
	if err != nil {
		return nil, c.fail(ctx, r, err)
	}
	if len(cols) == 0 {
		return nil, &FileError{Path: r.Path, Problem: "the file has no columns"}
	}
	return cols, nil
}

// parquetRows reads a Parquet file's row count from its footer.
func (c *Connector) parquetRows(ctx context.Context, r reading) (int64, error) {
	q := "SELECT CAST(coalesce(sum(num_rows), 0) AS BIGINT) FROM parquet_file_metadata(" + quoteLiteral(r.abs) + ")"
	var n int64
	err := c.eng.Query(ctx, q, nil, func(rr array.RecordReader) error {
		for rr.Next() {
			if rec := rr.RecordBatch(); rec.NumRows() > 0 {
				n = rec.Column(0).(*array.Int64).Value(0)
			}
		}
		return rr.Err()
	})
	if err != nil {
		return 0, c.fail(ctx, r, err)
	}
	return n, nil
}

// fail reports an error reading a file: the context's own error when it
// was cancelled, else a *FileError.
func (c *Connector) fail(ctx context.Context, r reading, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("files: %s: %w", r.Path, ctx.Err())
	}
	return readError(r.File, c.root, r.abs, err)
}

func drain(rr array.RecordReader) error {
	for rr.Next() {
	}
	return rr.Err()
}

// fields returns the Arrow fields of planned columns.
func fields(cols []columnPlan) []arrow.Field {
	out := make([]arrow.Field, len(cols))
	for i, c := range cols {
		out[i] = c.field()
	}
	return out
}

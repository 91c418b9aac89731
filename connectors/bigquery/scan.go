package bigquery

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"cloud.google.com/go/bigquery"
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"google.golang.org/api/iterator"

	"github.com/hotdata-dev/hotdata/connectors"
)

// defaultBatchRows is a record batch's size when the request sets none.
const defaultBatchRows = 65_536

// Scan reads a table: a whole table (or its columns) with the Storage
// Read API, or tabledata.list when that is off or fails; a filtered read
// or a view's with a query job, whose bytes BigQuery reports.
func (c *Connector) Scan(ctx context.Context, req connectors.ScanRequest) (connectors.Scan, error) {
	if req.Snapshot != "" {
		return nil, errors.New("bigquery: reads at a snapshot are not supported")
	}
	sctx, cancel, watch, md, err := c.begin(ctx, req.Schema, req.Table)
	if err != nil {
		return nil, err
	}
	byName := map[string]*bigquery.FieldSchema{}
	for _, f := range md.Schema {
		byName[f.Name] = f
	}
	fields := md.Schema
	if len(req.Columns) > 0 {
		fields = nil
		for _, col := range req.Columns {
			f := byName[col.Name]
			if f == nil {
				watch.Stop()
				cancel(nil)
				return nil, fmt.Errorf("bigquery: table %s.%s has no column %s", req.Schema, req.Table, col.Name)
			}
			fields = append(fields, f)
		}
	}
	s := &scan{batchRows: req.BatchRows, mem: memory.DefaultAllocator, bytes: -1}
	if s.batchRows <= 0 {
		s.batchRows = defaultBatchRows
	}
	var arrowFields []arrow.Field
	for _, f := range fields {
		reason, asText := req.AsText[f.Name]
		col := planColumn(f, asText, reason)
		if col.warning != "" {
			s.warnings = append(s.warnings, col.warning)
		}
		s.cols = append(s.cols, col)
		arrowFields = append(arrowFields, col.field)
	}
	s.schema = arrow.NewSchema(arrowFields, nil)

	s.ctx, s.cancelCause, s.watch = sctx, cancel, watch
	if len(req.Filter) == 0 && md.Type != bigquery.ViewTable && md.Type != bigquery.MaterializedView {
		err = c.readTable(s, req, md)
	} else {
		err = c.readQuery(s, req, fields, byName)
	}
	if err != nil {
		if errors.Is(context.Cause(sctx), errStalled) {
			err = fmt.Errorf("bigquery: %w", errStalled)
		}
		s.Release()
		return nil, err
	}
	return s, nil
}

// begin starts a read: its stall watch (the client library retries
// failed requests, 5xx and timeouts, until its context ends, so a read
// that makes no progress for stallTimeout is stopped, from its first
// request to its last row) and the table's metadata. On success the
// caller owns cancel and watch (a scan's Release stops them).
func (c *Connector) begin(ctx context.Context, dataset, table string) (context.Context, context.CancelCauseFunc, *time.Timer, *bigquery.TableMetadata, error) {
	if !datasetRE.MatchString(dataset) || !validTable(table) {
		return nil, nil, nil, nil, fmt.Errorf("bigquery: %q.%q is not a BigQuery table name", dataset, table)
	}
	sctx, cancel := context.WithCancelCause(ctx)
	watch := time.AfterFunc(stallTimeout, func() { cancel(errStalled) })
	mctx, mcancel := context.WithTimeout(sctx, metadataTimeout)
	md, err := c.rest.DatasetInProject(c.cfg.DataProject, dataset).Table(table).Metadata(mctx)
	mcancel()
	if err != nil {
		watch.Stop()
		cancel(nil)
		if isNotFound(err) {
			return nil, nil, nil, nil, fmt.Errorf("bigquery: table %s.%s does not exist (or the credentials cannot see it)", dataset, table)
		}
		if errors.Is(context.Cause(sctx), errStalled) {
			return nil, nil, nil, nil, fmt.Errorf("bigquery: %w", errStalled)
		}
		return nil, nil, nil, nil, c.wrap(ctx, err)
	}
	return sctx, cancel, watch, md, nil
}

// readTable starts a whole table's read: over the Storage Read API when
// it is on (falling back to tabledata.list when it fails before the
// first row), else tabledata.list. Columns are picked from each row.
func (c *Connector) readTable(s *scan, req connectors.ScanRequest, md *bigquery.TableMetadata) error {
	index := map[string]int{}
	for i, f := range md.Schema {
		index[f.Name] = i
	}
	for _, col := range s.cols {
		s.pick = append(s.pick, index[col.name])
	}
	if c.storageRead != nil && c.storageUsable() {
		if c.cfg.MaxBytesPerSync > 0 && md.NumBytes > c.cfg.MaxBytesPerSync {
			return tooCostly(md.NumBytes, c.cfg.MaxBytesPerSync, "the table's size (Storage Read API reads bill by bytes read)")
		}
		fields := make([]*bigquery.FieldSchema, len(s.cols))
		for i, col := range s.cols {
			fields[i] = col.schema
			s.pick[i] = i
		}
		rows, err := c.openStorage(s.ctx, req.Schema, req.Table, fields)
		if err == nil {
			s.it, s.storage = rows, rows
			if err = s.prime(); err == nil {
				return nil
			}
			rows.close()
			s.storage = nil
		}
		if s.ctx.Err() != nil {
			return err
		}
		c.storageFailed()
		s.first, s.done = nil, false
		for i, col := range s.cols {
			s.pick[i] = index[col.name]
		}
		s.warnings = append(s.warnings, fmt.Sprintf("read through tabledata.list: the Storage Read API failed (%v); it is not used again for %s", err, storagePause))
	}
	ri := c.rest.DatasetInProject(c.cfg.DataProject, req.Schema).Table(req.Table).Read(s.ctx)
	s.it = ri
	if err := s.prime(); err != nil {
		return err
	}
	// Pick the columns by the names of the rows as read: the table may
	// have changed since its metadata was read.
	if len(ri.Schema) > 0 {
		at := map[string]int{}
		for i, f := range ri.Schema {
			at[f.Name] = i
		}
		for i, col := range s.cols {
			j, ok := at[col.name]
			if !ok || ri.Schema[j].Type != col.schema.Type || ri.Schema[j].Repeated != col.schema.Repeated {
				return fmt.Errorf("bigquery: column %s of %s.%s changed while it was read: sync again", col.name, req.Schema, req.Table)
			}
			s.pick[i] = j
		}
	}
	return nil
}

// readQuery runs SELECT columns FROM table WHERE filter as a query job
// (after a dry run that checks max_bytes_per_sync), and reads its
// result.
func (c *Connector) readQuery(s *scan, req connectors.ScanRequest, fields []*bigquery.FieldSchema, byName map[string]*bigquery.FieldSchema) error {
	var sel []string
	for _, f := range fields {
		sel = append(sel, quoteIdent(f.Name))
	}
	where, params, err := whereClause(req.Filter, byName)
	if err != nil {
		return err
	}
	sql := "SELECT " + strings.Join(sel, ", ") + " FROM " + c.tableRef(req.Schema, req.Table) + where
	return c.runQuery(s, sql, params)
}

// runQuery runs sql as a query job (after a dry run that checks
// max_bytes_per_sync) and reads its result into s, whose columns are
// the result's.
func (c *Connector) runQuery(s *scan, sql string, params []bigquery.QueryParameter) error {
	q := c.rest.Query(sql)
	q.Parameters = params
	q.Labels = map[string]string{"client": "hotdata"}
	if c.cfg.MaxBytesPerSync > 0 {
		dry := c.rest.Query(sql)
		dry.Parameters, dry.DryRun = params, true
		job, err := dry.Run(s.ctx)
		if err != nil {
			return c.wrap(s.ctx, err)
		}
		if st := job.LastStatus(); st != nil && st.Statistics != nil && st.Statistics.TotalBytesProcessed > c.cfg.MaxBytesPerSync {
			return tooCostly(st.Statistics.TotalBytesProcessed, c.cfg.MaxBytesPerSync, "BigQuery's dry run of the query")
		}
	}
	// A query may rightly run long: query_timeout bounds it, not the
	// stall watch (a job failing with 5xx is retried within it).
	s.watch.Stop()
	qctx, cancel := context.WithTimeout(s.ctx, c.cfg.queryTimeout)
	defer cancel()
	job, err := q.Run(qctx)
	if err != nil {
		if qctx.Err() != nil && s.ctx.Err() == nil {
			return fmt.Errorf("bigquery: the query did not start within query_timeout (%s)", c.cfg.queryTimeout)
		}
		return c.wrap(s.ctx, err)
	}
	s.job = job
	status, err := job.Wait(qctx)
	s.watch.Reset(stallTimeout)
	if err == nil {
		err = status.Err()
	}
	if err != nil {
		if qctx.Err() != nil && s.ctx.Err() == nil {
			return fmt.Errorf("bigquery: the query ran past query_timeout (%s)", c.cfg.queryTimeout)
		}
		return c.wrap(s.ctx, err)
	}
	s.jobDone.Store(true)
	if st := status.Statistics; st != nil {
		s.bytes = st.TotalBytesProcessed
		if qs, ok := st.Details.(*bigquery.QueryStatistics); ok && qs.TotalBytesBilled > 0 {
			s.bytes = qs.TotalBytesBilled
		}
	}
	for i := range s.cols {
		s.pick = append(s.pick, i)
	}
	if s.it, err = job.Read(s.ctx); err != nil {
		return c.wrap(s.ctx, err)
	}
	return s.prime()
}

// metadataTimeout bounds reading a table's metadata, the first request
// of a read (retries included).
const metadataTimeout = time.Minute

// stallTimeout is how long a read may go without a row (or, before
// its first, without an answer) before it is stopped.
var stallTimeout = 5 * time.Minute

// errStalled is the cause of a read stopped by its watch.
var errStalled = errors.New("no progress for 5 minutes (BigQuery kept failing, or did not answer): the read was stopped")

// storageStart bounds how long a Storage Read API session may take to
// deliver its first row before the read falls back to REST;
// storagePause is how long the connector then reads without it.
const (
	storageStart = 20 * time.Second
	storagePause = 10 * time.Minute
)

// storageUsable reports whether the Storage Read API has not failed
// lately.
func (c *Connector) storageUsable() bool {
	return time.Now().UnixNano() >= c.storageDownUntil.Load()
}

// storageFailed stops using the Storage Read API for storagePause.
func (c *Connector) storageFailed() {
	c.storageDownUntil.Store(time.Now().Add(storagePause).UnixNano())
}

// tooCostly is the refusal of a read over max_bytes_per_sync.
func tooCostly(bytes, limit int64, by string) error {
	return fmt.Errorf("%w: %d bytes by %s, max_bytes_per_sync is %d; raise it in the connection's config, or read less (an incremental policy)",
		connectors.ErrTooCostly, bytes, by, limit)
}

// scan is a running read, decoded row by row into record batches.
type scan struct {
	ctx         context.Context
	cancelCause context.CancelCauseFunc
	// watch stops the read when it stalls (errStalled); every row read
	// puts it off.
	watch *time.Timer
	it    rowSource
	// storage is it when the read goes over the Storage Read API.
	storage *storageRows
	job     *bigquery.Job
	// jobDone is set once the job finished (nothing to cancel).
	jobDone atomic.Bool

	cols      []column
	pick      []int // each column's index in the iterator's rows
	schema    *arrow.Schema
	batchRows int
	mem       memory.Allocator
	warnings  []string
	bytes     int64

	// first is the row read by prime, not yet in a batch.
	first   []bigquery.Value
	rec     arrow.RecordBatch
	err     error
	done    bool
	refs    atomic.Int64
	release sync.Once
}

var _ connectors.MeteredScan = (*scan)(nil)

// prime reads the first row, so that a read that cannot start fails in
// Scan (and the Storage API's failures can fall back before any row).
func (s *scan) prime() error {
	var row []bigquery.Value
	err := s.it.Next(&row)
	switch {
	case errors.Is(err, iterator.Done):
		s.done = true
		return nil
	case err != nil:
		return fmt.Errorf("bigquery: %w", err)
	}
	s.first = row
	return nil
}

func (s *scan) Schema() *arrow.Schema { return s.schema }
func (s *scan) Warnings() []string    { return s.warnings }
func (s *scan) BytesScanned() int64   { return s.bytes }
func (s *scan) Err() error            { return s.err }

// Record and RecordBatch are the current batch.
func (s *scan) Record() arrow.RecordBatch      { return s.rec }
func (s *scan) RecordBatch() arrow.RecordBatch { return s.rec }

func (s *scan) Retain() { s.refs.Add(1) }

func (s *scan) Release() {
	if s.refs.Add(-1) >= 0 {
		return
	}
	s.release.Do(func() {
		if s.rec != nil {
			s.rec.Release()
			s.rec = nil
		}
		s.watch.Stop()
		s.cancelCause(nil)
		if s.storage != nil {
			s.storage.close()
		}
		if s.job != nil && !s.jobDone.Load() {
			// Stop a job still running upstream (best effort).
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			_ = s.job.Cancel(ctx)
			cancel()
		}
	})
}

// Next reads the next batch of at most batchRows rows.
func (s *scan) Next() bool {
	if s.rec != nil {
		s.rec.Release()
		s.rec = nil
	}
	if s.err != nil || (s.done && s.first == nil) {
		return false
	}
	b := array.NewRecordBuilder(s.mem, s.schema)
	defer b.Release()
	n := 0
	add := func(row []bigquery.Value) error {
		for i, col := range s.cols {
			if s.pick[i] >= len(row) {
				return fmt.Errorf("bigquery: a row of %d values for column %d", len(row), s.pick[i]+1)
			}
			if err := col.appendValue(b.Field(i), row[s.pick[i]]); err != nil {
				return fmt.Errorf("bigquery: %w", err)
			}
		}
		n++
		return nil
	}
	if s.first != nil {
		if s.err = add(s.first); s.err != nil {
			return false
		}
		s.first = nil
	}
	for n < s.batchRows && !s.done {
		if n%1024 == 0 {
			if s.ctx.Err() != nil {
				// Rows already fetched must not hide a cancel.
				s.err = fmt.Errorf("bigquery: %w", s.cause())
				return false
			}
			s.watch.Reset(stallTimeout)
		}
		var row []bigquery.Value
		err := s.it.Next(&row)
		if errors.Is(err, iterator.Done) {
			s.done = true
			break
		}
		if err != nil {
			if s.ctx.Err() != nil {
				err = s.cause()
			}
			s.err = fmt.Errorf("bigquery: %w", err)
			return false
		}
		if s.err = add(row); s.err != nil {
			return false
		}
	}
	if n == 0 {
		return false
	}
	s.rec = b.NewRecordBatch()
	return true
}

// cause is why the read's context ended: the caller's error, or
// errStalled.
func (s *scan) cause() error {
	if err := context.Cause(s.ctx); errors.Is(err, errStalled) {
		return err
	}
	return s.ctx.Err()
}

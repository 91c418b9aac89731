package mysql

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/hotdata-dev/hotdata/connectors"
)

// Batch bounds: a batch ends at whichever comes first. The time bound
// keeps progress visible (and rows flowing to the writer) when the
// upstream sends slowly, as in the postgres connector.
const (
	defaultBatchRows  = 65536
	defaultBatchBytes = 32 << 20
	maxBatchWait      = time.Second
)

// cleanupTimeout bounds the ROLLBACK or COMMIT that ends a scan.
const cleanupTimeout = 10 * time.Second

// Scan streams a table in the text protocol, one consistent snapshot:
// the rows are read on one connection inside a read-only REPEATABLE
// READ transaction started WITH CONSISTENT SNAPSHOT.
func (c *Connector) Scan(ctx context.Context, req connectors.ScanRequest) (connectors.Scan, error) {
	if req.Schema == "" {
		req.Schema = c.cfg.Database
	}
	s, err := c.startScan(ctx, req, nil)
	if err != nil {
		return nil, fmt.Errorf("scan %s.%s: %w", req.Schema, req.Table, err)
	}
	return s, nil
}

// snapshotAt asks a scan for the binlog position its snapshot is
// consistent with (cdc.go).
type snapshotAt struct {
	mariadb bool
	pos     *binlogPos
}

func (c *Connector) startScan(ctx context.Context, req connectors.ScanRequest, at *snapshotAt) (*scan, error) {
	conn, err := c.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	var connID uint64
	var version string
	if err := conn.QueryRowContext(ctx, "SELECT CONNECTION_ID(), VERSION()").Scan(&connID, &version); err != nil {
		conn.Close()
		return nil, err
	}
	all, err := readColumns(ctx, conn, mariaDBVersion(version), []string{req.Schema}, req.Table)
	if err != nil {
		conn.Close()
		return nil, err
	}
	current := all[tableKey{req.Schema, req.Table}]
	if len(current) == 0 {
		conn.Close()
		return nil, errors.New("no such table, or none of its columns is readable")
	}
	cols := current
	if len(req.Columns) > 0 {
		cols = make([]column, 0, len(req.Columns))
		for _, want := range req.Columns {
			col, ok := findColumn(current, want.Name)
			if !ok {
				conn.Close()
				return nil, fmt.Errorf("column %q no longer exists upstream", want.Name)
			}
			cols = append(cols, col)
		}
	}
	where, args, err := filterSQL(req.Filter, current)
	if err != nil {
		conn.Close()
		return nil, err
	}

	s := &scan{ctx: ctx, conn: conn, table: req.Schema + "." + req.Table, batchRows: req.BatchRows, killQuery: c.killQuery}
	if s.batchRows <= 0 {
		s.batchRows = defaultBatchRows
	}
	s.refs.Store(1)
	exprs := make([]string, len(cols))
	fields := make([]arrow.Field, len(cols))
	plans := make([]plan, len(cols))
	for i, col := range cols {
		if reason, ok := req.AsText[col.name]; ok {
			plans[i] = textPlan(col, reason)
		} else {
			plans[i] = planColumn(col)
		}
		exprs[i] = plans[i].expr
		fields[i] = plans[i].field
		if plans[i].warning != "" {
			s.warnings = append(s.warnings, plans[i].warning)
		}
	}
	s.schema = arrow.NewSchema(fields, nil)
	s.rb = array.NewRecordBuilder(memory.DefaultAllocator, s.schema)
	s.names = make([]string, len(cols))
	s.decoders = make([]decodeFunc, len(cols))
	for i := range plans {
		s.names[i] = cols[i].name
		s.decoders[i] = newDecoder(plans[i], s.rb.Field(i))
	}
	s.raw = make([]sql.RawBytes, len(cols))
	s.dest = make([]any, len(cols))
	for i := range s.raw {
		s.dest[i] = &s.raw[i]
	}

	// See cancel.go: the query runs under its own context, and the
	// caller's context ending closes the connection's socket.
	s.sock = c.conns.lookup(uint32(connID))
	s.qctx, s.qcancel = context.WithCancel(context.WithoutCancel(ctx))
	q := "SELECT " + strings.Join(exprs, ", ") + " FROM " + quoteIdent(req.Schema) + "." + quoteIdent(req.Table) + where
	s.at, s.master = at, c.masterStatus
	if err := s.begin(q, args); err != nil {
		s.abort()
		s.rb.Release()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, err
	}
	return s, nil
}

// begin starts the snapshot and the query. SET TRANSACTION (without
// SESSION) applies to the next transaction only, so the pooled
// connection keeps its own isolation level afterwards.
func (s *scan) begin(q string, args []any) error {
	if _, err := s.conn.ExecContext(s.ctx, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"); err != nil {
		return err
	}
	if s.at != nil && !s.at.mariadb {
		// MySQL reports no position for a consistent snapshot: writes
		// stop for the moment it takes to start one and read the log's.
		if _, err := s.conn.ExecContext(s.ctx, "FLUSH TABLES WITH READ LOCK"); err != nil {
			return fmt.Errorf("cdc: a first read consistent with the binary log needs FLUSH TABLES WITH READ LOCK (the RELOAD privilege): %w", err)
		}
	}
	if _, err := s.conn.ExecContext(s.ctx, "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY"); err != nil {
		return err
	}
	s.inTx = true
	if s.at != nil {
		if err := s.snapshotPosition(); err != nil {
			return err
		}
		if !s.at.mariadb {
			if _, err := s.conn.ExecContext(s.ctx, "UNLOCK TABLES"); err != nil {
				return err
			}
		}
	}
	s.stopWatch = context.AfterFunc(s.ctx, s.interrupt)
	rows, err := s.conn.QueryContext(s.qctx, q, args...)
	if err != nil {
		return err
	}
	s.rows = rows
	return nil
}

// interrupt stops the query at once: it closes the socket and has the
// server kill the statement, or, when the socket is unknown, cancels the
// query's context for the driver to close the connection.
func (s *scan) interrupt() {
	if s.interrupted.Swap(true) {
		return
	}
	if s.sock != nil {
		s.sock.Close()
		// The id is known to be the server's: the handshake and
		// CONNECTION_ID() agreed on it. The connection is never reused,
		// so the kill cannot reach a later statement.
		s.killQuery(s.sock.id)
		return
	}
	s.qcancel()
}

// scan implements connectors.Scan over database/sql rows.
type scan struct {
	refs  atomic.Int64
	ctx   context.Context // the caller's
	table string          // "database.table", for errors
	// qctx is the query's context, cancelled only by interrupt (when
	// the socket is unknown) and once the scan is over.
	qctx        context.Context
	qcancel     context.CancelFunc
	stopWatch   func() bool // stops interrupt from running on ctx's end
	interrupted atomic.Bool
	sock        *trackedConn // nil when not found
	killQuery   func(id uint32)
	conn        *sql.Conn
	rows        *sql.Rows
	rowsDone    bool // rows reached their end: closing them reads nothing
	inTx        bool
	schema      *arrow.Schema
	rb          *array.RecordBuilder
	decoders    []decodeFunc
	names       []string
	raw         []sql.RawBytes
	dest        []any
	batchRows   int
	cur         arrow.RecordBatch
	err         error
	done        bool
	warnings    []string
	// at asks for the snapshot's binlog position; master reads the
	// server's current one.
	at     *snapshotAt
	master func(context.Context, querier) (binlogPos, error)
}

func (s *scan) Schema() *arrow.Schema          { return s.schema }
func (s *scan) RecordBatch() arrow.RecordBatch { return s.cur }
func (s *scan) Record() arrow.RecordBatch      { return s.cur }
func (s *scan) Err() error                     { return s.err }
func (s *scan) Retain()                        { s.refs.Add(1) }

// Warnings lists the columns read as text.
func (s *scan) Warnings() []string { return append([]string(nil), s.warnings...) }

func (s *scan) Release() {
	if s.refs.Add(-1) != 0 {
		return
	}
	if s.cur != nil {
		s.cur.Release()
		s.cur = nil
	}
	if s.conn != nil {
		s.abort()
	}
	if s.rb != nil {
		s.rb.Release()
		s.rb = nil
	}
}

// finish ends a scan that read every row: it commits the read-only
// transaction and returns the connection to the pool.
func (s *scan) finish() error {
	if !s.stopWatch() || s.interrupted.Load() {
		// Cancelled as the last row arrived: the socket is gone.
		return s.ctx.Err()
	}
	s.stopWatch = nil
	err := s.rows.Close()
	s.rows = nil
	if err == nil {
		ctx, cancel := context.WithTimeout(s.qctx, cleanupTimeout)
		_, err = s.conn.ExecContext(ctx, "COMMIT")
		cancel()
	}
	if err != nil {
		return err
	}
	s.inTx = false
	s.conn.Close()
	s.conn = nil
	s.qcancel()
	return nil
}

// abort ends a scan early or after an error. While rows are unread, the
// query is interrupted first, so that closing the rows reads nothing
// more; the server then rolls back, and the pool discards the connection.
// Otherwise a ROLLBACK keeps the connection usable.
func (s *scan) abort() {
	if s.conn == nil {
		return
	}
	if s.stopWatch != nil {
		s.stopWatch()
		s.stopWatch = nil
	}
	if s.rows != nil && !s.rowsDone {
		s.interrupt()
	}
	if s.rows != nil {
		s.rows.Close()
		s.rows = nil
	}
	if s.inTx && !s.interrupted.Load() && s.ctx.Err() == nil {
		ctx, cancel := context.WithTimeout(s.qctx, cleanupTimeout)
		if _, err := s.conn.ExecContext(ctx, "ROLLBACK"); err == nil {
			s.inTx = false
		}
		cancel()
	}
	if s.inTx {
		// Never hand back a connection that may still be in the
		// transaction: the pool closes one that returns ErrBadConn.
		_ = s.conn.Raw(func(any) error { return driver.ErrBadConn })
	}
	s.conn.Close()
	s.conn = nil
	if s.qcancel != nil {
		s.qcancel()
	}
}

func (s *scan) fail(err error) bool {
	s.err = fmt.Errorf("scan %s: %w", s.table, err)
	s.abort()
	return false
}

func (s *scan) Next() bool {
	if s.cur != nil {
		s.cur.Release()
		s.cur = nil
	}
	if s.done || s.err != nil || s.rows == nil {
		return false
	}
	if err := s.ctx.Err(); err != nil {
		return s.fail(err)
	}
	n, bytes := 0, 0
	start := time.Now()
	for n < s.batchRows && bytes < defaultBatchBytes {
		if n%256 == 255 && time.Since(start) >= maxBatchWait {
			break
		}
		if !s.rows.Next() {
			s.rowsDone = true
			if err := s.ctx.Err(); err != nil {
				// The rows failed because interrupt closed the socket.
				return s.fail(err)
			}
			if err := s.rows.Err(); err != nil {
				return s.fail(err)
			}
			s.done = true
			break
		}
		if err := s.rows.Scan(s.dest...); err != nil {
			return s.fail(err)
		}
		for i, v := range s.raw {
			if v == nil {
				s.rb.Field(i).AppendNull()
				continue
			}
			bytes += len(v)
			if err := s.decoders[i](v); err != nil {
				var u *unheldError
				if errors.As(err, &u) {
					return s.fail(&connectors.NeedsTextError{Column: s.names[i], Reason: u.reason})
				}
				return s.fail(fmt.Errorf("column %s: %w", s.names[i], err))
			}
		}
		n++
	}
	if s.done {
		// Free the upstream connection as soon as the last row is read.
		if err := s.finish(); err != nil {
			return s.fail(err)
		}
	}
	if n == 0 {
		return false
	}
	s.cur = s.rb.NewRecordBatch()
	return true
}

// snapshotPosition reads the binlog position the transaction's snapshot
// is consistent with: MariaDB's binlog_snapshot_file and _position, or,
// under MySQL's global read lock, the log's current position.
func (s *scan) snapshotPosition() error {
	if !s.at.mariadb {
		p, err := s.master(s.ctx, s.conn)
		if err != nil {
			return err
		}
		*s.at.pos = p
		return nil
	}
	rows, err := s.conn.QueryContext(s.ctx, "SHOW STATUS LIKE 'binlog_snapshot_%'")
	if err != nil {
		return fmt.Errorf("cdc: the snapshot's binlog position: %w", err)
	}
	defer rows.Close()
	var file, pos string
	for rows.Next() {
		var name, value string
		if err := rows.Scan(&name, &value); err != nil {
			return err
		}
		switch strings.ToLower(name) {
		case "binlog_snapshot_file":
			file = value
		case "binlog_snapshot_position":
			pos = value
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	p, err := parsePos(file + ":" + pos)
	if err != nil || file == "" {
		return fmt.Errorf("cdc: the server reports no binlog position for the snapshot (%q:%q); is log_bin on?", file, pos)
	}
	*s.at.pos = p
	return nil
}

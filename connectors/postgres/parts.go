package postgres

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hotdata-dev/hotdata/connectors"
)

// Reading a large table in parts.
//
// A part is a range of the table's pages (ctid >= '(a,0)' AND ctid <
// '(b,0)', a TID range scan, PostgreSQL 14 and later); the last part is
// open-ended. Every part is read in one snapshot: the read's own
// transaction locks the table ACCESS SHARE (no TRUNCATE or rewrite while
// it runs), exports its snapshot, and each other reader imports it.
//
// A part's print is its row count and the sum of a hash of each row's
// (ctid, xmin): an insert, update or delete anywhere in the part adds or
// removes a tuple version, and within one file of the table a version's
// (ctid, xmin) is not reused for other contents (freezing keeps the raw
// xmin), so an unchanged print means unchanged rows. What it cannot see
// — the table's file rewritten (VACUUM FULL and CLUSTER copy tuples with
// their xmin to new places), its columns or enum labels changed in the
// catalog — is in the read's identity (identitySQL), which must match
// too. A scan reads ctid and xmin after the
// columns and makes each part's print as it goes; Prints reads only them.
//
// A reader reads a run of consecutive parts in one statement, rows in
// page order (no parallel plan, no synchronized scan start), and the
// scan cuts its batches where a row of the next part begins. A run of
// every part is a plain sequential scan, with the table's bulk-read
// buffer ring: the fastest read there is (TID range scans are about a
// fifth slower here).

// partsFrom is the size from which a table is read in parts, of an
// eighth of it each.
var partsFrom atomic.Int64

// DefaultPartsFrom is partsFrom's default: tables of 1 GiB or more are
// read in parts of 128 MiB.
const DefaultPartsFrom = 1 << 30

func init() { partsFrom.Store(DefaultPartsFrom) }

// SetPartsFrom sets the size (bytes) from which a table is read in
// parts, each an eighth of it, and returns the previous value.
func SetPartsFrom(n int64) int64 { return partsFrom.Swap(n) }

var _ connectors.PartScanner = (*Connector)(nil)

// ScanParts reads the table in parts of an eighth of partsFrom, when it
// is at least that large and the server has TID range scans.
func (c *Connector) ScanParts(ctx context.Context, req connectors.ScanRequest) (connectors.Parts, error) {
	per, err := c.partable(ctx, req)
	if err != nil {
		return nil, err
	}
	rel := quoteIdent(req.Schema) + "." + quoteIdent(req.Table)
	conn, err := c.pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("scan %s.%s: %w", req.Schema, req.Table, err)
	}
	p := &parts{c: c, conn: conn, rel: rel, per: per}
	if err := p.open(ctx, req); err != nil {
		p.Close()
		return nil, fmt.Errorf("scan %s.%s in parts: %w", req.Schema, req.Table, err)
	}
	return p, nil
}

// partable returns the pages per part of a read of the table in parts,
// or ErrNotParted.
func (c *Connector) partable(ctx context.Context, req connectors.ScanRequest) (int64, error) {
	if len(req.Filter) > 0 || len(req.Columns) > 0 {
		return 0, connectors.ErrNotParted
	}
	from := partsFrom.Load()
	var version, size, block int64
	var plain bool
	// Only a plain table without children: a parent's scan reads its
	// children too, whose pages start at 0 again (and LOCK TABLE refuses
	// a materialized view).
	err := c.pool.QueryRow(ctx, `SELECT current_setting('server_version_num')::int,
		COALESCE(pg_relation_size(to_regclass($1)), 0), current_setting('block_size')::int,
		COALESCE((SELECT relkind = 'r' AND NOT relhassubclass FROM pg_class WHERE oid = to_regclass($1)), false)`,
		quoteIdent(req.Schema)+"."+quoteIdent(req.Table)).Scan(&version, &size, &block, &plain)
	if err != nil {
		return 0, fmt.Errorf("scan %s.%s in parts: %w", req.Schema, req.Table, err)
	}
	if version < 140000 || size < from || from <= 0 || !plain {
		return 0, connectors.ErrNotParted
	}
	return max(1, from/8/block), nil
}

// parts is an open read in parts: its transaction holds the snapshot.
type parts struct {
	c        *Connector
	conn     *pgxpool.Conn
	rel      string
	per      int64
	snapshot string
	identity string // see identitySQL
	filenode string
	plan     *scan // the scans' schema, plans and warnings
	query    scanQuery
	list     []string
	index    map[string]int
}

// inOrder are the settings of every reader's transaction: rows come in
// page order (no parallel plan, no synchronized scan start, no index
// scan for a row security policy's condition).
const inOrder = "SET LOCAL synchronize_seqscans = off; SET LOCAL max_parallel_workers_per_gather = 0; " +
	"SET LOCAL enable_indexscan = off; SET LOCAL enable_indexonlyscan = off"

// identitySQL names what a part's print does not see: the table's file
// (a VACUUM FULL, CLUSTER, TRUNCATE or rewrite copies tuples with their
// xmin into a new one), its columns as stored (a column dropped and
// added again, two renamed into each other: the pg_attribute rows, with
// their own xmin) and the labels of its enum types (RENAME VALUE). Parts
// are kept only by a read of the same identity.
const identitySQL = `SELECT c.oid::text || '/' || pg_relation_filenode(c.oid)::text || '/' ||
  (SELECT string_agg(a.attnum || ':' || a.attname || ':' || a.atttypid || ':' || a.atttypmod || ':' || a.attisdropped || ':' || a.xmin, ',' ORDER BY a.attnum)
     FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0) || '/' ||
  COALESCE((SELECT string_agg(e.oid || ':' || e.enumlabel || ':' || e.xmin, ',' ORDER BY e.oid) FROM pg_enum e
     WHERE e.enumtypid IN (SELECT t.oid FROM pg_attribute a JOIN pg_type t ON t.oid IN (a.atttypid, (SELECT typelem FROM pg_type WHERE oid = a.atttypid), (SELECT typbasetype FROM pg_type WHERE oid = a.atttypid))
       WHERE a.attrelid = c.oid AND a.attnum > 0)), ''),
  pg_relation_filenode(c.oid)::text
FROM pg_class c WHERE c.oid = $1::regclass`

func (p *parts) open(ctx context.Context, req connectors.ScanRequest) error {
	if _, err := p.conn.Exec(ctx, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"); err != nil {
		return err
	}
	if req.Snapshot != "" {
		if _, err := p.conn.Exec(ctx, "SET TRANSACTION SNAPSHOT "+quoteLiteral(req.Snapshot)); err != nil {
			return err
		}
	}
	// Before the snapshot's first query: no rewrite or TRUNCATE of the
	// table (whose pages the parts name) until the read ends.
	if _, err := p.conn.Exec(ctx, "LOCK TABLE "+p.rel+" IN ACCESS SHARE MODE"); err != nil {
		return err
	}
	if _, err := p.conn.Exec(ctx, inOrder); err != nil {
		return err
	}
	plan, q, err := planScan(ctx, p.conn, req)
	if err != nil {
		return err
	}
	plan.rb.Release() // each part's scan makes its own builders
	plan.rb, plan.decoders = nil, nil
	p.plan, p.query = plan, q
	if err := p.conn.QueryRow(ctx, identitySQL, p.rel).Scan(&p.identity, &p.filenode); err != nil {
		return err
	}
	var pages int64
	if err := p.conn.QueryRow(ctx, `SELECT pg_export_snapshot(), pg_relation_size($1::regclass) / current_setting('block_size')::int`, p.rel).Scan(&p.snapshot, &pages); err != nil {
		return err
	}
	n := max(1, (pages+p.per-1)/p.per)
	for k := range n {
		name := fmt.Sprintf("p%d-%d", k*p.per, (k+1)*p.per)
		if k == n-1 {
			name = fmt.Sprintf("p%d-", k*p.per)
		}
		p.list = append(p.list, name)
	}
	p.index = map[string]int{}
	for i, name := range p.list {
		p.index[name] = i
	}
	return nil
}

// Prints reads the parts' ctid and xmin on the read's connection.
func (p *parts) Prints(ctx context.Context, names []string) (map[string]string, error) {
	out := map[string]string{}
	for _, name := range names {
		cond, err := p.pageRange(name)
		if err != nil {
			return nil, err
		}
		rows, err := p.conn.Query(ctx, "SELECT ctid, xmin FROM "+p.rel+cond, pgx.QueryResultFormats{pgx.BinaryFormatCode, pgx.BinaryFormatCode})
		if err != nil {
			return nil, fmt.Errorf("prints of %s: %w", name, err)
		}
		var pp partPrint
		for rows.Next() {
			raw := rows.RawValues()
			if err := pp.add(raw[0], raw[1]); err != nil {
				rows.Close()
				return nil, err
			}
		}
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("prints of %s: %w", name, err)
		}
		out[name] = pp.String()
	}
	return out, nil
}

// partPrint adds up a part's print.
type partPrint struct {
	rows int64
	sum  uint64
}

// add takes one row's ctid and xmin in binary form.
func (pp *partPrint) add(ctid, xmin []byte) error {
	if len(ctid) != 6 || len(xmin) != 4 {
		return fmt.Errorf("part print: ctid of %d bytes, xmin of %d", len(ctid), len(xmin))
	}
	tid := uint64(binary.BigEndian.Uint32(ctid))<<16 | uint64(binary.BigEndian.Uint16(ctid[4:]))
	pp.rows++
	pp.sum += mix(tid ^ mix(uint64(binary.BigEndian.Uint32(xmin))|1<<63))
	return nil
}

func (pp *partPrint) String() string { return fmt.Sprintf("%d:%016x", pp.rows, pp.sum) }

// mix is splitmix64's finalizer: a bijection that spreads every input
// bit over the output.
func mix(z uint64) uint64 {
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

func (p *parts) Schema() *arrow.Schema { return p.plan.schema }
func (p *parts) Warnings() []string    { return append([]string(nil), p.plan.warnings...) }
func (p *parts) List() []string        { return append([]string(nil), p.list...) }
func (p *parts) Identity() string      { return p.identity }
func (p *parts) pageRange(name string) (string, error) {
	a, b, ok := strings.Cut(strings.TrimPrefix(name, "p"), "-")
	from, err := strconv.ParseInt(a, 10, 64)
	if !ok || err != nil || !strings.HasPrefix(name, "p") {
		return "", fmt.Errorf("part %q: not a part of this read", name)
	}
	cond := fmt.Sprintf(" WHERE ctid >= '(%d,0)'::tid", from)
	if b != "" {
		to, err := strconv.ParseInt(b, 10, 64)
		if err != nil {
			return "", fmt.Errorf("part %q: not a part of this read", name)
		}
		cond += fmt.Sprintf(" AND ctid < '(%d,0)'::tid", to)
	}
	return cond, nil
}

// Reader 0 reads on the read's own connection; another opens one (in the
// same snapshot), waiting at most wait for the pool.
func (p *parts) Reader(ctx context.Context, i int, wait time.Duration) (connectors.PartReader, error) {
	if i == 0 {
		return &partReader{p: p, conn: p.conn, own: true}, nil
	}
	actx, cancel := context.WithTimeout(ctx, wait)
	conn, err := p.c.pool.Acquire(actx)
	cancel()
	if err != nil {
		if ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded) {
			return nil, connectors.ErrNoReader
		}
		return nil, err
	}
	r := &partReader{p: p, conn: conn}
	if _, err := conn.Exec(ctx, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"); err != nil {
		r.Close()
		return nil, err
	}
	if _, err := conn.Exec(ctx, "SET TRANSACTION SNAPSHOT "+quoteLiteral(p.snapshot)); err != nil {
		r.Close()
		return nil, err
	}
	if _, err := conn.Exec(ctx, inOrder); err != nil {
		r.Close()
		return nil, err
	}
	// The reader's own hold on the table, at once: waiting behind a
	// queued ALTER, itself waiting for the read's lock, would stall both
	// (the read carries on with the readers it has).
	if _, err := conn.Exec(ctx, "LOCK TABLE "+p.rel+" IN ACCESS SHARE MODE NOWAIT"); err != nil {
		r.Close()
		var pe *pgconn.PgError
		if errors.As(err, &pe) && pe.Code == "55P03" {
			return nil, connectors.ErrNoReader
		}
		return nil, err
	}
	// The read's file still: had its connection gone (and its lock
	// with it), a TRUNCATE or rewrite since would show this snapshot an
	// empty table.
	var node string
	if err := conn.QueryRow(ctx, "SELECT pg_relation_filenode($1::regclass)::text", p.rel).Scan(&node); err != nil {
		r.Close()
		return nil, err
	}
	if node != p.filenode {
		r.Close()
		return nil, fmt.Errorf("scan %s in parts: the table was rewritten during the read", p.rel)
	}
	return r, nil
}

// Close ends the read's transaction and frees its connection.
func (p *parts) Close() error {
	if p.conn == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := p.conn.Exec(ctx, "ROLLBACK")
	p.conn.Release()
	p.conn = nil
	return err
}

// partReader runs one scan at a time on its connection.
type partReader struct {
	p    *parts
	conn *pgxpool.Conn
	own  bool // the read's connection: parts.Close ends it
}

func (r *partReader) Scan(ctx context.Context, run []string) (connectors.PartScan, error) {
	if r.conn == nil {
		return nil, errors.New("part reader is closed")
	}
	if r.conn.Conn().PgConn().IsClosed() {
		return nil, errors.New("part reader's connection was closed by a scan that stopped early")
	}
	pr, err := r.p.run(run)
	if err != nil {
		return nil, err
	}
	var cond string
	switch {
	case pr.first == 0 && pr.last == len(r.p.list)-1:
		// The whole table: a sequential scan.
	case pr.last == len(r.p.list)-1:
		cond = fmt.Sprintf(" WHERE ctid >= '(%d,0)'::tid", int64(pr.first)*r.p.per)
	default:
		cond = fmt.Sprintf(" WHERE ctid >= '(%d,0)'::tid AND ctid < '(%d,0)'::tid", int64(pr.first)*r.p.per, int64(pr.last+1)*r.p.per)
	}
	s := &scan{schema: r.p.plan.schema, plans: r.p.plan.plans, names: r.p.plan.names, warnings: r.p.plan.warnings,
		batchRows: r.p.plan.batchRows, conn: r.conn, borrowed: true, parts: pr}
	s.refs.Store(1)
	s.builders()
	q := r.p.query
	q.list += ", ctid, xmin"
	q.from += cond
	q.formats = append(q.formats[:len(q.formats):len(q.formats)], pgx.BinaryFormatCode, pgx.BinaryFormatCode)
	if err := s.run(ctx, r.conn, q); err != nil {
		s.rb.Release()
		return nil, fmt.Errorf("scan parts %s…%s: %w", run[0], run[len(run)-1], err)
	}
	return &runScan{scan: s}, nil
}

// run checks that names are consecutive parts of the read.
func (p *parts) run(names []string) (*partRun, error) {
	if len(names) == 0 {
		return nil, errors.New("scan of no parts")
	}
	pr := &partRun{per: p.per, names: p.list, prints: make([]partPrint, len(p.list)), cur: -1, lastBlock: -1}
	for i, name := range names {
		k, ok := p.index[name]
		if !ok {
			return nil, fmt.Errorf("part %q: not a part of this read", name)
		}
		if i == 0 {
			pr.first = k
		} else if k != pr.last+1 {
			return nil, fmt.Errorf("parts %q: not consecutive", names)
		}
		pr.last = k
	}
	return pr, nil
}

// partRun follows a scan of consecutive parts.
type partRun struct {
	per         int64
	first, last int
	names       []string
	prints      []partPrint // by part, of those in first…last
	cur         int         // part of the current batch
	lastBlock   int64       // rows must come in page order
}

// partOf returns the part of a row's ctid (binary form).
func (pr *partRun) partOf(ctid []byte) (int, error) {
	if len(ctid) != 6 {
		return 0, fmt.Errorf("part scan: ctid of %d bytes", len(ctid))
	}
	block := int64(binary.BigEndian.Uint32(ctid))
	if block < pr.lastBlock {
		return 0, fmt.Errorf("part scan: rows out of page order (page %d after %d)", block, pr.lastBlock)
	}
	pr.lastBlock = block
	k := min(int(block/pr.per), len(pr.names)-1)
	if k < pr.first || k > pr.last {
		return 0, fmt.Errorf("part scan: a row of page %d is outside parts %s…%s", block, pr.names[pr.first], pr.names[pr.last])
	}
	return k, nil
}

// runScan is a scan of consecutive parts.
type runScan struct{ *scan }

func (s *runScan) Part() string {
	if s.parts.cur < 0 {
		return ""
	}
	return s.parts.names[s.parts.cur]
}

func (s *runScan) Print(part string) string {
	for k := s.parts.first; k <= s.parts.last; k++ {
		if s.parts.names[k] == part {
			return s.parts.prints[k].String()
		}
	}
	return ""
}

func (r *partReader) Close() {
	if r.conn == nil || r.own {
		r.conn = nil
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	_, _ = r.conn.Exec(ctx, "ROLLBACK")
	cancel()
	r.conn.Release()
	r.conn = nil
}

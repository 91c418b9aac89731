package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
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
// removes a tuple version, and a version's (ctid, xmin) is never reused
// for other contents, so an unchanged print means unchanged rows (a
// VACUUM FULL, CLUSTER or freeze changes prints too: the part is read
// again, never kept wrongly).

// partPages is how many pages a part spans (64 MiB of 8 KiB pages).
var partPages atomic.Int64

func init() { partPages.Store(8192) }

// SetPartPages sets how many pages a part spans and returns the previous
// value (tests read small tables in parts).
func SetPartPages(n int64) int64 { return partPages.Swap(n) }

var _ connectors.PartScanner = (*Connector)(nil)

// ScanParts reads the table in parts of partPages pages, when it has two
// or more and the server has TID range scans.
func (c *Connector) ScanParts(ctx context.Context, req connectors.ScanRequest) (connectors.Parts, error) {
	if len(req.Filter) > 0 || len(req.Columns) > 0 {
		return nil, connectors.ErrNotParted
	}
	per := partPages.Load()
	rel := quoteIdent(req.Schema) + "." + quoteIdent(req.Table)
	var version, pages int64
	err := c.pool.QueryRow(ctx, `SELECT current_setting('server_version_num')::int,
		pg_relation_size(to_regclass($1)) / current_setting('block_size')::int`, rel).Scan(&version, &pages)
	if err != nil {
		return nil, fmt.Errorf("scan %s.%s in parts: %w", req.Schema, req.Table, err)
	}
	if version < 140000 || pages < 2*per {
		return nil, connectors.ErrNotParted
	}
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

// parts is an open read in parts: its transaction holds the snapshot.
type parts struct {
	c        *Connector
	conn     *pgxpool.Conn
	rel      string
	per      int64
	snapshot string
	plan     *scan // the scans' schema, plans and warnings
	query    scanQuery
	list     []connectors.Part
}

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
	plan, q, err := planScan(ctx, p.conn, req)
	if err != nil {
		return err
	}
	plan.rb.Release() // each part's scan makes its own builders
	plan.rb, plan.decoders = nil, nil
	p.plan, p.query = plan, q
	var pages int64
	if err := p.conn.QueryRow(ctx, `SELECT pg_export_snapshot(), pg_relation_size($1::regclass) / current_setting('block_size')::int`, p.rel).Scan(&p.snapshot, &pages); err != nil {
		return err
	}
	n := max(1, (pages+p.per-1)/p.per)
	prints := make([]struct{ rows, sum string }, n)
	rows, err := p.conn.Query(ctx, `SELECT LEAST((ctid::text::point)[0]::bigint / $1, $2), count(*)::text,
		COALESCE(sum(hashtextextended(ctid::text || xmin::text, 0)), 0)::text
		FROM `+p.rel+` GROUP BY 1`, p.per, n-1)
	if err != nil {
		return err
	}
	for rows.Next() {
		var k int64
		var cnt, sum string
		if err := rows.Scan(&k, &cnt, &sum); err != nil {
			rows.Close()
			return err
		}
		prints[k].rows, prints[k].sum = cnt, sum
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for k := range n {
		name := fmt.Sprintf("p%d-%d", k*p.per, (k+1)*p.per)
		if k == n-1 {
			name = fmt.Sprintf("p%d-", k*p.per)
		}
		cnt, sum := prints[k].rows, prints[k].sum
		if cnt == "" {
			cnt, sum = "0", "0"
		}
		r, _ := strconv.ParseInt(cnt, 10, 64)
		p.list = append(p.list, connectors.Part{Name: name, Print: cnt + ":" + sum, Rows: r})
	}
	return nil
}

func (p *parts) Schema() *arrow.Schema   { return p.plan.schema }
func (p *parts) Warnings() []string      { return append([]string(nil), p.plan.warnings...) }
func (p *parts) List() []connectors.Part { return append([]connectors.Part(nil), p.list...) }
func (p *parts) Snapshot() string        { return p.snapshot }
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

// partReader runs one part's scan at a time on its connection.
type partReader struct {
	p    *parts
	conn *pgxpool.Conn
	own  bool // the read's connection: parts.Close ends it
}

func (r *partReader) Scan(ctx context.Context, part string) (connectors.Scan, error) {
	if r.conn == nil {
		return nil, errors.New("part reader is closed")
	}
	if r.conn.Conn().PgConn().IsClosed() {
		return nil, errors.New("part reader's connection was closed by a scan that stopped early")
	}
	cond, err := r.p.pageRange(part)
	if err != nil {
		return nil, err
	}
	s := &scan{schema: r.p.plan.schema, plans: r.p.plan.plans, names: r.p.plan.names, warnings: r.p.plan.warnings,
		batchRows: r.p.plan.batchRows, conn: r.conn, borrowed: true}
	s.refs.Store(1)
	s.builders()
	q := r.p.query
	q.sql += cond
	if err := s.run(ctx, r.conn, q); err != nil {
		s.rb.Release()
		return nil, fmt.Errorf("scan part %s: %w", part, err)
	}
	return s, nil
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

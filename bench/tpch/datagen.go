package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/pingcap/go-tpc/tpch/dbgen"
)

// table is one TPC-H table: its DDL (the specification's types, every
// column NOT NULL) and primary key, added after the load.
type table struct {
	name string
	ddl  string
	pk   string
}

// tables in the order dbgen generates them.
var tables = []table{
	{"nation", `CREATE TABLE nation (
	n_nationkey integer NOT NULL, n_name char(25) NOT NULL, n_regionkey integer NOT NULL,
	n_comment varchar(152) NOT NULL)`, "n_nationkey"},
	{"region", `CREATE TABLE region (
	r_regionkey integer NOT NULL, r_name char(25) NOT NULL, r_comment varchar(152) NOT NULL)`, "r_regionkey"},
	{"customer", `CREATE TABLE customer (
	c_custkey integer NOT NULL, c_name varchar(25) NOT NULL, c_address varchar(40) NOT NULL,
	c_nationkey integer NOT NULL, c_phone char(15) NOT NULL, c_acctbal decimal(15,2) NOT NULL,
	c_mktsegment char(10) NOT NULL, c_comment varchar(117) NOT NULL)`, "c_custkey"},
	{"supplier", `CREATE TABLE supplier (
	s_suppkey integer NOT NULL, s_name char(25) NOT NULL, s_address varchar(40) NOT NULL,
	s_nationkey integer NOT NULL, s_phone char(15) NOT NULL, s_acctbal decimal(15,2) NOT NULL,
	s_comment varchar(101) NOT NULL)`, "s_suppkey"},
	{"part", `CREATE TABLE part (
	p_partkey integer NOT NULL, p_name varchar(55) NOT NULL, p_mfgr char(25) NOT NULL,
	p_brand char(10) NOT NULL, p_type varchar(25) NOT NULL, p_size integer NOT NULL,
	p_container char(10) NOT NULL, p_retailprice decimal(15,2) NOT NULL, p_comment varchar(23) NOT NULL)`, "p_partkey"},
	{"partsupp", `CREATE TABLE partsupp (
	ps_partkey integer NOT NULL, ps_suppkey integer NOT NULL, ps_availqty integer NOT NULL,
	ps_supplycost decimal(15,2) NOT NULL, ps_comment varchar(199) NOT NULL)`, "ps_partkey, ps_suppkey"},
	{"orders", `CREATE TABLE orders (
	o_orderkey integer NOT NULL, o_custkey integer NOT NULL, o_orderstatus char(1) NOT NULL,
	o_totalprice decimal(15,2) NOT NULL, o_orderdate date NOT NULL, o_orderpriority char(15) NOT NULL,
	o_clerk char(15) NOT NULL, o_shippriority integer NOT NULL, o_comment varchar(79) NOT NULL)`, "o_orderkey"},
	{"lineitem", `CREATE TABLE lineitem (
	l_orderkey integer NOT NULL, l_partkey integer NOT NULL, l_suppkey integer NOT NULL,
	l_linenumber integer NOT NULL, l_quantity decimal(15,2) NOT NULL, l_extendedprice decimal(15,2) NOT NULL,
	l_discount decimal(15,2) NOT NULL, l_tax decimal(15,2) NOT NULL, l_returnflag char(1) NOT NULL,
	l_linestatus char(1) NOT NULL, l_shipdate date NOT NULL, l_commitdate date NOT NULL,
	l_receiptdate date NOT NULL, l_shipinstruct char(25) NOT NULL, l_shipmode char(10) NOT NULL,
	l_comment varchar(44) NOT NULL)`, "l_orderkey, l_linenumber"},
}

// expectedRows is the row count of a table at a scale factor, from the
// specification (lineitem's is known only for the published scale factors:
// ok is false for the others).
func expectedRows(name string, sf int64) (n int64, ok bool) {
	switch name {
	case "nation":
		return 25, true
	case "region":
		return 5, true
	case "customer":
		return 150_000 * sf, true
	case "supplier":
		return 10_000 * sf, true
	case "part":
		return 200_000 * sf, true
	case "partsupp":
		return 800_000 * sf, true
	case "orders":
		return 1_500_000 * sf, true
	case "lineitem":
		n, ok := map[int64]int64{1: 6_001_215, 10: 59_986_052, 30: 179_998_372, 100: 600_037_902}[sf]
		return n, ok
	}
	return 0, false
}

// doneMarker is the comment a fully loaded database carries, so that -keep
// never reuses a half-loaded one.
func doneMarker(sf int64) string { return fmt.Sprintf("hotdata bench/tpch sf=%d loaded", sf) }

// prepareDatabase makes sure db holds the TPC-H tables at scale factor sf:
// with keep, an existing complete database is reused; otherwise it is
// dropped and generated again. It returns how long the load took (zero
// when reused) and the row count of every table.
func prepareDatabase(ctx context.Context, log *slog.Logger, admin *pgx.ConnConfig, db string, sf int64, keep bool) (time.Duration, map[string]int64, error) {
	if keep {
		counts, err := checkDatabase(ctx, admin, db, sf)
		if err == nil {
			log.Info("reusing database", "db", db)
			return 0, counts, nil
		}
		log.Info("database not reusable; generating", "db", db, "reason", err)
	}
	start := time.Now()
	if err := loadDatabase(ctx, log, admin, db, sf); err != nil {
		return 0, nil, err
	}
	took := time.Since(start)
	counts, err := checkDatabase(ctx, admin, db, sf)
	if err != nil {
		return 0, nil, fmt.Errorf("after loading: %w", err)
	}
	return took, counts, nil
}

// checkDatabase returns the row counts of a complete database, or why it
// is not one.
func checkDatabase(ctx context.Context, admin *pgx.ConnConfig, db string, sf int64) (map[string]int64, error) {
	c, err := pgx.ConnectConfig(ctx, admin)
	if err != nil {
		return nil, err
	}
	var marker *string
	err = c.QueryRow(ctx, `SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = $1`, db).Scan(&marker)
	c.Close(ctx)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("database %s does not exist", db)
	}
	if err != nil {
		return nil, err
	}
	if marker == nil || *marker != doneMarker(sf) {
		return nil, fmt.Errorf("database %s is not a complete load at scale factor %d", db, sf)
	}
	cfg := admin.Copy()
	cfg.Database = db
	c, err = pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	defer c.Close(ctx)
	counts := map[string]int64{}
	for _, t := range tables {
		var n int64
		if err := c.QueryRow(ctx, "SELECT count(*) FROM "+t.name).Scan(&n); err != nil {
			return nil, err
		}
		if want, ok := expectedRows(t.name, sf); ok && n != want {
			return nil, fmt.Errorf("%s has %d rows, want %d", t.name, n, want)
		}
		if n == 0 {
			return nil, fmt.Errorf("%s is empty", t.name)
		}
		counts[t.name] = n
	}
	return counts, nil
}

// loadDatabase recreates db and fills it from dbgen, then adds the primary
// keys, runs VACUUM ANALYZE and marks the database complete.
func loadDatabase(ctx context.Context, log *slog.Logger, admin *pgx.ConnConfig, db string, sf int64) error {
	c, err := pgx.ConnectConfig(ctx, admin)
	if err != nil {
		return err
	}
	ident := pgx.Identifier{db}.Sanitize()
	for _, q := range []string{"DROP DATABASE IF EXISTS " + ident + " WITH (FORCE)", "CREATE DATABASE " + ident} {
		if _, err := c.Exec(ctx, q); err != nil {
			c.Close(ctx)
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	c.Close(ctx)

	cfg := admin.Copy()
	cfg.Database = db
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	for _, t := range tables {
		if _, err := conn.Exec(ctx, t.ddl); err != nil {
			return fmt.Errorf("create %s: %w", t.name, err)
		}
	}

	// One COPY per table, each on its own connection, fed through a pipe
	// while dbgen generates: the rows never sit in memory or on disk.
	streams := map[string]*copyStream{}
	defer func() {
		for _, s := range streams {
			s.abort()
		}
	}()
	for _, t := range tables {
		c, err := pgx.ConnectConfig(ctx, cfg)
		if err != nil {
			return err
		}
		streams[t.name] = startCopy(ctx, c, t.name)
	}
	loaders := map[dbgen.Table]dbgen.Loader{
		dbgen.TNation: nationLoader{streams["nation"]},
		dbgen.TRegion: regionLoader{streams["region"]},
		dbgen.TCust:   custLoader{streams["customer"]},
		dbgen.TSupp:   suppLoader{streams["supplier"]},
		dbgen.TPart:   partLoader{streams["part"]},
		dbgen.TPsupp:  partSuppLoader{streams["partsupp"]},
		dbgen.TOrder:  orderLoader{streams["orders"]},
		dbgen.TLine:   lineItemLoader{streams["lineitem"]},
	}
	log.Info("generating", "sf", sf, "db", db)
	start := time.Now()
	if err := generate(sf, loaders); err != nil {
		return err
	}
	for _, t := range tables {
		s := streams[t.name]
		delete(streams, t.name)
		if err := s.finish(ctx); err != nil {
			return fmt.Errorf("copy %s: %w", t.name, err)
		}
		log.Info("loaded", "table", t.name, "rows", s.rows)
	}
	log.Info("generated and copied", "took", time.Since(start).Round(time.Millisecond))

	for _, t := range tables {
		if _, err := conn.Exec(ctx, "ALTER TABLE "+t.name+" ADD PRIMARY KEY ("+t.pk+")"); err != nil {
			return fmt.Errorf("primary key of %s: %w", t.name, err)
		}
	}
	log.Info("primary keys added; VACUUM ANALYZE")
	if _, err := conn.Exec(ctx, "VACUUM ANALYZE"); err != nil {
		return err
	}
	_, err = conn.Exec(ctx, "COMMENT ON DATABASE "+ident+" IS "+quoteLiteral(doneMarker(sf)))
	return err
}

// generate runs dbgen over every table, in the order go-tpc's own tpch
// workload uses. dbgen keeps its state in package variables and prints
// progress on standard output, which here carries the report: it is sent
// to standard error meanwhile.
func generate(sf int64, loaders map[dbgen.Table]dbgen.Loader) error {
	stdout := os.Stdout
	os.Stdout = os.Stderr
	defer func() { os.Stdout = stdout }()
	dbgen.InitDbGen(sf)
	return dbgen.DbGen(loaders, []dbgen.Table{dbgen.TNation, dbgen.TRegion, dbgen.TCust, dbgen.TSupp, dbgen.TPartPsupp, dbgen.TOrderLine})
}

func quoteLiteral(s string) string {
	out := []byte{'\''}
	for i := 0; i < len(s); i++ {
		if s[i] == '\'' {
			out = append(out, '\'')
		}
		out = append(out, s[i])
	}
	return string(append(out, '\''))
}

// copyStream is one COPY … FROM STDIN in PostgreSQL's text format, fed
// row by row.
type copyStream struct {
	conn *pgx.Conn
	pw   *io.PipeWriter
	buf  *bufio.Writer
	line []byte
	rows int64
	done chan error
}

func startCopy(ctx context.Context, conn *pgx.Conn, tableName string) *copyStream {
	pr, pw := io.Pipe()
	s := &copyStream{conn: conn, pw: pw, buf: bufio.NewWriterSize(pw, 1<<20), done: make(chan error, 1)}
	go func() {
		_, err := conn.PgConn().CopyFrom(ctx, pr, "COPY "+tableName+" FROM STDIN")
		if err != nil {
			// Unblocks the generator's next write with the reason.
			pr.CloseWithError(err)
		}
		s.done <- err
	}()
	return s
}

// finish ends the input and waits for PostgreSQL's answer.
func (s *copyStream) finish(ctx context.Context) error {
	ferr := s.buf.Flush()
	s.pw.Close()
	err := <-s.done
	s.conn.Close(ctx)
	if err != nil {
		return err
	}
	return ferr
}

// abort ends a COPY that was not finished: PostgreSQL rolls it back.
func (s *copyStream) abort() {
	s.pw.CloseWithError(errors.New("load aborted"))
	<-s.done
	s.conn.Close(context.Background())
}

// The column appenders write one value in COPY text format, followed by a
// tab; end replaces the last tab with the newline.

func (s *copyStream) int(v int64) { s.line = append(strconv.AppendInt(s.line, v, 10), '\t') }
func (s *copyStream) char(c byte) { s.text(string(c)) }

func (s *copyStream) text(v string) {
	for i := 0; i < len(v); i++ {
		switch c := v[i]; c {
		case '\\':
			s.line = append(s.line, '\\', '\\')
		case '\t':
			s.line = append(s.line, '\\', 't')
		case '\n':
			s.line = append(s.line, '\\', 'n')
		case '\r':
			s.line = append(s.line, '\\', 'r')
		default:
			s.line = append(s.line, c)
		}
	}
	s.line = append(s.line, '\t')
}

func (s *copyStream) end() error {
	s.line[len(s.line)-1] = '\n'
	_, err := s.buf.Write(s.line)
	s.line = s.line[:0]
	s.rows++
	return err
}

// The loaders format each value as the package's own .tbl loaders do
// (FmtMoney for money, %d for integers, dates as dbgen writes them), in
// the tables' column order.

type nationLoader struct{ w *copyStream }

func (l nationLoader) Load(item any) error {
	n := item.(*dbgen.Nation)
	l.w.int(int64(n.Code))
	l.w.text(n.Text)
	l.w.int(int64(n.Join))
	l.w.text(n.Comment)
	return l.w.end()
}
func (l nationLoader) Flush() error { return nil }

type regionLoader struct{ w *copyStream }

func (l regionLoader) Load(item any) error {
	r := item.(*dbgen.Region)
	l.w.int(int64(r.Code))
	l.w.text(r.Text)
	l.w.text(r.Comment)
	return l.w.end()
}
func (l regionLoader) Flush() error { return nil }

type custLoader struct{ w *copyStream }

func (l custLoader) Load(item any) error {
	c := item.(*dbgen.Cust)
	l.w.int(int64(c.CustKey))
	l.w.text(c.Name)
	l.w.text(c.Address)
	l.w.int(int64(c.NationCode))
	l.w.text(c.Phone)
	l.w.text(dbgen.FmtMoney(c.Acctbal))
	l.w.text(c.MktSegment)
	l.w.text(c.Comment)
	return l.w.end()
}
func (l custLoader) Flush() error { return nil }

type suppLoader struct{ w *copyStream }

func (l suppLoader) Load(item any) error {
	s := item.(*dbgen.Supp)
	l.w.int(int64(s.SuppKey))
	l.w.text(s.Name)
	l.w.text(s.Address)
	l.w.int(int64(s.NationCode))
	l.w.text(s.Phone)
	l.w.text(dbgen.FmtMoney(s.Acctbal))
	l.w.text(s.Comment)
	return l.w.end()
}
func (l suppLoader) Flush() error { return nil }

// partLoader and partSuppLoader both receive every *dbgen.Part (dbgen's
// part/partsupp loader calls one then the other); partsupp rows are the
// part's S.
type partLoader struct{ w *copyStream }

func (l partLoader) Load(item any) error {
	p := item.(*dbgen.Part)
	l.w.int(int64(p.PartKey))
	l.w.text(p.Name)
	l.w.text(p.Mfgr)
	l.w.text(p.Brand)
	l.w.text(p.Type)
	l.w.int(int64(p.Size))
	l.w.text(p.Container)
	l.w.text(dbgen.FmtMoney(p.RetailPrice))
	l.w.text(p.Comment)
	return l.w.end()
}
func (l partLoader) Flush() error { return nil }

type partSuppLoader struct{ w *copyStream }

func (l partSuppLoader) Load(item any) error {
	p := item.(*dbgen.Part)
	for i := range p.S {
		ps := &p.S[i]
		l.w.int(int64(ps.PartKey))
		l.w.int(int64(ps.SuppKey))
		l.w.int(int64(ps.Qty))
		l.w.text(dbgen.FmtMoney(ps.SCost))
		l.w.text(ps.Comment)
		if err := l.w.end(); err != nil {
			return err
		}
	}
	return nil
}
func (l partSuppLoader) Flush() error { return nil }

// orderLoader and lineItemLoader both receive every *dbgen.Order; its
// Lines are the lineitem rows.
type orderLoader struct{ w *copyStream }

func (l orderLoader) Load(item any) error {
	o := item.(*dbgen.Order)
	l.w.int(int64(o.OKey))
	l.w.int(int64(o.CustKey))
	l.w.char(o.Status)
	l.w.text(dbgen.FmtMoney(o.TotalPrice))
	l.w.text(o.Date)
	l.w.text(o.OrderPriority)
	l.w.text(o.Clerk)
	l.w.int(o.ShipPriority)
	l.w.text(o.Comment)
	return l.w.end()
}
func (l orderLoader) Flush() error { return nil }

type lineItemLoader struct{ w *copyStream }

func (l lineItemLoader) Load(item any) error {
	o := item.(*dbgen.Order)
	for i := range o.Lines {
		li := &o.Lines[i]
		l.w.int(int64(li.OKey))
		l.w.int(int64(li.PartKey))
		l.w.int(int64(li.SuppKey))
		l.w.int(int64(li.LCnt))
		l.w.int(int64(li.Quantity))
		l.w.text(dbgen.FmtMoney(li.EPrice))
		l.w.text(dbgen.FmtMoney(li.Discount))
		l.w.text(dbgen.FmtMoney(li.Tax))
		l.w.char(li.RFlag)
		l.w.char(li.LStatus)
		l.w.text(li.SDate)
		l.w.text(li.CDate)
		l.w.text(li.RDate)
		l.w.text(li.ShipInstruct)
		l.w.text(li.ShipMode)
		l.w.text(li.Comment)
		if err := l.w.end(); err != nil {
			return err
		}
	}
	return nil
}
func (l lineItemLoader) Flush() error { return nil }

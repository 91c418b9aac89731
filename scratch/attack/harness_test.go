package attack

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	_ "github.com/go-sql-driver/mysql"

	"github.com/hotdata-dev/hotdata/connectors"
	"github.com/hotdata-dev/hotdata/connectors/mysql"
	"github.com/hotdata-dev/hotdata/internal/testenv"
)

type harness struct {
	t   *testing.T
	m   *testenv.PrivateMariaDB
	db  *sql.DB
	c   *mysql.Connector
	ctx context.Context
}

func newHarness(t *testing.T, opts ...string) *harness {
	m := testenv.StartPrivateMariaDB(t, opts...)
	testenv.MariaDBExec(t, m.DSN(""), "CREATE DATABASE cdc", "CREATE TABLE cdc.marker (id int primary key auto_increment) ENGINE=InnoDB")
	db, err := sql.Open("mysql", m.DSN("cdc")+"?multiStatements=true")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(8)
	t.Cleanup(func() { db.Close() })
	ctx := context.Background()
	c, err := mysql.Open(ctx, mysql.Config{Host: "127.0.0.1", Port: m.Port(), User: "root", Database: "cdc", TLS: "disable"}, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &harness{t: t, m: m, db: db, c: c, ctx: ctx}
}

// exec runs statements on one session.
func (h *harness) exec(stmts ...string) {
	h.t.Helper()
	conn, err := h.db.Conn(h.ctx)
	if err != nil {
		h.t.Fatal(err)
	}
	defer conn.Close()
	defer conn.ExecContext(h.ctx, "SET SESSION binlog_format = DEFAULT, binlog_row_image = DEFAULT, sql_mode = DEFAULT")
	for _, s := range stmts {
		if _, err := conn.ExecContext(h.ctx, s); err != nil {
			h.t.Fatalf("%.300s: %v", s, err)
		}
	}
}

// tryExec runs statements, returning the first error.
func (h *harness) tryExec(stmts ...string) error {
	conn, err := h.db.Conn(h.ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	defer conn.ExecContext(h.ctx, "SET SESSION binlog_format = DEFAULT, binlog_row_image = DEFAULT, sql_mode = DEFAULT")
	for _, s := range stmts {
		if _, err := conn.ExecContext(h.ctx, s); err != nil {
			return fmt.Errorf("%.200s: %w", s, err)
		}
	}
	return nil
}

func (h *harness) master() (string, uint64) {
	h.t.Helper()
	rows, err := h.db.Query("SHOW MASTER STATUS")
	if err != nil {
		h.t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	vals := make([]sql.RawBytes, len(cols))
	dest := make([]any, len(cols))
	for i := range vals {
		dest[i] = &vals[i]
	}
	rows.Next()
	if err := rows.Scan(dest...); err != nil {
		h.t.Fatal(err)
	}
	p, _ := strconv.ParseUint(string(vals[1]), 10, 64)
	return string(vals[0]), p
}

type tbl struct {
	schema, table string
	key           []string
	asText        map[string]string
}

// follower keeps one stream's view of tables.
type follower struct {
	h        *harness
	st       connectors.Stream
	tables   map[string]*view // schema.table
	lastSeq  map[string]int64
	errs     []string
	position string
}

type view struct {
	t        tbl
	fields   []arrow.Field
	keyIdx   []int
	rows     map[string][]string
	reshaped int
	trunc    int
}

var followers int

func (h *harness) newFollower(name string) *follower {
	followers++
	name = fmt.Sprintf("%s_%d", name, followers)
	st, err := h.c.OpenStream(h.ctx, name)
	if err != nil {
		h.t.Fatal(err)
	}
	h.t.Cleanup(func() { st.Close() })
	return &follower{h: h, st: st, tables: map[string]*view{}, lastSeq: map[string]int64{}}
}

// join tracks, scans and activates a table (fresh first read).
func (f *follower) join(t tbl) *view {
	f.h.t.Helper()
	ref := connectors.StreamTable{Schema: t.schema, Table: t.table, Key: t.key}
	if _, err := f.st.Track(f.h.ctx, ref); err != nil {
		f.h.t.Fatalf("track %s.%s: %v", t.schema, t.table, err)
	}
	sc, pos, err := f.st.SnapshotScan(f.h.ctx, connectors.ScanRequest{Schema: t.schema, Table: t.table, AsText: t.asText})
	if err != nil {
		f.h.t.Fatalf("snapshot %s.%s: %v", t.schema, t.table, err)
	}
	v := &view{t: t, fields: sc.Schema().Fields(), rows: map[string][]string{}}
	for _, k := range t.key {
		for i, fl := range v.fields {
			if fl.Name == k {
				v.keyIdx = append(v.keyIdx, i)
			}
		}
	}
	for sc.Next() {
		rec := sc.RecordBatch()
		for r := 0; r < int(rec.NumRows()); r++ {
			row := rowStrings(rec, r, len(v.fields))
			v.rows[v.key(row)] = row
		}
	}
	if err := sc.Err(); err != nil {
		f.h.t.Fatalf("snapshot %s.%s: %v", t.schema, t.table, err)
	}
	sc.Release()
	ref.Fields = v.fields
	if err := f.st.Activate(ref, pos); err != nil {
		f.h.t.Fatalf("activate %s.%s: %v", t.schema, t.table, err)
	}
	f.tables[t.schema+"."+t.table] = v
	return v
}

func rowStrings(rec arrow.RecordBatch, r, n int) []string {
	row := make([]string, n)
	for i := 0; i < n; i++ {
		if rec.Column(i).IsNull(r) {
			row[i] = "NULL"
		} else {
			row[i] = rec.Column(i).ValueStr(r)
		}
	}
	return row
}

func (v *view) key(row []string) string {
	parts := make([]string, len(v.keyIdx))
	for i, k := range v.keyIdx {
		parts[i] = row[k]
	}
	return strings.Join(parts, "\x00")
}

// catchUp commits a marker and reads until the stream is past it.
func (f *follower) catchUp() {
	f.h.t.Helper()
	f.h.exec("INSERT INTO cdc.marker VALUES ()")
	file, pos := f.h.master()
	deadline := time.Now().Add(20 * time.Second)
	for {
		b, err := f.st.Read(f.h.ctx, 100*time.Millisecond, 10000)
		if err != nil {
			f.h.t.Fatalf("read: %v", err)
		}
		f.apply(b)
		f.position = b.Position
		bf, bp := splitPos(b.Position)
		if bf > file || (bf == file && bp >= pos) {
			return
		}
		if time.Now().After(deadline) {
			f.h.t.Fatalf("stream did not reach %s:%d (at %s)", file, pos, b.Position)
		}
	}
}

func splitPos(p string) (string, uint64) {
	p, _, _ = strings.Cut(p, "/")
	i := strings.LastIndexByte(p, ':')
	if i < 0 {
		return "", 0
	}
	n, _ := strconv.ParseUint(p[i+1:], 10, 64)
	return p[:i], n
}

func (f *follower) apply(b *connectors.ChangeBatch) {
	for _, tc := range b.Tables {
		k := tc.Schema + "." + tc.Table
		v := f.tables[k]
		if v == nil {
			f.errs = append(f.errs, "changes of an unknown table "+k)
			continue
		}
		if tc.Reshaped {
			v.reshaped++
		}
		if tc.Truncated {
			v.trunc++
			v.rows = map[string][]string{}
		}
		if tc.Changes == nil {
			continue
		}
		rec := tc.Changes
		n := len(v.fields)
		for r := 0; r < int(rec.NumRows()); r++ {
			row := rowStrings(rec, r, n)
			op := rec.Column(n).ValueStr(r)
			seq := rec.Column(n + 1).(interface{ Value(int) int64 }).Value(r)
			if last, ok := f.lastSeq[k]; ok && seq <= last {
				f.errs = append(f.errs, fmt.Sprintf("%s: seq %d after %d", k, seq, last))
			}
			f.lastSeq[k] = seq
			switch op {
			case "D":
				delete(v.rows, v.key(row))
			case "I", "U":
				v.rows[v.key(row)] = row
			default:
				f.errs = append(f.errs, "op "+op)
			}
		}
		rec.Release()
	}
}

// scanNow reads the table as it is now.
func (f *follower) scanNow(v *view) map[string][]string {
	f.h.t.Helper()
	sc, err := f.h.c.Scan(f.h.ctx, connectors.ScanRequest{Schema: v.t.schema, Table: v.t.table, AsText: v.t.asText})
	if err != nil {
		f.h.t.Fatalf("scan: %v", err)
	}
	defer sc.Release()
	out := map[string][]string{}
	for sc.Next() {
		rec := sc.RecordBatch()
		for r := 0; r < int(rec.NumRows()); r++ {
			row := rowStrings(rec, r, len(v.fields))
			out[v.key(row)] = row
		}
	}
	if err := sc.Err(); err != nil {
		f.h.t.Logf("scan %s.%s: %v", v.t.schema, v.t.table, err)
		return nil
	}
	return out
}

// check compares the view with a scan; it returns a description of the
// differences.
func (f *follower) check(v *view) string {
	want := f.scanNow(v)
	var diffs []string
	for k, w := range want {
		g, ok := v.rows[k]
		if !ok {
			diffs = append(diffs, fmt.Sprintf("missing %q: want %v", k, w))
			continue
		}
		for i := range w {
			if i < len(g) && g[i] != w[i] {
				diffs = append(diffs, fmt.Sprintf("row %q col %s (%s): stream %q, scan %q", k, v.fields[i].Name, v.fields[i].Type, g[i], w[i]))
			}
		}
	}
	for k, g := range v.rows {
		if _, ok := want[k]; !ok {
			diffs = append(diffs, fmt.Sprintf("extra %q: %v", k, g))
		}
	}
	sort.Strings(diffs)
	if len(f.errs) > 0 {
		diffs = append(diffs, f.errs...)
		f.errs = nil
	}
	return strings.Join(diffs, "\n")
}

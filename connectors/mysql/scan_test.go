package mysql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hotdata-dev/hotdata/connectors"
	"github.com/hotdata-dev/hotdata/internal/testenv"
)

// TestDiscover checks tables and views across configured databases,
// composite primary keys in key order, row estimates and MariaDB's JSON
// columns.
func TestDiscover(t *testing.T) {
	dsn, other := testenv.MySQL(t), testenv.MySQL(t)
	hidden := testenv.MySQL(t)
	execAll(t, dsn,
		`CREATE TABLE orders (a int NOT NULL, b varchar(10) NOT NULL, doc json, note longtext CHECK (json_valid(note) AND length(note) > 1),
			total decimal(12,2) unsigned, PRIMARY KEY (b, a))`,
		`INSERT INTO orders VALUES (1, 'x', '{"a": 1}', '[1]', 1.5), (2, 'y', NULL, NULL, NULL), (3, 'z', '[]', '{}', 0)`,
		`ANALYZE TABLE orders`,
		"CREATE VIEW `odd ``view` AS SELECT a, doc FROM orders WHERE a % 2 = 1")
	execAll(t, other, `CREATE TABLE elsewhere (id bigint unsigned PRIMARY KEY)`)
	execAll(t, hidden, `CREATE TABLE invisible (id int)`)
	cfg := configFor(t, dsn)
	otherDB := configFor(t, other).Database
	cfg.Schemas = []string{cfg.Database, otherDB}
	c, err := Open(context.Background(), cfg, "")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	tables, err := c.Discover(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	byName := map[string]connectors.Table{}
	for _, tb := range tables {
		names = append(names, tb.Schema+"."+tb.Name)
		byName[tb.Name] = tb
	}
	want := []string{cfg.Database + ".odd `view", cfg.Database + ".orders", otherDB + ".elsewhere"}
	sort.Strings(want) // Discover orders by database, then table
	if strings.Join(names, "|") != strings.Join(want, "|") {
		t.Fatalf("discovered %v, want %v", names, want)
	}
	orders := byName["orders"]
	if strings.Join(orders.PrimaryKey, ",") != "b,a" {
		t.Errorf("orders primary key %v, want [b a]", orders.PrimaryKey)
	}
	if orders.RowEstimate < 1 {
		t.Errorf("orders row estimate %d after ANALYZE", orders.RowEstimate)
	}
	cols := map[string]connectors.Column{}
	for _, col := range orders.Columns {
		cols[col.Name] = col
	}
	if doc := cols["doc"]; doc.TypeOID != oidJSON || !doc.Nullable {
		t.Errorf("json column discovered as %+v", doc)
	}
	if note := cols["note"]; note.TypeOID != oidText {
		t.Errorf("a longtext with its own CHECK is text, discovered as %+v", note)
	}
	if total := cols["total"]; total.TypeOID != oidNumeric || !strings.HasPrefix(total.DataType, "decimal(12,2)") {
		t.Errorf("total discovered as %+v", total)
	}
	if a := cols["a"]; a.Nullable || a.TypeOID != oidInt4 {
		t.Errorf("a discovered as %+v", a)
	}
	// MariaDB keeps no trace of a view column's JSON origin: it is text.
	mariadb, err := isMariaDB(context.Background(), c.db)
	if err != nil {
		t.Fatal(err)
	}
	viewJSON := uint32(oidJSON)
	if mariadb {
		viewJSON = oidText
	}
	view := byName["odd `view"]
	if len(view.Columns) != 2 || view.Columns[1].TypeOID != viewJSON || view.RowEstimate != 0 || len(view.PrimaryKey) != 0 {
		t.Errorf("view discovered as %+v", view)
	}
	if pk := byName["elsewhere"]; pk.Columns[0].TypeOID != oidNumeric || strings.Join(pk.PrimaryKey, ",") != "id" {
		t.Errorf("elsewhere discovered as %+v", pk)
	}

	// A view with an awkward name scans.
	sc, err := c.Scan(context.Background(), connectors.ScanRequest{Schema: cfg.Database, Table: "odd `view"})
	if err != nil {
		t.Fatal(err)
	}
	defer sc.Release()
	rows := readAll(t, sc)
	if len(rows) != 2 || rows[0][1] != `{"a": 1}` || rows[1][1] != "[]" {
		t.Errorf("view rows %v", rows)
	}
	if got := sc.Schema().Field(1).Type.String(); strings.Contains(got, "json") == mariadb {
		t.Errorf("view's json column is %s", got)
	}
}

// TestScanSnapshot changes a table while a scan reads it: the scan sees
// the table as it was when it started.
func TestScanSnapshot(t *testing.T) {
	dsn := testenv.MySQL(t)
	execAll(t, dsn,
		`CREATE TABLE digits (d int)`,
		`INSERT INTO digits VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)`,
		`CREATE TABLE big (id int, label text)`,
		bigTableSQL)
	c := openTest(t, dsn)
	sc, err := c.Scan(context.Background(), connectors.ScanRequest{Schema: c.cfg.Database, Table: "big", BatchRows: 1000})
	if err != nil {
		t.Fatal(err)
	}
	defer sc.Release()
	if !sc.Next() {
		t.Fatal(sc.Err())
	}
	n := sc.RecordBatch().NumRows()
	execAll(t, dsn, `DELETE FROM big WHERE id > 50000`, `INSERT INTO big VALUES (-1, 'new')`)
	for sc.Next() {
		n += sc.RecordBatch().NumRows()
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n != 100_000 {
		t.Fatalf("read %d rows, want the 100000 there were when the scan began", n)
	}
}

// TestScanStopsAtOnce stops scans early — by Release, by cancelling,
// by a deadline while the server computes — and checks that each returns
// at once, that the server ends the query, and that the pool is fine.
func TestScanStopsAtOnce(t *testing.T) {
	dsn := testenv.MySQL(t)
	execAll(t, dsn,
		`CREATE TABLE digits (d int)`,
		`INSERT INTO digits VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)`,
		`CREATE TABLE big (id int, label text)`,
		bigTableSQL,
		// Ten million rows that the server makes up as it sends them.
		`CREATE VIEW huge AS SELECT b.id, b.label FROM big b, digits x, digits y`,
		`CREATE VIEW slow AS SELECT d, SLEEP(5) AS s FROM digits`)
	cfg := configFor(t, dsn)
	cfg.PoolSize = 1 // every step must give the connection back
	c, err := Open(context.Background(), cfg, "")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	admin, err := sql.Open("mysql", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	// gone waits until the server no longer runs a query that reads
	// table (other than this one).
	gone := func(t *testing.T, table string) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			var n int
			if err := admin.QueryRow(`SELECT COUNT(*) FROM information_schema.PROCESSLIST
				WHERE ID <> CONNECTION_ID() AND COMMAND = 'Query' AND INFO LIKE ?`, "%."+quoteIdent(table)+"%").Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n == 0 {
				return
			}
		}
		t.Fatalf("the server still runs a query on %s", table)
	}
	start := func(t *testing.T, ctx context.Context, table string) *scan {
		t.Helper()
		sc, err := c.Scan(ctx, connectors.ScanRequest{Schema: cfg.Database, Table: table, BatchRows: 1000})
		if err != nil {
			t.Fatal(err)
		}
		s := sc.(*scan)
		if s.sock == nil {
			t.Fatal("the scan's socket was not found from its connection id")
		}
		return s
	}

	t.Run("release", func(t *testing.T) {
		s := start(t, context.Background(), "huge")
		if !s.Next() {
			t.Fatal(s.Err())
		}
		began := time.Now()
		s.Release()
		if d := time.Since(began); d > time.Second {
			t.Errorf("Release took %v", d)
		}
		gone(t, "huge")
	})
	t.Run("cancel", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		s := start(t, ctx, "huge")
		defer s.Release()
		if !s.Next() {
			t.Fatal(s.Err())
		}
		cancel()
		began := time.Now()
		for s.Next() {
		}
		if d := time.Since(began); d > time.Second {
			t.Errorf("stopping took %v", d)
		}
		if !errors.Is(s.Err(), context.Canceled) {
			t.Errorf("after cancel: %v", s.Err())
		}
		gone(t, "huge")
	})
	t.Run("deadline", func(t *testing.T) {
		// The server sleeps before each row and sends nothing until it
		// has them all: the scan is waiting when its deadline passes.
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		defer cancel()
		began := time.Now()
		sc, err := c.Scan(ctx, connectors.ScanRequest{Schema: cfg.Database, Table: "slow"})
		if err == nil {
			for sc.Next() {
			}
			err = sc.Err()
			sc.Release()
		}
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("scan of a slow view past its deadline: %v", err)
		}
		if d := time.Since(began); d > 1500*time.Millisecond {
			t.Errorf("the deadline stopped the scan after %v", d)
		}
		// KILL QUERY stops the server, which would not notice the
		// closed socket before its first write.
		gone(t, "slow")
	})
	t.Run("pool", func(t *testing.T) {
		// The one pooled connection works, and is in no transaction.
		ctx := context.Background()
		if err := c.Test(ctx); err != nil {
			t.Fatal(err)
		}
		sc, err := c.Scan(ctx, connectors.ScanRequest{Schema: cfg.Database, Table: "digits"})
		if err != nil {
			t.Fatal(err)
		}
		if rows := readAll(t, sc); len(rows) != 10 {
			t.Errorf("read %d digits", len(rows))
		}
		sc.Release()
		if _, err := c.Scan(ctx, connectors.ScanRequest{Schema: cfg.Database, Table: "digits",
			Filter: []connectors.Predicate{{Column: "d", Op: "=", Value: "not a number"}}}); err == nil {
			t.Fatal("a bad filter value was accepted")
		}
		var mariadb bool
		if mariadb, err = isMariaDB(ctx, c.db); err != nil {
			t.Fatal(err)
		}
		if mariadb {
			var inTx int
			if err := c.db.QueryRowContext(ctx, "SELECT @@in_transaction").Scan(&inTx); err != nil || inTx != 0 {
				t.Errorf("the pooled connection is in a transaction: %d, %v", inTx, err)
			}
		}
		if st := c.db.Stats(); st.InUse != 0 {
			t.Errorf("%d connections still in use", st.InUse)
		}
	})
}

// TestScanBatchBytes reads rows of 1 MiB: batches stop near 32 MiB
// whatever BatchRows says.
func TestScanBatchBytes(t *testing.T) {
	dsn := testenv.MySQL(t)
	execAll(t, dsn,
		`CREATE TABLE digits (d int)`,
		`INSERT INTO digits VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)`,
		`CREATE TABLE blobs (id int, body longblob)`,
		`INSERT INTO blobs SELECT a.d * 10 + b.d, REPEAT('x', 1048576) FROM digits a, digits b WHERE a.d < 4`)
	c := openTest(t, dsn)
	sc, err := c.Scan(context.Background(), connectors.ScanRequest{Schema: c.cfg.Database, Table: "blobs"})
	if err != nil {
		t.Fatal(err)
	}
	defer sc.Release()
	var rows, batches int64
	for sc.Next() {
		n := sc.RecordBatch().NumRows()
		if n > 33 {
			t.Errorf("a batch of %d MiB", n)
		}
		rows += n
		batches++
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if rows != 40 || batches < 2 {
		t.Errorf("read %d rows in %d batches", rows, batches)
	}
}

// TestScanMariaDBTypes reads MariaDB's own types: UUID and INET6 have no
// mapping, so they come as text with a warning naming the column; YEAR(2)
// reads as the full year.
func TestScanMariaDBTypes(t *testing.T) {
	dsn := testenv.MySQL(t)
	c := openTest(t, dsn)
	if mariadb, err := isMariaDB(context.Background(), c.db); err != nil || !mariadb {
		msg := fmt.Sprintf("UUID, INET6 and YEAR(2) are MariaDB types, and the test server is not MariaDB (%v)", err)
		if testenv.RequireServices() {
			t.Fatal(msg + "; HOTDATA_TEST_REQUIRE_SERVICES=1 forbids skipping (the CI server is MariaDB)")
		}
		t.Skip(msg)
	}
	execAll(t, dsn, `CREATE TABLE t (u uuid, ip inet6, y2 year(2))`,
		`INSERT INTO t VALUES ('123e4567-e89b-12d3-a456-426614174000', '2001:db8::1', 2024), (NULL, NULL, 1999), (NULL, NULL, 2000)`)
	tables, err := c.Discover(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if col := tables[0].Columns[0]; col.DataType != "uuid" || col.TypeOID != oidText {
		t.Errorf("uuid discovered as %+v", col)
	}
	if col := tables[0].Columns[2]; col.DataType != "year(2)" || col.TypeOID != oidInt2 {
		t.Errorf("year(2) discovered as %+v", col)
	}
	sc, err := c.Scan(context.Background(), connectors.ScanRequest{Schema: c.cfg.Database, Table: "t"})
	if err != nil {
		t.Fatal(err)
	}
	defer sc.Release()
	rows := readAll(t, sc)
	if len(rows) != 3 || rows[0][0] != "123e4567-e89b-12d3-a456-426614174000" || rows[0][1] != "2001:db8::1" || rows[1][0] != nil ||
		rows[0][2] != int64(2024) || rows[1][2] != int64(1999) || rows[2][2] != int64(2000) {
		t.Errorf("rows %v", rows)
	}
	want := []string{"column u of type uuid is cached as text", "column ip of type inet6 is cached as text"}
	if w := sc.Warnings(); strings.Join(w, "|") != strings.Join(want, "|") {
		t.Errorf("warnings %q, want %q", w, want)
	}
}

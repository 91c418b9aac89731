package server_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hotdata-dev/hotdata/internal/hdtest"
	"github.com/hotdata-dev/hotdata/internal/testenv"
)

// registerMariaDB registers database db of a private MariaDB as
// connection name of a child process.
func registerMariaDB(t *testing.T, c *child, name string, m *testenv.PrivateMariaDB, db string) {
	t.Helper()
	if status, out := c.api("POST", "/v1/connections", map[string]any{
		"name": name, "source_type": "mysql",
		"config": map[string]any{"host": "127.0.0.1", "port": m.Port(), "user": "root", "database": db, "tls": "disable"},
	}); status != http.StatusCreated {
		t.Fatalf("connection %s: %d %v", name, status, out)
	}
}

// sameAsFullRead waits until Hotdata's streamed table equals a full read
// of the same upstream table made now through another connection (ref),
// row for row and value for value as PostgreSQL's text, or fails after a
// deadline showing the first difference. A full read is what the
// connector's conformance suite checks against the upstream's values.
func sameAsFullRead(t *testing.T, c *child, hdURL, schema, table, orderBy string) {
	t.Helper()
	// The catalog first (columns added or dropped), then the data.
	if status, out := c.api("POST", "/v1/refresh", map[string]any{"connection_id": "ref"}); status != http.StatusOK {
		t.Fatalf("refresh ref: %d %v", status, out)
	}
	if status, out := c.api("POST", "/v1/refresh", map[string]any{"connection_id": "ref", "schema_name": schema, "table_name": table, "data": true, "include_uncached": true}); status != http.StatusOK {
		t.Fatalf("refresh ref.%s.%s: %d %v", schema, table, status, out)
	}
	ctx := context.Background()
	hd, err := pgx.Connect(ctx, hdURL)
	if err != nil {
		t.Fatal(err)
	}
	defer hd.Close(ctx)
	want, err := tableText(ctx, hd, fmt.Sprintf("SELECT * FROM ref.%s.%s ORDER BY %s", schema, table, orderBy))
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		got, err := tableText(ctx, hd, fmt.Sprintf("SELECT * FROM src.%s.%s ORDER BY %s", schema, table, orderBy))
		if err == nil && strings.Join(got, "\n") == strings.Join(want, "\n") {
			return
		}
		if time.Now().After(deadline) {
			if err != nil {
				t.Fatalf("streamed %s.%s: %v", schema, table, err)
			}
			i, g, w := firstDifference(got, want)
			t.Fatalf("streamed %s.%s differs from a full read at row %d of %d/%d:\n got %.400s\nwant %.400s", schema, table, i, len(got), len(want), g, w)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// cdcTables waits until GET /v1/cdc shows the stream running with every
// table in state (streaming or failed), and returns the tables' errors.
func cdcTables(t *testing.T, c *child, n int, state string) map[string]string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		status, out := c.api("GET", "/v1/cdc", nil)
		streams, _ := out["streams"].([]any)
		if status == http.StatusOK && len(streams) == 1 {
			s := streams[0].(map[string]any)
			tables, _ := s["tables"].([]any)
			errs := map[string]string{}
			in := 0
			for _, tb := range tables {
				m := tb.(map[string]any)
				if m["state"] == state {
					in++
				}
				e, _ := m["error"].(string)
				errs[m["table"].(string)] = e
			}
			if s["state"] == "running" && len(tables) == n && in == n {
				return errs
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("GET /v1/cdc: want %d tables %s: %d %v", n, state, status, out)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestCDCMariaDB: tables under the cdc policy follow a MariaDB through
// the binary log — every column type, inserts, updates (of a key too),
// deletes, rolled-back and multi-table transactions, TRUNCATE, many
// small batches, a SIGKILL of Hotdata with changes made while it is
// down (resumed where it left off, not read again), an upstream
// restart, a column added, a table dropped and made again, the log
// purged while Hotdata is down; after each the streamed table equals a
// full read of the upstream table, value for value.
func TestCDCMariaDB(t *testing.T) {
	m := testenv.StartPrivateMariaDB(t)
	dsn := m.DSN("shop")
	t.Setenv("HOTDATA_CDC_ADVANCE_EVERY", "200ms") // the children's
	testenv.MariaDBExec(t, m.DSN(""), "CREATE DATABASE shop")
	testenv.MariaDBExec(t, dsn,
		`CREATE TABLE items (id int PRIMARY KEY, v varchar(50), n decimal(10,2), f float, d double, ts timestamp(6) NULL, dt datetime(3), dd date,
			tm time(2), y year, b tinyint(1), u int unsigned, bu bigint unsigned, e enum('a','b''q','c'), s set('x','y','z'), bits bit(5), flag bit(1),
			bin binary(4), vb varbinary(20), txt text, j json, lat varchar(20) CHARACTER SET latin1, ch char(5), sm smallint unsigned, mi mediumint,
			ti tinyint unsigned, wide decimal(50,10))`,
		`INSERT INTO items (id, v, n, f, d, ts, dt, dd, tm, y, b, u, bu, e, s, bits, flag, bin, vb, txt, j, lat, ch, sm, mi, ti, wide)
			SELECT seq, CONCAT('v', seq), seq * 1.25, seq / 3, seq / 7, TIMESTAMP('2026-01-01 00:00:00') + INTERVAL seq MINUTE, '2020-02-29 12:00:00.125',
			DATE('2020-02-29') + INTERVAL seq DAY, '12:34:56.78', 2000 + seq % 100, seq % 2, 4000000000 - seq, 18446744073709551615 - seq,
			ELT(1 + seq % 3, 'a', 'b''q', 'c'), 'x,z', b'10101', b'1', 'ab', x'00ff', REPEAT('t', seq % 50), JSON_OBJECT('k', seq),
			CONVERT(x'636166e9' USING latin1), 'ch', 65535, -8388608, 255, 12345678901234567890.0123456789 FROM seq_1_to_300`,
		`CREATE TABLE pairs (a int, b varchar(10), v int NOT NULL, PRIMARY KEY (a, b))`,
		`INSERT INTO pairs SELECT seq % 10, CONCAT('k', seq), seq FROM seq_1_to_100`,
		`CREATE TABLE old_engine (id int PRIMARY KEY, v int) ENGINE=MyISAM`)

	dir := t.TempDir()
	httpAddr, pgAddr := freePort(t), freePort(t)
	c := startChild(t, dir, httpAddr, pgAddr)
	defer func() {
		if t.Failed() {
			t.Logf("child log:\n%s", c.stderr.String())
		}
	}()
	registerMariaDB(t, c, "src", m, "shop")
	registerMariaDB(t, c, "ref", m, "shop")
	for _, tbl := range []string{"items", "pairs", "old_engine"} {
		if status, out := c.api("PUT", "/v1/connections/src/tables/shop/"+tbl+"/policy", map[string]any{"refresh": "cdc"}); status != http.StatusOK {
			t.Fatalf("policy cdc on %s: %d %v", tbl, status, out)
		}
	}
	hdURL := fmt.Sprintf("postgres://admin:%s@%s/default?sslmode=disable", testToken, pgAddr)
	check := func(step string) {
		t.Helper()
		t.Logf("%s step: %s", time.Now().Format("15:04:05.000"), step)
		sameAsFullRead(t, c, hdURL, "shop", "items", "id")
		sameAsFullRead(t, c, hdURL, "shop", "pairs", "a, b")
	}
	// The MyISAM table fails alone, saying why; the others stream.
	deadline := time.Now().Add(30 * time.Second)
	for {
		status, out := c.api("GET", "/v1/cdc", nil)
		streams, _ := out["streams"].([]any)
		ok := false
		if status == http.StatusOK && len(streams) == 1 {
			s := streams[0].(map[string]any)
			states := map[string]string{}
			for _, tb := range s["tables"].([]any) {
				m := tb.(map[string]any)
				states[m["table"].(string)] = fmt.Sprint(m["state"], " ", m["error"])
			}
			ok = s["state"] == "running" && strings.HasPrefix(states["items"], "streaming") && strings.HasPrefix(states["pairs"], "streaming") &&
				strings.Contains(states["old_engine"], "failed") && strings.Contains(states["old_engine"], "MyISAM engine")
		}
		if ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("GET /v1/cdc: %d %v", status, out)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if status, out := c.api("PUT", "/v1/connections/src/tables/shop/old_engine/policy", map[string]any{"refresh": "manual"}); status != http.StatusOK {
		t.Fatalf("policy manual on old_engine: %d %v", status, out)
	}
	check("first read")

	testenv.MariaDBExec(t, dsn,
		`INSERT INTO items (id, v, n, f, d, ts, bu, e, s, bits, flag, bin, j, lat, ch, wide) VALUES
			(1001, 'new', -1.5, -0.25, 1e300, '1970-01-01 00:00:01', 0, 'c', '', b'0', b'0', 'z', '[1, 2.5, null]', CONVERT(x'808187ff' USING latin1), 'x  ', -0.0000000001),
			(1002, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`,
		`UPDATE items SET v = 'changed', n = n + 1, tm = '23:59:59.99', y = 2155, u = 0 WHERE id = 10`,
		`UPDATE items SET txt = REPEAT('long', 10000), vb = NULL, e = 'b''q', s = 'x,y,z' WHERE id = 20`,
		`DELETE FROM items WHERE id IN (5, 6, 7)`,
		`UPDATE items SET id = 5000 WHERE id = 8`,
		`BEGIN; INSERT INTO items (id) VALUES (99999); DELETE FROM items WHERE id < 100; ROLLBACK`,
		`BEGIN; UPDATE pairs SET v = -v WHERE a = 1; DELETE FROM pairs WHERE a = 2; INSERT INTO pairs VALUES (42, 'x', 42); UPDATE items SET v = 'tx' WHERE id = 50; COMMIT`,
		`INSERT INTO pairs VALUES (1, 'k1', 0) ON DUPLICATE KEY UPDATE v = 777`,
		`REPLACE INTO pairs VALUES (3, 'k3', 333)`)
	check("changes")

	testenv.MariaDBExec(t, dsn, `TRUNCATE TABLE pairs`, `INSERT INTO pairs VALUES (1, 'after', 1)`)
	check("truncate")

	// Many small transactions, each its own batch (compacted behind).
	db, err := sql.Open("mysql", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for i := 0; i < 40; i++ {
		if _, err := db.Exec(`UPDATE pairs SET v = v + 1 WHERE a = 1`); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(`INSERT INTO pairs VALUES (100, ?, ?)`, fmt.Sprintf("n%d", i), i); err != nil {
			t.Fatal(err)
		}
		time.Sleep(120 * time.Millisecond)
	}
	check("many batches")

	// A large transaction: 50,000 rows in one.
	testenv.MariaDBExec(t, dsn, `INSERT INTO pairs SELECT 200, CONCAT('big', seq), seq FROM seq_1_to_50000`)
	check("large transaction")

	// SIGKILL, changes while Hotdata is down, start again: each table
	// resumes at its snapshot's position, without a new first read.
	c.cmd.Process.Signal(syscall.SIGKILL)
	c.cmd.Wait()
	testenv.MariaDBExec(t, dsn,
		`UPDATE items SET v = 'while down' WHERE id % 3 = 0`,
		`DELETE FROM items WHERE id % 7 = 0`,
		`INSERT INTO items (id, v) SELECT seq, 'later' FROM seq_2001_to_2500`)
	c = startChild(t, dir, httpAddr, pgAddr)
	check("restart after SIGKILL")
	if strings.Contains(c.stderr.String(), "reading the table again") || strings.Contains(c.stderr.String(), "cannot resume") {
		t.Fatalf("a table was read again after a restart instead of resumed:\n%s", c.stderr.String())
	}

	// The upstream restarts under a running stream.
	m.Stop()
	m.Start()
	testenv.MariaDBExec(t, dsn, `UPDATE items SET n = 7.77 WHERE id = 2001`)
	check("upstream restart")

	// A column added, one dropped: the table is read again with its new
	// columns.
	testenv.MariaDBExec(t, dsn, `ALTER TABLE items ADD COLUMN extra int DEFAULT 3`, `UPDATE items SET extra = 4 WHERE id = 1`)
	check("column added")
	// The table's new first read says why it was made.
	found := false
	_, jobs := c.api("GET", "/v1/jobs?limit=100", nil)
	for _, j := range jobs["jobs"].([]any) {
		job := j.(map[string]any)
		target, _ := job["target"].(map[string]any)
		if target["table"] == "items" && strings.Contains(fmt.Sprint(job["warnings"]), "columns changed upstream") {
			found = true
		}
	}
	if !found {
		t.Fatalf("no sync job of items says it was read again because its columns changed: %v", jobs)
	}
	testenv.MariaDBExec(t, dsn, `ALTER TABLE items DROP COLUMN lat`, `UPDATE items SET v = 'no lat' WHERE id = 2`)
	check("column dropped")

	// A table dropped and made again.
	// A table dropped and made again, a moment later: Hotdata saw it gone
	// in between, and finds it again.
	testenv.MariaDBExec(t, dsn, `DROP TABLE pairs`)
	time.Sleep(1500 * time.Millisecond)
	testenv.MariaDBExec(t, dsn, `CREATE TABLE pairs (a int, b varchar(10), v int NOT NULL, PRIMARY KEY (a, b))`,
		`INSERT INTO pairs VALUES (1, 'again', 1), (2, 'again', 2)`)
	check("table made again")
	testenv.MariaDBExec(t, dsn, `UPDATE pairs SET v = 20 WHERE a = 2`)
	check("table made again, streaming")

	// An idle table's position moves on with the stream's: a table that
	// did not change while the log was purged past its last change
	// resumes all the same.
	testenv.MariaDBExec(t, dsn, `UPDATE items SET v = 'before flush' WHERE id = 1`, `FLUSH BINARY LOGS`, `UPDATE items SET v = 'after flush' WHERE id = 1`)
	check("idle table, log flushed")
	time.Sleep(time.Second) // past HOTDATA_CDC_ADVANCE_EVERY, with a batch or more
	c.cmd.Process.Signal(syscall.SIGKILL)
	c.cmd.Wait()
	purgeAll := func() {
		t.Helper()
		// The killed process's dump thread may linger until the server
		// writes to it, and PURGE keeps (with only a warning) a file in
		// use: it is killed.
		rows, err := db.Query(`SELECT ID FROM information_schema.PROCESSLIST WHERE COMMAND LIKE 'Binlog Dump%'`)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, id)
		}
		rows.Close()
		for _, id := range ids {
			_, _ = db.Exec(fmt.Sprintf("KILL %d", id)) // gone meanwhile: fine
		}
		var file string
		var pos int64
		var skip1, skip2 sql.NullString
		if err := db.QueryRow(`SHOW MASTER STATUS`).Scan(&file, &pos, &skip1, &skip2); err != nil {
			t.Fatal(err)
		}
		// A file still needed for crash recovery stays until InnoDB's
		// binlog checkpoint passes it.
		deadline := time.Now().Add(30 * time.Second)
		for {
			testenv.MariaDBExec(t, dsn, `FLUSH ENGINE LOGS`, `PURGE BINARY LOGS TO '`+file+`'`)
			var first string
			var size int64
			if err := db.QueryRow(`SHOW BINARY LOGS`).Scan(&first, &size); err != nil {
				t.Fatal(err)
			}
			if first == file {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("the binary log was not purged up to %s: first file %s", file, first)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	purgeAll()
	c = startChild(t, dir, httpAddr, pgAddr)
	check("idle table resumed past a purge")
	if strings.Contains(c.stderr.String(), "cannot resume") {
		t.Fatalf("a table was read again although its position moved on with the stream:\n%s", c.stderr.String())
	}

	// The log purged while Hotdata is down: the position it kept is gone
	// upstream, so the tables are read again (never resumed with a gap).
	c.cmd.Process.Signal(syscall.SIGKILL)
	c.cmd.Wait()
	testenv.MariaDBExec(t, dsn, `UPDATE items SET v = 'purged gap' WHERE id < 50`, `FLUSH BINARY LOGS`)
	purgeAll()
	c = startChild(t, dir, httpAddr, pgAddr)
	check("binary log purged")
	if !strings.Contains(c.stderr.String(), "cannot resume") {
		t.Fatalf("the purged position was not noticed:\n%s", c.stderr.String())
	}
	testenv.MariaDBExec(t, dsn, `UPDATE items SET v = 'after purge' WHERE id < 10`)
	check("after purge, streaming")

	// Once quiet, a streamed table's snapshot (delta files) gets a native
	// copy of its merged rows, made from the previous copy where there
	// is one, and reads the same.
	func() {
		ctx := context.Background()
		hd, err := pgx.Connect(ctx, fmt.Sprintf("postgres://admin:%s@%s/default?sslmode=disable", testToken, pgAddr))
		if err != nil {
			t.Fatal(err)
		}
		defer hd.Close(ctx)
		deadline := time.Now().Add(60 * time.Second)
		for {
			plan, err := tableText(ctx, hd, "EXPLAIN SELECT count(*) FROM src.shop.items")
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(strings.Join(plan, "\n"), "native)") {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("no native copy of a quiet streamed table: %v", plan)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}()
	check("native copy of the merged rows")
	testenv.MariaDBExec(t, dsn, `UPDATE items SET v = 'after the copy' WHERE id < 5`, `DELETE FROM items WHERE id = 9`)
	check("changes after the native copy")

	// The stream's state and lag.
	cdcTables(t, c, 2, "streaming")
	status, out := c.api("GET", "/v1/cdc", nil)
	s := out["streams"].([]any)[0].(map[string]any)
	if status != http.StatusOK || s["lag_bytes"] == nil || !strings.Contains(fmt.Sprint(s["received_position"]), "binlog.") {
		t.Fatalf("GET /v1/cdc: %d %v", status, s)
	}

	// Leaving the policy stops the stream.
	for _, tbl := range []string{"items", "pairs"} {
		if status, out := c.api("PUT", "/v1/connections/src/tables/shop/"+tbl+"/policy", map[string]any{"refresh": "manual"}); status != http.StatusOK {
			t.Fatalf("policy manual on %s: %d %v", tbl, status, out)
		}
	}
	deadline = time.Now().Add(30 * time.Second)
	for {
		_, out := c.api("GET", "/v1/cdc", nil)
		if streams, _ := out["streams"].([]any); len(streams) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the stream still runs after its tables left the cdc policy: %v", out)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestCDCMariaDBRefusals: a MariaDB without a binary log shows a failed
// stream saying what to change, and its tables keep serving.
func TestCDCMariaDBRefusals(t *testing.T) {
	h := hdtest.Start(t)
	db := registerMySQL(t, h, "my", `CREATE TABLE keyed (id int PRIMARY KEY, v text)`, `INSERT INTO keyed VALUES (1, 'a')`)
	var logBin string
	func() {
		d, err := sql.Open("mysql", testenv.MySQL(t))
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		if err := d.QueryRow(`SELECT @@log_bin`).Scan(&logBin); err != nil {
			t.Fatal(err)
		}
	}()
	if logBin != "0" {
		t.Fatalf("the shared MariaDB has its binary log on (log_bin %s): this test needs one without", logBin)
	}
	conn, err := pgx.Connect(context.Background(), h.PGURL(testToken, "default", "disable"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	read := func() {
		t.Helper()
		var v string
		if err := conn.QueryRow(context.Background(), fmt.Sprintf("SELECT v FROM my.%s.keyed WHERE id = 1", db)).Scan(&v); err != nil || v != "a" {
			t.Fatalf("the table does not serve: %q, %v", v, err)
		}
	}
	read() // cached before the policy changes
	h.API("PUT", "/v1/connections/my/tables/"+db+"/keyed/policy", map[string]any{"refresh": "cdc"}, http.StatusOK)
	deadline := time.Now().Add(30 * time.Second)
	for {
		out := h.API("GET", "/v1/cdc", nil, http.StatusOK)
		streams, _ := out["streams"].([]any)
		if len(streams) == 1 {
			s := streams[0].(map[string]any)
			if s["state"] == "failed" && strings.Contains(fmt.Sprint(s["error"]), "binary log is off") {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("GET /v1/cdc: %v", out)
		}
		time.Sleep(50 * time.Millisecond)
	}
	read() // its snapshot still serves
}

package server_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hotdata-dev/hotdata/cache"
	"github.com/hotdata-dev/hotdata/internal/hdtest"
	"github.com/hotdata-dev/hotdata/internal/testenv"
)

// cdcUpstream is a private PostgreSQL with logical replication on.
func cdcUpstream(t *testing.T) *testenv.PrivatePostgres {
	return testenv.StartPrivatePostgres(t, "-c", "wal_level=logical", "-c", "max_replication_slots=10", "-c", "max_wal_senders=10")
}

// registerChild registers db as connection name of a child process.
func registerChild(t *testing.T, c *child, name, dbURL string) {
	t.Helper()
	u, _ := url.Parse(dbURL)
	port, _ := strconv.Atoi(u.Port())
	if status, out := c.api("POST", "/v1/secrets", map[string]any{"name": name + "_pw", "value": "unused-with-trust-auth"}); status != http.StatusCreated {
		t.Fatalf("secret: %d %v", status, out)
	}
	if status, out := c.api("POST", "/v1/connections", map[string]any{
		"name": name, "source_type": "postgres", "secret_name": name + "_pw",
		"config": map[string]any{"host": u.Hostname(), "port": port, "user": u.User.Username(), "database": u.Path[1:], "sslmode": "disable"},
	}); status != http.StatusCreated {
		t.Fatalf("connection: %d %v", status, out)
	}
}

// tableText reads a query's rows as PostgreSQL's text output, one line
// per row.
func tableText(ctx context.Context, conn *pgx.Conn, q string) ([]string, error) {
	rows, err := conn.Query(ctx, q, pgx.QueryExecModeSimpleProtocol)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var cells []string
		for _, v := range rows.RawValues() {
			if v == nil {
				cells = append(cells, "NULL")
			} else {
				cells = append(cells, string(v))
			}
		}
		out = append(out, strings.Join(cells, "|"))
	}
	return out, rows.Err()
}

// sameRows waits until Hotdata's cached table equals the upstream's, row
// for row and value for value, or fails after a generous deadline,
// showing the first difference.
func sameRows(t *testing.T, hdURL, upURL, hdTable, upTable, orderBy string) {
	t.Helper()
	ctx := context.Background()
	up, err := pgx.Connect(ctx, upURL)
	if err != nil {
		t.Fatal(err)
	}
	defer up.Close(ctx)
	want, err := tableText(ctx, up, "SELECT * FROM "+upTable+" ORDER BY "+orderBy)
	if err != nil {
		t.Fatal(err)
	}
	hd, err := pgx.Connect(ctx, hdURL)
	if err != nil {
		t.Fatal(err)
	}
	defer hd.Close(ctx)
	deadline := time.Now().Add(30 * time.Second)
	for {
		got, err := tableText(ctx, hd, "SELECT * FROM "+hdTable+" ORDER BY "+orderBy)
		if err == nil && strings.Join(got, "\n") == strings.Join(want, "\n") {
			return
		}
		if time.Now().After(deadline) {
			if err != nil {
				t.Fatalf("cached %s: %v", hdTable, err)
			}
			i, g, w := firstDifference(got, want)
			t.Fatalf("cached %s differs from the upstream at row %d of %d/%d:\n got %.300s\nwant %.300s", hdTable, i, len(got), len(want), g, w)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// firstDifference is the first row where got and want differ ("" past
// the end of one).
func firstDifference(got, want []string) (int, string, string) {
	for i := 0; i < max(len(got), len(want)); i++ {
		var g, w string
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if g != w {
			return i, g, w
		}
	}
	return -1, "", ""
}

// slots lists the upstream's replication slots.
func slots(t *testing.T, upURL string) []string {
	t.Helper()
	ctx := context.Background()
	c, err := pgx.Connect(ctx, upURL)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	rows, _ := c.Query(ctx, "SELECT slot_name FROM pg_replication_slots ORDER BY 1")
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return names
}

// TestCDCPostgres: a table under the cdc policy follows its upstream
// through inserts, updates (also of a key, and ones that leave a TOASTed
// value alone), deletes, rolled-back transactions, TRUNCATE, a SIGKILL of
// Hotdata with changes made while it is down, an upstream restart and a
// column added; after each the cached table equals the upstream row for
// row. Leaving the policy drops the slot and publication.
func TestCDCPostgres(t *testing.T) {
	up := cdcUpstream(t)
	upURL := up.URL("postgres")
	big := `(SELECT string_agg(md5(g::text || i::text), '') FROM generate_series(1, 200) i)` // ~6 KB: TOASTed
	testenv.PostgresExec(t, upURL,
		`CREATE TABLE items (id int PRIMARY KEY, v text, n numeric(10,2), u numeric, big text, ts timestamptz, tags text[])`,
		`INSERT INTO items SELECT g, 'v' || g, g * 1.25, g / 7.0, CASE WHEN g % 10 = 0 THEN `+big+` END, '2026-01-01'::timestamptz + g * interval '1 minute', ARRAY['a' || g] FROM generate_series(1, 1000) g`,
		`CREATE TABLE pairs (a int, b text, v int NOT NULL, PRIMARY KEY (a, b))`,
		`CREATE TABLE kinds (id bigint PRIMARY KEY, u uuid, j jsonb, iv interval, d date, b bytea, ok bool, f float8, r real, t time)`,
		`INSERT INTO kinds SELECT g, md5(g::text)::uuid, jsonb_build_object('g', g, 'a', ARRAY[g, -g]), make_interval(0, g, 0, g, g, 0, g / 3.0), DATE '2020-02-29' + g, decode(md5(g::text), 'hex'), g % 2 = 0, g / 3.0, g / 7.0, TIME '12:00' + g * interval '1 second' FROM generate_series(1, 50) g`,
		`INSERT INTO pairs SELECT g % 10, 'k' || g, g FROM generate_series(1, 100) g`)

	dir := t.TempDir()
	httpAddr, pgAddr := freePort(t), freePort(t)
	c := startChild(t, dir, httpAddr, pgAddr)
	defer func() {
		if t.Failed() {
			t.Logf("child log:\n%s", c.stderr.String())
		}
	}()
	registerChild(t, c, "src", upURL)
	for _, tbl := range []string{"items", "pairs", "kinds"} {
		if status, out := c.api("PUT", "/v1/connections/src/tables/public/"+tbl+"/policy", map[string]any{"refresh": "cdc"}); status != http.StatusOK {
			t.Fatalf("policy cdc on %s: %d %v", tbl, status, out)
		}
	}
	hdURL := fmt.Sprintf("postgres://admin:%s@%s/default?sslmode=disable", testToken, pgAddr)
	check := func(step string) {
		t.Helper()
		t.Logf("step: %s", step)
		sameRows(t, hdURL, upURL, "src.public.items", "items", "id")
		sameRows(t, hdURL, upURL, "src.public.pairs", "pairs", "a, b")
		sameRows(t, hdURL, upURL, "src.public.kinds", "kinds", "id")
	}
	check("first read")
	if got := slots(t, upURL); len(got) != 1 || !strings.HasPrefix(got[0], "hotdata_") {
		t.Fatalf("slots upstream: %v, want one hotdata_ slot", got)
	}
	// The stream's state, over REST and SHOW (the tables stream once the
	// stream has taken in their first reads).
	deadline := time.Now().Add(30 * time.Second)
	for {
		status, out := c.api("GET", "/v1/cdc", nil)
		streams, _ := out["streams"].([]any)
		if status != http.StatusOK || len(streams) != 1 {
			t.Fatalf("GET /v1/cdc: %d %v", status, out)
		}
		stream := streams[0].(map[string]any)
		if stream["state"] != "running" || stream["connection"] != "src" || len(stream["tables"].([]any)) != 3 || stream["lag_bytes"] == nil {
			t.Fatalf("GET /v1/cdc: %v", stream)
		}
		streaming := 0
		for _, tb := range stream["tables"].([]any) {
			if tb.(map[string]any)["state"] == "streaming" {
				streaming++
			}
		}
		if streaming == 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("GET /v1/cdc: tables not streaming: %v", stream)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if rows, err := func() ([]string, error) {
		hd, err := pgx.Connect(context.Background(), hdURL)
		if err != nil {
			return nil, err
		}
		defer hd.Close(context.Background())
		return tableText(context.Background(), hd, "SHOW hotdata.cdc")
	}(); err != nil || len(rows) != 3 || !strings.HasPrefix(rows[0], "src.public.items: streaming; stream running, lag ") {
		t.Fatalf("SHOW hotdata.cdc: %q, %v", rows, err)
	}

	testenv.PostgresExec(t, upURL,
		`INSERT INTO items (id, v, n, u) VALUES (1001, 'new', 1.5, 123456789.123456789012), (1002, NULL, NULL, 'NaN')`,
		`UPDATE items SET v = 'changed' WHERE id = 10`, // big (TOASTed) unchanged
		`UPDATE items SET big = 'small now', v = 'x' WHERE id = 20`,
		`UPDATE items SET n = NULL, u = -0.000 WHERE id BETWEEN 30 AND 40`,
		`DELETE FROM items WHERE id IN (5, 6, 7)`,
		`UPDATE items SET id = 5000 WHERE id = 8`, // a key changes
		`BEGIN; INSERT INTO items (id) VALUES (99999); DELETE FROM items WHERE id < 100; ROLLBACK`,
		`BEGIN; UPDATE pairs SET v = -v WHERE a = 1; DELETE FROM pairs WHERE a = 2; INSERT INTO pairs VALUES (42, 'x', 42); UPDATE items SET v = 'tx' WHERE id = 50; COMMIT`)
	check("changes")
	// The stream in /metrics (reconciled every few seconds).
	deadline = time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get("http://" + httpAddr + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		text := string(body)
		if metricValue(text, `hotdata_cdc_streams{state="running"}`) == 1 && metricValue(text, "hotdata_cdc_changes_total") >= 20 &&
			metricValue(text, "hotdata_cdc_visibility_seconds_count") >= 1 && strings.Contains(text, "hotdata_cdc_lag_bytes_max ") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("cdc metrics:\n%s", grepLines(text, "hotdata_cdc"))
		}
		time.Sleep(200 * time.Millisecond)
	}

	testenv.PostgresExec(t, upURL,
		`UPDATE kinds SET u = NULL, j = '{"changed": [1, 2.5, null]}', iv = '-1 year 2 days -00:00:01.5', b = '\x00ff', ok = NULL, f = 'NaN', r = '-Infinity', t = '23:59:59.999999' WHERE id = 1`,
		`DELETE FROM kinds WHERE id = 2`, `INSERT INTO kinds (id, d) VALUES (9000000000, 'infinity')`)
	check("types")

	// A key changed on a row whose TOASTed value the update left out, and
	// a NaN in a numeric(10,2) the cache holds as decimals: each makes
	// the table be read again (the second with that column as text).
	testenv.PostgresExec(t, upURL, `UPDATE items SET id = 7000 WHERE id = 30`, `UPDATE items SET n = 'NaN' WHERE id = 41`)
	check("read again")
	testenv.PostgresExec(t, upURL, `UPDATE items SET n = 'NaN', v = 'after NaN' WHERE id = 42`)
	check("numeric held as text")

	testenv.PostgresExec(t, upURL, `TRUNCATE pairs`, `INSERT INTO pairs VALUES (1, 'after', 1)`)
	check("truncate")

	// Many small transactions, each its own batch: the delta files are
	// compacted in the background, and the stream goes on on top.
	hd, err := pgx.Connect(context.Background(), hdURL)
	if err != nil {
		t.Fatal(err)
	}
	defer hd.Close(context.Background())
	upc, err := pgx.Connect(context.Background(), upURL)
	if err != nil {
		t.Fatal(err)
	}
	defer upc.Close(context.Background())
	for i := 0; i < 60; i++ {
		if _, err := upc.Exec(context.Background(), `UPDATE pairs SET v = v + 1 WHERE a = 1`); err != nil {
			t.Fatal(err)
		}
		if _, err := upc.Exec(context.Background(), `INSERT INTO pairs VALUES (100, 'n'||$1::text, $1::int)`, strconv.Itoa(i)); err != nil {
			t.Fatal(err)
		}
		time.Sleep(120 * time.Millisecond) // its own batch
	}
	check("many batches")
	pairsDir := func() []string {
		dirs, _ := filepath.Glob(filepath.Join(dir, "workspaces", "*", "tables", "*", "public", "pairs", "*"))
		var newest string
		var newestMod time.Time
		for _, d := range dirs {
			if info, err := os.Stat(d); err == nil && info.ModTime().After(newestMod) {
				newest, newestMod = d, info.ModTime()
			}
		}
		files, _ := filepath.Glob(filepath.Join(newest, "*.parquet"))
		return files
	}
	deadline = time.Now().Add(30 * time.Second)
	for len(pairsDir()) > cache.CompactDeltas+1 {
		if time.Now().After(deadline) {
			t.Fatalf("the newest snapshot of pairs still holds %d files: never compacted", len(pairsDir()))
		}
		time.Sleep(100 * time.Millisecond)
	}
	testenv.PostgresExec(t, upURL, `UPDATE pairs SET v = 0 WHERE a = 100 AND b = 'n0'`, `DELETE FROM pairs WHERE b = 'n1'`)
	check("after compaction")

	// Purging a streamed table's cache has the stream read it again at
	// once (not undone by its next change, not waiting for one).
	if status, out := c.api("DELETE", "/v1/connections/src/tables/public/pairs/cache", nil); status != http.StatusOK || out["tables_purged"] != 1.0 {
		t.Fatalf("purge: %d %v", status, out)
	}
	check("purged")

	// SIGKILL, changes while Hotdata is down, start again.
	c.cmd.Process.Signal(syscall.SIGKILL)
	c.cmd.Wait()
	testenv.PostgresExec(t, upURL,
		`UPDATE items SET v = 'while down' WHERE id % 3 = 0`,
		`DELETE FROM items WHERE id % 7 = 0`,
		`INSERT INTO items (id, v) SELECT g, 'later' FROM generate_series(2001, 2500) g`)
	c = startChild(t, dir, httpAddr, pgAddr)
	check("restart after SIGKILL")

	// The upstream restarts under a running stream.
	up.Stop("fast")
	up.Start()
	testenv.PostgresExec(t, upURL, `UPDATE items SET n = 7.77 WHERE id = 2001`)
	check("upstream restart")

	// The slot dropped underneath (its WAL sender ended first): the
	// stream makes a new one and reads its tables again.
	func() {
		ctx := context.Background()
		conn, err := pgx.Connect(ctx, upURL)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		deadline := time.Now().Add(30 * time.Second)
		for {
			_, err := conn.Exec(ctx, `SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE active_pid IS NOT NULL`)
			if err == nil {
				_, err = conn.Exec(ctx, `SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots`)
			}
			if err == nil {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("drop the slot underneath: %v", err)
			}
			time.Sleep(10 * time.Millisecond)
		}
		if _, err := conn.Exec(ctx, `UPDATE items SET v = 'slot gone' WHERE id < 20`); err != nil {
			t.Fatal(err)
		}
	}()
	check("slot dropped underneath")

	// A table dropped and made again upstream: out of the publication, it
	// would get no change; it is read again.
	testenv.PostgresExec(t, upURL, `DROP TABLE kinds`, `CREATE TABLE kinds (id bigint PRIMARY KEY, u uuid, j jsonb, iv interval, d date, b bytea, ok bool, f float8, r real, t time)`,
		`INSERT INTO kinds (id, d) VALUES (1, '2026-12-07'), (2, NULL)`)
	check("table made again")
	testenv.PostgresExec(t, upURL, `UPDATE kinds SET ok = true WHERE id = 2`)
	check("table made again, streaming")

	// A column added upstream: the table is read again with it.
	testenv.PostgresExec(t, upURL, `ALTER TABLE items ADD COLUMN extra int DEFAULT 3`, `UPDATE items SET extra = 4 WHERE id = 1`)
	check("column added")

	// Leaving the policy drops the stream upstream.
	for _, tbl := range []string{"items", "pairs", "kinds"} {
		if status, out := c.api("PUT", "/v1/connections/src/tables/public/"+tbl+"/policy", map[string]any{"refresh": "manual"}); status != http.StatusOK {
			t.Fatalf("policy manual on %s: %d %v", tbl, status, out)
		}
	}
	waitNoSlots := func(why string) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for len(slots(t, upURL)) != 0 {
			if time.Now().After(deadline) {
				t.Fatalf("slots left upstream %s: %v", why, slots(t, upURL))
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	waitNoSlots("after the policy went")

	// Back to cdc (read again: the table left the stream), then the
	// connection is deleted: the slot goes with it.
	if status, out := c.api("PUT", "/v1/connections/src/tables/public/pairs/policy", map[string]any{"refresh": "cdc"}); status != http.StatusOK {
		t.Fatalf("policy cdc again: %d %v", status, out)
	}
	testenv.PostgresExec(t, upURL, `INSERT INTO pairs VALUES (7, 'back', 7)`)
	sameRows(t, hdURL, upURL, "src.public.pairs", "pairs", "a, b")
	if got := slots(t, upURL); len(got) != 1 {
		t.Fatalf("slots upstream after cdc again: %v", got)
	}
	if status, out := c.api("DELETE", "/v1/connections/src", nil); status != http.StatusOK {
		t.Fatalf("delete connection: %d %v", status, out)
	}
	waitNoSlots("after the connection was deleted")
}

// TestCDCRefusals: the cdc policy is refused with a reason for a table
// without a primary key and a source without a change stream, and a
// PostgreSQL without wal_level = logical shows a failed stream saying
// what to change, while its tables keep serving.
func TestCDCRefusals(t *testing.T) {
	h := hdtest.Start(t)
	h.ConnectUpstream("pg", `CREATE TABLE keyed (id int PRIMARY KEY, v text)`, `INSERT INTO keyed VALUES (1, 'a')`,
		`CREATE TABLE loose (id int, v text)`)
	status, out := h.APIRaw("PUT", "/v1/connections/pg/tables/public/loose/policy", map[string]any{"refresh": "cdc"}, testToken, h.WSID)
	if code := errCode(out); status != http.StatusUnprocessableEntity || code != "CDC_UNSUPPORTED" || !strings.Contains(fmt.Sprint(out), "primary key") {
		t.Fatalf("cdc on a table without a primary key: %d %v", status, out)
	}
	// The shared test server runs with wal_level = replica.
	h.API("PUT", "/v1/connections/pg/tables/public/keyed/policy", map[string]any{"refresh": "cdc"}, http.StatusOK)
	deadline := time.Now().Add(30 * time.Second)
	for {
		out := h.API("GET", "/v1/cdc", nil, http.StatusOK)
		if streams, _ := out["streams"].([]any); len(streams) == 1 {
			st := streams[0].(map[string]any)
			if st["state"] == "failed" {
				if msg, _ := st["error"].(string); !strings.Contains(msg, "wal_level") {
					t.Fatalf("the failed stream does not say why: %v", st)
				}
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no failed stream for an upstream without logical replication: %v", out)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestCDCRefusesTables: tables whose changes cannot be applied by key
// from the stream are refused with the reason — in GET /v1/cdc and to a
// query that needs their first read — while the stream's other tables
// stream on.
func TestCDCRefusesTables(t *testing.T) {
	up := cdcUpstream(t)
	upURL := up.URL("postgres")
	testenv.PostgresExec(t, upURL,
		`CREATE TABLE ok (id int PRIMARY KEY, v text)`, `INSERT INTO ok VALUES (1, 'a')`,
		`CREATE TABLE parted (id int, d date, PRIMARY KEY (id, d)) PARTITION BY RANGE (d)`,
		`CREATE TABLE parted_2026 PARTITION OF parted FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')`,
		`CREATE TABLE gen (id int PRIMARY KEY, a int, b int GENERATED ALWAYS AS (a * 2) STORED)`,
		`CREATE TABLE noident (id int PRIMARY KEY, v text)`, `ALTER TABLE noident REPLICA IDENTITY NOTHING`)
	h := hdtest.Start(t)
	h.Register("src", upURL)
	for _, tbl := range []string{"ok", "parted", "gen", "noident"} {
		h.API("PUT", "/v1/connections/src/tables/public/"+tbl+"/policy", map[string]any{"refresh": "cdc"}, http.StatusOK)
	}
	want := map[string]string{"parted": "partitioned", "gen": "generated columns", "noident": "REPLICA IDENTITY NOTHING"}
	deadline := time.Now().Add(30 * time.Second)
	for {
		out := h.API("GET", "/v1/cdc", nil, http.StatusOK)
		streams, _ := out["streams"].([]any)
		done := 0
		if len(streams) == 1 {
			for _, tb := range streams[0].(map[string]any)["tables"].([]any) {
				tm := tb.(map[string]any)
				name, _ := tm["table"].(string)
				if reason, ok := want[name]; ok && tm["state"] == "failed" && strings.Contains(fmt.Sprint(tm["error"]), reason) {
					done++
				}
				if name == "ok" && tm["state"] == "streaming" {
					done++
				}
			}
		}
		if done == 4 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("GET /v1/cdc: %v", out)
		}
		time.Sleep(50 * time.Millisecond)
	}
	status, out := h.APIRaw("POST", "/v1/query", map[string]any{"sql": "SELECT * FROM src.public.gen"}, testToken, h.WSID)
	if status < 400 || !strings.Contains(fmt.Sprint(out), "generated columns") {
		t.Fatalf("a query of a refused table: %d %v", status, out)
	}
	if n := countRows(t, h, h.WSID, "SELECT count(*) FROM src.public.ok"); n != 1 {
		t.Fatalf("the stream's other table: %v rows", n)
	}
	// The refused tables were left out of the publication: the
	// upstream's own updates still work on the one without an identity.
	testenv.PostgresExec(t, upURL, `UPDATE noident SET v = 'x'`)
}

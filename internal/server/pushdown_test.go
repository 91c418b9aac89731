package server_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/hotdata-dev/hotdata/internal/hdtest"
	"github.com/hotdata-dev/hotdata/internal/testenv"
)

// Live queries on warehouse tables run on the warehouse when they mean
// the same there as in PostgreSQL. The cache answers with PostgreSQL's
// semantics (the differential corpus proves it against PostgreSQL), so
// each live answer is compared with the cached answer over the same
// rows: values in text and binary, and the columns' type OIDs.

// liveURL is the workspace's pgwire URL with the live route, plus
// extra options (URL-encoded "-c name=value" pairs).
func liveURL(h *hdtest.Harness, extra string) string {
	return h.PGURL(testToken, "default", "disable") + "&options=-c%20hotdata.freshness%3Dlive" + extra
}

// typedAnswer is ask's answer with the result's column type OIDs.
func typedAnswer(t *testing.T, url, q string) string {
	t.Helper()
	a := ask(t, url, q)
	if a.code != "" {
		return a.String()
	}
	c, err := pgconn.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(context.Background())
	r := c.ExecParams(context.Background(), q, nil, nil, nil, nil).Read()
	if r.Err != nil {
		t.Fatalf("%s: %v", q, r.Err)
	}
	var oids []string
	for _, f := range r.FieldDescriptions {
		oids = append(oids, fmt.Sprintf("%s:%d(%d)", f.Name, f.DataTypeOID, f.TypeModifier))
	}
	return fmt.Sprint(oids) + " " + a.String()
}

// samePushedDown checks each statement answers alike live (on the
// warehouse: EXPLAIN says so) and from the cache.
func samePushedDown(t *testing.T, h *hdtest.Harness, warehouse, extra string, stmts ...string) {
	t.Helper()
	cached := cachedURL(h) + extra
	live := liveURL(h, extra)
	for _, q := range stmts {
		plan := ask(t, live, "EXPLAIN "+q)
		if plan.code != "" || len(plan.text) == 0 || !strings.Contains(plan.text[0][0], "pushed down to "+warehouse) {
			t.Errorf("EXPLAIN %s: %v", q, plan)
			continue
		}
		want := typedAnswer(t, cached, q)
		if strings.HasPrefix(want, "0A000") || !strings.HasPrefix(want, "[") {
			t.Fatalf("the cache fails %s: %s", q, want)
		}
		if got := typedAnswer(t, live, q); got != want {
			t.Errorf("%s:\n live   %s\n cached %s", q, got, want)
		}
	}
}

// livePushdownQueries run on both warehouses' items tables (id, name,
// price numeric(12,2), qty, paid, sold_on, sold_at timestamptz, seen_at timestamp).
var livePushdownQueries = []string{
	"SELECT id, name, price, qty, paid, sold_on, sold_at, seen_at FROM wh.items ORDER BY id",
	"SELECT * FROM wh.items WHERE id = 2",
	"SELECT count(*), count(name), count(DISTINCT sold_on), sum(qty), min(name), max(name), min(sold_at), max(sold_on), min(price), max(seen_at) FROM wh.items",
	"SELECT sold_on, count(*) AS n, max(price) AS top FROM wh.items GROUP BY sold_on ORDER BY sold_on NULLS FIRST",
	// Output names: explicit, a function's own; ambiguity is an error.
	"SELECT qty AS id, count(*) FROM wh.items GROUP BY qty ORDER BY count DESC, id",
	// Text compares by code point: Z < a < é.
	"SELECT name FROM wh.items WHERE name >= 'Z' AND name < 'zz' ORDER BY name DESC",
	"SELECT name, id FROM wh.items ORDER BY name, id",
	"SELECT id FROM wh.items WHERE sold_at >= '2024-03-01' AND sold_at < '2024-03-02 12:00' ORDER BY id",
	"SELECT id FROM wh.items WHERE price BETWEEN 1 AND 10.5 OR qty IN (3, 4) ORDER BY id LIMIT 2 OFFSET 1",
	"SELECT id FROM wh.items WHERE price NOT BETWEEN 1 AND 10.5 AND qty NOT IN (3) ORDER BY id",
	"SELECT id FROM wh.items WHERE paid AND sold_on IS NOT NULL ORDER BY 1",
	"SELECT id FROM wh.items WHERE NOT paid OR paid IS NULL ORDER BY id DESC",
	"SELECT DISTINCT paid FROM wh.items ORDER BY paid",
	"SELECT id, seen_at FROM wh.items WHERE seen_at > '2024-01-01 00:00:00' ORDER BY seen_at DESC, id",
	"SELECT qty, count(*) FROM wh.items WHERE name <> 'Z' GROUP BY 1 ORDER BY 2 DESC, 1",
	"SELECT id FROM wh.items WHERE sold_on = DATE '2024-03-01' OR sold_on < '2024-01-02' ORDER BY id",
	"SELECT id FROM wh.items ORDER BY id LIMIT 0",
	"SELECT max(qty) FROM wh.items WHERE id > 100",
	"SELECT count(*) FROM wh.items WHERE id > 100",
	// avg: the warehouse's sum and count, divided as PostgreSQL divides.
	"SELECT avg(qty), avg(id) FROM wh.items WHERE id > 100",
	"SELECT avg(qty), avg(id) FROM wh.items",
	"SELECT paid, avg(qty) AS a, count(*) FROM wh.items GROUP BY paid ORDER BY paid NULLS FIRST",
}

// liveRefusals are refused live on both warehouses (0A000), each with
// the words its message must say.
var liveRefusals = map[string]string{
	"SELECT stddev(qty) FROM wh.items":                               "stddev() does not run live",
	"SELECT avg(qty) FROM wh.items ORDER BY 1":                       "ORDER BY over avg(qty)",
	"SELECT upper(name) FROM wh.items":                               "upper() does not run live",
	"SELECT id FROM wh.items WHERE name LIKE 'a%'":                   "the condition",
	"SELECT id FROM wh.items WHERE id = 1.5":                         "comparing a integer column with 1.5",
	"SELECT i.id FROM wh.items i JOIN wh.items j ON i.id = j.id":     "reads one table",
	"SELECT count(*) FROM wh.items GROUP BY qty HAVING count(*) > 1": "HAVING",
	"SELECT id FROM wh.items UNION SELECT id FROM wh.items":          "UNION",
	"SELECT id, name || 'x' FROM wh.items":                           "the expression",
}

func checkLiveRefusals(t *testing.T, h *hdtest.Harness, warehouse string) {
	t.Helper()
	for q, want := range liveRefusals {
		got := ask(t, liveURL(h, ""), q)
		if got.code != "0A000" || !strings.Contains(got.msg, want) {
			t.Errorf("live %s: %v, want 0A000 saying %q", q, got, want)
		}
	}
	// The session goes on after a refusal, and errors are PostgreSQL's.
	for q, code := range map[string]string{
		"SELECT id FROM wh.items WHERE sold_on = '2024-02-30'":            "22008",
		"SELECT id AS x, name AS x FROM wh.items ORDER BY x":              "42702",
		"SELECT qty FROM wh.items GROUP BY name":                          "42803",
		"SELECT id FROM wh.items i(a, id)":                                "0A000",
		"EXPLAIN ANALYZE SELECT id FROM wh.items":                         "0A000",
		"SELECT id FROM wh.items WHERE price = 1.55::numeric(3,1)":        "0A000",
		"SELECT id FROM wh.items WHERE id = 99999999999999999999":         "0A000",
		"SELECT id FROM wh.items WHERE sold_at < '2024-01-01'::timestamp": "0A000",
	} {
		if got := ask(t, liveURL(h, ""), q); got.code != code {
			t.Errorf("live %s: %v, want %s", q, got, code)
		}
	}
}

// checkLiveCursors runs a live query through DECLARE/FETCH and
// PREPARE/EXECUTE (psycopg2's named cursors, SQL-level prepared
// statements) on both routes.
func checkLiveCursors(t *testing.T, h *hdtest.Harness) {
	t.Helper()
	run := func(url string) string {
		c, err := pgconn.Connect(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close(context.Background())
		res, err := c.Exec(context.Background(), `BEGIN; DECLARE cur CURSOR FOR SELECT id, name FROM wh.items WHERE id > 1 ORDER BY id;
			FETCH 2 FROM cur; FETCH ALL FROM cur; COMMIT;
			PREPARE p(bigint, date) AS SELECT count(*), max(id) FROM wh.items WHERE id >= $1 AND sold_on >= $2; EXECUTE p(2, '2024-01-01')`).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", url, err)
		}
		var out []string
		for _, r := range res {
			out = append(out, fmt.Sprintf("%s %q", r.CommandTag, textCells(r.Rows)))
		}
		return strings.Join(out, "; ")
	}
	want, got := run(cachedURL(h)), run(liveURL(h, ""))
	if got != want || !strings.Contains(want, "FETCH 2") {
		t.Errorf("cursors:\n live   %s\n cached %s", got, want)
	}
}

// checkLiveParams runs parameterised statements over the extended
// protocol (pgx, binary parameters and results) on both routes.
func checkLiveParams(t *testing.T, h *hdtest.Harness) {
	t.Helper()
	ctx := context.Background()
	read := func(url string) string {
		c, err := pgx.Connect(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close(ctx)
		var out []string
		for _, q := range []struct {
			sql  string
			args []any
		}{
			{"SELECT id, name, price, sold_at FROM wh.items WHERE id > $1 AND sold_on <= $2 ORDER BY id LIMIT $3", []any{int64(1), time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), int64(10)}},
			{"SELECT count(*), sum(qty) FROM wh.items WHERE name = $1 OR sold_at > $2", []any{"é", time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)}},
		} {
			rows, err := c.Query(ctx, q.sql, q.args...)
			if err != nil {
				t.Fatalf("%s: %v", q.sql, err)
			}
			for rows.Next() {
				vals, err := rows.Values()
				if err != nil {
					t.Fatal(err)
				}
				out = append(out, fmt.Sprintf("%#v", vals))
			}
			if err := rows.Err(); err != nil {
				t.Fatalf("%s: %v", q.sql, err)
			}
		}
		return strings.Join(out, "\n")
	}
	want, got := read(cachedURL(h)), read(liveURL(h, ""))
	if got != want || want == "" {
		t.Errorf("parameters:\n live   %s\n cached %s", got, want)
	}
}

// TestBigQueryLivePushdown: live queries on a BigQuery table run as
// GoogleSQL on the emulator, answering what the cache answers; what
// GoogleSQL computes otherwise is refused; a live answer sees rows the
// cache has not synced.
func TestBigQueryLivePushdown(t *testing.T) {
	h := hdtest.Start(t)
	e := testenv.StartBigQueryEmulator(t, "acme")
	testenv.BigQueryDataset(t, e, "sales")
	testenv.BigQueryExec(t, e,
		`CREATE TABLE sales.items (id INT64, name STRING, price NUMERIC(12,2), qty INT64, paid BOOL, sold_on DATE, sold_at TIMESTAMP, seen_at DATETIME, big NUMERIC)`,
		`INSERT INTO sales.items (id, name, price, qty, paid, sold_on, sold_at, seen_at, big) VALUES
			(1, 'a', NUMERIC '10.50', 3, TRUE, DATE '2024-03-01', TIMESTAMP '2024-03-01 09:00:00+00', DATETIME '2024-03-01 09:00:00', NUMERIC '1.5'),
			(2, 'Z', NUMERIC '1', 4, FALSE, DATE '2024-01-01', TIMESTAMP '2024-02-29 23:30:00+00', DATETIME '2023-12-31 23:59:59.5', NUMERIC '20'),
			(3, 'é', NUMERIC '-2.25', 3, NULL, NULL, TIMESTAMP '2024-03-02 12:00:00.000001+00', NULL, NUMERIC '-0.000000001'),
			(4, NULL, NULL, NULL, TRUE, DATE '2024-03-01', NULL, DATETIME '2024-06-01 00:00:00', NULL),
			(5, 'a', NUMERIC '99.99', 7, FALSE, DATE '2024-01-01', TIMESTAMP '2024-03-01 18:29:59+00', DATETIME '2024-01-01 00:00:00', NUMERIC '1.50')`)
	h.API("POST", "/v1/connections", map[string]any{"name": "wh", "source_type": "bigquery",
		"config": map[string]any{"project_id": "acme", "datasets": []string{"sales"}, "endpoint": "http://" + e.Addr(), "storage_api": false}},
		http.StatusCreated)
	h.API("PUT", "/v1/connections/wh/tables/sales/items/policy", map[string]any{"refresh": "manual"}, http.StatusOK)

	samePushedDown(t, h, "BigQuery", "", livePushdownQueries...)
	// Constants read in the session's TimeZone, as PostgreSQL reads them.
	samePushedDown(t, h, "BigQuery", "%20-c%20TimeZone%3DAsia/Kolkata",
		"SELECT id, sold_at FROM wh.items WHERE sold_at >= '2024-03-01' AND sold_at < '2024-03-02' ORDER BY sold_at")
	// NUMERIC without parameters: exact decimal text, compared and
	// ordered as numbers; its sum is refused (PostgreSQL's result scale
	// would follow the values' printed scales).
	samePushedDown(t, h, "BigQuery", "",
		"SELECT min(big), max(big), count(big) FROM wh.items",
		"SELECT id, big FROM wh.items WHERE big > 1.5 OR big <= -0.000000001 ORDER BY big DESC, id")
	if got := ask(t, liveURL(h, ""), "SELECT sum(big) FROM wh.items"); got.code != "0A000" || !strings.Contains(got.msg, "NUMERIC with a scale") {
		t.Errorf("sum of a NUMERIC without a scale: %v", got)
	}
	checkLiveRefusals(t, h, "BigQuery")
	checkLiveParams(t, h)
	checkLiveCursors(t, h)
	if got := ask(t, liveURL(h, ""), "EXPLAIN SELECT count(*) FROM wh.items WHERE name = 'a'"); len(got.text) != 2 ||
		!strings.Contains(got.text[1][0], "SELECT COUNT(*) AS c0 FROM `acme`.`sales`.`items` AS `_hd_t` WHERE `_hd_t`.`name` = @p0") {
		t.Errorf("EXPLAIN: %v", got)
	}

	// A live answer is the warehouse's now; the cache's waits for a sync.
	testenv.BigQueryExec(t, e, `INSERT INTO sales.items (id, name) VALUES (6, 'new')`)
	if got := ask(t, liveURL(h, ""), "SELECT count(*), max(id) FROM wh.items"); fmt.Sprint(got.text) != "[[6 6]]" {
		t.Errorf("live after an insert: %v", got)
	}
	if got := ask(t, cachedURL(h), "SELECT count(*) FROM wh.items"); fmt.Sprint(got.text) != "[[5]]" {
		t.Errorf("cached after an insert (manual policy): %v", got)
	}
	// Under hotdata.freshness = auto a warehouse table is read from the
	// cache (each live query costs money).
	auto := h.PGURL(testToken, "default", "disable") + "&options=-c%20hotdata.freshness%3Dauto"
	if got := ask(t, auto, "SELECT count(*) FROM wh.items"); fmt.Sprint(got.text) != "[[5]]" {
		t.Errorf("auto after an insert: %v", got)
	}
}

// TestSnowflakeLivePushdown: the same on the Snowflake emulator.
func TestSnowflakeLivePushdown(t *testing.T) {
	h := hdtest.Start(t)
	e := testenv.StartSnowflakeEmulator(t)
	db, err := sql.Open("snowflake", fmt.Sprintf("hotdata:emulator@%s/TEST_DB/PUBLIC?account=test&protocol=http", e.Addr()))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	exec := func(stmts ...string) {
		t.Helper()
		for _, s := range stmts {
			if _, err := db.ExecContext(context.Background(), s); err != nil {
				t.Fatalf("%s: %v\n%s", s, err, e.Log())
			}
		}
	}
	exec(`CREATE SCHEMA IF NOT EXISTS PUBLIC`,
		`CREATE TABLE PUBLIC.items (id BIGINT, name VARCHAR, price DECIMAL(12,2), qty BIGINT, paid BOOLEAN, sold_on DATE, sold_at TIMESTAMPTZ, seen_at TIMESTAMP)`,
		`INSERT INTO PUBLIC.items VALUES
			(1, 'a', 10.50, 3, TRUE, '2024-03-01', '2024-03-01 09:00:00+00', '2024-03-01 09:00:00'),
			(2, 'Z', 1, 4, FALSE, '2024-01-01', '2024-02-29 23:30:00+00', '2023-12-31 23:59:59.5'),
			(3, 'é', -2.25, 3, NULL, NULL, '2024-03-02 12:00:00.000001+00', NULL),
			(4, NULL, NULL, NULL, TRUE, '2024-03-01', NULL, '2024-06-01 00:00:00'),
			(5, 'a', 99.99, 7, FALSE, '2024-01-01', '2024-03-01 18:29:59+00', '2024-01-01 00:00:00')`)
	h.API("POST", "/v1/secrets", map[string]any{"name": "sf_pw", "value": "emulator"}, http.StatusCreated)
	h.API("POST", "/v1/connections", map[string]any{"name": "wh", "source_type": "snowflake", "secret_name": "sf_pw",
		"config": map[string]any{"account": "test", "user": "hotdata", "database": "TEST_DB", "schemas": []string{"PUBLIC"},
			"host": "127.0.0.1", "port": e.Port, "protocol": "http"}},
		http.StatusCreated)
	h.API("PUT", "/v1/connections/wh/tables/PUBLIC/items/policy", map[string]any{"refresh": "manual"}, http.StatusOK)

	samePushedDown(t, h, "Snowflake", "", livePushdownQueries...)
	samePushedDown(t, h, "Snowflake", "%20-c%20TimeZone%3DAsia/Kolkata",
		"SELECT id, sold_at FROM wh.items WHERE sold_at >= '2024-03-01' AND sold_at < '2024-03-02' ORDER BY sold_at")
	// NUMBER(p,s) sums keep PostgreSQL's scale (the BigQuery emulator
	// drops NUMERIC's parameters, so this is tested here only).
	samePushedDown(t, h, "Snowflake", "",
		"SELECT sum(price), sum(qty), avg(price) FROM wh.items",
		"SELECT sold_on, sum(price) AS total FROM wh.items GROUP BY sold_on ORDER BY total DESC NULLS LAST")
	checkLiveRefusals(t, h, "Snowflake")
	checkLiveParams(t, h)
	checkLiveCursors(t, h)

	exec(`INSERT INTO PUBLIC.items (id, name) VALUES (6, 'new')`)
	if got := ask(t, liveURL(h, ""), "SELECT count(*), max(id) FROM wh.items"); fmt.Sprint(got.text) != "[[6 6]]" {
		t.Errorf("live after an insert: %v", got)
	}
	if got := ask(t, cachedURL(h), "SELECT count(*) FROM wh.items"); fmt.Sprint(got.text) != "[[5]]" {
		t.Errorf("cached after an insert (manual policy): %v", got)
	}
}

package server_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	_ "github.com/snowflakedb/gosnowflake" // the "snowflake" database/sql driver

	"github.com/hotdata-dev/hotdata/internal/hdtest"
	"github.com/hotdata-dev/hotdata/internal/testenv"
)

// customersSQL is the PostgreSQL half of the warehouse joins.
var customersSQL = []string{
	`CREATE TABLE customers (id bigint PRIMARY KEY, name text NOT NULL)`,
	`INSERT INTO customers VALUES (1, 'Ada'), (2, 'Grace'), (3, 'Edsger')`,
}

// joinSQL joins a warehouse's orders (wh.<schema>.orders) with the
// PostgreSQL customers; joinWant is its answer as PostgreSQL prints it.
const joinSQL = `SELECT c.name, count(*) AS orders, sum(o.amount) AS total, max(o.placed) AS last
FROM wh.%s.orders o JOIN shop.public.customers c ON c.id = o.customer_id
GROUP BY c.name ORDER BY c.name`

var joinWant = [][]string{
	{"Ada", "2", "30.25", "2024-03-02 10:00:00+00"},
	{"Grace", "1", "-0.5", "2024-01-01 00:00:00.000001+00"},
}

// TestBigQueryJoinsPostgres: a BigQuery table (on the emulator) and a
// PostgreSQL table join in one statement, from the cache, over pgwire
// (pgx and psql) and REST; the connection shows its types in the
// catalog, and a bad key is refused when the connection is made.
func TestBigQueryJoinsPostgres(t *testing.T) {
	h := hdtest.Start(t)
	h.ConnectUpstream("shop", customersSQL...)
	e := testenv.StartBigQueryEmulator(t, "acme")
	testenv.BigQueryDataset(t, e, "sales")
	testenv.BigQueryExec(t, e,
		`CREATE TABLE sales.orders (id INT64 NOT NULL, customer_id INT64, amount NUMERIC, placed TIMESTAMP, tags ARRAY<STRING>)`,
		`INSERT INTO sales.orders (id, customer_id, amount, placed, tags) VALUES
			(1, 1, NUMERIC '10.25', TIMESTAMP '2024-03-01 09:00:00+00', ['a']),
			(2, 1, NUMERIC '20', TIMESTAMP '2024-03-02 10:00:00+00', []),
			(3, 2, NUMERIC '-0.5', TIMESTAMP '2024-01-01 00:00:00.000001+00', ['b', 'c']),
			(4, 9, NUMERIC '1', NULL, [])`)
	h.API("POST", "/v1/connections", map[string]any{"name": "wh", "source_type": "bigquery",
		"config": map[string]any{"project_id": "acme", "datasets": []string{"sales"}, "endpoint": "http://" + e.Addr(), "storage_api": false}},
		http.StatusCreated)

	_, got := textRows(t, cachedURL(h), fmt.Sprintf(joinSQL, "sales"))
	if fmt.Sprint(got) != fmt.Sprint(joinWant) {
		t.Errorf("join over pgx:\n got %q\nwant %q", got, joinWant)
	}
	// The short name (the first dataset), arrays, and the catalog.
	if _, got := textRows(t, cachedURL(h), "SELECT id, tags, pg_typeof(tags)::text, pg_typeof(amount)::text FROM wh.orders ORDER BY id LIMIT 3"); fmt.Sprint(got) != "[[1 {a} text[] numeric] [2 {} text[] numeric] [3 {b,c} text[] numeric]]" {
		t.Errorf("orders: %q", got)
	}
	_, cols := textRows(t, cachedURL(h), `SELECT column_name || ' ' || data_type FROM information_schema.columns
		WHERE table_schema = 'wh.sales' AND table_name = 'orders' ORDER BY ordinal_position`)
	if fmt.Sprint(cols) != "[[id bigint] [customer_id bigint] [amount numeric] [placed timestamp with time zone] [tags ARRAY]]" {
		t.Errorf("information_schema: %q", cols)
	}

	// psql, the real client.
	psql := tool(t, "psql")
	cmd := exec.Command(psql, cachedURL(h), "-X", "-A", "-t", "-F", "|", "-v", "ON_ERROR_STOP=1", "-c", fmt.Sprintf(joinSQL, `"sales"`))
	cmd.Env = append(os.Environ(), "PGCONNECT_TIMEOUT=10")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("psql: %v\n%s", err, out)
	}
	if want := "Ada|2|30.25|2024-03-02 10:00:00+00\nGrace|1|-0.5|2024-01-01 00:00:00.000001+00\n"; string(out) != want {
		t.Errorf("psql printed:\n%s\nwant:\n%s", out, want)
	}

	// REST.
	res := h.API("POST", "/v1/query", map[string]any{"sql": fmt.Sprintf(joinSQL, "sales")}, http.StatusOK)
	rows, _ := json.Marshal(res["rows"])
	if string(rows) != `[["Ada",2,"30.25","2024-03-02T10:00:00Z"],["Grace",1,"-0.5","2024-01-01T00:00:00.000001Z"]]` {
		t.Errorf("REST rows: %s", rows)
	}

	// A live join of BigQuery with PostgreSQL is refused, saying what
	// to do instead (pushdown_test.go runs live queries on one table).
	refusedLive := ask(t, liveURL(h, ""), fmt.Sprintf(joinSQL, "sales"))
	if refusedLive.code != "0A000" || !strings.Contains(refusedLive.msg, "reads one table") {
		t.Errorf("live join of BigQuery and PostgreSQL: %v", refusedLive)
	}

	// Credentials that are not a service account key never make a
	// connection, and the error does not echo them.
	for _, secret := range []string{`{"type": "external_account", "credential_source": {"file": "/etc/shadow"}}`, "not json at all"} {
		status, body := h.APIRaw("POST", "/v1/connections", map[string]any{"name": "bad", "source_type": "bigquery",
			"config": map[string]any{"project_id": "acme", "credentials_json": secret}}, testToken, h.WSID)
		msg, _ := json.Marshal(body)
		if status != http.StatusUnprocessableEntity || strings.Contains(string(msg), "shadow") || strings.Contains(string(msg), "at all") {
			t.Errorf("credentials %q: %d %s", secret, status, msg)
		}
	}
}

// TestSnowflakeJoinsPostgres: the same join with a Snowflake table (on
// the emulator).
func TestSnowflakeJoinsPostgres(t *testing.T) {
	h := hdtest.Start(t)
	h.ConnectUpstream("shop", customersSQL...)
	e := testenv.StartSnowflakeEmulator(t)
	db, err := sql.Open("snowflake", fmt.Sprintf("hotdata:emulator@%s/TEST_DB/PUBLIC?account=test&protocol=http", e.Addr()))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, s := range []string{
		`CREATE SCHEMA IF NOT EXISTS PUBLIC`,
		`CREATE TABLE PUBLIC.orders (id INTEGER NOT NULL, customer_id BIGINT, amount DECIMAL(12,2), placed TIMESTAMPTZ)`,
		`INSERT INTO PUBLIC.orders VALUES (1, 1, 10.25, '2024-03-01 09:00:00+00'), (2, 1, 20, '2024-03-02 10:00:00+00'),
			(3, 2, -0.5, '2024-01-01 00:00:00.000001+00'), (4, 9, 1, NULL)`,
	} {
		if _, err := db.ExecContext(context.Background(), s); err != nil {
			t.Fatalf("%s: %v\n%s", s, err, e.Log())
		}
	}
	h.API("POST", "/v1/secrets", map[string]any{"name": "sf_pw", "value": "emulator"}, http.StatusCreated)
	h.API("POST", "/v1/connections", map[string]any{"name": "wh", "source_type": "snowflake", "secret_name": "sf_pw",
		"config": map[string]any{"account": "test", "user": "hotdata", "database": "TEST_DB", "schemas": []string{"PUBLIC"},
			"host": "127.0.0.1", "port": e.Port, "protocol": "http"}},
		http.StatusCreated)
	want := [][]string{
		{"Ada", "2", "30.25", "2024-03-02 10:00:00+00"},
		{"Grace", "1", "-0.50", "2024-01-01 00:00:00.000001+00"},
	}
	_, got := textRows(t, cachedURL(h), fmt.Sprintf(strings.ReplaceAll(joinSQL, "wh.%s.orders", `wh."%s".orders`), "PUBLIC"))
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("join:\n got %q\nwant %q", got, want)
	}
}

// TestBigQueryIncremental: an incremental policy on a TIMESTAMP column
// reads only the newer rows, as a parameterised query job whose billed
// bytes the refresh reports; the cache equals the table after each.
func TestBigQueryIncremental(t *testing.T) {
	h := hdtest.Start(t)
	e := testenv.StartBigQueryEmulator(t, "acme")
	testenv.BigQueryDataset(t, e, "app")
	testenv.BigQueryExec(t, e,
		`CREATE TABLE app.events (id INT64, updated_at TIMESTAMP, v STRING)`,
		`INSERT INTO app.events (id, updated_at, v) SELECT n, TIMESTAMP_ADD(TIMESTAMP '2026-01-01 00:00:00+00', INTERVAL n SECOND), CONCAT('v', CAST(n AS STRING))
			FROM UNNEST(GENERATE_ARRAY(1, 1000)) AS n`)
	h.API("POST", "/v1/connections", map[string]any{"name": "wh", "source_type": "bigquery",
		"config": map[string]any{"project_id": "acme", "datasets": []string{"app"}, "endpoint": "http://" + e.Addr(),
			"storage_endpoint": fmt.Sprintf("127.0.0.1:%d", e.GRPCPort)}},
		http.StatusCreated)
	h.API("PUT", "/v1/connections/wh/tables/app/events/policy", map[string]any{"refresh": "manual", "incremental_column": "updated_at"}, http.StatusOK)
	refresh := func() map[string]any {
		t.Helper()
		out := h.API("POST", "/v1/refresh", map[string]any{"connection_id": "wh", "schema_name": "app", "table_name": "events", "data": true, "include_uncached": true}, http.StatusOK)
		if out["ok"] != true {
			t.Fatalf("refresh: %v", out)
		}
		return out
	}
	refresh() // the first sync of an incremental policy reads the table whole
	check := func(n int) {
		t.Helper()
		_, got := textRows(t, cachedURL(h), "SELECT count(*), count(DISTINCT id), max(updated_at), min(v) FROM wh.app.events")
		want := fmt.Sprintf("[[%d %d 2026-01-01 %s+00 v1]]", n, n, time.Date(2026, 1, 1, 0, 0, n, 0, time.UTC).Format("15:04:05"))
		if fmt.Sprint(got) != want {
			t.Fatalf("cache: %q, want %s", got, want)
		}
	}
	check(1000)
	testenv.BigQueryExec(t, e, `INSERT INTO app.events (id, updated_at, v) SELECT n, TIMESTAMP_ADD(TIMESTAMP '2026-01-01 00:00:00+00', INTERVAL n SECOND), CONCAT('v', CAST(n AS STRING))
			FROM UNNEST(GENERATE_ARRAY(1001, 1500)) AS n`)
	out := refresh()
	body, _ := json.Marshal(out)
	if !strings.Contains(string(body), "the source billed") {
		t.Errorf("the incremental refresh does not say what it billed: %s", body)
	}
	check(1500)
}

package server_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/hotdata-dev/hotdata/internal/hdtest"
	"github.com/hotdata-dev/hotdata/internal/server"
	"github.com/hotdata-dev/hotdata/internal/testenv"
)

const testToken = hdtest.Token

// harness adds this file's helpers to hdtest's.
type harness struct {
	*hdtest.Harness
	t        *testing.T
	p        *server.Process
	dataDir  string
	wsID     string
	upstream string
}

func start(t *testing.T) *harness {
	t.Helper()
	h := hdtest.Start(t)
	if h.P.Bootstrapped.Token != testToken || !h.P.Bootstrapped.Created {
		t.Fatalf("bootstrap = %+v", h.P.Bootstrapped)
	}
	saved, err := os.ReadFile(filepath.Join(h.DataDir, "admin-token"))
	if err != nil || strings.TrimSpace(string(saved)) != testToken {
		t.Fatalf("admin-token file = %q, %v", saved, err)
	}
	if info, _ := os.Stat(filepath.Join(h.DataDir, "admin-token")); info.Mode().Perm() != 0o600 {
		t.Fatalf("admin-token mode %v", info.Mode().Perm())
	}
	return &harness{Harness: h, t: t, p: h.P, dataDir: h.DataDir, wsID: h.WSID}
}

func (h *harness) api(method, path string, body any, want int) map[string]any {
	h.t.Helper()
	return h.API(method, path, body, want)
}

func (h *harness) apiRaw(method, path string, body any, token, ws string) (int, map[string]any) {
	h.t.Helper()
	return h.APIRaw(method, path, body, token, ws)
}

func (h *harness) connectUpstream(name string, stmts ...string) map[string]any {
	h.t.Helper()
	out := h.ConnectUpstream(name, stmts...)
	h.upstream = h.Upstream
	return out
}

func (h *harness) pgURL(token, database string) string {
	return h.PGURL(token, database, "disable")
}

func (h *harness) pgx(token, database string) (*pgx.Conn, error) {
	cfg, err := pgx.ParseConfig(h.pgURL(token, database))
	if err != nil {
		return nil, err
	}
	cfg.DefaultQueryExecMode = pgx.QueryExecModeSimpleProtocol
	return pgx.ConnectConfig(context.Background(), cfg)
}

const typesTable = `CREATE TABLE items (
	id int PRIMARY KEY,
	name text,
	price numeric(12,2),
	big bigint,
	ratio double precision,
	created timestamptz,
	active bool
)`

const typesRows = `INSERT INTO items VALUES
	(1, 'widget', 19.99, 9007199254740993, 0.5, '2024-03-01 12:30:45.123456+00', true),
	(2, 'gadget ünïcode', -0.01, -42, -1e-10, '1999-12-31 23:59:59+05:30', false),
	(3, NULL, NULL, NULL, NULL, NULL, NULL),
	(4, '', 1234567890.12, 0, 1e300, '2024-02-29 00:00:00+00', true)`

// TestFirstQueryPath: a cached PostgreSQL table read through the proxy
// with pgx returns exactly the values written upstream.
func TestFirstQueryPath(t *testing.T) {
	h := start(t)
	conn := h.connectUpstream("sales", typesTable, typesRows)
	if conn["tables_discovered"].(float64) != 1 || conn["discovery_status"] != "succeeded" {
		t.Fatalf("connection = %v", conn)
	}

	ctx := context.Background()
	c, err := h.pgx(testToken, "default")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	rows, err := c.Query(ctx, "SELECT id, name, price, big, ratio, created, active FROM sales.public.items ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	type item struct {
		id      int32
		name    pgtype.Text
		price   pgtype.Numeric
		big     pgtype.Int8
		ratio   pgtype.Float8
		created pgtype.Timestamptz
		active  pgtype.Bool
	}
	var got []item
	for rows.Next() {
		var it item
		if err := rows.Scan(&it.id, &it.name, &it.price, &it.big, &it.ratio, &it.created, &it.active); err != nil {
			t.Fatal(err)
		}
		got = append(got, it)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}

	// The same rows, read directly from the upstream.
	up, err := pgx.Connect(ctx, h.upstream)
	if err != nil {
		t.Fatal(err)
	}
	defer up.Close(ctx)
	urows, err := up.Query(ctx, "SELECT id, name, price, big, ratio, created, active FROM items ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	var want []item
	for urows.Next() {
		var it item
		if err := urows.Scan(&it.id, &it.name, &it.price, &it.big, &it.ratio, &it.created, &it.active); err != nil {
			t.Fatal(err)
		}
		want = append(want, it)
	}
	if len(got) != len(want) || len(got) != 4 {
		t.Fatalf("got %d rows, want %d", len(got), len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.id != w.id || g.name != w.name || g.big != w.big || g.ratio != w.ratio || g.active != w.active {
			t.Errorf("row %d: got %+v, want %+v", w.id, g, w)
		}
		if !numericEqual(g.price, w.price) {
			t.Errorf("row %d price: got %v, want %v", w.id, numText(g.price), numText(w.price))
		}
		if g.created.Valid != w.created.Valid || g.created.Valid && !g.created.Time.Equal(w.created.Time) {
			t.Errorf("row %d created: got %v, want %v", w.id, g.created.Time, w.created.Time)
		}
	}
	// Spot-check literal values too, so that a bug shared by both reads
	// cannot hide.
	if got[1].name.String != "gadget ünïcode" || numText(got[1].price) != "-0.01" || got[0].big.Int64 != 9007199254740993 ||
		got[0].created.Time.UTC().Format(time.RFC3339Nano) != "2024-03-01T12:30:45.123456Z" || got[2].name.Valid || got[2].price.Valid {
		t.Errorf("literal values differ: %+v", got[:3])
	}

	// The snapshot is Parquet under the workspace folder, and the table
	// now shows as synced.
	parts, _ := filepath.Glob(filepath.Join(h.dataDir, "workspaces", h.wsID, "tables", "*", "public", "items", "*", "part-*.parquet"))
	if len(parts) != 1 {
		t.Fatalf("snapshot files = %v", parts)
	}
	info := h.api("GET", "/v1/information_schema?table=items", nil, http.StatusOK)
	tables := info["tables"].([]any)
	if len(tables) != 1 || tables[0].(map[string]any)["synced"] != true {
		t.Fatalf("information_schema after sync = %v", info)
	}
	// Upstream changes are not seen until the next sync: it is a cache.
	testenv.PostgresExec(t, h.upstream, "DELETE FROM items")
	var n int64
	if err := c.QueryRow(ctx, "SELECT count(*) FROM sales.items").Scan(&n); err != nil || n != 4 {
		t.Fatalf("count after upstream delete = %d, %v; want the cached 4", n, err)
	}
}

func numericEqual(a, b pgtype.Numeric) bool {
	if a.Valid != b.Valid {
		return false
	}
	return !a.Valid || numText(a) == numText(b)
}

// numText renders a numeric as a normalized decimal string.
func numText(n pgtype.Numeric) string {
	if !n.Valid {
		return "NULL"
	}
	r := new(big.Rat).SetInt(n.Int)
	exp := new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(abs(n.Exp))), nil))
	if n.Exp < 0 {
		r.Quo(r, exp)
	} else {
		r.Mul(r, exp)
	}
	return r.FloatString(2)
}

func abs(v int32) int32 {
	if v < 0 {
		return -v
	}
	return v
}

// TestBadInput: wrong token, unknown workspace, unknown table and
// malformed SQL give the right SQLSTATE, and the session stays usable.
func TestBadInput(t *testing.T) {
	h := start(t)
	h.connectUpstream("sales", typesTable, typesRows)
	ctx := context.Background()

	_, err := h.pgx("hd_wrongtoken", "default")
	if code := sqlstate(err); code != "28P01" {
		t.Fatalf("wrong token: %v (SQLSTATE %s), want 28P01", err, code)
	}
	// A database no workspace of the token has: the login's candidates
	// are the tokens that can open the database, so the password does
	// not match; logging in as the token's prefix finds the token
	// itself, and the database is then unknown.
	_, err = h.pgx(testToken, "no_such_workspace")
	if code := sqlstate(err); code != "28P01" {
		t.Fatalf("unknown workspace: %v (SQLSTATE %s), want 28P01", err, code)
	}
	pgxRefusedAs(t, h.Harness, testToken[:10], testToken, "no_such_workspace", "3D000")

	c, err := h.pgx(testToken, h.wsID) // the workspace id works as database name too
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	_, err = c.Exec(ctx, "SELECT * FROM sales.public.nope")
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "42P01" || !strings.Contains(pe.Message, "sales.public.nope") || pe.Position != 15 {
		t.Fatalf("unknown table: %#v", err)
	}
	_, err = c.Exec(ctx, "SELECT id FROM sales.items WHERE")
	if !errors.As(err, &pe) || pe.Code != "42601" || pe.Position != 33 {
		t.Fatalf("malformed SQL: %#v", err)
	}
	_, err = c.Exec(ctx, "DELETE FROM sales.items")
	if !errors.As(err, &pe) || pe.Code != "25006" {
		t.Fatalf("write: %#v", err)
	}
	var n int64
	if err := c.QueryRow(ctx, "SELECT count(*) FROM sales.items").Scan(&n); err != nil || n != 4 {
		t.Fatalf("session unusable after errors: %d, %v", n, err)
	}
	// A failed statement inside a transaction fails the transaction until ROLLBACK.
	if _, err := c.Exec(ctx, "BEGIN"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Exec(ctx, "SELECT * FROM nope"); err == nil {
		t.Fatal("error expected")
	}
	_, err = c.Exec(ctx, "SELECT 1")
	if !errors.As(err, &pe) || pe.Code != "25P02" {
		t.Fatalf("statement in failed transaction: %v", err)
	}
	if _, err := c.Exec(ctx, "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	if err := c.QueryRow(ctx, "SELECT 41 + 1").Scan(&n); err != nil || n != 42 {
		t.Fatalf("after rollback: %d, %v", n, err)
	}
}

func sqlstate(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

// TestSyncNotices: a table never synced is synced on first use and the
// client sees notices while it waits.
func TestSyncNotices(t *testing.T) {
	h := start(t)
	h.connectUpstream("sales", typesTable, typesRows)
	cfg, _ := pgx.ParseConfig(h.pgURL(testToken, "default"))
	cfg.DefaultQueryExecMode = pgx.QueryExecModeSimpleProtocol
	var notices []string
	cfg.OnNotice = func(_ *pgconn.PgConn, n *pgconn.Notice) { notices = append(notices, n.Message) }
	ctx := context.Background()
	c, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	var n int64
	if err := c.QueryRow(ctx, "SELECT count(*) FROM items").Scan(&n); err != nil || n != 4 {
		t.Fatalf("count = %d, %v", n, err)
	}
	if len(notices) < 2 || !strings.Contains(notices[0], "sales.public.items is not cached yet") || !strings.Contains(notices[len(notices)-1], "synced sales.public.items: 4 rows") {
		t.Fatalf("notices = %q", notices)
	}
	notices = nil
	if err := c.QueryRow(ctx, "SELECT count(*) FROM items").Scan(&n); err != nil || len(notices) != 0 {
		t.Fatalf("second read synced again: %q, %v", notices, err)
	}
}

// TestPsql runs the real psql client through the proxy.
func TestPsql(t *testing.T) {
	psql, err := exec.LookPath("psql")
	if err != nil {
		if testenv.RequireServices() {
			t.Fatal("psql is not installed (scripts/test.sh installs postgresql-client)")
		}
		t.Skip("psql is not installed")
	}
	h := start(t)
	h.connectUpstream("sales", typesTable, typesRows)
	run := func(sql string, extra ...string) (string, error) {
		args := append([]string{h.pgURL(testToken, "default"), "-X", "-v", "ON_ERROR_STOP=1", "-c", sql}, extra...)
		cmd := exec.Command(psql, args...)
		cmd.Env = append(os.Environ(), "PGCONNECT_TIMEOUT=10")
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	out, err := run("SELECT id, name, price, active FROM sales.items ORDER BY id", "-A", "-F", "|", "-q")
	if err != nil {
		t.Fatalf("psql: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var data []string
	for _, l := range lines {
		if !strings.HasPrefix(l, "NOTICE:") {
			data = append(data, l)
		}
	}
	want := []string{"id|name|price|active", "1|widget|19.99|t", "2|gadget ünïcode|-0.01|f", "3|||", "4||1234567890.12|t", "(4 rows)"}
	if strings.Join(data, "\n") != strings.Join(want, "\n") {
		t.Fatalf("psql output:\n%s\nwant:\n%s", strings.Join(data, "\n"), strings.Join(want, "\n"))
	}
	out, err = run("SELECT * FROM nope")
	if err == nil || !strings.Contains(out, `ERROR:  relation "nope" does not exist`) {
		t.Fatalf("psql error output: %v\n%s", err, out)
	}
}

// TestConnectionCreation: an unreachable upstream still makes the
// connection (discovery failed, with the reason); an invalid config is 422;
// bad JSON is 400 naming the field.
func TestConnectionCreation(t *testing.T) {
	h := start(t)
	body := h.api("POST", "/v1/connections", map[string]any{
		"name": "down", "source_type": "postgres",
		"config": map[string]any{"host": "127.0.0.1", "port": 1, "user": "u", "database": "d", "sslmode": "disable", "password": "Pw-9q!inline"},
	}, http.StatusCreated)
	if body["discovery_status"] != "failed" || !strings.Contains(fmt.Sprint(body["discovery_error"]), "connect") {
		t.Fatalf("unreachable upstream: %v", body)
	}
	// The inline password became a secret, never echoed back (a random
	// id may hold "pw": the password is one no id can hold).
	if strings.Contains(fmt.Sprint(body), "Pw-9q!inline") {
		t.Fatalf("password echoed: %v", body)
	}
	cases := []struct {
		body   any
		status int
		code   string
		text   string
	}{
		{map[string]any{"name": "x", "source_type": "postgres", "config": map[string]any{"host": "h"}}, 422, "INVALID_CONFIG", "user is required"},
		{map[string]any{"name": "x", "source_type": "postgres", "config": map[string]any{"host": "h", "user": "u", "database": "d", "colour": 1}}, 422, "INVALID_CONFIG", "colour"},
		{map[string]any{"name": "x", "source_type": "oracle", "config": map[string]any{}}, 400, "INVALID_ARGUMENT", "oracle"},
		{map[string]any{"name": "Bad Name", "source_type": "postgres", "config": map[string]any{}}, 400, "INVALID_ARGUMENT", "Bad Name"},
		{map[string]any{"name": "datasets", "source_type": "postgres", "config": map[string]any{}}, 400, "INVALID_ARGUMENT", "reserved"},
		{map[string]any{"source_type": "postgres", "config": map[string]any{}}, 400, "MISSING_FIELD", `"name"`},
		{map[string]any{"name": "x", "source_type": "postgres", "config": map[string]any{"host": "h", "user": "u", "database": "d"}, "secret_name": "nope"}, 422, "SECRET_NOT_FOUND", "nope"},
		{map[string]any{"name": "x", "source_type": "postgres", "config": map[string]any{}, "extra": true}, 400, "INVALID_JSON", "extra"},
		{map[string]any{"name": 5, "source_type": "postgres"}, 400, "INVALID_JSON", `"name"`},
		{`{"name": "x",`, 400, "INVALID_JSON", "truncated"},
		{map[string]any{"name": "down", "source_type": "postgres", "config": map[string]any{"host": "h", "user": "u", "database": "d"}}, 409, "ALREADY_EXISTS", "down"},
	}
	for i, c := range cases {
		status, out := h.apiRaw("POST", "/v1/connections", c.body, testToken, h.wsID)
		e, _ := out["error"].(map[string]any)
		if status != c.status || e == nil || e["code"] != c.code || !strings.Contains(fmt.Sprint(e["message"]), c.text) {
			t.Errorf("case %d: %d %v, want %d %s mentioning %q", i, status, out, c.status, c.code, c.text)
		}
	}
	// Auth and scoping.
	if status, out := h.apiRaw("GET", "/v1/information_schema", nil, "", h.wsID); status != 401 || out["error"] == nil {
		t.Errorf("no token: %d %v", status, out)
	}
	if status, _ := h.apiRaw("GET", "/v1/information_schema", nil, "hd_bogus", h.wsID); status != 401 {
		t.Errorf("bad token: %d", status)
	}
	if status, _ := h.apiRaw("GET", "/v1/information_schema", nil, testToken, "ws_unknown"); status != 404 {
		t.Errorf("unknown workspace: %d", status)
	}
	if status, _ := h.apiRaw("GET", "/v1/information_schema", nil, testToken, ""); status != 400 {
		t.Errorf("missing workspace header: %d", status)
	}
	// Query strings are read strictly.
	for path, want := range map[string]int{
		"/v1/information_schema?table=ord%":        400, // a bare % must be %25
		"/v1/information_schema?tabel=orders":      400,
		"/v1/information_schema?connection_id=zzz": 404,
		"/v1/information_schema?table=ord%25":      200,
		"/v1/information_schema?limit=0":           400,
	} {
		if status, out := h.apiRaw("GET", path, nil, testToken, h.wsID); status != want {
			t.Errorf("%s: %d %v, want %d", path, status, out, want)
		}
	}
}

// TestRESTQuery: /v1/query answers with the hosted API's fields and
// records the run; SQL errors are 400 with the SQLSTATE's meaning.
func TestRESTQuery(t *testing.T) {
	h := start(t)
	h.connectUpstream("sales", typesTable, typesRows)
	out := h.api("POST", "/v1/query", map[string]any{"sql": "SELECT id, name, price, created FROM sales.items WHERE id <= 3 ORDER BY id"}, http.StatusOK)
	cols, _ := json.Marshal(out["columns"])
	rows, _ := json.Marshal(out["rows"])
	if string(cols) != `["id","name","price","created"]` {
		t.Errorf("columns = %s", cols)
	}
	if string(rows) != `[[1,"widget","19.99","2024-03-01T12:30:45.123456Z"],[2,"gadget ünïcode","-0.01","1999-12-31T18:29:59Z"],[3,null,null,null]]` {
		t.Errorf("rows = %s", rows)
	}
	if out["row_count"].(float64) != 3 || !strings.HasPrefix(out["query_run_id"].(string), "qrun_") || !strings.HasPrefix(out["result_id"].(string), "res_") {
		t.Errorf("response = %v", out)
	}
	res := filepath.Join(h.dataDir, "workspaces", h.wsID, "results", out["result_id"].(string)+".parquet")
	if _, err := os.Stat(res); err != nil {
		t.Errorf("result not stored: %v", err)
	}
	for _, c := range []struct {
		sql    string
		status int
		code   string
	}{
		{"SELECT * FROM nope", 400, "UNDEFINED_TABLE"},
		{"SELEC 1", 400, "SYNTAX_ERROR"},
		{"DROP TABLE sales.items", 400, "READ_ONLY"},
		{"SELECT 1; SELECT 2", 400, "INVALID_ARGUMENT"},
	} {
		status, body := h.apiRaw("POST", "/v1/query", map[string]any{"sql": c.sql}, testToken, h.wsID)
		e, _ := body["error"].(map[string]any)
		if status != c.status || e == nil || e["code"] != c.code {
			t.Errorf("%s: %d %v, want %d %s", c.sql, status, body, c.status, c.code)
		}
	}
}

// TestProxyAndPostgresMetastore: a control plane on a PostgreSQL metastore
// and a proxy process sharing it and the data directory; a connection made
// through the control plane is queryable through the proxy at once.
func TestProxyAndPostgresMetastore(t *testing.T) {
	meta := testenv.Postgres(t)
	dir := t.TempDir()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	key := strings.Repeat("ab", 32)
	ctl := server.Default(server.RoleControl)
	ctl.DataDir, ctl.HTTPAddr, ctl.PGAddr, ctl.MetastoreURL, ctl.SecretKey, ctl.BootstrapToken = dir, "127.0.0.1:0", "", meta, key, testToken
	hdtest.AllowTestUpstreams(&ctl)
	cp, err := server.Start(context.Background(), ctl, log)
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Stop(context.Background())
	if cp.PGAddr() != "" {
		t.Fatal("control plane serves pgwire with HOTDATA_PG_ADDR empty")
	}
	px := server.Default(server.RoleProxy)
	px.DataDir, px.PGAddr, px.MetastoreURL, px.SecretKey = dir, "127.0.0.1:0", meta, key
	px.PgwireQueryRuns = "all" // the default records only slow statements
	hdtest.AllowTestUpstreams(&px)
	pp, err := server.Start(context.Background(), px, log)
	if err != nil {
		t.Fatal(err)
	}
	defer pp.Stop(context.Background())
	if pp.HTTPAddr() != "" || pp.Bootstrapped.Created {
		t.Fatalf("proxy: http %q, bootstrapped %v", pp.HTTPAddr(), pp.Bootstrapped.Created)
	}
	h := &harness{Harness: &hdtest.Harness{T: t, P: cp, DataDir: dir, WSID: cp.Bootstrapped.Workspace.ID}, t: t, p: cp, dataDir: dir, wsID: cp.Bootstrapped.Workspace.ID}
	h.connectUpstream("sales", typesTable, typesRows)

	cfg, _ := pgx.ParseConfig(fmt.Sprintf("postgres://bi:%s@%s/default?sslmode=disable", testToken, pp.PGAddr()))
	cfg.DefaultQueryExecMode = pgx.QueryExecModeSimpleProtocol
	ctx := context.Background()
	c, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	var name string
	if err := c.QueryRow(ctx, "SELECT name FROM sales.items WHERE id = 2").Scan(&name); err != nil || name != "gadget ünïcode" {
		t.Fatalf("through the proxy: %q, %v", name, err)
	}
	// The control plane sees the snapshot the proxy made.
	out := h.api("GET", "/v1/information_schema?table=items", nil, http.StatusOK)
	if out["tables"].([]any)[0].(map[string]any)["synced"] != true {
		t.Fatalf("control plane does not see the proxy's sync: %v", out)
	}
	// pgwire query runs are recorded (in batches) with the session's user.
	deadline := time.Now().Add(5 * time.Second)
	for {
		var n int
		up, _ := pgx.Connect(ctx, meta)
		_ = up.QueryRow(ctx, "SELECT count(*) FROM query_runs WHERE source = 'pgwire' AND user_name = 'bi' AND status = 'succeeded' AND row_count = 1").Scan(&n)
		up.Close(ctx)
		if n == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("pgwire query run not recorded (%d)", n)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestRelativeDataDir: the default data dir is relative (./hotdata-data);
// snapshots under it must mount in the engine.
func TestRelativeDataDir(t *testing.T) {
	t.Chdir(t.TempDir())
	h := hdtest.Start(t, func(c *server.Config) { c.DataDir = "hotdata-data" })
	h.ConnectUpstream("sales", typesTable, typesRows)
	c, err := pgx.Connect(context.Background(), h.PGURL(testToken, "default", "disable"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(context.Background())
	var n int64
	if err := c.QueryRow(context.Background(), "SELECT count(*) FROM sales.items").Scan(&n); err != nil || n != 4 {
		t.Fatalf("count = %d, %v", n, err)
	}
}

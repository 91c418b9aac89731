package main_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/jackc/pgx/v5"

	"github.com/hotdata-dev/hotdata/internal/hdtest"
	"github.com/hotdata-dev/hotdata/internal/testenv"
)

// cliBinary builds cmd/hotdata once per test binary.
var cliBinary = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "hotdata-cli-")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "hotdata")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		return "", errors.New(string(out))
	}
	return bin, nil
})

// cli runs the built binary with its own config file and no HOTDATA_*
// variables but those a call adds.
type cli struct {
	t    *testing.T
	bin  string
	dir  string
	env  []string
	addr string
}

type result struct {
	stdout, stderr string
	code           int
}

func newCLI(t *testing.T, h *hdtest.Harness) *cli {
	t.Helper()
	bin, err := cliBinary()
	if err != nil {
		t.Fatalf("building cmd/hotdata: %v", err)
	}
	dir := t.TempDir()
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "HOTDATA_") && !strings.HasPrefix(kv, "PG") {
			env = append(env, kv)
		}
	}
	env = append(env, "HOTDATA_CONFIG="+filepath.Join(dir, "config.json"), "HOME="+dir)
	return &cli{t: t, bin: bin, dir: dir, env: env, addr: "http://" + h.P.HTTPAddr()}
}

// run runs hotdata with stdin and extra environment ("K=V").
func (c *cli) run(stdin string, env []string, args ...string) result {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, c.bin, args...)
	cmd.Env = append(append([]string{}, c.env...), env...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		c.t.Fatalf("hotdata %v: %v", args, err)
	}
	return result{out.String(), errb.String(), code}
}

// ok runs hotdata and fails the test unless it exits 0.
func (c *cli) ok(args ...string) string {
	c.t.Helper()
	r := c.run("", nil, args...)
	if r.code != 0 {
		c.t.Fatalf("hotdata %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r.stdout
}

// exits runs hotdata and checks its exit code and that stderr holds want.
func (c *cli) exits(code int, want string, stdin string, env []string, args ...string) result {
	c.t.Helper()
	r := c.run(stdin, env, args...)
	if r.code != code || !strings.Contains(r.stderr, want) {
		c.t.Errorf("hotdata %s: exit %d, stderr %q; want exit %d and %q", strings.Join(args, " "), r.code, r.stderr, code, want)
	}
	return r
}

func jsonOf[T any](t *testing.T, s string) T {
	t.Helper()
	var v T
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, s)
	}
	return v
}

const ordersSQL = `SELECT id, status, total, paid, at, note FROM %s ORDER BY id`

// upstreamOrders makes the upstream table: 30,000 rows, more than a page
// of a result (pageRows) and than a query's inline rows (1,000).
func upstreamOrders(t *testing.T) string {
	db := testenv.Postgres(t)
	testenv.PostgresExec(t, db,
		`CREATE TABLE orders (id bigint PRIMARY KEY, status text NOT NULL, total numeric(10,2), paid boolean, at timestamptz, note text)`,
		`INSERT INTO orders SELECT g, (ARRAY['new','paid','shipped'])[1 + g % 3], g * 1.25, g % 2 = 0,
		   timestamptz '2025-01-01 00:00:00+00' + g * interval '1 minute', CASE WHEN g % 5 = 0 THEN NULL ELSE 'n' || g END
		 FROM generate_series(1, 30000) g`,
		`UPDATE orders SET note = E'comma, "quote"\nline two ü' WHERE id = 7`,
		`UPDATE orders SET note = '' WHERE id = 8`)
	return db
}

// upstreamCSV is what PostgreSQL's COPY … CSV HEADER writes for sql.
func upstreamCSV(t *testing.T, db, sql string) string {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "SET TimeZone = 'UTC'"); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if _, err := conn.PgConn().CopyTo(ctx, &b, "COPY ("+sql+") TO STDOUT (FORMAT csv, HEADER)"); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// upstreamText runs sql on the upstream and returns its rows as text.
func upstreamText(t *testing.T, db, sql string) [][]string {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, sql, pgx.QueryResultFormats{pgx.TextFormatCode})
	if err != nil {
		t.Fatal(err)
	}
	var out [][]string
	for rows.Next() {
		var row []string
		for _, v := range rows.RawValues() {
			row = append(row, string(v))
		}
		out = append(out, row)
	}
	if rows.Err() != nil {
		t.Fatal(rows.Err())
	}
	return out
}

// upstreamRows are the orders as the REST API's JSON writes them.
func upstreamRows(t *testing.T, db string) []map[string]any {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT id, status, total::text, paid, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), note FROM orders ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	for rows.Next() {
		var id int64
		var status, total, at string
		var paid bool
		var note *string
		if err := rows.Scan(&id, &status, &total, &paid, &at, &note); err != nil {
			t.Fatal(err)
		}
		m := map[string]any{"id": json.Number(strconv.FormatInt(id, 10)), "status": status, "total": total, "paid": paid, "at": at, "note": nil}
		if note != nil {
			m["note"] = *note
		}
		out = append(out, m)
	}
	if rows.Err() != nil {
		t.Fatal(rows.Err())
	}
	return out
}

func sameRows(t *testing.T, format string, got, want []map[string]any) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d rows, PostgreSQL has %d", format, len(got), len(want))
	}
	for i := range want {
		for k, v := range want[i] {
			if got[i][k] != v {
				t.Fatalf("%s: row %d column %s = %#v, PostgreSQL %#v", format, i+1, k, got[i][k], v)
			}
		}
		if len(got[i]) != len(want[i]) {
			t.Fatalf("%s: row %d has columns %v", format, i+1, got[i])
		}
	}
}

// TestCLIEndToEnd runs the built hotdata binary against a control
// process (REST and pgwire) and a real PostgreSQL: every Quickstart step,
// a query in every format compared with PostgreSQL's own values, uploads,
// datasets, saved queries, tokens, suspend and resume, and each exit code.
func TestCLIEndToEnd(t *testing.T) {
	h := hdtest.Start(t)
	db := upstreamOrders(t)
	c := newCLI(t, h)
	cfgPath := filepath.Join(c.dir, "config.json")

	// Nothing works before login, with a clear usage error.
	c.exits(2, "not logged in", "", nil, "connections", "list")
	// A wrong token is refused (4) and nothing is saved.
	c.exits(4, "hotdata login", "hd_wrongwrongwrongwrongwrongwrongwrongwrongwro\n", nil, "login", "--url", c.addr)
	if _, err := os.Stat(cfgPath); err == nil {
		t.Fatal("a failed login wrote the config")
	}
	c.exits(2, "is not a server URL", hdtest.Token+"\n", nil, "login", "--url", "ftp://x")
	// Login: the token on stdin, never an argument.
	host, port := h.PGHostPort()
	r := c.run(hdtest.Token+"\n", nil, "login", "--url", c.addr, "--pg-addr", host+":"+port)
	if r.code != 0 || !strings.Contains(r.stdout, "Logged in to "+c.addr+" as admin (owner of default)") || !strings.Contains(r.stdout, "Workspace: default") {
		t.Fatalf("login: %+v", r)
	}
	st, err := os.Stat(cfgPath)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("config file %v %v, want mode 0600", st, err)
	}
	who := jsonOf[map[string]any](t, c.ok("whoami", "-o", "json"))
	if who["workspace"] != "default" || who["url"] != c.addr || who["pg_addr"] != host+":"+port {
		t.Errorf("whoami %v", who)
	}
	if m, _ := who["member"].(map[string]any); m["role"] != "owner" {
		t.Errorf("whoami member %v", who["member"])
	}
	if strings.Contains(c.ok("whoami"), hdtest.Token) {
		t.Error("whoami prints the token")
	}

	// A secret from stdin: never echoed, never listed with its value.
	out := c.run("unused-with-trust-auth\n", nil, "secrets", "create", "up_pw")
	if out.code != 0 || strings.Contains(out.stdout+out.stderr, "unused-with-trust-auth") {
		t.Fatalf("secrets create: %+v", out)
	}
	c.exits(2, "no value on stdin", "", nil, "secrets", "create", "empty")
	if s := c.ok("secrets", "list", "-o", "json"); !strings.Contains(s, `"up_pw"`) || strings.Contains(s, "unused-with-trust-auth") {
		t.Errorf("secrets list: %s", s)
	}

	u := strings.TrimPrefix(db, "postgres://")
	userHost, dbName, _ := strings.Cut(u, "/")
	dbName, _, _ = strings.Cut(dbName, "?")
	user, hostPort, _ := strings.Cut(userHost, "@")
	user, _, _ = strings.Cut(user, ":")
	upHost, upPort, _ := strings.Cut(hostPort, ":")
	connFlags := []string{"-t", "postgres", "--secret", "up_pw", "-c", "host=" + upHost, "-c", "port=" + upPort, "-c", "user=" + user,
		"-c", "database=" + dbName, "-c", "sslmode=disable"}
	// Test before saving: healthy is 0; a wrong port is 1 with the reason.
	if h := jsonOf[map[string]any](t, c.ok(append([]string{"connections", "test", "-o", "json"}, connFlags...)...)); h["healthy"] != true {
		t.Errorf("connections test: %v", h)
	}
	bad := append([]string{"connections", "test"}, connFlags...)
	bad = append(bad, "-c", "port=1")
	c.exits(1, "unhealthy", "", nil, bad...)

	c.ok(append([]string{"connections", "create", "up"}, connFlags...)...)
	tables := jsonOf[[]map[string]any](t, c.ok("connections", "tables", "up", "-o", "json"))
	if len(tables) != 1 || tables[0]["table"] != "orders" || tables[0]["synced"] != false {
		t.Fatalf("tables: %v", tables)
	}
	// Sync it: the job's progress counts every row.
	job := jsonOf[map[string]any](t, c.ok("connections", "refresh", "up", "public.orders", "--data", "--all", "-o", "json"))
	if job["status"] != "succeeded" || job["type"] != "refresh" {
		t.Fatalf("refresh job: %v", job)
	}
	if p, _ := job["progress"].(map[string]any); p["rows"] != json.Number("30000") {
		t.Errorf("refresh progress %v, want 30000 rows", job["progress"])
	}
	jobs := jsonOf[[]map[string]any](t, c.ok("jobs", "list", "-o", "json"))
	if len(jobs) < 2 {
		t.Errorf("jobs list: %v", jobs)
	}
	if got := jsonOf[map[string]any](t, c.ok("jobs", "get", job["id"].(string), "-o", "json")); got["id"] != job["id"] {
		t.Errorf("jobs get: %v", got)
	}

	// Every format against PostgreSQL.
	sql := strings.Replace(ordersSQL, "%s", "up.public.orders", 1)
	want := upstreamRows(t, db)
	if got := c.ok("query", sql, "--format", "csv"); got != upstreamCSV(t, db, strings.Replace(ordersSQL, "%s", "orders", 1)) {
		t.Errorf("csv differs from PostgreSQL's COPY … CSV HEADER (first 300 bytes):\n%.300s", got)
	}
	// Piped, the default is CSV too.
	if got := c.ok("query", "SELECT id FROM up.public.orders WHERE id <= 3 ORDER BY id"); got != "id\n1\n2\n3\n" {
		t.Errorf("piped default %q, want CSV", got)
	}
	sameRows(t, "json", jsonOf[[]map[string]any](t, c.ok("query", sql, "--format", "json")), want)
	var nd []map[string]any
	for _, line := range strings.Split(strings.TrimSuffix(c.ok("query", sql, "--format", "ndjson"), "\n"), "\n") {
		nd = append(nd, jsonOf[map[string]any](t, line))
	}
	sameRows(t, "ndjson", nd, want)
	// -o json means --format json for a query.
	sameRows(t, "-o json", jsonOf[[]map[string]any](t, c.ok("query", sql, "-o", "json")), want)
	// SQL from a file and from stdin.
	sqlFile := filepath.Join(c.dir, "q.sql")
	if err := os.WriteFile(sqlFile, []byte("SELECT count(*) AS n FROM up.public.orders WHERE paid"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := c.ok("query", "--file", sqlFile); got != "n\n15000\n" {
		t.Errorf("--file: %q", got)
	}
	if r := c.run("SELECT count(*) AS n FROM up.public.orders WHERE note IS NULL", nil, "query"); r.code != 0 || r.stdout != "n\n6000\n" {
		t.Errorf("stdin: %+v", r)
	}
	tbl := c.ok("query", sql, "--format", "table")
	lines := strings.Split(tbl, "\n")
	if !regexpMatch(`^id +status +total +paid +at +note$`, lines[0]) || !regexpMatch(`^1 +paid +1\.25 +false +2025-01-01T00:01:00Z +n1$`, lines[1]) ||
		!strings.HasSuffix(tbl, "(30000 rows)\n") {
		t.Errorf("table output:\n%.400s\n…%s", tbl, tbl[max(0, len(tbl)-100):])
	}
	checkArrow(t, []byte(c.ok("query", sql, "--format", "arrow")))
	checkParquet(t, []byte(c.ok("query", sql, "--format", "parquet")))

	// Runs and results: the stored result downloads again, the same.
	runs := jsonOf[[]map[string]any](t, c.ok("runs", "list", "--limit", "1", "-o", "json"))
	if len(runs) != 1 || runs[0]["status"] != "succeeded" {
		t.Fatalf("runs list: %v", runs)
	}
	res := runs[0]["result_id"].(string)
	checkParquet(t, []byte(c.ok("results", "get", res, "--format", "parquet")))
	if got := c.ok("results", "get", res, "--format", "csv"); got != upstreamCSV(t, db, strings.Replace(ordersSQL, "%s", "orders", 1)) {
		t.Error("results get --format csv differs from PostgreSQL")
	}
	// Async without waiting prints the ids; waiting gets the rows.
	acc := jsonOf[map[string]any](t, c.ok("query", "--async", "--no-wait", "-o", "json", "SELECT 40 + 2 AS answer"))
	if acc["query_run_id"] == nil || acc["result_id"] == nil {
		t.Fatalf("async: %v", acc)
	}
	c.ok("runs", "wait", acc["query_run_id"].(string))
	if got := c.ok("results", "get", acc["result_id"].(string), "--format", "csv"); got != "answer\n42\n" {
		t.Errorf("async result %q", got)
	}
	if got := c.ok("query", "--async", "SELECT 'x' AS y", "--format", "csv"); got != "y\nx\n" {
		t.Errorf("--async waited: %q", got)
	}

	// Saved queries.
	c.ok("saved", "create", "paid_count", "--sql", "SELECT count(*) AS n FROM up.public.orders WHERE paid", "--description", "paid orders")
	if got := c.ok("saved", "run", "paid_count", "--format", "csv"); got != "n\n15000\n" {
		t.Errorf("saved run: %q", got)
	}
	c.ok("saved", "update", "paid_count", "--sql", "SELECT count(*) AS n FROM up.public.orders WHERE NOT paid")
	if v := jsonOf[[]map[string]any](t, c.ok("saved", "versions", "paid_count", "-o", "json")); len(v) != 2 {
		t.Errorf("saved versions: %v", v)
	}

	// Upload a CSV and make it a dataset.
	csvPath := filepath.Join(c.dir, "cities.csv")
	if err := os.WriteFile(csvPath, []byte("city,population,founded\nAmsterdam,921402,1275-10-27\nKyoto,1464890,0794-11-18\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	prev := c.ok("datasets", "preview", "--file", csvPath)
	if !strings.Contains(prev, "population") || !strings.Contains(prev, "bigint") || !strings.Contains(prev, "Amsterdam") {
		t.Errorf("preview:\n%s", prev)
	}
	ds := jsonOf[map[string]any](t, c.ok("datasets", "create", "--label", "Cities", "--file", csvPath, "-o", "json"))
	if ds["status"] != "ready" || ds["row_count"] != json.Number("2") {
		t.Fatalf("dataset: %v", ds)
	}
	if got := c.ok("query", "SELECT city, population, founded FROM datasets."+ds["table_name"].(string)+" ORDER BY 1", "--format", "csv"); got != "city,population,founded\nAmsterdam,921402,1275-10-27\nKyoto,1464890,0794-11-18\n" {
		t.Errorf("dataset rows %q", got)
	}
	if dl := jsonOf[[]map[string]any](t, c.ok("datasets", "list", "-o", "json")); len(dl) != 1 || dl[0]["row_count"] != json.Number("2") || dl[0]["version"] != json.Number("1") {
		t.Errorf("datasets list: %v", dl)
	}
	if ups := jsonOf[[]map[string]any](t, c.ok("uploads", "list", "-o", "json")); len(ups) < 2 || ups[0]["size_bytes"] == nil {
		t.Errorf("uploads: %v", ups)
	}

	// Tokens: a new one works until it is revoked (4 after).
	tok := jsonOf[map[string]any](t, c.ok("tokens", "create", "--name", "ci", "--expires", "2d", "-o", "json"))
	text, _ := tok["token"].(string)
	if !strings.HasPrefix(text, "hd_") {
		t.Fatalf("token create: %v", tok)
	}
	env := []string{"HOTDATA_TOKEN=" + text}
	if r := c.run("", env, "whoami", "-o", "json"); r.code != 0 {
		t.Fatalf("the new token: %+v", r)
	}
	c.ok("tokens", "revoke", tok["id"].(string))
	c.exits(4, "UNAUTHENTICATED", "", env, "whoami")

	// psql with the profile's endpoint: the token travels in PGPASSWORD.
	if psql, err := exec.LookPath("psql"); err == nil {
		_ = psql
		if got := c.ok("psql", "--", "-Atc", "SELECT count(*) FROM up.public.orders"); got != "30000\n" {
			t.Errorf("psql: %q", got)
		}
		// The user's own PG* variables cannot send the token elsewhere.
		if r := c.run("", []string{"PGHOST=127.0.0.1", "PGPORT=1", "PGUSER=postgres", "PGDATABASE=postgres"}, "psql", "--", "-Atc", "SELECT current_database()"); r.code != 0 || r.stdout != "default\n" {
			t.Errorf("psql under the user's PG* variables: %+v", r)
		}
		if p := c.ok("psql", "--print"); strings.Contains(p, hdtest.Token) || !strings.Contains(p, "PGDATABASE=default") {
			t.Errorf("psql --print: %s", p)
		}
	} else if testenv.RequireServices() {
		t.Fatal("psql is not installed")
	}

	// The rest of the API, one command each.
	if p := jsonOf[map[string]any](t, c.ok("connections", "policy", "up", "public.orders", "--refresh", "every 15m", "-o", "json")); p["refresh"] != "every 15m" {
		t.Errorf("policy: %v", p)
	}
	if hl := jsonOf[map[string]any](t, c.ok("connections", "health", "up", "-o", "json")); hl["healthy"] != true {
		t.Errorf("health: %v", hl)
	}
	if pr := jsonOf[map[string]any](t, c.ok("connections", "profile", "up", "public.orders", "-o", "json")); pr["row_count"] != json.Number("30000") {
		t.Errorf("profile: %v", pr)
	}
	if ty := c.ok("connections", "types", "postgres"); !strings.Contains(ty, "host") || !strings.Contains(ty, "database") {
		t.Errorf("types postgres:\n%s", ty)
	}
	c.ok("cdc", "list", "-o", "json")
	started := jsonOf[map[string]any](t, c.ok("connections", "refresh", "up", "--data", "--no-wait", "-o", "json"))
	watched := jsonOf[[]map[string]any](t, c.ok("jobs", "watch", started["id"].(string), "-o", "json"))
	if len(watched) != 1 || watched[0]["status"] != "succeeded" {
		t.Errorf("jobs watch: %v", watched)
	}
	if pg := jsonOf[map[string]any](t, c.ok("connections", "purge", "up", "public.orders", "-o", "json")); pg["tables_purged"] != json.Number("1") {
		t.Errorf("purge: %v", pg)
	}
	inv := jsonOf[map[string]any](t, c.ok("members", "invite", "--name", "bob", "--role", "viewer", "-o", "json"))
	bob, _ := inv["member"].(map[string]any)
	if bob["role"] != "viewer" || output(inv, "token") == "" {
		t.Fatalf("invite: %v", inv)
	}
	if m := jsonOf[map[string]any](t, c.ok("members", "set-role", bob["id"].(string), "member", "-o", "json")); output(m, "member") == "" {
		t.Errorf("set-role: %v", m)
	}
	if ms := jsonOf[[]map[string]any](t, c.ok("members", "list", "-o", "json")); len(ms) != 2 {
		t.Errorf("members: %v", ms)
	}
	c.ok("members", "remove", bob["id"].(string), "--yes")
	if orgs := jsonOf[[]map[string]any](t, c.ok("orgs", "list", "-o", "json")); len(orgs) != 1 || orgs[0]["name"] != "default" {
		t.Errorf("orgs: %v", orgs)
	}
	c.ok("datasets", "replace", ds["table_name"].(string), "--sql", "SELECT 'Lima' AS city, 9751000 AS population, DATE '1535-01-18' AS founded")
	if v := jsonOf[[]map[string]any](t, c.ok("datasets", "versions", ds["table_name"].(string), "-o", "json")); len(v) != 2 {
		t.Errorf("dataset versions: %v", v)
	}
	c.ok("datasets", "delete", ds["table_name"].(string), "--yes")
	c.exits(3, "", "", nil, "datasets", "get", ds["table_name"].(string))
	if rl := jsonOf[[]map[string]any](t, c.ok("results", "list", "--limit", "5", "-o", "json")); len(rl) != 5 {
		t.Errorf("results list: %v", rl)
	}

	// Completion: scripts for each shell, and names from the server.
	for _, sh := range []string{"bash", "zsh", "fish"} {
		if out := c.ok("completion", sh); !strings.Contains(out, "hotdata") || len(out) < 500 {
			t.Errorf("completion %s: %.200s", sh, out)
		}
	}
	if out := c.ok("__complete", "connections", "get", ""); !strings.Contains(out, "up\n") {
		t.Errorf("completing a connection name: %q", out)
	}
	if out := c.ok("__complete", "saved", "run", "pa"); !strings.Contains(out, "paid_count\n") {
		t.Errorf("completing a saved query: %q", out)
	}
	if out := c.ok("__complete", "query", "--format", ""); !strings.Contains(out, "parquet\n") {
		t.Errorf("completing --format: %q", out)
	}

	c.ok("saved", "delete", "paid_count", "--yes")

	// Exit codes.
	c.exits(3, "NOT_FOUND", "", nil, "connections", "get", "nope")
	c.exits(5, "division by zero", "", nil, "query", "SELECT 1/0")
	c.exits(2, "unknown flag", "", nil, "query", "--bogus", "SELECT 1")
	c.exits(2, "--format must be one of", "", nil, "query", "--format", "xml", "SELECT 1")
	c.exits(6, "cannot reach", "", []string{"HOTDATA_TOKEN=" + hdtest.Token}, "--url", "http://127.0.0.1:1", "workspaces", "list")
	c.exits(2, "no workspace", "", []string{"HOTDATA_URL=" + c.addr, "HOTDATA_TOKEN=" + hdtest.Token,
		"HOTDATA_CONFIG=" + filepath.Join(c.dir, "none.json")}, "jobs", "list")
	c.exits(2, `no profile "typo"`, "", nil, "--profile", "typo", "jobs", "list")
	// A server error whose text looks like a command-line mistake is
	// still the server's (5), with its code.
	c.exits(5, "UNDEFINED_TABLE", "", nil, "query", `SELECT * FROM "accepts unknown flag"`)
	c.exits(3, "NOT_FOUND", "", nil, "connections", "get", "unknown command")
	// The profile's token goes only to the profile's server.
	c.exits(2, "token is for "+c.addr, "", nil, "--url", "http://127.0.0.1:1", "whoami")
	c.exits(4, "UNAUTHENTICATED", "", []string{"HOTDATA_TOKEN=hd_bad"}, "members", "list")
	c.exits(6, "cannot reach", "", []string{"HOTDATA_URL=http://u:hunter2@127.0.0.1:1", "HOTDATA_TOKEN=" + hdtest.Token}, "members", "list")
	if r := c.run("", []string{"HOTDATA_URL=http://u:hunter2@127.0.0.1:1", "HOTDATA_TOKEN=" + hdtest.Token}, "whoami"); strings.Contains(r.stderr, "hunter2") {
		t.Errorf("a URL's password in an error: %s", r.stderr)
	}
	e := c.exits(5, "", "", nil, "query", "SELECT * FROM nope", "-o", "json")
	errObj := jsonOf[map[string]map[string]any](t, e.stderr)["error"]
	if errObj["code"] != "UNDEFINED_TABLE" || errObj["status"] != json.Number("400") || errObj["exit_code"] != json.Number("5") {
		t.Errorf("a JSON error: %v", errObj)
	}
	// Destroying needs --yes when nobody can confirm; nothing is deleted.
	c.exits(2, "without --yes", "", nil, "workspaces", "delete", "default")
	c.ok("workspaces", "get", "default")

	// Suspend stops queries (without auto-resume); resume brings them back.
	if w := jsonOf[map[string]any](t, c.ok("workspaces", "update", "default", "--auto-resume=false", "-o", "json")); w["auto_resume"] != false {
		t.Errorf("workspaces update: %v", w)
	}
	c.ok("workspaces", "suspend", "default")
	if r := c.run("", nil, "query", "SELECT 1 AS x"); r.code == 0 || !strings.Contains(strings.ToLower(r.stderr), "suspend") {
		t.Errorf("a query on a suspended workspace: %+v", r)
	}
	c.ok("workspaces", "resume", "default")
	if got := c.ok("query", "SELECT 1 AS x"); got != "x\n1\n" {
		t.Errorf("after resume: %q", got)
	}
	// A second workspace, used by name, then deleted with --yes.
	c.ok("workspaces", "create", "scratch")
	c.ok("workspaces", "use", "scratch")
	if w := jsonOf[map[string]any](t, c.ok("whoami", "-o", "json")); w["workspace"] != "scratch" {
		t.Errorf("workspaces use: %v", w)
	}
	c.ok("workspaces", "use", "default")
	c.ok("workspaces", "delete", "scratch", "--yes")
	c.exits(3, "", "", nil, "workspaces", "get", "scratch")
}

// output is a field of an object as text ("" when missing).
func output(obj map[string]any, key string) string {
	if v, ok := obj[key]; ok && v != nil {
		b, _ := json.Marshal(v)
		return string(b)
	}
	return ""
}

func regexpMatch(pattern, s string) bool { return regexp.MustCompile(pattern).MatchString(s) }

// checkArrow decodes an Arrow IPC stream of the orders and checks its
// types and values against what the upstream holds.
func checkArrow(t *testing.T, b []byte) {
	t.Helper()
	rd, err := ipc.NewReader(bytes.NewReader(b), ipc.WithAllocator(memory.DefaultAllocator))
	if err != nil {
		t.Fatalf("arrow: %v", err)
	}
	defer rd.Release()
	var recs []arrow.RecordBatch
	for rd.Next() {
		rec := rd.RecordBatch()
		rec.Retain()
		recs = append(recs, rec)
	}
	if rd.Err() != nil && rd.Err() != io.EOF {
		t.Fatalf("arrow: %v", rd.Err())
	}
	checkOrders(t, "arrow", rd.Schema(), recs)
}

func checkParquet(t *testing.T, b []byte) {
	t.Helper()
	pf, err := file.NewParquetReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("parquet: %v", err)
	}
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
	if err != nil {
		t.Fatalf("parquet: %v", err)
	}
	tbl, err := fr.ReadTable(context.Background())
	if err != nil {
		t.Fatalf("parquet: %v", err)
	}
	defer tbl.Release()
	tr := array.NewTableReader(tbl, 4096)
	defer tr.Release()
	var recs []arrow.RecordBatch
	for tr.Next() {
		rec := tr.RecordBatch()
		rec.Retain()
		recs = append(recs, rec)
	}
	checkOrders(t, "parquet", tbl.Schema(), recs)
}

// checkOrders: 30,000 rows; ids 1…30000 in order; total = id × 1.25 as a
// decimal with scale 2; every fifth note NULL.
func checkOrders(t *testing.T, format string, schema *arrow.Schema, recs []arrow.RecordBatch) {
	t.Helper()
	if schema.NumFields() != 6 || schema.Field(0).Name != "id" || schema.Field(0).Type.ID() != arrow.INT64 {
		t.Fatalf("%s schema %v", format, schema)
	}
	dec, ok := schema.Field(2).Type.(*arrow.Decimal128Type)
	if !ok || dec.Scale != 2 {
		t.Fatalf("%s: total is %v, want a decimal with scale 2", format, schema.Field(2).Type)
	}
	n, nulls := int64(0), 0
	for _, rec := range recs {
		ids := rec.Column(0).(*array.Int64)
		totals := rec.Column(2).(*array.Decimal128)
		for i := 0; i < int(rec.NumRows()); i++ {
			n++
			if ids.Value(i) != n {
				t.Fatalf("%s: row %d has id %d", format, n, ids.Value(i))
			}
			want := new(big.Int).Mul(big.NewInt(n), big.NewInt(125))
			if totals.Value(i).BigInt().Cmp(want) != 0 {
				t.Fatalf("%s: row %d total %v (unscaled), want %v", format, n, totals.Value(i).BigInt(), want)
			}
			if rec.Column(5).IsNull(i) {
				nulls++
			}
		}
		rec.Release()
	}
	if n != 30000 || nulls != 6000 {
		t.Errorf("%s: %d rows with %d NULL notes, want 30000 and 6000", format, n, nulls)
	}
}

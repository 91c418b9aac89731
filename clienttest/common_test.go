package clienttest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hotdata-dev/hotdata/internal/hdtest"
	"github.com/hotdata-dev/hotdata/internal/testenv"
)

// The upstream fixture: alltypes has one column of every type the matrix
// covers, two rows of values and a row of NULLs; big has 100,000 rows.
const (
	createAllTypes = `CREATE TABLE alltypes (
	id int4 PRIMARY KEY,
	b bool, i2 int2, i4 int4, i8 int8, f4 float4, f8 float8, n numeric(20,6),
	t text, vc varchar(12), c char(5), bt bytea,
	d date, tm time, ts timestamp, tstz timestamptz, iv interval,
	u uuid, j json, jb jsonb, iarr int4[], tarr text[])`
	insertAllTypes = `INSERT INTO alltypes VALUES
(1, true, 32767, 2147483647, 9223372036854775807, 1.5, 3.141592653589793, 12345678901234.567891,
 'hello, "ünïcode" ✓', 'varchar', 'ab', '\xdeadbeef00',
 '2024-02-29', '13:45:30.123456', '2024-03-01 12:30:45.123456', '2024-03-01 12:30:45.123456+00', '1 year 2 mons 3 days 04:05:06.5',
 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"a": 1, "b": [true, null]}', '{"n": 2.5, "k": "v"}', '{1,2,3}', '{x,"y z",NULL}'),
(2, false, -32768, -2147483648, -9223372036854775808, -0.25, -1e-10, -0.000001,
 '', 'x', 'abcde', '\x',
 '1999-12-31', '00:00:00', '1970-01-01 00:00:00', '1999-12-31 23:59:59+05:30', '-1 days',
 '00000000-0000-0000-0000-000000000000', '[]', '[1, "two", null]', '{}', '{}'),
(3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
 NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`
	// keywords has columns named by words that PostgreSQL lets a column
	// be called (non-reserved or column-label keywords).
	createKeywords = `CREATE TABLE keywords AS SELECT 1 AS id, 'x' AS by, 2 AS at, 'y' AS value, 3 AS year`
	createBig      = `CREATE TABLE big AS SELECT g AS id, g::int8 * 3 AS v, 'row ' || g AS s FROM generate_series(1, 100000) g`

	// selectAllTypes is what every client reads.
	selectAllTypes = `SELECT id, b, i2, i4, i8, f4, f8, n, t, vc, c, bt, d, tm, ts, tstz, iv, u, j, jb, iarr, tarr FROM alltypes ORDER BY id`
	// selectBig streams the big table.
	selectBig = `SELECT id, v, s FROM big ORDER BY id`
	// longQuery runs for minutes on the cached big table (10^10 string
	// concatenations): tests cancel it.
	longQuery = `SELECT count(*) FROM big a, big b WHERE a.s || b.s = 'x'`
)

// kind says how a value read by a client compares with the expected one.
type kind int

const (
	kExact   kind = iota
	kFloat4       // both parse to the same float32
	kFloat8       // both parse to the same float64
	kNumeric      // the same decimal value
	kInstant      // RFC 3339 times of the same instant
	kJSON         // JSON documents that decode to the same value
)

// column is one column of alltypes with the values of rows 1 and 2 (row
// 3 is all NULL): want in the canonical form the client programs print,
// text as PostgreSQL prints it (psql, COPY, ODBC).
type column struct {
	name, sqlType string
	kind          kind
	want          [2]string
	text          [2]string
}

// The canonical forms: bool true/false, bytea as lowercase hex, time and
// timestamp with six fraction digits, timestamptz as RFC 3339, interval
// as "m=<months> d=<days> us=<microseconds>", json and arrays as JSON.
var columns = []column{
	{"id", "int4", kExact, [2]string{"1", "2"}, [2]string{"1", "2"}},
	{"b", "bool", kExact, [2]string{"true", "false"}, [2]string{"t", "f"}},
	{"i2", "int2", kExact, [2]string{"32767", "-32768"}, [2]string{"32767", "-32768"}},
	{"i4", "int4", kExact, [2]string{"2147483647", "-2147483648"}, [2]string{"2147483647", "-2147483648"}},
	{"i8", "int8", kExact, [2]string{"9223372036854775807", "-9223372036854775808"}, [2]string{"9223372036854775807", "-9223372036854775808"}},
	{"f4", "float4", kFloat4, [2]string{"1.5", "-0.25"}, [2]string{"1.5", "-0.25"}},
	{"f8", "float8", kFloat8, [2]string{"3.141592653589793", "-1e-10"}, [2]string{"3.141592653589793", "-1e-10"}},
	{"n", "numeric(20,6)", kNumeric, [2]string{"12345678901234.567891", "-0.000001"}, [2]string{"12345678901234.567891", "-0.000001"}},
	{"t", "text", kExact, [2]string{`hello, "ünïcode" ✓`, ""}, [2]string{`hello, "ünïcode" ✓`, ""}},
	{"vc", "varchar(12)", kExact, [2]string{"varchar", "x"}, [2]string{"varchar", "x"}},
	{"c", "char(5)", kExact, [2]string{"ab   ", "abcde"}, [2]string{"ab   ", "abcde"}},
	{"bt", "bytea", kExact, [2]string{"deadbeef00", ""}, [2]string{`\xdeadbeef00`, `\x`}},
	{"d", "date", kExact, [2]string{"2024-02-29", "1999-12-31"}, [2]string{"2024-02-29", "1999-12-31"}},
	{"tm", "time", kExact, [2]string{"13:45:30.123456", "00:00:00.000000"}, [2]string{"13:45:30.123456", "00:00:00"}},
	{"ts", "timestamp", kExact, [2]string{"2024-03-01 12:30:45.123456", "1970-01-01 00:00:00.000000"}, [2]string{"2024-03-01 12:30:45.123456", "1970-01-01 00:00:00"}},
	{"tstz", "timestamptz", kInstant, [2]string{"2024-03-01T12:30:45.123456Z", "1999-12-31T18:29:59Z"}, [2]string{"2024-03-01 12:30:45.123456+00", "1999-12-31 18:29:59+00"}},
	{"iv", "interval", kExact, [2]string{"m=14 d=3 us=14706500000", "m=0 d=-1 us=0"}, [2]string{"1 year 2 mons 3 days 04:05:06.5", "-1 days"}},
	{"u", "uuid", kExact, [2]string{"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "00000000-0000-0000-0000-000000000000"}, [2]string{"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "00000000-0000-0000-0000-000000000000"}},
	{"j", "json", kJSON, [2]string{`{"a": 1, "b": [true, null]}`, `[]`}, [2]string{`{"a": 1, "b": [true, null]}`, `[]`}},
	{"jb", "jsonb", kJSON, [2]string{`{"k": "v", "n": 2.5}`, `[1, "two", null]`}, [2]string{`{"k": "v", "n": 2.5}`, `[1, "two", null]`}},
	{"iarr", "int4[]", kJSON, [2]string{`[1, 2, 3]`, `[]`}, [2]string{`{1,2,3}`, `{}`}},
	{"tarr", "text[]", kJSON, [2]string{`["x", "y z", null]`, `[]`}, [2]string{`{x,"y z",NULL}`, `{}`}},
}

// columnNames is the select list of selectAllTypes.
func columnNames() []string {
	out := make([]string, len(columns))
	for i, c := range columns {
		out[i] = c.name
	}
	return out
}

// sameValue compares a value a client read with the expected one.
func sameValue(k kind, got, want string) bool {
	switch k {
	case kFloat4, kFloat8:
		bits := 64
		if k == kFloat4 {
			bits = 32
		}
		g, err1 := strconv.ParseFloat(got, bits)
		w, err2 := strconv.ParseFloat(want, bits)
		return err1 == nil && err2 == nil && g == w
	case kNumeric:
		g, ok1 := new(big.Rat).SetString(got)
		w, ok2 := new(big.Rat).SetString(want)
		return ok1 && ok2 && g.Cmp(w) == 0
	case kInstant:
		g, err1 := time.Parse(time.RFC3339Nano, got)
		w, err2 := time.Parse(time.RFC3339Nano, want)
		return err1 == nil && err2 == nil && g.Equal(w)
	case kJSON:
		var g, w any
		if json.Unmarshal([]byte(got), &g) != nil || json.Unmarshal([]byte(want), &w) != nil {
			return false
		}
		return reflect.DeepEqual(g, w)
	}
	return got == want
}

// cell is one value a client read: its client-side type (class, Python
// type, JS type, Go type...) and the value in canonical form, or the
// error the client gave reading it. A NULL is a nil *cell.
type cell struct {
	T   string  `json:"t"`
	V   *string `json:"v"`
	Err string  `json:"err,omitempty"`
}

// typesResult is what a client read from alltypes.
type typesResult struct {
	// Columns are the result's columns with the type the client reports
	// for each (its metadata: type name or OID).
	Columns []struct {
		Name string `json:"name"`
		Type string `json:"type"`
	} `json:"columns"`
	Rows []map[string]*cell `json:"rows"`
	// SSL, when the client can tell, is whether the connection is
	// encrypted.
	SSL *bool `json:"ssl,omitempty"`
}

// overrides replaces expected canonical values for a client whose types
// cannot carry them (e.g. JavaScript dates have milliseconds only); the
// key is the column name, the values are rows 1 and 2.
type overrides map[string][2]string

// checkTypes compares every value of res with the expectations.
func checkTypes(t *testing.T, label string, res *typesResult, ov overrides) {
	t.Helper()
	var names []string
	for _, c := range res.Columns {
		names = append(names, c.Name)
	}
	if strings.Join(names, ",") != strings.Join(columnNames(), ",") {
		t.Errorf("%s: columns = %v, want %v", label, names, columnNames())
	}
	if len(res.Rows) != 3 {
		t.Errorf("%s: %d rows, want 3", label, len(res.Rows))
		return
	}
	for i, row := range res.Rows {
		for _, col := range columns {
			c, present := row[col.name]
			if !present {
				t.Errorf("%s: row %d: column %s missing", label, i+1, col.name)
				continue
			}
			if i == 2 && col.name != "id" {
				if c != nil {
					t.Errorf("%s: row 3 %s (%s): got %s, want NULL", label, col.name, col.sqlType, c)
				}
				continue
			}
			want := "3"
			if i < 2 {
				want = col.want[i]
				if o, ok := ov[col.name]; ok {
					want = o[i]
				}
			}
			switch {
			case c == nil:
				t.Errorf("%s: row %d %s (%s): got NULL, want %q", label, i+1, col.name, col.sqlType, want)
			case c.Err != "":
				t.Errorf("%s: row %d %s (%s): client error: %s", label, i+1, col.name, col.sqlType, c.Err)
			case c.V == nil:
				t.Errorf("%s: row %d %s (%s): no value", label, i+1, col.name, col.sqlType)
			case !sameValue(col.kind, *c.V, want):
				t.Errorf("%s: row %d %s (%s): got %q (%s), want %q", label, i+1, col.name, col.sqlType, *c.V, c.T, want)
			}
		}
	}
}

func (c *cell) String() string {
	if c.Err != "" {
		return "error " + c.Err
	}
	if c.V == nil {
		return "(" + c.T + ")"
	}
	return fmt.Sprintf("%q (%s)", *c.V, c.T)
}

// checkSameTypes compares the types a client saw through Hotdata with the
// types the same client saw reading the upstream PostgreSQL table: the
// column metadata and the client-side type of each value.
func checkSameTypes(t *testing.T, label string, hd, up *typesResult) {
	t.Helper()
	if up == nil {
		t.Errorf("%s: no upstream reference to compare types with", label)
		return
	}
	upTypes := map[string]string{}
	for _, c := range up.Columns {
		upTypes[c.Name] = c.Type
	}
	for _, c := range hd.Columns {
		if w, ok := upTypes[c.Name]; ok && w != c.Type {
			t.Errorf("%s: column %s: the client reports type %q through Hotdata, %q from PostgreSQL", label, c.Name, c.Type, w)
		}
	}
	for i := 0; i < len(hd.Rows) && i < len(up.Rows); i++ {
		for _, col := range columns {
			g, w := hd.Rows[i][col.name], up.Rows[i][col.name]
			if g != nil && w != nil && g.Err == "" && w.Err == "" && g.T != w.T {
				t.Errorf("%s: row %d %s (%s): the client's value has type %q through Hotdata, %q from PostgreSQL", label, i+1, col.name, col.sqlType, g.T, w.T)
			}
		}
	}
}

// checkRead checks one read of alltypes through Hotdata: its values
// against the expectations, its types against the same client's read
// of the upstream table (up), in two subtests so that either can fail
// alone.
func checkRead(t *testing.T, label string, hd, up *typesResult, ov overrides) {
	t.Helper()
	t.Run(label+"/values", func(t *testing.T) { checkTypes(t, label, hd, ov) })
	t.Run(label+"/metadata", func(t *testing.T) { checkSameTypes(t, label, hd, up) })
}

// bigSummary is what a client computes over selectBig.
type bigSummary struct {
	Count   int64 `json:"count"`
	SumID   int64 `json:"sum_id"`
	SumV    int64 `json:"sum_v"`
	SumLenS int64 `json:"sum_len_s"`
	// Bad counts rows out of order (id not previous+1) or whose v or s
	// do not follow from id.
	Bad int64 `json:"bad"`
}

func expectedBig() bigSummary {
	var s bigSummary
	for g := int64(1); g <= 100000; g++ {
		s.Count++
		s.SumID += g
		s.SumV += 3 * g
		s.SumLenS += int64(len("row " + strconv.FormatInt(g, 10)))
	}
	return s
}

// The prepared statements every client runs with two sets of parameters
// each (the placeholders in the client's own syntax).
const (
	preparedQ1  = `SELECT id, t FROM alltypes WHERE i4 >= $1 AND t = $2 ORDER BY id`
	preparedBig = `SELECT count(*) AS n, sum(v) AS total FROM big WHERE id BETWEEN $1 AND $2`
)

// preparedResult is what a client read from the prepared statements.
type preparedResult struct {
	Q1a  [][]string `json:"q1a"`   // preparedQ1 with (0, 'hello, "ünïcode" ✓')
	Q1b  [][]string `json:"q1b"`   // preparedQ1 with (-2147483648, '')
	BigA []string   `json:"big_a"` // preparedBig with (10, 19)
	BigB []string   `json:"big_b"` // preparedBig with (1, 100000)
}

var wantPrepared = preparedResult{
	Q1a:  [][]string{{"1", `hello, "ünïcode" ✓`}},
	Q1b:  [][]string{{"2", ""}},
	BigA: []string{"10", "435"},
	BigB: []string{"100000", "15000150000"},
}

func checkPrepared(t *testing.T, label string, got preparedResult) {
	t.Helper()
	if !reflect.DeepEqual(got, wantPrepared) {
		t.Errorf("%s: prepared statements read %+v, want %+v", label, got, wantPrepared)
	}
}

// cancelResult is what a client saw cancelling longQuery.
type cancelResult struct {
	SQLState  string `json:"sqlstate"`
	Message   string `json:"message"`
	ElapsedMS int64  `json:"elapsed_ms"`
	// After is count(*) of big read on the same connection afterwards.
	After string `json:"after"`
}

func checkCancel(t *testing.T, label string, got cancelResult) {
	t.Helper()
	if got.SQLState != "57014" {
		t.Errorf("%s: cancelled query ended with SQLSTATE %q (%s), want 57014", label, got.SQLState, got.Message)
	}
	if got.ElapsedMS > 15000 {
		t.Errorf("%s: the cancelled query took %d ms to end", label, got.ElapsedMS)
	}
	if got.After != "100000" {
		t.Errorf("%s: after the cancel the connection read count %q, want 100000", label, got.After)
	}
}

// env is one running Hotdata process with the fixture registered as
// connection src.
type env struct {
	*hdtest.Harness
	t *testing.T
}

func start(t *testing.T, extra ...string) *env {
	t.Helper()
	h := hdtest.Start(t)
	h.ConnectUpstream("src", append([]string{createAllTypes, insertAllTypes, createBig, createKeywords}, extra...)...)
	return &env{Harness: h, t: t}
}

// connInfo is where a client connects.
type connInfo struct {
	Host, Port, DB, User, Password, SSLMode string
}

// hotdata is the Hotdata pgwire endpoint.
func (e *env) hotdata(sslmode string) connInfo {
	host, port := e.PGHostPort()
	return connInfo{host, port, "default", "admin", hdtest.Token, sslmode}
}

// upstream is the upstream PostgreSQL database itself.
func (e *env) upstream() connInfo {
	return parseURL(e.t, e.Upstream)
}

func parseURL(t *testing.T, s string) connInfo {
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	pw, _ := u.User.Password()
	return connInfo{u.Hostname(), u.Port(), strings.TrimPrefix(u.Path, "/"), u.User.Username(), pw, "disable"}
}

// URL is the libpq URL.
func (c connInfo) URL() string {
	u := url.URL{Scheme: "postgres", Host: c.Host + ":" + c.Port, Path: "/" + c.DB, RawQuery: "sslmode=" + c.SSLMode}
	if c.Password != "" {
		u.User = url.UserPassword(c.User, c.Password)
	} else {
		u.User = url.User(c.User)
	}
	return u.String()
}

// Env is the libpq environment for the connection, which the client
// programs read.
func (c connInfo) Env() []string {
	return []string{"PGHOST=" + c.Host, "PGPORT=" + c.Port, "PGDATABASE=" + c.DB, "PGUSER=" + c.User,
		"PGPASSWORD=" + c.Password, "PGSSLMODE=" + c.SSLMode}
}

// baseEnv is the environment of client processes: the test's, without
// libpq variables that could redirect them, in UTC.
func baseEnv() []string {
	var out []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "PG") || strings.HasPrefix(kv, "TZ=") || strings.HasPrefix(kv, "ODBC") {
			continue
		}
		out = append(out, kv)
	}
	return append(out, "TZ=UTC", "PGCONNECT_TIMEOUT=10")
}

// missing fails or skips the test for a client that is not installed.
func missing(t *testing.T, what, install string) {
	t.Helper()
	msg := fmt.Sprintf("%s is not installed (scripts/test.sh installs it: %s)", what, install)
	if testenv.RequireServices() {
		t.Fatal(msg + "; HOTDATA_TEST_REQUIRE_SERVICES=1 forbids skipping")
	}
	t.Skip(msg)
}

// tool finds a program on PATH or fails/skips.
func tool(t *testing.T, name, install string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		missing(t, name, install)
	}
	return p
}

// needFile fails/skips when a file a client needs is absent.
func needFile(t *testing.T, path, what, install string) {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		missing(t, what+" ("+path+")", install)
	}
}

// run runs a client program with a timeout and returns its stdout;
// a non-zero exit fails the test with stderr.
func run(t *testing.T, timeout time.Duration, env []string, stdin string, name string, args ...string) []byte {
	t.Helper()
	out, stderr, err := runErr(timeout, env, stdin, name, args...)
	if err != nil {
		t.Fatalf("%s %s: %v\nstdout:\n%s\nstderr:\n%s", filepath.Base(name), strings.Join(args, " "), err, clip(out), clip(stderr))
	}
	return out
}

// runErr runs a program and returns stdout, stderr and the exit error.
func runErr(timeout time.Duration, env []string, stdin string, name string, args ...string) ([]byte, []byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = env
	if stdin != "" {
		cmd.Stdin = strings.NewReader(stdin)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		err = fmt.Errorf("timed out after %v: %w", timeout, err)
	}
	return stdout.Bytes(), stderr.Bytes(), err
}

func clip(b []byte) string {
	if len(b) > 4000 {
		return string(b[:4000]) + "\n…"
	}
	return string(b)
}

// decode reads the JSON a client program printed as its last line.
func decode(t *testing.T, out []byte, v any) {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	last := lines[len(lines)-1]
	if err := json.Unmarshal([]byte(last), v); err != nil {
		t.Fatalf("client output is not the expected JSON: %v\n%s", err, clip(out))
	}
}

// srcDir is this package's folder (the client programs are beside it):
// go test runs tests there.
func srcDir(t *testing.T) string {
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// sslClientEnv keeps libpq from finding a root certificate that would
// turn sslmode=require into verification of the self-signed one.
func sslClientEnv(dir string) []string {
	return []string{"PGSSLROOTCERT=" + filepath.Join(dir, "no-root.crt")}
}

// warm reads every fixture table once through Hotdata, so that the
// client a test runs next reads cached tables, without the NOTICEs of a
// first sync (which PostgreSQL would not send).
func (e *env) warm() {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	c, err := pgx.Connect(ctx, e.hotdata("disable").URL())
	if err != nil {
		e.t.Fatal(err)
	}
	defer c.Close(ctx)
	for _, table := range []string{"alltypes", "big", "keywords"} {
		if _, err := c.Exec(ctx, "SELECT count(*) FROM "+table); err != nil {
			e.t.Fatalf("warming %s: %v", table, err)
		}
	}
}

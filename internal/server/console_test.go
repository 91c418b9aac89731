package server_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hotdata-dev/hotdata/internal/hdtest"
	"github.com/hotdata-dev/hotdata/internal/testenv"
)

// TestConsoleBrowser drives the web console in a real browser (Debian's
// Chromium through playwright-core: web/e2e/console.mjs) against this
// control process and a real PostgreSQL: sign in, create a workspace,
// add a PostgreSQL connection (tested first), sync a table watching its
// progress, run a query and see its rows and chart, scroll a 5,000-row
// result, upload a CSV, preview its columns, make it a dataset and
// query it, make a token, sign out. Each step's screenshot is saved in
// the folder the test prints ($HOTDATA_TEST_ARTIFACTS/console, or a
// temporary folder).
func TestConsoleBrowser(t *testing.T) {
	node := tool(t, "node")
	chromium := tool(t, "chromium")
	_, file, _, _ := runtime.Caller(0)
	webDir := filepath.Join(filepath.Dir(file), "..", "..", "web")
	if _, err := os.Stat(filepath.Join(webDir, "node_modules", "playwright-core")); err != nil {
		if testenv.RequireServices() {
			t.Fatalf("web/node_modules has no playwright-core: run `npm --prefix web ci` (scripts/test.sh does): %v", err)
		}
		t.Skip("web/node_modules has no playwright-core")
	}
	h := hdtest.Start(t)
	upstream := testenv.Postgres(t)
	testenv.PostgresExec(t, upstream,
		`CREATE TABLE orders (id bigint PRIMARY KEY, status text NOT NULL, amount numeric(10,2))`,
		`INSERT INTO orders SELECT g, (ARRAY['new','paid','shipped'])[1 + g % 3], g * 1.25 FROM generate_series(1, 3000) g`)
	u, err := url.Parse(upstream)
	if err != nil {
		t.Fatal(err)
	}
	csv := filepath.Join(t.TempDir(), "cities.csv")
	if err := os.WriteFile(csv, []byte("city,population,founded\nAmsterdam,921402,1275-10-27\nBerlin,3878100,1237-01-01\nKyoto,1464890,0794-11-18\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	expect, _ := json.Marshal(map[string]any{
		"orders":     [][]string{{"new", "1000", "1876875.00"}, {"paid", "1000", "1874375.00"}, {"shipped", "1000", "1875625.00"}},
		"orders_csv": []string{"status,n,total", "new,1000,1876875.00", "paid,1000,1874375.00", "shipped,1000,1875625.00"},
		"csv_types":  []string{"text", "bigint", "date"},
		"csv":        [][]string{{"Amsterdam", "921402", "1275-10-27"}, {"Berlin", "3878100", "1237-01-01"}, {"Kyoto", "1464890", "0794-11-18"}},
	})
	shots := os.Getenv("HOTDATA_TEST_ARTIFACTS")
	if shots == "" {
		shots = t.TempDir()
	}
	shots = filepath.Join(shots, "console")
	t.Logf("console screenshots: %s", shots)

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, filepath.Join(webDir, "e2e", "console.mjs"))
	cmd.Dir = webDir
	cmd.Env = append(os.Environ(),
		"HOTDATA_URL=http://"+h.P.HTTPAddr(), "HOTDATA_TOKEN="+hdtest.Token,
		"PG_HOST="+u.Hostname(), "PG_PORT="+u.Port(), "PG_USER="+u.User.Username(), "PG_DATABASE="+strings.TrimPrefix(u.Path, "/"),
		"CSV_FILE="+csv, "EXPECT="+string(expect), "SCREENSHOTS="+shots, "CHROMIUM="+chromium)
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("the browser test ran past 5 minutes:\n%s", out)
	}
	if err != nil || !strings.Contains(string(out), "ok: ") {
		t.Fatalf("browser test: %v\n%s", err, out)
	}
	t.Logf("%s", out)
}

// TestConsoleServed: the control process serves the console at / (and
// at any path that is not the API's) with headers that keep it from
// being framed or loading other origins' scripts; the API's paths stay
// the API's, JSON errors included.
func TestConsoleServed(t *testing.T) {
	h := hdtest.Start(t)
	base := "http://" + h.P.HTTPAddr()
	get := func(path string) (*http.Response, string) {
		t.Helper()
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	for _, path := range []string{"/", "/connections", "/index.html"} {
		resp, body := get(path)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, `<div id="root">`) {
			t.Errorf("GET %s: %d %.200s", path, resp.StatusCode, body)
		}
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("GET %s: Content-Security-Policy %q", path, csp)
		}
		if resp.Header.Get("X-Frame-Options") != "DENY" || resp.Header.Get("Referrer-Policy") != "no-referrer" {
			t.Errorf("GET %s: headers %v", path, resp.Header)
		}
	}
	// A built asset, named by its content's hash, is cached for good.
	_, index := get("/")
	i := strings.Index(index, "/assets/")
	if i < 0 {
		t.Fatalf("index.html names no built asset: %.300s", index)
	}
	asset := index[i : i+strings.IndexAny(index[i:], `"'`)]
	resp, _ := get(asset)
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Cache-Control"), "immutable") {
		t.Errorf("GET %s: %d, Cache-Control %q", asset, resp.StatusCode, resp.Header.Get("Cache-Control"))
	}
	// A file the build does not have is a 404, not the app.
	if resp, _ := get("/assets/index-old.js"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET a missing asset: %d", resp.StatusCode)
	}
	// The API's paths are not the console's.
	for path, want := range map[string]int{"/v1/no-such-thing": http.StatusUnauthorized, "/v1/workspaces": http.StatusUnauthorized, "/healthz": http.StatusOK} {
		resp, body := get(path)
		if resp.StatusCode != want || strings.Contains(body, `<div id="root">`) {
			t.Errorf("GET %s: %d %.200s, want %d from the API", path, resp.StatusCode, body, want)
		}
	}
	req, _ := http.NewRequest(http.MethodPost, base+"/index.html", strings.NewReader("x"))
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /index.html: %v %v", resp, err)
	}
	// Paths out of the build's folder are not served.
	for _, path := range []string{"/../web.go", "/%2e%2e/web.go", "/assets/../../doc.go"} {
		resp, body := get(path)
		if strings.Contains(body, "package web") {
			t.Errorf("GET %s served a source file: %d", path, resp.StatusCode)
		}
	}
}

// TestConnectionTestAndDatasetPreview: the two calls the console makes
// before it creates anything store nothing, check what creating would
// check (config, egress, role), and say what they found.
func TestConnectionTestAndDatasetPreview(t *testing.T) {
	h := hdtest.Start(t)
	upstream := testenv.Postgres(t)
	u, err := url.Parse(upstream)
	if err != nil {
		t.Fatal(err)
	}
	port, _ := strconv.Atoi(u.Port())
	cfg := map[string]any{"host": u.Hostname(), "port": port, "user": u.User.Username(), "database": strings.TrimPrefix(u.Path, "/"), "sslmode": "disable"}
	ok := h.API("POST", "/v1/connections/test", map[string]any{"source_type": "postgres", "config": cfg}, http.StatusOK)
	if ok["healthy"] != true {
		t.Errorf("a reachable PostgreSQL: %v", ok)
	}
	// A closed port: healthy false with the reason, still 200.
	closed := map[string]any{"host": "127.0.0.1", "port": 1, "user": "x", "database": "x", "sslmode": "disable"}
	bad := h.API("POST", "/v1/connections/test", map[string]any{"source_type": "postgres", "config": closed}, http.StatusOK)
	if bad["healthy"] != false || bad["error"] == "" || bad["error"] == nil {
		t.Errorf("a closed port: %v", bad)
	}
	// What creating refuses, testing refuses the same way.
	for _, c := range []struct {
		body map[string]any
		want int
	}{
		{map[string]any{"source_type": "postgres", "config": map[string]any{"port": 5432}}, http.StatusUnprocessableEntity},
		{map[string]any{"source_type": "nosuch", "config": cfg}, http.StatusBadRequest},
		{map[string]any{"source_type": "postgres", "config": cfg, "secret_name": "missing"}, http.StatusUnprocessableEntity},
		{map[string]any{"source_type": "postgres"}, http.StatusBadRequest},
	} {
		if status, out := h.APIRaw("POST", "/v1/connections/test", c.body, hdtest.Token, h.WSID); status != c.want {
			t.Errorf("test %v: %d %v, want %d", c.body, status, out, c.want)
		}
	}
	// An inline password is not kept: no secret, no connection.
	withPw := map[string]any{}
	for k, v := range cfg {
		withPw[k] = v
	}
	withPw["password"] = "hunter2"
	h.API("POST", "/v1/connections/test", map[string]any{"source_type": "postgres", "config": withPw}, http.StatusOK)
	if n := len(h.API("GET", "/v1/connections", nil, http.StatusOK)["connections"].([]any)); n != 0 {
		t.Errorf("connections after tests: %d", n)
	}
	if n := len(h.API("GET", "/v1/secrets", nil, http.StatusOK)["secrets"].([]any)); n != 0 {
		t.Errorf("secrets after tests: %d", n)
	}

	// Preview: the inferred columns and first rows of an upload.
	status, up := upload(t, h, "cities.csv", "text/csv", []byte("city,population,founded\nAmsterdam,921402,1275-10-27\nKyoto,,0794-11-18\n"))
	if status != http.StatusCreated {
		t.Fatalf("upload: %d %v", status, up)
	}
	prev := h.API("POST", "/v1/datasets/preview", map[string]any{"upload_id": up["id"]}, http.StatusOK)
	cols, _ := json.Marshal(prev["columns"])
	rows, _ := json.Marshal(prev["rows"])
	if string(cols) != `[{"data_type":"text","name":"city","nullable":true},{"data_type":"bigint","name":"population","nullable":true},{"data_type":"date","name":"founded","nullable":true}]` ||
		string(rows) != `[["Amsterdam",921402,"1275-10-27"],["Kyoto",null,"0794-11-18"]]` {
		t.Errorf("preview: %s %s", cols, rows)
	}
	// The source's options apply: the column read as text.
	prev = h.API("POST", "/v1/datasets/preview", map[string]any{"upload_id": up["id"], "columns": []map[string]any{{"name": "population", "type": "text"}}}, http.StatusOK)
	if rows, _ := json.Marshal(prev["rows"]); string(rows) != `[["Amsterdam","921402","1275-10-27"],["Kyoto",null,"0794-11-18"]]` {
		t.Errorf("preview with a column type: %s", rows)
	}
	if n := len(h.API("GET", "/v1/datasets", nil, http.StatusOK)["datasets"].([]any)); n != 0 {
		t.Errorf("datasets after previews: %d", n)
	}
	status, badUp := upload(t, h, "bad.csv", "text/csv", []byte("a,b\n1,2\n3,4,5\n"))
	if status != http.StatusCreated {
		t.Fatalf("upload: %d", status)
	}
	if status, out := h.APIRaw("POST", "/v1/datasets/preview", map[string]any{"upload_id": badUp["id"]}, hdtest.Token, h.WSID); status != http.StatusUnprocessableEntity {
		t.Errorf("a bad CSV: %d %v", status, out)
	}
	if status, out := h.APIRaw("POST", "/v1/datasets/preview", map[string]any{"upload_id": "upl_nosuch"}, hdtest.Token, h.WSID); status != http.StatusNotFound {
		t.Errorf("no such upload: %d %v", status, out)
	}
	// A viewer may do neither.
	_, viewer := invite(t, h, hdtest.Token, h.P.Bootstrapped.Organization.ID, map[string]any{"name": "vic", "role": "viewer"})
	callAs(t, h, viewer, h.WSID, "POST", "/v1/connections/test", map[string]any{"source_type": "postgres", "config": cfg}, http.StatusForbidden)
	callAs(t, h, viewer, h.WSID, "POST", "/v1/datasets/preview", map[string]any{"upload_id": up["id"]}, http.StatusForbidden)
}

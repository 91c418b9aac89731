package server_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hotdata-dev/hotdata/internal/hdtest"
	"github.com/hotdata-dev/hotdata/internal/server"
)

// upload posts a raw body to /v1/files.
func upload(t *testing.T, h *hdtest.Harness, name, contentType string, body []byte) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("POST", "http://"+h.P.HTTPAddr()+"/v1/files?filename="+name, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+testToken)
	req.Header.Set("X-Workspace-Id", h.WSID)
	req.Header.Set("Content-Type", contentType)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	data, _ := io.ReadAll(resp.Body)
	_ = json.Unmarshal(data, &out)
	return resp.StatusCode, out
}

// TestDatasets: an upload becomes a queryable table; inline content, a
// SQL query and a saved query too; a new version replaces the data; a bad
// CSV row fails the load naming the line; deletion removes the table.
func TestDatasets(t *testing.T) {
	h := hdtest.Start(t, func(c *server.Config) { c.MaxUploadBytes = 1 << 20 })
	h.ConnectUpstream("app", eventsTable, eventsRows(1, 30))
	csv := []byte("id;name;amount;day\n1;widget;19.99;2024-03-01\n2;\"gadget; ünïcode\";-0.01;1999-12-31\n3;;;\n")
	status, up := upload(t, h, "items.csv", "text/csv", csv)
	sum := sha256.Sum256(csv)
	if status != 201 || up["size_bytes"] != float64(len(csv)) || up["sha256"] != hex.EncodeToString(sum[:]) {
		t.Fatalf("upload: %d %v", status, up)
	}
	// The file is on disk under the workspace's uploads.
	files, _ := filepath.Glob(filepath.Join(h.DataDir, "workspaces", h.WSID, "uploads", up["id"].(string), "*"))
	if len(files) != 1 {
		t.Fatalf("upload on disk: %v", files)
	}
	ds := h.API("POST", "/v1/datasets", map[string]any{"label": "Items 2024", "source": map[string]any{"upload_id": up["id"],
		"columns": []map[string]any{{"name": "amount", "type": "numeric(12,2)"}}}}, http.StatusCreated)
	if ds["table_name"] != "items_2024" || ds["schema_name"] != "main" || ds["status"] != "ready" || ds["row_count"] != 3.0 || ds["version"] != 1.0 {
		t.Fatalf("dataset: %v", ds)
	}
	url := h.PGURL(testToken, "default", "disable")
	read := func(sql string) string {
		t.Helper()
		_, rows := textRows(t, url, sql)
		var b strings.Builder
		for _, r := range rows {
			b.WriteString(strings.Join(r, ",") + "\n")
		}
		return b.String()
	}
	want := "1,widget,19.99,2024-03-01\n2,gadget; ünïcode,-0.01,1999-12-31\n3,<NULL>,<NULL>,<NULL>\n"
	for _, name := range []string{"datasets.main.items_2024", "datasets.items_2024", "items_2024"} {
		if got := read("SELECT * FROM " + name + " ORDER BY id"); got != want {
			t.Fatalf("%s:\n%s\nwant\n%s", name, got, want)
		}
	}
	// The catalog shows it, with its types.
	if got := read(`SELECT column_name || ' ' || data_type FROM information_schema.columns WHERE table_schema = 'datasets' AND table_name = 'items_2024' ORDER BY ordinal_position`); got != "id bigint\nname text\namount numeric\nday date\n" {
		t.Fatalf("catalog:\n%s", got)
	}
	// Joined with a connection's table in one query.
	if got := read("SELECT count(*) FROM items_2024 i JOIN app.events e ON e.id = i.id"); got != "3\n" {
		t.Fatalf("join: %s", got)
	}

	// A new version replaces the data; versions are listed.
	h.API("PUT", "/v1/datasets/items_2024", map[string]any{"source": map[string]any{"inline": map[string]any{
		"content": `{"id": 10, "name": "json row"}` + "\n", "format": "ndjson"}}}, http.StatusOK)
	if got := read("SELECT id, name FROM datasets.items_2024"); got != "10,json row\n" {
		t.Fatalf("new version: %s", got)
	}
	versions := h.API("GET", "/v1/datasets/items_2024/versions", nil, http.StatusOK)["versions"].([]any)
	if len(versions) != 2 || versions[0].(map[string]any)["version"] != 2.0 || versions[0].(map[string]any)["current"] != true {
		t.Fatalf("versions: %v", versions)
	}

	// From a SQL query and from a saved query.
	ds = h.API("POST", "/v1/datasets", map[string]any{"label": "kinds", "table_name": "kinds",
		"source": map[string]any{"sql_query": "SELECT kind, count(*) AS n FROM app.events GROUP BY kind"}}, http.StatusCreated)
	if ds["row_count"] != 3.0 {
		t.Fatalf("sql dataset: %v", ds)
	}
	if got := read("SELECT kind, n FROM kinds ORDER BY kind"); got != "k0,10\nk1,10\nk2,10\n" {
		t.Fatalf("sql dataset rows: %s", got)
	}
	sq := h.API("POST", "/v1/queries", map[string]any{"name": "top ids", "sql": "SELECT id FROM app.events WHERE id > 25 ORDER BY id"}, http.StatusCreated)
	if sq["version"] != 1.0 {
		t.Fatalf("saved query: %v", sq)
	}
	sq = h.API("PUT", "/v1/queries/"+sq["id"].(string), map[string]any{"sql": "SELECT id FROM app.events WHERE id > 27 ORDER BY id"}, http.StatusOK)
	if sq["version"] != 2.0 {
		t.Fatalf("edited saved query: %v", sq)
	}
	if v := h.API("GET", "/v1/queries/"+sq["id"].(string)+"/versions", nil, http.StatusOK)["versions"].([]any); len(v) != 2 ||
		!strings.Contains(v[1].(map[string]any)["sql"].(string), "> 25") {
		t.Fatalf("saved query versions: %v", v)
	}
	run := h.API("POST", "/v1/queries/"+sq["id"].(string)+"/execute", nil, http.StatusOK)
	if fmt.Sprint(run["rows"]) != "[[28] [29] [30]]" {
		t.Fatalf("execute: %v", run)
	}
	h.API("POST", "/v1/datasets", map[string]any{"label": "top", "source": map[string]any{"saved_query_id": sq["id"]}}, http.StatusCreated)
	if got := read("SELECT count(*) FROM top"); got != "3\n" {
		t.Fatalf("saved query dataset: %s", got)
	}

	// Bad input.
	bad := []byte("id,qty\n1,2\n2,abc\n")
	_, badUp := upload(t, h, "bad.csv", "text/csv", bad)
	for _, c := range []struct {
		body   map[string]any
		status int
		text   string
	}{
		{map[string]any{"label": "bad", "source": map[string]any{"upload_id": badUp["id"], "columns": []map[string]any{{"name": "qty", "type": "integer"}}}}, 422, "line 3"},
		{map[string]any{"label": "x", "source": map[string]any{}}, 400, "one of"},
		{map[string]any{"label": "x", "source": map[string]any{"upload_id": "upl_nope"}}, 404, "upl_nope"},
		{map[string]any{"label": "kinds", "table_name": "kinds", "source": map[string]any{"sql_query": "SELECT 1"}}, 409, "kinds"},
		{map[string]any{"label": "x", "table_name": "Bad Name", "source": map[string]any{"sql_query": "SELECT 1"}}, 400, "table_name"},
		{map[string]any{"label": "x", "source": map[string]any{"sql_query": "SELECT * FROM nope"}}, 422, "nope"},
	} {
		status, body := h.APIRaw("POST", "/v1/datasets", c.body, testToken, h.WSID)
		if status != c.status || !strings.Contains(fmt.Sprint(body), c.text) {
			t.Errorf("%v: %d %v, want %d mentioning %q", c.body, status, body, c.status, c.text)
		}
	}
	// The failed load left no dataset behind; skip_bad_rows loads the rest.
	if _, ok := h.APIRaw("GET", "/v1/datasets/bad", nil, testToken, h.WSID); ok != nil && ok["error"] == nil {
		t.Fatalf("a failed load left a dataset: %v", ok)
	}
	ds = h.API("POST", "/v1/datasets", map[string]any{"label": "bad", "source": map[string]any{"upload_id": badUp["id"], "skip_bad_rows": true,
		"columns": []map[string]any{{"name": "qty", "type": "integer"}}}}, http.StatusCreated)
	if ds["row_count"] != 1.0 || !strings.Contains(fmt.Sprint(ds["warning"]), "skipped 1") {
		t.Fatalf("skip_bad_rows: %v", ds)
	}
	if status, body := upload(t, h, "big.bin", "application/octet-stream", bytes.Repeat([]byte("x"), 2<<20)); status != 413 {
		t.Fatalf("oversize upload: %d %v", status, body)
	}

	// Deleting a dataset takes it out of the catalog.
	h.API("DELETE", "/v1/datasets/kinds", nil, http.StatusOK)
	if _, err := connect(t, url).Exec(t.Context(), "SELECT * FROM datasets.kinds"); err == nil || !strings.Contains(err.Error(), "42P01") {
		t.Fatalf("deleted dataset: %v", err)
	}
	list := h.API("GET", "/v1/datasets", nil, http.StatusOK)
	if list["count"] != 3.0 {
		t.Fatalf("datasets: %v", list)
	}
	if _, err := os.Stat(h.DataDir); err != nil {
		t.Fatal(err)
	}
}

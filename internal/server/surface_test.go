package server_test

import (
	"bytes"
	"crypto/sha256"
	"database/sql"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	_ "github.com/duckdb/duckdb-go/v2" // database/sql driver "duckdb", to read Parquet back

	"github.com/hotdata-dev/hotdata/internal/hdtest"
	"github.com/hotdata-dev/hotdata/internal/testenv"
)

// TestRESTSurface drives the whole /v1 REST surface end to end with plain
// net/http, the way an outside client would: organizations, workspaces,
// members and tokens, secrets, connections and the schema, queries and
// their stored results in every format, async queries and the query
// history, uploads and datasets, saved queries, refresh jobs, and the
// deletion of a workspace with its folder. The harness only starts the
// server; every call below is an HTTP request built here.
func TestRESTSurface(t *testing.T) {
	h := hdtest.Start(t)
	s := &surfaceRun{t: t, h: h, api: &surfaceClient{t: t, base: "http://" + h.P.HTTPAddr()}}
	// The upstream: one table with ints, text, numeric, a float,
	// timestamps with and without time zone, and NULLs.
	s.upstream = testenv.Postgres(t)
	testenv.PostgresExec(t, s.upstream, surfaceTable, surfaceRows)

	s.orgAndWorkspace()
	s.tokensAndMembers()
	s.connection()
	s.queryAndResults()
	s.asyncAndHistory()
	s.datasets()
	s.savedQuery()
	s.refreshJob()
	s.deleteWorkspace()
}

// surfaceRun is what TestRESTSurface's steps hand on to the next ones.
type surfaceRun struct {
	t        *testing.T
	h        *hdtest.Harness
	api      *surfaceClient
	upstream string // the upstream database's URL

	orgID, ownerToken string // the new organization and its owner's token
	wsID              string // the workspace made in it
	token             string // limited to the workspace: the data work uses it
	viewer            string // a viewer member's token
	connID            string
	resID, runID      string // the stored result of surfaceSQL and its query run
}

// orgAndWorkspace creates an organization and, with its owner's token, a
// workspace in it; reads and renames the workspace.
func (s *surfaceRun) orgAndWorkspace() {
	t, api := s.t, s.api
	root := hdtest.Token
	created := api.call(root, "", "POST", "/v1/organizations", map[string]any{"name": "surface-org"}, http.StatusCreated)
	org := surfaceObj(t, created, "organization")
	orgID := surfaceStr(t, org, "id")
	owner := surfaceObj(t, created, "owner")
	ownerTok := surfaceObj(t, created, "token")
	ownerToken := surfaceStr(t, ownerTok, "token")
	surfaceFields(t, "POST /v1/organizations", created, map[string]any{"ok": true})
	surfaceFields(t, "organization", org, map[string]any{"name": "surface-org"})
	surfaceFields(t, "owner", owner, map[string]any{"role": "owner", "organization_id": orgID, "name": "admin"})
	surfaceFields(t, "owner token", ownerTok, map[string]any{"status": "active", "prefix": ownerToken[:min(10, len(ownerToken))]})
	surfacePrefix(t, "organization id", orgID, "org_")
	surfacePrefix(t, "owner token", ownerToken, "hd_")
	surfaceTime(t, "organization created_at", org["created_at"])

	// The bootstrap token belongs to another organization: the new one is
	// 404 to it (documented: a member belongs to one organization).
	api.fail(root, "", "POST", "/v1/workspaces", map[string]any{"name": "analytics", "organization_public_id": orgID}, http.StatusNotFound, "NOT_FOUND")

	out := api.call(ownerToken, "", "POST", "/v1/workspaces", map[string]any{"name": "analytics", "organization_public_id": orgID}, http.StatusCreated)
	ws := surfaceObj(t, out, "workspace")
	wsID := surfaceStr(t, ws, "public_id")
	surfacePrefix(t, "workspace id", wsID, "ws_")
	surfaceFields(t, "POST /v1/workspaces", ws, map[string]any{"name": "analytics", "namespace": "analytics", "provision_status": "ready",
		"organization_public_id": orgID, "status": "active", "active": true, "auto_resume": true, "engine_loaded": false})

	got := surfaceObj(t, api.call(ownerToken, "", "GET", "/v1/workspaces/"+wsID, nil, http.StatusOK), "workspace")
	surfaceFields(t, "GET /v1/workspaces/{id}", got, map[string]any{"public_id": wsID, "name": "analytics", "provision_status": "ready",
		"organization_public_id": orgID, "status": "active", "active": true, "favorite": false})
	surfaceTime(t, "workspace created_at", got["created_at"])

	got = surfaceObj(t, api.call(ownerToken, "", "PATCH", "/v1/workspaces/"+wsID, map[string]any{"name": "analytics_v2"}, http.StatusOK), "workspace")
	surfaceFields(t, "PATCH /v1/workspaces/{id}", got, map[string]any{"public_id": wsID, "name": "analytics_v2", "namespace": "analytics_v2",
		"organization_public_id": orgID, "auto_resume": true})
	got = surfaceObj(t, api.call(ownerToken, "", "GET", "/v1/workspaces/analytics_v2", nil, http.StatusOK), "workspace")
	surfaceFields(t, "GET /v1/workspaces/{new name}", got, map[string]any{"public_id": wsID})
	api.fail(ownerToken, "", "GET", "/v1/workspaces/analytics", nil, http.StatusNotFound, "NOT_FOUND")
	listed := surfaceList(t, api.call(ownerToken, "", "GET", "/v1/workspaces", nil, http.StatusOK), "workspaces")
	if len(listed) != 1 || listed[0]["public_id"] != wsID || listed[0]["name"] != "analytics_v2" {
		t.Fatalf("GET /v1/workspaces as the new owner = %v, want only %s", listed, wsID)
	}
	s.orgID, s.ownerToken, s.wsID = orgID, ownerToken, wsID
}

// tokensAndMembers makes a token limited to the workspace (used for the
// data work) and invites a viewer, who may read but not write secrets.
func (s *surfaceRun) tokensAndMembers() {
	t, api := s.t, s.api
	orgID, ownerToken, wsID := s.orgID, s.ownerToken, s.wsID
	// A token limited to the workspace, for the data work below.
	tokOut := surfaceObj(t, api.call(ownerToken, "", "POST", "/v1/tokens", map[string]any{"name": "surface", "workspace_id": wsID}, http.StatusCreated), "token")
	token := surfaceStr(t, tokOut, "token")
	surfacePrefix(t, "workspace token", token, "hd_")
	surfaceFields(t, "POST /v1/tokens", tokOut, map[string]any{"name": "surface", "workspace_id": wsID, "status": "active",
		"prefix": token[:min(10, len(token))], "revoked_at": nil})
	listedTok := surfaceObj(t, api.call(ownerToken, "", "GET", "/v1/tokens/"+surfaceStr(t, tokOut, "id"), nil, http.StatusOK), "token")
	if _, shown := listedTok["token"]; shown {
		t.Fatalf("GET /v1/tokens/{id} shows the token text again: %v", listedTok)
	}
	// Limited to one workspace: it cannot manage the organization.
	api.fail(token, "", "POST", "/v1/organizations/"+orgID+"/members", map[string]any{"name": "x", "role": "viewer"}, http.StatusForbidden, "FORBIDDEN")

	inv := api.call(ownerToken, "", "POST", "/v1/organizations/"+orgID+"/members", map[string]any{"email": "vera@example.com", "role": "viewer"}, http.StatusCreated)
	viewerMember := surfaceObj(t, inv, "member")
	surfaceFields(t, "invited member", viewerMember, map[string]any{"organization_id": orgID, "name": "vera@example.com",
		"email": "vera@example.com", "role": "viewer"})
	viewer := surfaceStr(t, surfaceObj(t, inv, "token"), "token")
	surfacePrefix(t, "viewer token", viewer, "hd_")
	members := surfaceList(t, api.call(viewer, "", "GET", "/v1/organizations/"+orgID+"/members", nil, http.StatusOK), "members")
	if len(members) != 2 {
		t.Fatalf("members = %v, want the owner and the viewer", members)
	}
	api.fail(viewer, wsID, "POST", "/v1/secrets", map[string]any{"name": "nope", "value": "x"}, http.StatusForbidden, "FORBIDDEN")
	s.token, s.viewer = token, viewer
}

// connection stores a secret (never shown again), registers the upstream,
// and reads the schema and the connection's health.
func (s *surfaceRun) connection() {
	t, api := s.t, s.api
	token, viewer, wsID := s.token, s.viewer, s.wsID
	const secretValue = "s3cret-value-never-shown"
	sec := api.call(token, wsID, "POST", "/v1/secrets", map[string]any{"name": "up_pw", "value": secretValue}, http.StatusCreated)
	surfaceFields(t, "POST /v1/secrets", sec, map[string]any{"name": "up_pw"})
	surfacePrefix(t, "secret id", surfaceStr(t, sec, "id"), "secr_")
	surfaceTime(t, "secret created_at", sec["created_at"])
	if _, ok := sec["value"]; ok {
		t.Fatalf("POST /v1/secrets returned the value: %v", sec)
	}
	r := api.do(token, wsID, "GET", "/v1/secrets/up_pw", nil)
	r.want(t, http.StatusOK)
	if bytes.Contains(r.body, []byte(secretValue)) {
		t.Fatalf("GET /v1/secrets/up_pw holds the value: %s", r.body)
	}
	meta := r.object(t)
	if !surfaceSameKeys(meta, "id", "name", "created_at", "updated_at") {
		t.Fatalf("GET /v1/secrets/up_pw = %v, want metadata only: id, name, created_at, updated_at", meta)
	}
	surfaceFields(t, "GET /v1/secrets/{name}", meta, map[string]any{"id": sec["id"], "name": "up_pw", "created_at": sec["created_at"]})
	r = api.do(viewer, wsID, "GET", "/v1/secrets", nil)
	r.want(t, http.StatusOK)
	if bytes.Contains(r.body, []byte(secretValue)) {
		t.Fatalf("GET /v1/secrets holds the value: %s", r.body)
	}
	if secrets := surfaceList(t, r.object(t), "secrets"); len(secrets) != 1 || secrets[0]["name"] != "up_pw" {
		t.Fatalf("GET /v1/secrets = %v", secrets)
	}

	u, _ := url.Parse(s.upstream)
	port, _ := strconv.Atoi(u.Port())
	conn := api.call(token, wsID, "POST", "/v1/connections", map[string]any{"name": "up", "source_type": "postgres", "secret_name": "up_pw",
		"config": map[string]any{"host": u.Hostname(), "port": port, "user": u.User.Username(), "database": strings.TrimPrefix(u.Path, "/"), "sslmode": "disable"}},
		http.StatusCreated)
	connID := surfaceStr(t, conn, "id")
	surfacePrefix(t, "connection id", connID, "conn_")
	surfaceFields(t, "POST /v1/connections", conn, map[string]any{"name": "up", "source_type": "postgres", "tables_discovered": 1, "discovery_status": "succeeded"})
	if _, ok := conn["discovery_error"]; ok {
		t.Fatalf("a discovery that succeeded has discovery_error: %v", conn)
	}
	detail := api.call(viewer, wsID, "GET", "/v1/connections/"+connID, nil, http.StatusOK)
	surfaceFields(t, "GET /v1/connections/{id}", detail, map[string]any{"id": connID, "name": "up", "secret_name": "up_pw", "secret_missing": false,
		"table_count": 1, "synced_table_count": 0})
	if cfg := surfaceObj(t, detail, "config"); cfg["password"] != nil || cfg["host"] != u.Hostname() {
		t.Fatalf("connection config = %v", cfg)
	}

	info := api.call(viewer, wsID, "GET", "/v1/information_schema?connection_id=up&include_columns=true", nil, http.StatusOK)
	surfaceFields(t, "GET /v1/information_schema", info, map[string]any{"count": 1, "has_more": false, "next_cursor": nil, "limit": 100})
	tables := surfaceList(t, info, "tables")
	surfaceFields(t, "information_schema table", tables[0], map[string]any{"connection_id": connID, "connection": "up", "schema": "public",
		"table": "readings", "synced": false, "last_sync": nil})
	var cols []string
	for _, c := range surfaceItems(t, tables[0]["columns"]) {
		cols = append(cols, fmt.Sprintf("%v %v %v", c["name"], c["data_type"], c["nullable"]))
	}
	// The types as the workspace's SQL sees them.
	wantCols := []string{"id integer false", "label text true", "qty bigint true", "price numeric(12,2) true", "ratio double precision true",
		"taken timestamp with time zone true", "local_ts timestamp without time zone true"}
	if !reflect.DeepEqual(cols, wantCols) {
		t.Errorf("information_schema columns =\n  %s\nwant\n  %s", strings.Join(cols, "\n  "), strings.Join(wantCols, "\n  "))
	}

	health := api.call(viewer, wsID, "GET", "/v1/connections/"+connID+"/health", nil, http.StatusOK)
	surfaceFields(t, "GET /v1/connections/{id}/health", health, map[string]any{"healthy": true})
	if ms, err := surfaceNum(health["latency_ms"]); err != nil || ms < 0 || ms > 30000 {
		t.Fatalf("health latency_ms = %v (%v)", health["latency_ms"], err)
	}
	if _, ok := health["error"]; ok {
		t.Fatalf("healthy connection has an error: %v", health)
	}
	s.connID = connID
}

// queryAndResults runs a query and reads its stored result as json, csv,
// arrow and parquet, whole and paged.
func (s *surfaceRun) queryAndResults() {
	t, api := s.t, s.api
	token, viewer, wsID := s.token, s.viewer, s.wsID
	q := api.call(token, wsID, "POST", "/v1/query", map[string]any{"sql": surfaceSQL}, http.StatusOK)
	resID, runID := surfaceStr(t, q, "result_id"), surfaceStr(t, q, "query_run_id")
	surfacePrefix(t, "result_id", resID, "res_")
	surfacePrefix(t, "query_run_id", runID, "qrun_")
	surfaceFields(t, "POST /v1/query", q, map[string]any{"row_count": len(surfaceWant)})
	if _, ok := q["warning"]; ok {
		t.Errorf("POST /v1/query warns: %v", q["warning"])
	}
	if ms, err := surfaceNum(q["execution_time_ms"]); err != nil || ms < 0 {
		t.Errorf("execution_time_ms = %v", q["execution_time_ms"])
	}
	surfaceColumns(t, "POST /v1/query", q)
	surfaceJSONRows(t, "POST /v1/query rows", q["rows"], surfaceWant)

	// A viewer queries too, and sees the same rows.
	vq := api.call(viewer, wsID, "POST", "/v1/query", map[string]any{"sql": surfaceSQL}, http.StatusOK)
	surfaceJSONRows(t, "viewer's POST /v1/query rows", vq["rows"], surfaceWant)

	// The table is now cached.
	tables := surfaceList(t, api.call(token, wsID, "GET", "/v1/information_schema?table=readings", nil, http.StatusOK), "tables")
	if len(tables) != 1 || tables[0]["synced"] != true || tables[0]["columns"] != nil {
		t.Fatalf("information_schema after the first query = %v, want synced and no columns (include_columns not set)", tables)
	}
	surfaceTime(t, "last_sync", tables[0]["last_sync"])

	resPath := "/v1/results/" + resID
	// json: ?format=json, Accept and the default all give the same body.
	r := api.do(token, wsID, "GET", resPath+"?format=json", nil)
	r.want(t, http.StatusOK)
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("json Content-Type = %q", ct)
	}
	if tot := r.header.Get("X-Total-Row-Count"); tot != strconv.Itoa(len(surfaceWant)) {
		t.Errorf("json X-Total-Row-Count = %q", tot)
	}
	if link := r.header.Get("Link"); link != "" {
		t.Errorf("a whole result has Link %q", link)
	}
	res := r.object(t)
	surfaceFields(t, "GET /v1/results/{id} json", res, map[string]any{"result_id": resID, "status": "succeeded", "row_count": len(surfaceWant), "error_message": nil})
	surfaceColumns(t, "GET /v1/results/{id} json", res)
	surfaceJSONRows(t, "GET /v1/results/{id} json rows", res["rows"], surfaceWant)
	for _, accept := range []string{"", "application/json"} {
		r2 := api.do(token, wsID, "GET", resPath, nil, "Accept", accept)
		r2.want(t, http.StatusOK)
		if !bytes.Equal(r2.body, r.body) {
			t.Errorf("Accept %q gave another body than ?format=json:\n%s\n%s", accept, r2.body, r.body)
		}
	}

	// csv
	r = api.do(token, wsID, "GET", resPath+"?format=csv", nil)
	r.want(t, http.StatusOK)
	if ct := r.header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("csv Content-Type = %q", ct)
	}
	if tot := r.header.Get("X-Total-Row-Count"); tot != strconv.Itoa(len(surfaceWant)) {
		t.Errorf("csv X-Total-Row-Count = %q", tot)
	}
	surfaceCSV(t, "GET /v1/results/{id} csv", r.body, surfaceColumnNames, surfaceWantCSV)
	// COPY … CSV HEADER: NULL is an empty field, an empty string "".
	if !bytes.Contains(r.body, []byte("\n3,,,,,,\n")) || !bytes.Contains(r.body, []byte("\n4,\"\",")) {
		t.Errorf("csv does not tell NULL (empty field) from '' (\"\"):\n%s", r.body)
	}
	if r2 := api.do(token, wsID, "GET", resPath, nil, "Accept", "text/csv"); !bytes.Equal(r2.body, r.body) {
		t.Errorf("Accept: text/csv gave another body than ?format=csv")
	}

	// arrow
	r = api.do(token, wsID, "GET", resPath, nil, "Accept", "application/vnd.apache.arrow.stream")
	r.want(t, http.StatusOK)
	if ct := r.header.Get("Content-Type"); ct != "application/vnd.apache.arrow.stream" {
		t.Errorf("arrow Content-Type = %q", ct)
	}
	schema, arrowRows := surfaceArrow(t, r.body)
	var types []string
	for _, f := range schema.Fields() {
		types = append(types, f.Name+" "+f.Type.String())
	}
	wantTypes := []string{"id int32", "label utf8", "qty int64", "price decimal(12, 2)", "ratio float64",
		"taken timestamp[us, tz=UTC]", "local_ts timestamp[us]"}
	if !reflect.DeepEqual(types, wantTypes) {
		t.Errorf("arrow schema =\n  %s\nwant\n  %s", strings.Join(types, "\n  "), strings.Join(wantTypes, "\n  "))
	}
	surfaceRowsEqual(t, "GET /v1/results/{id} arrow", arrowRows, surfaceWant)
	if r2 := api.do(token, wsID, "GET", resPath+"?format=arrow", nil); !bytes.Equal(r2.body, r.body) {
		t.Errorf("?format=arrow gave another body than Accept: arrow")
	}
	// Paged: offset 3 is the last two rows.
	r = api.do(token, wsID, "GET", resPath+"?format=arrow&offset=3", nil)
	r.want(t, http.StatusOK)
	_, arrowRows = surfaceArrow(t, r.body)
	surfaceRowsEqual(t, "arrow offset=3", arrowRows, surfaceWant[3:])

	// parquet: the stored file, read back with DuckDB.
	r = api.do(token, wsID, "GET", resPath+"?format=parquet", nil)
	r.want(t, http.StatusOK)
	if ct := r.header.Get("Content-Type"); ct != "application/vnd.apache.parquet" {
		t.Errorf("parquet Content-Type = %q", ct)
	}
	if !bytes.HasPrefix(r.body, []byte("PAR1")) || !bytes.HasSuffix(r.body, []byte("PAR1")) {
		t.Fatalf("parquet body does not start and end with PAR1 (%d bytes)", len(r.body))
	}
	pqTypes, pqRows := surfaceParquet(t, r.body)
	wantPQ := []string{"id INTEGER", "label VARCHAR", "qty BIGINT", "price DECIMAL(12,2)", "ratio DOUBLE",
		"taken TIMESTAMP WITH TIME ZONE", "local_ts TIMESTAMP"}
	if !reflect.DeepEqual(pqTypes, wantPQ) {
		t.Errorf("parquet schema (DuckDB) =\n  %s\nwant\n  %s", strings.Join(pqTypes, "\n  "), strings.Join(wantPQ, "\n  "))
	}
	surfaceRowsEqual(t, "GET /v1/results/{id} parquet", pqRows, surfaceWant)
	if r2 := api.do(token, wsID, "GET", resPath, nil, "Accept", "application/vnd.apache.parquet"); !bytes.Equal(r2.body, r.body) {
		t.Errorf("Accept: parquet gave another body than ?format=parquet")
	}

	// Paging with Link and X-Total-Row-Count, following Link to the end.
	var paged [][]any
	next := resPath + "?format=json&limit=2"
	for pages := 0; next != ""; pages++ {
		if pages > len(surfaceWant) {
			t.Fatalf("Link never ends: at %s", next)
		}
		r = api.do(token, wsID, "GET", next, nil)
		r.want(t, http.StatusOK)
		if tot := r.header.Get("X-Total-Row-Count"); tot != strconv.Itoa(len(surfaceWant)) {
			t.Errorf("%s: X-Total-Row-Count = %q", next, tot)
		}
		page := r.object(t)
		surfaceFields(t, next, page, map[string]any{"row_count": len(surfaceWant)})
		rows, _ := page["rows"].([]any)
		if len(rows) == 0 || len(rows) > 2 {
			t.Fatalf("%s: %d rows, want 1 or 2", next, len(rows))
		}
		for _, row := range rows {
			paged = append(paged, row.([]any))
		}
		next = surfaceNextLink(t, r.header.Get("Link"))
		if want := len(paged) < len(surfaceWant); (next != "") != want {
			t.Fatalf("after %d rows Link = %q", len(paged), r.header.Get("Link"))
		}
		if next != "" {
			if want := fmt.Sprintf("%s?format=json&limit=2&offset=%d", resPath, len(paged)); !surfaceSameURL(next, want) {
				t.Errorf("Link next = %s, want %s", next, want)
			}
		}
	}
	surfaceJSONRows(t, "json pages following Link", surfaceAnySlice(paged), surfaceWant)
	r = api.do(token, wsID, "GET", resPath+"?format=csv&offset=1&limit=2", nil)
	r.want(t, http.StatusOK)
	surfaceCSV(t, "csv offset=1&limit=2", r.body, surfaceColumnNames, surfaceWantCSV[1:3])
	if link := surfaceNextLink(t, r.header.Get("Link")); !surfaceSameURL(link, resPath+"?format=csv&limit=2&offset=3") {
		t.Errorf("csv page Link = %q", r.header.Get("Link"))
	}
	api.fail(token, wsID, "GET", resPath+"?format=xml", nil, http.StatusBadRequest, "INVALID_ARGUMENT")
	r = api.do(token, wsID, "GET", resPath, nil, "Accept", "image/png")
	r.wantError(t, http.StatusNotAcceptable, "NOT_ACCEPTABLE")
	s.resID, s.runID = resID, runID
}

// asyncAndHistory runs an async query to its end and reads the query history.
func (s *surfaceRun) asyncAndHistory() {
	t, api := s.t, s.api
	token, viewer, wsID, resID, runID := s.token, s.viewer, s.wsID, s.resID, s.runID
	// async: 202 at once, poll status_url, then the result.
	const asyncSQL = "SELECT id, label FROM up.public.readings WHERE id >= 4 ORDER BY id"
	r := api.do(token, wsID, "POST", "/v1/query", map[string]any{"sql": asyncSQL, "async": true})
	r.want(t, http.StatusAccepted)
	acc := r.object(t)
	asyncRun, asyncRes := surfaceStr(t, acc, "query_run_id"), surfaceStr(t, acc, "result_id")
	surfacePrefix(t, "async query_run_id", asyncRun, "qrun_")
	surfacePrefix(t, "async result_id", asyncRes, "res_")
	surfaceFields(t, "async 202", acc, map[string]any{"status_url": "/v1/query-runs/" + asyncRun})
	if s := acc["status"]; s != "running" && s != "pending" {
		t.Errorf("async 202 status = %v", s)
	}
	if loc := r.header.Get("Location"); loc != "/v1/query-runs/"+asyncRun {
		t.Errorf("async 202 Location = %q", loc)
	}
	run := surfacePoll(t, "query run "+asyncRun, func() map[string]any {
		return api.call(token, wsID, "GET", surfaceStr(t, acc, "status_url"), nil, http.StatusOK)
	})
	surfaceFields(t, "finished async run", run, map[string]any{"id": asyncRun, "status": "succeeded", "result_id": asyncRes, "row_count": 2,
		"sql_text": asyncSQL, "sql_hash": surfaceHash(asyncSQL), "error_message": nil, "source": "rest"})
	surfaceTime(t, "async run completed_at", run["completed_at"])
	res := api.call(token, wsID, "GET", "/v1/results/"+asyncRes, nil, http.StatusOK)
	surfaceFields(t, "async result", res, map[string]any{"result_id": asyncRes, "status": "succeeded", "row_count": 2})
	surfaceJSONRows(t, "async result rows", res["rows"], [][]any{{"4", ""}, {"5", "line one\nline two"}})

	// The history: newest first, with the hash of the SQL.
	hist := api.call(viewer, wsID, "GET", "/v1/query-runs", nil, http.StatusOK)
	runs := surfaceList(t, hist, "query_runs")
	byID := map[string]map[string]any{}
	for _, r := range runs {
		byID[r["id"].(string)] = r
	}
	if len(runs) < 3 || runs[0]["id"] != asyncRun {
		t.Errorf("query runs = %v, want at least 3, the async one first", runs)
	}
	first := byID[runID]
	if first == nil {
		t.Fatalf("query run %s is not in GET /v1/query-runs: %v", runID, runs)
	}
	surfaceFields(t, "query run of the first query", first, map[string]any{"status": "succeeded", "sql_text": surfaceSQL, "sql_hash": surfaceHash(surfaceSQL),
		"result_id": resID, "row_count": len(surfaceWant), "source": "rest", "error_message": nil})
	snap, _ := first["snapshot_id"].(string)
	surfacePrefix(t, "snapshot_id of a cached read", snap, "snap_")
	one := api.call(viewer, wsID, "GET", "/v1/query-runs/"+runID, nil, http.StatusOK)
	surfaceFields(t, "GET /v1/query-runs/{id}", one, map[string]any{"id": runID, "sql_hash": surfaceHash(surfaceSQL), "snapshot_id": snap})
}

// datasets uploads a CSV file, makes a dataset of it, queries it, and
// replaces its data with a new version.
func (s *surfaceRun) datasets() {
	t, api := s.t, s.api
	token, viewer, wsID := s.token, s.viewer, s.wsID
	csvBody := []byte("id,name,amount,day\n1,widget,19.99,2024-03-01\n2,\"gadget, large\",-0.01,1999-12-31\n3,,,\n")
	r := api.doRaw(token, wsID, "POST", "/v1/files?filename=orders.csv", bytes.NewReader(csvBody), "Content-Type", "text/csv")
	r.want(t, http.StatusCreated)
	up := r.object(t)
	upID := surfaceStr(t, up, "id")
	surfacePrefix(t, "upload id", upID, "upl_")
	sum := sha256.Sum256(csvBody)
	surfaceFields(t, "POST /v1/files", up, map[string]any{"status": "uploaded", "size_bytes": len(csvBody), "content_type": "text/csv",
		"filename": "orders.csv", "sha256": hex.EncodeToString(sum[:])})
	surfaceTime(t, "upload created_at", up["created_at"])
	files := surfaceList(t, api.call(viewer, wsID, "GET", "/v1/files", nil, http.StatusOK), "files")
	if len(files) != 1 || files[0]["id"] != upID || files[0]["size_bytes"] != json.Number(strconv.Itoa(len(csvBody))) {
		t.Fatalf("GET /v1/files = %v, want the upload %s", files, upID)
	}

	ds := api.call(token, wsID, "POST", "/v1/datasets", map[string]any{"label": "Orders 2024", "source": map[string]any{"upload_id": upID, "format": "csv",
		"columns": []map[string]any{{"name": "amount", "type": "numeric(12,2)"}}}}, http.StatusCreated)
	dsID := surfaceStr(t, ds, "id")
	surfacePrefix(t, "dataset id", dsID, "ds_")
	if ds["status"] != "ready" {
		ds = surfacePoll(t, "dataset "+dsID, func() map[string]any { return api.call(token, wsID, "GET", "/v1/datasets/"+dsID, nil, http.StatusOK) })
	}
	surfaceFields(t, "POST /v1/datasets", ds, map[string]any{"label": "Orders 2024", "schema_name": "main", "table_name": "orders_2024",
		"status": "ready", "version": 1, "row_count": 3})
	var dsCols []string
	for _, c := range surfaceItems(t, ds["columns"]) {
		dsCols = append(dsCols, fmt.Sprintf("%v %v", c["name"], c["data_type"]))
	}
	if want := []string{"id bigint", "name text", "amount numeric(12,2)", "day date"}; !reflect.DeepEqual(dsCols, want) {
		t.Errorf("dataset columns = %v, want %v", dsCols, want)
	}
	const dsSQL = "SELECT id, name, amount, day FROM datasets.main.orders_2024 ORDER BY id"
	q := api.call(token, wsID, "POST", "/v1/query", map[string]any{"sql": dsSQL}, http.StatusOK)
	surfaceFields(t, "dataset query", q, map[string]any{"row_count": 3})
	if cols := fmt.Sprint(q["columns"]); cols != "[id name amount day]" {
		t.Errorf("dataset query columns = %s", cols)
	}
	surfaceJSONRows(t, "dataset rows", q["rows"], [][]any{{"1", "widget", "19.99", "2024-03-01"}, {"2", "gadget, large", "-0.01", "1999-12-31"}, {"3", nil, nil, nil}})

	ds2 := api.call(token, wsID, "PUT", "/v1/datasets/"+dsID, map[string]any{"source": map[string]any{"inline": map[string]any{
		"content": "id,name,amount,day\n10,replaced,5.50,2025-01-02\n11,again,-7.25,2025-01-03\n", "format": "csv",
		"columns": []map[string]any{{"name": "amount", "type": "numeric(12,2)"}}}}}, http.StatusOK)
	surfaceFields(t, "PUT /v1/datasets/{id}", ds2, map[string]any{"id": dsID, "table_name": "orders_2024", "status": "ready", "version": 2, "row_count": 2})
	q = api.call(token, wsID, "POST", "/v1/query", map[string]any{"sql": dsSQL}, http.StatusOK)
	surfaceJSONRows(t, "dataset rows after PUT", q["rows"], [][]any{{"10", "replaced", "5.50", "2025-01-02"}, {"11", "again", "-7.25", "2025-01-03"}})
	vers := api.call(viewer, wsID, "GET", "/v1/datasets/"+dsID+"/versions", nil, http.StatusOK)
	surfaceFields(t, "GET /v1/datasets/{id}/versions", vers, map[string]any{"dataset_id": dsID, "count": 2})
	versions := surfaceItems(t, vers["versions"])
	if len(versions) != 2 {
		t.Fatalf("dataset versions = %v", versions)
	}
	surfaceFields(t, "dataset version 2", versions[0], map[string]any{"version": 2, "current": true, "row_count": 2, "retired_at": nil})
	surfaceFields(t, "dataset version 1", versions[1], map[string]any{"version": 1, "current": false, "row_count": 3})
}

// savedQuery saves a query, edits it, executes it, and makes a dataset of it.
func (s *surfaceRun) savedQuery() {
	t, api := s.t, s.api
	token, viewer, wsID := s.token, s.viewer, s.wsID
	const sq1 = "SELECT id, qty FROM up.public.readings WHERE qty > 0 ORDER BY id"
	const sq2 = "SELECT id, qty FROM up.public.readings WHERE qty > 8 ORDER BY id"
	sq := api.call(token, wsID, "POST", "/v1/queries", map[string]any{"name": "big qty", "description": "positive quantities", "sql": sq1}, http.StatusCreated)
	sqID := surfaceStr(t, sq, "id")
	surfacePrefix(t, "saved query id", sqID, "sq_")
	surfaceFields(t, "POST /v1/queries", sq, map[string]any{"name": "big qty", "description": "positive quantities", "sql": sq1, "version": 1})
	sq = api.call(token, wsID, "PUT", "/v1/queries/"+sqID, map[string]any{"sql": sq2}, http.StatusOK)
	surfaceFields(t, "PUT /v1/queries/{id}", sq, map[string]any{"id": sqID, "name": "big qty", "description": "positive quantities", "sql": sq2, "version": 2})
	sq = api.call(viewer, wsID, "GET", "/v1/queries/"+sqID, nil, http.StatusOK)
	surfaceFields(t, "GET /v1/queries/{id}", sq, map[string]any{"id": sqID, "sql": sq2, "version": 2})
	sqv := api.call(viewer, wsID, "GET", "/v1/queries/"+sqID+"/versions", nil, http.StatusOK)
	surfaceFields(t, "GET /v1/queries/{id}/versions", sqv, map[string]any{"id": sqID, "count": 2})
	sqVersions := surfaceItems(t, sqv["versions"])
	if len(sqVersions) != 2 {
		t.Fatalf("saved query versions = %v", sqVersions)
	}
	surfaceFields(t, "saved query version 2 (newest first)", sqVersions[0], map[string]any{"version": 2, "sql": sq2})
	surfaceFields(t, "saved query version 1", sqVersions[1], map[string]any{"version": 1, "sql": sq1})
	// Executing runs the current version; with no body, and as a viewer.
	ex := api.call(viewer, wsID, "POST", "/v1/queries/"+sqID+"/execute", nil, http.StatusOK)
	bigQty := [][]any{{"1", "10"}, {"4", "9007199254740993"}}
	surfaceFields(t, "POST /v1/queries/{id}/execute", ex, map[string]any{"row_count": 2})
	surfaceJSONRows(t, "execute rows", ex["rows"], bigQty)
	surfacePrefix(t, "execute result_id", surfaceStr(t, ex, "result_id"), "res_")
	sqDS := api.call(token, wsID, "POST", "/v1/datasets", map[string]any{"label": "Big qty", "source": map[string]any{"saved_query_id": sqID}}, http.StatusCreated)
	surfaceFields(t, "dataset from a saved query", sqDS, map[string]any{"table_name": "big_qty", "status": "ready", "version": 1, "row_count": 2})
	q := api.call(token, wsID, "POST", "/v1/query", map[string]any{"sql": "SELECT id, qty FROM datasets.main.big_qty ORDER BY id"}, http.StatusOK)
	surfaceJSONRows(t, "saved-query dataset rows", q["rows"], bigQty)
}

// refreshJob refreshes the cache in a background job and sees the upstream's new row.
func (s *surfaceRun) refreshJob() {
	t, api := s.t, s.api
	token, viewer, wsID, connID := s.token, s.viewer, s.wsID, s.connID
	// A new upstream row is not seen until the cache is refreshed.
	testenv.PostgresExec(t, s.upstream, "INSERT INTO readings (id, label) VALUES (6, 'late')")
	const countSQL = "SELECT count(*) AS n, max(id) AS top FROM up.public.readings"
	q := api.call(token, wsID, "POST", "/v1/query", map[string]any{"sql": countSQL}, http.StatusOK)
	surfaceJSONRows(t, "count before refresh", q["rows"], [][]any{{"5", "5"}})
	r := api.do(token, wsID, "POST", "/v1/refresh", map[string]any{"connection_id": connID, "data": true, "async": true})
	r.want(t, http.StatusAccepted)
	ref := r.object(t)
	job := surfaceObj(t, ref, "job")
	jobID := surfaceStr(t, job, "id")
	surfacePrefix(t, "job id", jobID, "job_")
	surfaceFields(t, "POST /v1/refresh async", ref, map[string]any{"ok": true, "status_url": "/v1/jobs/" + jobID})
	surfaceFields(t, "202 job", job, map[string]any{"type": "refresh"})
	if loc := r.header.Get("Location"); loc != "/v1/jobs/"+jobID {
		t.Errorf("refresh 202 Location = %q", loc)
	}
	job = surfacePoll(t, "job "+jobID, func() map[string]any { return api.call(viewer, wsID, "GET", "/v1/jobs/"+jobID, nil, http.StatusOK) })
	surfaceFields(t, "finished refresh job", job, map[string]any{"id": jobID, "type": "refresh", "status": "succeeded"})
	if e, ok := job["error"]; ok {
		t.Errorf("succeeded job has error %v", e)
	}
	surfaceTime(t, "job completed_at", job["completed_at"])
	// A data refresh's progress sums its table syncs: the one table's 6 rows.
	prog := surfaceObj(t, job, "progress")
	f, ferr := surfaceNum(prog["fraction"])
	rows, rerr := surfaceNum(prog["rows"])
	bytes, berr := surfaceNum(prog["bytes"])
	if ferr != nil || rerr != nil || berr != nil || f != 1 || rows != 6 || bytes <= 0 {
		t.Errorf("finished job progress = %v, want fraction 1, rows 6 and the snapshot's bytes", job["progress"])
	}
	q = api.call(token, wsID, "POST", "/v1/query", map[string]any{"sql": countSQL}, http.StatusOK)
	surfaceJSONRows(t, "count after refresh", q["rows"], [][]any{{"6", "6"}})
	jobs := surfaceList(t, api.call(viewer, wsID, "GET", "/v1/jobs", nil, http.StatusOK), "jobs")
	found := false
	for _, j := range jobs {
		found = found || j["id"] == jobID && j["status"] == "succeeded"
	}
	if !found {
		t.Errorf("GET /v1/jobs = %v, want the succeeded job %s", jobs, jobID)
	}
}

// deleteWorkspace deletes the workspace: it, its queries and results are
// 404, its token is gone, and so is its folder.
func (s *surfaceRun) deleteWorkspace() {
	t, api := s.t, s.api
	h, token, viewer, ownerToken, wsID := s.h, s.token, s.viewer, s.ownerToken, s.wsID
	resPath := "/v1/results/" + s.resID
	dir := filepath.Join(h.DataDir, "workspaces", wsID)
	for _, sub := range []string{"tables", "uploads", "results", "datasets"} {
		if entries, err := os.ReadDir(filepath.Join(dir, sub)); err != nil || len(entries) == 0 {
			t.Fatalf("%s/%s before the delete: %d entries, %v", dir, sub, len(entries), err)
		}
	}
	api.fail(viewer, "", "DELETE", "/v1/workspaces/"+wsID, nil, http.StatusForbidden, "FORBIDDEN")
	// docs/api.md: "A token limited to one workspace cannot manage the
	// organization (403): members, workspaces, organizations." Probed with
	// a rename to the same name, which changes nothing if it is let through
	// (a DELETE would delete the workspace).
	if msg := api.do(token, "", "PATCH", "/v1/workspaces/"+wsID, map[string]any{"name": "analytics_v2"}).errorMismatch(http.StatusForbidden, "FORBIDDEN"); msg != "" {
		t.Errorf("a token limited to the workspace manages it: %s", msg)
	} else {
		// Safe to try now: were they let through, they would act.
		api.fail(token, "", "POST", "/v1/workspaces/"+wsID+"/suspend", nil, http.StatusForbidden, "FORBIDDEN")
		api.fail(token, "", "DELETE", "/v1/workspaces/"+wsID, nil, http.StatusForbidden, "FORBIDDEN")
	}
	gone := surfaceObj(t, api.call(ownerToken, "", "DELETE", "/v1/workspaces/"+wsID, nil, http.StatusOK), "workspace")
	surfaceFields(t, "DELETE /v1/workspaces/{id}", gone, map[string]any{"public_id": wsID, "name": "analytics_v2", "status": "deleted", "engine_loaded": false})
	api.fail(ownerToken, "", "GET", "/v1/workspaces/"+wsID, nil, http.StatusNotFound, "NOT_FOUND")
	api.fail(ownerToken, wsID, "POST", "/v1/query", map[string]any{"sql": "SELECT 1"}, http.StatusNotFound, "NOT_FOUND")
	api.fail(viewer, wsID, "POST", "/v1/query", map[string]any{"sql": surfaceSQL}, http.StatusNotFound, "NOT_FOUND")
	api.fail(ownerToken, wsID, "GET", resPath, nil, http.StatusNotFound, "NOT_FOUND")
	// The token limited to it went with it.
	api.fail(token, wsID, "POST", "/v1/query", map[string]any{"sql": "SELECT 1"}, http.StatusUnauthorized, "UNAUTHENTICATED")
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		left, _ := filepath.Glob(filepath.Join(dir, "*"))
		t.Fatalf("workspace folder after the delete: %v (holds %v)", err, left)
	}
	if listed := surfaceList(t, api.call(ownerToken, "", "GET", "/v1/workspaces", nil, http.StatusOK), "workspaces"); len(listed) != 0 {
		t.Fatalf("workspaces after the delete = %v", listed)
	}
	// The bootstrap organization's workspace is untouched.
	api.call(hdtest.Token, h.WSID, "POST", "/v1/query", map[string]any{"sql": "SELECT 1"}, http.StatusOK)
}

// The upstream table and its rows.
const surfaceTable = `CREATE TABLE readings (
	id int PRIMARY KEY,
	label text,
	qty bigint,
	price numeric(12,2),
	ratio double precision,
	taken timestamptz,
	local_ts timestamp
)`

const surfaceRows = `INSERT INTO readings VALUES
	(1, 'alpha', 10, 19.99, 0.5, '2024-03-01 12:30:45.123456+00', '2024-03-01 12:30:45.5'),
	(2, 'béta, "quoted"', -42, -0.01, -1.25, '1999-12-31 23:59:59+05:30', '1999-12-31 23:59:59'),
	(3, NULL, NULL, NULL, NULL, NULL, NULL),
	(4, '', 9007199254740993, 1234567890.12, 0, '2024-02-29 00:00:00+00', '2024-02-29 00:00:00'),
	(5, E'line one\nline two', 7, 0, 3.75, '2030-01-01 00:00:00+00', '2030-01-01 08:00:00')`

const surfaceSQL = "SELECT id, label, qty, price, ratio, taken, local_ts FROM up.public.readings ORDER BY id"

var surfaceColumnNames = []string{"id", "label", "qty", "price", "ratio", "taken", "local_ts"}

// surfaceWant is every row as the API renders it, as text: numbers as
// written, decimals exact, timestamps with a zone in RFC 3339 UTC and
// without one as local time; nil is NULL.
var surfaceWant = [][]any{
	{"1", "alpha", "10", "19.99", "0.5", "2024-03-01T12:30:45.123456Z", "2024-03-01T12:30:45.5"},
	{"2", `béta, "quoted"`, "-42", "-0.01", "-1.25", "1999-12-31T18:29:59Z", "1999-12-31T23:59:59"},
	{"3", nil, nil, nil, nil, nil, nil},
	{"4", "", "9007199254740993", "1234567890.12", "0", "2024-02-29T00:00:00Z", "2024-02-29T00:00:00"},
	{"5", "line one\nline two", "7", "0.00", "3.75", "2030-01-01T00:00:00Z", "2030-01-01T08:00:00"},
}

// surfaceWantCSV is every row as CSV renders it: PostgreSQL's text, as
// COPY … CSV writes it (timestamptz in UTC).
var surfaceWantCSV = [][]any{
	{"1", "alpha", "10", "19.99", "0.5", "2024-03-01 12:30:45.123456+00", "2024-03-01 12:30:45.5"},
	{"2", `béta, "quoted"`, "-42", "-0.01", "-1.25", "1999-12-31 18:29:59+00", "1999-12-31 23:59:59"},
	{"3", nil, nil, nil, nil, nil, nil},
	{"4", "", "9007199254740993", "1234567890.12", "0", "2024-02-29 00:00:00+00", "2024-02-29 00:00:00"},
	{"5", "line one\nline two", "7", "0.00", "3.75", "2030-01-01 00:00:00+00", "2030-01-01 08:00:00"},
}

// surfaceJSONKinds says which columns JSON renders as numbers (the
// others are strings: decimals so that no digit is lost, timestamps).
var surfaceJSONKinds = []bool{true, false, true, false, true, false, false}

// surfaceClient makes raw REST calls.
type surfaceClient struct {
	t    *testing.T
	base string
}

// surfaceResp is a raw answer.
type surfaceResp struct {
	method, path string
	status       int
	header       http.Header
	body         []byte
}

// do sends a JSON body (nil: none) with the token and workspace header
// (empty: not sent) and extra header pairs.
func (c *surfaceClient) do(token, ws, method, path string, body any, headers ...string) surfaceResp {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = bytes.NewReader(data)
		headers = append([]string{"Content-Type", "application/json"}, headers...)
	}
	return c.doRaw(token, ws, method, path, rd, headers...)
}

// doRaw sends any body.
func (c *surfaceClient) doRaw(token, ws, method, path string, body io.Reader, headers ...string) surfaceResp {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if ws != "" {
		req.Header.Set("X-Workspace-Id", ws)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i+1] != "" {
			req.Header.Set(headers[i], headers[i+1])
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatalf("%s %s: reading the body: %v", method, path, err)
	}
	return surfaceResp{method: method, path: path, status: resp.StatusCode, header: resp.Header, body: data}
}

// call sends JSON and decodes the JSON answer, failing on another status.
func (c *surfaceClient) call(token, ws, method, path string, body any, want int) map[string]any {
	c.t.Helper()
	r := c.do(token, ws, method, path, body)
	r.want(c.t, want)
	return r.object(c.t)
}

// fail checks an error answer's status and code.
func (c *surfaceClient) fail(token, ws, method, path string, body any, status int, code string) {
	c.t.Helper()
	c.do(token, ws, method, path, body).wantError(c.t, status, code)
}

func (r surfaceResp) want(t *testing.T, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("%s %s = %d %s, want %d", r.method, r.path, r.status, surfaceShort(r.body), status)
	}
}

// object decodes the body as a JSON object, numbers kept exact.
func (r surfaceResp) object(t *testing.T) map[string]any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(r.body))
	dec.UseNumber()
	var out map[string]any
	if err := dec.Decode(&out); err != nil {
		t.Fatalf("%s %s: the answer is not a JSON object (%v): %s", r.method, r.path, err, surfaceShort(r.body))
	}
	return out
}

// wantError checks the status and the {"error": {"code", "message"}} shape.
func (r surfaceResp) wantError(t *testing.T, status int, code string) {
	t.Helper()
	if msg := r.errorMismatch(status, code); msg != "" {
		t.Fatal(msg)
	}
}

// errorMismatch says how the answer differs from the error wanted ("" if not).
func (r surfaceResp) errorMismatch(status int, code string) string {
	var e struct {
		Error *struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if r.status != status || json.Unmarshal(r.body, &e) != nil || e.Error == nil || e.Error.Code != code || e.Error.Message == "" {
		return fmt.Sprintf("%s %s = %d %s, want %d with error code %s and a message", r.method, r.path, r.status, surfaceShort(r.body), status, code)
	}
	return ""
}

func surfaceShort(b []byte) string {
	if len(b) > 600 {
		return string(b[:600]) + "…"
	}
	return string(b)
}

// surfaceSame compares a decoded JSON value with a Go value: ints and
// floats match JSON numbers only, strings strings, bools bools, nil null.
func surfaceSame(got, want any) bool {
	switch w := want.(type) {
	case nil:
		return got == nil
	case int:
		n, ok := got.(json.Number)
		return ok && n.String() == strconv.Itoa(w)
	case float64:
		f, err := surfaceNum(got)
		return err == nil && f == w
	case json.Number:
		n, ok := got.(json.Number)
		return ok && n == w
	case string, bool:
		return got == want
	}
	return reflect.DeepEqual(got, want)
}

// surfaceFields checks some fields of an object, reporting every mismatch.
func surfaceFields(t *testing.T, what string, obj map[string]any, want map[string]any) {
	t.Helper()
	var bad []string
	for k, w := range want {
		g, ok := obj[k]
		if !ok {
			bad = append(bad, fmt.Sprintf("%s missing (want %#v)", k, w))
		} else if !surfaceSame(g, w) {
			bad = append(bad, fmt.Sprintf("%s = %#v, want %#v", k, g, w))
		}
	}
	if len(bad) > 0 {
		t.Fatalf("%s: %s\nin %v", what, strings.Join(bad, "; "), obj)
	}
}

func surfaceNum(v any) (float64, error) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, fmt.Errorf("%#v is not a JSON number", v)
	}
	return n.Float64()
}

func surfaceObj(t *testing.T, m map[string]any, key string) map[string]any {
	t.Helper()
	o, ok := m[key].(map[string]any)
	if !ok {
		t.Fatalf("%v has no object %q", m, key)
	}
	return o
}

func surfaceStr(t *testing.T, m map[string]any, key string) string {
	t.Helper()
	s, ok := m[key].(string)
	if !ok || s == "" {
		t.Fatalf("%v has no string %q", m, key)
	}
	return s
}

func surfaceItems(t *testing.T, v any) []map[string]any {
	t.Helper()
	raw, ok := v.([]any)
	if !ok {
		t.Fatalf("%#v is not a list", v)
	}
	out := make([]map[string]any, len(raw))
	for i, x := range raw {
		if out[i], ok = x.(map[string]any); !ok {
			t.Fatalf("item %d of %v is not an object", i, raw)
		}
	}
	return out
}

// surfaceList reads a list field, checking count when the answer has one.
func surfaceList(t *testing.T, m map[string]any, key string) []map[string]any {
	t.Helper()
	list := surfaceItems(t, m[key])
	if n, ok := m["count"]; ok && !surfaceSame(n, len(list)) {
		t.Fatalf("count = %v with %d %s", n, len(list), key)
	}
	return list
}

func surfaceSameKeys(m map[string]any, keys ...string) bool {
	if len(m) != len(keys) {
		return false
	}
	for _, k := range keys {
		if _, ok := m[k]; !ok {
			return false
		}
	}
	return true
}

func surfacePrefix(t *testing.T, what, s, prefix string) {
	t.Helper()
	if !strings.HasPrefix(s, prefix) || len(s) <= len(prefix) {
		t.Fatalf("%s = %q, want %s…", what, s, prefix)
	}
}

// surfaceTime checks an RFC 3339 UTC timestamp close to now.
func surfaceTime(t *testing.T, what string, v any) {
	t.Helper()
	s, _ := v.(string)
	ts, err := time.Parse(time.RFC3339, s)
	if err != nil || !strings.HasSuffix(s, "Z") || time.Since(ts) > time.Hour || time.Until(ts) > time.Minute {
		t.Fatalf("%s = %#v, want an RFC 3339 UTC time of now", what, v)
	}
}

// surfaceHash is sql_hash: the first 16 bytes of the SQL's SHA-256, hex.
func surfaceHash(sql string) string {
	sum := sha256.Sum256([]byte(sql))
	return hex.EncodeToString(sum[:16])
}

// surfacePoll calls get until its status is no longer pending or running.
func surfacePoll(t *testing.T, what string, get func() map[string]any) map[string]any {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		out := get()
		if s := out["status"]; s != "running" && s != "pending" && s != "loading" {
			return out
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s still %v after 60s: %v", what, out["status"], out)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// surfaceColumns checks columns and nullable of a query or result answer.
func surfaceColumns(t *testing.T, what string, out map[string]any) {
	t.Helper()
	if got := fmt.Sprint(out["columns"]); got != fmt.Sprint(surfaceColumnNames) {
		t.Errorf("%s: columns = %s, want %v", what, got, surfaceColumnNames)
	}
	nullable, _ := out["nullable"].([]any)
	if len(nullable) != len(surfaceColumnNames) {
		t.Errorf("%s: nullable = %v, want one per column", what, out["nullable"])
	}
	for i, n := range nullable {
		if _, ok := n.(bool); !ok {
			t.Errorf("%s: nullable[%d] = %#v, want a boolean", what, i, n)
		}
	}
}

// surfaceJSONRows compares JSON rows with want (text, nil for NULL);
// for the upstream table's rows it also checks which are JSON numbers.
func surfaceJSONRows(t *testing.T, what string, rows any, want [][]any) {
	t.Helper()
	list, ok := rows.([]any)
	if !ok {
		t.Fatalf("%s: rows = %#v, want a list", what, rows)
	}
	got := make([][]any, len(list))
	for i, r := range list {
		cells, ok := r.([]any)
		if !ok {
			t.Fatalf("%s: row %d = %#v, want a list", what, i, r)
		}
		got[i] = make([]any, len(cells))
		for j, v := range cells {
			switch v := v.(type) {
			case nil:
			case json.Number:
				got[i][j] = v.String()
				if len(cells) == len(surfaceJSONKinds) && !surfaceJSONKinds[j] {
					t.Errorf("%s: row %d column %d is the JSON number %s, want a string", what, i, j, v)
				}
			case string:
				got[i][j] = v
				if len(cells) == len(surfaceJSONKinds) && surfaceJSONKinds[j] {
					t.Errorf("%s: row %d column %d is the JSON string %q, want a number", what, i, j, v)
				}
			default:
				got[i][j] = fmt.Sprint(v)
			}
		}
	}
	surfaceRowsEqual(t, what, got, want)
}

func surfaceRowsEqual(t *testing.T, what string, got, want [][]any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got %s\nwant %s", what, surfaceFmtRows(got), surfaceFmtRows(want))
	}
}

func surfaceFmtRows(rows [][]any) string {
	var b strings.Builder
	for _, r := range rows {
		b.WriteString("\n  [")
		for j, v := range r {
			if j > 0 {
				b.WriteString(", ")
			}
			if v == nil {
				b.WriteString("NULL")
			} else {
				fmt.Fprintf(&b, "%q", v)
			}
		}
		b.WriteString("]")
	}
	return b.String()
}

func surfaceAnySlice(rows [][]any) any {
	out := make([]any, len(rows))
	for i, r := range rows {
		out[i] = r
	}
	return out
}

// surfaceCSV parses a CSV body and compares it with header and want
// (NULL and the empty string both read as an empty field here).
func surfaceCSV(t *testing.T, what string, body []byte, header []string, want [][]any) {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatalf("%s: not CSV: %v\n%s", what, err, body)
	}
	if len(recs) == 0 || !reflect.DeepEqual(recs[0], header) {
		t.Fatalf("%s: header = %v, want %v", what, recs, header)
	}
	got := make([][]any, len(recs)-1)
	for i, rec := range recs[1:] {
		got[i] = make([]any, len(rec))
		for j, f := range rec {
			got[i][j] = f
		}
	}
	wantText := make([][]any, len(want))
	for i, r := range want {
		wantText[i] = make([]any, len(r))
		for j, v := range r {
			if v == nil {
				v = ""
			}
			wantText[i][j] = v
		}
	}
	surfaceRowsEqual(t, what, got, wantText)
}

// surfaceArrow decodes an Arrow IPC stream into its schema and rows as text.
func surfaceArrow(t *testing.T, body []byte) (*arrow.Schema, [][]any) {
	t.Helper()
	rd, err := ipc.NewReader(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("not an Arrow IPC stream: %v", err)
	}
	defer rd.Release()
	var rows [][]any
	for rd.Next() {
		rec := rd.RecordBatch()
		for i := 0; i < int(rec.NumRows()); i++ {
			row := make([]any, rec.NumCols())
			for c := range row {
				row[c] = surfaceArrowCell(t, rec.Column(c), i)
			}
			rows = append(rows, row)
		}
	}
	if err := rd.Err(); err != nil {
		t.Fatalf("reading the Arrow stream: %v", err)
	}
	return rd.Schema(), rows
}

func surfaceArrowCell(t *testing.T, col arrow.Array, i int) any {
	t.Helper()
	if col.IsNull(i) {
		return nil
	}
	switch a := col.(type) {
	case *array.Int32:
		return strconv.FormatInt(int64(a.Value(i)), 10)
	case *array.Int64:
		return strconv.FormatInt(a.Value(i), 10)
	case *array.Float64:
		return strconv.FormatFloat(a.Value(i), 'f', -1, 64)
	case *array.Decimal128:
		return a.Value(i).ToString(a.DataType().(*arrow.Decimal128Type).Scale)
	case *array.Timestamp:
		tt := a.DataType().(*arrow.TimestampType)
		return surfaceTS(a.Value(i).ToTime(tt.Unit), tt.TimeZone != "")
	case interface{ Value(int) string }:
		return a.Value(i)
	}
	t.Fatalf("arrow column of type %s: not handled here", col.DataType())
	return nil
}

// surfaceTS renders a timestamp as the API does: with a zone RFC 3339
// UTC, without one as local time.
func surfaceTS(ts time.Time, zoned bool) string {
	if zoned {
		return ts.UTC().Format(time.RFC3339Nano)
	}
	return ts.UTC().Format("2006-01-02T15:04:05.999999999")
}

// surfaceParquet reads a Parquet file with DuckDB: its column types and
// the upstream table's rows as text.
func surfaceParquet(t *testing.T, body []byte) ([]string, [][]any) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "result.parquet")
	if err := os.WriteFile(path, body, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	src := "read_parquet('" + strings.ReplaceAll(path, "'", "''") + "')"
	trows, err := db.Query("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM " + src + ")")
	if err != nil {
		t.Fatalf("DuckDB cannot read the Parquet file: %v", err)
	}
	var types []string
	for trows.Next() {
		var name, typ string
		if err := trows.Scan(&name, &typ); err != nil {
			t.Fatal(err)
		}
		types = append(types, name+" "+typ)
	}
	if err := trows.Err(); err != nil {
		t.Fatal(err)
	}
	rows, err := db.Query("SELECT id, label, qty, CAST(price AS VARCHAR), ratio, taken, local_ts FROM " + src + " ORDER BY id")
	if err != nil {
		t.Fatalf("reading the Parquet rows: %v", err)
	}
	defer rows.Close()
	var out [][]any
	for rows.Next() {
		var (
			id           int64
			label, price sql.NullString
			qty          sql.NullInt64
			ratio        sql.NullFloat64
			taken, local sql.NullTime
		)
		if err := rows.Scan(&id, &label, &qty, &price, &ratio, &taken, &local); err != nil {
			t.Fatal(err)
		}
		row := []any{strconv.FormatInt(id, 10), nil, nil, nil, nil, nil, nil}
		if label.Valid {
			row[1] = label.String
		}
		if qty.Valid {
			row[2] = strconv.FormatInt(qty.Int64, 10)
		}
		if price.Valid {
			row[3] = price.String
		}
		if ratio.Valid {
			row[4] = strconv.FormatFloat(ratio.Float64, 'f', -1, 64)
		}
		if taken.Valid {
			row[5] = surfaceTS(taken.Time, true)
		}
		if local.Valid {
			row[6] = surfaceTS(local.Time, false)
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return types, out
}

var surfaceLinkRE = regexp.MustCompile(`^<([^>]+)>;\s*rel="next"$`)

// surfaceNextLink is the target of a Link rel="next" header ("" if none).
func surfaceNextLink(t *testing.T, link string) string {
	t.Helper()
	if link == "" {
		return ""
	}
	m := surfaceLinkRE.FindStringSubmatch(link)
	if m == nil {
		t.Fatalf("Link = %q, want <…>; rel=\"next\"", link)
	}
	return m[1]
}

// surfaceSameURL compares two relative URLs, query parameters in any order.
func surfaceSameURL(a, b string) bool {
	ua, err1 := url.Parse(a)
	ub, err2 := url.Parse(b)
	return err1 == nil && err2 == nil && ua.Path == ub.Path && reflect.DeepEqual(ua.Query(), ub.Query())
}

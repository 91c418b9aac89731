package server_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/hotdata-dev/hotdata/cache"
	"github.com/hotdata-dev/hotdata/internal/hdtest"
	"github.com/hotdata-dev/hotdata/internal/testenv"
	"github.com/hotdata-dev/hotdata/metastore"
)

// pgConfig is a postgres connection's config for a database URL.
func pgConfig(dbURL string) map[string]any {
	u, _ := url.Parse(dbURL)
	port, _ := strconv.Atoi(u.Port())
	return map[string]any{"host": u.Hostname(), "port": port, "user": u.User.Username(), "database": u.Path[1:], "sslmode": "disable"}
}

// countRows runs a one-number query over REST in a workspace.
func countRows(t *testing.T, h *hdtest.Harness, ws, sql string) float64 {
	t.Helper()
	out := callAs(t, h, hdtest.Token, ws, "POST", "/v1/query", map[string]any{"sql": sql}, http.StatusOK)
	rows, _ := out["rows"].([]any)
	if len(rows) != 1 {
		t.Fatalf("%s: rows = %v", sql, out)
	}
	return rows[0].([]any)[0].(float64)
}

func workspaceOf(t *testing.T, h *hdtest.Harness, ref string) map[string]any {
	t.Helper()
	return field(t, callAs(t, h, hdtest.Token, "", "GET", "/v1/workspaces/"+ref, nil, http.StatusOK), "workspace")
}

// TestWorkspaceCRUD: creating, reading, renaming and setting limits.
func TestWorkspaceCRUD(t *testing.T) {
	h := hdtest.Start(t)
	root := hdtest.Token
	orgID := h.P.Bootstrapped.Organization.ID

	out := callAs(t, h, root, "", "POST", "/v1/workspaces", map[string]any{"name": "analytics", "organization_public_id": orgID}, http.StatusCreated)
	if out["ok"] != true {
		t.Fatalf("create = %v", out)
	}
	ws := field(t, out, "workspace")
	id, _ := ws["public_id"].(string)
	if !strings.HasPrefix(id, "ws_") || ws["name"] != "analytics" || ws["namespace"] != "analytics" || ws["provision_status"] != "ready" ||
		ws["status"] != "active" || ws["active"] != true || ws["auto_resume"] != true || ws["engine_loaded"] != false ||
		ws["organization_public_id"] != orgID {
		t.Fatalf("created workspace = %v", ws)
	}
	failAs(t, h, root, "", "POST", "/v1/workspaces", map[string]any{"name": "analytics"}, http.StatusConflict, "ALREADY_EXISTS", "analytics")
	failAs(t, h, root, "", "POST", "/v1/workspaces", map[string]any{"name": "Bad Name"}, http.StatusBadRequest, "INVALID_ARGUMENT", "name")
	failAs(t, h, root, "", "POST", "/v1/workspaces", map[string]any{"name": "ws_lookalike"}, http.StatusBadRequest, "INVALID_ARGUMENT", "ws_")
	failAs(t, h, root, "", "POST", "/v1/workspaces", map[string]any{}, http.StatusBadRequest, "MISSING_FIELD", `"name"`)
	failAs(t, h, root, "", "POST", "/v1/workspaces", map[string]any{"name": "x", "organization_public_id": "org_elsewhere"}, http.StatusNotFound, "NOT_FOUND")
	callAs(t, h, root, "", "POST", "/v1/workspaces", map[string]any{"name": "by_name", "organization_public_id": "default"}, http.StatusCreated)

	listed := callAs(t, h, root, "", "GET", "/v1/workspaces", nil, http.StatusOK)["workspaces"].([]any)
	if len(listed) != 3 || listed[0].(map[string]any)["name"] != "analytics" || listed[2].(map[string]any)["name"] != "default" {
		t.Fatalf("workspaces = %v", listed)
	}
	for _, ref := range []string{id, "analytics"} {
		if got := workspaceOf(t, h, ref); got["public_id"] != id {
			t.Fatalf("GET /v1/workspaces/%s = %v", ref, got)
		}
	}
	failAs(t, h, root, "", "GET", "/v1/workspaces/nope", nil, http.StatusNotFound, "NOT_FOUND", "nope")

	// Rename and limits.
	got := field(t, callAs(t, h, root, "", "PATCH", "/v1/workspaces/"+id, map[string]any{"name": "bi", "auto_resume": false,
		"limits": map[string]any{"memory_bytes": 256 << 20, "threads": 1, "cache_bytes": 10 << 20, "max_concurrent_queries": 3, "max_sessions": 2}}, http.StatusOK), "workspace")
	limits := got["limits"].(map[string]any)
	if got["name"] != "bi" || got["namespace"] != "bi" || got["auto_resume"] != false || limits["memory_bytes"] != float64(256<<20) || limits["threads"] != float64(1) ||
		limits["cache_bytes"] != float64(10<<20) || limits["max_concurrent_queries"] != float64(3) || limits["max_sessions"] != float64(2) {
		t.Fatalf("updated workspace = %v", got)
	}
	// Fields not given stay.
	got = field(t, callAs(t, h, root, "", "PATCH", "/v1/workspaces/bi", map[string]any{"limits": map[string]any{"threads": 0}}, http.StatusOK), "workspace")
	if limits = got["limits"].(map[string]any); limits["threads"] != float64(0) || limits["memory_bytes"] != float64(256<<20) || got["auto_resume"] != false {
		t.Fatalf("partly updated workspace = %v", got)
	}
	failAs(t, h, root, "", "PATCH", "/v1/workspaces/bi", map[string]any{"limits": map[string]any{"threads": -1}}, http.StatusBadRequest, "INVALID_ARGUMENT", "limits.threads")
	failAs(t, h, root, "", "PATCH", "/v1/workspaces/bi", map[string]any{"limits": map[string]any{"memory_bytes": 1000}}, http.StatusBadRequest, "INVALID_ARGUMENT", "limits.memory_bytes")
	failAs(t, h, root, "", "PATCH", "/v1/workspaces/bi", map[string]any{"limits": map[string]any{"cores": 4}}, http.StatusBadRequest, "INVALID_JSON", "cores")
	failAs(t, h, root, "", "PATCH", "/v1/workspaces/bi", map[string]any{"auto_resume": "yes"}, http.StatusBadRequest, "INVALID_JSON", "auto_resume")
	failAs(t, h, root, "", "PATCH", "/v1/workspaces/bi", map[string]any{}, http.StatusBadRequest, "MISSING_FIELD", "name")
	failAs(t, h, root, "", "PATCH", "/v1/workspaces/bi", map[string]any{"name": "default"}, http.StatusConflict, "ALREADY_EXISTS", "default")
	failAs(t, h, root, "", "PATCH", "/v1/workspaces/bi", map[string]any{"name": ""}, http.StatusBadRequest, "MISSING_FIELD", `"name"`)

	// max_sessions applies to pgwire sessions.
	c1, err := pgxAs(h, root, "bi")
	if err != nil {
		t.Fatal(err)
	}
	defer c1.Close(context.Background())
	c2, err := pgxAs(h, root, "bi")
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close(context.Background())
	pgxRefused(t, h, root, "bi", "53300")

	// Roles: a viewer reads, a member may not manage workspaces.
	_, viewer := invite(t, h, root, orgID, map[string]any{"name": "vic", "role": "viewer"})
	_, member := invite(t, h, root, orgID, map[string]any{"name": "mia", "role": "member"})
	callAs(t, h, viewer, "", "GET", "/v1/workspaces/bi", nil, http.StatusOK)
	for _, tok := range []string{viewer, member} {
		failAs(t, h, tok, "", "POST", "/v1/workspaces", map[string]any{"name": "w"}, http.StatusForbidden, "FORBIDDEN", "admin")
		failAs(t, h, tok, "", "PATCH", "/v1/workspaces/bi", map[string]any{"name": "w"}, http.StatusForbidden, "FORBIDDEN", "admin")
		failAs(t, h, tok, "", "POST", "/v1/workspaces/bi/suspend", nil, http.StatusForbidden, "FORBIDDEN", "admin")
		failAs(t, h, tok, "", "POST", "/v1/workspaces/bi/resume", nil, http.StatusForbidden, "FORBIDDEN", "admin")
		failAs(t, h, tok, "", "DELETE", "/v1/workspaces/bi", nil, http.StatusForbidden, "FORBIDDEN", "admin")
	}
}

// TestWorkspaceSuspendResume: suspending frees the engine; queries are
// then refused (REST 409, pgwire 55000) unless auto_resume is set, in
// which case they resume the workspace.
func TestWorkspaceSuspendResume(t *testing.T) {
	h := hdtest.Start(t)
	root := hdtest.Token
	ws := field(t, callAs(t, h, root, "", "POST", "/v1/workspaces", map[string]any{"name": "bi"}, http.StatusCreated), "workspace")["public_id"].(string)
	h.WSID = ws
	h.ConnectUpstream("sales", "CREATE TABLE items (id int PRIMARY KEY)", "INSERT INTO items SELECT generate_series(1, 3)")
	if n := countRows(t, h, ws, "SELECT count(*) FROM sales.items"); n != 3 {
		t.Fatalf("count = %v", n)
	}
	if got := workspaceOf(t, h, ws); got["engine_loaded"] != true || got["status"] != "active" {
		t.Fatalf("after a query = %v", got)
	}
	ctx := context.Background()
	session, err := pgxAs(h, root, "bi")
	if err != nil {
		t.Fatal(err)
	}
	defer session.Close(ctx)

	// Suspended without auto_resume: queries are refused.
	callAs(t, h, root, "", "PATCH", "/v1/workspaces/bi", map[string]any{"auto_resume": false}, http.StatusOK)
	got := field(t, callAs(t, h, root, "", "POST", "/v1/workspaces/bi/suspend", nil, http.StatusOK), "workspace")
	if got["status"] != "suspended" || got["active"] != false || got["engine_loaded"] != false {
		t.Fatalf("suspended = %v", got)
	}
	for _, w := range callAs(t, h, root, "", "GET", "/v1/workspaces", nil, http.StatusOK)["workspaces"].([]any) {
		if w := w.(map[string]any); w["public_id"] == ws && w["active"] != false {
			t.Fatalf("listing of a suspended workspace = %v", w)
		}
	}
	// (Statements not answered from the result cache: those need the engine.)
	failAs(t, h, root, ws, "POST", "/v1/query", map[string]any{"sql": "SELECT max(id) FROM sales.items"}, http.StatusConflict, "WORKSPACE_SUSPENDED",
		"suspended", "/v1/workspaces/"+ws+"/resume", "auto_resume")
	var n int
	err = session.QueryRow(ctx, "SELECT min(id) FROM sales.items").Scan(&n)
	if sqlstate(err) != "55000" || !strings.Contains(err.Error(), "suspended") {
		t.Fatalf("query in an open session of a suspended workspace: %v", err)
	}
	pgxRefused(t, h, root, "bi", "55000")
	if got := workspaceOf(t, h, ws); got["engine_loaded"] != false || got["status"] != "suspended" {
		t.Fatalf("a refused query loaded the engine: %v", got)
	}
	// Metadata stays readable while suspended.
	callAs(t, h, root, ws, "GET", "/v1/information_schema", nil, http.StatusOK)
	// Suspending again changes nothing.
	callAs(t, h, root, "", "POST", "/v1/workspaces/"+ws+"/suspend", nil, http.StatusOK)

	// Resume: the engine opens and the open session works again.
	got = field(t, callAs(t, h, root, "", "POST", "/v1/workspaces/bi/resume", nil, http.StatusOK), "workspace")
	if got["status"] != "active" || got["active"] != true || got["engine_loaded"] != true {
		t.Fatalf("resumed = %v", got)
	}
	if err := session.QueryRow(ctx, "SELECT min(id) FROM sales.items").Scan(&n); err != nil || n != 1 {
		t.Fatalf("after resume: %d, %v", n, err)
	}
	if n := countRows(t, h, ws, "SELECT count(*) FROM sales.items"); n != 3 {
		t.Fatalf("count after resume = %v", n)
	}
	callAs(t, h, root, "", "POST", "/v1/workspaces/bi/resume", nil, http.StatusOK)

	// With auto_resume, a query resumes a suspended workspace: over REST
	// and over pgwire.
	callAs(t, h, root, "", "PATCH", "/v1/workspaces/bi", map[string]any{"auto_resume": true}, http.StatusOK)
	callAs(t, h, root, "", "POST", "/v1/workspaces/bi/suspend", nil, http.StatusOK)
	if got := workspaceOf(t, h, ws); got["engine_loaded"] != false {
		t.Fatalf("suspended again = %v", got)
	}
	if n := countRows(t, h, ws, "SELECT count(*) FROM sales.items WHERE id < 3"); n != 2 {
		t.Fatalf("count through auto_resume = %v", n)
	}
	if got := workspaceOf(t, h, ws); got["status"] != "active" || got["engine_loaded"] != true {
		t.Fatalf("auto-resumed = %v", got)
	}
	callAs(t, h, root, "", "POST", "/v1/workspaces/bi/suspend", nil, http.StatusOK)
	fresh, err := pgxAs(h, root, "bi")
	if err != nil {
		t.Fatalf("connect to a suspended workspace with auto_resume: %v", err)
	}
	defer fresh.Close(ctx)
	if err := fresh.QueryRow(ctx, "SELECT count(*) FROM sales.items WHERE id > 1").Scan(&n); err != nil || n != 2 {
		t.Fatalf("pgwire through auto_resume: %d, %v", n, err)
	}
	if got := workspaceOf(t, h, ws); got["status"] != "active" || got["engine_loaded"] != true {
		t.Fatalf("auto-resumed over pgwire = %v", got)
	}

	// New engine limits close the engine; it reopens with them.
	callAs(t, h, root, "", "PATCH", "/v1/workspaces/bi", map[string]any{"limits": map[string]any{"memory_bytes": 128 << 20}}, http.StatusOK)
	if got := workspaceOf(t, h, ws); got["engine_loaded"] != false || got["status"] != "active" {
		t.Fatalf("after new limits = %v", got)
	}
	if n := countRows(t, h, ws, "SELECT max(id) FROM sales.items"); n != 3 {
		t.Fatalf("max after new limits = %v", n)
	}
	// Another workspace was never touched.
	if got := workspaceOf(t, h, "default"); got["status"] != "active" {
		t.Fatalf("default workspace = %v", got)
	}
}

// TestWorkspaceDelete: deleting a workspace purges its folder (cache,
// results, uploads), its secrets and connections, and the tokens scoped to it.
func TestWorkspaceDelete(t *testing.T) {
	h := hdtest.Start(t)
	root := hdtest.Token
	ws := field(t, callAs(t, h, root, "", "POST", "/v1/workspaces", map[string]any{"name": "scratch"}, http.StatusCreated), "workspace")["public_id"].(string)
	h.WSID = ws
	h.ConnectUpstream("sales", "CREATE TABLE items (id int PRIMARY KEY)", "INSERT INTO items SELECT generate_series(1, 5)")
	if n := countRows(t, h, ws, "SELECT count(*) FROM sales.items"); n != 5 {
		t.Fatalf("count = %v", n)
	}
	dir := filepath.Join(h.DataDir, "workspaces", ws)
	for _, sub := range []string{"tables", "results"} {
		if entries, err := os.ReadDir(filepath.Join(dir, sub)); err != nil || len(entries) == 0 {
			t.Fatalf("%s/%s before delete: %d entries, %v", dir, sub, len(entries), err)
		}
	}
	uploads := filepath.Join(dir, "uploads", "upl_test")
	if err := os.MkdirAll(uploads, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(uploads, "raw"), []byte("a,b\n1,2\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	scoped := field(t, callAs(t, h, root, "", "POST", "/v1/tokens", map[string]any{"workspace_id": ws}, http.StatusCreated), "token")["token"].(string)
	callAs(t, h, scoped, ws, "GET", "/v1/secrets", nil, http.StatusOK)
	session, err := pgxAs(h, root, "scratch")
	if err != nil {
		t.Fatal(err)
	}
	defer session.Close(context.Background())

	_, other := invite(t, h, root, h.P.Bootstrapped.Organization.ID, map[string]any{"name": "ada", "role": "admin"})
	gone := field(t, callAs(t, h, other, "", "DELETE", "/v1/workspaces/scratch", nil, http.StatusOK), "workspace")
	if gone["public_id"] != ws || gone["status"] != "deleted" || gone["engine_loaded"] != false {
		t.Fatalf("deleted = %v", gone)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("workspace folder after delete: %v", err)
	}
	failAs(t, h, root, "", "GET", "/v1/workspaces/"+ws, nil, http.StatusNotFound, "NOT_FOUND")
	failAs(t, h, root, "", "DELETE", "/v1/workspaces/"+ws, nil, http.StatusNotFound, "NOT_FOUND")
	failAs(t, h, root, ws, "GET", "/v1/secrets", nil, http.StatusNotFound, "NOT_FOUND")
	failAs(t, h, scoped, "", "GET", "/v1/tokens", nil, http.StatusUnauthorized, "UNAUTHENTICATED")
	pgxRefused(t, h, scoped, "scratch", "28P01")
	pgxRefused(t, h, root, "scratch", "28P01")
	pgxRefusedAs(t, h, root[:10], root, "scratch", "3D000")
	// A session that was open on it cannot query it any more.
	var n int
	if err := session.QueryRow(context.Background(), "SELECT count(*) FROM sales.items").Scan(&n); err == nil {
		t.Fatalf("query on a deleted workspace returned %d", n)
	}
	for _, w := range callAs(t, h, root, "", "GET", "/v1/workspaces", nil, http.StatusOK)["workspaces"].([]any) {
		if w.(map[string]any)["public_id"] == ws {
			t.Fatal("deleted workspace still listed")
		}
	}
	// The name is free again, with nothing of the old one in it.
	again := field(t, callAs(t, h, root, "", "POST", "/v1/workspaces", map[string]any{"name": "scratch"}, http.StatusCreated), "workspace")["public_id"].(string)
	if again == ws {
		t.Fatal("a new workspace reused the deleted one's id")
	}
	if list := items(t, callAs(t, h, root, again, "GET", "/v1/secrets", nil, http.StatusOK), "secrets"); len(list) != 0 {
		t.Fatalf("secrets of the new workspace = %v", list)
	}
	if list := items(t, callAs(t, h, root, again, "GET", "/v1/connections", nil, http.StatusOK), "connections"); len(list) != 0 {
		t.Fatalf("connections of the new workspace = %v", list)
	}
	// The default workspace is untouched.
	pgxWorks(t, h, root, "default")
}

// openMetastore opens a running harness's metastore (SQLite allows a
// second process-local handle) to look at what the API does not show.
func openMetastore(t *testing.T, h *hdtest.Harness) *metastore.Store {
	t.Helper()
	key, err := metastore.LoadKey("", filepath.Join(h.DataDir, "secret.key"))
	if err != nil {
		t.Fatal(err)
	}
	sealer, err := metastore.NewSealer(key)
	if err != nil {
		t.Fatal(err)
	}
	s, err := metastore.Open(context.Background(), "sqlite://"+filepath.Join(h.DataDir, "meta.db"), sealer)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestConnectionManagement: listing, reading and deleting connections.
// Deleting retires the cached snapshots (the garbage collector deletes
// their files) and takes the tables out of the catalog.
func TestConnectionManagement(t *testing.T) {
	h := hdtest.Start(t)
	root := hdtest.Token
	created := h.ConnectUpstream("sales", "CREATE TABLE items (id int PRIMARY KEY)", "INSERT INTO items SELECT generate_series(1, 3)",
		"CREATE TABLE notes (id int, body text)")
	connID := created["id"].(string)
	// Two syncs of items: snapshot versions 1 and 2.
	if n := countRows(t, h, h.WSID, "SELECT count(*) FROM sales.items"); n != 3 {
		t.Fatalf("count = %v", n)
	}
	callAs(t, h, root, h.WSID, "POST", "/v1/refresh", map[string]any{"connection_id": "sales", "data": true}, http.StatusOK)

	list := items(t, callAs(t, h, root, h.WSID, "GET", "/v1/connections", nil, http.StatusOK), "connections")
	if len(list) != 1 {
		t.Fatalf("connections = %v", list)
	}
	c := list[0]
	cfg, _ := c["config"].(map[string]any)
	if c["id"] != connID || c["name"] != "sales" || c["source_type"] != "postgres" || c["secret_name"] != "sales_pw" || c["secret_missing"] != false ||
		c["discovery_status"] != "succeeded" || c["table_count"] != float64(2) || c["synced_table_count"] != float64(1) ||
		cfg["host"] != "127.0.0.1" || cfg["password"] != nil || c["discovered_at"] == nil {
		t.Fatalf("connection = %v", c)
	}
	for _, ref := range []string{connID, "sales"} {
		got := callAs(t, h, root, h.WSID, "GET", "/v1/connections/"+ref, nil, http.StatusOK)
		tables, _ := got["tables"].([]any)
		if got["id"] != connID || len(tables) != 2 {
			t.Fatalf("GET /v1/connections/%s = %v", ref, got)
		}
		items0 := tables[0].(map[string]any)
		if items0["table"] != "items" || items0["schema"] != "public" || items0["synced"] != true || items0["refresh"] != "manual" || items0["last_sync"] == nil {
			t.Fatalf("tables = %v", tables)
		}
		if notes := tables[1].(map[string]any); notes["table"] != "notes" || notes["synced"] != false {
			t.Fatalf("tables = %v", tables)
		}
	}
	failAs(t, h, root, h.WSID, "GET", "/v1/connections/nope", nil, http.StatusNotFound, "NOT_FOUND", "nope")
	failAs(t, h, root, "", "GET", "/v1/connections", nil, http.StatusBadRequest, "MISSING_WORKSPACE")

	orgID := h.P.Bootstrapped.Organization.ID
	_, viewer := invite(t, h, root, orgID, map[string]any{"name": "vic", "role": "viewer"})
	_, member := invite(t, h, root, orgID, map[string]any{"name": "mia", "role": "member"})
	callAs(t, h, viewer, h.WSID, "GET", "/v1/connections", nil, http.StatusOK)
	callAs(t, h, viewer, h.WSID, "GET", "/v1/connections/sales", nil, http.StatusOK)
	failAs(t, h, viewer, h.WSID, "DELETE", "/v1/connections/sales", nil, http.StatusForbidden, "FORBIDDEN", "member")
	// A token of another organization does not see it.
	otherToken := field(t, callAs(t, h, root, "", "POST", "/v1/organizations", map[string]any{"name": "other"}, http.StatusCreated), "token")["token"].(string)
	failAs(t, h, otherToken, h.WSID, "DELETE", "/v1/connections/sales", nil, http.StatusNotFound, "NOT_FOUND")

	store := openMetastore(t, h)
	ctx := context.Background()
	published, err := store.ListSnapshots(ctx, h.WSID, metastore.SnapshotPublished)
	if err != nil || len(published) != 1 || published[0].Version != 2 {
		t.Fatalf("published snapshots = %+v, %v", published, err)
	}
	snapDir := filepath.Join(h.DataDir, "workspaces", h.WSID, published[0].Path)
	if _, err := os.Stat(snapDir); err != nil {
		t.Fatal(err)
	}
	conn, err := pgxAs(h, root, "default")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var n int
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM sales.items").Scan(&n); err != nil || n != 3 {
		t.Fatalf("pgwire count = %d, %v", n, err)
	}

	out := callAs(t, h, member, h.WSID, "DELETE", "/v1/connections/sales", nil, http.StatusOK)
	if out["ok"] != true || out["id"] != connID || out["name"] != "sales" || out["tables_removed"] != float64(2) || out["snapshots_retired"] != float64(1) {
		t.Fatalf("delete = %v", out)
	}
	failAs(t, h, root, h.WSID, "GET", "/v1/connections/"+connID, nil, http.StatusNotFound, "NOT_FOUND")
	failAs(t, h, root, h.WSID, "DELETE", "/v1/connections/"+connID, nil, http.StatusNotFound, "NOT_FOUND")
	if list := items(t, callAs(t, h, root, h.WSID, "GET", "/v1/connections", nil, http.StatusOK), "connections"); len(list) != 0 {
		t.Fatalf("connections after delete = %v", list)
	}
	if tables := callAs(t, h, root, h.WSID, "GET", "/v1/information_schema", nil, http.StatusOK)["tables"].([]any); len(tables) != 0 {
		t.Fatalf("catalog after delete = %v", tables)
	}
	failAs(t, h, root, h.WSID, "POST", "/v1/query", map[string]any{"sql": "SELECT count(*) FROM sales.items"}, http.StatusBadRequest, "UNDEFINED_TABLE")
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM sales.items").Scan(&n); sqlstate(err) != "42P01" {
		t.Fatalf("pgwire query of a deleted connection's table: %v", err)
	}
	// The snapshots are retired, with their files, for the garbage collector.
	retired, err := store.ListSnapshots(ctx, h.WSID, metastore.SnapshotRetired)
	if err != nil || len(retired) != 2 {
		t.Fatalf("retired snapshots = %+v, %v", retired, err)
	}
	for _, sn := range retired {
		if !strings.HasPrefix(sn.Path, filepath.Join("tables", connID)) || sn.TableID != "" || sn.RetiredAt == nil {
			t.Fatalf("retired snapshot = %+v", sn)
		}
	}
	if _, err := os.Stat(snapDir); err != nil {
		t.Fatalf("snapshot files went before the grace period: %v", err)
	}
	gc := cache.NewSyncer(store, cache.Layout{DataDir: h.DataDir}, "test", cache.NewPins(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if n, err := gc.CollectGarbage(ctx, h.WSID, 0); err != nil || n != 2 {
		t.Fatalf("garbage collection = %d, %v", n, err)
	}
	if _, err := os.Stat(snapDir); !os.IsNotExist(err) {
		t.Fatalf("snapshot files after garbage collection: %v", err)
	}

	// A new connection of the same name serves its own data, never the
	// old connection's (its engine views went with it).
	fresh := testenv.Postgres(t)
	testenv.PostgresExec(t, fresh, "CREATE TABLE items (id int PRIMARY KEY)", "INSERT INTO items SELECT generate_series(1, 7)")
	callAs(t, h, root, h.WSID, "POST", "/v1/connections", map[string]any{"name": "sales", "source_type": "postgres", "secret_name": "sales_pw",
		"config": pgConfig(fresh)}, http.StatusCreated)
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM sales.items").Scan(&n); err != nil || n != 7 {
		t.Fatalf("count through a new connection of the same name = %d, %v", n, err)
	}
	if n := countRows(t, h, h.WSID, "SELECT count(*) FROM sales.items"); n != 7 {
		t.Fatalf("REST count through the new connection = %v", n)
	}
}

// TestConnectionTypes: the source types and their config schemas.
func TestConnectionTypes(t *testing.T) {
	h := hdtest.Start(t)
	root := hdtest.Token
	out := callAs(t, h, root, "", "GET", "/v1/connection-types", nil, http.StatusOK)
	types := items(t, out, "connection_types")
	var names []string
	for _, ty := range types {
		names = append(names, fmt.Sprint(ty["name"]))
	}
	if strings.Join(names, ",") != "bigquery,mysql,postgres,snowflake" {
		t.Fatalf("connection types = %v", names)
	}
	if bq, _ := types[0]["auth"].(map[string]any); bq["type"] != "service_account_key" || bq["secret_field"] != "credentials_json" {
		t.Fatalf("bigquery auth = %v", bq)
	}
	pg := types[2]
	auth, _ := pg["auth"].(map[string]any)
	schema, _ := pg["config_schema"].(map[string]any)
	props, _ := schema["properties"].(map[string]any)
	if pg["label"] != "PostgreSQL" || auth["type"] != "password" || auth["secret_field"] != "password" || props["host"] == nil || props["port"] == nil {
		t.Fatalf("postgres type = %v", pg)
	}
	one := callAs(t, h, root, h.WSID, "GET", "/v1/connection-types/mysql", nil, http.StatusOK)
	if one["name"] != "mysql" || one["label"] != "MySQL / MariaDB" || one["config_schema"] == nil || one["auth"].(map[string]any)["type"] != "password" {
		t.Fatalf("mysql type = %v", one)
	}
	failAs(t, h, root, "", "GET", "/v1/connection-types/oracle", nil, http.StatusNotFound, "NOT_FOUND", "oracle")
	failAs(t, h, "", "", "GET", "/v1/connection-types", nil, http.StatusUnauthorized, "UNAUTHENTICATED")
	failAs(t, h, root, "", "GET", "/v1/connection-types?x=1", nil, http.StatusBadRequest, "UNKNOWN_PARAMETER")
	_, viewer := invite(t, h, root, h.P.Bootstrapped.Organization.ID, map[string]any{"name": "vic", "role": "viewer"})
	callAs(t, h, viewer, "", "GET", "/v1/connection-types/postgres", nil, http.StatusOK)
}

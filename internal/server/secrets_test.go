package server_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"

	"github.com/hotdata-dev/hotdata/internal/hdtest"
	"github.com/hotdata-dev/hotdata/internal/testenv"
)

// TestSecrets: secrets' metadata is listed and read, never their value;
// PUT rotates; DELETE removes; roles and organizations are enforced.
func TestSecrets(t *testing.T) {
	h := hdtest.Start(t)
	root := hdtest.Token
	const value = "s3cr3t-value-never-shown"
	created := callAs(t, h, root, h.WSID, "POST", "/v1/secrets", map[string]any{"name": "api_key", "value": value}, http.StatusCreated)
	id, _ := created["id"].(string)
	if !strings.HasPrefix(id, "secr_") || created["name"] != "api_key" || created["created_at"] == nil {
		t.Fatalf("created = %v", created)
	}
	callAs(t, h, root, h.WSID, "POST", "/v1/secrets", map[string]any{"name": "b_key", "value": "other"}, http.StatusCreated)

	resp := callAs(t, h, root, h.WSID, "GET", "/v1/secrets", nil, http.StatusOK)
	list := items(t, resp, "secrets")
	if len(list) != 2 || list[0]["name"] != "api_key" || list[0]["id"] != id || list[1]["name"] != "b_key" || list[0]["created_at"] != created["created_at"] ||
		list[0]["updated_at"] != created["created_at"] || list[0]["value"] != nil || resp["has_more"] != false {
		t.Fatalf("secrets = %v", resp)
	}
	got := callAs(t, h, root, h.WSID, "GET", "/v1/secrets/api_key", nil, http.StatusOK)
	if got["name"] != "api_key" || got["id"] != id || len(got) != 4 {
		t.Fatalf("GET secret = %v", got)
	}
	page := callAs(t, h, root, h.WSID, "GET", "/v1/secrets?limit=1", nil, http.StatusOK)
	if p := items(t, page, "secrets"); len(p) != 1 || page["has_more"] != true || page["next_cursor"] == nil {
		t.Fatalf("first page = %v", page)
	}
	failAs(t, h, root, h.WSID, "GET", "/v1/secrets/nope", nil, http.StatusNotFound, "NOT_FOUND", "nope")
	failAs(t, h, root, "", "GET", "/v1/secrets", nil, http.StatusBadRequest, "MISSING_WORKSPACE", "X-Workspace-Id")
	failAs(t, h, root, h.WSID, "POST", "/v1/secrets", map[string]any{"name": "api_key", "value": "x"}, http.StatusConflict, "ALREADY_EXISTS", "PUT /v1/secrets/api_key")

	// Rotation keeps the secret's identity and creation time.
	time.Sleep(1100 * time.Millisecond) // timestamps are RFC 3339 seconds
	rot := callAs(t, h, root, h.WSID, "PUT", "/v1/secrets/api_key", map[string]any{"value": "rotated"}, http.StatusOK)
	if rot["id"] != id || rot["name"] != "api_key" || rot["created_at"] != created["created_at"] || rot["updated_at"] == created["created_at"] || rot["value"] != nil {
		t.Fatalf("rotated = %v", rot)
	}
	failAs(t, h, root, h.WSID, "PUT", "/v1/secrets/api_key", map[string]any{}, http.StatusBadRequest, "MISSING_FIELD", `"value"`)
	failAs(t, h, root, h.WSID, "PUT", "/v1/secrets/api_key", map[string]any{"value": 5}, http.StatusBadRequest, "INVALID_JSON", `"value"`)
	failAs(t, h, root, h.WSID, "PUT", "/v1/secrets/api_key", map[string]any{"value": strings.Repeat("x", 70000)}, http.StatusBadRequest, "INVALID_ARGUMENT", "value")
	failAs(t, h, root, h.WSID, "PUT", "/v1/secrets/nope", map[string]any{"value": "x"}, http.StatusNotFound, "NOT_FOUND", "POST /v1/secrets")

	// No answer ever holds a value.
	for _, path := range []string{"/v1/secrets", "/v1/secrets/api_key"} {
		raw, _ := json.Marshal(callAs(t, h, root, h.WSID, "GET", path, nil, http.StatusOK))
		if strings.Contains(string(raw), value) || strings.Contains(string(raw), "rotated") {
			t.Fatalf("%s shows a secret's value: %s", path, raw)
		}
	}

	// Roles: a viewer reads metadata; managing needs an admin.
	orgID := h.P.Bootstrapped.Organization.ID
	_, viewer := invite(t, h, root, orgID, map[string]any{"name": "vic", "role": "viewer"})
	_, member := invite(t, h, root, orgID, map[string]any{"name": "mia", "role": "member"})
	callAs(t, h, viewer, h.WSID, "GET", "/v1/secrets", nil, http.StatusOK)
	callAs(t, h, viewer, h.WSID, "GET", "/v1/secrets/api_key", nil, http.StatusOK)
	for _, tok := range []string{viewer, member} {
		failAs(t, h, tok, h.WSID, "PUT", "/v1/secrets/api_key", map[string]any{"value": "x"}, http.StatusForbidden, "FORBIDDEN", "admin")
		failAs(t, h, tok, h.WSID, "DELETE", "/v1/secrets/api_key", nil, http.StatusForbidden, "FORBIDDEN", "admin")
		failAs(t, h, tok, h.WSID, "POST", "/v1/secrets", map[string]any{"name": "n", "value": "x"}, http.StatusForbidden, "FORBIDDEN", "admin")
	}
	// Another organization's token does not see this workspace's secrets.
	other := field(t, callAs(t, h, root, "", "POST", "/v1/organizations", map[string]any{"name": "other"}, http.StatusCreated), "token")["token"].(string)
	failAs(t, h, other, h.WSID, "GET", "/v1/secrets/api_key", nil, http.StatusNotFound, "NOT_FOUND")
	failAs(t, h, other, h.WSID, "PUT", "/v1/secrets/api_key", map[string]any{"value": "x"}, http.StatusNotFound, "NOT_FOUND")
	failAs(t, h, other, h.WSID, "DELETE", "/v1/secrets/api_key", nil, http.StatusNotFound, "NOT_FOUND")

	del := callAs(t, h, root, h.WSID, "DELETE", "/v1/secrets/api_key", nil, http.StatusOK)
	if del["ok"] != true || del["id"] != id || del["name"] != "api_key" || len(del["connections_affected"].([]any)) != 0 {
		t.Fatalf("delete = %v", del)
	}
	failAs(t, h, root, h.WSID, "GET", "/v1/secrets/api_key", nil, http.StatusNotFound, "NOT_FOUND")
	failAs(t, h, root, h.WSID, "DELETE", "/v1/secrets/api_key", nil, http.StatusNotFound, "NOT_FOUND")
	if list := items(t, callAs(t, h, root, h.WSID, "GET", "/v1/secrets", nil, http.StatusOK), "secrets"); len(list) != 1 || list[0]["name"] != "b_key" {
		t.Fatalf("secrets after delete = %v", list)
	}
}

// mariaUser makes a MariaDB database with a table and a user that has a
// password; it returns the connection config (without the password),
// the admin DSN of the database and the user's name.
func mariaUser(t *testing.T, password string) (map[string]any, string, string) {
	t.Helper()
	dsn := testenv.MySQL(t)
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		t.Fatal(err)
	}
	var b [4]byte
	_, _ = rand.Read(b[:])
	user := "hdrot_" + hex.EncodeToString(b[:])
	db, err := sql.Open("mysql", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, s := range []string{
		"CREATE TABLE t (id INT PRIMARY KEY)",
		"INSERT INTO t VALUES (1), (2)",
		"CREATE USER '" + user + "'@'%' IDENTIFIED BY '" + password + "'",
		"GRANT SELECT ON " + cfg.DBName + ".* TO '" + user + "'@'%'",
	} {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	t.Cleanup(func() {
		db, err := sql.Open("mysql", dsn)
		if err == nil {
			_, _ = db.Exec("DROP USER IF EXISTS '" + user + "'@'%'")
			db.Close()
		}
	})
	host, port, _ := strings.Cut(cfg.Addr, ":")
	return map[string]any{"host": host, "port": atoiOr(port, 3306), "user": user, "database": cfg.DBName, "tls": "disable"}, dsn, user
}

func mariaExec(t *testing.T, dsn string, stmts ...string) {
	t.Helper()
	db, err := sql.Open("mysql", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

func health(t *testing.T, h *hdtest.Harness, conn string) map[string]any {
	t.Helper()
	return callAs(t, h, hdtest.Token, h.WSID, "GET", "/v1/connections/"+conn+"/health", nil, http.StatusOK)
}

// refreshData syncs a connection's cached tables now and returns the
// first table's outcome.
func refreshData(t *testing.T, h *hdtest.Harness, conn string) map[string]any {
	t.Helper()
	out := callAs(t, h, hdtest.Token, h.WSID, "POST", "/v1/refresh", map[string]any{"connection_id": conn, "data": true}, http.StatusOK)
	tables, _ := out["tables"].([]any)
	if len(tables) != 1 {
		t.Fatalf("refresh = %v", out)
	}
	return tables[0].(map[string]any)
}

// TestSecretRotation: rotating a secret makes its connection reopen with
// the new value. MariaDB checks passwords (the local PostgreSQL trusts
// 127.0.0.1): a wrong value must fail at once although the connector
// opened earlier still had good connections, and the right one must work.
func TestSecretRotation(t *testing.T) {
	h := hdtest.Start(t)
	root := hdtest.Token
	config, dsn, user := mariaUser(t, "pw-one")
	callAs(t, h, root, h.WSID, "POST", "/v1/secrets", map[string]any{"name": "my_pw", "value": "pw-one"}, http.StatusCreated)
	created := callAs(t, h, root, h.WSID, "POST", "/v1/connections", map[string]any{"name": "my", "source_type": "mysql", "secret_name": "my_pw", "config": config},
		http.StatusCreated)
	if created["discovery_status"] != "succeeded" || created["tables_discovered"] != float64(1) {
		t.Fatalf("connection = %v", created)
	}
	if n := countRows(t, h, h.WSID, "SELECT count(*) FROM my.t"); n != 2 {
		t.Fatalf("count = %v", n)
	}
	if hl := health(t, h, "my"); hl["healthy"] != true {
		t.Fatalf("health = %v", hl)
	}

	// The upstream password changes; the secret is first set wrong.
	mariaExec(t, dsn, "ALTER USER '"+user+"'@'%' IDENTIFIED BY 'pw-two'", "INSERT INTO t VALUES (3)")
	callAs(t, h, root, h.WSID, "PUT", "/v1/secrets/my_pw", map[string]any{"value": "wrong"}, http.StatusOK)
	hl := health(t, h, "my")
	if hl["healthy"] != false || !strings.Contains(hl["error"].(string), "Access denied") {
		t.Fatalf("health with a wrong secret = %v", hl)
	}
	if r := refreshData(t, h, "my"); r["status"] != "failed" || !strings.Contains(r["error"].(string), "Access denied") {
		t.Fatalf("refresh with a wrong secret = %v", r)
	}
	// The cached snapshot still answers.
	if n := countRows(t, h, h.WSID, "SELECT count(*) FROM my.t WHERE id > 0"); n != 2 {
		t.Fatalf("count from the cache = %v", n)
	}

	// The right value: the connection works again, syncs see the new row.
	callAs(t, h, root, h.WSID, "PUT", "/v1/secrets/my_pw", map[string]any{"value": "pw-two"}, http.StatusOK)
	if hl := health(t, h, "my"); hl["healthy"] != true {
		t.Fatalf("health after rotation = %v", hl)
	}
	if r := refreshData(t, h, "my"); r["status"] != "succeeded" || r["row_count"] != float64(3) {
		t.Fatalf("refresh after rotation = %v", r)
	}
	// A sync on first read over pgwire uses it too.
	callAs(t, h, root, h.WSID, "DELETE", "/v1/connections/my/cache", nil, http.StatusOK)
	mariaExec(t, dsn, "INSERT INTO t VALUES (4)")
	c, err := pgxAs(h, root, "default")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(context.Background())
	var n int
	if err := c.QueryRow(context.Background(), "SELECT count(*) FROM my.t").Scan(&n); err != nil || n != 4 {
		t.Fatalf("pgwire count after rotation = %d, %v", n, err)
	}
}

// TestSecretDeletedConnection: a connection whose secret was deleted
// says why it cannot sync, and uses a new secret of the same name.
func TestSecretDeletedConnection(t *testing.T) {
	h := hdtest.Start(t)
	root := hdtest.Token
	config, dsn, _ := mariaUser(t, "pw-one")
	callAs(t, h, root, h.WSID, "POST", "/v1/secrets", map[string]any{"name": "my_pw", "value": "pw-one"}, http.StatusCreated)
	callAs(t, h, root, h.WSID, "POST", "/v1/connections", map[string]any{"name": "my", "source_type": "mysql", "secret_name": "my_pw", "config": config},
		http.StatusCreated)
	if n := countRows(t, h, h.WSID, "SELECT count(*) FROM my.t"); n != 2 {
		t.Fatalf("count = %v", n)
	}

	del := callAs(t, h, root, h.WSID, "DELETE", "/v1/secrets/my_pw", nil, http.StatusOK)
	if affected := del["connections_affected"].([]any); len(affected) != 1 || affected[0] != "my" {
		t.Fatalf("delete = %v", del)
	}
	conn := callAs(t, h, root, h.WSID, "GET", "/v1/connections/my", nil, http.StatusOK)
	if conn["secret_name"] != "my_pw" || conn["secret_missing"] != true {
		t.Fatalf("connection after its secret was deleted = %v", conn)
	}
	const why = `its secret "my_pw" was deleted`
	if r := refreshData(t, h, "my"); r["status"] != "failed" || !strings.Contains(r["error"].(string), why) {
		t.Fatalf("refresh without the secret = %v", r)
	}
	if hl := health(t, h, "my"); hl["healthy"] != false || !strings.Contains(hl["error"].(string), why) {
		t.Fatalf("health without the secret = %v", hl)
	}
	callAs(t, h, root, h.WSID, "DELETE", "/v1/connections/my/cache", nil, http.StatusOK)
	c, err := pgxAs(h, root, "default")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(context.Background())
	var n int
	err = c.QueryRow(context.Background(), "SELECT count(*) FROM my.t").Scan(&n)
	if sqlstate(err) != "HV000" || !strings.Contains(err.Error(), why) {
		t.Fatalf("sync on read without the secret: %v", err)
	}

	// A new secret of that name is picked up.
	mariaExec(t, dsn, "INSERT INTO t VALUES (3)")
	callAs(t, h, root, h.WSID, "POST", "/v1/secrets", map[string]any{"name": "my_pw", "value": "pw-one"}, http.StatusCreated)
	conn = callAs(t, h, root, h.WSID, "GET", "/v1/connections/my", nil, http.StatusOK)
	if conn["secret_name"] != "my_pw" || conn["secret_missing"] != false {
		t.Fatalf("connection after the secret came back = %v", conn)
	}
	if err := c.QueryRow(context.Background(), "SELECT count(*) FROM my.t").Scan(&n); err != nil || n != 3 {
		t.Fatalf("count with the secret back = %d, %v", n, err)
	}
}

package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hotdata-dev/hotdata/internal/hdtest"
)

// Helpers shared by orgs_test.go, workspaces_test.go and secrets_test.go.

// callAs calls the REST API with a token and X-Workspace-Id, failing the
// test on another status than want.
func callAs(t *testing.T, h *hdtest.Harness, token, ws, method, path string, body any, want int) map[string]any {
	t.Helper()
	status, out := h.APIRaw(method, path, body, token, ws)
	if status != want {
		t.Fatalf("%s %s = %d %v, want %d", method, path, status, out, want)
	}
	return out
}

// wantError checks an error answer's code and that its message holds
// every part of want.
func wantError(t *testing.T, out map[string]any, code string, want ...string) {
	t.Helper()
	e, _ := out["error"].(map[string]any)
	if e == nil || e["code"] != code {
		t.Fatalf("error = %v, want code %s", out, code)
	}
	msg, _ := e["message"].(string)
	for _, w := range want {
		if !strings.Contains(msg, w) {
			t.Fatalf("error message %q does not mention %q", msg, w)
		}
	}
	if len(e) != 2 {
		t.Fatalf("error object has fields %v, want code and message only", e)
	}
}

// failAs calls the API and checks the error status, code and message.
func failAs(t *testing.T, h *hdtest.Harness, token, ws, method, path string, body any, status int, code string, msg ...string) {
	t.Helper()
	wantError(t, callAs(t, h, token, ws, method, path, body, status), code, msg...)
}

// pgxAs opens a pgwire session with a token on a database (workspace).
func pgxAs(h *hdtest.Harness, token, database string) (*pgx.Conn, error) {
	cfg, err := pgx.ParseConfig(h.PGURL(token, database, "disable"))
	if err != nil {
		return nil, err
	}
	cfg.DefaultQueryExecMode = pgx.QueryExecModeSimpleProtocol
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return pgx.ConnectConfig(ctx, cfg)
}

// pgxWorks checks that a token opens a session on database and runs a query.
func pgxWorks(t *testing.T, h *hdtest.Harness, token, database string) {
	t.Helper()
	c, err := pgxAs(h, token, database)
	if err != nil {
		t.Fatalf("pgwire connect: %v", err)
	}
	defer c.Close(context.Background())
	var n int
	if err := c.QueryRow(context.Background(), "SELECT 41 + 1").Scan(&n); err != nil || n != 42 {
		t.Fatalf("SELECT 41 + 1 = %d, %v", n, err)
	}
}

// pgxRefused checks that a pgwire connection fails with SQLSTATE code.
func pgxRefused(t *testing.T, h *hdtest.Harness, token, database, code string) {
	t.Helper()
	c, err := pgxAs(h, token, database)
	if err == nil {
		c.Close(context.Background())
		t.Fatalf("pgwire connect to %s succeeded, want SQLSTATE %s", database, code)
	}
	if got := sqlstate(err); got != code {
		t.Fatalf("pgwire connect to %s: %v (SQLSTATE %q), want %s", database, err, got, code)
	}
}

func field(t *testing.T, out map[string]any, key string) map[string]any {
	t.Helper()
	m, ok := out[key].(map[string]any)
	if !ok {
		t.Fatalf("%v has no object %q", out, key)
	}
	return m
}

func items(t *testing.T, out map[string]any, key string) []map[string]any {
	t.Helper()
	raw, ok := out[key].([]any)
	if !ok {
		t.Fatalf("%v has no list %q", out, key)
	}
	list := make([]map[string]any, len(raw))
	for i, r := range raw {
		list[i] = r.(map[string]any)
	}
	if n, ok := out["count"].(float64); !ok || int(n) != len(list) {
		t.Fatalf("count = %v for %d %s", out["count"], len(list), key)
	}
	return list
}

// invite adds a member (with the token of an admin) and returns its id and token.
func invite(t *testing.T, h *hdtest.Harness, admin, orgID string, body map[string]any) (string, string) {
	t.Helper()
	out := callAs(t, h, admin, "", "POST", "/v1/organizations/"+orgID+"/members", body, http.StatusCreated)
	m, tok := field(t, out, "member"), field(t, out, "token")
	text, _ := tok["token"].(string)
	if !strings.HasPrefix(text, "hd_") || tok["status"] != "active" || tok["prefix"] != text[:10] {
		t.Fatalf("invitation token = %v", tok)
	}
	return m["id"].(string), text
}

// TestOrganizations: reading, renaming, creating and deleting
// organizations, and another organization's token seeing nothing of this one.
func TestOrganizations(t *testing.T) {
	h := hdtest.Start(t)
	orgID := h.P.Bootstrapped.Organization.ID
	root := hdtest.Token

	list := items(t, callAs(t, h, root, "", "GET", "/v1/organizations", nil, http.StatusOK), "organizations")
	if len(list) != 1 || list[0]["id"] != orgID || list[0]["name"] != "default" || list[0]["created_at"] == "" {
		t.Fatalf("organizations = %v", list)
	}
	for _, ref := range []string{orgID, "default"} {
		o := field(t, callAs(t, h, root, "", "GET", "/v1/organizations/"+ref, nil, http.StatusOK), "organization")
		if o["id"] != orgID || o["name"] != "default" {
			t.Fatalf("GET /v1/organizations/%s = %v", ref, o)
		}
	}
	failAs(t, h, root, "", "GET", "/v1/organizations/org_nope", nil, http.StatusNotFound, "NOT_FOUND", "org_nope")

	// Rename, with the input checked field by field.
	o := field(t, callAs(t, h, root, "", "PATCH", "/v1/organizations/"+orgID, map[string]any{"name": "acme"}, http.StatusOK), "organization")
	if o["name"] != "acme" || o["id"] != orgID {
		t.Fatalf("renamed = %v", o)
	}
	failAs(t, h, root, "", "PATCH", "/v1/organizations/"+orgID, map[string]any{"name": "Not A Slug"}, http.StatusBadRequest, "INVALID_ARGUMENT", "name")
	failAs(t, h, root, "", "PATCH", "/v1/organizations/"+orgID, map[string]any{}, http.StatusBadRequest, "MISSING_FIELD", `"name"`)
	failAs(t, h, root, "", "PATCH", "/v1/organizations/"+orgID, map[string]any{"name": 7}, http.StatusBadRequest, "INVALID_JSON", `"name"`)
	failAs(t, h, root, "", "PATCH", "/v1/organizations/"+orgID, map[string]any{"name": "x", "color": "red"}, http.StatusBadRequest, "INVALID_JSON", "color")
	failAs(t, h, "", "", "GET", "/v1/organizations", nil, http.StatusUnauthorized, "UNAUTHENTICATED")

	// A new organization: its owner is a new member with the caller's
	// name, and its token is shown once.
	out := callAs(t, h, root, "", "POST", "/v1/organizations", map[string]any{"name": "other"}, http.StatusCreated)
	other := field(t, out, "organization")
	owner := field(t, out, "owner")
	tok := field(t, out, "token")
	otherToken, _ := tok["token"].(string)
	if other["name"] != "other" || !strings.HasPrefix(other["id"].(string), "org_") || owner["role"] != "owner" || owner["name"] != "admin" ||
		owner["organization_id"] != other["id"] || !strings.HasPrefix(otherToken, "hd_") {
		t.Fatalf("created organization = %v", out)
	}
	otherID := other["id"].(string)
	failAs(t, h, root, "", "POST", "/v1/organizations", map[string]any{"name": "other"}, http.StatusConflict, "ALREADY_EXISTS", "other")
	failAs(t, h, root, "", "POST", "/v1/organizations", map[string]any{}, http.StatusBadRequest, "MISSING_FIELD", `"name"`)

	// The other organization's token sees only its organization: this
	// one's organization, workspaces and secrets are not found.
	list = items(t, callAs(t, h, otherToken, "", "GET", "/v1/organizations", nil, http.StatusOK), "organizations")
	if len(list) != 1 || list[0]["id"] != otherID {
		t.Fatalf("other's organizations = %v", list)
	}
	failAs(t, h, otherToken, "", "GET", "/v1/organizations/"+orgID, nil, http.StatusNotFound, "NOT_FOUND")
	failAs(t, h, otherToken, "", "PATCH", "/v1/organizations/"+orgID, map[string]any{"name": "stolen"}, http.StatusNotFound, "NOT_FOUND")
	failAs(t, h, otherToken, "", "DELETE", "/v1/organizations/"+orgID, nil, http.StatusNotFound, "NOT_FOUND")
	failAs(t, h, otherToken, "", "GET", "/v1/organizations/"+orgID+"/members", nil, http.StatusNotFound, "NOT_FOUND")
	failAs(t, h, otherToken, "", "GET", "/v1/workspaces/"+h.WSID, nil, http.StatusNotFound, "NOT_FOUND")
	failAs(t, h, otherToken, "", "DELETE", "/v1/workspaces/"+h.WSID, nil, http.StatusNotFound, "NOT_FOUND")
	failAs(t, h, otherToken, "", "POST", "/v1/workspaces/"+h.WSID+"/suspend", nil, http.StatusNotFound, "NOT_FOUND")
	failAs(t, h, otherToken, h.WSID, "GET", "/v1/secrets", nil, http.StatusNotFound, "NOT_FOUND")
	failAs(t, h, otherToken, "", "POST", "/v1/workspaces", map[string]any{"name": "x", "organization_public_id": orgID}, http.StatusNotFound, "NOT_FOUND")
	if ws := callAs(t, h, otherToken, "", "GET", "/v1/workspaces", nil, http.StatusOK)["workspaces"].([]any); len(ws) != 0 {
		t.Fatalf("other organization lists workspaces %v", ws)
	}
	pgxRefused(t, h, otherToken, "default", "28P01")
	pgxRefusedAs(t, h, otherToken[:10], otherToken, "default", "3D000")
	// It makes its own workspace; the name may repeat across organizations.
	nw := field(t, callAs(t, h, otherToken, "", "POST", "/v1/workspaces", map[string]any{"name": "default", "organization_public_id": otherID}, http.StatusCreated), "workspace")
	otherWS := nw["public_id"].(string)
	callAs(t, h, otherToken, otherWS, "POST", "/v1/secrets", map[string]any{"name": "pw", "value": "x"}, http.StatusCreated)
	pgxWorks(t, h, otherToken, otherWS)
	if _, err := os.Stat(filepath.Join(h.DataDir, "workspaces", otherWS)); err != nil {
		t.Fatalf("the other organization's workspace folder: %v", err)
	}

	// Only an owner deletes an organization; its tokens and files go with it.
	_, otherAdmin := invite(t, h, otherToken, otherID, map[string]any{"name": "ada", "role": "admin"})
	failAs(t, h, otherAdmin, "", "DELETE", "/v1/organizations/"+otherID, nil, http.StatusForbidden, "FORBIDDEN", "owner")
	gone := field(t, callAs(t, h, otherToken, "", "DELETE", "/v1/organizations/"+otherID, nil, http.StatusOK), "organization")
	if gone["id"] != otherID {
		t.Fatalf("deleted = %v", gone)
	}
	failAs(t, h, otherToken, "", "GET", "/v1/organizations", nil, http.StatusUnauthorized, "UNAUTHENTICATED")
	failAs(t, h, otherAdmin, "", "GET", "/v1/tokens", nil, http.StatusUnauthorized, "UNAUTHENTICATED")
	pgxRefused(t, h, otherToken, otherWS, "28P01")
	if _, err := os.Stat(filepath.Join(h.DataDir, "workspaces", otherWS)); !os.IsNotExist(err) {
		t.Fatalf("the deleted organization's workspace folder is still there: %v", err)
	}
	// This organization is untouched.
	if o := field(t, callAs(t, h, root, "", "GET", "/v1/organizations/acme", nil, http.StatusOK), "organization"); o["id"] != orgID {
		t.Fatalf("organization after another's deletion = %v", o)
	}
	pgxWorks(t, h, root, "default")
}

// TestOrgMembers: inviting, listing, role changes with their limits, role
// checks on writes, and removal cutting a member's tokens off REST and
// pgwire at once.
func TestOrgMembers(t *testing.T) {
	h := hdtest.Start(t)
	orgID := h.P.Bootstrapped.Organization.ID
	ownerID := h.P.Bootstrapped.Member.ID
	root := hdtest.Token
	members := "/v1/organizations/" + orgID + "/members"

	vicID, viewer := invite(t, h, root, orgID, map[string]any{"email": "vic@example.com", "role": "viewer"})
	miaID, member := invite(t, h, root, orgID, map[string]any{"name": "mia", "email": "mia@example.com", "role": "member"})
	adaID, admin := invite(t, h, root, orgID, map[string]any{"name": "ada", "role": "admin"})

	list := items(t, callAs(t, h, viewer, "", "GET", members, nil, http.StatusOK), "members")
	want := [][3]string{{"admin", "", "owner"}, {"vic@example.com", "vic@example.com", "viewer"}, {"mia", "mia@example.com", "member"}, {"ada", "", "admin"}}
	if len(list) != len(want) {
		t.Fatalf("members = %v", list)
	}
	for i, w := range want {
		m := list[i]
		if m["name"] != w[0] || m["email"] != w[1] || m["role"] != w[2] || m["organization_id"] != orgID || m["created_at"] == "" {
			t.Fatalf("member %d = %v, want %v", i, m, w)
		}
	}
	if list[0]["id"] != ownerID || list[1]["id"] != vicID || list[2]["id"] != miaID || list[3]["id"] != adaID {
		t.Fatalf("member ids = %v", list)
	}
	page := callAs(t, h, root, "", "GET", members+"?limit=3", nil, http.StatusOK)
	if got := items(t, page, "members"); len(got) != 3 || page["has_more"] != true {
		t.Fatalf("first page = %v", page)
	}
	page = callAs(t, h, root, "", "GET", members+"?cursor="+page["next_cursor"].(string), nil, http.StatusOK)
	if got := items(t, page, "members"); len(got) != 1 || got[0]["id"] != adaID || page["has_more"] != false {
		t.Fatalf("second page = %v", page)
	}
	failAs(t, h, root, "", "GET", members+"?sort=name", nil, http.StatusBadRequest, "UNKNOWN_PARAMETER", "sort")
	if m := field(t, callAs(t, h, viewer, "", "GET", members+"/"+miaID, nil, http.StatusOK), "member"); m["name"] != "mia" {
		t.Fatalf("GET member = %v", m)
	}
	failAs(t, h, root, "", "GET", members+"/mem_nope", nil, http.StatusNotFound, "NOT_FOUND")

	// Input is checked field by field.
	failAs(t, h, root, "", "POST", members, map[string]any{"name": "x", "role": "god"}, http.StatusBadRequest, "INVALID_ARGUMENT", "role")
	failAs(t, h, root, "", "POST", members, map[string]any{"name": "x"}, http.StatusBadRequest, "MISSING_FIELD", `"role"`)
	failAs(t, h, root, "", "POST", members, map[string]any{"role": "viewer"}, http.StatusBadRequest, "MISSING_FIELD", "email")
	failAs(t, h, root, "", "POST", members, map[string]any{"email": "not-an-address", "role": "viewer"}, http.StatusBadRequest, "INVALID_ARGUMENT", "email")
	failAs(t, h, root, "", "POST", members, map[string]any{"name": "mia", "role": "viewer"}, http.StatusConflict, "ALREADY_EXISTS", "mia")
	failAs(t, h, root, "", "PATCH", members+"/"+miaID, map[string]any{}, http.StatusBadRequest, "MISSING_FIELD", `"role"`)

	// Role checks: a viewer reads only; a member manages connections but
	// not secrets, members or workspaces; an admin cannot touch owners.
	failAs(t, h, viewer, "", "POST", members, map[string]any{"name": "x", "role": "viewer"}, http.StatusForbidden, "FORBIDDEN", "admin")
	failAs(t, h, viewer, h.WSID, "POST", "/v1/secrets", map[string]any{"name": "s", "value": "v"}, http.StatusForbidden, "FORBIDDEN")
	failAs(t, h, viewer, h.WSID, "POST", "/v1/connections", map[string]any{"name": "c", "source_type": "postgres", "config": map[string]any{"host": "h"}},
		http.StatusForbidden, "FORBIDDEN", "member")
	failAs(t, h, viewer, "", "POST", "/v1/organizations", map[string]any{"name": "mine"}, http.StatusForbidden, "FORBIDDEN")
	failAs(t, h, viewer, "", "PATCH", "/v1/organizations/"+orgID, map[string]any{"name": "mine"}, http.StatusForbidden, "FORBIDDEN")
	failAs(t, h, member, "", "POST", members, map[string]any{"name": "x", "role": "viewer"}, http.StatusForbidden, "FORBIDDEN")
	failAs(t, h, member, h.WSID, "POST", "/v1/secrets", map[string]any{"name": "s", "value": "v"}, http.StatusForbidden, "FORBIDDEN", "admin")
	failAs(t, h, member, "", "POST", "/v1/workspaces", map[string]any{"name": "w"}, http.StatusForbidden, "FORBIDDEN", "admin")
	failAs(t, h, member, "", "DELETE", members+"/"+vicID, nil, http.StatusForbidden, "FORBIDDEN")
	failAs(t, h, admin, "", "POST", members, map[string]any{"name": "o2", "role": "owner"}, http.StatusForbidden, "FORBIDDEN", "owner")
	failAs(t, h, admin, "", "PATCH", members+"/"+ownerID, map[string]any{"role": "viewer"}, http.StatusForbidden, "FORBIDDEN", "owner")
	failAs(t, h, admin, "", "PATCH", members+"/"+vicID, map[string]any{"role": "owner"}, http.StatusForbidden, "FORBIDDEN", "owner")
	failAs(t, h, admin, "", "DELETE", members+"/"+ownerID, nil, http.StatusForbidden, "FORBIDDEN", "owner")
	failAs(t, h, admin, "", "DELETE", "/v1/organizations/"+orgID, nil, http.StatusForbidden, "FORBIDDEN", "owner")
	// An admin manages the others.
	if m := field(t, callAs(t, h, admin, "", "PATCH", members+"/"+miaID, map[string]any{"role": "viewer"}, http.StatusOK), "member"); m["role"] != "viewer" {
		t.Fatalf("role change = %v", m)
	}
	// The new role applies to the member's next request.
	failAs(t, h, member, h.WSID, "POST", "/v1/connections", map[string]any{"name": "c", "source_type": "postgres", "config": map[string]any{"host": "h"}},
		http.StatusForbidden, "FORBIDDEN", "viewer")
	callAs(t, h, admin, "", "PATCH", members+"/"+miaID, map[string]any{"role": "member"}, http.StatusOK)
	// The last owner stays one.
	failAs(t, h, root, "", "PATCH", members+"/"+ownerID, map[string]any{"role": "admin"}, http.StatusConflict, "LAST_OWNER")
	failAs(t, h, root, "", "DELETE", members+"/"+ownerID, nil, http.StatusConflict, "LAST_OWNER")
	callAs(t, h, root, "", "PATCH", members+"/"+adaID, map[string]any{"role": "owner"}, http.StatusOK)
	if m := field(t, callAs(t, h, admin, "", "PATCH", members+"/"+ownerID, map[string]any{"role": "admin"}, http.StatusOK), "member"); m["role"] != "admin" {
		t.Fatalf("demoted owner = %v", m)
	}
	callAs(t, h, admin, "", "PATCH", members+"/"+ownerID, map[string]any{"role": "owner"}, http.StatusOK)
	// A token limited to one workspace cannot manage the organization.
	scoped := field(t, callAs(t, h, root, "", "POST", "/v1/tokens", map[string]any{"workspace_id": "default"}, http.StatusCreated), "token")["token"].(string)
	failAs(t, h, scoped, "", "POST", members, map[string]any{"name": "x", "role": "viewer"}, http.StatusForbidden, "FORBIDDEN", "organization-wide")
	failAs(t, h, scoped, "", "POST", "/v1/workspaces", map[string]any{"name": "w"}, http.StatusForbidden, "FORBIDDEN", "organization-wide")

	// Removal: the member's tokens stop working at once, for REST and pgwire.
	pgxWorks(t, h, viewer, "default")
	callAs(t, h, viewer, h.WSID, "GET", "/v1/information_schema", nil, http.StatusOK)
	gone := field(t, callAs(t, h, admin, "", "DELETE", members+"/"+vicID, nil, http.StatusOK), "member")
	if gone["id"] != vicID || gone["name"] != "vic@example.com" {
		t.Fatalf("removed = %v", gone)
	}
	failAs(t, h, viewer, h.WSID, "GET", "/v1/information_schema", nil, http.StatusUnauthorized, "UNAUTHENTICATED")
	pgxRefused(t, h, viewer, "default", "28P01")
	failAs(t, h, admin, "", "DELETE", members+"/"+vicID, nil, http.StatusNotFound, "NOT_FOUND")
	if list := items(t, callAs(t, h, root, "", "GET", members, nil, http.StatusOK), "members"); len(list) != 3 {
		t.Fatalf("members after removal = %v", list)
	}
	// The others still work.
	pgxWorks(t, h, member, "default")
}

// TestTokens: the caller's tokens — made (text shown once), listed,
// limited to a workspace, expiring, revoked (cut off REST and pgwire).
func TestTokens(t *testing.T) {
	h := hdtest.Start(t)
	root := hdtest.Token
	out := field(t, callAs(t, h, root, "", "POST", "/v1/tokens", map[string]any{"name": "ci"}, http.StatusCreated), "token")
	text, _ := out["token"].(string)
	id, _ := out["id"].(string)
	if len(text) != 46 || !strings.HasPrefix(text, "hd_") || !strings.HasPrefix(id, "tok_") || out["name"] != "ci" || out["prefix"] != text[:10] ||
		out["workspace_id"] != nil || out["status"] != "active" || out["revoked_at"] != nil || out["expires_at"] != nil {
		t.Fatalf("created token = %v", out)
	}
	callAs(t, h, text, "", "GET", "/v1/workspaces", nil, http.StatusOK)
	pgxWorks(t, h, text, "default")

	// Listings never show a token's text.
	resp := callAs(t, h, root, "", "GET", "/v1/tokens", nil, http.StatusOK)
	list := items(t, resp, "tokens")
	if len(list) != 2 || list[0]["id"] != id || list[1]["name"] != "bootstrap admin token" {
		t.Fatalf("tokens = %v", list)
	}
	raw, _ := json.Marshal(resp)
	if strings.Contains(string(raw), text) || strings.Contains(string(raw), root) {
		t.Fatal("a token listing holds a token's text")
	}
	if got := field(t, callAs(t, h, root, "", "GET", "/v1/tokens/"+id, nil, http.StatusOK), "token"); got["name"] != "ci" || got["token"] != nil || got["last_used_at"] == nil {
		t.Fatalf("GET token = %v", got)
	}

	// A token limited to a workspace sees that workspace only, and makes
	// tokens limited to it only.
	second := field(t, callAs(t, h, root, "", "POST", "/v1/workspaces", map[string]any{"name": "second"}, http.StatusCreated), "workspace")["public_id"].(string)
	scoped := field(t, callAs(t, h, root, "", "POST", "/v1/tokens", map[string]any{"name": "bi", "workspace_id": "default"}, http.StatusCreated), "token")
	if scoped["workspace_id"] != h.WSID {
		t.Fatalf("scoped token = %v", scoped)
	}
	st := scoped["token"].(string)
	if ws := callAs(t, h, st, "", "GET", "/v1/workspaces", nil, http.StatusOK)["workspaces"].([]any); len(ws) != 1 || ws[0].(map[string]any)["public_id"] != h.WSID {
		t.Fatalf("scoped token lists %v", ws)
	}
	failAs(t, h, st, second, "GET", "/v1/secrets", nil, http.StatusNotFound, "NOT_FOUND")
	failAs(t, h, st, "", "GET", "/v1/workspaces/second", nil, http.StatusNotFound, "NOT_FOUND")
	failAs(t, h, st, "", "POST", "/v1/tokens", map[string]any{"workspace_id": second}, http.StatusNotFound, "NOT_FOUND")
	pgxRefused(t, h, st, "second", "28P01")
	pgxRefusedAs(t, h, st[:10], st, "second", "3D000")
	pgxWorks(t, h, st, "default")
	inherited := field(t, callAs(t, h, st, "", "POST", "/v1/tokens", map[string]any{"name": "child"}, http.StatusCreated), "token")
	if inherited["workspace_id"] != h.WSID {
		t.Fatalf("token made by a scoped token = %v", inherited)
	}
	failAs(t, h, root, "", "POST", "/v1/tokens", map[string]any{"workspace_id": "nope"}, http.StatusNotFound, "NOT_FOUND", "nope")

	// Expiry.
	failAs(t, h, root, "", "POST", "/v1/tokens", map[string]any{"expires_at": "tomorrow"}, http.StatusBadRequest, "INVALID_ARGUMENT", `"expires_at"`)
	failAs(t, h, root, "", "POST", "/v1/tokens", map[string]any{"expires_at": "2001-01-01T00:00:00Z"}, http.StatusBadRequest, "INVALID_ARGUMENT", "future")
	failAs(t, h, root, "", "POST", "/v1/tokens", map[string]any{"name": strings.Repeat("n", 200)}, http.StatusBadRequest, "INVALID_ARGUMENT", "name")
	exp := time.Now().Add(time.Hour).UTC().Truncate(time.Second)
	withExp := field(t, callAs(t, h, root, "", "POST", "/v1/tokens", map[string]any{"expires_at": exp.Format(time.RFC3339)}, http.StatusCreated), "token")
	if withExp["expires_at"] != exp.Format(time.RFC3339) || withExp["status"] != "active" {
		t.Fatalf("expiring token = %v", withExp)
	}

	// Revocation stops a token at once; revoking again changes nothing.
	rev := field(t, callAs(t, h, root, "", "DELETE", "/v1/tokens/"+id, nil, http.StatusOK), "token")
	if rev["status"] != "revoked" || rev["revoked_at"] == nil {
		t.Fatalf("revoked = %v", rev)
	}
	failAs(t, h, text, "", "GET", "/v1/workspaces", nil, http.StatusUnauthorized, "UNAUTHENTICATED", "revoked")
	pgxRefused(t, h, text, "default", "28P01")
	callAs(t, h, root, "", "DELETE", "/v1/tokens/"+id, nil, http.StatusOK)
	failAs(t, h, root, "", "DELETE", "/v1/tokens/tok_nope", nil, http.StatusNotFound, "NOT_FOUND")
	// Another member's tokens are not found; a token may revoke itself.
	orgID := h.P.Bootstrapped.Organization.ID
	_, bob := invite(t, h, root, orgID, map[string]any{"name": "bob", "role": "viewer"})
	failAs(t, h, bob, "", "GET", "/v1/tokens/"+scoped["id"].(string), nil, http.StatusNotFound, "NOT_FOUND")
	failAs(t, h, bob, "", "DELETE", "/v1/tokens/"+scoped["id"].(string), nil, http.StatusNotFound, "NOT_FOUND")
	bobs := items(t, callAs(t, h, bob, "", "GET", "/v1/tokens", nil, http.StatusOK), "tokens")
	if len(bobs) != 1 || bobs[0]["name"] != "invitation" {
		t.Fatalf("bob's tokens = %v", bobs)
	}
	callAs(t, h, bob, "", "DELETE", "/v1/tokens/"+bobs[0]["id"].(string), nil, http.StatusOK)
	failAs(t, h, bob, "", "GET", "/v1/tokens", nil, http.StatusUnauthorized, "UNAUTHENTICATED")
	// The scoped token still works: revoking one token touches no other.
	pgxWorks(t, h, st, "default")
}

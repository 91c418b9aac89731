package server_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hotdata-dev/hotdata/internal/hdtest"
)

// The route table of the routes tests (routes_*_test.go): for every
// route the REST API registers, the least role that may call it and how
// to make a valid call. TestRoutesRoles fails for a registered route
// that has no entry here, and for an entry the document's
// x-hotdata-role contradicts.

// roles from the weakest to the strongest.
var roles = []string{"viewer", "member", "admin", "owner"}

var roleRank = map[string]int{"none": 0, "viewer": 1, "member": 2, "admin": 3, "owner": 4}

// routeCase says how to call one route.
type routeCase struct {
	// role is the least role allowed: none (no token needed), viewer,
	// member, admin or owner.
	role string
	// want is the status of an allowed call.
	want int
	// body makes a valid request body (nil: the route takes none).
	body func(e *routeEnv) any
	// prep readies one call as role: it makes what the call uses up (as
	// the bootstrap owner) and returns the path parameters, and a token
	// when the call acts as another member than e.tokens[role]. Nil: the
	// route's parameters are fixed (params).
	prep func(t testing.TB, e *routeEnv, role string) (params map[string]string, token string)
	// params are fixed path parameters, from the fixture.
	params func(e *routeEnv) map[string]string
	// raw makes a valid body that is not JSON (an upload), with its
	// content type.
	raw func(e *routeEnv) (body []byte, contentType string)
}

// routeTable has one entry per registered route, keyed "METHOD /echo/:path".
var routeTable = map[string]routeCase{
	// Probes and the document: no token.
	"GET /healthz":          {role: "none", want: 200},
	"GET /metrics":          {role: "none", want: 200},
	"GET /readyz":           {role: "none", want: 200},
	"GET /v1/openapi.json":  {role: "none", want: 200},
	"GET /v1/workspaces":    {role: "viewer", want: 200},
	"GET /v1/whoami":        {role: "viewer", want: 200},
	"GET /v1/organizations": {role: "viewer", want: 200},
	"POST /v1/organizations": {role: "admin", want: 201,
		body: func(e *routeEnv) any { return map[string]any{"name": e.uniq("org")} }},
	"GET /v1/organizations/:id": {role: "viewer", want: 200, params: orgParams},
	"PATCH /v1/organizations/:id": {role: "admin", want: 200, params: orgParams,
		body: func(e *routeEnv) any { return map[string]any{"name": e.uniq("org")} }},
	// Deleting acts in a new organization with a member of the role.
	"DELETE /v1/organizations/:id": {role: "owner", want: 200, prep: prepDoomedOrganization},

	"GET /v1/organizations/:id/members": {role: "viewer", want: 200, params: orgParams},
	"POST /v1/organizations/:id/members": {role: "admin", want: 201, params: orgParams,
		body: func(e *routeEnv) any { return map[string]any{"name": e.uniq("invitee"), "role": "viewer"} }},
	"GET /v1/organizations/:id/members/:member_id": {role: "viewer", want: 200,
		params: func(e *routeEnv) map[string]string {
			return map[string]string{"id": e.orgID, "member_id": e.members["viewer"]}
		}},
	"PATCH /v1/organizations/:id/members/:member_id": {role: "admin", want: 200, prep: prepNewMember,
		body: func(e *routeEnv) any { return map[string]any{"role": "member"} }},
	"DELETE /v1/organizations/:id/members/:member_id": {role: "admin", want: 200, prep: prepNewMember},

	"POST /v1/tokens": {role: "viewer", want: 201,
		body: func(e *routeEnv) any { return map[string]any{"name": e.uniq("tok")} }},
	"GET /v1/tokens":           {role: "viewer", want: 200},
	"GET /v1/tokens/:id":       {role: "viewer", want: 200, prep: prepOwnToken},
	"DELETE /v1/tokens/:id":    {role: "viewer", want: 200, prep: prepOwnToken},
	"POST /v1/workspaces":      {role: "admin", want: 201, body: func(e *routeEnv) any { return map[string]any{"name": e.uniq("ws")} }},
	"GET /v1/workspaces/:id":   {role: "viewer", want: 200, params: func(e *routeEnv) map[string]string { return map[string]string{"id": e.wsID} }},
	"PATCH /v1/workspaces/:id": {role: "admin", want: 200, params: lifecycleParams, body: func(e *routeEnv) any { return map[string]any{"auto_resume": true} }},
	"DELETE /v1/workspaces/:id": {role: "admin", want: 200, prep: func(t testing.TB, e *routeEnv, _ string) (map[string]string, string) {
		out := e.mustCall(t, "POST", "/v1/workspaces", map[string]any{"name": e.uniq("doomed")}, e.root, "", 201)
		return map[string]string{"id": out["workspace"].(map[string]any)["public_id"].(string)}, ""
	}},
	"POST /v1/workspaces/:id/suspend": {role: "admin", want: 200, params: lifecycleParams},
	"POST /v1/workspaces/:id/resume":  {role: "admin", want: 200, params: lifecycleParams},
	"GET /v1/connection-types":        {role: "viewer", want: 200},
	"GET /v1/connection-types/:name":  {role: "viewer", want: 200, params: func(*routeEnv) map[string]string { return map[string]string{"name": "postgres"} }},
	"GET /v1/information_schema":      {role: "viewer", want: 200},
	"GET /v1/jobs":                    {role: "viewer", want: 200},
	"GET /v1/cdc":                     {role: "viewer", want: 200},
	"GET /v1/jobs/:id":                {role: "viewer", want: 200, params: func(e *routeEnv) map[string]string { return map[string]string{"id": e.jobID} }},
	"GET /v1/query-runs":              {role: "viewer", want: 200},
	"GET /v1/query-runs/:id":          {role: "viewer", want: 200, params: func(e *routeEnv) map[string]string { return map[string]string{"id": e.runID} }},
	// A member's own run, ended by the time it is canceled: a conflict
	// (TestRESTQueryCancel cancels a running one).
	"POST /v1/query-runs/:id/cancel": {role: "viewer", want: 409, prep: func(t testing.TB, e *routeEnv, role string) (map[string]string, string) {
		tok := e.tokens[role]
		if tok == "" {
			tok = e.root
		}
		out := e.mustCall(t, "POST", "/v1/query", map[string]any{"sql": "SELECT 1"}, tok, e.wsID, 200)
		return map[string]string{"id": out["query_run_id"].(string)}, tok
	}},
	"GET /v1/results":                                        {role: "viewer", want: 200},
	"GET /v1/results/:id":                                    {role: "viewer", want: 200, params: func(e *routeEnv) map[string]string { return map[string]string{"id": e.resultID} }},
	"POST /v1/query":                                         {role: "viewer", want: 200, body: func(*routeEnv) any { return map[string]any{"sql": "SELECT 1 AS one"} }},
	"POST /v1/refresh":                                       {role: "member", want: 200, body: func(*routeEnv) any { return map[string]any{"connection_id": "shop"} }},
	"GET /v1/secrets":                                        {role: "viewer", want: 200},
	"GET /v1/secrets/:name":                                  {role: "viewer", want: 200, params: shopSecretParams},
	"PUT /v1/secrets/:name":                                  {role: "admin", want: 200, params: shopSecretParams, body: func(*routeEnv) any { return map[string]any{"value": "unused-with-trust-auth"} }},
	"POST /v1/secrets":                                       {role: "admin", want: 201, body: func(e *routeEnv) any { return map[string]any{"name": e.uniq("sec"), "value": "v"} }},
	"DELETE /v1/secrets/:name":                               {role: "admin", want: 200, prep: prepNewSecret},
	"GET /v1/connections":                                    {role: "viewer", want: 200},
	"GET /v1/connections/:id":                                {role: "viewer", want: 200, params: shopParams},
	"GET /v1/connections/:id/health":                         {role: "viewer", want: 200, params: shopParams},
	"DELETE /v1/connections/:id/cache":                       {role: "member", want: 200, params: shopParams},
	"DELETE /v1/connections/:id":                             {role: "member", want: 200, prep: prepNewConnection},
	"POST /v1/connections":                                   {role: "member", want: 201, body: func(e *routeEnv) any { return e.connectionBody(e.uniq("conn")) }},
	"POST /v1/connections/test":                              {role: "member", want: 200, body: func(e *routeEnv) any { return e.connectionBody("") }},
	"DELETE /v1/connections/:id/tables/:schema/:table/cache": {role: "member", want: 200, params: ordersParams},
	"PUT /v1/connections/:id/tables/:schema/:table/policy": {role: "member", want: 200, params: ordersParams,
		body: func(*routeEnv) any { return map[string]any{"refresh": "manual"} }},
	"GET /v1/connections/:id/tables/:schema/:table/profile": {role: "viewer", want: 200, prep: prepCachedOrders},

	"POST /v1/files": {role: "member", want: 201,
		raw: func(*routeEnv) ([]byte, string) { return []byte("id,name\n1,a\n"), "text/csv" }},
	"GET /v1/files": {role: "viewer", want: 200},
	"POST /v1/datasets": {role: "member", want: 201,
		body: func(e *routeEnv) any { return map[string]any{"label": e.uniq("ds"), "source": inlineCSV} }},
	"POST /v1/datasets/preview": {role: "member", want: 200,
		body: func(e *routeEnv) any { return map[string]any{"upload_id": e.uploadID} }},
	"GET /v1/datasets":              {role: "viewer", want: 200},
	"GET /v1/datasets/:id":          {role: "viewer", want: 200, params: datasetParams},
	"GET /v1/datasets/:id/versions": {role: "viewer", want: 200, params: datasetParams},
	"PUT /v1/datasets/:id": {role: "member", want: 200, params: datasetParams,
		body: func(*routeEnv) any { return map[string]any{"source": inlineCSV} }},
	"DELETE /v1/datasets/:id": {role: "member", want: 200, prep: func(t testing.TB, e *routeEnv, _ string) (map[string]string, string) {
		out := e.mustCall(t, "POST", "/v1/datasets", map[string]any{"label": e.uniq("doomed"), "source": inlineCSV}, e.root, e.wsID, 201)
		return map[string]string{"id": out["id"].(string)}, ""
	}},
	"POST /v1/queries": {role: "member", want: 201,
		body: func(e *routeEnv) any { return map[string]any{"name": e.uniq("q"), "sql": "SELECT 1 AS one"} }},
	"GET /v1/queries":              {role: "viewer", want: 200},
	"GET /v1/queries/:id":          {role: "viewer", want: 200, params: savedQueryParams},
	"GET /v1/queries/:id/versions": {role: "viewer", want: 200, params: savedQueryParams},
	"POST /v1/queries/:id/execute": {role: "viewer", want: 200, params: savedQueryParams,
		body: func(*routeEnv) any { return map[string]any{"async_after_ms": 10000} }},
	"PUT /v1/queries/:id": {role: "member", want: 200, params: savedQueryParams,
		body: func(*routeEnv) any { return map[string]any{"description": "edited"} }},
	"DELETE /v1/queries/:id": {role: "member", want: 200, prep: func(t testing.TB, e *routeEnv, _ string) (map[string]string, string) {
		out := e.mustCall(t, "POST", "/v1/queries", map[string]any{"name": e.uniq("doomed"), "sql": "SELECT 2"}, e.root, e.wsID, 201)
		return map[string]string{"id": out["id"].(string)}, ""
	}},
}

// inlineCSV is a dataset source of two rows.
var inlineCSV = map[string]any{"inline": map[string]any{"content": "id,name\n1,a\n2,b\n", "format": "csv"}}

func datasetParams(e *routeEnv) map[string]string    { return map[string]string{"id": e.datasetID} }
func savedQueryParams(e *routeEnv) map[string]string { return map[string]string{"id": e.savedQueryID} }

// prepCachedOrders syncs shop.public.orders (another route purges it).
func prepCachedOrders(t testing.TB, e *routeEnv, _ string) (map[string]string, string) {
	e.mustCall(t, "POST", "/v1/query", map[string]any{"sql": "SELECT * FROM shop.public.orders"}, e.root, e.wsID, 200)
	return ordersParams(e), ""
}

func orgParams(e *routeEnv) map[string]string { return map[string]string{"id": e.orgID} }
func lifecycleParams(e *routeEnv) map[string]string {
	return map[string]string{"id": e.lifecycleWS}
}
func shopParams(*routeEnv) map[string]string       { return map[string]string{"id": "shop"} }
func shopSecretParams(*routeEnv) map[string]string { return map[string]string{"name": "shop_pw"} }
func ordersParams(*routeEnv) map[string]string {
	return map[string]string{"id": "shop", "schema": "public", "table": "orders"}
}

// prepDoomedOrganization makes an organization and, unless role is
// owner, a member of it with that role: the call deletes it with that
// member's token.
func prepDoomedOrganization(t testing.TB, e *routeEnv, role string) (map[string]string, string) {
	out := e.mustCall(t, "POST", "/v1/organizations", map[string]any{"name": e.uniq("doomed")}, e.root, "", 201)
	orgID := out["organization"].(map[string]any)["id"].(string)
	token := out["token"].(map[string]any)["token"].(string)
	if role != "owner" {
		inv := e.mustCall(t, "POST", "/v1/organizations/"+orgID+"/members", map[string]any{"name": e.uniq("m"), "role": role}, token, "", 201)
		token = inv["token"].(map[string]any)["token"].(string)
	}
	return map[string]string{"id": orgID}, token
}

// prepNewMember invites a viewer for the call to change or remove.
func prepNewMember(t testing.TB, e *routeEnv, _ string) (map[string]string, string) {
	out := e.mustCall(t, "POST", "/v1/organizations/"+e.orgID+"/members", map[string]any{"name": e.uniq("target"), "role": "viewer"}, e.root, "", 201)
	return map[string]string{"id": e.orgID, "member_id": out["member"].(map[string]any)["id"].(string)}, ""
}

// prepOwnToken makes a token of the caller's member (tokens are the caller's own).
func prepOwnToken(t testing.TB, e *routeEnv, role string) (map[string]string, string) {
	out := e.mustCall(t, "POST", "/v1/tokens", map[string]any{"name": e.uniq("own")}, e.tokens[role], "", 201)
	return map[string]string{"id": out["token"].(map[string]any)["id"].(string)}, ""
}

func prepNewSecret(t testing.TB, e *routeEnv, _ string) (map[string]string, string) {
	name := e.uniq("doomed")
	e.mustCall(t, "POST", "/v1/secrets", map[string]any{"name": name, "value": "v"}, e.root, e.wsID, 201)
	return map[string]string{"name": name}, ""
}

func prepNewConnection(t testing.TB, e *routeEnv, _ string) (map[string]string, string) {
	name := e.uniq("doomed")
	e.mustCall(t, "POST", "/v1/connections", e.connectionBody(name), e.root, e.wsID, 201)
	return map[string]string{"id": name}, ""
}

// routeEnv is a running server with members of every role in its
// organization and the objects the routes act on: connection shop (a
// PostgreSQL database with table public.orders, password in secret
// shop_pw), workspace lifecycle, a query run with its result, a job, a
// dataset and a saved query.
type routeEnv struct {
	h           *hdtest.Harness
	client      *http.Client
	base        string
	root        string // the bootstrap owner's token
	orgID, wsID string
	tokens      map[string]string // role → token of a member with that role
	members     map[string]string // role → that member's id
	shopConfig  map[string]any
	lifecycleWS string
	runID       string
	resultID    string
	jobID       string
	uploadID    string
	// datasetID and savedQueryID are a dataset and a saved query.
	datasetID, savedQueryID string
	n                       atomic.Int64
}

func newRouteEnv(t testing.TB) *routeEnv {
	t.Helper()
	h := hdtest.Start(t)
	e := &routeEnv{h: h, client: &http.Client{Timeout: 2 * time.Minute}, base: "http://" + h.P.HTTPAddr(), root: hdtest.Token,
		orgID: h.P.Bootstrapped.Organization.ID, wsID: h.WSID, tokens: map[string]string{}, members: map[string]string{}}
	h.ConnectUpstream("shop", "CREATE TABLE orders (id int PRIMARY KEY, total numeric(10,2))", "INSERT INTO orders VALUES (1, 19.99), (2, 5.00)")
	u, err := url.Parse(h.Upstream)
	if err != nil {
		t.Fatal(err)
	}
	port, _ := strconv.Atoi(u.Port())
	e.shopConfig = map[string]any{"host": u.Hostname(), "port": port, "user": u.User.Username(), "database": u.Path[1:], "sslmode": "disable"}
	for _, role := range roles {
		out := e.mustCall(t, "POST", "/v1/organizations/"+e.orgID+"/members", map[string]any{"name": "role_" + role, "role": role}, e.root, "", 201)
		e.members[role] = out["member"].(map[string]any)["id"].(string)
		e.tokens[role] = out["token"].(map[string]any)["token"].(string)
	}
	out := e.mustCall(t, "POST", "/v1/workspaces", map[string]any{"name": "lifecycle"}, e.root, "", 201)
	e.lifecycleWS = out["workspace"].(map[string]any)["public_id"].(string)
	out = e.mustCall(t, "POST", "/v1/query", map[string]any{"sql": "SELECT 1 AS one"}, e.root, e.wsID, 200)
	e.runID, e.resultID = out["query_run_id"].(string), out["result_id"].(string)
	out = e.mustCall(t, "POST", "/v1/datasets", map[string]any{"label": "fixture", "source": inlineCSV}, e.root, e.wsID, 201)
	e.datasetID = out["id"].(string)
	req, _ := http.NewRequest("POST", e.base+"/v1/files?filename=fixture.csv", strings.NewReader("id,name\n1,a\n"))
	req.Header.Set("Authorization", "Bearer "+e.root)
	req.Header.Set("X-Workspace-Id", e.wsID)
	resp, err := e.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var up map[string]any
	err = json.NewDecoder(resp.Body).Decode(&up)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 201 {
		t.Fatalf("upload: %d %v %v", resp.StatusCode, up, err)
	}
	e.uploadID = up["id"].(string)
	out = e.mustCall(t, "POST", "/v1/queries", map[string]any{"name": "fixture", "sql": "SELECT 1 AS one"}, e.root, e.wsID, 201)
	e.savedQueryID = out["id"].(string)
	out = e.mustCall(t, "POST", "/v1/refresh", map[string]any{"connection_id": "shop", "async": true}, e.root, e.wsID, 202)
	e.jobID = out["job"].(map[string]any)["id"].(string)
	deadline := time.Now().Add(time.Minute)
	for e.mustCall(t, "GET", "/v1/jobs/"+e.jobID, nil, e.root, e.wsID, 200)["status"] == "running" {
		if time.Now().After(deadline) {
			t.Fatalf("refresh job %s still running after a minute", e.jobID)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return e
}

func (e *routeEnv) uniq(prefix string) string { return prefix + strconv.FormatInt(e.n.Add(1), 10) }

// connectionBody registers the shop database again, under another name.
func (e *routeEnv) connectionBody(name string) map[string]any {
	return map[string]any{"name": name, "source_type": "postgres", "secret_name": "shop_pw", "skip_discovery": true, "config": e.shopConfig}
}

// apiRequest is one HTTP request to the REST API.
type apiRequest struct {
	method, path string
	rawQuery     string
	body         []byte // nil: no body
	chunked      bool   // send the body without Content-Length
	token, ws    string
	header       map[string]string
}

type apiAnswer struct {
	status int
	header http.Header
	body   []byte
}

func (a apiAnswer) contentType() string { return a.header.Get("Content-Type") }

// send makes one request; a transport error is returned, not fatal.
func (e *routeEnv) send(r apiRequest) (apiAnswer, error) {
	var rd io.Reader
	if r.body != nil {
		rd = bytes.NewReader(r.body)
		if r.chunked {
			rd = io.MultiReader(rd) // hides the length: chunked
		}
	}
	req, err := http.NewRequest(r.method, e.base+r.path, rd)
	if err != nil {
		return apiAnswer{}, err
	}
	req.URL.RawQuery = r.rawQuery
	if r.chunked {
		req.ContentLength = -1
	}
	if r.token != "" {
		req.Header.Set("Authorization", "Bearer "+r.token)
	}
	if r.ws != "" {
		req.Header.Set("X-Workspace-Id", r.ws)
	}
	if r.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range r.header {
		req.Header.Set(k, v)
	}
	resp, err := e.client.Do(req)
	if err != nil {
		return apiAnswer{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return apiAnswer{status: resp.StatusCode, header: resp.Header, body: body}, err
}

// do sends a request, failing the test on a transport error.
func (e *routeEnv) do(t testing.TB, r apiRequest) apiAnswer {
	t.Helper()
	a, err := e.send(r)
	if err != nil {
		t.Fatalf("%s %s: %v", r.method, r.path, err)
	}
	return a
}

// mustCall sends a JSON body (nil: none) and decodes the answer,
// failing the test on another status than want.
func (e *routeEnv) mustCall(t testing.TB, method, path string, body any, token, ws string, want int) map[string]any {
	t.Helper()
	var raw []byte
	if body != nil {
		var err error
		if raw, err = json.Marshal(body); err != nil {
			t.Fatal(err)
		}
	}
	a := e.do(t, apiRequest{method: method, path: path, body: raw, token: token, ws: ws})
	if a.status != want {
		t.Fatalf("%s %s = %d %s, want %d", method, path, a.status, a.body, want)
	}
	var out map[string]any
	if err := json.Unmarshal(a.body, &out); err != nil {
		t.Fatalf("%s %s: not JSON: %.500s", method, path, a.body)
	}
	return out
}

// validCall readies a valid call of a route as role: path, body, token
// and X-Workspace-Id (when the document says the route takes one).
func (e *routeEnv) validCall(t testing.TB, doc *openAPI, r routeInfo, rc routeCase, role string) apiRequest {
	t.Helper()
	params, token := map[string]string{}, ""
	switch {
	case rc.prep != nil:
		params, token = rc.prep(t, e, role)
	case rc.params != nil:
		params = rc.params(e)
	}
	if token == "" && role != "none" {
		token = e.tokens[role]
	}
	req := apiRequest{method: r.method, path: r.fill(params), token: token}
	if rc.body != nil {
		b, err := json.Marshal(rc.body(e))
		if err != nil {
			t.Fatal(err)
		}
		req.body = b
	}
	if rc.raw != nil {
		var ct string
		req.body, ct = rc.raw(e)
		req.header = map[string]string{"Content-Type": ct}
	}
	if doc.workspaceScoped(r) {
		req.ws = e.wsID
	}
	return req
}

// healthy checks that the server still answers: its probe, and an
// authenticated call of the bootstrap owner unless probeOnly (a fuzzer
// may have revoked that token or deleted the organization).
func (e *routeEnv) healthy(t testing.TB, probeOnly bool) {
	t.Helper()
	a, err := e.send(apiRequest{method: "GET", path: "/healthz"})
	if err != nil || a.status != http.StatusOK {
		t.Fatalf("the server stopped serving: GET /healthz = %d %s, %v", a.status, a.body, err)
	}
	if probeOnly {
		return
	}
	if a = e.do(t, apiRequest{method: "GET", path: "/v1/connections/shop", token: e.root, ws: e.wsID}); a.status != http.StatusOK {
		t.Fatalf("the server stopped serving: GET /v1/connections/shop = %d %s", a.status, a.body)
	}
}

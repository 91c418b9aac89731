package server_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sort"
	"strings"
	"testing"
)

// Bad input on every route: malformed bodies and random path parameters
// never make a handler fail (5xx), every error has the one shape, and a
// route that takes a JSON body answers 400 naming the field (invalid
// JSON, unknown fields, wrong types, missing fields) or 413 (too large).
// Unknown ids are 404 and names in use 409.

// maxBody mirrors api's body limit (10 MiB).
const maxBody = 10 << 20

// malformedBody is a body every route gets; want and code, when set, are
// what a route that takes a JSON body must answer.
type malformedBody struct {
	name    string
	body    []byte
	chunked bool
	want    int
	code    string
	mention string // the error message must contain it
}

func malformedBodies() []malformedBody {
	deepArray := strings.Repeat("[", 100000) + strings.Repeat("]", 100000)
	deepObject := strings.Repeat(`{"a":`, 20000) + "1" + strings.Repeat("}", 20000)
	oversize := []byte(`{"name": "` + strings.Repeat("x", maxBody) + `"}`)
	return []malformedBody{
		{name: "invalid JSON", body: []byte("{"), want: 400, code: "INVALID_JSON"},
		{name: "truncated", body: []byte(`{"name": "x`), want: 400, code: "INVALID_JSON"},
		{name: "not JSON", body: []byte("not json"), want: 400, code: "INVALID_JSON"},
		{name: "trailing data", body: []byte(`{} {"name": 1}`), want: 400, code: "INVALID_JSON"},
		{name: "empty", body: []byte{}, want: 400, code: "INVALID_JSON"},
		{name: "blank", body: []byte(" \n\t "), want: 400, code: "INVALID_JSON"},
		{name: "array", body: []byte("[]"), want: 400, code: "INVALID_JSON"},
		{name: "string", body: []byte(`"x"`), want: 400, code: "INVALID_JSON"},
		{name: "number", body: []byte("1"), want: 400, code: "INVALID_JSON"},
		{name: "null", body: []byte("null"), want: 400, code: "INVALID_JSON"},
		{name: "unknown field", body: []byte(`{"zzz_unknown": 1}`), want: 400, mention: "zzz_unknown"},
		{name: "huge number", body: []byte(`{"zzz_huge": 1e400}`), want: 400, mention: "zzz_huge"},
		{name: "long number", body: []byte(`{"zzz_long": 123456789012345678901234567890123456789}`), want: 400, mention: "zzz_long"},
		{name: "deep array", body: []byte(deepArray), want: 400, code: "INVALID_JSON"},
		{name: "deep object", body: []byte(deepObject), want: 400, code: "INVALID_JSON"},
		{name: "raw control character", body: []byte("{\"name\": \"a\x00b\"}"), want: 400, code: "INVALID_JSON"},
		{name: "invalid UTF-8", body: []byte("{\"name\": \"\xff\xfe\"}")},
		{name: "escaped NUL", body: []byte(`{"name": "a\u0000b", "value": "\u0000", "sql": "\u0000"}`)},
		{name: "oversize", body: oversize, want: 413, code: "PAYLOAD_TOO_LARGE"},
		{name: "oversize chunked", body: oversize, chunked: true, want: 413, code: "PAYLOAD_TOO_LARGE"},
	}
}

// nastyParams are path parameter values that have broken servers.
var nastyParams = []string{
	"nope", "ünïcode✓", ".", "..", "a/b", "%", "%00", "\x00", " ", "'; DROP TABLE workspaces; --",
	"-1", "0", "99999999999999999999999", strings.Repeat("a", 5000), "ws_nope", "conn_nope", "res_nope",
	"qrun_nope", "job_nope", "tok_nope", "mem_nope", "org_nope", "secr_nope", "default",
}

// randomParams gives each path parameter a nasty or random value; it
// never names the fixture's objects (except "default", the name of the
// organization and workspace, in parameters where no harm follows).
func randomParams(rng *rand.Rand, r routeInfo) map[string]string {
	out := map[string]string{}
	for _, p := range r.params {
		var v string
		if rng.IntN(3) == 0 {
			b := make([]byte, 1+rng.IntN(24))
			for i := range b {
				b[i] = byte(rng.IntN(256))
			}
			v = string(b)
		} else {
			v = nastyParams[rng.IntN(len(nastyParams))]
		}
		if v == "default" && r.method != http.MethodGet {
			v = "nope"
		}
		out[p] = v
	}
	return out
}

func TestRoutesMalformedBodies(t *testing.T) {
	doc := loadOpenAPI(t)
	e := newRouteEnv(t)
	rng := rand.New(rand.NewPCG(20261125, 1))
	bodies := malformedBodies()
	for _, r := range registeredRoutes(t) {
		t.Run(r.key, func(t *testing.T) {
			takesJSON := doc.requestSchema(r) != nil
			for _, b := range bodies {
				req := apiRequest{method: r.method, path: r.fill(randomParams(rng, r)), body: b.body, chunked: b.chunked, token: e.root, ws: e.wsID}
				a, err := e.send(req)
				if err != nil {
					t.Errorf("%s: %s: the server cut the connection: %v", b.name, req.path, err)
					continue
				}
				checkNoFailure(t, b.name+" "+req.path, a)
				if !takesJSON || b.want == 0 || len(b.body) == 0 && doc.bodyOptional(r) {
					continue
				}
				code, msg := errorOf(a.body)
				if a.status != b.want || b.code != "" && code != b.code || !strings.Contains(msg, b.mention) {
					t.Errorf("%s: %d %.300s, want %d %s mentioning %q", b.name, a.status, a.body, b.want, b.code, b.mention)
				}
				if err := doc.checkAnswer(r, a.status, a.contentType(), a.body); err != nil {
					t.Errorf("%s: %v", b.name, err)
				}
			}
			if takesJSON {
				rc, ok := routeTable[r.key]
				if !ok || rc.body == nil {
					t.Fatalf("%s takes a JSON body but routeTable has no valid one", r.key)
				}
				for _, c := range fieldCases(doc, doc.requestSchema(r), rc.body(e)) {
					req := apiRequest{method: r.method, path: r.fill(randomParams(rng, r)), body: c.body, token: e.root, ws: e.wsID}
					a := e.do(t, req)
					checkNoFailure(t, c.name, a)
					code, msg := errorOf(a.body)
					if a.status != http.StatusBadRequest || c.code != "" && code != c.code || !strings.Contains(msg, c.mention) {
						t.Errorf("%s: %s: %d %.300s, want 400 %s naming %q", c.name, c.body, a.status, a.body, c.code, c.mention)
					}
				}
			}
			e.healthy(t, false)
		})
	}
}

// checkNoFailure: no 5xx, and an error has the one shape.
func checkNoFailure(t *testing.T, what string, a apiAnswer) {
	t.Helper()
	if a.status >= 500 {
		t.Errorf("%s: %d %.500s: a server error on bad input", what, a.status, a.body)
	}
	if a.status >= 400 {
		if err := errorShape(a.body); err != nil {
			t.Errorf("%s: %d: %v", what, a.status, err)
		}
	}
}

// fieldCase is a body with one field wrong; the 400 must name it.
type fieldCase struct {
	name    string
	body    []byte
	code    string
	mention string
}

// fieldCases derives bad bodies from a request schema and a valid body:
// each field of a wrong type, integers too large or fractional, field
// names in the wrong case, each required field missing or blank, unknown
// fields in nested objects.
func fieldCases(doc *openAPI, schema map[string]any, valid any) []fieldCase {
	var base map[string]any
	raw, _ := json.Marshal(valid)
	_ = json.Unmarshal(raw, &base)
	var out []fieldCase
	with := func(path []string, v any) []byte {
		body := cloneJSON(base)
		m := body
		for _, p := range path[:len(path)-1] {
			next, ok := m[p].(map[string]any)
			if !ok {
				next = map[string]any{}
				m[p] = next
			}
			m = next
		}
		m[path[len(path)-1]] = v
		b, _ := json.Marshal(body)
		return b
	}
	var walk func(s map[string]any, path []string)
	walk = func(s map[string]any, path []string) {
		props, _ := s["properties"].(map[string]any)
		names := make([]string, 0, len(props))
		for n := range props {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			ps, _ := doc.resolve(props[n]).(map[string]any)
			p := append(append([]string{}, path...), n)
			dotted := strings.Join(p, ".")
			for _, bad := range wrongValues(ps) {
				out = append(out, fieldCase{name: "wrong type of " + dotted, body: with(p, bad), mention: `"` + dotted + `"`})
			}
			if up := strings.ToUpper(n[:1]) + n[1:]; up != n && len(path) == 0 {
				// encoding/json matches names regardless of case: "Name" must not pass for "name".
				b := cloneJSON(base)
				v, ok := b[n]
				if !ok {
					v = rightValue(ps)
				}
				delete(b, n)
				b[up] = v
				body, _ := json.Marshal(b)
				out = append(out, fieldCase{name: "field name in the wrong case: " + up, body: body, mention: `"` + up + `"`})
			}
			if ps["type"] == "object" && ps["properties"] != nil {
				out = append(out, fieldCase{name: "unknown field in " + dotted, body: with(append(p, "zzz_unknown"), 1), mention: "zzz_unknown"})
				walk(ps, p)
			}
		}
		if len(path) > 0 {
			return
		}
		for _, r := range asList(s["required"]) {
			n := r.(string)
			b := cloneJSON(base)
			delete(b, n)
			body, _ := json.Marshal(b)
			out = append(out, fieldCase{name: "missing " + n, body: body, code: "MISSING_FIELD", mention: `"` + n + `"`})
			if ps, _ := doc.resolve(props[n]).(map[string]any); ps["type"] == "string" {
				out = append(out, fieldCase{name: "blank " + n, body: with([]string{n}, "  "), code: "MISSING_FIELD", mention: `"` + n + `"`})
			}
		}
		if _, ok := s["minProperties"]; ok {
			out = append(out, fieldCase{name: "no field", body: []byte("{}"), code: "MISSING_FIELD"})
		}
	}
	walk(schema, nil)
	return out
}

// wrongValues are values of another type than the schema's.
func wrongValues(s map[string]any) []any {
	var types []string
	switch ty := s["type"].(type) {
	case string:
		types = []string{ty}
	case []any:
		for _, x := range ty {
			types = append(types, x.(string))
		}
	}
	has := func(t string) bool { return strings.Contains(" "+strings.Join(types, " ")+" ", " "+t+" ") }
	var out []any
	switch {
	case has("string"):
		out = append(out, 12345, true, []any{"x"})
	case has("integer"):
		out = append(out, "12", json.RawMessage("1e400"), json.RawMessage("123456789012345678901234567890"), 1.5, json.RawMessage("-1e400"))
	case has("boolean"):
		out = append(out, "true", 1)
	case has("object"):
		out = append(out, "x", 1, []any{})
	}
	return out
}

// rightValue is a value of the schema's type.
func rightValue(s map[string]any) any {
	for _, c := range []struct {
		typ string
		v   any
	}{{"string", "x"}, {"integer", 1}, {"boolean", true}, {"object", map[string]any{}}} {
		if fmt.Sprint(s["type"]) == c.typ || strings.Contains(fmt.Sprint(s["type"]), c.typ+" ") {
			return c.v
		}
	}
	return "x"
}

// cloneJSON deep-copies a decoded JSON object.
func cloneJSON(m map[string]any) map[string]any {
	b, _ := json.Marshal(m)
	var out map[string]any
	_ = json.Unmarshal(b, &out)
	if out == nil {
		out = map[string]any{}
	}
	return out
}

// TestRoutesUnknownIDs: every route with path parameters answers 404
// NOT_FOUND for ids that do not exist (the valid body otherwise), and
// documents it.
func TestRoutesUnknownIDs(t *testing.T) {
	doc := loadOpenAPI(t)
	e := newRouteEnv(t)
	type unknownCase struct {
		route  string
		params map[string]string
	}
	var cases []unknownCase
	for _, r := range registeredRoutes(t) {
		if _, ok := routeTable[r.key]; !ok || len(r.params) == 0 {
			continue
		}
		p := map[string]string{}
		for _, name := range r.params {
			p[name] = "nope_zz9"
		}
		cases = append(cases, unknownCase{r.key, p})
	}
	// Known parents, unknown children.
	cases = append(cases,
		unknownCase{"GET /v1/organizations/:id/members/:member_id", map[string]string{"id": e.orgID, "member_id": "mem_nope"}},
		unknownCase{"PATCH /v1/organizations/:id/members/:member_id", map[string]string{"id": e.orgID, "member_id": "mem_nope"}},
		unknownCase{"DELETE /v1/organizations/:id/members/:member_id", map[string]string{"id": e.orgID, "member_id": "mem_nope"}},
		unknownCase{"DELETE /v1/connections/:id/tables/:schema/:table/cache", map[string]string{"id": "shop", "schema": "public", "table": "nope"}},
		unknownCase{"PUT /v1/connections/:id/tables/:schema/:table/policy", map[string]string{"id": "shop", "schema": "public", "table": "nope"}},
		unknownCase{"PUT /v1/connections/:id/tables/:schema/:table/policy", map[string]string{"id": "shop", "schema": "nope", "table": "orders"}},
	)
	routes := map[string]routeInfo{}
	for _, r := range registeredRoutes(t) {
		routes[r.key] = r
	}
	for _, c := range cases {
		r := routes[c.route]
		rc := routeTable[c.route]
		req := apiRequest{method: r.method, path: r.fill(c.params), token: e.root}
		if doc.workspaceScoped(r) {
			req.ws = e.wsID
		}
		if rc.body != nil {
			req.body, _ = json.Marshal(rc.body(e))
		}
		a := e.do(t, req)
		if code, _ := errorOf(a.body); a.status != http.StatusNotFound || code != "NOT_FOUND" {
			t.Errorf("%s %s: %d %.300s, want 404 NOT_FOUND", r.method, req.path, a.status, a.body)
		}
		if err := doc.checkAnswer(r, a.status, a.contentType(), a.body); err != nil {
			t.Error(err)
		}
	}
	e.healthy(t, false)
}

// TestRoutesConflicts: a name in use is 409 ALREADY_EXISTS, documented.
func TestRoutesConflicts(t *testing.T) {
	doc := loadOpenAPI(t)
	e := newRouteEnv(t)
	e.mustCall(t, "POST", "/v1/organizations", map[string]any{"name": "taken"}, e.root, "", 201)
	cases := []struct {
		route  string
		params map[string]string
		body   any
	}{
		{"POST /v1/organizations", nil, map[string]any{"name": "taken"}},
		{"PATCH /v1/organizations/:id", map[string]string{"id": e.orgID}, map[string]any{"name": "taken"}},
		{"POST /v1/organizations/:id/members", map[string]string{"id": e.orgID}, map[string]any{"name": "role_viewer", "role": "viewer"}},
		{"POST /v1/workspaces", nil, map[string]any{"name": "lifecycle"}},
		{"PATCH /v1/workspaces/:id", map[string]string{"id": e.wsID}, map[string]any{"name": "lifecycle"}},
		{"POST /v1/secrets", nil, map[string]any{"name": "shop_pw", "value": "x"}},
		{"POST /v1/connections", nil, e.connectionBody("shop")},
	}
	routes := map[string]routeInfo{}
	for _, r := range registeredRoutes(t) {
		routes[r.key] = r
	}
	for _, c := range cases {
		r, ok := routes[c.route]
		if !ok {
			t.Errorf("%s is not registered", c.route)
			continue
		}
		body, _ := json.Marshal(c.body)
		req := apiRequest{method: r.method, path: r.fill(c.params), body: body, token: e.root}
		if doc.workspaceScoped(r) {
			req.ws = e.wsID
		}
		a := e.do(t, req)
		if code, _ := errorOf(a.body); a.status != http.StatusConflict || code != "ALREADY_EXISTS" {
			t.Errorf("%s %s: %d %.300s, want 409 ALREADY_EXISTS", r.method, req.path, a.status, a.body)
		}
		if err := doc.checkAnswer(r, a.status, a.contentType(), a.body); err != nil {
			t.Error(err)
		}
	}
	e.healthy(t, false)
}

package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/hotdata-dev/hotdata/internal/testenv"
)

// The OpenAPI document against the router: every registered route is
// documented with its method and every documented operation is
// registered; the document is OpenAPI 3.1 (checked here for structure,
// and by Redocly's linter for everything else); it is served without a
// token.

var httpMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// loadOpenAPI decodes the embedded document.
func loadOpenAPI(t *testing.T) map[string]any {
	t.Helper()
	var doc map[string]any
	dec := json.NewDecoder(bytes.NewReader(openAPIDocument))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("openapi.json is not JSON: %v", err)
	}
	if dec.More() {
		t.Fatal("openapi.json holds data after its object")
	}
	return doc
}

// registeredRoutes maps "METHOD /openapi/{path}" to the name of the
// handler method New registers for it (route-not-found catch-alls left out).
func registeredRoutes(t *testing.T) map[string]string {
	t.Helper()
	e := New(nil, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	out := map[string]string{}
	for _, r := range e.Routes() {
		if r.Method == echo.RouteNotFound {
			continue
		}
		key := r.Method + " " + OpenAPIPath(r.Path)
		if _, dup := out[key]; dup {
			t.Errorf("route %s is registered twice", key)
		}
		name := strings.TrimSuffix(r.Name, "-fm")
		out[key] = name[strings.LastIndex(name, ".")+1:]
	}
	return out
}

// documentedOperations maps "METHOD /path" to the operation object.
func documentedOperations(t *testing.T, doc map[string]any) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	paths, _ := doc["paths"].(map[string]any)
	for p, item := range paths {
		pi, _ := item.(map[string]any)
		for _, m := range httpMethods {
			if op, ok := pi[m].(map[string]any); ok {
				out[strings.ToUpper(m)+" "+p] = op
			}
		}
	}
	return out
}

func TestOpenAPIRoutes(t *testing.T) {
	doc := loadOpenAPI(t)
	routes := registeredRoutes(t)
	ops := documentedOperations(t, doc)
	var missing, extra []string
	for key, handler := range routes {
		op, ok := ops[key]
		if !ok {
			missing = append(missing, key+" (handler "+handler+")")
			continue
		}
		if op["operationId"] != handler {
			t.Errorf("%s: operationId %v, want the handler's name %q", key, op["operationId"], handler)
		}
	}
	for key := range ops {
		if _, ok := routes[key]; !ok {
			extra = append(extra, key)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	for _, k := range missing {
		t.Errorf("route %s is registered but not in api/openapi/openapi.json", k)
	}
	for _, k := range extra {
		t.Errorf("api/openapi/openapi.json documents %s, which is not registered", k)
	}
	if len(routes) < 50 {
		t.Errorf("only %d routes registered: the route listing is broken", len(routes))
	}
}

// TestOpenAPIDocument checks the document's structure as OpenAPI 3.1
// (the fields each object may and must have), that every $ref resolves,
// that path parameters match the path templates, and Hotdata's own
// conventions: an operationId, summary, tag and x-hotdata-role on every
// operation, the error shape on every 4XX/5XX answer.
func TestOpenAPIDocument(t *testing.T) {
	doc := loadOpenAPI(t)
	c := &docChecker{t: t, doc: doc}
	c.keys("#", doc, []string{"openapi", "info", "paths"},
		[]string{"jsonSchemaDialect", "servers", "webhooks", "components", "security", "tags", "externalDocs"})
	if v, _ := doc["openapi"].(string); !regexp.MustCompile(`^3\.1\.\d+$`).MatchString(v) {
		t.Errorf("openapi = %q, want 3.1.x", v)
	}
	info := c.object("#/info", doc["info"])
	c.keys("#/info", info, []string{"title", "version"}, []string{"summary", "description", "termsOfService", "contact", "license"})
	comps := c.object("#/components", doc["components"])
	c.keys("#/components", comps, nil, []string{"schemas", "responses", "parameters", "examples", "requestBodies", "headers",
		"securitySchemes", "links", "callbacks", "pathItems"})
	schemes := c.object("#/components/securitySchemes", comps["securitySchemes"])
	c.security("#/security", doc["security"], schemes)
	tags := map[string]bool{}
	for i, tg := range c.array("#/tags", doc["tags"]) {
		to := c.object(fmt.Sprintf("#/tags/%d", i), tg)
		c.keys(fmt.Sprintf("#/tags/%d", i), to, []string{"name"}, []string{"description", "externalDocs"})
		name, _ := to["name"].(string)
		if tags[name] {
			t.Errorf("tag %q declared twice", name)
		}
		tags[name] = true
	}
	c.refs("#", doc)

	opIDs := map[string]string{}
	paths := c.object("#/paths", doc["paths"])
	for p, item := range paths {
		where := "#/paths/" + p
		if !strings.HasPrefix(p, "/") || strings.HasSuffix(p, "/") && p != "/" {
			t.Errorf("%s: a path starts with / and does not end with one", where)
		}
		pi := c.object(where, item)
		c.keys(where, pi, nil, append([]string{"summary", "description", "servers", "parameters", "$ref"}, httpMethods...))
		templ := map[string]bool{}
		for _, m := range regexp.MustCompile(`\{([^}/]+)\}`).FindAllStringSubmatch(p, -1) {
			templ[m[1]] = true
		}
		shared := c.parameters(where+"/parameters", pi["parameters"])
		for _, m := range httpMethods {
			raw, ok := pi[m]
			if !ok {
				continue
			}
			ow := where + "/" + m
			op := c.object(ow, raw)
			c.keys(ow, op, []string{"operationId", "summary", "responses", "tags", "x-hotdata-role"},
				[]string{"description", "externalDocs", "parameters", "requestBody", "callbacks", "deprecated", "security", "servers"})
			id, _ := op["operationId"].(string)
			if prev, dup := opIDs[id]; dup {
				t.Errorf("%s: operationId %q is also %s's", ow, id, prev)
			}
			opIDs[id] = ow
			for _, tg := range c.array(ow+"/tags", op["tags"]) {
				if s, _ := tg.(string); !tags[s] {
					t.Errorf("%s: tag %v is not declared in #/tags", ow, tg)
				}
			}
			params := map[string]map[string]any{}
			for k, v := range shared {
				params[k] = v
			}
			for k, v := range c.parameters(ow+"/parameters", op["parameters"]) {
				params[k] = v
			}
			for name := range templ {
				if _, ok := params["path "+name]; !ok {
					t.Errorf("%s: path parameter %q is not declared", ow, name)
				}
			}
			for k := range params {
				if in, name, _ := strings.Cut(k, " "); in == "path" && !templ[name] {
					t.Errorf("%s: parameter %q is in the path but not in %s", ow, name, p)
				}
			}
			role, _ := op["x-hotdata-role"].(string)
			if !slices.Contains([]string{"none", "viewer", "member", "admin", "owner"}, role) {
				t.Errorf("%s: x-hotdata-role %q is not none, viewer, member, admin or owner", ow, role)
			}
			sec, hasSec := op["security"]
			if public := hasSec && len(c.array(ow+"/security", sec)) == 0; public != (role == "none") {
				t.Errorf("%s: x-hotdata-role %q but security %v", ow, role, sec)
			}
			if hasSec {
				c.security(ow+"/security", sec, schemes)
			}
			if rb, ok := op["requestBody"]; ok {
				rbo := c.object(ow+"/requestBody", c.resolve(rb))
				c.keys(ow+"/requestBody", rbo, []string{"content"}, []string{"description", "required"})
			}
			responses := c.object(ow+"/responses", op["responses"])
			if len(responses) == 0 {
				t.Errorf("%s: no responses", ow)
			}
			ok2xx := false
			for code, r := range responses {
				rw := ow + "/responses/" + code
				if !regexp.MustCompile(`^([1-5]\d\d|[1-5]XX|default)$`).MatchString(code) {
					t.Errorf("%s: %q is not a status code", rw, code)
				}
				ok2xx = ok2xx || code[0] == '2'
				ro := c.object(rw, c.resolve(r))
				c.keys(rw, ro, []string{"description"}, []string{"headers", "content", "links"})
				if code[0] == '4' || code[0] == '5' {
					content := c.object(rw+"/content", ro["content"])
					mt := c.object(rw+"/content/application~1json", content["application/json"])
					if ref := c.object(rw+"/content/application~1json/schema", mt["schema"])["$ref"]; ref != "#/components/schemas/Error" {
						t.Errorf("%s: an error answer's schema is %v, want #/components/schemas/Error", rw, ref)
					}
				}
			}
			if !ok2xx {
				t.Errorf("%s: no 2XX response", ow)
			}
		}
	}
	for name, s := range c.object("#/components/schemas", comps["schemas"]) {
		c.schema("#/components/schemas/"+name, s)
	}
}

// docChecker checks parts of the document, reporting with their JSON pointer.
type docChecker struct {
	t   *testing.T
	doc map[string]any
}

func (c *docChecker) object(where string, v any) map[string]any {
	c.t.Helper()
	m, ok := v.(map[string]any)
	if !ok {
		c.t.Errorf("%s: want an object, have %T", where, v)
	}
	return m
}

func (c *docChecker) array(where string, v any) []any {
	c.t.Helper()
	a, ok := v.([]any)
	if !ok && v != nil {
		c.t.Errorf("%s: want an array, have %T", where, v)
	}
	return a
}

// keys checks that m has the required fields and no others than
// optional ones and x- extensions.
func (c *docChecker) keys(where string, m map[string]any, required, optional []string) {
	c.t.Helper()
	for _, k := range required {
		if _, ok := m[k]; !ok {
			c.t.Errorf("%s: field %q is required", where, k)
		}
	}
	for k := range m {
		if !strings.HasPrefix(k, "x-") && !slices.Contains(required, k) && !slices.Contains(optional, k) {
			c.t.Errorf("%s: field %q is not allowed here", where, k)
		}
	}
}

// resolve follows a local $ref.
func (c *docChecker) resolve(v any) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	ref, ok := m["$ref"].(string)
	if !ok {
		return v
	}
	target, err := pointer(c.doc, ref)
	if err != nil {
		c.t.Errorf("$ref %s: %v", ref, err)
		return nil
	}
	return c.resolve(target)
}

// pointer finds a local JSON pointer (#/a/b) in doc.
func pointer(doc map[string]any, ref string) (any, error) {
	rest, ok := strings.CutPrefix(ref, "#/")
	if !ok {
		return nil, fmt.Errorf("not a local reference")
	}
	var cur any = doc
	for _, tok := range strings.Split(rest, "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%q is not in an object", tok)
		}
		if cur, ok = m[tok]; !ok {
			return nil, fmt.Errorf("no %q", tok)
		}
	}
	return cur, nil
}

// refs checks that every $ref in v resolves.
func (c *docChecker) refs(where string, v any) {
	c.t.Helper()
	switch x := v.(type) {
	case map[string]any:
		if ref, ok := x["$ref"].(string); ok {
			if _, err := pointer(c.doc, ref); err != nil {
				c.t.Errorf("%s: $ref %s: %v", where, ref, err)
			}
		}
		for k, e := range x {
			c.refs(where+"/"+k, e)
		}
	case []any:
		for i, e := range x {
			c.refs(fmt.Sprintf("%s/%d", where, i), e)
		}
	}
}

func (c *docChecker) security(where string, v any, schemes map[string]any) {
	c.t.Helper()
	for i, req := range c.array(where, v) {
		for name := range c.object(fmt.Sprintf("%s/%d", where, i), req) {
			if _, ok := schemes[name]; !ok {
				c.t.Errorf("%s: security scheme %q is not in #/components/securitySchemes", where, name)
			}
		}
	}
}

// parameters checks a parameter list and returns it by "in name".
func (c *docChecker) parameters(where string, v any) map[string]map[string]any {
	c.t.Helper()
	out := map[string]map[string]any{}
	for i, raw := range c.array(where, v) {
		pw := fmt.Sprintf("%s/%d", where, i)
		p := c.object(pw, c.resolve(raw))
		c.keys(pw, p, []string{"name", "in"}, []string{"description", "required", "deprecated", "allowEmptyValue", "style",
			"explode", "allowReserved", "schema", "example", "examples", "content"})
		in, _ := p["in"].(string)
		name, _ := p["name"].(string)
		if !slices.Contains([]string{"query", "header", "path", "cookie"}, in) {
			c.t.Errorf("%s: in %q", pw, in)
		}
		if in == "path" && p["required"] != true {
			c.t.Errorf("%s: path parameter %q must be required", pw, name)
		}
		_, hasSchema := p["schema"]
		_, hasContent := p["content"]
		if hasSchema == hasContent {
			c.t.Errorf("%s: a parameter has a schema or a content, not both or neither", pw)
		}
		if hasSchema {
			c.schema(pw+"/schema", p["schema"])
		}
		key := in + " " + name
		if _, dup := out[key]; dup {
			c.t.Errorf("%s: parameter %s declared twice", pw, key)
		}
		out[key] = p
	}
	return out
}

var jsonTypes = []string{"null", "boolean", "object", "array", "number", "string", "integer"}

// schema checks the JSON Schema keywords the document uses.
func (c *docChecker) schema(where string, v any) {
	c.t.Helper()
	s, ok := v.(map[string]any)
	if !ok {
		if _, isBool := v.(bool); !isBool {
			c.t.Errorf("%s: a schema is an object or a boolean, not %T", where, v)
		}
		return
	}
	if _, ok := s["$ref"]; ok {
		return
	}
	switch ty := s["type"].(type) {
	case nil:
	case string:
		if !slices.Contains(jsonTypes, ty) {
			c.t.Errorf("%s: type %q", where, ty)
		}
	case []any:
		for _, x := range ty {
			if s, _ := x.(string); !slices.Contains(jsonTypes, s) {
				c.t.Errorf("%s: type %v", where, x)
			}
		}
	default:
		c.t.Errorf("%s: type is %T", where, ty)
	}
	props, _ := s["properties"].(map[string]any)
	for name, p := range props {
		c.schema(where+"/properties/"+name, p)
	}
	if props != nil {
		for _, r := range c.array(where+"/required", s["required"]) {
			if _, ok := props[r.(string)]; !ok {
				c.t.Errorf("%s: required %q is not in properties", where, r)
			}
		}
	}
	for _, k := range []string{"items", "additionalProperties", "not"} {
		if sub, ok := s[k]; ok {
			c.schema(where+"/"+k, sub)
		}
	}
	for _, k := range []string{"allOf", "anyOf", "oneOf"} {
		for i, sub := range c.array(where+"/"+k, s[k]) {
			c.schema(fmt.Sprintf("%s/%s/%d", where, k, i), sub)
		}
	}
}

func TestOpenAPIServed(t *testing.T) {
	e := New(nil, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	req := httptest.NewRequest(http.MethodGet, "/v1/openapi.json", nil) // no Authorization
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /v1/openapi.json = %d %s", rec.Code, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q, want application/json", ct)
	}
	var served, file any
	if err := json.Unmarshal(rec.Body.Bytes(), &served); err != nil {
		t.Fatalf("served document is not JSON: %v", err)
	}
	_ = json.Unmarshal(OpenAPIDocument(), &file)
	a, _ := json.Marshal(served)
	b, _ := json.Marshal(file)
	if !bytes.Equal(a, b) {
		t.Error("the served document differs from api/openapi/openapi.json")
	}
}

// TestOpenAPILint runs Redocly CLI (pinned in openapi/package-lock.json,
// installed with npm ci as clienttest/node is) on the document with
// openapi/redocly.yaml: any finding fails.
func TestOpenAPILint(t *testing.T) {
	dir, err := filepath.Abs("openapi")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "@redocly", "cli", "package.json")); err != nil {
		npm := lookTool(t, "npm")
		// npm ci installs exactly what package-lock.json pins.
		out := runTool(t, 5*time.Minute, "", npm, "ci", "--prefix", dir, "--no-audit", "--no-fund")
		t.Logf("npm ci: %s", out)
	}
	lookTool(t, "node") // the redocly script runs with node from PATH
	out := runTool(t, 2*time.Minute, dir, filepath.Join(dir, "node_modules", ".bin", "redocly"),
		"lint", "--config", "redocly.yaml", "--format", "stylish", "openapi.json")
	if !strings.Contains(out, "Your API description is valid") {
		t.Fatalf("redocly lint did not report the document valid:\n%s", out)
	}
}

// lookTool finds a program on PATH; without it the test fails under
// HOTDATA_TEST_REQUIRE_SERVICES=1 and is skipped otherwise.
func lookTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		msg := name + " is not installed (scripts/test.sh installs it: Debian package " + name + ")"
		if testenv.RequireServices() {
			t.Fatal(msg + "; HOTDATA_TEST_REQUIRE_SERVICES=1 forbids skipping")
		}
		t.Skip(msg)
	}
	return p
}

// runTool runs a program in dir and returns its output; a non-zero exit
// fails the test with that output.
func runTool(t *testing.T, timeout time.Duration, dir, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "REDOCLY_TELEMETRY=off", "REDOCLY_SUPPRESS_UPDATE_NOTICE=true", "NO_COLOR=1", "CI=true")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", filepath.Base(name), strings.Join(args, " "), err, out)
	}
	return string(out)
}

package server_test

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/hotdata-dev/hotdata/api"
)

// The OpenAPI document (api/openapi/openapi.json) as the routes tests read it:
// which routes exist, what each operation takes and answers, and a small
// JSON Schema validator for checking live answers against it.

// routeInfo is a registered route: "GET /v1/jobs/:id" and its parts.
type routeInfo struct {
	key, method, path string
	params            []string // path parameter names, in order
}

// openAPIPath is the route's path as the document writes it.
func (r routeInfo) openAPIPath() string { return api.OpenAPIPath(r.path) }

// fill builds the route's URL path from parameter values (escaped).
func (r routeInfo) fill(values map[string]string) string {
	parts := strings.Split(r.path, "/")
	for i, s := range parts {
		if name, ok := strings.CutPrefix(s, ":"); ok {
			parts[i] = pathEscape(values[name])
		}
	}
	return strings.Join(parts, "/")
}

// pathEscape escapes a path segment, "." and ".." included (a client
// would otherwise resolve them).
func pathEscape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '~' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// registeredRoutes lists the routes the REST API registers, sorted by
// key (route-not-found catch-alls left out).
func registeredRoutes(t testing.TB) []routeInfo {
	t.Helper()
	e := api.New(nil, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	var out []routeInfo
	seen := map[string]bool{}
	for _, r := range e.Routes() {
		if r.Method == echo.RouteNotFound {
			continue
		}
		ri := routeInfo{key: r.Method + " " + r.Path, method: r.Method, path: r.Path}
		if seen[ri.key] {
			continue
		}
		seen[ri.key] = true
		for _, s := range strings.Split(r.Path, "/") {
			if name, ok := strings.CutPrefix(s, ":"); ok {
				ri.params = append(ri.params, name)
			}
		}
		out = append(out, ri)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].key < out[j].key })
	return out
}

// openAPI is the decoded document.
type openAPI struct {
	doc map[string]any
}

func loadOpenAPI(t testing.TB) *openAPI {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(api.OpenAPIDocument(), &doc); err != nil {
		t.Fatalf("api/openapi/openapi.json: %v", err)
	}
	return &openAPI{doc: doc}
}

// resolve follows local $refs.
func (d *openAPI) resolve(v any) any {
	for {
		m, ok := v.(map[string]any)
		if !ok {
			return v
		}
		ref, ok := m["$ref"].(string)
		if !ok {
			return v
		}
		var cur any = d.doc
		for _, tok := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
			tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
			cur = cur.(map[string]any)[tok]
		}
		v = cur
	}
}

// operation returns the documented operation of a route, or nil.
func (d *openAPI) operation(r routeInfo) map[string]any {
	paths, _ := d.doc["paths"].(map[string]any)
	item, _ := paths[r.openAPIPath()].(map[string]any)
	op, _ := item[strings.ToLower(r.method)].(map[string]any)
	return op
}

// parameters returns the operation's parameters (path-level ones too).
func (d *openAPI) parameters(r routeInfo) []map[string]any {
	paths, _ := d.doc["paths"].(map[string]any)
	item, _ := paths[r.openAPIPath()].(map[string]any)
	var out []map[string]any
	for _, src := range []any{item["parameters"], d.operation(r)["parameters"]} {
		list, _ := src.([]any)
		for _, p := range list {
			if m, ok := d.resolve(p).(map[string]any); ok {
				out = append(out, m)
			}
		}
	}
	return out
}

// workspaceScoped says whether the operation takes X-Workspace-Id.
func (d *openAPI) workspaceScoped(r routeInfo) bool {
	for _, p := range d.parameters(r) {
		if p["in"] == "header" && p["name"] == "X-Workspace-Id" && p["required"] == true {
			return true
		}
	}
	return false
}

// role is the operation's x-hotdata-role.
func (d *openAPI) role(r routeInfo) string {
	s, _ := d.operation(r)["x-hotdata-role"].(string)
	return s
}

// requestSchema is the operation's JSON request body schema, or nil.
func (d *openAPI) requestSchema(r routeInfo) map[string]any {
	rb, _ := d.resolve(d.operation(r)["requestBody"]).(map[string]any)
	content, _ := rb["content"].(map[string]any)
	mt, _ := content["application/json"].(map[string]any)
	s, _ := d.resolve(mt["schema"]).(map[string]any)
	return s
}

// bodyOptional says the operation's request body may be left out.
func (d *openAPI) bodyOptional(r routeInfo) bool {
	rb, _ := d.resolve(d.operation(r)["requestBody"]).(map[string]any)
	req, _ := rb["required"].(bool)
	return rb != nil && !req
}

// response returns the documented response of a status, or nil.
func (d *openAPI) response(r routeInfo, status int) map[string]any {
	responses, _ := d.operation(r)["responses"].(map[string]any)
	resp, _ := d.resolve(responses[strconv.Itoa(status)]).(map[string]any)
	return resp
}

// checkAnswer checks a live answer against the document: its status is
// documented for the operation and a JSON body matches the schema.
func (d *openAPI) checkAnswer(r routeInfo, status int, contentType string, body []byte) error {
	resp := d.response(r, status)
	if resp == nil {
		return fmt.Errorf("status %d is not documented for %s", status, r.key)
	}
	if !strings.HasPrefix(contentType, "application/json") {
		content, _ := resp["content"].(map[string]any)
		mt, _, _ := strings.Cut(contentType, ";")
		if _, ok := content[strings.TrimSpace(mt)]; !ok {
			return fmt.Errorf("%s %d: Content-Type %q is not documented", r.key, status, contentType)
		}
		return nil
	}
	content, _ := resp["content"].(map[string]any)
	mt, _ := content["application/json"].(map[string]any)
	if mt == nil {
		return fmt.Errorf("%s %d: a JSON body is not documented", r.key, status)
	}
	var v any
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return fmt.Errorf("%s %d: body is not JSON: %v", r.key, status, err)
	}
	if errs := d.validate(v, mt["schema"], "$"); len(errs) > 0 {
		return fmt.Errorf("%s %d: the answer does not match the document:\n  %s\nbody: %.2000s", r.key, status, strings.Join(errs, "\n  "), body)
	}
	return nil
}

// validate checks v (decoded with UseNumber) against a schema: the
// keywords the document uses ($ref, type, enum, const, properties,
// required, additionalProperties, items, allOf, anyOf, oneOf, minimum,
// maximum, minProperties). Objects are closed: a field that neither the
// schema nor its allOf parts declare is an error unless
// additionalProperties allows it, so an answer cannot hold a field the
// document does not name.
func (d *openAPI) validate(v any, schema any, at string) []string {
	return d.validateIn(v, schema, at, false)
}

// validateIn validates; open is set for the parts of an allOf, anyOf or
// oneOf, whose parent checks the fields they do not declare.
func (d *openAPI) validateIn(v any, schema any, at string, open bool) []string {
	s, ok := d.resolve(schema).(map[string]any)
	if !ok {
		if b, isBool := schema.(bool); isBool && !b {
			return []string{at + ": no value allowed"}
		}
		return nil
	}
	var errs []string
	fail := func(format string, args ...any) { errs = append(errs, at+": "+fmt.Sprintf(format, args...)) }
	if ty, ok := s["type"]; ok {
		var types []string
		switch x := ty.(type) {
		case string:
			types = []string{x}
		case []any:
			for _, e := range x {
				types = append(types, e.(string))
			}
		}
		if !slices.ContainsFunc(types, func(t string) bool { return jsonTypeIs(v, t) }) {
			fail("%s, want type %v", jsonTypeOf(v), types)
			return errs
		}
	}
	if enum, ok := s["enum"].([]any); ok && !slices.ContainsFunc(enum, func(e any) bool { return fmt.Sprint(e) == fmt.Sprint(v) }) {
		fail("%v is not one of %v", v, enum)
	}
	if c, ok := s["const"]; ok && fmt.Sprint(c) != fmt.Sprint(v) {
		fail("%v, want %v", v, c)
	}
	if n, ok := v.(json.Number); ok {
		f, _ := n.Float64()
		if m, ok := s["minimum"].(float64); ok && f < m {
			fail("%v is below the minimum %v", f, m)
		}
		if m, ok := s["maximum"].(float64); ok && f > m {
			fail("%v is above the maximum %v", f, m)
		}
	}
	for _, sub := range asList(s["allOf"]) {
		errs = append(errs, d.validateIn(v, sub, at, true)...)
	}
	for _, k := range []string{"anyOf", "oneOf"} {
		alts := asList(s[k])
		if len(alts) == 0 {
			continue
		}
		n := 0
		for _, sub := range alts {
			if len(d.validateIn(v, sub, at, true)) == 0 {
				n++
			}
		}
		if n == 0 || k == "oneOf" && n > 1 {
			fail("matches %d of the %s alternatives", n, k)
		}
	}
	if obj, ok := v.(map[string]any); ok {
		props := d.declared(s)
		for _, r := range asList(s["required"]) {
			if _, ok := obj[r.(string)]; !ok {
				fail("required field %q is missing", r)
			}
		}
		if mp, ok := s["minProperties"].(float64); ok && float64(len(obj)) < mp {
			fail("%d fields, want at least %v", len(obj), mp)
		}
		for k, fv := range obj {
			if ps, ok := props[k]; ok {
				errs = append(errs, d.validate(fv, ps, at+"."+k)...)
				continue
			}
			switch ap := s["additionalProperties"].(type) {
			case bool:
				if !ap {
					fail("field %q is not allowed", k)
				}
			case map[string]any:
				errs = append(errs, d.validate(fv, ap, at+"."+k)...)
			default:
				if !open && len(props) > 0 { // a schema that names no field is free-form
					fail("field %q is not in the document", k)
				}
			}
		}
	}
	if arr, ok := v.([]any); ok {
		if items, ok := s["items"]; ok {
			for i, e := range arr {
				errs = append(errs, d.validate(e, items, fmt.Sprintf("%s[%d]", at, i))...)
			}
		}
	}
	return errs
}

// declared gathers the properties a schema declares, with its allOf parts'.
func (d *openAPI) declared(s map[string]any) map[string]any {
	out := map[string]any{}
	if ps, ok := s["properties"].(map[string]any); ok {
		for k, e := range ps {
			out[k] = e
		}
	}
	for _, sub := range asList(s["allOf"]) {
		if m, ok := d.resolve(sub).(map[string]any); ok {
			for k, e := range d.declared(m) {
				out[k] = e
			}
		}
	}
	return out
}

func asList(v any) []any { l, _ := v.([]any); return l }

func jsonTypeOf(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case json.Number:
		if _, err := x.Int64(); err == nil {
			return "integer"
		}
		return "number"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

func jsonTypeIs(v any, t string) bool {
	got := jsonTypeOf(v)
	if got == t || t == "number" && got == "integer" {
		return true
	}
	if n, ok := v.(json.Number); ok && t == "integer" {
		f, err := n.Float64()
		return err == nil && f == math.Trunc(f)
	}
	return false
}

// errorShape checks an error answer: exactly {"error": {"code", "message"}}
// with a SNAKE_CASE code and a message.
func errorShape(body []byte) error {
	var out map[string]json.RawMessage
	if err := json.Unmarshal(body, &out); err != nil {
		return fmt.Errorf("error body is not a JSON object: %.300q", body)
	}
	var e map[string]any
	if len(out) != 1 || json.Unmarshal(out["error"], &e) != nil || len(e) != 2 {
		return fmt.Errorf("error body is not {\"error\": {\"code\", \"message\"}}: %.300s", body)
	}
	code, _ := e["code"].(string)
	msg, _ := e["message"].(string)
	if code == "" || strings.Trim(code, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != "" || msg == "" {
		return fmt.Errorf("error code %q / message %q: want a SNAKE_CASE code and a message", code, msg)
	}
	return nil
}

// errorOf returns an error answer's code and message.
func errorOf(body []byte) (code, message string) {
	var out struct {
		Error struct{ Code, Message string }
	}
	_ = json.Unmarshal(body, &out)
	return out.Error.Code, out.Error.Message
}

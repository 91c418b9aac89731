package commands

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hotdata-dev/hotdata/api/openapi"
	"github.com/hotdata-dev/hotdata/cmd/hotdata/internal/client"
)

// doc is the OpenAPI document, decoded.
type doc struct{ m map[string]any }

func (d doc) resolve(s map[string]any) map[string]any {
	for i := 0; i < 8; i++ {
		ref, _ := s["$ref"].(string)
		if ref == "" {
			break
		}
		var cur any = d.m
		for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
			cur = cur.(map[string]any)[part]
		}
		s = cur.(map[string]any)
	}
	// allOf: the union of the parts' properties.
	if parts, ok := s["allOf"].([]any); ok {
		props := map[string]any{}
		for _, p := range parts {
			for k, v := range d.properties(d.resolve(p.(map[string]any))) {
				props[k] = v
			}
		}
		return map[string]any{"type": "object", "properties": props}
	}
	return s
}

func (d doc) properties(s map[string]any) map[string]any {
	p, _ := s["properties"].(map[string]any)
	return p
}

// answer is the JSON schema of an operation's success answer.
func (d doc) answer(t *testing.T, op string) map[string]any {
	for _, item := range d.m["paths"].(map[string]any) {
		for _, o := range item.(map[string]any) {
			om, ok := o.(map[string]any)
			if !ok || om["operationId"] != op {
				continue
			}
			resps := om["responses"].(map[string]any)
			for _, code := range []string{"200", "201", "202"} {
				r, ok := resps[code].(map[string]any)
				if !ok {
					continue
				}
				r = d.resolve(r)
				content, _ := r["content"].(map[string]any)
				if js, ok := content["application/json"].(map[string]any); ok {
					return d.resolve(js["schema"].(map[string]any))
				}
			}
		}
	}
	t.Fatalf("operation %s has no JSON answer in the document", op)
	return nil
}

// TestColumnsAreInTheDocument: every column a table prints reads a
// field the answer's schema has, so a renamed field cannot leave a
// column silently empty.
func TestColumnsAreInTheDocument(t *testing.T) {
	var m map[string]any
	if err := json.Unmarshal(openapi.Document(), &m); err != nil {
		t.Fatal(err)
	}
	d := doc{m}
	a := &app{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard}
	a.root()
	if len(a.uses) < 15 {
		t.Fatalf("only %d tables recorded their columns", len(a.uses))
	}
	for _, u := range a.uses {
		row := d.answer(t, u.op)
		if u.key != "" {
			s, ok := d.properties(row)[u.key].(map[string]any)
			if !ok {
				t.Errorf("%s: the answer has no %q", u.op, u.key)
				continue
			}
			s = d.resolve(s)
			if items, ok := s["items"].(map[string]any); ok {
				s = d.resolve(items)
			}
			row = s
		}
		for _, c := range u.cols {
			s := row
			for _, part := range strings.Split(c.Field, ".") {
				props := d.properties(s)
				if props == nil {
					break // a free-form object: any field
				}
				f, ok := props[part].(map[string]any)
				if !ok {
					t.Errorf("%s (%s): column %q reads %q, which the document does not have", u.op, u.key, c.Header, c.Field)
					break
				}
				s = d.resolve(f)
			}
		}
	}
}

// TestOperationsUsedExist reads this package's source: every operationId
// it names is in the document.
func TestOperationsUsedExist(t *testing.T) {
	spec, err := client.DefaultSpec()
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	// Calls whose argument at the index is an operationId.
	opArg := map[string]int{"object": 2, "list": 2, "Do": 1, "Open": 1, "List": 1, "completeFrom": 0, "runQuery": 2, "cols": 0, "run": 0}
	fset := token.NewFileSet()
	used := map[string]bool{}
	check := func(e ast.Expr) {
		lit, ok := e.(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			return
		}
		id, _ := strconv.Unquote(lit.Value)
		used[id] = true
		if spec.Operation(id) == nil {
			t.Errorf("%s: operation %q is not in the API document", fset.Position(lit.Pos()), id)
		}
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		af, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(af, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.CallExpr:
				name := ""
				switch fn := x.Fun.(type) {
				case *ast.Ident:
					name = fn.Name
				case *ast.SelectorExpr:
					name = fn.Sel.Name
				}
				if i, ok := opArg[name]; ok && i < len(x.Args) {
					check(x.Args[i])
				}
			case *ast.AssignStmt: // op, call := "purgeTableCache", …
				for i, l := range x.Lhs {
					if id, ok := l.(*ast.Ident); ok && id.Name == "op" && i < len(x.Rhs) {
						check(x.Rhs[i])
					}
				}
			case *ast.KeyValueExpr:
				if k, ok := x.Key.(*ast.Ident); ok && k.Name == "op" {
					check(x.Value)
				}
			}
			return true
		})
	}
	// The CLI covers the whole /v1 API but the probes and the document.
	for _, id := range spec.IDs() {
		switch id {
		case "healthz", "readyz", "metrics", "openAPI":
			continue
		}
		if !used[id] {
			t.Errorf("no command calls %s", id)
		}
	}
}

func TestExpiry(t *testing.T) {
	now := mustTime(t, "2026-12-07T10:00:00Z")
	for in, want := range map[string]string{"2d": "2026-12-09T10:00:00Z", "12h": "2026-12-07T22:00:00Z",
		"2027-01-01T00:00:00+01:00": "2026-12-31T23:00:00Z", "1.5d": "2026-12-08T22:00:00Z"} {
		if got, err := expiry(in, now); err != nil || got != want {
			t.Errorf("expiry(%q) = %q %v, want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"soon", "-3d", "d", "-1h"} {
		if _, err := expiry(in, now); err == nil {
			t.Errorf("expiry(%q) has no error", in)
		}
	}
}

func TestKeyValues(t *testing.T) {
	got, err := keyValues("--config", []string{"host=db", "port=5432", "ssl=true", `name="007"`, "pw=a=b", "n=null"})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(got)
	if string(b) != `{"host":"db","n":null,"name":"\"007\"","port":5432,"pw":"a=b","ssl":true}` {
		t.Errorf("keyValues %s", b)
	}
	if _, err := keyValues("--config", []string{"novalue"}); err == nil {
		t.Error("a flag without = is accepted")
	}
}

func mustTime(t *testing.T, s string) time.Time {
	tm, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

func TestConfigValue(t *testing.T) {
	props := map[string]any{"port": map[string]any{"type": "integer"}, "password": map[string]any{"type": "string"},
		"ssl": map[string]any{"type": "boolean"}, "schemas": map[string]any{"type": "array"}}
	for in, want := range map[string]string{
		"port=5432":                          `5432`,
		"password=12345678901234567890":      `"12345678901234567890"`, // a string field stays a string
		"ssl=true":                           `true`,
		`schemas=["a","b"]`:                  `["a","b"]`,
		"host=db=1":                          `"db=1"`,
		`extra:={"k": 12345678901234567890}`: `{"k":12345678901234567890}`,
		"password:=\"007\"":                  `"007"`,
	} {
		_, v, err := configValue(in, props)
		b, _ := json.Marshal(v)
		if err != nil || string(b) != want {
			t.Errorf("configValue(%q) = %s %v, want %s", in, b, err, want)
		}
	}
	for _, in := range []string{"port=abc", "ssl=maybe", "schemas=[", "novalue", "=x", "k:={"} {
		if _, _, err := configValue(in, props); err == nil {
			t.Errorf("configValue(%q) has no error", in)
		}
	}
}

package client

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// TestSpecHasEveryOperation reads the embedded document: every /v1
// operation resolves, with its method, parameters and body fields.
func TestSpecHasEveryOperation(t *testing.T) {
	s, err := DefaultSpec()
	if err != nil {
		t.Fatal(err)
	}
	if n := len(s.IDs()); n < 60 {
		t.Fatalf("the document has %d operations, want the whole /v1 API (60+)", n)
	}
	cases := []struct {
		id, method, path string
		workspace        bool
		path0            string
	}{
		{"createConnection", "POST", "/v1/connections", true, ""},
		{"getJob", "GET", "/v1/jobs/{id}", true, "id"},
		{"setTablePolicy", "PUT", "/v1/connections/{id}/tables/{schema}/{table}/policy", true, "id"},
		{"listWorkspaces", "GET", "/v1/workspaces", false, ""},
		{"whoami", "GET", "/v1/whoami", false, ""},
	}
	for _, c := range cases {
		op := s.Operation(c.id)
		if op == nil {
			t.Fatalf("no operation %s", c.id)
		}
		if op.Method != c.method || op.Path != c.path || op.Workspace != c.workspace {
			t.Errorf("%s = %s %s workspace=%v, want %s %s workspace=%v", c.id, op.Method, op.Path, op.Workspace, c.method, c.path, c.workspace)
		}
		if c.path0 != "" && (len(op.PathParams) == 0 || op.PathParams[0] != c.path0) {
			t.Errorf("%s path parameters %v", c.id, op.PathParams)
		}
	}
	cc := s.Operation("createConnection")
	for _, f := range []string{"name", "source_type", "config", "secret_name"} {
		if !cc.BodyFields[f] {
			t.Errorf("createConnection has no body field %s: %v", f, cc.BodyFields)
		}
	}
	if up := s.Operation("uploadFile"); !up.RawBody || up.JSONBody {
		t.Errorf("uploadFile raw=%v json=%v, want a raw body", up.RawBody, up.JSONBody)
	}
	if !s.Operation("listJobs").QueryParams["cursor"] {
		t.Error("listJobs has no cursor parameter")
	}
}

// TestRequestChecksTheDocument: a call the document does not allow fails
// before anything is sent.
func TestRequestChecksTheDocument(t *testing.T) {
	c := &Client{BaseURL: "http://127.0.0.1:1", Token: "hd_x", Workspace: "default"}
	ctx := context.Background()
	bad := []struct {
		name string
		id   string
		call Call
		want string
	}{
		{"unknown operation", "createWidget", Call{}, "not in the API document"},
		{"unknown body field", "createSecret", Call{Body: map[string]any{"name": "a", "value": "b", "colour": "red"}}, "no body field colour"},
		{"missing required field", "createSecret", Call{Body: map[string]any{"name": "a"}}, `needs the field "value"`},
		{"missing path parameter", "getJob", Call{}, `path parameter "id"`},
		{"unknown path parameter", "getJob", Call{Path: map[string]string{"id": "j", "x": "y"}}, `no path parameter "x"`},
		{"unknown query parameter", "listJobs", Call{Query: url.Values{"sort": {"asc"}}}, `no query parameter "sort"`},
		{"body on a GET", "listJobs", Call{Body: map[string]any{}}, "takes no JSON body"},
		{"raw body on JSON", "createSecret", Call{Raw: strings.NewReader("x")}, "takes no raw body"},
	}
	for _, b := range bad {
		_, err := c.Request(ctx, b.id, b.call)
		var ue *UsageError
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), b.want) {
			t.Errorf("%s: err = %v, want a UsageError with %q", b.name, err, b.want)
		}
	}
	noWS := &Client{BaseURL: "http://127.0.0.1:1", Token: "hd_x"}
	if _, err := noWS.Request(ctx, "listJobs", Call{}); !errors.Is(err, ErrNoWorkspace) {
		t.Errorf("a workspace call without a workspace: %v, want ErrNoWorkspace", err)
	}
	if _, err := noWS.Request(ctx, "listWorkspaces", Call{}); err != nil {
		t.Errorf("listWorkspaces needs no workspace: %v", err)
	}

	req, err := c.Request(ctx, "purgeTableCache", Call{Path: map[string]string{"id": "shop", "schema": "my schema", "table": "a/b"}})
	if err != nil {
		t.Fatal(err)
	}
	if req.Method != "DELETE" || req.URL.EscapedPath() != "/v1/connections/shop/tables/my%20schema/a%2Fb/cache" {
		t.Errorf("request %s %s", req.Method, req.URL.EscapedPath())
	}
	if req.Header.Get("Authorization") != "Bearer hd_x" || req.Header.Get("X-Workspace-Id") != "default" {
		t.Errorf("headers %v", req.Header)
	}
}

// TestErrorsAndPages runs the client against a server that answers
// errors and a list in pages.
func TestErrorsAndPages(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/v1/jobs/nope":
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(404)
			_, _ = io.WriteString(w, `{"error": {"code": "NOT_FOUND", "message": "no job nope"}}`)
		case "/v1/jobs/plain":
			w.WriteHeader(502)
			_, _ = io.WriteString(w, "bad gateway\n")
		case "/v1/jobs":
			if r.URL.Query().Get("cursor") == "" {
				_, _ = io.WriteString(w, `{"jobs": [{"id": "j1"}, {"id": "j2"}], "has_more": true, "next_cursor": "c2"}`)
				return
			}
			if r.URL.Query().Get("cursor") != "c2" {
				t.Errorf("cursor %q", r.URL.Query().Get("cursor"))
			}
			_, _ = io.WriteString(w, `{"jobs": [{"id": "j3"}], "has_more": false, "next_cursor": null}`)
		}
	}))
	defer srv.Close()
	c := &Client{BaseURL: srv.URL, Token: "t", Workspace: "w"}
	ctx := context.Background()
	_, err := c.Do(ctx, "getJob", Call{Path: map[string]string{"id": "nope"}}, nil)
	var ce *Error
	if !errors.As(err, &ce) || ce.Status != 404 || ce.Code != "NOT_FOUND" || ce.Message != "no job nope" {
		t.Errorf("404: %#v", err)
	}
	_, err = c.Do(ctx, "getJob", Call{Path: map[string]string{"id": "plain"}}, nil)
	if !errors.As(err, &ce) || ce.Status != 502 || ce.Message != "bad gateway" {
		t.Errorf("502: %#v", err)
	}
	var ids []string
	err = c.List(ctx, "listJobs", Call{}, "jobs", 0, func(page []map[string]any) bool {
		for _, j := range page {
			ids = append(ids, j["id"].(string))
		}
		return true
	})
	if err != nil || strings.Join(ids, ",") != "j1,j2,j3" {
		t.Errorf("pages: %v %v", ids, err)
	}
	down := &Client{BaseURL: "http://127.0.0.1:1", Token: "t"}
	_, err = down.Do(ctx, "listWorkspaces", Call{}, nil)
	if !errors.As(err, &ce) || ce.Status != 0 || !strings.Contains(ce.Message, "cannot reach") {
		t.Errorf("unreachable: %#v", err)
	}
}

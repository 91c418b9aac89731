package server_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// FuzzRoutes sends random requests to every route the REST API
// registers, as the bootstrap owner in the fixture's workspace: a route
// (by index), path parameters, a query string, an Accept header and a
// body, all fuzzed. No handler may fail (5xx, or a cut connection),
// every error has the one shape, and the server keeps serving.
//
//	go test -tags duckdb_arrow -run '^$' -fuzz '^FuzzRoutes$' -fuzztime 2m ./internal/server/
//
// Without -fuzz, go test runs the seeds below and the corpus in
// testdata/fuzz/FuzzRoutes.
func FuzzRoutes(f *testing.F) {
	e := newRouteEnv(f)
	routes := registeredRoutes(f)
	for i, r := range routes {
		var body []byte
		if rc, ok := routeTable[r.key]; ok && rc.body != nil {
			body, _ = json.Marshal(rc.body(e))
		}
		f.Add(uint16(i), "nope\nnope\nnope", "", "", body)
		f.Add(uint16(i), "ws_x\n..\n%", "limit=5&offset=1&cursor=MQ", "text/csv", []byte(`{"name": 1, "sql": null}`))
		f.Add(uint16(i), "", "format=arrow", "*/*;q=0.5, application/json", []byte(`{"limits": {"memory_bytes": 1e30}, "refresh": "every 0s"}`))
	}
	// Names of the fixture's objects: a fuzzed parameter that hits one is
	// replaced, so that the fixture (and the coverage it brings) survives.
	protected := []string{"default", "lifecycle", "shop", "shop_pw", "fixture", e.orgID, e.wsID, e.lifecycleWS, e.datasetID, e.savedQueryID}
	for _, id := range e.members {
		protected = append(protected, id)
	}
	f.Fuzz(func(t *testing.T, route uint16, params, query, accept string, body []byte) {
		r := routes[int(route)%len(routes)]
		values := strings.Split(params, "\n")
		p := map[string]string{}
		for i, name := range r.params {
			v := "x"
			if i < len(values) {
				v = values[i]
			}
			for _, keep := range protected {
				if strings.EqualFold(strings.TrimSpace(v), keep) {
					v = "nope"
				}
			}
			p[name] = v
		}
		req := apiRequest{method: r.method, path: r.fill(p), rawQuery: queryEscape(query), body: body, token: e.root, ws: e.wsID,
			header: map[string]string{"Accept": headerSafe(accept)}}
		a, err := e.send(req)
		if err != nil {
			t.Fatalf("%s %s?%s: the server cut the connection: %v", req.method, req.path, req.rawQuery, err)
		}
		what := fmt.Sprintf("%s %s?%s (Accept %q) body %.200q", req.method, req.path, req.rawQuery, accept, body)
		if a.status >= 500 && !(a.status == 503 && a.header.Get("Retry-After") != "") {
			t.Fatalf("%s: %d %.500s", what, a.status, a.body)
		}
		if a.status >= 400 {
			if err := errorShape(a.body); err != nil {
				t.Fatalf("%s: %d: %v", what, a.status, err)
			}
		}
		e.healthy(t, true)
	})
}

// queryEscape keeps a fuzzed query string sendable: bytes a request line
// cannot hold are percent-encoded, the rest (%, &, = included) left raw.
func queryEscape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || c == '#' {
			fmt.Fprintf(&b, "%%%02X", c)
		} else {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// headerSafe drops the bytes a header value cannot hold.
func headerSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f || r > 0x7e {
			return -1
		}
		return r
	}, s)
}

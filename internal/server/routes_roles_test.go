package server_test

import (
	"net/http"
	"testing"
)

// TestRoutesRoles walks every route × role: a role weaker than the
// route's least role (routeTable, and x-hotdata-role in the document) is
// 403 FORBIDDEN, a role as strong or stronger gets the route's success
// status; every answer matches the document. Routes the document marks
// workspace-scoped are 400 MISSING_WORKSPACE without X-Workspace-Id; the
// others ignore the header.
func TestRoutesRoles(t *testing.T) {
	doc := loadOpenAPI(t)
	routes := registeredRoutes(t)
	registered := map[string]bool{}
	for _, r := range routes {
		registered[r.key] = true
		if _, ok := routeTable[r.key]; !ok {
			t.Errorf("route %s has no entry in routeTable (internal/server/routes_env_test.go): give its least role and a valid call", r.key)
		}
	}
	for key := range routeTable {
		if !registered[key] {
			t.Errorf("routeTable has %s, which is not registered", key)
		}
	}

	e := newRouteEnv(t)
	for _, r := range routes {
		rc, ok := routeTable[r.key]
		if !ok {
			continue
		}
		t.Run(r.key, func(t *testing.T) {
			if doc.operation(r) == nil {
				t.Fatalf("%s is not in the OpenAPI document", r.key)
			}
			if got := doc.role(r); got != rc.role {
				t.Errorf("x-hotdata-role is %q, routeTable says %q", got, rc.role)
			}
			callers := roles
			if rc.role == "none" {
				callers = append([]string{"none"}, roles...)
			}
			for _, role := range callers {
				req := e.validCall(t, doc, r, rc, role)
				a := e.do(t, req)
				if roleRank[role] < roleRank[rc.role] {
					if code, _ := errorOf(a.body); a.status != http.StatusForbidden || code != "FORBIDDEN" {
						t.Errorf("as %s: %d %.300s, want 403 FORBIDDEN (least role %s)", role, a.status, a.body, rc.role)
					}
				} else if a.status != rc.want {
					t.Errorf("as %s: %d %.300s, want %d", role, a.status, a.body, rc.want)
				}
				if err := doc.checkAnswer(r, a.status, a.contentType(), a.body); err != nil {
					t.Errorf("as %s: %v", role, err)
				}
			}

			// X-Workspace-Id: required exactly where the document says.
			req := e.validCall(t, doc, r, rc, "owner")
			if doc.workspaceScoped(r) {
				req.ws = ""
				a := e.do(t, req)
				if code, _ := errorOf(a.body); a.status != http.StatusBadRequest || code != "MISSING_WORKSPACE" {
					t.Errorf("without X-Workspace-Id: %d %.300s, want 400 MISSING_WORKSPACE", a.status, a.body)
				}
				req.ws = "ws_nope"
				a = e.do(t, req)
				if code, _ := errorOf(a.body); a.status != http.StatusNotFound || code != "NOT_FOUND" {
					t.Errorf("with an unknown X-Workspace-Id: %d %.300s, want 404 NOT_FOUND", a.status, a.body)
				}
			} else {
				req.ws = "ws_nope"
				if a := e.do(t, req); a.status != rc.want {
					t.Errorf("with an unknown X-Workspace-Id (not workspace-scoped): %d %.300s, want %d", a.status, a.body, rc.want)
				}
			}
		})
	}
	e.healthy(t, false)
}

// Package api serves Hotdata's REST surface with echo: the /v1 endpoints
// in the hosted Hotdata service's dialect (field names as in
// ../shared/API.md), health probes, and the error shape
// {"error": {"code", "message"}}.
//
// Handlers decode and validate requests, call the workspace service, and
// encode responses; they hold no business logic. Authentication is a
// Bearer token; workspace-scoped routes also take X-Workspace-Id, and a
// workspace of another organization answers 404.
package api

// Package openapi holds the OpenAPI 3.1 document of Hotdata's /v1 REST API
// (openapi.json) and nothing else, so that clients such as cmd/hotdata can
// embed it without importing the server. Package api serves it and tests it
// against the router; this folder's npm project pins Redocly CLI, which
// lints it (TestOpenAPILint). See docs/api.md and docs/architecture.md.
package openapi

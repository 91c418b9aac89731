package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/hotdata-dev/hotdata/api/openapi"
)

// openAPIDocument is the OpenAPI 3.1 document of every route New
// registers, written by hand next to the handlers (openapi/openapi.json).
// TestOpenAPIRoutes fails when a route and the document disagree;
// TestOpenAPILint runs Redocly's linter on it (openapi/ also holds its npm
// project).
var openAPIDocument = openapi.Document()

// openAPIJSON is the document as served: compacted once.
var openAPIJSON = compactJSON(openAPIDocument)

func compactJSON(doc []byte) []byte {
	var b bytes.Buffer
	if err := json.Compact(&b, doc); err != nil {
		return doc // TestOpenAPIDocument reports the syntax error
	}
	return b.Bytes()
}

// OpenAPIDocument returns the OpenAPI 3.1 document served at
// GET /v1/openapi.json.
func OpenAPIDocument() []byte { return bytes.Clone(openAPIDocument) }

// openAPI serves the document; it needs no token.
func (s *Server) openAPI(c echo.Context) error {
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, openAPIJSON)
}

// OpenAPIPath is the document's path of an echo route path:
// /v1/jobs/:id is /v1/jobs/{id}.
func OpenAPIPath(echoPath string) string {
	parts := strings.Split(echoPath, "/")
	for i, s := range parts {
		if name, ok := strings.CutPrefix(s, ":"); ok {
			parts[i] = "{" + name + "}"
		}
	}
	return strings.Join(parts, "/")
}

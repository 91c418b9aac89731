package openapi

import (
	"bytes"
	_ "embed"
)

// document is openapi.json, written by hand next to the handlers.
//
//go:embed openapi.json
var document []byte

// Document returns the OpenAPI 3.1 document of the /v1 REST API: what the
// server serves at GET /v1/openapi.json and what the hotdata CLI's client
// resolves its operations from.
func Document() []byte { return bytes.Clone(document) }

// Package client is the hotdata CLI's REST client. It knows no routes of
// its own: each call names an operationId of the /v1 OpenAPI document
// (package api/openapi, embedded), and the client takes the method, the
// path, the path, query and header parameters and the request body's
// fields from it. A call whose parameters or body fields the document does
// not have fails before it is sent, so the CLI cannot drift from the API.
// Errors are *Error with the API's status and code. See docs/cli.md.
package client

package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// decodeJSON on bad bodies: the status, code and message (which names
// the field) of each refusal.
func TestDecodeJSONRefusals(t *testing.T) {
	type inner struct {
		Count int `json:"count"`
	}
	type embedded struct {
		Note string `json:"note"`
	}
	type request struct {
		embedded
		Name   string          `json:"name"`
		Limit  *int64          `json:"limit"`
		Inner  *inner          `json:"inner"`
		Items  []inner         `json:"items"`
		Raw    json.RawMessage `json:"raw"`
		When   time.Time       `json:"when"`
		hidden string
	}
	big := `{"name": "` + strings.Repeat("x", 2<<20) + `"}`
	for _, c := range []struct {
		body    string
		chunked bool
		status  int
		code    string
		message string
	}{
		{`{"name": "a", "limit": 1, "inner": {"count": 2}, "items": [{"count": 3}], "raw": {"Any": 1}, "note": "n", "when": "2026-01-01T00:00:00Z"}`, false, 200, "", ""},
		{``, false, 400, "INVALID_JSON", "must be a JSON object"},
		{`null`, false, 400, "INVALID_JSON", "must be a JSON object"},
		{`[]`, false, 400, "INVALID_JSON", "must be a JSON object"},
		{`{"name": 1}`, false, 400, "INVALID_JSON", `field "name" must be a string, not number`},
		{`{"limit": 1e400}`, false, 400, "INVALID_JSON", `field "limit" must be a whole number in range, not 1e400`},
		{`{"limit": 1.5}`, false, 400, "INVALID_JSON", `field "limit" must be a whole number in range, not 1.5`},
		{`{"inner": {"count": "2"}}`, false, 400, "INVALID_JSON", `field "inner.count" must be a whole number, not string`},
		{`{"zzz": 1}`, false, 400, "INVALID_JSON", `unknown field "zzz"`},
		{`{"Name": "a"}`, false, 400, "INVALID_JSON", `unknown field "Name" (field names are case-sensitive: "name")`},
		{`{"NOTE": "a"}`, false, 400, "INVALID_JSON", `unknown field "NOTE" (field names are case-sensitive: "note")`},
		{`{"inner": {"Count": 1}}`, false, 400, "INVALID_JSON", `unknown field "inner.Count" (field names are case-sensitive: "inner.count")`},
		{`{"items": [{"count": 1}, {"COUNT": 1}]}`, false, 400, "INVALID_JSON", `unknown field "items.1.COUNT"`},
		{`{"hidden": "a"}`, false, 400, "INVALID_JSON", `unknown field "hidden"`},
		{`{} {}`, false, 400, "INVALID_JSON", "data after the JSON object"},
		{big, false, 413, "PAYLOAD_TOO_LARGE", "too large"},
		{big, true, 413, "PAYLOAD_TOO_LARGE", "too large"},
	} {
		e := echo.New()
		var got error
		e.POST("/", func(ec echo.Context) error {
			var req request
			got = decodeJSON(ec, &req)
			return nil
		}, middleware.BodyLimit("1M"))
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(c.body))
		if c.chunked {
			req.ContentLength = -1
		}
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		if rec.Code == http.StatusRequestEntityTooLarge { // refused by BodyLimit on Content-Length
			got = toAPIError(echo.ErrStatusRequestEntityTooLarge)
		}
		name := c.body
		if len(name) > 60 {
			name = name[:60] + "…"
		}
		if c.status == 200 {
			if got != nil {
				t.Errorf("%s: %v", name, got)
			}
			continue
		}
		var ae *apiError
		if !errors.As(got, &ae) || ae.Status != c.status || ae.Code != c.code || !strings.Contains(ae.Message, c.message) {
			t.Errorf("%s: %#v, want %d %s %q", name, got, c.status, c.code, c.message)
		}
	}
}

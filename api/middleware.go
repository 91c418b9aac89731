package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/hotdata-dev/hotdata/internal/authlimit"
	"github.com/hotdata-dev/hotdata/internal/metrics"
	"github.com/hotdata-dev/hotdata/metastore"
	"github.com/hotdata-dev/hotdata/workspace"
)

const (
	ctxPrincipal = "hotdata.principal"
	ctxWorkspace = "hotdata.workspace"
)

// authenticate requires "Authorization: Bearer <token>".
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Request().Header.Get("Authorization")
		token, ok := strings.CutPrefix(h, "Bearer ")
		if !ok || strings.TrimSpace(token) == "" {
			c.Response().Header().Set("WWW-Authenticate", `Bearer realm="hotdata"`)
			return &apiError{Status: http.StatusUnauthorized, Code: "UNAUTHENTICATED", Message: "send your API token as: Authorization: Bearer <token>"}
		}
		token = strings.TrimSpace(token)
		// The peer's address, never X-Forwarded-For: a client sets that.
		addr, user := authlimit.Addr(c.Request().RemoteAddr), tokenUser(token)
		if s.limiter != nil {
			if retry, ok := s.limiter.Check(addr, user); !ok {
				secs := max(int((retry+time.Second-1)/time.Second), 1)
				metrics.AuthFailure("rest", true)
				return &apiError{Status: http.StatusTooManyRequests, Code: "TOO_MANY_AUTH_FAILURES", RetryAfter: secs,
					Message: fmt.Sprintf("too many failed authentication attempts from this address or with this token prefix: try again in %d s", secs)}
			}
		}
		p, err := s.svc.Authenticate(c.Request().Context(), token)
		if err != nil {
			if we := workspace.AsError(err); we != nil && we.Kind == workspace.KindUnauthorized && s.limiter != nil {
				s.limiter.Failure(addr, user)
				metrics.AuthFailure("rest", false)
				s.log.Info("authentication failed", "remote", c.Request().RemoteAddr, "token_prefix", user)
			}
			c.Response().Header().Set("WWW-Authenticate", `Bearer realm="hotdata", error="invalid_token"`)
			return err
		}
		c.Set(ctxPrincipal, p)
		return next(c)
	}
}

// tokenUser is the "user" a REST attempt is counted for: the token's
// public prefix (metastore.Token.Prefix, its first 10 characters).
func tokenUser(token string) string {
	const n = 10
	if len(token) > n {
		token = token[:n]
	}
	return "token:" + token
}

// scopeWorkspace resolves X-Workspace-Id within the caller's organization.
func (s *Server) scopeWorkspace(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ref := strings.TrimSpace(c.Request().Header.Get("X-Workspace-Id"))
		if ref == "" {
			return errBadRequest("MISSING_WORKSPACE", "the X-Workspace-Id header is required: set it to a workspace's public_id (GET /v1/workspaces lists them)")
		}
		ws, err := s.svc.Workspace(c.Request().Context(), principal(c), ref)
		if err != nil {
			return err
		}
		c.Set(ctxWorkspace, ws)
		return next(c)
	}
}

func principal(c echo.Context) metastore.Principal { return c.Get(ctxPrincipal).(metastore.Principal) }
func workspaceOf(c echo.Context) metastore.Workspace {
	return c.Get(ctxWorkspace).(metastore.Workspace)
}

// decodeJSON reads the body into v, refusing unknown fields (names are
// case-sensitive), trailing data, wrong types and anything but an object
// with a 400 that names the field, and a body over the limit with a 413.
func decodeJSON(c echo.Context, v any) error {
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		var mbe *http.MaxBytesError
		var he *echo.HTTPError
		switch {
		case errors.As(err, &mbe):
			return &apiError{Status: http.StatusRequestEntityTooLarge, Code: "PAYLOAD_TOO_LARGE", Message: fmt.Sprintf("the request body is larger than %d bytes", mbe.Limit)}
		case errors.As(err, &he) && he.Code == http.StatusRequestEntityTooLarge:
			// echo's BodyLimit stops a body sent without Content-Length
			// (chunked) while it is read.
			return &apiError{Status: http.StatusRequestEntityTooLarge, Code: "PAYLOAD_TOO_LARGE", Message: "the request body is too large: the limit is " + maxJSONBody + "B", Err: err}
		}
		return errBadRequest("INVALID_BODY", "could not read the request body")
	}
	if trimmed := bytes.TrimSpace(body); len(trimmed) == 0 || trimmed[0] != '{' {
		// null would decode into v as if it were {}.
		return errBadRequest("INVALID_JSON", "the request body must be a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if json.Valid(body) {
			// A key in the wrong case is the mistake to name, not
			// the type of its value ("Columns": "x").
			if cerr := exactFieldNames(body, reflect.TypeOf(v), ""); cerr != nil {
				return errBadRequest("INVALID_JSON", cerr.Error())
			}
		}
		return errBadRequest("INVALID_JSON", jsonErrorMessage(err))
	}
	if dec.More() {
		return errBadRequest("INVALID_JSON", "the request body holds data after the JSON object")
	}
	if err := exactFieldNames(body, reflect.TypeOf(v), ""); err != nil {
		return errBadRequest("INVALID_JSON", err.Error())
	}
	return nil
}

var jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()

// exactFieldNames refuses an object key that names a field of t only
// regardless of case: encoding/json takes {"Name": …} for `json:"name"`,
// and the API's field names are fixed. data has decoded into t already.
func exactFieldNames(data []byte, t reflect.Type, path string) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Implements(jsonUnmarshaler) || reflect.PointerTo(t).Implements(jsonUnmarshaler) {
		return nil
	}
	switch t.Kind() {
	case reflect.Struct:
		var obj map[string]json.RawMessage
		if json.Unmarshal(data, &obj) != nil {
			return nil // null
		}
		fields := jsonFields(t)
		for k, raw := range obj {
			ft, ok := fields[k]
			if !ok {
				msg := fmt.Sprintf("unknown field %q", path+k)
				for name := range fields {
					if strings.EqualFold(name, k) {
						msg += fmt.Sprintf(" (field names are case-sensitive: %q)", path+name)
					}
				}
				return errors.New(msg)
			}
			if err := exactFieldNames(raw, ft, path+k+"."); err != nil {
				return err
			}
		}
	case reflect.Slice, reflect.Array:
		var items []json.RawMessage
		if json.Unmarshal(data, &items) != nil {
			return nil
		}
		for i, raw := range items {
			if err := exactFieldNames(raw, t.Elem(), fmt.Sprintf("%s%d.", path, i)); err != nil {
				return err
			}
		}
	case reflect.Map:
		var obj map[string]json.RawMessage
		if json.Unmarshal(data, &obj) != nil {
			return nil
		}
		for k, raw := range obj {
			if err := exactFieldNames(raw, t.Elem(), path+k+"."); err != nil {
				return err
			}
		}
	}
	return nil
}

// jsonFields maps the JSON names of a struct's fields (embedded structs'
// included) to their types, as encoding/json names them.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		ft := f.Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if f.Anonymous && name == "" && ft.Kind() == reflect.Struct {
			for k, v := range jsonFields(ft) {
				if _, shadowed := out[k]; !shadowed {
					out[k] = v
				}
			}
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}

func jsonErrorMessage(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Sprintf("the body is not valid JSON (at byte %d): %v", syn.Offset, err)
	case errors.As(err, &typ):
		if typ.Field == "" {
			return fmt.Sprintf("the body must be a JSON object, not %s", typ.Value)
		}
		if n, ok := strings.CutPrefix(typ.Value, "number "); ok {
			// A number that does not fit: 1.5 or 1e400 for an integer.
			return fmt.Sprintf("field %q must be %s in range, not %s", typ.Field, jsonKind(typ.Type.Kind().String()), n)
		}
		return fmt.Sprintf("field %q must be %s, not %s", typ.Field, jsonKind(typ.Type.Kind().String()), typ.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return fmt.Sprintf("unknown field %s", strings.TrimPrefix(err.Error(), "json: unknown field "))
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "the body is truncated JSON"
	}
	return "the body is not valid JSON: " + err.Error()
}

func jsonKind(k string) string {
	switch k {
	case "string":
		return "a string"
	case "bool":
		return "a boolean"
	case "int", "int8", "int16", "int32", "int64":
		return "a whole number"
	case "uint", "uint8", "uint16", "uint32", "uint64":
		return "a whole number, 0 or more"
	case "float32", "float64":
		return "a number"
	case "slice":
		return "an array"
	case "map", "struct":
		return "an object"
	}
	return k
}

func required(field, value string) error {
	if strings.TrimSpace(value) == "" {
		return errBadRequest("MISSING_FIELD", fmt.Sprintf("field %q is required", field))
	}
	return nil
}

// queryParams parses the query string strictly: malformed encoding (a
// bare % is the usual culprit) and unknown parameters are 400s, not
// silently ignored filters.
func queryParams(c echo.Context, allowed ...string) (url.Values, error) {
	q, err := url.ParseQuery(c.Request().URL.RawQuery)
	if err != nil {
		return nil, errBadRequest("INVALID_QUERY_STRING", "the query string is not valid URL encoding ("+err.Error()+"): write % as %25")
	}
	for k := range q {
		if !slices.Contains(allowed, k) {
			return nil, errBadRequest("UNKNOWN_PARAMETER", fmt.Sprintf("unknown query parameter %q; this endpoint takes: %s", k, strings.Join(allowed, ", ")))
		}
	}
	return q, nil
}

package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hotdata-dev/hotdata/api/openapi"
)

// Client calls one Hotdata server's /v1 API with one token.
type Client struct {
	// BaseURL is the server's address, e.g. http://127.0.0.1:8080.
	BaseURL string
	Token   string
	// Workspace is the X-Workspace-Id of workspace-scoped operations: a
	// workspace's public_id or name.
	Workspace string
	HTTP      *http.Client
	UserAgent string
	// Spec is the document operations are resolved in; nil: the embedded
	// one (DefaultSpec).
	Spec *Spec
	// AnswerTimeout bounds the wait for an answer's headers (0: none),
	// except for the operations in WaitOps, which wait for a query.
	AnswerTimeout time.Duration
	WaitOps       map[string]bool
}

// maxRetries is how many times a call refused with 429 and Retry-After
// (not admitted: nothing ran) is sent again.
const maxRetries = 3

var defaultSpec = sync.OnceValues(func() (*Spec, error) { return ParseSpec(openapi.Document()) })

// DefaultSpec is the embedded /v1 OpenAPI document (api/openapi).
func DefaultSpec() (*Spec, error) { return defaultSpec() }

// Call is one call's input.
type Call struct {
	// Path holds the path parameters by name.
	Path map[string]string
	// Query holds query parameters; each must be one of the operation's.
	Query url.Values
	// Body is marshalled to JSON; its top-level fields must be the
	// operation's request body's properties.
	Body any
	// Raw is a raw body (an upload) sent with ContentType.
	Raw         io.Reader
	RawLength   int64
	ContentType string
	// Accept sets the Accept header.
	Accept string
}

// Error is an answer outside 2xx, or a failure to reach the server
// (Status 0).
type Error struct {
	Status  int
	Code    string
	Message string
	// RetryAfter is the Retry-After header's seconds, if any.
	RetryAfter int
	Err        error
}

func (e *Error) Error() string {
	if e.Status == 0 {
		return e.Message
	}
	if e.Code != "" {
		return fmt.Sprintf("%s (%s, HTTP %d)", e.Message, e.Code, e.Status)
	}
	return fmt.Sprintf("%s (HTTP %d)", e.Message, e.Status)
}

func (e *Error) Unwrap() error { return e.Err }

// ErrNoWorkspace is returned by workspace-scoped calls made without one.
var ErrNoWorkspace = errors.New("no workspace chosen: pass --workspace NAME, set HOTDATA_WORKSPACE, or run `hotdata workspaces use NAME`")

// UsageError is a call the document does not allow: a programming error
// of the CLI, or a missing workspace.
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

// Request builds the HTTP request of operation id, checking the call
// against the document.
func (c *Client) Request(ctx context.Context, id string, call Call) (*http.Request, error) {
	spec := c.Spec
	if spec == nil {
		var err error
		if spec, err = DefaultSpec(); err != nil {
			return nil, err
		}
	}
	op := spec.Operation(id)
	if op == nil {
		return nil, &UsageError{fmt.Errorf("operation %q is not in the API document", id)}
	}
	path := op.Path
	for _, name := range op.PathParams {
		v, ok := call.Path[name]
		if !ok || v == "" {
			return nil, &UsageError{fmt.Errorf("%s needs the path parameter %q", id, name)}
		}
		path = strings.Replace(path, "{"+name+"}", url.PathEscape(v), 1)
	}
	for name := range call.Path {
		if !strings.Contains(op.Path, "{"+name+"}") {
			return nil, &UsageError{fmt.Errorf("%s has no path parameter %q", id, name)}
		}
	}
	for name := range call.Query {
		if !op.QueryParams[name] {
			return nil, &UsageError{fmt.Errorf("%s has no query parameter %q", id, name)}
		}
	}
	var body io.Reader
	var contentType string
	var length int64 = -1
	switch {
	case call.Raw != nil:
		if !op.RawBody {
			return nil, &UsageError{fmt.Errorf("%s takes no raw body", id)}
		}
		body, contentType, length = call.Raw, call.ContentType, call.RawLength
	case call.Body != nil:
		if !op.JSONBody {
			return nil, &UsageError{fmt.Errorf("%s takes no JSON body", id)}
		}
		b, err := json.Marshal(call.Body)
		if err != nil {
			return nil, fmt.Errorf("encoding the request: %w", err)
		}
		if err := op.checkBody(b); err != nil {
			return nil, &UsageError{err}
		}
		body, contentType, length = bytes.NewReader(b), "application/json", int64(len(b))
	}
	u := strings.TrimRight(c.BaseURL, "/") + path
	if len(call.Query) > 0 {
		u += "?" + call.Query.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, op.Method, u, body)
	if err != nil {
		return nil, &UsageError{fmt.Errorf("the server address %q is not a URL", redact(c.BaseURL))}
	}
	if length >= 0 {
		req.ContentLength = length
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	if op.Workspace {
		if c.Workspace == "" {
			return nil, &UsageError{ErrNoWorkspace}
		}
		req.Header.Set("X-Workspace-Id", c.Workspace)
	}
	if call.Accept != "" {
		req.Header.Set("Accept", call.Accept)
	}
	if c.UserAgent != "" {
		req.Header.Set("User-Agent", c.UserAgent)
	}
	return req, nil
}

// checkBody refuses a JSON body with a field the document does not name,
// or without a required one.
func (op *Operation) checkBody(b []byte) error {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(b, &fields); err != nil {
		return fmt.Errorf("%s: the body is not a JSON object", op.ID)
	}
	var unknown []string
	for name := range fields {
		if !op.BodyFields[name] {
			unknown = append(unknown, name)
		}
	}
	sort.Strings(unknown)
	if len(unknown) > 0 {
		return fmt.Errorf("%s: the API document has no body field %s", op.ID, strings.Join(unknown, ", "))
	}
	for _, name := range op.BodyRequired {
		if _, ok := fields[name]; !ok {
			return fmt.Errorf("%s: the body needs the field %q", op.ID, name)
		}
	}
	return nil
}

func (c *Client) httpClient() *http.Client {
	if c.HTTP != nil {
		return c.HTTP
	}
	return http.DefaultClient
}

// Open sends the call and returns the response of a 2xx answer, whose
// body the caller reads and closes; any other answer is an *Error. A 429
// with Retry-After is sent again (up to maxRetries times) when its body
// can be.
func (c *Client) Open(ctx context.Context, id string, call Call) (*http.Response, error) {
	for attempt := 0; ; attempt++ {
		resp, err := c.open(ctx, id, call)
		var ce *Error
		if errors.As(err, &ce) && ce.Status == http.StatusTooManyRequests && ce.RetryAfter > 0 && ce.RetryAfter <= 30 &&
			attempt < maxRetries && call.Raw == nil {
			t := time.NewTimer(time.Duration(ce.RetryAfter) * time.Second)
			select {
			case <-ctx.Done():
				t.Stop()
				return nil, ctx.Err()
			case <-t.C:
			}
			continue
		}
		return resp, err
	}
}

func (c *Client) open(parent context.Context, id string, call Call) (*http.Response, error) {
	ctx, cancel := context.WithCancel(parent)
	req, err := c.Request(ctx, id, call)
	if err != nil {
		cancel()
		return nil, err
	}
	var timedOut atomic.Bool
	if c.AnswerTimeout > 0 && !c.WaitOps[id] {
		t := time.AfterFunc(c.AnswerTimeout, func() { timedOut.Store(true); cancel() })
		defer t.Stop()
	}
	resp, err := c.httpClient().Do(req)
	if err != nil {
		cancel()
		switch {
		case timedOut.Load():
			return nil, &Error{Message: fmt.Sprintf("%s did not answer within %s", redact(c.BaseURL), c.AnswerTimeout), Err: err}
		case parent.Err() != nil:
			return nil, context.Canceled
		}
		return nil, &Error{Message: fmt.Sprintf("cannot reach %s: %v", redact(c.BaseURL), unwrapURLError(err)), Err: err}
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		resp.Body = &cancelBody{ReadCloser: resp.Body, cancel: cancel}
		return resp, nil
	}
	defer cancel()
	defer resp.Body.Close()
	return nil, errorOf(resp)
}

// cancelBody ends the call's context when its body is closed.
type cancelBody struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (b *cancelBody) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}

// redact hides a password in a URL.
func redact(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return s
	}
	return u.Redacted()
}

func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// errorOf reads an error answer: {"error": {"code", "message"}}.
func errorOf(resp *http.Response) *Error {
	e := &Error{Status: resp.StatusCode}
	if s := resp.Header.Get("Retry-After"); s != "" {
		e.RetryAfter, _ = strconv.Atoi(s)
	}
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	var body struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal(b, &body) == nil && body.Error.Message != "" {
		e.Code, e.Message = body.Error.Code, body.Error.Message
		return e
	}
	e.Message = strings.TrimSpace(string(b))
	if e.Message == "" {
		e.Message = http.StatusText(resp.StatusCode)
	}
	return e
}

// Do sends the call and decodes a 2xx answer's JSON into out (nil: the
// body is dropped). It returns the status.
func (c *Client) Do(ctx context.Context, id string, call Call, out any) (int, error) {
	resp, err := c.Open(ctx, id, call)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if out == nil {
		_, _ = io.Copy(io.Discard, resp.Body)
		return resp.StatusCode, nil
	}
	dec := json.NewDecoder(resp.Body)
	dec.UseNumber()
	if err := dec.Decode(out); err != nil {
		return resp.StatusCode, fmt.Errorf("reading the answer of %s: %w", id, err)
	}
	return resp.StatusCode, nil
}

// Page is one page of a list.
type Page struct {
	Items      []map[string]any
	HasMore    bool
	NextCursor string
}

// List reads a list operation's items (under key) page by page, calling
// fn with each page until fn returns false, max items were read (0: no
// max) or the list ends.
func (c *Client) List(ctx context.Context, id string, call Call, key string, max int, fn func([]map[string]any) bool) error {
	seen := 0
	query := url.Values{}
	for k, v := range call.Query {
		query[k] = v
	}
	for {
		pageSize := 100
		if max > 0 && max-seen < pageSize {
			pageSize = max - seen
		}
		call.Query = query
		if c.takesLimit(id) {
			query.Set("limit", strconv.Itoa(pageSize))
		}
		var body map[string]any
		if _, err := c.Do(ctx, id, call, &body); err != nil {
			return err
		}
		raw, _ := body[key].([]any)
		items := make([]map[string]any, 0, len(raw))
		for _, it := range raw {
			if m, ok := it.(map[string]any); ok {
				items = append(items, m)
			}
		}
		seen += len(items)
		if !fn(items) {
			return nil
		}
		more, _ := body["has_more"].(bool)
		next, _ := body["next_cursor"].(string)
		if !more || next == "" || (max > 0 && seen >= max) || !c.takesLimit(id) {
			return nil
		}
		query.Del("offset")
		query.Set("cursor", next)
	}
}

func (c *Client) takesLimit(id string) bool {
	spec := c.Spec
	if spec == nil {
		spec, _ = DefaultSpec()
	}
	op := spec.Operation(id)
	return op != nil && op.QueryParams["limit"] && op.QueryParams["cursor"]
}

// Poll calls get every interval until done says the answer is final or
// ctx ends.
func Poll(ctx context.Context, interval time.Duration, get func() (done bool, err error)) error {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		done, err := get()
		if err != nil || done {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

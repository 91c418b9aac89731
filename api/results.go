package api

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/hotdata-dev/hotdata/metastore"
	"github.com/hotdata-dev/hotdata/workspace"
)

// Handlers for stored results: GET /v1/results and /{id}.

// resultRoutes adds the query-history and result endpoints to the
// workspace-scoped group.
func (s *Server) resultRoutes(g *echo.Group) {
	g.GET("/query-runs", s.listQueryRuns)
	g.GET("/query-runs/:id", s.getQueryRun)
	g.POST("/query-runs/:id/cancel", s.cancelQueryRun)
	g.GET("/results", s.listResults)
	g.GET("/results/:id", s.getResult)
}

// Result formats and their media types.
const (
	formatJSON    = "json"
	formatCSV     = "csv"
	formatArrow   = "arrow"
	formatParquet = "parquet"

	mimeJSON    = "application/json"
	mimeCSV     = "text/csv"
	mimeArrow   = "application/vnd.apache.arrow.stream"
	mimeParquet = "application/vnd.apache.parquet"
)

// acceptFormats maps the media types a client may ask for to a format.
var acceptFormats = map[string]string{
	mimeJSON: formatJSON, "text/json": formatJSON,
	mimeCSV: formatCSV, "application/csv": formatCSV,
	mimeArrow: formatArrow, "application/vnd.apache.arrow": formatArrow,
	mimeParquet: formatParquet, "application/x-parquet": formatParquet, "application/parquet": formatParquet,
	"*/*": formatJSON, "application/*": formatJSON, "text/*": formatCSV,
}

// negotiateFormat picks the format of an Accept header: the acceptable
// type with the highest q, the most specific among equals, then the
// first listed. "" when no listed type is one we serve.
func negotiateFormat(accept string) string {
	if strings.TrimSpace(accept) == "" {
		return formatJSON
	}
	type choice struct {
		format   string
		q        float64
		specific int
		index    int
	}
	var choices []choice
	for i, part := range strings.Split(accept, ",") {
		fields := strings.Split(part, ";")
		mt := strings.ToLower(strings.TrimSpace(fields[0]))
		q := 1.0
		for _, p := range fields[1:] {
			k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
			if strings.EqualFold(strings.TrimSpace(k), "q") {
				if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
					q = f
				}
			}
		}
		f, ok := acceptFormats[mt]
		if !ok || q <= 0 {
			continue
		}
		specific := 2
		if mt == "*/*" {
			specific = 0
		} else if strings.HasSuffix(mt, "/*") {
			specific = 1
		}
		choices = append(choices, choice{f, q, specific, i})
	}
	if len(choices) == 0 {
		return ""
	}
	sort.SliceStable(choices, func(a, b int) bool {
		if choices[a].q != choices[b].q {
			return choices[a].q > choices[b].q
		}
		return choices[a].specific > choices[b].specific
	})
	return choices[0].format
}

type resultInfoJSON struct {
	ID           string  `json:"id"`
	Status       string  `json:"status"`
	QueryRunID   *string `json:"query_run_id"`
	RowCount     int64   `json:"row_count"`
	SizeBytes    int64   `json:"size_bytes"`
	ErrorMessage *string `json:"error_message"`
	CreatedAt    string  `json:"created_at"`
	ExpiresAt    *string `json:"expires_at"`
}

func (s *Server) listResults(c echo.Context) error {
	if _, err := queryParams(c, "limit", "offset", "cursor"); err != nil {
		return err
	}
	limit, offset, err := paging(c)
	if err != nil {
		return err
	}
	list, more, err := s.svc.ListResults(c.Request().Context(), principal(c), workspaceOf(c), limit, offset)
	if err != nil {
		return err
	}
	out := make([]resultInfoJSON, len(list))
	for i, r := range list {
		out[i] = resultInfoJSON{ID: r.ID, Status: r.Status, QueryRunID: strOrNull(r.QueryRunID), RowCount: r.RowCount, SizeBytes: r.SizeBytes,
			ErrorMessage: strOrNull(r.ErrorMessage), CreatedAt: rfc3339(r.CreatedAt)}
		if r.ExpiresAt != nil {
			t := rfc3339(*r.ExpiresAt)
			out[i].ExpiresAt = &t
		}
	}
	resp := map[string]any{"results": out, "count": len(out), "limit": limit, "offset": offset, "has_more": more, "next_cursor": nil}
	if more {
		resp["next_cursor"] = nextCursor(offset + len(out))
	}
	return c.JSON(http.StatusOK, resp)
}

// resultJSON is a result's JSON form; rows may be a page of it, while
// row_count is always the whole result's.
type resultJSON struct {
	ResultID     string   `json:"result_id"`
	Status       string   `json:"status"`
	Columns      []string `json:"columns"`
	Nullable     []bool   `json:"nullable"`
	Rows         [][]any  `json:"rows"`
	RowCount     int64    `json:"row_count"`
	ErrorMessage *string  `json:"error_message"`
}

// resultRequest is a download's parsed query string.
type resultRequest struct {
	format   string
	offset   int64
	limit    int64 // -1: to the end
	query    url.Values
	hasLimit bool
}

func parseResultRequest(c echo.Context) (resultRequest, error) {
	q, err := queryParams(c, "format", "offset", "limit")
	if err != nil {
		return resultRequest{}, err
	}
	r := resultRequest{limit: -1, query: q}
	if q.Has("format") {
		r.format = strings.ToLower(strings.TrimSpace(q.Get("format")))
		switch r.format {
		case formatJSON, formatCSV, formatArrow, formatParquet:
		default:
			return r, errBadRequest("INVALID_ARGUMENT", fmt.Sprintf("format %q is not one we serve: use json, csv, arrow or parquet", q.Get("format")))
		}
	} else if r.format = negotiateFormat(c.Request().Header.Get("Accept")); r.format == "" {
		return r, &apiError{Status: http.StatusNotAcceptable, Code: "NOT_ACCEPTABLE",
			Message: fmt.Sprintf("no format of Accept %q is served: accept %s, %s, %s or %s, or pass ?format=", c.Request().Header.Get("Accept"),
				mimeJSON, mimeCSV, mimeArrow, mimeParquet)}
	}
	if v := q.Get("offset"); q.Has("offset") {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return r, errBadRequest("INVALID_ARGUMENT", "offset must be a whole number, 0 or more")
		}
		r.offset = n
	}
	if v := q.Get("limit"); q.Has("limit") {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			return r, errBadRequest("INVALID_ARGUMENT", "limit must be a whole number, 1 or more")
		}
		r.limit, r.hasLimit = n, true
	}
	if r.format == formatParquet && (q.Has("offset") || q.Has("limit")) {
		return r, errBadRequest("INVALID_ARGUMENT", "format parquet is the stored file, whole: offset and limit apply to json, csv and arrow (HTTP Range requests work on parquet)")
	}
	return r, nil
}

func (s *Server) getResult(c echo.Context) error {
	req, err := parseResultRequest(c)
	if err != nil {
		return err
	}
	res, err := s.svc.GetResult(c.Request().Context(), principal(c), workspaceOf(c), c.Param("id"))
	if err != nil {
		return err
	}
	switch res.Status {
	case metastore.StatusSucceeded:
	case metastore.StatusRunning, metastore.StatusPending:
		c.Response().Header().Set("Retry-After", "1")
		c.Response().Header().Set("Location", "/v1/query-runs/"+res.QueryRunID)
		return c.JSON(http.StatusAccepted, resultJSON{ResultID: res.ID, Status: res.Status, Columns: []string{}, Nullable: []bool{}, Rows: [][]any{}})
	case metastore.StatusCanceled:
		return &apiError{Status: http.StatusConflict, Code: "RESULT_CANCELED", Message: fmt.Sprintf("result %s has no rows: its query was canceled (%s)", res.ID, res.ErrorMessage)}
	default:
		return &apiError{Status: http.StatusConflict, Code: "RESULT_FAILED", Message: fmt.Sprintf("result %s has no rows: %s", res.ID, res.ErrorMessage)}
	}
	if res.Path == "" {
		// A statement without a result set (SET, BEGIN, …).
		if req.format == formatParquet {
			return &apiError{Status: http.StatusConflict, Code: "RESULT_EMPTY", Message: fmt.Sprintf("result %s has no file: its statement returned no result set", res.ID)}
		}
		return s.writeResult(c, req, res, nil)
	}
	rf, err := s.svc.OpenResult(res)
	if err != nil {
		return err
	}
	defer rf.Close()
	return s.writeResult(c, req, res, rf)
}

// writeResult sends a succeeded result (rf nil: no result set) in the
// requested format, streaming: one batch at a time, flushed as it goes.
func (s *Server) writeResult(c echo.Context, req resultRequest, res metastore.Result, rf *workspace.ResultFile) error {
	h := c.Response().Header()
	var total int64
	if rf != nil {
		total = rf.NumRows()
	}
	h.Set("X-Total-Row-Count", strconv.FormatInt(total, 10))
	if req.format == formatParquet {
		h.Set(echo.HeaderContentType, mimeParquet)
		h.Set(echo.HeaderContentDisposition, `attachment; filename="`+res.ID+`.parquet"`)
		http.ServeContent(c.Response(), c.Request(), res.ID+".parquet", res.CreatedAt, rf.Raw())
		return nil
	}
	sent := max(0, total-req.offset)
	if req.limit >= 0 {
		sent = min(sent, req.limit)
	}
	if next := req.offset + sent; req.hasLimit && next < total {
		q := url.Values{}
		for k, v := range req.query {
			q[k] = v
		}
		q.Set("offset", strconv.FormatInt(next, 10))
		h.Set("Link", fmt.Sprintf(`<%s?%s>; rel="next"`, c.Request().URL.Path, q.Encode()))
	}
	enc := newResultEncoder(req.format, c.Response(), res, total)
	switch req.format {
	case formatCSV:
		h.Set(echo.HeaderContentType, mimeCSV+"; charset=utf-8")
		h.Set(echo.HeaderContentDisposition, `attachment; filename="`+res.ID+`.csv"`)
	case formatArrow:
		h.Set(echo.HeaderContentType, mimeArrow)
	default:
		h.Set(echo.HeaderContentType, echo.MIMEApplicationJSON)
	}
	c.Response().WriteHeader(http.StatusOK)
	err := enc.begin(schemaOf(rf))
	if err == nil && rf != nil {
		err = rf.Batches(c.Request().Context(), req.offset, req.limit, enc.write)
	}
	if err == nil {
		err = enc.end()
	}
	if err != nil {
		// The status is sent: breaking the connection is the only way
		// left to tell the client that the body is incomplete.
		if c.Request().Context().Err() == nil {
			s.log.Error("result download failed", "result", res.ID, "format", req.format, "err", err)
		}
		panic(http.ErrAbortHandler)
	}
	return nil
}

package api

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
)

type queryRequest struct {
	SQL          string `json:"sql"`
	Async        bool   `json:"async"`
	AsyncAfterMs *int   `json:"async_after_ms"`
}

type queryResponse struct {
	QueryRunID      string   `json:"query_run_id"`
	ResultID        string   `json:"result_id"`
	Columns         []string `json:"columns"`
	Nullable        []bool   `json:"nullable"`
	Rows            [][]any  `json:"rows"`
	RowCount        int64    `json:"row_count"`
	ExecutionTimeMs int64    `json:"execution_time_ms"`
	Warning         string   `json:"warning,omitempty"`
}

func (s *Server) query(c echo.Context) error {
	var req queryRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if err := required("sql", req.SQL); err != nil {
		return err
	}
	if req.Async || req.AsyncAfterMs != nil {
		return &apiError{Status: http.StatusUnprocessableEntity, Code: "ASYNC_UNAVAILABLE",
			Message: "asynchronous queries are not available in this version: send the query without async/async_after_ms"}
	}
	preview := newPreviewSink(s.svc.PreviewRows())
	out, err := s.svc.Query(c.Request().Context(), principal(c), workspaceOf(c), req.SQL, preview)
	if err != nil {
		return err
	}
	resp := queryResponse{QueryRunID: out.Run.ID, ResultID: out.Result.ID, Columns: preview.columns, Nullable: preview.nullable,
		Rows: preview.rows, RowCount: out.Run.RowCount, ExecutionTimeMs: out.Run.ExecutionTimeMs}
	if resp.Columns == nil {
		resp.Columns, resp.Nullable, resp.Rows = []string{}, []bool{}, [][]any{}
	}
	if preview.truncated {
		out.Warnings = append(out.Warnings, "rows holds the first "+strconv.Itoa(len(preview.rows))+" of "+strconv.FormatInt(out.Run.RowCount, 10)+
			" rows; the whole result is stored as result "+out.Result.ID+"; run the query over pgwire to stream every row")
	}
	for i, w := range out.Warnings {
		if i > 0 {
			resp.Warning += "; "
		}
		resp.Warning += w
	}
	return c.JSON(http.StatusOK, resp)
}

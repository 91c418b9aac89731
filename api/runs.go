package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/hotdata-dev/hotdata/metastore"
)

// Handlers for the query history: GET /v1/query-runs and /{id}.

type queryRunJSON struct {
	ID      string `json:"id"`
	Status  string `json:"status"`
	Source  string `json:"source"`
	SQLText string `json:"sql_text"`
	SQLHash string `json:"sql_hash"`
	// SnapshotID is the first snapshot the statement read (null when it
	// read no cached table); SnapshotIDs lists every one.
	SnapshotID  *string  `json:"snapshot_id"`
	SnapshotIDs []string `json:"snapshot_ids"`
	ResultID    *string  `json:"result_id"`
	RowCount    int64    `json:"row_count"`
	// ExecutionTimeMs is null while the statement runs.
	ExecutionTimeMs *int64  `json:"execution_time_ms"`
	ErrorMessage    *string `json:"error_message"`
	CreatedAt       string  `json:"created_at"`
	CompletedAt     *string `json:"completed_at"`
}

func strOrNull(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func toQueryRunJSON(r metastore.QueryRun) queryRunJSON {
	out := queryRunJSON{ID: r.ID, Status: r.Status, Source: r.Source, SQLText: r.SQLText, SQLHash: r.SQLHash, SnapshotIDs: r.SnapshotIDs,
		ResultID: strOrNull(r.ResultID), RowCount: r.RowCount, ErrorMessage: strOrNull(r.ErrorMessage), CreatedAt: rfc3339(r.CreatedAt)}
	if out.SnapshotIDs == nil {
		out.SnapshotIDs = []string{}
	}
	if len(r.SnapshotIDs) > 0 {
		out.SnapshotID = &r.SnapshotIDs[0]
	}
	if r.CompletedAt != nil {
		t := rfc3339(*r.CompletedAt)
		ms := r.ExecutionTimeMs
		out.CompletedAt, out.ExecutionTimeMs = &t, &ms
	}
	return out
}

func (s *Server) listQueryRuns(c echo.Context) error {
	if _, err := queryParams(c, "limit", "offset", "cursor"); err != nil {
		return err
	}
	limit, offset, err := paging(c)
	if err != nil {
		return err
	}
	runs, more, err := s.svc.ListQueryRuns(c.Request().Context(), principal(c), workspaceOf(c), limit, offset)
	if err != nil {
		return err
	}
	out := make([]queryRunJSON, len(runs))
	for i, r := range runs {
		out[i] = toQueryRunJSON(r)
	}
	resp := map[string]any{"query_runs": out, "count": len(out), "limit": limit, "offset": offset, "has_more": more, "next_cursor": nil}
	if more {
		resp["next_cursor"] = nextCursor(offset + len(out))
	}
	return c.JSON(http.StatusOK, resp)
}

func (s *Server) getQueryRun(c echo.Context) error {
	r, err := s.svc.GetQueryRun(c.Request().Context(), principal(c), workspaceOf(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toQueryRunJSON(r))
}

// cancelQueryRun stops a running REST query: 202 with the run as it was.
func (s *Server) cancelQueryRun(c echo.Context) error {
	r, err := s.svc.CancelQueryRun(c.Request().Context(), principal(c), workspaceOf(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusAccepted, toQueryRunJSON(r))
}

package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/hotdata-dev/hotdata/metastore"
	"github.com/hotdata-dev/hotdata/workspace"
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
	// Freshness: for each cached table read, its snapshot and how fresh
	// it was.
	Freshness []freshnessJSON `json:"freshness"`
}

type freshnessJSON struct {
	Connection      string  `json:"connection"`
	Schema          string  `json:"schema"`
	Table           string  `json:"table"`
	SnapshotID      string  `json:"snapshot_id"`
	SnapshotVersion int64   `json:"snapshot_version"`
	Policy          string  `json:"policy"`
	AsOf            string  `json:"as_of"`
	AgeSeconds      float64 `json:"age_seconds"`
	Streaming       bool    `json:"streaming"`
	LagBytes        *int64  `json:"lag_bytes"`
}

// maxAsyncAfter bounds async_after_ms: a client that wants to wait
// longer polls status_url.
const maxAsyncAfter = 10 * time.Minute

// queryAccepted is the 202 answer of a query that goes on running.
type queryAccepted struct {
	QueryRunID string `json:"query_run_id"`
	Status     string `json:"status"`
	StatusURL  string `json:"status_url"`
	ResultID   string `json:"result_id"`
}

// query runs POST /v1/query. Synchronous by default; with async: true it
// answers 202 at once, and with async_after_ms: N it waits up to N ms
// for the whole answer before answering 202. Either way the statement
// runs to its end in the service, and the run and result can be polled.
func (s *Server) query(c echo.Context) error {
	var req queryRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if err := required("sql", req.SQL); err != nil {
		return err
	}
	return s.runSQL(c, req.SQL, req)
}

// runSQL answers a query request for sql (POST /v1/query, and the
// execution of a saved query): synchronously, or async as req says.
func (s *Server) runSQL(c echo.Context, sql string, req queryRequest) error {
	wait := time.Duration(-1) // synchronous
	if req.AsyncAfterMs != nil {
		if *req.AsyncAfterMs < 0 || time.Duration(*req.AsyncAfterMs)*time.Millisecond > maxAsyncAfter {
			return errBadRequest("INVALID_ARGUMENT", "async_after_ms must be from 0 to 600000 (10 minutes): poll status_url to wait longer")
		}
		wait = time.Duration(*req.AsyncAfterMs) * time.Millisecond
	} else if req.Async {
		wait = 0
	}
	ctx := c.Request().Context()
	preview := newPreviewSink(s.svc.PreviewRows())
	if wait < 0 {
		out, err := s.svc.Query(ctx, principal(c), workspaceOf(c), sql, preview)
		if err != nil {
			return overloaded(err)
		}
		return c.JSON(http.StatusOK, queryAnswer(out, preview))
	}
	pq, err := s.svc.QueryAsync(ctx, principal(c), workspaceOf(c), sql, preview)
	if err != nil {
		return overloaded(err)
	}
	if wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		select {
		case <-pq.Done():
			out, err := pq.Outcome()
			if err != nil {
				return err
			}
			return c.JSON(http.StatusOK, queryAnswer(out, preview))
		case <-t.C:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	statusURL := "/v1/query-runs/" + pq.Run.ID
	c.Response().Header().Set("Location", statusURL)
	return c.JSON(http.StatusAccepted, queryAccepted{QueryRunID: pq.Run.ID, Status: pq.Run.Status, StatusURL: statusURL, ResultID: pq.ResultID})
}

// overloaded adds Retry-After to the concurrent-query limit's error.
func overloaded(err error) error {
	if we := workspace.AsError(err); we != nil && we.Kind == workspace.KindOverloaded {
		return &apiError{Status: http.StatusTooManyRequests, Code: we.Code, Message: we.Message, RetryAfter: 1, Err: err}
	}
	return err
}

// queryAnswer is the 200 answer of a finished query.
func queryAnswer(out workspace.QueryOutcome, preview *previewSink) queryResponse {
	resp := queryResponse{QueryRunID: out.Run.ID, ResultID: out.Result.ID, Columns: preview.columns, Nullable: preview.nullable,
		Rows: preview.rows, RowCount: out.Run.RowCount, ExecutionTimeMs: out.Run.ExecutionTimeMs}
	if resp.Columns == nil {
		resp.Columns, resp.Nullable, resp.Rows = []string{}, []bool{}, [][]any{}
	}
	if preview.truncated && out.Result.Status == metastore.StatusSucceeded {
		out.Warnings = append(out.Warnings, "rows holds the first "+strconv.Itoa(len(preview.rows))+" of "+strconv.FormatInt(out.Run.RowCount, 10)+
			" rows: GET /v1/results/"+out.Result.ID+" returns them all (?format=json, csv, arrow or parquet; offset and limit page them)")
	} else if preview.truncated {
		out.Warnings = append(out.Warnings, "rows holds the first "+strconv.Itoa(len(preview.rows))+" of "+strconv.FormatInt(out.Run.RowCount, 10)+
			" rows, and the rest was not stored: run the query over pgwire to stream every row")
	}
	resp.Warning = strings.Join(out.Warnings, "; ")
	resp.Freshness = []freshnessJSON{}
	now := time.Now()
	for _, f := range out.Freshness {
		j := freshnessJSON{Connection: f.Connection, Schema: f.Schema, Table: f.Table, SnapshotID: f.SnapshotID, SnapshotVersion: f.SnapshotVersion,
			Policy: f.Policy, AsOf: f.AsOf.UTC().Format(time.RFC3339Nano), AgeSeconds: f.Age(now).Seconds(), Streaming: f.Streaming}
		if f.Streaming && f.LagBytes >= 0 {
			lag := f.LagBytes
			j.LagBytes = &lag
		}
		resp.Freshness = append(resp.Freshness, j)
	}
	return resp
}

package api

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/hotdata-dev/hotdata/metastore"
	"github.com/hotdata-dev/hotdata/workspace"
)

// Handlers for the cache's controls: refresh, jobs, purges, policies,
// connection health.

type refreshRequest struct {
	ConnectionID    string `json:"connection_id"`
	SchemaName      string `json:"schema_name"`
	TableName       string `json:"table_name"`
	Data            bool   `json:"data"`
	IncludeUncached bool   `json:"include_uncached"`
	Async           bool   `json:"async"`
}

type connectionRefreshJSON struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Added    int    `json:"tables_added"`
	Updated  int    `json:"tables_updated"`
	Vanished int    `json:"tables_vanished"`
	Error    string `json:"error,omitempty"`
}

type tableRefreshJSON struct {
	Connection      string   `json:"connection"`
	Schema          string   `json:"schema"`
	Table           string   `json:"table"`
	Status          string   `json:"status"`
	Rows            int64    `json:"row_count"`
	Appended        int64    `json:"rows_appended,omitempty"`
	Incremental     bool     `json:"incremental"`
	SnapshotVersion int64    `json:"snapshot_version,omitempty"`
	JobID           string   `json:"job_id,omitempty"`
	Error           string   `json:"error,omitempty"`
	Warnings        []string `json:"warnings,omitempty"`
}

func (s *Server) refresh(c echo.Context) error {
	var req refreshRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	out, err := s.svc.Refresh(c.Request().Context(), principal(c), workspaceOf(c), workspace.RefreshRequest{
		Connection: req.ConnectionID, Schema: req.SchemaName, Table: req.TableName, Data: req.Data,
		IncludeUncached: req.IncludeUncached, Async: req.Async,
	})
	if err != nil {
		return err
	}
	if out.Job != nil {
		c.Response().Header().Set("Location", "/v1/jobs/"+out.Job.ID)
		return c.JSON(http.StatusAccepted, map[string]any{"ok": true, "job": toJobJSON(*out.Job), "status_url": "/v1/jobs/" + out.Job.ID})
	}
	conns := make([]connectionRefreshJSON, len(out.Connections))
	for i, cr := range out.Connections {
		conns[i] = connectionRefreshJSON{ID: cr.ID, Name: cr.Name, Added: cr.Added, Updated: cr.Updated, Vanished: cr.Vanished, Error: cr.Error}
	}
	tables := make([]tableRefreshJSON, len(out.Tables))
	failed := 0
	for i, t := range out.Tables {
		tables[i] = tableRefreshJSON{Connection: t.Connection, Schema: t.Schema, Table: t.Table, Status: t.Status, Rows: t.Rows,
			Appended: t.Appended, Incremental: t.Incremental, SnapshotVersion: t.SnapshotVersion, JobID: t.JobID, Error: t.Error, Warnings: t.Warnings}
		if t.Error != "" {
			failed++
		}
	}
	for _, cr := range out.Connections {
		if cr.Error != "" {
			failed++
		}
	}
	resp := map[string]any{"ok": failed == 0, "failed": failed}
	if req.Data {
		resp["tables"] = tables
	} else {
		resp["connections"] = conns
	}
	return c.JSON(http.StatusOK, resp)
}

type progressJSON struct {
	Rows     int64    `json:"rows"`
	Bytes    int64    `json:"bytes"`
	Fraction *float64 `json:"fraction,omitempty"`
}

type jobJSON struct {
	ID          string       `json:"id"`
	Type        string       `json:"type"`
	Status      string       `json:"status"`
	Target      any          `json:"target,omitempty"`
	Progress    progressJSON `json:"progress"`
	Error       string       `json:"error,omitempty"`
	Node        string       `json:"node,omitempty"`
	CreatedAt   string       `json:"created_at"`
	CompletedAt *string      `json:"completed_at"`
	Warnings    []string     `json:"warnings,omitempty"`
}

func toJobJSON(j metastore.Job) jobJSON {
	out := jobJSON{ID: j.ID, Type: j.Type, Status: j.Status, Progress: progressJSON{Rows: j.ProgressRows, Bytes: j.ProgressBytes, Fraction: j.ProgressFraction},
		Error: j.Error, Node: j.Node, CreatedAt: rfc3339(j.CreatedAt), Warnings: j.Warnings}
	if len(j.Target) > 0 {
		out.Target = json.RawMessage(j.Target)
	}
	if j.CompletedAt != nil {
		t := rfc3339(*j.CompletedAt)
		out.CompletedAt = &t
	}
	return out
}

func (s *Server) listJobs(c echo.Context) error {
	if _, err := queryParams(c, "limit", "offset", "cursor"); err != nil {
		return err
	}
	limit, offset, err := paging(c)
	if err != nil {
		return err
	}
	jobs, more, err := s.svc.ListJobs(c.Request().Context(), principal(c), workspaceOf(c), limit, offset)
	if err != nil {
		return err
	}
	out := make([]jobJSON, len(jobs))
	for i, j := range jobs {
		out[i] = toJobJSON(j)
	}
	resp := map[string]any{"jobs": out, "count": len(out), "limit": limit, "has_more": more, "next_cursor": nil}
	if more {
		resp["next_cursor"] = nextCursor(offset + len(out))
	}
	return c.JSON(http.StatusOK, resp)
}

func (s *Server) getJob(c echo.Context) error {
	j, err := s.svc.GetJob(c.Request().Context(), principal(c), workspaceOf(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toJobJSON(j))
}

func (s *Server) purgeConnectionCache(c echo.Context) error {
	n, err := s.svc.PurgeCache(c.Request().Context(), principal(c), workspaceOf(c), c.Param("id"), "", "")
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"ok": true, "tables_purged": n})
}

func (s *Server) purgeTableCache(c echo.Context) error {
	n, err := s.svc.PurgeCache(c.Request().Context(), principal(c), workspaceOf(c), c.Param("id"), c.Param("schema"), c.Param("table"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"ok": true, "tables_purged": n})
}

type policyRequest struct {
	Refresh             *string `json:"refresh"`
	IncrementalColumn   *string `json:"incremental_column"`
	IncrementalLookback *string `json:"incremental_lookback"`
	DetectDeletes       *bool   `json:"detect_deletes"`
}

func (s *Server) setTablePolicy(c echo.Context) error {
	var req policyRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if req.Refresh == nil || strings.TrimSpace(*req.Refresh) == "" {
		return errBadRequest("MISSING_FIELD", `field "refresh" is required: "manual", "cdc", "every <duration>" or "ttl <duration>"`)
	}
	pr := workspace.PolicyRequest{Refresh: *req.Refresh}
	if req.IncrementalColumn != nil {
		pr.IncrementalColumn = *req.IncrementalColumn
	}
	if req.IncrementalLookback != nil {
		pr.IncrementalLookback = *req.IncrementalLookback
	}
	if req.DetectDeletes != nil {
		pr.DetectDeletes = *req.DetectDeletes
	}
	pol, err := s.svc.SetTablePolicy(c.Request().Context(), principal(c), workspaceOf(c), c.Param("id"), c.Param("schema"), c.Param("table"), pr)
	if err != nil {
		return err
	}
	resp := map[string]any{"connection_id": pol.ConnectionID, "connection": pol.Connection, "schema": pol.Schema, "table": pol.Table,
		"refresh": pol.Refresh, "incremental_column": nil, "incremental_lookback": nil, "detect_deletes": pol.DetectDeletes,
		"synced": pol.Synced, "last_sync": nil}
	if pol.IncrementalColumn != "" {
		resp["incremental_column"] = pol.IncrementalColumn
	}
	if pol.IncrementalLookback != "" {
		resp["incremental_lookback"] = pol.IncrementalLookback
	}
	if pol.LastSync != nil {
		resp["last_sync"] = rfc3339(*pol.LastSync)
	}
	return c.JSON(http.StatusOK, resp)
}

func (s *Server) connectionHealth(c echo.Context) error {
	h, err := s.svc.ConnectionHealth(c.Request().Context(), principal(c), workspaceOf(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, healthJSON(h))
}

// healthJSON is a ConnectionHealth answer.
func healthJSON(h workspace.Health) map[string]any {
	resp := map[string]any{"healthy": h.Healthy, "latency_ms": float64(h.Latency.Microseconds()) / 1000}
	if h.Error != "" {
		resp["error"] = h.Error
	}
	return resp
}

type tableProfileJSON struct {
	ConnectionID        string              `json:"connection_id"`
	Connection          string              `json:"connection"`
	Schema              string              `json:"schema"`
	Table               string              `json:"table"`
	SnapshotID          string              `json:"snapshot_id"`
	SnapshotVersion     int64               `json:"snapshot_version"`
	LastSync            *string             `json:"last_sync"`
	RowCount            int64               `json:"row_count"`
	DistinctApproximate bool                `json:"distinct_approximate"`
	ProfileTimeMs       float64             `json:"profile_time_ms"`
	Columns             []columnProfileJSON `json:"columns"`
}

type columnProfileJSON struct {
	Name          string           `json:"name"`
	DataType      string           `json:"data_type"`
	NullCount     int64            `json:"null_count"`
	NullFraction  float64          `json:"null_fraction"`
	DistinctCount int64            `json:"distinct_count"`
	Min           *string          `json:"min"`
	Max           *string          `json:"max"`
	TopValues     []valueCountJSON `json:"top_values"`
}

type valueCountJSON struct {
	Value string `json:"value"`
	Count int64  `json:"count"`
}

func (s *Server) profileTable(c echo.Context) error {
	p, err := s.svc.ProfileTable(c.Request().Context(), principal(c), workspaceOf(c), c.Param("id"), c.Param("schema"), c.Param("table"))
	if err != nil {
		return err
	}
	out := tableProfileJSON{ConnectionID: p.ConnectionID, Connection: p.Connection, Schema: p.Schema, Table: p.Table,
		SnapshotID: p.SnapshotID, SnapshotVersion: p.SnapshotVersion, RowCount: p.RowCount,
		DistinctApproximate: p.DistinctApproximate, ProfileTimeMs: float64(p.Elapsed.Microseconds()) / 1000,
		Columns: make([]columnProfileJSON, len(p.Columns))}
	if p.LastSync != nil {
		t := rfc3339(*p.LastSync)
		out.LastSync = &t
	}
	for i, col := range p.Columns {
		cj := columnProfileJSON{Name: col.Name, DataType: col.DataType, NullCount: col.NullCount, DistinctCount: col.DistinctCount,
			Min: col.Min, Max: col.Max, TopValues: make([]valueCountJSON, len(col.TopValues))}
		if p.RowCount > 0 {
			cj.NullFraction = float64(col.NullCount) / float64(p.RowCount)
		}
		for j, v := range col.TopValues {
			cj.TopValues[j] = valueCountJSON{Value: v.Value, Count: v.Count}
		}
		out.Columns[i] = cj
	}
	return c.JSON(http.StatusOK, out)
}

type changeStreamJSON struct {
	ConnectionID string                  `json:"connection_id"`
	Connection   string                  `json:"connection"`
	Stream       string                  `json:"stream"`
	State        string                  `json:"state"`
	Error        string                  `json:"error,omitempty"`
	Tables       []changeStreamTableJSON `json:"tables"`
	Received     string                  `json:"received_position,omitempty"`
	Confirmed    string                  `json:"confirmed_position,omitempty"`
	LagBytes     int64                   `json:"lag_bytes"`
	LastCommit   *string                 `json:"last_commit,omitempty"`
	LastApplied  *string                 `json:"last_applied,omitempty"`
}

type changeStreamTableJSON struct {
	Schema string `json:"schema"`
	Table  string `json:"table"`
	State  string `json:"state"`
	Error  string `json:"error,omitempty"`
}

func (s *Server) listChangeStreams(c echo.Context) error {
	states, err := s.svc.CDCStreams(c.Request().Context(), principal(c), workspaceOf(c))
	if err != nil {
		return err
	}
	out := make([]changeStreamJSON, 0, len(states))
	for _, st := range states {
		j := changeStreamJSON{ConnectionID: st.ConnectionID, Connection: st.Connection, Stream: st.Stream, State: st.State, Error: st.Error,
			Tables: []changeStreamTableJSON{}, Received: st.Received, Confirmed: st.Confirmed, LagBytes: st.LagBytes}
		for _, t := range st.Tables {
			j.Tables = append(j.Tables, changeStreamTableJSON{Schema: t.Schema, Table: t.Table, State: t.State, Error: t.Error})
		}
		if st.LastCommit != nil {
			v := rfc3339(*st.LastCommit)
			j.LastCommit = &v
		}
		if st.LastApplied != nil {
			v := rfc3339(*st.LastApplied)
			j.LastApplied = &v
		}
		out = append(out, j)
	}
	return c.JSON(http.StatusOK, map[string]any{"streams": out})
}

package api

import (
	"encoding/json"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/hotdata-dev/hotdata/metastore"
)

// Handlers for saved queries: every edit is a new version.

func (s *Server) savedQueryRoutes(ws *echo.Group) {
	ws.POST("/queries", s.createSavedQuery)
	ws.GET("/queries", s.listSavedQueries)
	ws.GET("/queries/:id", s.getSavedQuery)
	ws.PUT("/queries/:id", s.updateSavedQuery)
	ws.DELETE("/queries/:id", s.deleteSavedQuery)
	ws.GET("/queries/:id/versions", s.savedQueryVersions)
	ws.POST("/queries/:id/execute", s.executeSavedQuery)
}

type savedQueryJSON struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	SQL         string `json:"sql"`
	Version     int64  `json:"version"`
	CreatedAt   string `json:"created_at"`
	UpdatedAt   string `json:"updated_at"`
}

func toSavedQueryJSON(q metastore.SavedQuery) savedQueryJSON {
	return savedQueryJSON{ID: q.ID, Name: q.Name, Description: q.Description, SQL: q.SQL, Version: q.Version,
		CreatedAt: rfc3339(q.CreatedAt), UpdatedAt: rfc3339(q.UpdatedAt)}
}

type savedQueryRequest struct {
	Name        *string `json:"name"`
	Description *string `json:"description"`
	SQL         *string `json:"sql"`
}

func (s *Server) createSavedQuery(c echo.Context) error {
	var req savedQueryRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	name, sql := "", ""
	if req.Name != nil {
		name = *req.Name
	}
	if req.SQL != nil {
		sql = *req.SQL
	}
	if err := required("name", name); err != nil {
		return err
	}
	if err := required("sql", sql); err != nil {
		return err
	}
	desc := ""
	if req.Description != nil {
		desc = *req.Description
	}
	q, err := s.svc.SaveQuery(c.Request().Context(), principal(c), workspaceOf(c), name, desc, sql)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, toSavedQueryJSON(q))
}

func (s *Server) listSavedQueries(c echo.Context) error {
	limit, offset, err := listPage(c)
	if err != nil {
		return err
	}
	qs, more, err := s.svc.ListSavedQueries(c.Request().Context(), principal(c), workspaceOf(c), limit, offset)
	if err != nil {
		return err
	}
	out := make([]savedQueryJSON, len(qs))
	for i, q := range qs {
		out[i] = toSavedQueryJSON(q)
	}
	return c.JSON(http.StatusOK, listBody("queries", out, len(out), limit, offset, more))
}

func (s *Server) getSavedQuery(c echo.Context) error {
	q, _, err := s.svc.GetSavedQuery(c.Request().Context(), principal(c), workspaceOf(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toSavedQueryJSON(q))
}

func (s *Server) updateSavedQuery(c echo.Context) error {
	var req savedQueryRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if req.Name == nil && req.Description == nil && req.SQL == nil {
		return errBadRequest("MISSING_FIELD", `give at least one of "name", "description", "sql"`)
	}
	q, err := s.svc.UpdateSavedQuery(c.Request().Context(), principal(c), workspaceOf(c), c.Param("id"), req.Name, req.Description, req.SQL)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toSavedQueryJSON(q))
}

func (s *Server) deleteSavedQuery(c echo.Context) error {
	q, err := s.svc.DeleteSavedQuery(c.Request().Context(), principal(c), workspaceOf(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"ok": true, "id": q.ID, "name": q.Name})
}

func (s *Server) savedQueryVersions(c echo.Context) error {
	q, versions, err := s.svc.GetSavedQuery(c.Request().Context(), principal(c), workspaceOf(c), c.Param("id"))
	if err != nil {
		return err
	}
	out := make([]map[string]any, len(versions))
	for i, v := range versions {
		out[i] = map[string]any{"version": v.Version, "name": v.Name, "description": v.Description, "sql": v.SQL, "created_at": rfc3339(v.CreatedAt)}
	}
	return c.JSON(http.StatusOK, map[string]any{"ok": true, "id": q.ID, "versions": out, "count": len(out)})
}

// executeSavedQuery runs the saved query's current version as POST
// /v1/query would (the body may ask for async; it may be empty).
func (s *Server) executeSavedQuery(c echo.Context) error {
	var req queryRequest
	if c.Request().ContentLength != 0 {
		var body struct {
			Async        bool `json:"async"`
			AsyncAfterMs *int `json:"async_after_ms"`
		}
		if err := decodeJSON(c, &body); err != nil {
			return err
		}
		req.Async, req.AsyncAfterMs = body.Async, body.AsyncAfterMs
	}
	q, _, err := s.svc.GetSavedQuery(c.Request().Context(), principal(c), workspaceOf(c), c.Param("id"))
	if err != nil {
		return err
	}
	return s.runSQL(c, q.SQL, req)
}

// rawJSONValue passes stored JSON through as it is.
func rawJSONValue(b []byte) any { return json.RawMessage(b) }

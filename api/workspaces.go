package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/hotdata-dev/hotdata/metastore"
	"github.com/hotdata-dev/hotdata/workspace"
)

// managementRoutes registers organizations, members, tokens, workspaces,
// secrets and connections. v1 needs a token; ws also a workspace.
func (s *Server) managementRoutes(v1, ws *echo.Group) {
	v1.POST("/organizations", s.createOrganization)
	v1.GET("/organizations", s.listOrganizations)
	v1.GET("/organizations/:id", s.getOrganization)
	v1.PATCH("/organizations/:id", s.updateOrganization)
	v1.DELETE("/organizations/:id", s.deleteOrganization)
	v1.POST("/organizations/:id/members", s.inviteMember)
	v1.GET("/organizations/:id/members", s.listMembers)
	v1.GET("/organizations/:id/members/:member_id", s.getMember)
	v1.PATCH("/organizations/:id/members/:member_id", s.updateMember)
	v1.DELETE("/organizations/:id/members/:member_id", s.removeMember)

	v1.POST("/tokens", s.createToken)
	v1.GET("/tokens", s.listTokens)
	v1.GET("/tokens/:id", s.getToken)
	v1.DELETE("/tokens/:id", s.revokeToken)
	v1.GET("/whoami", s.whoami)

	v1.POST("/workspaces", s.createWorkspace)
	v1.GET("/workspaces/:id", s.getWorkspace)
	v1.PATCH("/workspaces/:id", s.updateWorkspace)
	v1.DELETE("/workspaces/:id", s.deleteWorkspace)
	v1.POST("/workspaces/:id/suspend", s.suspendWorkspace)
	v1.POST("/workspaces/:id/resume", s.resumeWorkspace)

	v1.GET("/connection-types", s.listConnectionTypes)
	v1.GET("/connection-types/:name", s.getConnectionType)

	ws.GET("/secrets", s.listSecrets)
	ws.GET("/secrets/:name", s.getSecret)
	ws.PUT("/secrets/:name", s.rotateSecret)
	ws.DELETE("/secrets/:name", s.deleteSecret)
	ws.GET("/connections", s.listConnections)
	ws.GET("/connections/:id", s.getConnection)
	ws.DELETE("/connections/:id", s.deleteConnection)
}

// workspaceJSON is a workspace as GET /v1/workspaces lists it.
type workspaceJSON struct {
	PublicID        string `json:"public_id"`
	Name            string `json:"name"`
	Active          bool   `json:"active"`
	Favorite        bool   `json:"favorite"`
	ProvisionStatus string `json:"provision_status"`
	Namespace       string `json:"namespace"`
}

func toWorkspaceJSON(w metastore.Workspace) workspaceJSON {
	return workspaceJSON{PublicID: w.ID, Name: w.Name, Active: w.Status == metastore.WorkspaceActive,
		ProvisionStatus: "ready", Namespace: w.Name}
}

type limitsJSON struct {
	MemoryBytes          int64 `json:"memory_bytes"`
	Threads              int   `json:"threads"`
	CacheBytes           int64 `json:"cache_bytes"`
	MaxConcurrentQueries int   `json:"max_concurrent_queries"`
	MaxSessions          int   `json:"max_sessions"`
}

// workspaceDetailJSON adds the lifecycle and limits to the listing's fields.
type workspaceDetailJSON struct {
	workspaceJSON
	OrganizationPublicID string     `json:"organization_public_id"`
	Status               string     `json:"status"`
	AutoResume           bool       `json:"auto_resume"`
	EngineLoaded         bool       `json:"engine_loaded"`
	Limits               limitsJSON `json:"limits"`
	CreatedAt            string     `json:"created_at"`
	UpdatedAt            string     `json:"updated_at"`
}

func toWorkspaceDetail(w workspace.WorkspaceInfo) workspaceDetailJSON {
	l := w.Limits
	return workspaceDetailJSON{workspaceJSON: toWorkspaceJSON(w.Workspace), OrganizationPublicID: w.OrgID, Status: w.Status,
		AutoResume: w.AutoResume, EngineLoaded: w.EngineLoaded,
		Limits: limitsJSON{MemoryBytes: l.MemoryBytes, Threads: l.Threads, CacheBytes: l.CacheBytes,
			MaxConcurrentQueries: l.MaxConcurrentQueries, MaxSessions: l.MaxSessions},
		CreatedAt: rfc3339(w.CreatedAt), UpdatedAt: rfc3339(w.UpdatedAt)}
}

func workspaceAnswer(c echo.Context, status int, w workspace.WorkspaceInfo) error {
	return c.JSON(status, map[string]any{"ok": true, "workspace": toWorkspaceDetail(w)})
}

func (s *Server) listWorkspaces(c echo.Context) error {
	p := principal(c)
	list, err := s.svc.Store().ListWorkspaces(c.Request().Context(), p.Member.OrgID)
	if err != nil {
		return err
	}
	out := make([]workspaceJSON, 0, len(list))
	for _, w := range list {
		if p.Token.WorkspaceID != "" && p.Token.WorkspaceID != w.ID || w.Status == metastore.WorkspaceDeleting {
			continue
		}
		out = append(out, toWorkspaceJSON(w))
	}
	return c.JSON(http.StatusOK, map[string]any{"ok": true, "workspaces": out})
}

type createWorkspaceRequest struct {
	Name                 string `json:"name"`
	OrganizationPublicID string `json:"organization_public_id"`
}

func (s *Server) createWorkspace(c echo.Context) error {
	var req createWorkspaceRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if err := required("name", req.Name); err != nil {
		return err
	}
	w, err := s.svc.CreateWorkspace(c.Request().Context(), principal(c), req.Name, req.OrganizationPublicID)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Location", "/v1/workspaces/"+w.ID)
	return workspaceAnswer(c, http.StatusCreated, workspace.WorkspaceInfo{Workspace: w})
}

func (s *Server) getWorkspace(c echo.Context) error {
	w, err := s.svc.WorkspaceDetails(c.Request().Context(), principal(c), c.Param("id"))
	if err != nil {
		return err
	}
	return workspaceAnswer(c, http.StatusOK, w)
}

type limitsRequest struct {
	MemoryBytes          *int64 `json:"memory_bytes"`
	Threads              *int   `json:"threads"`
	CacheBytes           *int64 `json:"cache_bytes"`
	MaxConcurrentQueries *int   `json:"max_concurrent_queries"`
	MaxSessions          *int   `json:"max_sessions"`
}

type updateWorkspaceRequest struct {
	Name       *string        `json:"name"`
	AutoResume *bool          `json:"auto_resume"`
	Limits     *limitsRequest `json:"limits"`
}

func (s *Server) updateWorkspace(c echo.Context) error {
	var req updateWorkspaceRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if req.Name == nil && req.AutoResume == nil && req.Limits == nil {
		return errBadRequest("MISSING_FIELD", `give at least one of the fields "name", "auto_resume" and "limits"`)
	}
	if req.Name != nil {
		if err := required("name", *req.Name); err != nil {
			return err
		}
	}
	u := workspace.WorkspaceUpdate{Name: req.Name, AutoResume: req.AutoResume}
	if l := req.Limits; l != nil {
		u.Limits = workspace.LimitsUpdate{MemoryBytes: l.MemoryBytes, Threads: l.Threads, CacheBytes: l.CacheBytes,
			MaxConcurrentQueries: l.MaxConcurrentQueries, MaxSessions: l.MaxSessions}
	}
	w, err := s.svc.UpdateWorkspace(c.Request().Context(), principal(c), c.Param("id"), u)
	if err != nil {
		return err
	}
	return workspaceAnswer(c, http.StatusOK, w)
}

func (s *Server) suspendWorkspace(c echo.Context) error {
	w, err := s.svc.SuspendWorkspace(c.Request().Context(), principal(c), c.Param("id"))
	if err != nil {
		return err
	}
	return workspaceAnswer(c, http.StatusOK, w)
}

func (s *Server) resumeWorkspace(c echo.Context) error {
	w, err := s.svc.ResumeWorkspace(c.Request().Context(), principal(c), c.Param("id"))
	if err != nil {
		return err
	}
	return workspaceAnswer(c, http.StatusOK, w)
}

func (s *Server) deleteWorkspace(c echo.Context) error {
	w, err := s.svc.DeleteWorkspace(c.Request().Context(), principal(c), c.Param("id"))
	if err != nil {
		return err
	}
	w.Status = "deleted"
	return workspaceAnswer(c, http.StatusOK, workspace.WorkspaceInfo{Workspace: w})
}

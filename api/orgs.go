package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/hotdata-dev/hotdata/metastore"
)

// Organizations (ours). A token sees its own organization only; another
// organization is 404.

type organizationJSON struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	CreatedAt string `json:"created_at"`
}

func toOrganizationJSON(o metastore.Organization) organizationJSON {
	return organizationJSON{ID: o.ID, Name: o.Name, CreatedAt: rfc3339(o.CreatedAt)}
}

type organizationRequest struct {
	Name string `json:"name"`
}

func (s *Server) createOrganization(c echo.Context) error {
	var req organizationRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if err := required("name", req.Name); err != nil {
		return err
	}
	out, err := s.svc.CreateOrganization(c.Request().Context(), principal(c), req.Name)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Location", "/v1/organizations/"+out.Organization.ID)
	return c.JSON(http.StatusCreated, map[string]any{"ok": true, "organization": toOrganizationJSON(out.Organization),
		"owner": toMemberJSON(out.Owner), "token": toTokenJSON(out.Token, out.TokenText)})
}

func (s *Server) listOrganizations(c echo.Context) error {
	limit, offset, err := listPage(c)
	if err != nil {
		return err
	}
	list, err := s.svc.ListOrganizations(c.Request().Context(), principal(c))
	if err != nil {
		return err
	}
	page, more := pageOf(list, limit, offset)
	out := make([]organizationJSON, len(page))
	for i, o := range page {
		out[i] = toOrganizationJSON(o)
	}
	return c.JSON(http.StatusOK, listBody("organizations", out, len(out), limit, offset, more))
}

func (s *Server) getOrganization(c echo.Context) error {
	o, err := s.svc.GetOrganization(c.Request().Context(), principal(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"ok": true, "organization": toOrganizationJSON(o)})
}

func (s *Server) updateOrganization(c echo.Context) error {
	var req organizationRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if err := required("name", req.Name); err != nil {
		return err
	}
	o, err := s.svc.RenameOrganization(c.Request().Context(), principal(c), c.Param("id"), req.Name)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"ok": true, "organization": toOrganizationJSON(o)})
}

func (s *Server) deleteOrganization(c echo.Context) error {
	o, err := s.svc.DeleteOrganization(c.Request().Context(), principal(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"ok": true, "organization": toOrganizationJSON(o)})
}

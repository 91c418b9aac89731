package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/hotdata-dev/hotdata/metastore"
	"github.com/hotdata-dev/hotdata/workspace"
)

// Members of an organization and their roles (ours).

type memberJSON struct {
	ID             string `json:"id"`
	OrganizationID string `json:"organization_id"`
	Name           string `json:"name"`
	Email          string `json:"email"`
	Role           string `json:"role"`
	CreatedAt      string `json:"created_at"`
}

func toMemberJSON(m metastore.Member) memberJSON {
	return memberJSON{ID: m.ID, OrganizationID: m.OrgID, Name: m.Name, Email: m.Email, Role: string(m.Role), CreatedAt: rfc3339(m.CreatedAt)}
}

type inviteRequest struct {
	Name  string `json:"name"`
	Email string `json:"email"`
	Role  string `json:"role"`
}

func (s *Server) inviteMember(c echo.Context) error {
	var req inviteRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if req.Name == "" && req.Email == "" {
		return errBadRequest("MISSING_FIELD", `field "email" or "name" is required`)
	}
	if err := required("role", req.Role); err != nil {
		return err
	}
	out, err := s.svc.InviteMember(c.Request().Context(), principal(c), c.Param("id"), workspace.Invite{Name: req.Name, Email: req.Email, Role: req.Role})
	if err != nil {
		return err
	}
	c.Response().Header().Set("Location", "/v1/organizations/"+out.Member.OrgID+"/members/"+out.Member.ID)
	return c.JSON(http.StatusCreated, map[string]any{"ok": true, "member": toMemberJSON(out.Member), "token": toTokenJSON(out.Token, out.TokenText)})
}

func (s *Server) listMembers(c echo.Context) error {
	limit, offset, err := listPage(c)
	if err != nil {
		return err
	}
	list, err := s.svc.ListMembers(c.Request().Context(), principal(c), c.Param("id"))
	if err != nil {
		return err
	}
	page, more := pageOf(list, limit, offset)
	out := make([]memberJSON, len(page))
	for i, m := range page {
		out[i] = toMemberJSON(m)
	}
	return c.JSON(http.StatusOK, listBody("members", out, len(out), limit, offset, more))
}

func (s *Server) getMember(c echo.Context) error {
	m, err := s.svc.GetMember(c.Request().Context(), principal(c), c.Param("id"), c.Param("member_id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"ok": true, "member": toMemberJSON(m)})
}

type memberUpdateRequest struct {
	Role string `json:"role"`
}

func (s *Server) updateMember(c echo.Context) error {
	var req memberUpdateRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if err := required("role", req.Role); err != nil {
		return err
	}
	m, err := s.svc.SetMemberRole(c.Request().Context(), principal(c), c.Param("id"), c.Param("member_id"), req.Role)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"ok": true, "member": toMemberJSON(m)})
}

func (s *Server) removeMember(c echo.Context) error {
	m, err := s.svc.RemoveMember(c.Request().Context(), principal(c), c.Param("id"), c.Param("member_id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"ok": true, "member": toMemberJSON(m)})
}

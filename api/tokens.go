package api

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/hotdata-dev/hotdata/metastore"
	"github.com/hotdata-dev/hotdata/workspace"
)

// API tokens of the caller (ours). The token text is in the answer that
// makes it, and nowhere else ever.

type tokenJSON struct {
	ID          string  `json:"id"`
	Token       string  `json:"token,omitempty"`
	Name        string  `json:"name"`
	Prefix      string  `json:"prefix"`
	WorkspaceID *string `json:"workspace_id"`
	Status      string  `json:"status"`
	CreatedAt   string  `json:"created_at"`
	LastUsedAt  *string `json:"last_used_at"`
	ExpiresAt   *string `json:"expires_at"`
	RevokedAt   *string `json:"revoked_at"`
}

// toTokenJSON renders a token; text is its secret text, given only when
// the token was just made.
func toTokenJSON(t metastore.Token, text string) tokenJSON {
	out := tokenJSON{ID: t.ID, Token: text, Name: t.Name, Prefix: t.Prefix, Status: workspace.TokenStatus(t, time.Now()),
		CreatedAt: rfc3339(t.CreatedAt), LastUsedAt: timePtr(t.LastUsedAt), ExpiresAt: timePtr(t.ExpiresAt), RevokedAt: timePtr(t.RevokedAt)}
	if t.WorkspaceID != "" {
		out.WorkspaceID = &t.WorkspaceID
	}
	return out
}

type tokenRequest struct {
	Name        string `json:"name"`
	WorkspaceID string `json:"workspace_id"`
	ExpiresAt   string `json:"expires_at"`
}

func (s *Server) createToken(c echo.Context) error {
	var req tokenRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	tr := workspace.TokenRequest{Name: req.Name, Workspace: req.WorkspaceID}
	if req.ExpiresAt != "" {
		t, err := time.Parse(time.RFC3339, req.ExpiresAt)
		if err != nil {
			return errBadRequest("INVALID_ARGUMENT", `field "expires_at" must be an RFC 3339 time, e.g. 2027-01-31T00:00:00Z`)
		}
		tr.ExpiresAt = &t
	}
	tok, text, err := s.svc.CreateToken(c.Request().Context(), principal(c), tr)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Location", "/v1/tokens/"+tok.ID)
	return c.JSON(http.StatusCreated, map[string]any{"ok": true, "token": toTokenJSON(tok, text)})
}

func (s *Server) listTokens(c echo.Context) error {
	limit, offset, err := listPage(c)
	if err != nil {
		return err
	}
	list, err := s.svc.ListTokens(c.Request().Context(), principal(c))
	if err != nil {
		return err
	}
	page, more := pageOf(list, limit, offset)
	out := make([]tokenJSON, len(page))
	for i, t := range page {
		out[i] = toTokenJSON(t, "")
	}
	return c.JSON(http.StatusOK, listBody("tokens", out, len(out), limit, offset, more))
}

func (s *Server) getToken(c echo.Context) error {
	t, err := s.svc.GetToken(c.Request().Context(), principal(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"ok": true, "token": toTokenJSON(t, "")})
}

func (s *Server) revokeToken(c echo.Context) error {
	t, err := s.svc.RevokeToken(c.Request().Context(), principal(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"ok": true, "token": toTokenJSON(t, "")})
}

// whoami answers who the caller is: its token (without the text), its
// member and its organization. The hotdata CLI's login and whoami use it.
func (s *Server) whoami(c echo.Context) error {
	p := principal(c)
	o, err := s.svc.GetOrganization(c.Request().Context(), p, p.Member.OrgID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"ok": true, "token": toTokenJSON(p.Token, ""),
		"member": toMemberJSON(p.Member), "organization": toOrganizationJSON(o)})
}

package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/hotdata-dev/hotdata/metastore"
)

// Secrets: metadata only; no answer ever holds a value.

type secretJSON struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	CreatedAt string `json:"created_at"`
	UpdatedAt string `json:"updated_at"`
}

func toSecretJSON(x metastore.Secret) secretJSON {
	return secretJSON{ID: x.ID, Name: x.Name, CreatedAt: rfc3339(x.CreatedAt), UpdatedAt: rfc3339(x.UpdatedAt)}
}

type createSecretRequest struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

func (s *Server) createSecret(c echo.Context) error {
	var req createSecretRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if err := required("name", req.Name); err != nil {
		return err
	}
	if err := required("value", req.Value); err != nil {
		return err
	}
	sec, err := s.svc.CreateSecret(c.Request().Context(), principal(c), workspaceOf(c), req.Name, req.Value)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, map[string]any{"id": sec.ID, "name": sec.Name, "created_at": rfc3339(sec.CreatedAt)})
}

func (s *Server) listSecrets(c echo.Context) error {
	limit, offset, err := listPage(c)
	if err != nil {
		return err
	}
	list, err := s.svc.ListSecrets(c.Request().Context(), principal(c), workspaceOf(c))
	if err != nil {
		return err
	}
	page, more := pageOf(list, limit, offset)
	out := make([]secretJSON, len(page))
	for i, x := range page {
		out[i] = toSecretJSON(x)
	}
	return c.JSON(http.StatusOK, listBody("secrets", out, len(out), limit, offset, more))
}

func (s *Server) getSecret(c echo.Context) error {
	sec, err := s.svc.GetSecret(c.Request().Context(), principal(c), workspaceOf(c), c.Param("name"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toSecretJSON(sec))
}

type rotateSecretRequest struct {
	Value string `json:"value"`
}

func (s *Server) rotateSecret(c echo.Context) error {
	var req rotateSecretRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if err := required("value", req.Value); err != nil {
		return err
	}
	sec, err := s.svc.RotateSecret(c.Request().Context(), principal(c), workspaceOf(c), c.Param("name"), req.Value)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toSecretJSON(sec))
}

func (s *Server) deleteSecret(c echo.Context) error {
	out, err := s.svc.DeleteSecret(c.Request().Context(), principal(c), workspaceOf(c), c.Param("name"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"ok": true, "id": out.Secret.ID, "name": out.Secret.Name, "connections_affected": out.Connections})
}

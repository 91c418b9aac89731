package api

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/hotdata-dev/hotdata/metastore"
	"github.com/hotdata-dev/hotdata/workspace"
)

func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }

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

func (s *Server) listWorkspaces(c echo.Context) error {
	p := principal(c)
	list, err := s.svc.Store().ListWorkspaces(c.Request().Context(), p.Member.OrgID)
	if err != nil {
		return err
	}
	out := make([]workspaceJSON, 0, len(list))
	for _, w := range list {
		if p.Token.WorkspaceID != "" && p.Token.WorkspaceID != w.ID {
			continue
		}
		out = append(out, toWorkspaceJSON(w))
	}
	return c.JSON(http.StatusOK, map[string]any{"ok": true, "workspaces": out})
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

type createConnectionRequest struct {
	Name          string          `json:"name"`
	SourceType    string          `json:"source_type"`
	Config        json.RawMessage `json:"config"`
	SecretName    string          `json:"secret_name"`
	SecretID      string          `json:"secret_id"`
	SkipDiscovery bool            `json:"skip_discovery"`
}

type connectionCreatedJSON struct {
	ID               string `json:"id"`
	Name             string `json:"name"`
	SourceType       string `json:"source_type"`
	TablesDiscovered int    `json:"tables_discovered"`
	DiscoveryStatus  string `json:"discovery_status"`
	DiscoveryError   string `json:"discovery_error,omitempty"`
}

func (s *Server) createConnection(c echo.Context) error {
	var req createConnectionRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if err := required("name", req.Name); err != nil {
		return err
	}
	if err := required("source_type", req.SourceType); err != nil {
		return err
	}
	if len(req.Config) == 0 || string(req.Config) == "null" {
		return errBadRequest("MISSING_FIELD", `field "config" is required`)
	}
	out, err := s.svc.CreateConnection(c.Request().Context(), principal(c), workspaceOf(c), workspace.CreateConnectionRequest{
		Name: req.Name, SourceType: req.SourceType, Config: req.Config, SecretName: req.SecretName, SecretID: req.SecretID, SkipDiscovery: req.SkipDiscovery,
	})
	if err != nil {
		return err
	}
	conn := out.Connection
	return c.JSON(http.StatusCreated, connectionCreatedJSON{ID: conn.ID, Name: conn.Name, SourceType: conn.SourceType,
		TablesDiscovered: out.TablesDiscovered, DiscoveryStatus: conn.DiscoveryStatus, DiscoveryError: conn.DiscoveryError})
}

type columnJSON struct {
	Name     string `json:"name"`
	DataType string `json:"data_type"`
	Nullable bool   `json:"nullable"`
}

type tableJSON struct {
	ConnectionID string       `json:"connection_id"`
	Connection   string       `json:"connection"`
	Schema       string       `json:"schema"`
	Table        string       `json:"table"`
	Synced       bool         `json:"synced"`
	LastSync     *string      `json:"last_sync"`
	Columns      []columnJSON `json:"columns,omitempty"`
}

// Paging defaults of list endpoints.
const (
	defaultLimit = 100
	maxLimit     = 1000
)

// paging reads limit and offset (or an opaque cursor that encodes one).
func paging(c echo.Context) (limit, offset int, err error) {
	limit = defaultLimit
	if v := c.QueryParam("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxLimit {
			return 0, 0, errBadRequest("INVALID_ARGUMENT", "limit must be a whole number from 1 to 1000")
		}
		limit = n
	}
	if v := c.QueryParam("cursor"); v != "" {
		raw, err := base64.RawURLEncoding.DecodeString(v)
		n, aerr := strconv.Atoi(string(raw))
		if err != nil || aerr != nil || n < 0 {
			return 0, 0, errBadRequest("INVALID_ARGUMENT", "cursor is not valid: pass the next_cursor of the previous page unchanged")
		}
		offset = n
	} else if v := c.QueryParam("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return 0, 0, errBadRequest("INVALID_ARGUMENT", "offset must be a whole number, 0 or more")
		}
		offset = n
	}
	return limit, offset, nil
}

func nextCursor(offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.Itoa(offset)))
}

func (s *Server) informationSchema(c echo.Context) error {
	q, err := queryParams(c, "connection_id", "schema", "table", "include_columns", "limit", "offset", "cursor")
	if err != nil {
		return err
	}
	limit, offset, err := paging(c)
	if err != nil {
		return err
	}
	includeColumns := false
	if v := q.Get("include_columns"); v != "" {
		if includeColumns, err = strconv.ParseBool(v); err != nil {
			return errBadRequest("INVALID_ARGUMENT", "include_columns must be true or false")
		}
	}
	tables, hasMore, err := s.svc.InformationSchema(c.Request().Context(), principal(c), workspaceOf(c), workspace.InfoFilter{
		Connection: q.Get("connection_id"), Schema: q.Get("schema"), Table: q.Get("table"), Limit: limit, Offset: offset,
	})
	if err != nil {
		return err
	}
	out := make([]tableJSON, len(tables))
	for i, t := range tables {
		tj := tableJSON{ConnectionID: t.ConnectionID, Connection: t.Connection, Schema: t.Schema, Table: t.Table, Synced: t.Synced}
		if t.LastSync != nil {
			ls := rfc3339(*t.LastSync)
			tj.LastSync = &ls
		}
		if includeColumns {
			tj.Columns = make([]columnJSON, len(t.Columns))
			for j, col := range t.Columns {
				tj.Columns[j] = columnJSON{Name: col.Name, DataType: col.DataType, Nullable: col.Nullable}
			}
		}
		out[i] = tj
	}
	resp := map[string]any{"tables": out, "count": len(out), "limit": limit, "has_more": hasMore, "next_cursor": nil}
	if hasMore {
		resp["next_cursor"] = nextCursor(offset + len(out))
	}
	return c.JSON(http.StatusOK, resp)
}

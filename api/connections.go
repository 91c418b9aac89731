package api

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/hotdata-dev/hotdata/connectors"
	"github.com/hotdata-dev/hotdata/workspace"
)

// Connections and the source types they can have.

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
	if err := req.check(); err != nil {
		return err
	}
	out, err := s.svc.CreateConnection(c.Request().Context(), principal(c), workspaceOf(c), req.service())
	if err != nil {
		return err
	}
	conn := out.Connection
	return c.JSON(http.StatusCreated, connectionCreatedJSON{ID: conn.ID, Name: conn.Name, SourceType: conn.SourceType,
		TablesDiscovered: out.TablesDiscovered, DiscoveryStatus: conn.DiscoveryStatus, DiscoveryError: conn.DiscoveryError})
}

// testConnection checks a connection as createConnection would make it,
// and whether its source answers, storing nothing.
func (s *Server) testConnection(c echo.Context) error {
	var req createConnectionRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if err := req.check(); err != nil {
		return err
	}
	h, err := s.svc.TestConnection(c.Request().Context(), principal(c), workspaceOf(c), req.service())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, healthJSON(h))
}

func (req createConnectionRequest) service() workspace.CreateConnectionRequest {
	return workspace.CreateConnectionRequest{Name: req.Name, SourceType: req.SourceType, Config: req.Config,
		SecretName: req.SecretName, SecretID: req.SecretID, SkipDiscovery: req.SkipDiscovery}
}

// check checks the fields every connection request needs.
func (req createConnectionRequest) check() error {
	if err := required("source_type", req.SourceType); err != nil {
		return err
	}
	if len(req.Config) == 0 || string(req.Config) == "null" {
		return errBadRequest("MISSING_FIELD", `field "config" is required`)
	}
	if req.Config[0] != '{' { // json.RawMessage takes any JSON value
		return errBadRequest("INVALID_JSON", fmt.Sprintf(`field "config" must be an object, not %s`, jsonValueKind(req.Config)))
	}
	return nil
}

// jsonValueKind names the kind of a JSON value (the decoder trims it).
func jsonValueKind(v json.RawMessage) string {
	switch v[0] {
	case '"':
		return "a string"
	case '[':
		return "an array"
	case 't', 'f':
		return "a boolean"
	}
	return "a number"
}

type connectionJSON struct {
	ID              string          `json:"id"`
	Name            string          `json:"name"`
	SourceType      string          `json:"source_type"`
	Config          json.RawMessage `json:"config"`
	SecretName      *string         `json:"secret_name"`
	SecretMissing   bool            `json:"secret_missing"`
	DiscoveryStatus string          `json:"discovery_status"`
	DiscoveryError  string          `json:"discovery_error,omitempty"`
	DiscoveredAt    *string         `json:"discovered_at"`
	TableCount      int             `json:"table_count"`
	SyncedTables    int             `json:"synced_table_count"`
	CreatedAt       string          `json:"created_at"`
	UpdatedAt       string          `json:"updated_at"`
}

func toConnectionJSON(ci workspace.ConnectionInfo) connectionJSON {
	out := connectionJSON{ID: ci.ID, Name: ci.Name, SourceType: ci.SourceType, Config: ci.Config, SecretMissing: ci.SecretMissing,
		DiscoveryStatus: ci.DiscoveryStatus, DiscoveryError: ci.DiscoveryError, DiscoveredAt: timePtr(ci.DiscoveredAt),
		TableCount: ci.Tables, SyncedTables: ci.Synced, CreatedAt: rfc3339(ci.CreatedAt), UpdatedAt: rfc3339(ci.UpdatedAt)}
	if len(out.Config) == 0 {
		out.Config = json.RawMessage("{}")
	}
	if ci.SecretName != "" {
		out.SecretName = &ci.SecretName
	}
	return out
}

func (s *Server) listConnections(c echo.Context) error {
	limit, offset, err := listPage(c)
	if err != nil {
		return err
	}
	list, err := s.svc.ListConnections(c.Request().Context(), principal(c), workspaceOf(c))
	if err != nil {
		return err
	}
	page, more := pageOf(list, limit, offset)
	out := make([]connectionJSON, len(page))
	for i, ci := range page {
		out[i] = toConnectionJSON(ci)
	}
	return c.JSON(http.StatusOK, listBody("connections", out, len(out), limit, offset, more))
}

type connectionTableJSON struct {
	Schema   string  `json:"schema"`
	Table    string  `json:"table"`
	Synced   bool    `json:"synced"`
	LastSync *string `json:"last_sync"`
	Refresh  string  `json:"refresh"`
}

func (s *Server) getConnection(c echo.Context) error {
	ci, tables, err := s.svc.GetConnection(c.Request().Context(), principal(c), workspaceOf(c), c.Param("id"))
	if err != nil {
		return err
	}
	ts := make([]connectionTableJSON, len(tables))
	for i, t := range tables {
		ts[i] = connectionTableJSON{Schema: t.Schema, Table: t.Name, Synced: t.CurrentSnapshotID != "", LastSync: timePtr(t.LastSyncAt), Refresh: t.Refresh}
	}
	return c.JSON(http.StatusOK, struct {
		connectionJSON
		Tables []connectionTableJSON `json:"tables"`
	}{toConnectionJSON(ci), ts})
}

func (s *Server) deleteConnection(c echo.Context) error {
	out, err := s.svc.DeleteConnection(c.Request().Context(), principal(c), workspaceOf(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"ok": true, "id": out.Connection.ID, "name": out.Connection.Name,
		"tables_removed": out.Tables, "snapshots_retired": out.Snapshots})
}

type connectionTypeJSON struct {
	Name         string          `json:"name"`
	Label        string          `json:"label"`
	ConfigSchema json.RawMessage `json:"config_schema"`
	Auth         authJSON        `json:"auth"`
}

// authJSON says how a source type authenticates: "password", "token" or
// "service_account_key" (a Google service account key's JSON)
// (kept in a secret: secret_name/secret_id, or config.<secret_field>
// which is moved into one), or "none".
type authJSON struct {
	Type        string  `json:"type"`
	SecretField *string `json:"secret_field"`
}

func toConnectionTypeJSON(t connectors.Type) connectionTypeJSON {
	out := connectionTypeJSON{Name: t.Name, Label: t.Label, ConfigSchema: t.ConfigSchema, Auth: authJSON{Type: "none"}}
	if len(out.ConfigSchema) == 0 {
		out.ConfigSchema = json.RawMessage("{}")
	}
	if t.SecretField != "" {
		f := t.SecretField
		out.Auth = authJSON{Type: "password", SecretField: &f}
		switch f {
		case "token":
			out.Auth.Type = "token"
		case "credentials_json":
			out.Auth.Type = "service_account_key"
		}
	}
	return out
}

func (s *Server) listConnectionTypes(c echo.Context) error {
	if _, err := queryParams(c); err != nil {
		return err
	}
	types, err := s.svc.ConnectionTypes(principal(c))
	if err != nil {
		return err
	}
	out := make([]connectionTypeJSON, len(types))
	for i, t := range types {
		out[i] = toConnectionTypeJSON(t)
	}
	return c.JSON(http.StatusOK, map[string]any{"ok": true, "connection_types": out, "count": len(out)})
}

func (s *Server) getConnectionType(c echo.Context) error {
	t, err := s.svc.ConnectionType(principal(c), c.Param("name"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toConnectionTypeJSON(t))
}

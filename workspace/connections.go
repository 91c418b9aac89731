package workspace

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/hotdata-dev/hotdata/connectors"
	"github.com/hotdata-dev/hotdata/metastore"
)

// namePattern is the rule for connection and dataset names: they are SQL
// identifiers that never need quoting.
var namePattern = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// reservedNames would collide with the engine's own catalogs or Hotdata's.
var reservedNames = map[string]bool{
	"datasets": true, "main": true, "system": true, "temp": true, "memory": true,
	"information_schema": true, "pg_catalog": true, "hotdata": true,
}

// CreateConnectionRequest registers an upstream source.
type CreateConnectionRequest struct {
	Name       string
	SourceType string
	// Config is the source's configuration; a password/token field in it
	// (the type's SecretField) is moved into a new secret.
	Config        json.RawMessage
	SecretName    string
	SecretID      string
	SkipDiscovery bool
}

// ConnectionCreated is the outcome of CreateConnection.
type ConnectionCreated struct {
	Connection       metastore.Connection
	TablesDiscovered int
}

// CreateConnection validates and stores a connection, then discovers its
// tables unless asked not to. An unreachable upstream does not fail the
// call: the connection is stored with discovery_status "failed" and the
// upstream's error text.
func (s *Service) CreateConnection(ctx context.Context, p metastore.Principal, ws metastore.Workspace, req CreateConnectionRequest) (ConnectionCreated, error) {
	var out ConnectionCreated
	if err := requireRole(p, metastore.RoleMember, "creating a connection"); err != nil {
		return out, err
	}
	if !namePattern.MatchString(req.Name) {
		return out, invalid("name %q is not valid: use 1 to 63 lower-case letters, digits and underscores, not starting with a digit", req.Name)
	}
	if reservedNames[req.Name] {
		return out, invalid("name %q is reserved: choose another connection name", req.Name)
	}
	typ, ok := s.registry.Get(req.SourceType)
	if !ok {
		names := ""
		for i, t := range s.registry.Types() {
			if i > 0 {
				names += ", "
			}
			names += t.Name
		}
		return out, invalid("source_type %q is not supported; supported types: %s", req.SourceType, names)
	}
	if req.SecretID != "" && req.SecretName != "" {
		return out, invalid("give secret_id or secret_name, not both")
	}
	config, inlineSecret, err := extractSecret(req.Config, typ.SecretField)
	if err != nil {
		return out, newError(KindUnprocessable, "INVALID_CONFIG", "config: %v", err)
	}
	if inlineSecret != "" && (req.SecretID != "" || req.SecretName != "") {
		return out, invalid("config.%s and a secret reference were both given: use one", typ.SecretField)
	}
	secretRef := req.SecretID
	if secretRef == "" {
		secretRef = req.SecretName
	}
	secretValue := inlineSecret
	secretID := ""
	if secretRef != "" {
		sec, err := s.store.GetSecret(ctx, ws.ID, secretRef)
		if errors.Is(err, metastore.ErrNotFound) {
			return out, newError(KindUnprocessable, "SECRET_NOT_FOUND", "secret %q does not exist in this workspace: create it with POST /v1/secrets first", secretRef)
		}
		if err != nil {
			return out, err
		}
		v, err := s.store.SecretValue(ctx, ws.ID, sec.ID)
		if err != nil {
			return out, err
		}
		secretValue, secretID = string(v), sec.ID
	}
	// Opening validates the config without contacting the source.
	conn, err := typ.Open(ctx, config, secretValue)
	if errors.Is(err, connectors.ErrInvalidConfig) {
		return out, &Error{Kind: KindUnprocessable, Code: "INVALID_CONFIG", Message: err.Error(), Err: err}
	}
	if err != nil {
		return out, err
	}
	defer conn.Close()
	if _, err := s.store.GetConnection(ctx, ws.ID, req.Name); err == nil {
		return out, conflict("a connection named %q already exists in this workspace", req.Name)
	}
	var createdSecret string
	if inlineSecret != "" {
		sec, err := s.createAutoSecret(ctx, ws.ID, req.Name+"_"+typ.SecretField, inlineSecret)
		if err != nil {
			return out, err
		}
		secretID, createdSecret = sec.ID, sec.ID
	}
	c, err := s.store.CreateConnection(ctx, ws.ID, req.Name, req.SourceType, config, secretID)
	if err != nil {
		if createdSecret != "" {
			_ = s.store.DeleteSecret(context.WithoutCancel(ctx), ws.ID, createdSecret)
		}
		if errors.Is(err, metastore.ErrConflict) {
			return out, conflict("a connection named %q already exists in this workspace", req.Name)
		}
		return out, err
	}
	s.invalidateCatalog(ws.ID)
	out.Connection = c
	if req.SkipDiscovery {
		if err := s.store.SetDiscovery(ctx, c.ID, metastore.DiscoverySkipped, ""); err != nil {
			return out, err
		}
		out.Connection.DiscoveryStatus = metastore.DiscoverySkipped
		return out, nil
	}
	n, err := s.discover(ctx, c, conn)
	out.TablesDiscovered = n
	out.Connection, _ = s.store.GetConnection(ctx, ws.ID, c.ID)
	return out, err
}

// createAutoSecret stores a secret under name, or name_2, name_3, … when
// taken.
func (s *Service) createAutoSecret(ctx context.Context, wsID, name, value string) (metastore.Secret, error) {
	for i := 1; ; i++ {
		n := name
		if i > 1 {
			n = fmt.Sprintf("%s_%d", name, i)
		}
		sec, err := s.store.CreateSecret(ctx, wsID, n, []byte(value))
		if errors.Is(err, metastore.ErrConflict) && i < 100 {
			continue
		}
		return sec, err
	}
}

// discover runs schema discovery and records its outcome; a failure of the
// upstream is recorded, not returned.
func (s *Service) discover(ctx context.Context, c metastore.Connection, conn connectors.Connector) (int, error) {
	dctx, cancel := context.WithTimeout(ctx, s.cfg.DiscoveryTimeout)
	defer cancel()
	tables, err := conn.Discover(dctx)
	if err != nil {
		s.log.Info("discovery failed", "connection", c.ID, "err", err)
		return 0, s.store.SetDiscovery(ctx, c.ID, metastore.DiscoveryFailed, err.Error())
	}
	if _, err := s.store.ApplyDiscovery(ctx, c, discovered(tables)); err != nil {
		return 0, err
	}
	s.invalidateCatalog(c.WorkspaceID)
	return len(tables), s.store.SetDiscovery(ctx, c.ID, metastore.DiscoverySucceeded, "")
}

// discovered turns a connector's tables into metastore records.
func discovered(tables []connectors.Table) []metastore.DiscoveredTable {
	found := make([]metastore.DiscoveredTable, len(tables))
	for i, t := range tables {
		cols := make([]metastore.Column, len(t.Columns))
		for j, col := range t.Columns {
			cols[j] = metastore.Column{Name: col.Name, DataType: col.DataType, Nullable: col.Nullable, TypeOID: col.TypeOID}
		}
		found[i] = metastore.DiscoveredTable{Schema: t.Schema, Name: t.Name, Columns: cols, PrimaryKey: t.PrimaryKey, RowEstimate: t.RowEstimate}
	}
	return found
}

// extractSecret removes field from a JSON config object and returns the
// rest and the field's string value.
func extractSecret(config json.RawMessage, field string) (json.RawMessage, string, error) {
	if len(bytes.TrimSpace(config)) == 0 {
		return nil, "", errors.New("config is required")
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(config, &m); err != nil {
		return nil, "", fmt.Errorf("must be a JSON object: %v", err)
	}
	raw, ok := m[field]
	if field == "" || !ok {
		return config, "", nil
	}
	var v string
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, "", fmt.Errorf("%s must be a string", field)
	}
	delete(m, field)
	out, err := json.Marshal(m)
	return out, v, err
}

// TableInfo is one row of the information_schema listing.
type TableInfo struct {
	ConnectionID string
	Connection   string
	Schema       string
	Table        string
	Synced       bool
	LastSync     *time.Time
	Columns      []metastore.Column
}

// InfoFilter selects tables for InformationSchema.
type InfoFilter struct {
	Connection string // id or name
	Schema     string // % wildcards
	Table      string // % wildcards
	Limit      int
	Offset     int
}

// InformationSchema lists the tables the workspace can query from the
// stored schema, without touching any upstream. hasMore says whether
// another page follows.
func (s *Service) InformationSchema(ctx context.Context, p metastore.Principal, ws metastore.Workspace, f InfoFilter) ([]TableInfo, bool, error) {
	if err := requireRole(p, metastore.RoleViewer, "reading the schema"); err != nil {
		return nil, false, err
	}
	if f.Connection != "" {
		if _, err := s.store.GetConnection(ctx, ws.ID, f.Connection); errors.Is(err, metastore.ErrNotFound) {
			return nil, false, notFound("connection", f.Connection)
		} else if err != nil {
			return nil, false, err
		}
	}
	tables, err := s.store.ListTables(ctx, metastore.TableFilter{WorkspaceID: ws.ID, ConnectionID: f.Connection, Schema: f.Schema, Name: f.Table,
		Limit: f.Limit + 1, Offset: f.Offset})
	if err != nil {
		return nil, false, err
	}
	hasMore := len(tables) > f.Limit
	if hasMore {
		tables = tables[:f.Limit]
	}
	out := make([]TableInfo, len(tables))
	for i, t := range tables {
		out[i] = TableInfo{ConnectionID: t.ConnectionID, Connection: t.ConnectionName, Schema: t.Schema, Table: t.Name,
			Synced: t.CurrentSnapshotID != "", LastSync: t.LastSyncAt, Columns: t.Columns}
	}
	return out, hasMore, nil
}

// CreateSecret stores a secret in the workspace.
func (s *Service) CreateSecret(ctx context.Context, p metastore.Principal, ws metastore.Workspace, name, value string) (metastore.Secret, error) {
	if err := requireRole(p, metastore.RoleAdmin, "managing secrets"); err != nil {
		return metastore.Secret{}, err
	}
	if !secretNamePattern.MatchString(name) {
		return metastore.Secret{}, invalid("name %q is not valid: use 1 to 128 letters, digits, '_', '-' or '.', starting with a letter or '_'", name)
	}
	if value == "" {
		return metastore.Secret{}, invalid("value must not be empty")
	}
	if len(value) > maxSecretBytes {
		return metastore.Secret{}, invalid("value is %d bytes; secrets hold at most %d", len(value), maxSecretBytes)
	}
	sec, err := s.store.CreateSecret(ctx, ws.ID, name, []byte(value))
	if errors.Is(err, metastore.ErrConflict) {
		return sec, conflict("a secret named %q already exists in this workspace: choose another name", name)
	}
	return sec, err
}

var secretNamePattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.-]{0,127}$`)

const maxSecretBytes = 64 << 10

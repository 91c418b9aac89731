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
	nc, err := s.openNew(ctx, p, ws, req, "creating a connection")
	if err != nil {
		return out, err
	}
	conn, typ, config, inlineSecret, secretID := nc.conn, nc.typ, nc.config, nc.inlineSecret, nc.secretID
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
	n, err := s.discover(ctx, p, c, conn)
	out.TablesDiscovered = n
	out.Connection, _ = s.store.GetConnection(ctx, ws.ID, c.ID)
	return out, err
}

// newConnection is a connection checked and opened (not yet stored):
// its type, config without the inline secret, and the secret.
type newConnection struct {
	conn         connectors.Connector
	typ          connectors.Type
	config       json.RawMessage
	inlineSecret string
	secretID     string
}

// openNew checks a new connection's name, type, config, egress and
// secret (and that p may use that secret there), and opens it without
// contacting the source. The caller closes out.conn.
func (s *Service) openNew(ctx context.Context, p metastore.Principal, ws metastore.Workspace, req CreateConnectionRequest, doing string) (newConnection, error) {
	var out newConnection
	if err := requireRole(p, metastore.RoleMember, doing); err != nil {
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
	// The endpoint must be one the egress policy allows, and one the
	// secret may be sent to (egress.go).
	endpoint := ""
	if typ.Endpoint != nil {
		endpoint, err = typ.Endpoint(config)
		if errors.Is(err, connectors.ErrInvalidConfig) {
			return out, &Error{Kind: KindUnprocessable, Code: "INVALID_CONFIG", Message: err.Error(), Err: err}
		}
		if err != nil {
			return out, err
		}
		if err := s.checkEgress(ctx, endpoint); err != nil {
			return out, err
		}
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
		if err := s.checkSecretBinding(ctx, p, ws, sec, req.SourceType, config, endpoint); err != nil {
			return out, err
		}
		v, err := s.store.SecretValue(ctx, ws.ID, sec.ID)
		if err != nil {
			return out, err
		}
		secretValue, secretID = string(v), sec.ID
	}
	// Opening validates the config without contacting the source.
	conn, err := typ.Open(ctx, config, secretValue, s.connectorEnv())
	if errors.Is(err, connectors.ErrInvalidConfig) {
		return out, &Error{Kind: KindUnprocessable, Code: "INVALID_CONFIG", Message: err.Error(), Err: err}
	}
	if err != nil {
		return out, err
	}
	out.conn, out.typ, out.config, out.inlineSecret, out.secretID = conn, typ, config, inlineSecret, secretID
	return out, nil
}

// TestConnection checks a connection as CreateConnection would make it
// and whether its source answers, without storing anything: the
// console's "test connection".
func (s *Service) TestConnection(ctx context.Context, p metastore.Principal, ws metastore.Workspace, req CreateConnectionRequest) (Health, error) {
	if req.Name == "" {
		req.Name = "test" // only its form is checked
	}
	nc, err := s.openNew(ctx, p, ws, req, "testing a connection")
	if err != nil {
		return Health{}, err
	}
	defer nc.conn.Close()
	tctx, cancel := context.WithTimeout(ctx, s.cfg.DiscoveryTimeout)
	defer cancel()
	d, err := connectors.Health(tctx, nc.conn)
	if err != nil {
		return Health{Latency: d, Error: upstreamErrorText(p, err)}, nil
	}
	return Health{Healthy: true, Latency: d}, nil
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
// The error recorded is as p may read it (upstreamErrorText): what
// answered at the address shows to admins and in the log only.
func (s *Service) discover(ctx context.Context, p metastore.Principal, c metastore.Connection, conn connectors.Connector) (int, error) {
	dctx, cancel := context.WithTimeout(ctx, s.cfg.DiscoveryTimeout)
	defer cancel()
	tables, err := conn.Discover(dctx)
	if err != nil {
		s.log.Info("discovery failed", "connection", c.ID, "err", connectors.Detail(err))
		return 0, s.store.SetDiscovery(ctx, c.ID, metastore.DiscoveryFailed, upstreamErrorText(p, err))
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
		found[i] = metastore.DiscoveredTable{Schema: t.Schema, Name: t.Name, Columns: cols, PrimaryKey: t.PrimaryKey,
			PrimaryKeyName: t.PrimaryKeyName, RowEstimate: t.RowEstimate}
		for _, ix := range t.Indexes {
			mi := metastore.Index{Name: ix.Name, Method: ix.Method, Unique: ix.Unique, Constraint: ix.Constraint, KeyColumns: ix.KeyColumns,
				Definition: ix.Definition, PrettyDefinition: ix.PrettyDefinition, Predicate: ix.Predicate, PrettyPredicate: ix.PrettyPredicate}
			for _, c := range ix.Columns {
				mi.Columns = append(mi.Columns, metastore.IndexColumn(c))
			}
			found[i].Indexes = append(found[i].Indexes, mi)
		}
		for _, fk := range t.ForeignKeys {
			found[i].ForeignKeys = append(found[i].ForeignKeys, metastore.ForeignKey(fk))
		}
		for _, u := range t.UserTypes {
			mu := metastore.UserType{OID: u.OID, ArrayOID: u.ArrayOID, Schema: u.Schema, Name: u.Name, Kind: u.Kind, Typlen: u.Typlen,
				Labels: u.Labels, BaseOID: u.BaseOID, BaseTypmod: u.BaseTypmod, BaseType: u.BaseType, NotNull: u.NotNull, Checks: u.Checks}
			for _, f := range u.Fields {
				mu.Fields = append(mu.Fields, metastore.Column{Name: f.Name, DataType: f.DataType, Nullable: f.Nullable, TypeOID: f.TypeOID})
			}
			found[i].UserTypes = append(found[i].UserTypes, mu)
		}
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

// ConnectionInfo is a connection with what the listing shows about it.
type ConnectionInfo struct {
	metastore.Connection
	// SecretName names its secret ("" when it has none); when the secret
	// was deleted it is the deleted secret's name and SecretMissing is set.
	SecretName    string
	SecretMissing bool
	// Tables counts its tables that are present upstream; Synced those
	// with a cached snapshot.
	Tables int
	Synced int
}

// ListConnections returns the workspace's connections by name.
func (s *Service) ListConnections(ctx context.Context, p metastore.Principal, ws metastore.Workspace) ([]ConnectionInfo, error) {
	if err := requireRole(p, metastore.RoleViewer, "listing connections"); err != nil {
		return nil, err
	}
	conns, err := s.store.ListConnections(ctx, ws.ID)
	if err != nil {
		return nil, err
	}
	return s.connectionInfos(ctx, ws, conns)
}

// GetConnection returns one connection (by id or name) with its tables.
func (s *Service) GetConnection(ctx context.Context, p metastore.Principal, ws metastore.Workspace, ref string) (ConnectionInfo, []metastore.Table, error) {
	if err := requireRole(p, metastore.RoleViewer, "reading a connection"); err != nil {
		return ConnectionInfo{}, nil, err
	}
	c, err := s.store.GetConnection(ctx, ws.ID, ref)
	if errors.Is(err, metastore.ErrNotFound) {
		return ConnectionInfo{}, nil, notFound("connection", ref)
	}
	if err != nil {
		return ConnectionInfo{}, nil, err
	}
	infos, err := s.connectionInfos(ctx, ws, []metastore.Connection{c})
	if err != nil {
		return ConnectionInfo{}, nil, err
	}
	tables, err := s.store.ListTables(ctx, metastore.TableFilter{WorkspaceID: ws.ID, ConnectionID: c.ID})
	return infos[0], tables, err
}

func (s *Service) connectionInfos(ctx context.Context, ws metastore.Workspace, conns []metastore.Connection) ([]ConnectionInfo, error) {
	secrets, err := s.store.ListSecrets(ctx, ws.ID)
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	for _, sec := range secrets {
		names[sec.ID] = sec.Name
	}
	tables, err := s.store.ListTables(ctx, metastore.TableFilter{WorkspaceID: ws.ID})
	if err != nil {
		return nil, err
	}
	count, synced := map[string]int{}, map[string]int{}
	for _, t := range tables {
		count[t.ConnectionID]++
		if t.CurrentSnapshotID != "" {
			synced[t.ConnectionID]++
		}
	}
	out := make([]ConnectionInfo, len(conns))
	for i, c := range conns {
		ci := ConnectionInfo{Connection: c, SecretName: names[c.SecretID], Tables: count[c.ID], Synced: synced[c.ID]}
		if c.SecretID == "" && c.MissingSecret != "" {
			ci.SecretName, ci.SecretMissing = c.MissingSecret, true
		}
		out[i] = ci
	}
	return out, nil
}

// ConnectionDeleted is the outcome of DeleteConnection.
type ConnectionDeleted struct {
	Connection metastore.Connection
	metastore.ConnectionRemoved
}

// DeleteConnection removes a connection: its tables leave the catalog,
// its cached snapshots are retired (the garbage collector deletes their
// files once no query reads them and the grace period has passed), and
// its connector closes. Its secret stays: other connections may use it.
func (s *Service) DeleteConnection(ctx context.Context, p metastore.Principal, ws metastore.Workspace, ref string) (ConnectionDeleted, error) {
	var out ConnectionDeleted
	if err := requireRole(p, metastore.RoleMember, "deleting a connection"); err != nil {
		return out, err
	}
	c, err := s.store.GetConnection(ctx, ws.ID, ref)
	if errors.Is(err, metastore.ErrNotFound) {
		return out, notFound("connection", ref)
	}
	if err != nil {
		return out, err
	}
	// Its change stream goes first, slot and publication upstream with it,
	// while the connection's settings and secret are still there.
	s.cdc.forget(ctx, c)
	removed, err := s.store.DeleteConnection(ctx, ws.ID, c.ID)
	if errors.Is(err, metastore.ErrNotFound) {
		return out, notFound("connection", ref)
	}
	if err != nil {
		return out, err
	}
	out.Connection, out.ConnectionRemoved = c, removed
	s.dropConnectors(c.ID)
	s.invalidateCatalog(ws.ID)
	// The engine keeps a view per table it mounted, named after the
	// connection: close it so that a later connection of the same name
	// never reads through a stale view. It reopens on the next query.
	// A native copy being made of one of its snapshots stops first: it
	// would write into a folder the collector is about to delete.
	copiesDone := s.stopNativeCopies(ws.ID)
	if err := s.closeEngine(ws.ID); err != nil {
		s.log.Warn("close engine after deleting a connection", "workspace", ws.ID, "err", err)
	}
	copiesDone()
	if removed.Snapshots > 0 {
		// The collector visits workspaces with an open engine; this one's
		// may stay closed, so collect its retired snapshots once they are due.
		s.goBackground(func(ctx context.Context) { s.collectAfterGrace(ctx, ws.ID) })
	}
	s.log.Info("connection deleted", "workspace", ws.ID, "connection", c.ID, "name", c.Name,
		"tables", removed.Tables, "snapshots_retired", removed.Snapshots, "member", p.Member.ID)
	return out, nil
}

// collectAfterGrace deletes a workspace's retired snapshots once the
// grace period has passed (or stops with the service).
func (s *Service) collectAfterGrace(ctx context.Context, wsID string) {
	t := time.NewTimer(s.cfg.SnapshotGrace + time.Second)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return
	case <-t.C:
	}
	if n, err := s.syncer.CollectGarbage(ctx, wsID, s.cfg.SnapshotGrace); err != nil {
		s.log.Warn("snapshot garbage collection", "workspace", wsID, "err", err)
	} else if n > 0 {
		s.log.Info("deleted retired snapshots", "workspace", wsID, "count", n)
	}
}

// ConnectionTypes lists the source types this server supports.
func (s *Service) ConnectionTypes(p metastore.Principal) ([]connectors.Type, error) {
	if err := requireRole(p, metastore.RoleViewer, "listing connection types"); err != nil {
		return nil, err
	}
	return s.registry.Types(), nil
}

// ConnectionType returns one source type by name.
func (s *Service) ConnectionType(p metastore.Principal, name string) (connectors.Type, error) {
	if err := requireRole(p, metastore.RoleViewer, "reading connection types"); err != nil {
		return connectors.Type{}, err
	}
	t, ok := s.registry.Get(name)
	if !ok {
		return t, newError(KindNotFound, "NOT_FOUND", "connection type %q does not exist: GET /v1/connection-types lists them", name)
	}
	return t, nil
}

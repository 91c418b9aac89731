package workspace

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"sync"
	"time"

	"github.com/hotdata-dev/hotdata/engine"
	"github.com/hotdata-dev/hotdata/metastore"
	"github.com/hotdata-dev/hotdata/pgcatalog"
	"github.com/hotdata-dev/hotdata/planner"
	"github.com/hotdata-dev/hotdata/translate"
)

// catalogEntry is a workspace's queryable objects as last loaded, with
// the plans made against them (a new catalog starts with no plans).
type catalogEntry struct {
	loadedAt time.Time
	cat      *planner.Catalog
	// catUpstream is cat for sessions whose statements read the upstream
	// (freshness live): without the forms the cache holds columns in
	// (nor its refusal of those it cannot serve), which such statements
	// never read from the cache.
	catUpstream *planner.Catalog
	tables      map[string]*tableState // by table id
	// pg is what the emulated pg_catalog shows; pgVersion fingerprints it.
	pg        pgcatalog.Workspace
	pgVersion string

	plans     boundedCache // planKey -> []*planner.Statement (nil: plan each time)
	described boundedCache // describeKey -> *engineDescription
}

// maxCachedPlans bounds each plan cache; past it the cache starts over.
const maxCachedPlans = 10000

// boundedCache is a concurrent map that forgets everything when full:
// simpler than an LRU and enough for caches that refill in one miss.
type boundedCache struct {
	mu sync.Mutex
	m  map[any]any
}

func (c *boundedCache) get(k any) (any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[k]
	return v, ok
}

func (c *boundedCache) del(k any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, k)
}

func (c *boundedCache) put(k, v any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxCachedPlans {
		c.m = map[any]any{}
	}
	c.m[k] = v
}

// planKey names a cached plan: the (normalized) text and the route.
type planKey struct {
	sql  string
	live bool
	one  bool // planned as one statement for the extended protocol
	// shape is the kinds of a template's constants (planner.LiteralShape);
	// settings the session settings that planning reads.
	shape    string
	settings translate.Settings
	// params are the parameter types the client declared.
	params string
	// upstream: planned against catalogEntry.catUpstream.
	upstream bool
}

// tableState is a table with its connection and current snapshot, or a
// dataset (dataset set, no connection) with its current snapshot.
type tableState struct {
	table    metastore.Table
	conn     metastore.Connection
	dataset  *metastore.Dataset
	snapshot *metastore.Snapshot // nil: never synced (or purged)
}

// catalog returns the workspace's catalog, reloading it when older than
// CatalogTTL or when force is set. While the metastore is unavailable the
// last catalog loaded goes on serving unless this node changed what it
// describes since (nothing it names can change or be purged without the
// metastore), and a reload is tried again once per CatalogTTL rather than
// by every statement.
func (s *Service) catalog(ctx context.Context, wsID string, force bool) (*catalogEntry, error) {
	s.mu.Lock()
	e := s.catalogs[wsID]
	retryAt := s.catalogRetry[wsID]
	invalid := s.catalogInvalid[wsID]
	force = force || invalid
	s.mu.Unlock()
	if e != nil && !force && (time.Since(e.loadedAt) < s.cfg.CatalogTTL || time.Now().Before(retryAt)) {
		return e, nil
	}
	loaded, err := s.loadCatalog(ctx, wsID)
	if err != nil {
		if e == nil || invalid || !errors.Is(err, metastore.ErrUnavailable) {
			// An invalidated catalog is known to be out of date: serving
			// it would answer from an older snapshot than a statement of
			// this node already read.
			return nil, err
		}
		s.mu.Lock()
		if s.catalogRetry[wsID].IsZero() {
			s.log.Warn("serving the last catalog loaded while the metastore is unavailable", "workspace", wsID, "err", err)
		}
		s.catalogRetry[wsID] = time.Now().Add(s.cfg.CatalogTTL)
		s.mu.Unlock()
		return e, nil
	}
	s.mu.Lock()
	s.catalogs[wsID] = loaded
	delete(s.catalogRetry, wsID)
	delete(s.catalogInvalid, wsID)
	s.mu.Unlock()
	return loaded, nil
}

// dropCatalog forgets a workspace's catalog (the workspace stopped).
func (s *Service) dropCatalog(wsID string) {
	s.mu.Lock()
	delete(s.catalogs, wsID)
	delete(s.catalogRetry, wsID)
	delete(s.catalogInvalid, wsID)
	s.mu.Unlock()
}

// invalidateCatalog makes the next statement reload the catalog (the
// old one stays for when the metastore is unavailable).
func (s *Service) invalidateCatalog(wsID string) {
	s.mu.Lock()
	if s.catalogs[wsID] != nil {
		s.catalogInvalid[wsID] = true
	}
	s.mu.Unlock()
}

func (s *Service) loadCatalog(ctx context.Context, wsID string) (*catalogEntry, error) {
	ws, err := s.store.GetWorkspace(ctx, wsID)
	if err != nil {
		return nil, fmt.Errorf("load catalog: %w", err)
	}
	conns, err := s.store.ListConnections(ctx, wsID)
	if err != nil {
		return nil, fmt.Errorf("load catalog: %w", err)
	}
	tables, err := s.store.ListTables(ctx, metastore.TableFilter{WorkspaceID: wsID})
	if err != nil {
		return nil, fmt.Errorf("load catalog: %w", err)
	}
	snaps, err := s.store.ListSnapshots(ctx, wsID, metastore.SnapshotPublished)
	if err != nil {
		return nil, fmt.Errorf("load catalog: %w", err)
	}
	datasets, err := s.store.ListDatasets(ctx, wsID)
	if err != nil {
		return nil, fmt.Errorf("load catalog: %w", err)
	}
	byConn := map[string]metastore.Connection{}
	defaults := map[string]string{}
	for _, c := range conns {
		byConn[c.ID] = c
		if typ, ok := s.registry.Get(c.SourceType); ok && typ.DefaultSchema != nil {
			defaults[c.Name] = typ.DefaultSchema(c.Config)
		}
	}
	bySnap := map[string]*metastore.Snapshot{}
	for i := range snaps {
		bySnap[snaps[i].ID] = &snaps[i]
	}
	e := &catalogEntry{loadedAt: time.Now(), tables: map[string]*tableState{}}
	e.pg = pgcatalog.Workspace{Database: ws.Name, Owner: catalogOwner}
	userTypes := clientTypeOIDs(tables)
	for _, t := range tables {
		pt := pgcatalog.Table{ID: t.ID, Schema: pgcatalog.SchemaName(t.ConnectionName, t.Schema), Name: t.Name,
			PrimaryKey: t.PrimaryKey, PrimaryKeyName: t.PrimaryKeyName, RowEstimate: t.RowEstimate}
		for _, c := range t.Columns {
			oid := c.TypeOID
			if o, ok := userTypes[typeKey{t.ConnectionName, oid}]; ok {
				oid = o // the OID clients know the upstream's type by
			}
			pt.Columns = append(pt.Columns, pgcatalog.Column{Name: c.Name, DataType: c.DataType, TypeOID: oid, Nullable: c.Nullable})
		}
		for _, ix := range t.Indexes {
			pi := pgcatalog.Index{Name: ix.Name, Method: ix.Method, Unique: ix.Unique, Constraint: ix.Constraint, KeyColumns: ix.KeyColumns,
				Definition: ix.Definition, PrettyDefinition: ix.PrettyDefinition, Predicate: ix.Predicate, PrettyPredicate: ix.PrettyPredicate}
			for _, c := range ix.Columns {
				pi.Columns = append(pi.Columns, pgcatalog.IndexColumn(c))
			}
			pt.Indexes = append(pt.Indexes, pi)
		}
		for _, fk := range t.ForeignKeys {
			// The referenced table is of the same connection; one that
			// is not in the workspace leaves the key out of the catalog.
			pt.ForeignKeys = append(pt.ForeignKeys, pgcatalog.ForeignKey{Name: fk.Name, Columns: fk.Columns,
				RefSchema: pgcatalog.SchemaName(t.ConnectionName, fk.RefSchema), RefTable: fk.RefTable, RefColumns: fk.RefColumns,
				OnUpdate: fk.OnUpdate, OnDelete: fk.OnDelete, DeleteSetColumns: fk.DeleteSetColumns, Match: fk.Match,
				Deferrable: fk.Deferrable, Deferred: fk.Deferred, NotValid: fk.NotValid})
		}
		e.pg.Tables = append(e.pg.Tables, pt)
	}
	// Datasets are queryable once ready (with a snapshot).
	var ready []*tableState
	for i := range datasets {
		d := &datasets[i]
		snap := bySnap[d.CurrentSnapshotID]
		if d.Status != metastore.DatasetReady || snap == nil {
			continue
		}
		ready = append(ready, &tableState{dataset: d, snapshot: snap})
		pt := pgcatalog.Table{ID: d.ID, Schema: planner.DatasetsCatalog, Name: d.TableName, RowEstimate: snap.RowCount, Comment: d.Label}
		for _, c := range snap.Columns {
			pt.Columns = append(pt.Columns, pgcatalog.Column{Name: c.Name, DataType: c.DataType, TypeOID: c.TypeOID, Nullable: c.Nullable})
		}
		e.pg.Tables = append(e.pg.Tables, pt)
	}
	e.pg.Types = pgUserTypes(tables, userTypes)
	e.pgVersion = e.pg.Version()
	oids := pgcatalog.TableOIDs(e.pg)
	objects := make([]planner.Object, 0, len(tables))
	for _, t := range tables {
		ts := &tableState{table: t, conn: byConn[t.ConnectionID]}
		if t.CurrentSnapshotID != "" {
			ts.snapshot = bySnap[t.CurrentSnapshotID]
		}
		e.tables[t.ID] = ts
		cols := make(map[string]string, len(t.Columns))
		typeOIDs := make(map[string]uint32, len(t.Columns))
		order := make([]string, len(t.Columns))
		for i, c := range t.Columns {
			cols[c.Name] = c.DataType
			typeOIDs[c.Name] = c.TypeOID
			order[i] = c.Name
		}
		obj := planner.Object{Kind: planner.KindTable, Catalog: t.ConnectionName, Schema: t.Schema, Name: t.Name, ID: t.ID,
			OID: oids[t.ID], Columns: cols, ColumnOrder: order, TypeOIDs: typeOIDs, PrimaryKey: t.PrimaryKey,
			UserTypes: plannerUserTypes(t, userTypes)}
		if ts.snapshot != nil {
			obj.TextHeld, obj.Unavailable = snapshotForms(cols, ts.snapshot.Columns)
		}
		objects = append(objects, obj)
	}
	for _, ts := range ready {
		d := ts.dataset
		e.tables[d.ID] = ts
		cols := make(map[string]string, len(ts.snapshot.Columns))
		order := make([]string, len(ts.snapshot.Columns))
		for i, c := range ts.snapshot.Columns {
			cols[c.Name] = c.DataType
			order[i] = c.Name
		}
		objects = append(objects, planner.Object{Kind: planner.KindDataset, Catalog: planner.DatasetsCatalog, Schema: planner.DatasetsSchema,
			Name: d.TableName, ID: d.ID, OID: oids[d.ID], Columns: cols, ColumnOrder: order})
	}
	upstream := make([]planner.Object, len(objects))
	for i, o := range objects {
		o.TextHeld, o.Unavailable = nil, nil
		upstream[i] = o
	}
	e.cat = planner.NewCatalog(objects, defaults)
	e.catUpstream = planner.NewCatalog(upstream, defaults)
	return e, nil
}

// planCatalog is the catalog to plan against: catUpstream for a session
// whose statements read the upstream.
func (e *catalogEntry) planCatalog(upstream bool) *planner.Catalog {
	if upstream {
		return e.catUpstream
	}
	return e.cat
}

// columnForms are the columns a snapshot holds as text, and those the
// cache cannot serve with why, as planner.Object takes them (nil when
// none).
func columnForms(cols []metastore.Column) (text map[string]bool, unavailable map[string]string) {
	for _, c := range cols {
		if c.Text {
			if text == nil {
				text = map[string]bool{}
			}
			text[c.Name] = true
		}
		if c.Unavailable != "" {
			if unavailable == nil {
				unavailable = map[string]string{}
			}
			unavailable[c.Name] = c.Unavailable
		}
	}
	return text, unavailable
}

// snapshotForms is columnForms for a table whose catalog columns (name
// to type) are cols: a column the snapshot does not hold yet, or holds
// as another type (added or retyped upstream since it was taken), is
// unavailable until the next sync rather than read in a form it no
// longer has.
func snapshotForms(cols map[string]string, snap []metastore.Column) (text map[string]bool, unavailable map[string]string) {
	text, unavailable = columnForms(snap)
	held := make(map[string]string, len(snap))
	for _, c := range snap {
		held[c.Name] = c.DataType
	}
	for name, typ := range cols {
		var why string
		switch st, ok := held[name]; {
		case !ok:
			why = "it was added upstream after the table's cached snapshot; the table's next sync reads it"
		case st != typ:
			why = fmt.Sprintf("its type changed upstream (%s to %s) after the table's cached snapshot; the table's next sync reads it", st, typ)
		default:
			continue
		}
		if unavailable == nil {
			unavailable = map[string]string{}
		}
		unavailable[name] = why
	}
	return text, unavailable
}

// plannedWith says whether a statement planned against obj reads snap's
// columns in the forms snap holds them.
func plannedWith(obj *planner.Object, snap *metastore.Snapshot) bool {
	text, unavailable := snapshotForms(obj.Columns, snap.Columns)
	return maps.Equal(obj.TextHeld, text) && maps.Equal(obj.Unavailable, unavailable)
}

// catalogOwner is the role the emulated catalog shows as every object's
// owner (PostgreSQL's bootstrap superuser, OID 10).
const catalogOwner = pgcatalog.OwnerName

// ensurePgCatalog makes the engine's emulated pg_catalog show entry.
func (s *Service) ensurePgCatalog(ctx context.Context, eng *engine.Engine, entry *catalogEntry) error {
	return eng.EnsureState(ctx, "pg_catalog", entry.pgVersion,
		func() []string { return pgcatalog.Setup(s.started) },
		func() []string { return pgcatalog.Fill(entry.pg) })
}

// schemaNames are the schemas the emulated catalog lists.
func (e *catalogEntry) schemaNames() map[string]bool {
	out := map[string]bool{"pg_catalog": true, "information_schema": true}
	for _, s := range e.pg.Schemas() {
		out[s] = true
	}
	return out
}

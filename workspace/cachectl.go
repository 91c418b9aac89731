package workspace

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/hotdata-dev/hotdata/cache"
	"github.com/hotdata-dev/hotdata/connectors"
	"github.com/hotdata-dev/hotdata/metastore"
)

// This file holds the cache's controls: table policies, purges, the
// per-workspace size quota with least-recently-read eviction, jobs and
// connection health.

// TablePolicy is a table's refresh policy and freshness.
type TablePolicy struct {
	ConnectionID, Connection, Schema, Table string
	Refresh                                 string
	IncrementalColumn                       string
	IncrementalLookback                     string
	DetectDeletes                           bool
	Synced                                  bool
	LastSync                                *time.Time
}

// lookupTable finds a connection's table by schema and name.
func (s *Service) lookupTable(ctx context.Context, ws metastore.Workspace, connRef, schema, table string) (metastore.Connection, metastore.Table, error) {
	c, err := s.store.GetConnection(ctx, ws.ID, connRef)
	if errors.Is(err, metastore.ErrNotFound) {
		return c, metastore.Table{}, notFound("connection", connRef)
	}
	if err != nil {
		return c, metastore.Table{}, err
	}
	t, err := s.store.GetTable(ctx, c.ID, schema, table)
	if errors.Is(err, metastore.ErrNotFound) {
		return c, t, notFound("table", schema+"."+table)
	}
	return c, t, err
}

// PolicyRequest is a table's refresh policy as set: Refresh ("manual",
// "cdc", "every 15m", "ttl 1h"), the incremental column ("" for full
// syncs), its lookback window and whether deletes are detected.
type PolicyRequest struct {
	Refresh, IncrementalColumn, IncrementalLookback string
	DetectDeletes                                   bool
}

// SetTablePolicy sets a table's refresh policy.
func (s *Service) SetTablePolicy(ctx context.Context, p metastore.Principal, ws metastore.Workspace, connRef, schema, table string, req PolicyRequest) (TablePolicy, error) {
	if err := requireRole(p, metastore.RoleMember, "setting a table's refresh policy"); err != nil {
		return TablePolicy{}, err
	}
	pol, err := cache.ParsePolicy(req.Refresh)
	if err != nil {
		return TablePolicy{}, invalid("%v", err)
	}
	c, t, err := s.lookupTable(ctx, ws, connRef, schema, table)
	if err != nil {
		return TablePolicy{}, err
	}
	incremental := req.IncrementalColumn
	if pol.Kind == cache.PolicyCDC {
		if err := s.checkCDC(ctx, c, t); err != nil {
			return TablePolicy{}, err
		}
		if incremental != "" || req.IncrementalLookback != "" || req.DetectDeletes {
			return TablePolicy{}, invalid("incremental_column, incremental_lookback and detect_deletes do not apply to the cdc policy: changes arrive from the stream")
		}
	}
	var col *metastore.Column
	if incremental != "" {
		for i := range t.Columns {
			if t.Columns[i].Name == incremental {
				col = &t.Columns[i]
			}
		}
		if col == nil {
			return TablePolicy{}, newError(KindUnprocessable, "UNKNOWN_COLUMN", "incremental_column %q is not a column of %s.%s (columns: %s)",
				incremental, schema, table, columnNames(t.Columns))
		}
	}
	if req.IncrementalLookback != "" || req.DetectDeletes {
		switch {
		case incremental == "":
			return TablePolicy{}, invalid("incremental_lookback and detect_deletes need an incremental_column")
		case len(t.PrimaryKey) == 0:
			return TablePolicy{}, newError(KindUnprocessable, "NO_PRIMARY_KEY", "%s.%s has no primary key: incremental_lookback and detect_deletes merge rows by key. Give the table a primary key upstream", schema, table)
		}
	}
	if req.IncrementalLookback != "" {
		if err := cache.CheckLookback(col.DataType, req.IncrementalLookback); err != nil {
			return TablePolicy{}, newError(KindUnprocessable, "BAD_LOOKBACK", "incremental_lookback: %v", err)
		}
	}
	mp := metastore.TablePolicy{Refresh: pol.String(), IncrementalColumn: incremental, IncrementalLookback: req.IncrementalLookback, DetectDeletes: req.DetectDeletes}
	if err := s.store.SetTablePolicy(ctx, t.ID, mp); err != nil {
		return TablePolicy{}, err
	}
	s.invalidateCatalog(ws.ID)
	s.cdc.poke()
	return TablePolicy{ConnectionID: c.ID, Connection: c.Name, Schema: t.Schema, Table: t.Name, Refresh: pol.String(),
		IncrementalColumn: incremental, IncrementalLookback: req.IncrementalLookback, DetectDeletes: req.DetectDeletes,
		Synced: t.CurrentSnapshotID != "", LastSync: t.LastSyncAt}, nil
}

// checkCDC says why a table cannot take the cdc policy.
func (s *Service) checkCDC(ctx context.Context, c metastore.Connection, t metastore.Table) error {
	if len(t.PrimaryKey) == 0 {
		return newError(KindUnprocessable, "CDC_UNSUPPORTED", "%s.%s has no primary key: change data capture applies changes by key. Give the table a primary key upstream, or use another refresh policy", t.Schema, t.Name)
	}
	conn, err := s.connectorFor(ctx, c)
	if err != nil {
		return err
	}
	if _, ok := conn.(connectors.CDC); !ok {
		return newError(KindUnprocessable, "CDC_UNSUPPORTED", "%s connections have no change stream: use every or ttl", c.SourceType)
	}
	return nil
}

func columnNames(cols []metastore.Column) string {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Name
	}
	return strings.Join(names, ", ")
}

// PurgeCache drops the cached snapshots of a connection's tables (one
// table when schema and table are given): the next read syncs again.
// Files go once no query reads them and the grace period has passed.
func (s *Service) PurgeCache(ctx context.Context, p metastore.Principal, ws metastore.Workspace, connRef, schema, table string) (int, error) {
	if err := requireRole(p, metastore.RoleMember, "purging the cache"); err != nil {
		return 0, err
	}
	var tables []metastore.Table
	if schema != "" || table != "" {
		_, t, err := s.lookupTable(ctx, ws, connRef, schema, table)
		if err != nil {
			return 0, err
		}
		tables = []metastore.Table{t}
	} else {
		c, err := s.store.GetConnection(ctx, ws.ID, connRef)
		if errors.Is(err, metastore.ErrNotFound) {
			return 0, notFound("connection", connRef)
		}
		if err != nil {
			return 0, err
		}
		if tables, err = s.store.ListTables(ctx, metastore.TableFilter{WorkspaceID: ws.ID, ConnectionID: c.ID, IncludeVanished: true}); err != nil {
			return 0, err
		}
	}
	n := 0
	for _, t := range tables {
		if t.CurrentSnapshotID == "" {
			continue
		}
		if err := s.store.RetireTableSnapshots(ctx, t.ID); err != nil {
			return n, err
		}
		if pol, err := cache.ParsePolicy(t.Refresh); err == nil && pol.Kind == cache.PolicyCDC {
			s.cdc.reread(t) // its stream reads it again now
		}
		n++
	}
	s.invalidateCatalog(ws.ID)
	return n, nil
}

// noteRead remembers that a statement read these tables; the reads are
// written to the metastore in batches (for least-recently-read eviction).
func (s *Service) noteRead(tableIDs []string) {
	if len(tableIDs) == 0 {
		return
	}
	now := time.Now()
	s.readsMu.Lock()
	for _, id := range tableIDs {
		s.reads[id] = now
	}
	s.readsMu.Unlock()
}

// flushReads writes the remembered reads.
func (s *Service) flushReads(ctx context.Context) {
	s.readsMu.Lock()
	reads := s.reads
	s.reads = map[string]time.Time{}
	s.readsMu.Unlock()
	// One time for the batch: eviction needs an order between reads
	// minutes apart, not seconds.
	var latest time.Time
	ids := make([]string, 0, len(reads))
	for id, t := range reads {
		ids = append(ids, id)
		if t.After(latest) {
			latest = t
		}
	}
	if err := s.store.MarkTablesRead(ctx, ids, latest); err != nil {
		s.log.Warn("record table reads", "err", err)
	}
}

// enforceQuota evicts, least recently read first, the snapshots of a
// workspace that are over its cache size limit. A snapshot a query is
// reading, and the tables in keep (just synced, or about to be read),
// are never evicted.
func (s *Service) enforceQuota(ctx context.Context, wsID string, keep ...string) {
	ws, err := s.store.GetWorkspace(ctx, wsID)
	if err != nil {
		return
	}
	limit := ws.Limits.CacheBytes
	if limit == 0 {
		limit = s.cfg.CacheBytes
	}
	if limit <= 0 {
		return
	}
	s.flushReads(ctx)
	tables, err := s.store.ListTables(ctx, metastore.TableFilter{WorkspaceID: wsID, IncludeVanished: true})
	if err != nil {
		s.log.Warn("cache quota", "workspace", wsID, "err", err)
		return
	}
	snaps, err := s.store.ListSnapshots(ctx, wsID, metastore.SnapshotPublished)
	if err != nil {
		s.log.Warn("cache quota", "workspace", wsID, "err", err)
		return
	}
	size := map[string]int64{}
	var used int64
	for _, sn := range snaps {
		size[sn.ID] = sn.SizeBytes + s.nativeBytes(wsID, sn.Path)
		used += size[sn.ID]
	}
	if used <= limit {
		return
	}
	// Native copies go first, of tables and datasets alike, least
	// recently read first (datasets, whose reads are not recorded, and
	// tables never read lead): the Parquet files still answer.
	lastRead := map[string]*time.Time{}
	for _, t := range tables {
		if t.CurrentSnapshotID != "" {
			lastRead[t.CurrentSnapshotID] = t.LastReadAt
		}
	}
	byRead := slices.Clone(snaps)
	sort.SliceStable(byRead, func(i, j int) bool { return readBefore(lastRead[byRead[i].ID], lastRead[byRead[j].ID]) })
	for _, sn := range byRead {
		if used <= limit {
			return
		}
		if n := s.dropNative(wsID, sn); n > 0 {
			used -= n
			size[sn.ID] -= n
		}
	}
	if used <= limit {
		return
	}
	var cands []metastore.Table
	for _, t := range tables {
		if t.CurrentSnapshotID != "" && !slices.Contains(keep, t.ID) && !s.pins.Pinned(t.CurrentSnapshotID) {
			cands = append(cands, t)
		}
	}
	sort.SliceStable(cands, func(i, j int) bool { return readBefore(cands[i].LastReadAt, cands[j].LastReadAt) })
	for _, t := range cands {
		if used <= limit {
			break
		}
		if err := s.store.RetireTableSnapshots(ctx, t.ID); err != nil {
			s.log.Warn("cache quota: evict", "table", t.ID, "err", err)
			continue
		}
		used -= size[t.CurrentSnapshotID]
		s.log.Info("evicted a cached table over the workspace's cache limit; it syncs again on its next read",
			"workspace", wsID, "table", t.ConnectionName+"."+t.Schema+"."+t.Name, "bytes", size[t.CurrentSnapshotID], "limit", limit)
	}
	s.invalidateCatalog(wsID)
	if used > limit {
		s.log.Warn("cache over its limit: the rest is in use", "workspace", wsID, "bytes", used, "limit", limit)
	}
}

// readBefore orders read times, never-read first.
func readBefore(a, b *time.Time) bool {
	switch {
	case a == nil:
		return b != nil
	case b == nil:
		return false
	}
	return a.Before(*b)
}

// ListJobs returns a workspace's jobs, newest first.
func (s *Service) ListJobs(ctx context.Context, p metastore.Principal, ws metastore.Workspace, limit, offset int) ([]metastore.Job, bool, error) {
	if err := requireRole(p, metastore.RoleViewer, "listing jobs"); err != nil {
		return nil, false, err
	}
	jobs, err := s.store.ListJobs(ctx, ws.ID, limit+1, offset)
	if err != nil {
		return nil, false, err
	}
	more := len(jobs) > limit
	if more {
		jobs = jobs[:limit]
	}
	return jobs, more, nil
}

// GetJob returns one job.
func (s *Service) GetJob(ctx context.Context, p metastore.Principal, ws metastore.Workspace, id string) (metastore.Job, error) {
	if err := requireRole(p, metastore.RoleViewer, "reading jobs"); err != nil {
		return metastore.Job{}, err
	}
	j, err := s.store.GetJob(ctx, ws.ID, id)
	if errors.Is(err, metastore.ErrNotFound) {
		return j, notFound("job", id)
	}
	return j, err
}

// Health says whether a connection's upstream answers now, and how fast.
type Health struct {
	Healthy bool
	Latency time.Duration
	Error   string
}

// ConnectionHealth tests a connection.
func (s *Service) ConnectionHealth(ctx context.Context, p metastore.Principal, ws metastore.Workspace, connRef string) (Health, error) {
	if err := requireRole(p, metastore.RoleViewer, "checking a connection"); err != nil {
		return Health{}, err
	}
	c, err := s.store.GetConnection(ctx, ws.ID, connRef)
	if errors.Is(err, metastore.ErrNotFound) {
		return Health{}, notFound("connection", connRef)
	}
	if err != nil {
		return Health{}, err
	}
	conn, err := s.connectorFor(ctx, c)
	if err != nil {
		return Health{Error: err.Error()}, nil
	}
	tctx, cancel := context.WithTimeout(ctx, s.cfg.DiscoveryTimeout)
	defer cancel()
	d, err := connectors.Health(tctx, conn)
	if err != nil {
		return Health{Latency: d, Error: upstreamErrorText(p, err)}, nil
	}
	return Health{Healthy: true, Latency: d}, nil
}

// resultCacheStats describes the result cache for SHOW hotdata.result_cache_stats.
func (s *Service) resultCacheStats() string {
	if s.resultCache == nil {
		return "off"
	}
	st := s.resultCache.Stats()
	return fmt.Sprintf("hits=%d misses=%d entries=%d bytes=%d max_bytes=%d", st.Hits, st.Misses, st.Entries, st.Bytes, st.MaxBytes)
}

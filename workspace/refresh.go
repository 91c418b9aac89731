package workspace

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/hotdata-dev/hotdata/cache"
	"github.com/hotdata-dev/hotdata/connectors"
	"github.com/hotdata-dev/hotdata/internal/pgerr"
	"github.com/hotdata-dev/hotdata/metastore"
)

// Job types besides cache.JobTypeSync.
const (
	JobTypeRefresh   = "refresh"
	JobTypeDiscovery = "discovery"
)

// RefreshRequest is POST /v1/refresh: re-discover schemas (Data false)
// or re-sync data (Data true), of one connection or all, optionally
// narrowed to a schema and a table.
type RefreshRequest struct {
	Connection string // id or name; "" for every connection
	Schema     string
	Table      string
	Data       bool
	// IncludeUncached also syncs tables never synced (Data only).
	IncludeUncached bool
	// Async returns at once with a job; the work goes on in the background.
	Async bool
}

// RefreshOutcome says what a refresh did (or, async, which job does it).
type RefreshOutcome struct {
	Job         *metastore.Job
	Connections []ConnectionRefresh
	Tables      []TableRefresh
}

// ConnectionRefresh is one connection's schema re-discovery.
type ConnectionRefresh struct {
	ID, Name                 string
	Added, Updated, Vanished int
	Error                    string
}

// TableRefresh is one table's data sync.
type TableRefresh struct {
	Connection, Schema, Table string
	Status                    string // succeeded or failed
	Rows                      int64  // rows in the new snapshot
	Appended                  int64  // rows added by an incremental sync
	Incremental               bool
	SnapshotVersion           int64
	JobID                     string
	Error                     string
	Warnings                  []string // what the sync noticed
	bytes                     int64    // the new snapshot's size, for the job's progress
}

// Refresh re-discovers or re-syncs. Synchronous refreshes return every
// table's outcome; a table that fails does not stop the others (its
// previous snapshot keeps serving).
func (s *Service) Refresh(ctx context.Context, p metastore.Principal, ws metastore.Workspace, req RefreshRequest) (RefreshOutcome, error) {
	if err := requireRole(p, metastore.RoleMember, "refreshing connections"); err != nil {
		return RefreshOutcome{}, err
	}
	if req.Table != "" && req.Schema == "" {
		return RefreshOutcome{}, invalid("table_name needs schema_name")
	}
	if !req.Data && req.IncludeUncached {
		return RefreshOutcome{}, invalid("include_uncached applies to data refreshes (data: true)")
	}
	conns, err := s.refreshConnections(ctx, ws, req.Connection)
	if err != nil {
		return RefreshOutcome{}, err
	}
	if !req.Async {
		return s.runRefresh(ctx, ws, conns, req, nil)
	}
	target := map[string]any{"connection": req.Connection, "schema": req.Schema, "table": req.Table, "data": req.Data}
	job, err := s.store.CreateJob(ctx, ws.ID, JobTypeRefresh, target, s.cfg.Node)
	if err != nil {
		return RefreshOutcome{}, err
	}
	started := s.goBackground(func(ctx context.Context) {
		out, err := s.runRefresh(ctx, ws, conns, req, &job)
		status, msg := metastore.StatusSucceeded, ""
		if err == nil {
			err = out.failure()
		}
		if err != nil {
			status, msg = metastore.StatusFailed, s.layout.Scrub(pgerr.Text(err))
			if errors.Is(err, context.Canceled) {
				status = metastore.StatusCanceled
			}
		}
		// The outcome is recorded even when the refresh was cancelled,
		// and kept through a metastore restart (until shutdown).
		record := func(rctx context.Context) error {
			wctx, cancel := context.WithTimeout(context.WithoutCancel(rctx), 30*time.Second)
			defer cancel()
			return s.store.FinishJob(wctx, job.ID, status, msg)
		}
		if ferr := metastore.RetryWhileUnavailable(ctx, record); ferr != nil {
			s.log.Error("record refresh job", "job", job.ID, "err", ferr)
		}
	})
	if !started {
		_ = s.store.FinishJob(context.WithoutCancel(ctx), job.ID, metastore.StatusCanceled, "the server is shutting down")
		return RefreshOutcome{}, newError(KindUnavailable, "SHUTTING_DOWN", "the server is shutting down: retry on another node or after restart")
	}
	return RefreshOutcome{Job: &job}, nil
}

// failure summarizes the failed parts of a refresh ("" when none).
func (o RefreshOutcome) failure() error {
	var errs []error
	for _, c := range o.Connections {
		if c.Error != "" {
			errs = append(errs, fmt.Errorf("discover %s: %s", c.Name, c.Error))
		}
	}
	for _, t := range o.Tables {
		if t.Error != "" {
			errs = append(errs, fmt.Errorf("sync %s.%s.%s: %s", t.Connection, t.Schema, t.Table, t.Error))
		}
	}
	return errors.Join(errs...)
}

func (s *Service) refreshConnections(ctx context.Context, ws metastore.Workspace, ref string) ([]metastore.Connection, error) {
	if ref == "" {
		return s.store.ListConnections(ctx, ws.ID)
	}
	c, err := s.store.GetConnection(ctx, ws.ID, ref)
	if errors.Is(err, metastore.ErrNotFound) {
		return nil, notFound("connection", ref)
	}
	return []metastore.Connection{c}, err
}

func (s *Service) runRefresh(ctx context.Context, ws metastore.Workspace, conns []metastore.Connection, req RefreshRequest, job *metastore.Job) (RefreshOutcome, error) {
	var out RefreshOutcome
	if !req.Data {
		for i, c := range conns {
			cr := ConnectionRefresh{ID: c.ID, Name: c.Name}
			counts, err := s.rediscover(ctx, c)
			cr.Added, cr.Updated, cr.Vanished = counts.Added, counts.Updated, counts.Vanished
			if err != nil {
				if ctx.Err() != nil {
					return out, ctx.Err()
				}
				cr.Error = s.layout.Scrub(pgerr.Text(err))
			}
			out.Connections = append(out.Connections, cr)
			s.jobFraction(ctx, job, i+1, len(conns))
		}
		return out, nil
	}
	var tables []metastore.Table
	for _, c := range conns {
		ts, err := s.store.ListTables(ctx, metastore.TableFilter{WorkspaceID: ws.ID, ConnectionID: c.ID, Schema: req.Schema, Name: req.Table})
		if err != nil {
			return out, err
		}
		for _, t := range ts {
			if t.CurrentSnapshotID != "" || req.IncludeUncached {
				tables = append(tables, t)
			}
		}
	}
	if req.Table != "" && len(tables) == 0 {
		return out, newError(KindNotFound, "NOT_FOUND", "no table %s.%s to refresh (is it cached? add include_uncached: true to sync it anyway)", req.Schema, req.Table)
	}
	out.Tables = make([]TableRefresh, len(tables))
	prog := newRefreshProgress(s, job, len(tables))
	sem := make(chan struct{}, s.cfg.SyncParallelism)
	var wg sync.WaitGroup
	for i, t := range tables {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			return out, ctx.Err()
		}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			out.Tables[i] = s.refreshTable(ctx, t, func(p cache.Progress) { prog.table(ctx, i, p, false) })
			tr := out.Tables[i]
			read := tr.Rows
			if tr.Incremental {
				read = tr.Appended
			}
			prog.table(ctx, i, cache.Progress{Rows: read, Bytes: tr.bytes}, true)
		}()
	}
	wg.Wait()
	return out, ctx.Err()
}

// refreshProgress sums the progress of a data refresh's table syncs
// into its job: rows and bytes written so far, and the fraction of the
// tables done. Writes to the metastore are spaced progressWriteEvery
// apart, except when a table finishes.
type refreshProgress struct {
	s     *Service
	job   *metastore.Job
	mu    sync.Mutex
	rows  []int64
	bytes []int64
	done  int
	last  time.Time
}

const progressWriteEvery = time.Second

func newRefreshProgress(s *Service, job *metastore.Job, tables int) *refreshProgress {
	return &refreshProgress{s: s, job: job, rows: make([]int64, tables), bytes: make([]int64, tables)}
}

func (r *refreshProgress) table(ctx context.Context, i int, p cache.Progress, finished bool) {
	if r.job == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.rows[i], r.bytes[i] = p.Rows, p.Bytes
	if finished {
		r.done++
	} else if time.Since(r.last) < progressWriteEvery {
		return
	}
	r.last = time.Now()
	var rows, bytes int64
	for j := range r.rows {
		rows += r.rows[j]
		bytes += r.bytes[j]
	}
	f := float64(r.done) / float64(len(r.rows))
	if err := r.s.store.JobProgress(ctx, r.job.ID, rows, bytes, &f); err != nil {
		r.s.log.Warn("record refresh progress", "job", r.job.ID, "err", err)
	}
}

// jobFraction records a schema refresh's progress: connections done of total.
func (s *Service) jobFraction(ctx context.Context, job *metastore.Job, done, total int) {
	if job == nil || total == 0 {
		return
	}
	f := float64(done) / float64(total)
	if err := s.store.JobProgress(ctx, job.ID, int64(done), 0, &f); err != nil {
		s.log.Warn("record refresh progress", "job", job.ID, "err", err)
	}
}

// rediscover reads a connection's schema again: tables that still exist
// keep their policy and snapshots, vanished ones are marked.
func (s *Service) rediscover(ctx context.Context, c metastore.Connection) (metastore.DiscoveryCounts, error) {
	conn, err := s.connectorFor(ctx, c)
	if err != nil {
		return metastore.DiscoveryCounts{}, err
	}
	dctx, cancel := context.WithTimeout(ctx, s.cfg.DiscoveryTimeout)
	defer cancel()
	tables, err := conn.Discover(dctx)
	if err != nil {
		_ = s.store.SetDiscovery(ctx, c.ID, metastore.DiscoveryFailed, s.layout.Scrub(pgerr.Text(err)))
		return metastore.DiscoveryCounts{}, err
	}
	counts, err := s.store.ApplyDiscovery(ctx, c, discovered(tables))
	if err != nil {
		return counts, err
	}
	s.invalidateCatalog(c.WorkspaceID)
	return counts, s.store.SetDiscovery(ctx, c.ID, metastore.DiscoverySucceeded, "")
}

// refreshTable syncs one table now (incrementally when its policy says
// so) and reports the outcome; on failure the previous snapshot stays.
func (s *Service) refreshTable(ctx context.Context, t metastore.Table, progress func(cache.Progress)) TableRefresh {
	tr := TableRefresh{Connection: t.ConnectionName, Schema: t.Schema, Table: t.Name, Status: metastore.StatusSucceeded}
	res, err := s.syncNow(ctx, t, progress)
	tr.JobID = res.JobID
	if err != nil {
		tr.Status, tr.Error = metastore.StatusFailed, s.layout.Scrub(pgerr.Text(err))
		return tr
	}
	tr.Rows, tr.Appended, tr.Incremental, tr.SnapshotVersion = res.Snapshot.RowCount, res.Appended, res.Incremental, res.Snapshot.Version
	tr.Warnings = res.Warnings
	tr.bytes = res.Snapshot.SizeBytes
	return tr
}

// syncNow syncs a table with its connection's connector, from its
// current snapshot (for incremental syncs), then enforces the
// workspace's cache quota.
func (s *Service) syncNow(ctx context.Context, t metastore.Table, progress func(cache.Progress)) (cache.SyncResult, error) {
	if pol, err := cache.ParsePolicy(t.Refresh); err == nil && pol.Kind == cache.PolicyCDC {
		return s.cdcSnapshot(ctx, t)
	}
	c, err := s.store.GetConnection(ctx, t.WorkspaceID, t.ConnectionID)
	if err != nil {
		return cache.SyncResult{}, err
	}
	conn, err := s.connectorFor(ctx, c)
	if err != nil {
		return cache.SyncResult{}, err
	}
	var prev *metastore.Snapshot
	if t.CurrentSnapshotID != "" {
		sn, err := s.store.GetSnapshot(ctx, t.CurrentSnapshotID)
		if err != nil && !errors.Is(err, metastore.ErrNotFound) {
			return cache.SyncResult{}, err
		}
		if err == nil {
			prev = &sn
		}
	}
	res, err := s.syncer.SyncTable(ctx, cache.SyncRequest{Table: t, Connector: conn, Previous: prev, Progress: progress})
	if err != nil {
		return res, err
	}
	s.invalidateCatalog(t.WorkspaceID)
	s.enforceQuota(ctx, t.WorkspaceID, t.ID)
	return res, nil
}

// cdcSnapshot is syncNow for a table under the cdc policy: its stream
// keeps it fresh, so it waits for the stream's first read of it (when it
// has none yet) and returns the current snapshot.
func (s *Service) cdcSnapshot(ctx context.Context, t metastore.Table) (cache.SyncResult, error) {
	for {
		if s.cfg.Scheduler {
			if err := s.cdc.waitActive(ctx, t); err != nil {
				return cache.SyncResult{}, err
			}
		}
		cur, err := s.store.GetTableByID(ctx, t.ID)
		if err != nil {
			return cache.SyncResult{}, err
		}
		if cur.CurrentSnapshotID != "" {
			snap, err := s.store.GetSnapshot(ctx, cur.CurrentSnapshotID)
			if err != nil {
				return cache.SyncResult{}, err
			}
			s.invalidateCatalog(t.WorkspaceID)
			return cache.SyncResult{Snapshot: snap, Shared: true}, nil
		}
		// Another process runs the stream: wait for its first read.
		select {
		case <-ctx.Done():
			return cache.SyncResult{}, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// schedulerLoop syncs, in the background, the tables whose "every"
// policy makes them due. Only the control plane runs it.
func (s *Service) schedulerLoop(ctx context.Context) {
	t := time.NewTicker(s.cfg.SchedulerTick)
	defer t.Stop()
	running := map[string]bool{}
	var mu sync.Mutex
	sem := make(chan struct{}, s.cfg.SyncParallelism)
	var wg sync.WaitGroup
	defer wg.Wait()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		tables, err := s.store.ListScheduledTables(ctx)
		if err != nil {
			if ctx.Err() == nil {
				s.log.Warn("refresh scheduler", "err", err)
			}
			continue
		}
		now := time.Now()
		for _, tbl := range tables {
			pol, err := cache.ParsePolicy(tbl.Refresh)
			mu.Lock()
			busy := running[tbl.ID]
			mu.Unlock()
			if err != nil || busy || !pol.Due(tbl.LastSyncAt, now) {
				continue
			}
			select {
			case sem <- struct{}{}:
			default:
				continue // at the parallelism limit: next tick
			}
			mu.Lock()
			running[tbl.ID] = true
			mu.Unlock()
			wg.Add(1)
			go func() {
				defer func() {
					mu.Lock()
					delete(running, tbl.ID)
					mu.Unlock()
					<-sem
					wg.Done()
				}()
				if _, err := s.syncNow(ctx, tbl, nil); err != nil && ctx.Err() == nil {
					s.log.Warn("scheduled sync failed; the previous snapshot keeps serving",
						"table", tbl.ConnectionName+"."+tbl.Schema+"."+tbl.Name, "err", err)
				}
			}()
		}
	}
}

// syncInBackground syncs a table without anyone waiting (freshness auto
// read it live meanwhile); one at a time per table.
func (s *Service) syncInBackground(t metastore.Table) {
	s.mu.Lock()
	busy := s.bgSyncs[t.ID]
	if !busy {
		s.bgSyncs[t.ID] = true
	}
	s.mu.Unlock()
	if busy {
		return
	}
	started := s.goBackground(func(ctx context.Context) {
		if _, err := s.syncNow(ctx, t, nil); err != nil && ctx.Err() == nil {
			s.log.Warn("background sync failed", "table", t.ConnectionName+"."+t.Schema+"."+t.Name, "err", connectors.Detail(err))
		}
		s.mu.Lock()
		delete(s.bgSyncs, t.ID)
		s.mu.Unlock()
	})
	if !started {
		s.mu.Lock()
		delete(s.bgSyncs, t.ID)
		s.mu.Unlock()
	}
}

// goBackground runs fn in a goroutine the service owns (Close waits for
// it and cancels its context); false when the service is closing.
func (s *Service) goBackground(fn func(ctx context.Context)) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ctx.Err() != nil {
		return false
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		fn(s.ctx)
	}()
	return true
}

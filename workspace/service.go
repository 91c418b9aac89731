package workspace

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/hotdata-dev/hotdata/cache"
	"github.com/hotdata-dev/hotdata/connectors"
	"github.com/hotdata-dev/hotdata/internal/metrics"
	"github.com/hotdata-dev/hotdata/internal/pgerr"
	"github.com/hotdata-dev/hotdata/metastore"
)

// Config configures the service. Zero fields take the defaults below.
type Config struct {
	DataDir string
	// Node names this process in job records, e.g. "control@host:1234".
	Node string
	// Engine limits for workspaces that set none (default: a quarter of
	// EngineMemoryBudget; half the cores).
	EngineMemoryBytes int64
	EngineThreads     int
	// EngineMemoryBudget bounds the sum of the memory limits of the
	// engines open at once (default: three quarters of the machine's
	// memory); see engines.go.
	EngineMemoryBudget int64
	// EngineIdleTimeout closes engines unused this long (0: never).
	EngineIdleTimeout time.Duration
	// MaxResultRows and MaxResultBytes cap a stored REST result (0: no
	// cap); past either the result is truncated, and says so.
	MaxResultRows  int64
	MaxResultBytes int64
	// RESTQueryTimeout is the statement_timeout of REST queries (0: none).
	RESTQueryTimeout time.Duration
	// MaxStatementBytes bounds one statement's text, REST or pgwire
	// (0: no bound here; wire bounds its messages itself).
	MaxStatementBytes int
	// CatalogTTL bounds how stale a workspace's cached catalog may be
	// when another process changed it (changes made here are seen at once).
	CatalogTTL time.Duration
	// SnapshotGrace is how long a retired snapshot's files stay.
	SnapshotGrace time.Duration
	// DiscoveryTimeout bounds schema discovery when creating a connection.
	DiscoveryTimeout time.Duration
	// PreviewRows caps the rows inlined in a REST query response.
	PreviewRows int
	// ResultRetention is how long stored results are kept.
	ResultRetention time.Duration
	// HistoryRetention is how long ended query runs, jobs and deleted
	// snapshots' records are kept (default 30 days).
	HistoryRetention time.Duration
	// MaxConcurrentQueries caps the REST queries a workspace that sets no
	// limit of its own runs at once in this process (default 16).
	MaxConcurrentQueries int
	// MaxSessionsPerWorkspace caps pgwire sessions of a workspace that
	// sets no limit of its own (0: no cap).
	MaxSessionsPerWorkspace int
	// PgwireRuns says which pgwire statements are recorded as query runs
	// (REST queries always are).
	PgwireRuns RunPolicy
	// CacheBytes caps each workspace's cached snapshots when the
	// workspace sets no limit of its own (0: no cap).
	CacheBytes int64
	// SyncParallelism bounds the table syncs a refresh or the scheduler
	// runs at once.
	SyncParallelism int
	// CDCAdvanceEvery is how often change streams mark the snapshots of
	// streaming tables no change touched as of the stream's position
	// (default 30 s).
	CDCAdvanceEvery time.Duration
	// SyncReaders is how many upstream connections a full read of a
	// large table uses at once, in resumable parts (0: 2; negative: read
	// tables whole).
	SyncReaders int
	// Scheduler runs the background refresh of "every" policies (the
	// control plane does; proxies do not).
	Scheduler     bool
	SchedulerTick time.Duration
	// ResultCacheBytes bounds the in-memory result cache of this process
	// (0: the default, 256 MB; negative: no result cache).
	ResultCacheBytes int64
	// MaxUploadBytes bounds one uploaded file (0: 1 GB).
	MaxUploadBytes int64
	// NoNativeCopies keeps queries on the snapshots' Parquet files
	// instead of making native DuckDB copies of them (native.go).
	NoNativeCopies bool
	// Egress checks the hosts of new connections and dials every
	// upstream connection (egress.go); nil: no policy.
	Egress Egress
}

// RunPolicy chooses the pgwire statements recorded as query runs: all
// of them, only failed ones, those slower than MinDuration or failed (the
// server's default, slow:100ms), or none. Recording costs a metastore
// write per statement, which matters at thousands of statements per
// second.
type RunPolicy struct {
	Mode        string // "all", "errors", "slow", "none"
	MinDuration time.Duration
}

// ParseRunPolicy reads "all", "errors", "none" or "slow:<duration>".
func ParseRunPolicy(s string) (RunPolicy, error) {
	switch {
	case s == "" || s == "all":
		return RunPolicy{Mode: "all"}, nil
	case s == "errors" || s == "none":
		return RunPolicy{Mode: s}, nil
	case strings.HasPrefix(s, "slow:"):
		d, err := time.ParseDuration(strings.TrimPrefix(s, "slow:"))
		if err != nil || d < 0 {
			return RunPolicy{}, fmt.Errorf("query run policy %q: want slow:<duration>, e.g. slow:100ms", s)
		}
		return RunPolicy{Mode: "slow", MinDuration: d}, nil
	}
	return RunPolicy{}, fmt.Errorf("query run policy %q: want all, errors, none or slow:<duration>", s)
}

func (p RunPolicy) records(took time.Duration, err error) bool {
	switch p.Mode {
	case "none":
		return false
	case "errors":
		return err != nil
	case "slow":
		return err != nil || took >= p.MinDuration
	}
	return true
}

func (c *Config) setDefaults() {
	if c.CatalogTTL == 0 {
		c.CatalogTTL = 2 * time.Second
	}
	if c.SnapshotGrace == 0 {
		c.SnapshotGrace = 10 * time.Minute
	}
	if c.DiscoveryTimeout == 0 {
		c.DiscoveryTimeout = 30 * time.Second
	}
	if c.PreviewRows == 0 {
		c.PreviewRows = 1000
	}
	if c.HistoryRetention == 0 {
		c.HistoryRetention = 30 * 24 * time.Hour
	}
	if c.ResultRetention == 0 {
		c.ResultRetention = 7 * 24 * time.Hour
	}
	if c.MaxConcurrentQueries == 0 {
		c.MaxConcurrentQueries = 16
	}
	if c.SyncParallelism <= 0 {
		c.SyncParallelism = 2
	}
	if c.SchedulerTick == 0 {
		c.SchedulerTick = 5 * time.Second
	}
	if c.ResultCacheBytes == 0 {
		c.ResultCacheBytes = 256 << 20
	}
	if c.MaxUploadBytes <= 0 {
		c.MaxUploadBytes = 1 << 30
	}
	if c.Node == "" {
		c.Node = "hotdata"
	}
	if c.CDCAdvanceEvery <= 0 {
		c.CDCAdvanceEvery = 30 * time.Second
	}
	if c.EngineMemoryBudget <= 0 {
		c.EngineMemoryBudget = defaultEngineBudget()
	}
	if c.EngineMemoryBytes <= 0 {
		c.EngineMemoryBytes = c.EngineMemoryBudget / 4
	}
	if c.EngineThreads <= 0 {
		c.EngineThreads = defaultEngineThreads()
	}
}

// Service is the workspace service. It is safe for concurrent use.
type Service struct {
	store    *metastore.Store
	cfg      Config
	layout   cache.Layout
	registry *connectors.Registry
	syncer   *cache.Syncer
	pins     *cache.Pins
	log      *slog.Logger
	runs     *runRecorder
	started  time.Time // pg_postmaster_start_time()
	// resultCache holds recent results (nil when disabled).
	resultCache *cache.ResultCache

	ctx    context.Context // cancelled by Close
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu         sync.Mutex
	engines    map[string]*openEngine // engines.go
	connectors map[string]openConnector
	// retired are connectors replaced by a newer configuration: statements
	// planned before may still use them, so they close a grace period
	// later (closeRetired) or with the service.
	retired  []retiredConnector
	catalogs map[string]*catalogEntry
	// cdc runs the change streams (cdc.go; control process only).
	cdc *cdcRunner
	// deltaDirs caches which snapshot folders hold delta files.
	deltaDirs sync.Map
	// catalogRetry is when to try reloading a catalog again that the
	// metastore was unavailable for (catalog.go).
	catalogRetry map[string]time.Time
	// catalogInvalid marks catalogs to reload before their next use.
	catalogInvalid map[string]bool
	recovered      map[string]bool
	sessions       map[string]int  // open pgwire sessions per workspace
	bgSyncs        map[string]bool // tables being synced in the background
	closed         bool

	queries queryGate // REST queries running (query_limit.go)

	readsMu sync.Mutex
	reads   map[string]time.Time // table id -> last read, not yet recorded

	// natives queues snapshots for their native copy (native.go); nil
	// when Config.NoNativeCopies.
	natives        chan nativeRequest
	nativeMu       sync.Mutex
	nativePending  map[string]bool // snapshot folders queued or being copied
	nativeDropped  map[string]bool // snapshot folders whose copy the quota removed
	nativeSeen     boundedCache    // snapshot folders whose copy exists (by folder)
	nativeStopping map[string]bool // workspaces being released: no copies
	nativeRunning  *runningCopy
}

type openConnector struct {
	conn      connectors.Connector
	updatedAt time.Time
	// identity hashes what the connector was opened with (source type,
	// config, secret): a newer UpdatedAt with the same identity (a
	// discovery) keeps the connector.
	identity [32]byte
}

func connectorIdentity(c metastore.Connection, secret string) [32]byte {
	h := sha256.New()
	for _, part := range []string{c.SourceType, string(c.Config), secret} {
		fmt.Fprintf(h, "%d:%s;", len(part), part)
	}
	var out [32]byte
	copy(out[:], h.Sum(nil))
	return out
}

type retiredConnector struct {
	conn connectors.Connector
	at   time.Time
}

// connectorGrace is how long a replaced connector stays open for the
// statements that hold it.
const connectorGrace = time.Minute

// closeRetired closes the connectors replaced more than connectorGrace
// ago (all of them when all is set).
func (s *Service) closeRetired(all bool) []error {
	s.mu.Lock()
	var due []connectors.Connector
	keep := s.retired[:0]
	for _, r := range s.retired {
		if all || time.Since(r.at) >= connectorGrace {
			due = append(due, r.conn)
		} else {
			keep = append(keep, r)
		}
	}
	s.retired = keep
	s.mu.Unlock()
	var errs []error
	for _, c := range due {
		errs = append(errs, c.Close())
	}
	return errs
}

// New returns a service and starts its background work (query-run
// recording, snapshot garbage collection); Close stops it.
func New(store *metastore.Store, registry *connectors.Registry, cfg Config, log *slog.Logger) *Service {
	cfg.setDefaults()
	ctx, cancel := context.WithCancel(context.Background())
	pins := cache.NewPins()
	layout := cache.Layout{DataDir: cfg.DataDir}
	s := &Service{
		store: store, cfg: cfg, layout: layout, registry: registry, pins: pins, log: log, started: time.Now(),
		syncer: cache.NewSyncer(store, layout, cfg.Node, pins, log),
		ctx:    ctx, cancel: cancel,
		engines: map[string]*openEngine{}, connectors: map[string]openConnector{},
		catalogs: map[string]*catalogEntry{}, catalogRetry: map[string]time.Time{}, catalogInvalid: map[string]bool{}, recovered: map[string]bool{}, sessions: map[string]int{},
		reads: map[string]time.Time{}, bgSyncs: map[string]bool{},
		nativePending: map[string]bool{}, nativeDropped: map[string]bool{}, nativeStopping: map[string]bool{},
	}
	if cfg.SyncReaders != 0 {
		s.syncer.SetReaders(cfg.SyncReaders)
	}
	s.runs = newRunRecorder(store, log)
	if cfg.ResultCacheBytes > 0 {
		rc, err := cache.NewResultCache(cfg.ResultCacheBytes)
		if err != nil {
			log.Error("result cache disabled", "err", err)
		} else {
			s.resultCache = rc
		}
	}
	s.wg.Add(2)
	go func() {
		defer s.wg.Done()
		s.runs.run(ctx)
	}()
	go func() {
		defer s.wg.Done()
		s.collectGarbageLoop(ctx)
	}()
	if !cfg.NoNativeCopies {
		s.natives = make(chan nativeRequest, nativeQueueLen)
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			s.nativeLoop(ctx)
		}()
	}
	if cfg.EngineIdleTimeout > 0 {
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			s.engineIdleLoop(ctx)
		}()
	}
	s.cdc = newCDCRunner(s)
	if cfg.Scheduler {
		s.wg.Add(2)
		go func() {
			defer s.wg.Done()
			s.schedulerLoop(ctx)
		}()
		go func() {
			defer s.wg.Done()
			s.cdc.loop(ctx)
		}()
	}
	return s
}

// Store returns the metastore (for the front ends' read-only needs).
func (s *Service) Store() *metastore.Store { return s.store }

// Close stops background work and releases engines and connectors.
func (s *Service) Close() error {
	// Under mu, so that no goBackground adds to wg once Wait has begun.
	s.mu.Lock()
	s.cancel()
	s.mu.Unlock()
	// Syncs shared by several callers run on the syncer's context.
	s.syncer.Close()
	s.wg.Wait()
	s.flushReads(context.Background())
	if s.resultCache != nil {
		s.resultCache.Close()
	}
	errs := s.closeRetired(true)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	for id, oe := range s.engines {
		errs = append(errs, oe.e.Close())
		delete(s.engines, id)
	}
	s.reportEnginesLocked()
	for id, c := range s.connectors {
		errs = append(errs, c.conn.Close())
		delete(s.connectors, id)
	}
	return errors.Join(errs...)
}

// Ready reports whether the service can serve: the metastore answers.
func (s *Service) Ready(ctx context.Context) error {
	if err := s.store.Ping(ctx); err != nil {
		return fmt.Errorf("metastore: %w", err)
	}
	return nil
}

// recoverLocked removes crash litter once per workspace per process.
func (s *Service) recoverLocked(ctx context.Context, wsID string) error {
	if s.recovered[wsID] {
		return nil
	}
	n, err := s.syncer.Recover(ctx, wsID)
	if err != nil {
		return err
	}
	if n > 0 {
		s.log.Info("removed leftovers of an interrupted write", "workspace", wsID, "entries", n)
	}
	s.recovered[wsID] = true
	return nil
}

// connectorFor returns an open connector for a connection, reusing one
// opened for the same version of the connection.
func (s *Service) connectorFor(ctx context.Context, c metastore.Connection) (connectors.Connector, error) {
	s.mu.Lock()
	if oc, ok := s.connectors[c.ID]; ok && oc.updatedAt.Equal(c.UpdatedAt) {
		s.mu.Unlock()
		return oc.conn, nil
	}
	s.mu.Unlock()
	typ, ok := s.registry.Get(c.SourceType)
	if !ok {
		return nil, newError(KindUnprocessable, "UNKNOWN_SOURCE_TYPE", "connection %s has source type %q, which this server does not support", c.Name, c.SourceType)
	}
	secret, err := s.secretFor(ctx, c) // secrets.go
	if err != nil {
		return nil, err
	}
	id := connectorIdentity(c, secret)
	s.mu.Lock()
	if oc, ok := s.connectors[c.ID]; ok && oc.identity == id {
		// Only its discovery changed: the open connector serves on.
		if oc.updatedAt.Before(c.UpdatedAt) {
			oc.updatedAt = c.UpdatedAt
			s.connectors[c.ID] = oc
		}
		s.mu.Unlock()
		return oc.conn, nil
	}
	s.mu.Unlock()
	conn, err := typ.Open(ctx, c.Config, secret, s.connectorEnv())
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if cur, ok := s.connectors[c.ID]; ok {
		if !cur.updatedAt.Before(c.UpdatedAt) {
			// Another caller opened this version (or a newer one)
			// meanwhile: use that, drop ours.
			go conn.Close()
			return cur.conn, nil
		}
		// Replaced by a newer configuration: statements planned with it
		// may still acquire connections, so it closes later.
		s.retired = append(s.retired, retiredConnector{conn: cur.conn, at: time.Now()})
	}
	s.connectors[c.ID] = openConnector{conn: conn, updatedAt: c.UpdatedAt, identity: id}
	return conn, nil
}

// collectGarbageLoop deletes retired snapshots of open workspaces and
// (control plane) expired results.
func (s *Service) collectGarbageLoop(ctx context.Context) {
	t := time.NewTicker(s.gcInterval())
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		s.flushReads(ctx)
		for _, err := range s.closeRetired(false) {
			if err != nil {
				s.log.Warn("closing a replaced connector", "err", err)
			}
		}
		s.mu.Lock()
		ids := make([]string, 0, len(s.engines))
		for id := range s.engines {
			ids = append(ids, id)
		}
		s.mu.Unlock()
		for _, id := range ids {
			if n, err := s.syncer.CollectGarbage(ctx, id, s.cfg.SnapshotGrace); err != nil {
				s.log.Warn("snapshot garbage collection", "workspace", id, "err", err)
			} else if n > 0 {
				s.log.Info("deleted retired snapshots", "workspace", id, "count", n)
			}
		}
		if s.cfg.Scheduler {
			s.cleanupResults(ctx)
			if n, err := s.store.PurgeHistory(ctx, time.Now().Add(-s.cfg.HistoryRetention)); err != nil {
				s.log.Warn("purging old query runs and jobs", "err", err)
			} else if n.QueryRuns+n.Jobs+n.Snapshots > 0 {
				s.log.Info("purged old records", "query_runs", n.QueryRuns, "jobs", n.Jobs, "snapshots", n.Snapshots)
			}
		}
	}
}

// PreviewRows is how many rows a REST query response inlines.
func (s *Service) PreviewRows() int { return s.cfg.PreviewRows }

// admitSession counts a pgwire session against its workspace's cap and
// returns the func that releases it.
func (s *Service) admitSession(ws metastore.Workspace) (func(), error) {
	limit := ws.Limits.MaxSessions
	if limit == 0 {
		limit = s.cfg.MaxSessionsPerWorkspace
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if limit > 0 && s.sessions[ws.ID] >= limit {
		return nil, pgerr.New(pgerr.TooManyConnections, "too many sessions for workspace %q (limit %d)", ws.Name, limit).
			WithHint("Close idle sessions, use a connection pool, or raise the workspace's max_sessions.")
	}
	s.sessions[ws.ID]++
	metrics.SessionOpened()
	var once sync.Once
	return func() {
		once.Do(func() {
			s.mu.Lock()
			s.sessions[ws.ID]--
			s.touchEngineLocked(ws.ID)
			s.mu.Unlock()
			metrics.SessionClosed()
		})
	}, nil
}

package server

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"path/filepath"
	"strings"
	"time"

	"github.com/hotdata-dev/hotdata/connectors/egress"
	"github.com/hotdata-dev/hotdata/connectors/postgres"
	"github.com/hotdata-dev/hotdata/internal/authlimit"
	"github.com/hotdata-dev/hotdata/workspace"
)

// Role is what a process serves.
type Role string

// Roles.
const (
	// RoleControl serves the REST API, runs background jobs, and (unless
	// PGAddr is empty) serves pgwire too: single-node mode.
	RoleControl Role = "control"
	// RoleProxy serves pgwire only.
	RoleProxy Role = "proxy"
)

// Config configures a process. Zero values take the defaults of Default.
type Config struct {
	Role           Role
	DataDir        string
	HTTPAddr       string // control only
	PGAddr         string // empty: no pgwire in this process
	MetastoreURL   string // default sqlite://<DataDir>/meta.db
	SecretKey      string // hex or base64; default <DataDir>/secret.key
	BootstrapToken string
	LogFormat      string // text or json
	LogLevel       string // debug, info, warn, error
	// ShutdownTimeout bounds the drain on SIGINT/SIGTERM.
	ShutdownTimeout time.Duration
	// EngineMemoryBytes and EngineThreads are the per-workspace engine
	// limits of workspaces that set none.
	EngineMemoryBytes int64
	EngineThreads     int
	// EngineMemoryBudget bounds the memory limits of all the engines
	// open at once (0: three quarters of the machine's memory); past it
	// idle engines are closed, else the statement fails with 53200.
	EngineMemoryBudget int64
	// EngineIdleTimeout closes engines of workspaces unused this long
	// (0: never); the next statement opens them again.
	EngineIdleTimeout time.Duration
	// MaxResultRows and MaxResultBytes cap a stored REST query result
	// (0: no cap); past either it holds the rows stored so far, and its
	// error_message and the query's warning say it was truncated.
	MaxResultRows  int64
	MaxResultBytes int64
	// RESTQueryTimeout is the statement_timeout of REST queries (0:
	// none); past it a query fails with 57014 (408).
	RESTQueryTimeout time.Duration
	// MaxStatementBytes bounds one statement's SQL text (a pgwire Query
	// or Parse message, a REST query's sql); longer ones fail with 54000.
	MaxStatementBytes int64
	// TLSCert and TLSKey are PEM files for pgwire's TLS; when both are
	// empty a self-signed certificate is made in the data dir.
	TLSCert, TLSKey string
	// PGRequireTLS refuses pgwire clients that do not use TLS.
	PGRequireTLS bool
	// PGCleartext asks TLS clients for the token in clear instead of
	// SCRAM (for clients without SCRAM); never over plain connections.
	PGCleartext bool
	// PGMaxConnections caps authenticated pgwire connections of this
	// process.
	PGMaxConnections int
	// PGAuthTimeout bounds a pgwire connection's start-up and
	// authentication. PGMaxHandshakes caps the pgwire connections not yet
	// authenticated, PGMaxHandshakesPerAddress those of one source address
	// (0: no cap); a connection past either waits up to PGHandshakeWait
	// for a slot before it is refused.
	PGAuthTimeout             time.Duration
	PGMaxHandshakes           int
	PGMaxHandshakesPerAddress int
	PGHandshakeWait           time.Duration
	// AuthMaxFailures is how many failed authentications, on pgwire and
	// REST together, a source address or a user name (REST: a token's
	// prefix) may have within AuthFailureWindow before further attempts
	// are refused until the window ends (0: no limit).
	AuthMaxFailures   int
	AuthFailureWindow time.Duration
	// HTTPMaxConnections caps the REST API's open connections (0: no
	// cap); past it a connection gets 503 and is closed. The timeouts
	// are net/http's: for the request headers, the whole request (an
	// upload's body included) and an idle keep-alive connection.
	HTTPMaxConnections    int
	HTTPReadHeaderTimeout time.Duration
	HTTPReadTimeout       time.Duration
	HTTPIdleTimeout       time.Duration
	// MaxSessionsPerWorkspace caps pgwire sessions per workspace for
	// workspaces that set no limit.
	MaxSessionsPerWorkspace int
	// PGIdleSessionTimeout and PGIdleInTransactionTimeout are the
	// server's defaults for idle_session_timeout and
	// idle_in_transaction_session_timeout (0: never).
	PGIdleSessionTimeout       time.Duration
	PGIdleInTransactionTimeout time.Duration
	// PgwireQueryRuns chooses the pgwire statements recorded as query
	// runs: all, errors, none or slow:<duration>.
	PgwireQueryRuns string
	// CacheBytes caps each workspace's cached snapshots (0: no cap) for
	// workspaces that set no limit; past it, the least recently read
	// tables are evicted.
	CacheBytes int64
	// SyncParallelism bounds the table syncs run at once by a refresh or
	// the scheduler.
	SyncParallelism int
	// CDCAdvanceEvery is how often change streams mark the snapshots of
	// tables no change touched as of their position.
	CDCAdvanceEvery time.Duration
	// SyncReaders is how many upstream connections a full read of a
	// large table uses at once, in resumable parts (0: read whole).
	SyncReaders int
	// SyncPartsFrom is the table size (bytes) from which a full read
	// goes in parts, of an eighth of it each.
	SyncPartsFrom int64
	// SchedulerTick is how often the control plane looks for tables due
	// for a scheduled refresh.
	SchedulerTick time.Duration
	// ResultCacheBytes bounds this process's in-memory result cache
	// (0: 256 MB; negative: off).
	ResultCacheBytes int64
	// MaxUploadBytes bounds one uploaded file (0: 1 GB).
	MaxUploadBytes int64
	// NativeCopies makes a native DuckDB copy of each snapshot that
	// queries read, in the background, and queries read the copy (faster
	// than Parquet, for about as much disk again).
	NativeCopies bool
	// HistoryRetention is how long the metastore keeps ended query runs,
	// jobs and deleted snapshots' records (0: 30 days).
	HistoryRetention time.Duration
	// ResultRetention is how long stored REST query results are kept
	// (0: 7 days).
	ResultRetention time.Duration
	// MaxConcurrentQueries caps the REST queries running at once per
	// workspace, for workspaces that set no limit (0: 16).
	MaxConcurrentQueries int
	// EgressAllow and EgressDeny are the networks connections may and
	// may not reach (connectors/egress.Policy: the most specific entry
	// wins; link-local and metadata addresses are always denied).
	// EgressDeny nil takes egress.DefaultDeny (loopback and private
	// networks); set it empty to deny nothing more.
	EgressAllow []netip.Prefix
	EgressDeny  []netip.Prefix
}

// EgressPolicy is the policy the config describes.
func (c Config) EgressPolicy() egress.Policy {
	p := egress.DefaultPolicy()
	if c.EgressDeny != nil {
		p.Deny = c.EgressDeny
	}
	p.Allow = c.EgressAllow
	return p
}

// Default returns the embedded defaults for a role.
func Default(role Role) Config {
	c := Config{
		Role:            role,
		DataDir:         "./hotdata-data",
		PGAddr:          "127.0.0.1:5433",
		LogFormat:       "text",
		LogLevel:        "info",
		ShutdownTimeout: 30 * time.Second,

		PGMaxConnections:           500,
		PGAuthTimeout:              10 * time.Second,
		PGMaxHandshakes:            200,
		PGMaxHandshakesPerAddress:  20,
		PGHandshakeWait:            5 * time.Second,
		AuthMaxFailures:            authlimit.DefaultMaxFailures,
		AuthFailureWindow:          authlimit.DefaultWindow,
		HTTPMaxConnections:         1000,
		HTTPReadHeaderTimeout:      10 * time.Second,
		HTTPReadTimeout:            15 * time.Minute,
		HTTPIdleTimeout:            2 * time.Minute,
		MaxSessionsPerWorkspace:    200,
		PGIdleInTransactionTimeout: 0,
		// Like log_min_duration_statement: failed and slow statements.
		PgwireQueryRuns: "slow:100ms",
		SyncParallelism: 2,
		SyncReaders:     2,
		SyncPartsFrom:   postgres.DefaultPartsFrom,
		CDCAdvanceEvery: 30 * time.Second,
		SchedulerTick:   5 * time.Second,
		NativeCopies:    true,

		EngineIdleTimeout: 10 * time.Minute,
		MaxStatementBytes: 4 << 20,
		RESTQueryTimeout:  5 * time.Minute,
		MaxResultRows:     10_000_000,
		MaxResultBytes:    1 << 30,
	}
	if role == RoleControl {
		c.HTTPAddr = "127.0.0.1:8080"
	}
	return c
}

// Validate checks the config and fills derived defaults.
func (c *Config) Validate() error {
	var errs []error
	switch c.Role {
	case RoleControl, RoleProxy:
	default:
		errs = append(errs, fmt.Errorf("role %q: want control or proxy", c.Role))
	}
	if c.DataDir == "" {
		errs = append(errs, errors.New("data dir must be set (HOTDATA_DATA_DIR)"))
	}
	if c.Role == RoleControl && c.HTTPAddr == "" {
		errs = append(errs, errors.New("the control plane needs an HTTP address (HOTDATA_HTTP_ADDR)"))
	}
	if c.Role == RoleProxy && c.PGAddr == "" {
		errs = append(errs, errors.New("the proxy needs a pgwire address (HOTDATA_PG_ADDR)"))
	}
	for name, addr := range map[string]string{"HOTDATA_HTTP_ADDR": c.HTTPAddr, "HOTDATA_PG_ADDR": c.PGAddr} {
		if addr == "" {
			continue
		}
		if _, _, err := net.SplitHostPort(addr); err != nil {
			errs = append(errs, fmt.Errorf("%s %q: want host:port", name, addr))
		}
	}
	switch c.LogFormat {
	case "text", "json":
	default:
		errs = append(errs, fmt.Errorf("log format %q: want text or json", c.LogFormat))
	}
	switch strings.ToLower(c.LogLevel) {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("log level %q: want debug, info, warn or error", c.LogLevel))
	}
	if _, err := workspace.ParseRunPolicy(c.PgwireQueryRuns); err != nil {
		errs = append(errs, err)
	}
	if c.SyncPartsFrom < 1<<20 {
		errs = append(errs, fmt.Errorf("sync parts from %d bytes: want 1MB or more (HOTDATA_SYNC_PARTS_FROM)", c.SyncPartsFrom))
	}
	if c.SyncReaders < 0 || c.SyncReaders > 64 {
		errs = append(errs, fmt.Errorf("sync readers %d: want 0 to 64 (HOTDATA_SYNC_READERS)", c.SyncReaders))
	}
	if c.CDCAdvanceEvery <= 0 {
		errs = append(errs, fmt.Errorf("cdc advance interval %s: want more than 0 (HOTDATA_CDC_ADVANCE_EVERY)", c.CDCAdvanceEvery))
	}
	if c.SyncParallelism < 1 {
		errs = append(errs, fmt.Errorf("sync parallelism %d: want at least 1 (HOTDATA_SYNC_PARALLELISM)", c.SyncParallelism))
	}
	if c.EngineMemoryBudget > 0 && c.EngineMemoryBytes > c.EngineMemoryBudget {
		errs = append(errs, fmt.Errorf("engine memory %d is more than the engine memory budget %d (HOTDATA_ENGINE_MEMORY, HOTDATA_ENGINE_MEMORY_BUDGET)", c.EngineMemoryBytes, c.EngineMemoryBudget))
	}
	if c.MaxStatementBytes <= 0 || c.MaxStatementBytes > 1<<30-1 {
		errs = append(errs, fmt.Errorf("max statement bytes %d: want 1 to 1GB (HOTDATA_MAX_STATEMENT_BYTES)", c.MaxStatementBytes))
	}
	if c.CacheBytes < 0 {
		errs = append(errs, fmt.Errorf("cache bytes %d: want 0 (no limit) or more", c.CacheBytes))
	}
	if c.PGAuthTimeout <= 0 {
		c.PGAuthTimeout = 10 * time.Second
	}
	if c.AuthFailureWindow <= 0 {
		c.AuthFailureWindow = authlimit.DefaultWindow
	}
	if c.ShutdownTimeout <= 0 {
		c.ShutdownTimeout = 30 * time.Second
	}
	if c.DataDir != "" {
		// Everything that compares paths (the engine's allowed folder,
		// snapshot mounts) needs one absolute form.
		abs, err := filepath.Abs(c.DataDir)
		if err != nil {
			errs = append(errs, fmt.Errorf("data dir %q: %w", c.DataDir, err))
		} else {
			c.DataDir = abs
		}
	}
	if c.MetastoreURL == "" && c.DataDir != "" {
		c.MetastoreURL = "sqlite://" + filepath.Join(c.DataDir, "meta.db")
	}
	return errors.Join(errs...)
}

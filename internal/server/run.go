package server

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/hotdata-dev/hotdata/api"
	"github.com/hotdata-dev/hotdata/connectors"
	"github.com/hotdata-dev/hotdata/connectors/bigquery"
	"github.com/hotdata-dev/hotdata/connectors/egress"
	"github.com/hotdata-dev/hotdata/connectors/mysql"
	"github.com/hotdata-dev/hotdata/connectors/postgres"
	"github.com/hotdata-dev/hotdata/connectors/snowflake"
	"github.com/hotdata-dev/hotdata/internal/authlimit"
	"github.com/hotdata-dev/hotdata/metastore"
	"github.com/hotdata-dev/hotdata/pgcatalog"
	"github.com/hotdata-dev/hotdata/web"
	"github.com/hotdata-dev/hotdata/wire"
	"github.com/hotdata-dev/hotdata/workspace"
)

// NewLogger returns the process logger for a config.
func NewLogger(c Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(strings.ToLower(c.LogLevel)))
	opts := &slog.HandlerOptions{Level: level}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// Process is a running Hotdata process.
type Process struct {
	cfg     Config
	log     *slog.Logger
	store   *metastore.Store
	svc     *workspace.Service
	pg      *wire.Server
	http    *http.Server
	pgLn    net.Listener
	httpLn  net.Listener
	wg      sync.WaitGroup
	serveMu sync.Mutex
	errs    []error
	// Bootstrapped tells what the first start made.
	Bootstrapped workspace.Bootstrapped
}

// Start opens everything and begins serving. Stop shuts it down.
func Start(ctx context.Context, cfg Config, log *slog.Logger) (*Process, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("create data dir: %w", err)
	}
	// Process-wide, as the connector's other tuning (several processes
	// in one test binary start with the same value).
	postgres.SetPartsFrom(cfg.SyncPartsFrom)
	key, err := metastore.LoadKey(cfg.SecretKey, filepath.Join(cfg.DataDir, "secret.key"))
	if err != nil {
		return nil, err
	}
	sealer, err := metastore.NewSealer(key)
	if err != nil {
		return nil, err
	}
	store, err := metastore.Open(ctx, cfg.MetastoreURL, sealer)
	if err != nil {
		return nil, err
	}
	p := &Process{cfg: cfg, log: log, store: store}
	if p.Bootstrapped, err = workspace.Bootstrap(ctx, store, cfg.BootstrapToken); err != nil {
		store.Close()
		return nil, err
	}
	if p.Bootstrapped.Token != "" {
		if err := os.WriteFile(filepath.Join(cfg.DataDir, "admin-token"), []byte(p.Bootstrapped.Token+"\n"), 0o600); err != nil {
			store.Close()
			return nil, fmt.Errorf("save admin token: %w", err)
		}
	}
	node := string(cfg.Role) + "@" + hostname() + ":" + firstNonEmpty(cfg.HTTPAddr, cfg.PGAddr)
	if cfg.Role == RoleControl {
		if n, err := store.InterruptRESTRuns(ctx); err != nil {
			log.Warn("mark interrupted query runs", "err", err)
		} else if n > 0 {
			log.Warn("REST queries of a previous run were interrupted", "count", n)
		}
	}
	if n, err := store.InterruptJobs(ctx, node); err != nil {
		log.Warn("mark interrupted jobs", "err", err)
	} else if n > 0 {
		log.Warn("jobs of a previous run were interrupted", "count", n)
	}
	registry := connectors.NewRegistry(postgres.Type, mysql.Type, bigquery.Type, snowflake.Type)
	runs, _ := workspace.ParseRunPolicy(cfg.PgwireQueryRuns) // checked by Validate
	p.svc = workspace.New(store, registry, workspace.Config{
		DataDir: cfg.DataDir, Node: node, EngineMemoryBytes: cfg.EngineMemoryBytes, EngineThreads: cfg.EngineThreads,
		EngineMemoryBudget: cfg.EngineMemoryBudget, EngineIdleTimeout: cfg.EngineIdleTimeout,
		MaxStatementBytes: int(cfg.MaxStatementBytes), RESTQueryTimeout: cfg.RESTQueryTimeout,
		MaxResultRows: cfg.MaxResultRows, MaxResultBytes: cfg.MaxResultBytes,
		MaxSessionsPerWorkspace: cfg.MaxSessionsPerWorkspace, PgwireRuns: runs,
		CacheBytes: cfg.CacheBytes, SyncParallelism: cfg.SyncParallelism, CDCAdvanceEvery: cfg.CDCAdvanceEvery,
		SyncReaders: readers(cfg.SyncReaders),
		Scheduler:   cfg.Role == RoleControl, SchedulerTick: cfg.SchedulerTick, ResultCacheBytes: cfg.ResultCacheBytes, MaxUploadBytes: cfg.MaxUploadBytes,
		ResultRetention: cfg.ResultRetention, HistoryRetention: cfg.HistoryRetention, MaxConcurrentQueries: cfg.MaxConcurrentQueries,
		NoNativeCopies: !cfg.NativeCopies, Egress: egress.NewDialer(cfg.EgressPolicy()),
	}, log)

	// One limiter for both front ends: failures on one count on the other.
	limiter := authlimit.New(cfg.AuthMaxFailures, cfg.AuthFailureWindow)
	if cfg.PGAddr != "" {
		tc, err := tlsConfig(cfg)
		if err != nil {
			p.closeResources()
			return nil, err
		}
		p.pg, err = wire.NewServer(wire.Config{Handler: p.svc.PgHandler(), Logger: log, ServerVersion: pgcatalog.ServerVersion, TLS: tc, RequireTLS: cfg.PGRequireTLS,
			AllowCleartext: cfg.PGCleartext, MaxConns: cfg.PGMaxConnections,
			AuthTimeout: cfg.PGAuthTimeout, MaxHandshakes: cfg.PGMaxHandshakes, MaxHandshakesPerAddr: cfg.PGMaxHandshakesPerAddress, HandshakeWait: cfg.PGHandshakeWait, AuthLimiter: limiter,
			IdleSessionTimeout: cfg.PGIdleSessionTimeout, IdleInTransactionTimeout: cfg.PGIdleInTransactionTimeout,
			MaxStatementBytes: int(cfg.MaxStatementBytes)})
		if err != nil {
			p.closeResources()
			return nil, err
		}
		if p.pgLn, err = net.Listen("tcp", cfg.PGAddr); err != nil {
			p.closeResources()
			return nil, fmt.Errorf("listen for pgwire on %s: %w", cfg.PGAddr, err)
		}
	}
	if cfg.Role == RoleControl {
		ln, err := net.Listen("tcp", cfg.HTTPAddr)
		if err != nil {
			if p.pgLn != nil {
				p.pgLn.Close()
			}
			p.closeResources()
			return nil, fmt.Errorf("listen for HTTP on %s: %w", cfg.HTTPAddr, err)
		}
		p.httpLn = limitListener(ln, cfg.HTTPMaxConnections, log)
		// The console (package web) at /, the REST API at /v1 and the
		// probes.
		p.http = &http.Server{Handler: web.Handler(api.New(p.svc, log, limiter)),
			ReadHeaderTimeout: cfg.HTTPReadHeaderTimeout, ReadTimeout: cfg.HTTPReadTimeout, IdleTimeout: cfg.HTTPIdleTimeout,
			// net/http logs accept retries and TLS noise here.
			ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	}
	p.serve()
	// Both listeners are bound and their servers accepting: say so on
	// every start (the first start's banner is printed besides).
	log.Info("hotdata ready: accepting connections", "role", cfg.Role, "http", addrOf(p.httpLn), "pgwire", addrOf(p.pgLn),
		"data_dir", cfg.DataDir, "metastore", store.Backend())
	return p, nil
}

func (p *Process) serve() {
	if p.pg != nil {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			if err := p.pg.Serve(p.pgLn); err != nil && !errors.Is(err, wire.ErrServerClosed) {
				p.fail(fmt.Errorf("pgwire: %w", err))
			}
		}()
	}
	if p.http != nil {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			if err := p.http.Serve(p.httpLn); err != nil && !errors.Is(err, http.ErrServerClosed) {
				p.fail(fmt.Errorf("http: %w", err))
			}
		}()
	}
}

func (p *Process) fail(err error) {
	p.serveMu.Lock()
	p.errs = append(p.errs, err)
	p.serveMu.Unlock()
	p.log.Error("server stopped", "err", err)
}

// PGAddr and HTTPAddr are the bound addresses ("" when not serving).
func (p *Process) PGAddr() string   { return addrOf(p.pgLn) }
func (p *Process) HTTPAddr() string { return addrOf(p.httpLn) }

func addrOf(ln net.Listener) string {
	if ln == nil {
		return ""
	}
	return ln.Addr().String()
}

// Stop drains: no new connections, running statements and requests finish
// (until ctx ends), then everything is closed.
func (p *Process) Stop(ctx context.Context) error {
	var errs []error
	var wg sync.WaitGroup
	var pgErr error
	if p.pg != nil {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := p.pg.Shutdown(ctx); err != nil {
				pgErr = fmt.Errorf("pgwire shutdown: %w", err)
			}
		}()
	}
	if p.http != nil {
		if err := p.http.Shutdown(ctx); err != nil {
			errs = append(errs, fmt.Errorf("http shutdown: %w", err))
			p.http.Close()
		}
	}
	wg.Wait()
	errs = append(errs, pgErr)
	p.wg.Wait()
	p.closeResources()
	p.serveMu.Lock()
	errs = append(errs, p.errs...)
	p.serveMu.Unlock()
	return errors.Join(errs...)
}

func (p *Process) closeResources() {
	if p.svc != nil {
		if err := p.svc.Close(); err != nil {
			p.log.Warn("close service", "err", err)
		}
	}
	if err := p.store.Close(); err != nil {
		p.log.Warn("close metastore", "err", err)
	}
}

func hostname() string {
	h, err := os.Hostname()
	if err != nil {
		return "localhost"
	}
	return h
}

func firstNonEmpty(v ...string) string {
	for _, s := range v {
		if s != "" {
			return s
		}
	}
	return ""
}

// MetastoreStats are the metastore's connection pool statistics.
func (p *Process) MetastoreStats() sql.DBStats { return p.store.Stats() }

// readers turns the configured readers per read (0: read whole) into
// workspace.Config.SyncReaders (0: its default; negative: read whole).
func readers(n int) int {
	if n == 0 {
		return -1
	}
	return n
}

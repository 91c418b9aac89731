package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"os/signal"
	"runtime/pprof"
	"strconv"
	"syscall"
	"time"

	"github.com/hotdata-dev/hotdata/connectors/egress"
	"github.com/hotdata-dev/hotdata/internal/server"
)

// usageSummary says what each binary serves, for -h.
var usageSummary = map[server.Role]string{
	server.RoleControl: "Hotdata's control plane: the REST API, background syncs and refreshes and, unless -pg-addr is empty,\n" +
		"the PostgreSQL protocol endpoint in the same process (single-node mode).",
	server.RoleProxy: "Hotdata's PostgreSQL protocol endpoint alone, sharing the metastore (and data directory) of a control\n" +
		"plane, to scale query serving apart from it.",
}

// ParseConfig reads args and the environment into a config for role.
func ParseConfig(role server.Role, args []string, lookupEnv func(string) (string, bool), stderr io.Writer) (server.Config, error) {
	getenv := func(name string) string {
		v, _ := lookupEnv(name)
		return v
	}
	cfg := server.Default(role)
	fs := flag.NewFlagSet(string(role), flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: %s [flags]\n\n%s\n\nEvery flag is also read from the HOTDATA_* variable named beside it; a flag wins.\n\n",
			role, usageSummary[role])
		fs.PrintDefaults()
	}
	str := func(p *string, name, env, usage string) {
		if v := getenv(env); v != "" {
			*p = v
		}
		fs.StringVar(p, name, *p, usage+" ("+env+")")
	}
	str(&cfg.DataDir, "data-dir", "HOTDATA_DATA_DIR", "folder for the metastore, cache and keys")
	if role == server.RoleControl {
		str(&cfg.HTTPAddr, "http-addr", "HOTDATA_HTTP_ADDR", "REST API listen address")
	}
	if v, ok := lookupEnv("HOTDATA_PG_ADDR"); ok {
		cfg.PGAddr = v // may be set empty on purpose: no pgwire in this process
	}
	pgUsage := "PostgreSQL protocol listen address; empty for none (HOTDATA_PG_ADDR)"
	if role == server.RoleProxy {
		pgUsage = "PostgreSQL protocol listen address (HOTDATA_PG_ADDR)"
	}
	fs.StringVar(&cfg.PGAddr, "pg-addr", cfg.PGAddr, pgUsage)
	str(&cfg.MetastoreURL, "metastore-url", "HOTDATA_METASTORE_URL", "sqlite://<path> or postgres://… (default sqlite in the data dir)")
	str(&cfg.SecretKey, "secret-key", "HOTDATA_SECRET_KEY", "32-byte key as hex or base64 that seals secrets (default <data dir>/secret.key)")
	str(&cfg.BootstrapToken, "bootstrap-token", "HOTDATA_BOOTSTRAP_TOKEN", "fix the first admin token's text (for tests and automation)")
	str(&cfg.LogFormat, "log-format", "HOTDATA_LOG_FORMAT", "text or json")
	str(&cfg.LogLevel, "log-level", "HOTDATA_LOG_LEVEL", "debug, info, warn or error")
	str(&cfg.TLSCert, "tls-cert", "HOTDATA_TLS_CERT", "PEM certificate for pgwire TLS (default: self-signed, made in the data dir)")
	str(&cfg.TLSKey, "tls-key", "HOTDATA_TLS_KEY", "PEM private key for pgwire TLS")
	var parseErrs []error
	boolean := func(p *bool, name, env, usage string) {
		if v := getenv(env); v != "" {
			b, err := strconv.ParseBool(v)
			if err != nil {
				parseErrs = append(parseErrs, fmt.Errorf("%s=%q: want true or false", env, v))
			}
			*p = b
		}
		fs.BoolVar(p, name, *p, usage+" ("+env+")")
	}
	integer := func(p *int, name, env, usage string) {
		if v := getenv(env); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				parseErrs = append(parseErrs, fmt.Errorf("%s=%q: want a whole number", env, v))
			}
			*p = n
		}
		fs.IntVar(p, name, *p, usage+" ("+env+")")
	}
	duration := func(p *time.Duration, name, env, usage string) {
		if v := getenv(env); v != "" {
			d, err := time.ParseDuration(v)
			if err != nil || d < 0 {
				parseErrs = append(parseErrs, fmt.Errorf("%s=%q: want a duration like 30s or 10m", env, v))
			}
			*p = d
		}
		fs.DurationVar(p, name, *p, usage+" ("+env+")")
	}
	boolean(&cfg.PGRequireTLS, "pg-require-tls", "HOTDATA_PG_REQUIRE_TLS", "refuse pgwire clients without TLS")
	boolean(&cfg.PGCleartext, "pg-cleartext", "HOTDATA_PG_CLEARTEXT", "ask TLS clients for the token in clear instead of SCRAM")
	boolean(&cfg.NativeCopies, "native-copies", "HOTDATA_NATIVE_COPIES", "make native DuckDB copies of the snapshots queries read (faster scans, about twice the disk)")
	integer(&cfg.PGMaxConnections, "pg-max-connections", "HOTDATA_PG_MAX_CONNECTIONS", "most pgwire connections (0: no cap)")
	duration(&cfg.PGAuthTimeout, "pg-auth-timeout", "HOTDATA_PG_AUTH_TIMEOUT", "time a pgwire client has to start up and authenticate")
	integer(&cfg.PGMaxHandshakes, "pg-max-handshakes", "HOTDATA_PG_MAX_HANDSHAKES", "most pgwire connections not yet authenticated (0: no cap); more wait for a slot, then get 53300")
	integer(&cfg.PGMaxHandshakesPerAddress, "pg-max-handshakes-per-address", "HOTDATA_PG_MAX_HANDSHAKES_PER_ADDRESS", "most pgwire connections not yet authenticated from one address (0: no cap); more wait for a slot, then get 53300")
	duration(&cfg.PGHandshakeWait, "pg-handshake-wait", "HOTDATA_PG_HANDSHAKE_WAIT", "how long a pgwire connection past the handshake caps waits for a slot before it is refused (at most the auth timeout)")
	integer(&cfg.AuthMaxFailures, "auth-max-failures", "HOTDATA_AUTH_MAX_FAILURES", "failed authentications allowed per source address and per user within the window, front ends together; past it attempts are refused until the window ends (0: no limit)")
	duration(&cfg.AuthFailureWindow, "auth-failure-window", "HOTDATA_AUTH_FAILURE_WINDOW", "window over which failed authentications are counted")
	integer(&cfg.MaxSessionsPerWorkspace, "max-sessions-per-workspace", "HOTDATA_MAX_SESSIONS_PER_WORKSPACE", "most pgwire sessions per workspace (0: no cap)")
	duration(&cfg.PGIdleSessionTimeout, "pg-idle-session-timeout", "HOTDATA_PG_IDLE_SESSION_TIMEOUT", "close sessions idle this long (0: never)")
	duration(&cfg.PGIdleInTransactionTimeout, "pg-idle-in-transaction-timeout", "HOTDATA_PG_IDLE_IN_TRANSACTION_TIMEOUT", "close sessions idle this long inside a transaction (0: never)")
	duration(&cfg.EngineIdleTimeout, "engine-idle-timeout", "HOTDATA_ENGINE_IDLE_TIMEOUT", "close a workspace's engine unused this long, freeing its memory (0: never)")
	integer(&cfg.SyncReaders, "sync-readers", "HOTDATA_SYNC_READERS", "upstream connections one full read of a large table uses at once, in parts kept as they finish so that a read that dies resumes (0: read tables whole)")
	str(&cfg.PgwireQueryRuns, "pgwire-query-runs", "HOTDATA_PGWIRE_QUERY_RUNS", "which pgwire statements to record as query runs: all, errors, none, slow:<duration>")
	var maxUpload, maxResultBytes, maxResultRows string
	if role == server.RoleControl {
		// REST refreshes and the scheduler run syncs in parallel; the
		// proxy syncs a table only when a statement first reads it.
		integer(&cfg.SyncParallelism, "sync-parallelism", "HOTDATA_SYNC_PARALLELISM", "table syncs run at once by a refresh or the scheduler")
		duration(&cfg.CDCAdvanceEvery, "cdc-advance-every", "HOTDATA_CDC_ADVANCE_EVERY", "how often the snapshots of streamed tables no change touched are marked as of the change stream's position (where a restart resumes them)")
		duration(&cfg.HistoryRetention, "history-retention", "HOTDATA_HISTORY_RETENTION", "keep ended query runs, jobs and deleted snapshots' records this long (default 720h)")
		integer(&cfg.HTTPMaxConnections, "http-max-connections", "HOTDATA_HTTP_MAX_CONNECTIONS", "most open REST connections (0: no cap); more get 503")
		duration(&cfg.HTTPReadHeaderTimeout, "http-read-header-timeout", "HOTDATA_HTTP_READ_HEADER_TIMEOUT", "time a REST client has to send a request's headers (0: none)")
		duration(&cfg.HTTPReadTimeout, "http-read-timeout", "HOTDATA_HTTP_READ_TIMEOUT", "time a REST client has to send a whole request, upload included (0: none)")
		duration(&cfg.HTTPIdleTimeout, "http-idle-timeout", "HOTDATA_HTTP_IDLE_TIMEOUT", "close REST keep-alive connections idle this long (0: the read timeout)")
		duration(&cfg.RESTQueryTimeout, "rest-query-timeout", "HOTDATA_REST_QUERY_TIMEOUT", "statement_timeout of REST queries (0: none)")
		maxUpload = getenv("HOTDATA_MAX_UPLOAD_BYTES")
		maxResultBytes = getenv("HOTDATA_MAX_RESULT_BYTES")
		fs.StringVar(&maxResultBytes, "max-result-bytes", maxResultBytes, "cap of one stored query result, e.g. 1GB (the default), or off; past it the result is truncated (HOTDATA_MAX_RESULT_BYTES)")
		maxResultRows = getenv("HOTDATA_MAX_RESULT_ROWS")
		fs.StringVar(&maxResultRows, "max-result-rows", maxResultRows, "cap of the rows of one stored query result (default 10000000; 0: none); past it the result is truncated (HOTDATA_MAX_RESULT_ROWS)")
		fs.StringVar(&maxUpload, "max-upload-bytes", maxUpload, "largest file POST /v1/files accepts, e.g. 1GB (the default) (HOTDATA_MAX_UPLOAD_BYTES)")
	}
	prefixes := func(p *[]netip.Prefix, name, env, usage string) {
		v, set := lookupEnv(env)
		if set && v == "" {
			v = "none"
		}
		parse := func(v string) error {
			if v == "" {
				v = "none"
			}
			ps, err := egress.ParsePrefixes(v)
			if err != nil {
				return fmt.Errorf("%s: %w", env, err)
			}
			*p = ps
			return nil
		}
		if set {
			if err := parse(v); err != nil {
				parseErrs = append(parseErrs, err)
			}
		}
		fs.Func(name, usage+" ("+env+")", parse)
	}
	prefixes(&cfg.EgressAllow, "egress-allow", "HOTDATA_EGRESS_ALLOW",
		"networks connections may reach although denied, e.g. 127.0.0.1,10.1.0.0/16 (default none)")
	prefixes(&cfg.EgressDeny, "egress-deny", "HOTDATA_EGRESS_DENY",
		"networks connections may not reach, or none (default "+egress.FormatPrefixes(egress.DefaultDeny)+"; link-local and metadata addresses are always denied)")
	resultCache := getenv("HOTDATA_RESULT_CACHE_BYTES")
	fs.StringVar(&resultCache, "result-cache-bytes", resultCache, "in-memory result cache size, e.g. 256MB (the default), or off (HOTDATA_RESULT_CACHE_BYTES)")
	partsFrom := getenv("HOTDATA_SYNC_PARTS_FROM")
	fs.StringVar(&partsFrom, "sync-parts-from", partsFrom, "table size from which a full read goes in parts of an eighth of it, e.g. 1GB, the default (HOTDATA_SYNC_PARTS_FROM)")
	cacheSize := getenv("HOTDATA_CACHE_BYTES")
	fs.StringVar(&cacheSize, "cache-bytes", cacheSize, "per-workspace cache size limit, e.g. 50GB; least recently read tables are evicted past it (HOTDATA_CACHE_BYTES)")
	mem := getenv("HOTDATA_ENGINE_MEMORY")
	fs.StringVar(&mem, "engine-memory", mem, "per-workspace engine memory limit, e.g. 2GB (default: a quarter of the budget) (HOTDATA_ENGINE_MEMORY)")
	budget := getenv("HOTDATA_ENGINE_MEMORY_BUDGET")
	fs.StringVar(&budget, "engine-memory-budget", budget, "memory of all workspace engines open at once, e.g. 16GB (default: 3/4 of the machine's memory) (HOTDATA_ENGINE_MEMORY_BUDGET)")
	maxStmt := getenv("HOTDATA_MAX_STATEMENT_BYTES")
	fs.StringVar(&maxStmt, "max-statement-bytes", maxStmt, "longest SQL text of one statement (a Query or Parse message, an API query), e.g. 4MB (the default); longer ones fail with 54000 (HOTDATA_MAX_STATEMENT_BYTES)")
	threads := getenv("HOTDATA_ENGINE_THREADS")
	fs.StringVar(&threads, "engine-threads", threads, "per-workspace engine threads (default: half the cores) (HOTDATA_ENGINE_THREADS)")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if len(parseErrs) > 0 {
		return cfg, errors.Join(parseErrs...)
	}
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	if mem != "" {
		n, err := parseBytes(mem)
		if err != nil {
			return cfg, fmt.Errorf("engine memory: %w", err)
		}
		cfg.EngineMemoryBytes = n
	}
	if maxResultBytes == "off" || maxResultBytes == "0" {
		cfg.MaxResultBytes = 0
	} else if maxResultBytes != "" {
		n, err := parseBytes(maxResultBytes)
		if err != nil {
			return cfg, fmt.Errorf("max result bytes: %w", err)
		}
		cfg.MaxResultBytes = n
	}
	if maxResultRows != "" {
		n, err := strconv.ParseInt(maxResultRows, 10, 64)
		if err != nil || n < 0 {
			return cfg, fmt.Errorf("max result rows %q: want a whole number", maxResultRows)
		}
		cfg.MaxResultRows = n
	}
	if maxStmt != "" {
		n, err := parseBytes(maxStmt)
		if err != nil {
			return cfg, fmt.Errorf("max statement bytes: %w", err)
		}
		cfg.MaxStatementBytes = n
	}
	if budget != "" {
		n, err := parseBytes(budget)
		if err != nil {
			return cfg, fmt.Errorf("engine memory budget: %w", err)
		}
		cfg.EngineMemoryBudget = n
	}
	if maxUpload != "" {
		n, err := parseBytes(maxUpload)
		if err != nil {
			return cfg, fmt.Errorf("max upload bytes: %w", err)
		}
		cfg.MaxUploadBytes = n
	}
	if resultCache == "off" || resultCache == "0" {
		cfg.ResultCacheBytes = -1
	} else if resultCache != "" {
		n, err := parseBytes(resultCache)
		if err != nil {
			return cfg, fmt.Errorf("result cache bytes: %w", err)
		}
		cfg.ResultCacheBytes = n
	}
	if partsFrom != "" {
		n, err := parseBytes(partsFrom)
		if err != nil {
			return cfg, fmt.Errorf("sync parts from: %w", err)
		}
		cfg.SyncPartsFrom = n
	}
	if cacheSize != "" {
		n, err := parseBytes(cacheSize)
		if err != nil {
			return cfg, fmt.Errorf("cache bytes: %w", err)
		}
		cfg.CacheBytes = n
	}
	if threads != "" {
		n, err := strconv.Atoi(threads)
		if err != nil || n < 1 {
			return cfg, fmt.Errorf("engine threads %q: want a positive number", threads)
		}
		cfg.EngineThreads = n
	}
	return cfg, cfg.Validate()
}

func parseBytes(s string) (int64, error) {
	units := []struct {
		suffix string
		mult   int64
	}{{"TB", 1 << 40}, {"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}, {"B", 1}}
	for _, u := range units {
		if len(s) > len(u.suffix) && (s[len(s)-len(u.suffix):] == u.suffix) {
			n, err := strconv.ParseFloat(s[:len(s)-len(u.suffix)], 64)
			if err != nil || n <= 0 {
				break
			}
			return int64(n * float64(u.mult)), nil
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%q: want a size like 512MB or 2GB", s)
	}
	return n, nil
}

// Main runs a process for role until a signal; it returns the exit code.
func Main(role server.Role, args []string, stdout, stderr io.Writer) int {
	cfg, err := ParseConfig(role, args, os.LookupEnv, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "hotdata %s: %v\n", role, err)
		return 2
	}
	log := server.NewLogger(cfg, stderr)
	raiseOpenFileLimit(log)
	if path := os.Getenv("HOTDATA_CPU_PROFILE"); path != "" {
		// For profiling (bench/): the profile is written at shutdown.
		f, err := os.Create(path)
		if err == nil && pprof.StartCPUProfile(f) == nil {
			defer func() {
				pprof.StopCPUProfile()
				f.Close()
			}()
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	p, err := server.Start(ctx, cfg, log)
	if err != nil {
		log.Error("start failed", "err", err)
		return 1
	}
	if p.Bootstrapped.Token != "" {
		printBanner(stdout, cfg, p)
	}
	<-ctx.Done()
	stop()
	log.Info("shutting down: draining connections (send the signal again to exit at once)", "timeout", cfg.ShutdownTimeout)
	// A second signal exits at once.
	again := make(chan os.Signal, 1)
	signal.Notify(again, os.Interrupt, syscall.SIGTERM)
	stopped := make(chan struct{})
	defer func() {
		signal.Stop(again)
		close(stopped)
	}()
	go func() {
		select {
		case <-again:
			log.Warn("second signal: exiting now")
			os.Exit(1)
		case <-stopped:
		}
	}()
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := p.Stop(sctx); err != nil {
		log.Error("shutdown", "err", err)
		return 1
	}
	log.Info("stopped")
	return 0
}

func printBanner(w io.Writer, cfg server.Config, p *server.Process) {
	b := p.Bootstrapped
	tok := b.Token
	fmt.Fprintf(w, "\nHotdata is ready. First start: made organization %q, workspace %q (%s) and an admin token.\n",
		b.Organization.Name, b.Workspace.Name, b.Workspace.ID)
	fmt.Fprintf(w, "The token is shown once here and saved to %s (mode 0600):\n\n    %s\n\n", cfg.DataDir+"/admin-token", tok)
	if pg := p.PGAddr(); pg != "" {
		host, port, _ := net.SplitHostPort(pg)
		fmt.Fprintf(w, "Connect with psql:\n\n    psql \"postgres://admin:%s@%s:%s/%s?sslmode=disable\"\n\n", tok, host, port, b.Workspace.Name)
	}
	if h := p.HTTPAddr(); h != "" {
		fmt.Fprintf(w, "Call the API:\n\n    curl -H \"Authorization: Bearer %s\" -H \"X-Workspace-Id: %s\" http://%s/v1/information_schema\n\n", tok, b.Workspace.ID, h)
	}
}

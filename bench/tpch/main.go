package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// The engines, in the order every query runs on them.
const (
	enginePG          = iota
	engineDuck        // bare DuckDB over the native copies Hotdata reads
	engineDuckParquet // bare DuckDB over the snapshots' Parquet files
	engineHotdata
	numEngines
)

var engineNames = [numEngines]string{"PostgreSQL", "DuckDB", "DuckDB over Parquet", "Hotdata"}

type config struct {
	sf        int64
	runs      int
	cacheRuns int
	keep      bool
	pgURL     string
	db        string
	bin       string
	work      string // kept when set
	only      map[string]bool
}

func main() { os.Exit(run()) }

// run returns the exit status: 0, 1 when an engine failed or answers
// differ, 2 when the benchmark could not be set up.
func run() int {
	var cfg config
	var only string
	flag.Int64Var(&cfg.sf, "sf", 1, "TPC-H scale factor (a whole number: dbgen takes no fractions)")
	flag.IntVar(&cfg.runs, "runs", 5, "timed runs of each query on each engine, after one warm-up")
	flag.IntVar(&cfg.cacheRuns, "cache-runs", 200, "timed runs of each query answered from Hotdata's result cache")
	flag.BoolVar(&cfg.keep, "keep", false, "reuse the database when it already holds a complete load at this scale factor")
	flag.StringVar(&cfg.pgURL, "pg", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable", "PostgreSQL to load into and compare with (an administrator connection)")
	flag.StringVar(&cfg.db, "db", "hotdata_tpch", "database to (re)create for the data")
	flag.StringVar(&cfg.bin, "hotdata-bin", "", "a built cmd/control to run instead of building this checkout's")
	flag.StringVar(&cfg.work, "work", "", "a folder to hold Hotdata's data directory and keep afterwards, e.g. to read its snapshots (default: a temporary one, removed)")
	flag.StringVar(&only, "queries", "", "comma-separated subset of the queries to run, e.g. Q1,Q6 (default all)")
	flag.Parse()
	if cfg.sf < 1 || cfg.runs < 1 || cfg.cacheRuns < 1 {
		fmt.Fprintln(os.Stderr, "-sf, -runs and -cache-runs must be at least 1")
		return 2
	}
	if only != "" {
		cfg.only = map[string]bool{}
		for _, q := range strings.Split(only, ",") {
			cfg.only[strings.ToUpper(strings.TrimSpace(q))] = true
		}
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	rep, err := bench(ctx, log, cfg)
	if rep != nil {
		rep.write(os.Stdout)
	}
	if err != nil {
		log.Error("benchmark failed", "err", err)
		return 2
	}
	if rep.failed() {
		fmt.Fprintln(os.Stderr, "\n*** RESULTS DIFFER OR AN ENGINE FAILED: see the report above ***")
		return 1
	}
	return 0
}

// bench prepares the data and Hotdata, runs every query on every engine
// and returns the report; an error means it could not run at all.
func bench(ctx context.Context, log *slog.Logger, cfg config) (*report, error) {
	rep := &report{cfg: cfg, started: time.Now().UTC(), cores: runtime.NumCPU(), loadStart: loadAvg()}
	admin, err := pgx.ParseConfig(cfg.pgURL)
	if err != nil {
		return nil, fmt.Errorf("-pg: %w", err)
	}
	rep.loadTook, rep.counts, err = prepareDatabase(ctx, log, admin, cfg.db, cfg.sf, cfg.keep)
	if err != nil {
		return nil, fmt.Errorf("prepare %s: %w", cfg.db, err)
	}

	work := cfg.work
	if work == "" {
		if work, err = os.MkdirTemp("", "hotdata-tpch."); err != nil {
			return nil, err
		}
		defer os.RemoveAll(work)
	} else if err := os.MkdirAll(work, 0o755); err != nil {
		return nil, err
	}
	root, err := moduleRoot(ctx)
	if err != nil {
		return nil, err
	}
	rep.revision = gitRevision(ctx, root)
	bin := cfg.bin
	if bin != "" {
		rep.revision = bin + " (-hotdata-bin)"
	}
	if bin == "" {
		bin = filepath.Join(work, "hotdata-control")
		log.Info("building cmd/control")
		if err := buildHotdata(ctx, root, bin); err != nil {
			return nil, err
		}
	}
	h, err := startHotdata(ctx, bin, work)
	if err != nil {
		return nil, err
	}
	defer h.stop()

	upstream := admin.Copy()
	upstream.Database = cfg.db
	if err := h.addConnection(ctx, "tpch", upstream); err != nil {
		return nil, err
	}
	log.Info("syncing every table into Hotdata")
	start := time.Now()
	synced, err := h.syncAll(ctx, "tpch")
	rep.syncTook = time.Since(start)
	if err != nil {
		return nil, fmt.Errorf("%w\n%s", err, h.logTail())
	}
	dirs := map[string]string{}
	for _, t := range synced {
		if want := rep.counts[t.Table]; t.RowCount != want {
			return nil, fmt.Errorf("hotdata synced %d rows of %s, PostgreSQL has %d", t.RowCount, t.Table, want)
		}
		rep.syncRows += t.RowCount
	}
	for _, t := range tables {
		d, err := h.snapshotDir("public", t.name)
		if err != nil {
			return nil, err
		}
		dirs[t.name] = d
		rep.parquetBytes += dirBytes(d)
	}
	log.Info("synced", "took", rep.syncTook.Round(time.Millisecond), "rows", rep.syncRows, "parquet_bytes", rep.parquetBytes)

	// The four engines.
	var engines [numEngines]engine
	pg, err := pgx.ConnectConfig(ctx, upstream)
	if err != nil {
		return nil, err
	}
	defer pg.Close(context.Background())
	engines[enginePG] = pgxEngine{pg}
	hdCfg, err := h.connConfig()
	if err != nil {
		return nil, err
	}
	hd, err := pgx.ConnectConfig(ctx, hdCfg)
	if err != nil {
		return nil, err
	}
	defer hd.Close(context.Background())
	if _, err := hd.Exec(ctx, "SET hotdata.result_cache = off"); err != nil {
		return nil, err
	}
	engines[engineHotdata] = pgxEngine{hd}

	// Hotdata makes a native DuckDB copy of each snapshot a statement
	// reads, in the background: read every table once, then wait for
	// the copies, so that every timed run reads them.
	log.Info("waiting for Hotdata's native copies of the snapshots")
	start = time.Now()
	natives, err := waitNativeCopies(ctx, hd, dirs, 10*time.Minute)
	rep.nativeTook = time.Since(start)
	if err != nil {
		return nil, fmt.Errorf("%w\n%s", err, h.logTail())
	}
	for _, f := range natives {
		if st, err := os.Stat(f); err == nil {
			rep.nativeBytes += st.Size()
		}
	}
	log.Info("native copies ready", "took", rep.nativeTook.Round(time.Millisecond), "bytes", rep.nativeBytes)
	duck, err := openDuckDB(ctx, 2, dirs, natives)
	if err != nil {
		return nil, err
	}
	defer duck.close()
	engines[engineDuck] = duck
	duckParquet, err := openDuckDB(ctx, 2, dirs, nil)
	if err != nil {
		return nil, err
	}
	defer duckParquet.close()
	engines[engineDuckParquet] = duckParquet

	pg.QueryRow(ctx, "SELECT current_setting('server_version'), current_setting('max_parallel_workers_per_gather'), current_setting('jit')").
		Scan(&rep.pgVersion, &rep.pgWorkers, &rep.pgJIT)
	if r, err := duck.run(ctx, "SELECT version()"); err == nil && len(r.rows) == 1 {
		rep.duckVersion = fmt.Sprint(r.rows[0][0])
	}

	hitsBefore, err := cacheHits(ctx, hd)
	if err != nil {
		return nil, err
	}
	for _, q := range queries {
		if cfg.only != nil && !cfg.only[q.name] {
			continue
		}
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		rep.queries = append(rep.queries, measure(ctx, log, cfg, engines, q))
	}
	hitsAfter, err := cacheHits(ctx, hd)
	if err != nil {
		return rep, err
	}
	rep.engineHits = hitsAfter - hitsBefore
	if len(rep.queries) > 0 {
		if r, err := (pgxEngine{hd}).run(ctx, "EXPLAIN "+rep.queries[0].q.sql); err == nil && len(r.rows) > 0 {
			rep.explain = fmt.Sprint(r.rows[0][0])
		} else if err != nil {
			rep.explain = "error: " + err.Error()
		}
	}

	// The result cache: a new session with the default settings.
	hc, err := pgx.ConnectConfig(ctx, hdCfg)
	if err != nil {
		return rep, err
	}
	defer hc.Close(context.Background())
	if hitsBefore, err = cacheHits(ctx, hc); err != nil {
		return rep, err
	}
	for _, m := range rep.queries {
		if m.err[engineHotdata] != nil || m.want == nil {
			continue
		}
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		measureCache(ctx, log, cfg, pgxEngine{hc}, m)
	}
	if hitsAfter, err = cacheHits(ctx, hc); err != nil {
		return rep, err
	}
	rep.cacheHits = hitsAfter - hitsBefore
	rep.loadEnd = loadAvg()
	return rep, nil
}

// measurement is one query's outcome on every engine.
type measurement struct {
	q    query
	want *result // PostgreSQL's answer, the reference
	runs [numEngines][]time.Duration
	err  [numEngines]error
	// diffs lists every difference found: between engines, against the
	// validation output, and between runs.
	diffs []string
	// wrong marks the engines whose answer differs from PostgreSQL's (or,
	// for PostgreSQL, from the validation output): their times are not
	// comparable.
	wrong [numEngines]bool
	// cache holds the latencies of the runs answered from the result
	// cache; cacheWrong says that their answer differed from PostgreSQL's.
	cache      []time.Duration
	cacheWrong bool
}

// comparable reports whether every engine ran the query and answered it
// right, so that its times count in the geometric means.
func (m *measurement) comparable() bool {
	for i := range m.err {
		if m.err[i] != nil || m.wrong[i] || len(m.runs[i]) == 0 {
			return false
		}
	}
	return true
}

// measure runs a query once on each engine as a warm-up, compares the
// answers, then runs it cfg.runs times more on each engine in turn (so
// that a burst of load on the machine hits all four alike).
func measure(ctx context.Context, log *slog.Logger, cfg config, engines [numEngines]engine, q query) *measurement {
	m := &measurement{q: q}
	var got [numEngines]*result
	for i, e := range engines {
		d, res, err := timed(ctx, e, q.sql)
		if err != nil {
			m.err[i] = err
			log.Error("query failed", "query", q.name, "engine", engineNames[i], "err", err)
			continue
		}
		got[i] = res
		log.Info("warm-up", "query", q.name, "engine", engineNames[i], "ms", ms(d), "rows", len(res.rows))
	}
	m.want = got[enginePG]
	if m.want != nil {
		if cfg.sf == 1 {
			for _, d := range checkAnswer(q, m.want) {
				m.diffs = append(m.diffs, "PostgreSQL vs the TPC-H validation output: "+d)
				m.wrong[enginePG] = true
			}
		}
		for _, i := range []int{engineDuck, engineDuckParquet, engineHotdata} {
			if got[i] != nil {
				for _, d := range compareResults(m.want, got[i]) {
					m.diffs = append(m.diffs, engineNames[i]+" vs PostgreSQL: "+d)
					m.wrong[i] = true
				}
			}
		}
	}
	for r := 0; r < cfg.runs; r++ {
		for i, e := range engines {
			if got[i] == nil || ctx.Err() != nil {
				continue
			}
			d, res, err := timed(ctx, e, q.sql)
			switch {
			case err != nil:
				m.diffs = append(m.diffs, fmt.Sprintf("%s run %d: %v", engineNames[i], r+1, err))
			case len(res.rows) != len(got[i].rows):
				m.diffs = append(m.diffs, fmt.Sprintf("%s run %d: %d rows, the warm-up had %d", engineNames[i], r+1, len(res.rows), len(got[i].rows)))
			default:
				m.runs[i] = append(m.runs[i], d)
			}
		}
	}
	log.Info("measured", "query", q.name,
		"pg_ms", ms(median(m.runs[enginePG])), "duckdb_ms", ms(median(m.runs[engineDuck])), "duckdb_parquet_ms", ms(median(m.runs[engineDuckParquet])), "hotdata_ms", ms(median(m.runs[engineHotdata])))
	return m
}

// measureCache runs a query once to fill the result cache, then
// cfg.cacheRuns times, checking the first and last answers.
func measureCache(ctx context.Context, log *slog.Logger, cfg config, e engine, m *measurement) {
	wrong := false
	for r := 0; r <= cfg.cacheRuns; r++ {
		d, res, err := timed(ctx, e, m.q.sql)
		if err != nil {
			m.diffs = append(m.diffs, fmt.Sprintf("Hotdata (result cache) run %d: %v", r, err))
			return
		}
		// The first answer and the last; a difference is listed once.
		if r == 0 || (r == cfg.cacheRuns && !wrong) {
			for _, diff := range compareResults(m.want, res) {
				m.diffs = append(m.diffs, fmt.Sprintf("Hotdata (result cache, run %d) vs PostgreSQL: %s", r, diff))
				wrong = true
			}
		}
		if r > 0 {
			m.cache = append(m.cache, d)
		}
	}
	m.cacheWrong = wrong
	log.Info("result cache", "query", m.q.name, "p50_ms", ms(percentile(m.cache, 0.50)), "p99_ms", ms(percentile(m.cache, 0.99)))
}

var hitsRe = regexp.MustCompile(`\bhits=(\d+)`)

// cacheHits reads the result cache's hit counter (per process).
func cacheHits(ctx context.Context, c *pgx.Conn) (int64, error) {
	var s string
	if err := c.QueryRow(ctx, "SHOW hotdata.result_cache_stats").Scan(&s); err != nil {
		return 0, fmt.Errorf("SHOW hotdata.result_cache_stats: %w", err)
	}
	mm := hitsRe.FindStringSubmatch(s)
	if mm == nil {
		return 0, errors.New("SHOW hotdata.result_cache_stats: no hits in " + strconv.Quote(s))
	}
	return strconv.ParseInt(mm[1], 10, 64)
}

func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	if n := len(s); n%2 == 0 {
		return (s[n/2-1] + s[n/2]) / 2
	}
	return s[len(s)/2]
}

// percentile is the nearest-rank percentile (p in (0, 1]).
func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(float64(len(s))*p+0.999999) - 1
	return s[max(0, min(i, len(s)-1))]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "n/a"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "n/a"
	}
	return strings.Join(f[:3], " ")
}

// gitRevision names the checkout Hotdata was built from.
func gitRevision(ctx context.Context, root string) string {
	out, err := exec.CommandContext(ctx, "git", "-C", root, "rev-parse", "--short", "HEAD").Output()
	if err != nil {
		return "unknown"
	}
	rev := strings.TrimSpace(string(out))
	if st, err := exec.CommandContext(ctx, "git", "-C", root, "status", "--porcelain", "--untracked-files=no").Output(); err == nil && len(st) > 0 {
		rev += " (modified)"
	}
	return rev
}

// waitNativeCopies reads every table through Hotdata (which asks for the
// snapshots' native copies) and waits until each copy exists; it returns
// the copies' paths by table.
func waitNativeCopies(ctx context.Context, hd *pgx.Conn, dirs map[string]string, timeout time.Duration) (map[string]string, error) {
	for name := range dirs {
		if _, err := hd.Exec(ctx, "SELECT count(*) FROM "+pgx.Identifier{name}.Sanitize()); err != nil {
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
	}
	out := map[string]string{}
	deadline := time.Now().Add(timeout)
	for len(out) < len(dirs) {
		for name, dir := range dirs {
			f := filepath.Join(dir, "native.duckdb")
			if _, err := os.Stat(f); err == nil {
				out[name] = f
			}
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("native copies: %d of %d after %s", len(out), len(dirs), timeout)
		}
		time.Sleep(50 * time.Millisecond)
	}
	// A statement mounts the copies (and a warm-up run reads them).
	for name := range dirs {
		if _, err := hd.Exec(ctx, "SELECT count(*) FROM "+pgx.Identifier{name}.Sanitize()); err != nil {
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
	}
	return out, nil
}

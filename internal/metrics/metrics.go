package metrics

import (
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

var (
	registry = prometheus.NewRegistry()

	statements = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "hotdata_statements_total",
		Help: "Statements run over pgwire, by route (cached, live) and outcome (ok, error, canceled).",
	}, []string{"route", "outcome"})
	latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "hotdata_statement_duration_seconds",
		Help:    "Time from a statement's start to its last row, by route.",
		Buckets: prometheus.ExponentialBuckets(0.0005, 4, 10),
	}, []string{"route"})
	errorsByState = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "hotdata_statement_errors_total",
		Help: "Failed statements by SQLSTATE.",
	}, []string{"sqlstate"})
	sessions = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "hotdata_pgwire_sessions",
		Help: "Open pgwire sessions.",
	})
	syncs = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "hotdata_syncs_total",
		Help: "Table syncs by outcome (ok, error).",
	}, []string{"outcome"})
	syncRows = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "hotdata_sync_rows_total",
		Help: "Rows written by successful syncs.",
	})
	syncSeconds = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "hotdata_sync_duration_seconds",
		Help:    "Duration of syncs.",
		Buckets: prometheus.ExponentialBuckets(0.01, 4, 10),
	})
	cacheReads = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "hotdata_cache_reads_total",
		Help: "Tables read by cached statements, by outcome: hit (a snapshot within its refresh policy), miss (synced first), stale (older than its policy; the sync failed and the old snapshot answered).",
	}, []string{"outcome"})
	engineMemory = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "hotdata_engine_memory_reserved_bytes",
		Help: "Sum of the memory limits of the open workspace engines.",
	})
	engineBudget = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "hotdata_engine_memory_budget_bytes",
		Help: "The process's engine memory budget (HOTDATA_ENGINE_MEMORY_BUDGET).",
	})
	engines = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "hotdata_engines_open",
		Help: "Open workspace engines.",
	})
	metastoreDown = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "hotdata_metastore_unavailable_total",
		Help: "Metastore calls that failed because it could not be reached.",
	})
	cdcChanges = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "hotdata_cdc_changes_total",
		Help: "Row changes applied from change streams.",
	})
	cdcVisibility = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "hotdata_cdc_visibility_seconds",
		Help:    "Time from a change's commit upstream to its snapshot being published (per batch, its last transaction).",
		Buckets: prometheus.ExponentialBuckets(0.01, 2, 12),
	})
	cdcStreams = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "hotdata_cdc_streams",
		Help: "Change streams this process runs, by state (starting, running, failed).",
	}, []string{"state"})
	cdcLag = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "hotdata_cdc_lag_bytes_max",
		Help: "The largest lag of the running change streams: how far a source's log is ahead of what its stream received.",
	})
	cdcFailures = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "hotdata_cdc_stream_failures_total",
		Help: "Change streams that stopped on an error (each is logged at ERROR and retried): alert on any increase.",
	})
	authFailures = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "hotdata_auth_failures_total",
		Help: "Failed authentications by front end (pgwire, rest) and reason (credential, limited: refused by the failed-login limiter).",
	}, []string{"frontend", "reason"})
)

func init() {
	registry.MustRegister(statements, latency, errorsByState, sessions, syncs, syncRows, syncSeconds,
		cacheReads, engineMemory, engineBudget, engines, metastoreDown, authFailures, cdcChanges, cdcVisibility, cdcFailures, cdcStreams, cdcLag,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
}

// Statement records a finished statement: route is "cached" or "live",
// sqlstate the error's code ("" when it succeeded).
func Statement(route string, d time.Duration, sqlstate string) {
	outcome := "ok"
	switch sqlstate {
	case "":
	case "57014":
		outcome = "canceled"
	default:
		outcome = "error"
		errorsByState.WithLabelValues(sqlstate).Inc()
	}
	statements.WithLabelValues(route, outcome).Inc()
	latency.WithLabelValues(route).Observe(d.Seconds())
}

// SessionOpened and SessionClosed count pgwire sessions.
func SessionOpened() { sessions.Inc() }

// SessionClosed ends a SessionOpened.
func SessionClosed() { sessions.Dec() }

// Sync records a finished sync.
func Sync(d time.Duration, rows int64, err error) {
	if err != nil {
		syncs.WithLabelValues("error").Inc()
		return
	}
	syncs.WithLabelValues("ok").Inc()
	syncRows.Add(float64(rows))
	syncSeconds.Observe(d.Seconds())
}

// Cache read outcomes for CacheRead.
const (
	CacheHit   = "hit"
	CacheMiss  = "miss"
	CacheStale = "stale"
)

// cacheReadCounters are cacheReads' counters, resolved once (a cached
// statement counts each table it reads).
var cacheReadCounters = map[string]prometheus.Counter{
	CacheHit:   cacheReads.WithLabelValues(CacheHit),
	CacheMiss:  cacheReads.WithLabelValues(CacheMiss),
	CacheStale: cacheReads.WithLabelValues(CacheStale),
}

// CacheRead records how a cached statement got one table's snapshot.
func CacheRead(outcome string) { cacheReadCounters[outcome].Inc() }

// Engines records the open engines and their memory limits' sum
// against the budget.
func Engines(open int, reserved, budget int64) {
	engines.Set(float64(open))
	engineMemory.Set(float64(reserved))
	engineBudget.Set(float64(budget))
}

// MetastoreUnavailable counts a metastore call that could not reach it.
func MetastoreUnavailable() { metastoreDown.Inc() }

// CDCApplied records a batch of changes published; commit is its last
// transaction's commit time upstream.
func CDCApplied(changes int, commit time.Time) {
	cdcChanges.Add(float64(changes))
	if !commit.IsZero() {
		cdcVisibility.Observe(max(time.Since(commit).Seconds(), 0))
	}
}

// CDCStreams sets the count of change streams by state and the largest
// lag of the running ones.
func CDCStreams(byState map[string]int, maxLag int64) {
	for _, st := range []string{"starting", "running", "failed"} {
		cdcStreams.WithLabelValues(st).Set(float64(byState[st]))
	}
	cdcLag.Set(float64(maxLag))
}

// CDCFailure counts a change stream that stopped on an error.
func CDCFailure() { cdcFailures.Inc() }

// AuthFailure records a failed authentication: frontend is "pgwire" or
// "rest"; limited says the failed-login limiter refused it unchecked.
func AuthFailure(frontend string, limited bool) {
	reason := "credential"
	if limited {
		reason = "limited"
	}
	authFailures.WithLabelValues(frontend, reason).Inc()
}

// Handler serves the metrics in Prometheus's text format.
func Handler() http.Handler {
	return promhttp.HandlerFor(registry, promhttp.HandlerOpts{})
}

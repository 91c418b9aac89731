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
)

func init() {
	registry.MustRegister(statements, latency, errorsByState, sessions, syncs, syncRows, syncSeconds,
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

// Handler serves the metrics in Prometheus's text format.
func Handler() http.Handler {
	return promhttp.HandlerFor(registry, promhttp.HandlerOpts{})
}

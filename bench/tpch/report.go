package main

import (
	"fmt"
	"io"
	"math"
	"strings"
	"time"
)

// The targets of the planner/engine work, checked in the report.
const (
	targetSpeedup  = 10.0 // geometric-mean speed-up over PostgreSQL, at least
	targetOverhead = 1.25 // geometric-mean overhead over bare DuckDB, at most
	targetCacheP50 = 1.0  // ms, p50 of a query answered from the result cache, at most
)

type report struct {
	cfg       config
	started   time.Time
	cores     int
	loadStart string
	loadEnd   string
	revision  string

	pgVersion, pgWorkers, pgJIT string
	duckVersion                 string

	loadTook     time.Duration
	counts       map[string]int64
	syncTook     time.Duration
	syncRows     int64
	parquetBytes int64
	nativeTook   time.Duration
	nativeBytes  int64
	explain      string

	queries []*measurement
	// engineHits counts result cache hits during the engine-speed runs
	// (must be 0); cacheHits during the result cache runs.
	engineHits, cacheHits int64
}

// failed reports whether any engine failed or any answers differ.
func (r *report) failed() bool {
	if r.engineHits != 0 {
		return true
	}
	for _, m := range r.queries {
		if len(m.diffs) > 0 {
			return true
		}
		for _, err := range m.err {
			if err != nil {
				return true
			}
		}
	}
	return false
}

func (r *report) write(w io.Writer) {
	p := func(format string, a ...any) { fmt.Fprintf(w, format, a...) }
	p("\n## TPC-H scale factor %d: PostgreSQL, bare DuckDB, Hotdata cached\n\n", r.cfg.sf)
	p("%d cores, %s; load average %s at the start, %s at the end.\n", r.cores, r.started.Format("2006-01-02T15:04Z"), r.loadStart, orNA(r.loadEnd))
	p("PostgreSQL %s (max_parallel_workers_per_gather %s, jit %s, otherwise stock); DuckDB %s, 2 threads, once with views over the storage Hotdata's engine reads (its native copies of the snapshots, attached read-only) and once over the snapshots' Parquet files; Hotdata %s, result cache off for these runs.\n",
		r.pgVersion, r.pgWorkers, r.pgJIT, r.duckVersion, r.revision)
	p("Median of %d runs after one warm-up, ms, end to end from the client (pgx, extended protocol, for PostgreSQL and Hotdata; database/sql for DuckDB).\n\n", r.cfg.runs)

	p("| query | PostgreSQL | bare DuckDB, native copies | bare DuckDB, Parquet files | Hotdata cached | Hotdata/PostgreSQL speed-up | Hotdata/DuckDB overhead (native) | Hotdata/DuckDB (Parquet) |\n")
	p("|---|---|---|---|---|---|---|---|\n")
	var logs [numEngines]float64
	n := 0
	var excluded []string
	for _, m := range r.queries {
		var cells [numEngines]string
		var med [numEngines]float64
		for i := range cells {
			switch {
			case m.err[i] != nil:
				cells[i] = "error"
			case len(m.runs[i]) == 0:
				cells[i] = "n/a"
			default:
				med[i] = ms(median(m.runs[i]))
				cells[i] = fmtMS(med[i])
				if m.wrong[i] {
					cells[i] += " (wrong answer)"
				}
			}
		}
		speedup, overhead, overParquet := "n/a", "n/a", "n/a"
		if m.comparable() {
			speedup = fmt.Sprintf("%.1f×", med[enginePG]/med[engineHotdata])
			overhead = fmt.Sprintf("%.2f×", med[engineHotdata]/med[engineDuck])
			overParquet = fmt.Sprintf("%.2f×", med[engineHotdata]/med[engineDuckParquet])
			for i := range logs {
				logs[i] += math.Log(med[i])
			}
			n++
		} else {
			excluded = append(excluded, m.q.name)
		}
		p("| %s | %s | %s | %s | %s | %s | %s | %s |\n", m.q.name, cells[enginePG], cells[engineDuck], cells[engineDuckParquet], cells[engineHotdata], speedup, overhead, overParquet)
	}
	var gm [numEngines]float64
	if n > 0 {
		for i := range gm {
			gm[i] = math.Exp(logs[i] / float64(n))
		}
		p("| geometric mean | %s | %s | %s | %s | **%.1f×** | **%.2f×** | %.2f× |\n", fmtMS(gm[enginePG]), fmtMS(gm[engineDuck]), fmtMS(gm[engineDuckParquet]), fmtMS(gm[engineHotdata]),
			gm[enginePG]/gm[engineHotdata], gm[engineHotdata]/gm[engineDuck], gm[engineHotdata]/gm[engineDuckParquet])
	}
	if len(excluded) > 0 {
		p("\nNot in the geometric means (an engine failed or answered wrong, so its time is not comparable): %s. See the failures below.\n", strings.Join(excluded, ", "))
	}

	p("\n### Result cache\n\n")
	p("Hotdata with the result cache on (the default): each query once to fill it, then %d times; latency end to end from pgx (extended protocol), ms.\n\n", r.cfg.cacheRuns)
	p("| query | p50 | p99 |\n|---|---|---|\n")
	var q6p50 float64 = -1
	for _, m := range r.queries {
		if len(m.cache) == 0 {
			p("| %s | n/a | n/a |\n", m.q.name)
			continue
		}
		p50 := ms(percentile(m.cache, 0.50))
		note := ""
		if m.cacheWrong {
			note = " (wrong answer)"
		} else if m.q.name == "Q6" {
			q6p50 = p50
		}
		p("| %s%s | %.3f | %.3f |\n", m.q.name, note, p50, ms(percentile(m.cache, 0.99)))
	}
	runs := 0
	for _, m := range r.queries {
		if len(m.cache) > 0 {
			runs += 1 + r.cfg.cacheRuns
		}
	}
	p("\nResult cache hits (`SHOW hotdata.result_cache_stats`): %d in these %d runs (warm-ups included), %d during the engine runs above (must be 0).\n", r.cacheHits, runs, r.engineHits)

	p("\n### Targets\n\n")
	partial := ""
	if len(excluded) > 0 {
		partial = fmt.Sprintf(" (over %d of %d queries only)", n, len(r.queries))
	}
	if n > 0 {
		s, o := gm[enginePG]/gm[engineHotdata], gm[engineHotdata]/gm[engineDuck]
		p("- geometric-mean speed-up over PostgreSQL ≥ %.0f×: **%.1f×, %s**%s\n", targetSpeedup, s, metOrNot(s >= targetSpeedup), partial)
		p("- overhead over bare DuckDB ≤ %.2f×: **%.2f×, %s**%s (bare DuckDB reading the same native copies; over the snapshots' Parquet files Hotdata takes %.2f× bare DuckDB's time)\n",
			targetOverhead, o, metOrNot(o <= targetOverhead), partial, gm[engineHotdata]/gm[engineDuckParquet])
	} else {
		p("- geometric-mean speed-up over PostgreSQL ≥ %.0f× and overhead over bare DuckDB ≤ %.2f×: **not measurable**, no query answered right on all four engines\n", targetSpeedup, targetOverhead)
	}
	if q6p50 >= 0 {
		p("- Q6 from the result cache, p50 ≤ %.0f ms: **%.3f ms, %s**\n", targetCacheP50, q6p50, metOrNot(q6p50 <= targetCacheP50))
	} else {
		p("- Q6 from the result cache, p50 ≤ %.0f ms: **not measurable** (Q6 not run, failed or answered wrong)\n", targetCacheP50)
	}

	p("\n### Data and sync\n\n")
	if r.loadTook > 0 {
		p("Generated with go-tpc v1.0.7's tpch/dbgen and loaded into PostgreSQL (COPY, primary keys, VACUUM ANALYZE) in %.1f s.\n", r.loadTook.Seconds())
	} else {
		p("Database %s reused (-keep): a complete load at this scale factor.\n", r.cfg.db)
	}
	var rows []string
	for _, t := range tables {
		rows = append(rows, fmt.Sprintf("%s %d", t.name, r.counts[t.name]))
	}
	p("Rows: %s.\n", strings.Join(rows, ", "))
	if r.syncTook > 0 {
		p("Hotdata synced all %d tables (%d rows) with one `POST /v1/refresh` in **%.1f s** (%.0f rows/s; %.1f MB of Parquet).\n",
			len(tables), r.syncRows, r.syncTook.Seconds(), float64(r.syncRows)/r.syncTook.Seconds(), float64(r.parquetBytes)/1e6)
		p("Then, in the background, Hotdata made the native DuckDB copies of the snapshots the queries read: ready %.1f s after the first reads (%.1f MB).\n",
			r.nativeTook.Seconds(), float64(r.nativeBytes)/1e6)
	}
	if r.explain != "" {
		p("Hotdata's EXPLAIN of %s begins: `%s`\n", r.queries[0].q.name, r.explain)
	}

	var problems []string
	for _, m := range r.queries {
		for i, err := range m.err {
			if err != nil {
				problems = append(problems, fmt.Sprintf("%s on %s: %v\n\n```sql\n%s\n```", m.q.name, engineNames[i], err, m.q.sql))
			}
		}
		for _, d := range m.diffs {
			problems = append(problems, m.q.name+": "+d)
		}
	}
	if r.engineHits != 0 {
		problems = append(problems, fmt.Sprintf("%d result cache hits during the engine-speed runs: their numbers are not the engine's", r.engineHits))
	}
	if len(problems) > 0 {
		p("\n### ⚠ FAILURES AND DIFFERENCES\n\n")
		for _, s := range problems {
			p("- %s\n", s)
		}
	} else {
		p("\nAnswers: identical on the four engines (every value; decimals exactly, floating point within %g relative)", relTolerance)
		if r.cfg.sf == 1 {
			p(", and PostgreSQL's match the TPC-H validation output")
		}
		p(".\n")
	}
}

func fmtMS(v float64) string {
	if v >= 100 {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.1f", v)
}

func metOrNot(ok bool) string {
	if ok {
		return "met"
	}
	return "not met"
}

func orNA(s string) string {
	if s == "" {
		return "n/a"
	}
	return s
}

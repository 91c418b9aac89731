// Command tpch is the analytics benchmark: TPC-H queries 1, 3, 5, 6, 10, 12
// and 14 at a scale factor, in one run, on four engines over the same data:
//
//   - PostgreSQL directly (the upstream Hotdata caches from);
//   - Hotdata, answering from its snapshots' native DuckDB copies, with the
//     result cache off for the session so that the engine does the work
//     every time;
//   - a bare DuckDB (2 threads) with views over those very copies: the
//     engine without Hotdata around it;
//   - a bare DuckDB (2 threads) with views over read_parquet of the
//     snapshots' Parquet files, which Hotdata read before the copies.
//
// Every engine runs the same query text (PostgreSQL SQL, unqualified table
// names) through the same kind of client call, one warm-up run excluded
// from the median. The warm-up results of the four engines must agree,
// value by value (and, at scale factor 1, PostgreSQL's must agree with the
// TPC-H validation answers); any difference is printed and the command
// exits non-zero. Then each query runs repeatedly through Hotdata with the
// result cache on, for its end-to-end latency from pgx.
//
// The data comes from the tpch/dbgen package of github.com/pingcap/go-tpc
// (the TPC-H generator ported to Go, row for row), streamed into PostgreSQL
// with COPY. Hotdata is built from this checkout, started on free ports with
// a throw-away data directory, and given the database as connection "tpch".
//
//	go run -tags duckdb_arrow ./bench/tpch [-sf 1] [-runs 5] [-keep]
//
// It prints Markdown on standard output and progress on standard error.
// Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust; see -pg).
// See bench/README.md.
package main

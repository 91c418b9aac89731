// Package engine runs SQL over a workspace's snapshots in an embedded
// DuckDB, one database per active workspace, and returns Arrow streams.
//
// Each database is in memory and locked down before any user SQL runs
// (see Open): no access outside the workspace folder, no network, no
// extension install or load, an explicit temp directory, memory and thread
// limits, and then lock_configuration so no statement can undo any of it.
// The planner additionally lets only read-only statements through.
//
// Snapshots are mounted as views: every connection is an attached
// in-memory catalog, so "<connection>.<schema>.<table>" resolves natively,
// and each table is a view over its snapshot's Parquet files, or over its
// native copy once WriteNative has made one (a DuckDB database file in the
// snapshot's folder, attached read-only; native.go).
//
// The package must not know about the metastore, the wire protocol or
// HTTP. DuckDB configuration reference:
// https://duckdb.org/docs/stable/configuration/overview and
// https://duckdb.org/docs/stable/operations_manual/securing_duckdb/overview
//
// Building needs the duckdb_arrow tag (go build -tags duckdb_arrow).
package engine

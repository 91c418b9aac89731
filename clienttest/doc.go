// Package clienttest is a client matrix: real PostgreSQL clients (psql,
// pgx, database/sql with pgx and with lib/pq, pgjdbc, psycopg2, psycopg
// 3, asyncpg, Ruby's pg gem, pgcli, node-postgres, pgbench and psqlODBC
// through unixODBC) read an upstream table with every common PostgreSQL
// type through a real Hotdata process, and the tests compare every
// value they read with the values written upstream, and the types the
// client reports with those the same client reports reading PostgreSQL.
//
// Each client also runs, where it can, a 100,000-row result, a prepared
// statement with parameters, TLS (sslmode=require against the server's
// self-signed certificate) and the cancel of a long query.
//
// The introspection tools read the emulated catalog: pgjdbc's
// DatabaseMetaData (java/HotdataMeta.java), SQLAlchemy's inspector and
// pandas.read_sql (python/sa_client.py), and the queries DBeaver,
// Grafana and Metabase send, copied from their sources into
// testdata/bi_queries. Their answers through Hotdata are compared with
// the upstream's for the same fixture.
//
// Beyond values, the drivers' own habits are compared with PostgreSQL's
// answers to the same program (a differential test: PostgreSQL's output
// is the expectation): psycopg 3's server cursors with parameters,
// scrollable and held cursors, pipeline mode and COPY; asyncpg's
// cursors and pool reset; lib/pq's BEGIN READ WRITE and transaction
// modes; the statements ActiveRecord sends on connect; pgcli's
// completion metadata and backslash commands.
//
// The programs of the non-Go clients live in the subfolders java/,
// python/, ruby/ and node/; they print what they read as JSON, which the
// Go tests compare. Every client program is also run against the upstream
// PostgreSQL database itself: that run checks the expectations and the
// programs, and is the reference for the types the client reports.
//
// A client that is not installed skips its test, or fails it when
// HOTDATA_TEST_REQUIRE_SERVICES=1; scripts/test.sh installs them all.
package clienttest

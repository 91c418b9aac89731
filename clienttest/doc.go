// Package clienttest is a client matrix: real PostgreSQL clients (psql,
// pgx, database/sql, pgjdbc, psycopg2, node-postgres, pgbench and
// psqlODBC through unixODBC) read an upstream table with every common
// PostgreSQL type through a real Hotdata process, and the tests compare
// every value they read with the values written upstream.
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
// The programs of the non-Go clients live in the subfolders java/,
// python/ and node/; they print what they read as JSON, which the Go tests
// compare. Every client program is also run against the upstream
// PostgreSQL database itself: that run checks the expectations and the
// programs, and is the reference for the types the client reports.
//
// A client that is not installed skips its test, or fails it when
// HOTDATA_TEST_REQUIRE_SERVICES=1; scripts/test.sh installs them all.
package clienttest

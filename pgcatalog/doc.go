// Package pgcatalog emulates PostgreSQL's system catalogs for one
// workspace, so that the tools that introspect a database — psql's \d
// commands, pgjdbc's DatabaseMetaData and type lookups, SQLAlchemy,
// DBeaver, Metabase, Grafana — see the workspace as a PostgreSQL database.
//
// pg_catalog and information_schema are built as tables in a catalog of
// their own in the workspace's DuckDB (see Setup and Fill): their columns
// are PostgreSQL's own (relations_gen.go is generated from a real
// PostgreSQL 15 by gen.go, whose version Hotdata reports), the built-in
// rows (types, functions, operators, casts, aggregates, access methods,
// collations: builtins_gen.go, in COPY's text format) are copied from it
// with what the catalog functions print of each built-in function, and
// the rest — one schema per (connection, schema) named
// "connection.schema" plus datasets, their tables and columns, primary
// keys, unique constraints, indexes and foreign keys — come from the
// workspace's catalog. regproc columns hold OIDs, as in PostgreSQL; the
// planner prints them as names.
//
// Object OIDs are stable: built-in objects keep PostgreSQL's OIDs and
// workspace objects get OIDs derived from their identity, so a client
// that caches OIDs keeps meaning the same table across restarts and
// across processes.
//
// The planner rewrites references to these relations, the reg* casts and
// the pg_catalog functions that tools call into this catalog (see
// Relation, Functions).
package pgcatalog

// Package pgcatalog emulates PostgreSQL's system catalogs for one
// workspace, so that the tools that introspect a database — psql's \d
// commands, pgjdbc's DatabaseMetaData and type lookups, SQLAlchemy,
// DBeaver, Metabase, Grafana — see the workspace as a PostgreSQL database.
//
// pg_catalog and information_schema are built as tables in a catalog of
// their own in the workspace's DuckDB (see Setup and Fill): their columns
// are PostgreSQL's own (relations_gen.go is generated from a real
// PostgreSQL by gen.go), the built-in rows (types, access methods,
// collations) are copied from it, and the rest — one schema per
// (connection, schema) named "connection.schema" plus datasets, their
// tables and columns, primary keys — come from the workspace's catalog.
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

// Package metastore is Hotdata's shared metadata store: organizations,
// members and their roles, workspaces, API tokens, secrets, connections,
// discovered tables, snapshots, datasets, query runs, results and jobs.
//
// There is one implementation, written against database/sql, and two
// backends behind the small backend interface: SQLite (the default, a file
// in the data directory opened in WAL mode so that a control and a proxy
// process can share it) and PostgreSQL (for several nodes). The SQL is kept
// portable; each backend supplies its driver, placeholder style and the few
// type names that differ. Migrations are versioned and applied on Open.
//
// Secrets are sealed with AES-256-GCM before they reach the database; no
// method returns a secret's value except SecretValue. Tokens are stored as a
// SHA-256 hash plus a SCRAM-SHA-256 verifier, never as text.
//
// The package must not know about DuckDB, Arrow, the wire protocol or HTTP.
package metastore

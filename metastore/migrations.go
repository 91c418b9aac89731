package metastore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// migration is one versioned schema change. Statements are portable SQL;
// backend.ddl adapts the few type names that differ. Never edit a released
// migration: add a new one.
type migration struct {
	version int
	name    string
	stmts   []string
}

var migrations = []migration{
	{1, "initial schema", []string{
		`CREATE TABLE settings (
			key TEXT PRIMARY KEY,
			value TEXT NOT NULL
		)`,
		`CREATE TABLE organizations (
			id TEXT PRIMARY KEY,
			name TEXT NOT NULL UNIQUE,
			created_at TEXT NOT NULL
		)`,
		`CREATE TABLE members (
			id TEXT PRIMARY KEY,
			org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
			name TEXT NOT NULL,
			email TEXT NOT NULL DEFAULT '',
			role TEXT NOT NULL,
			created_at TEXT NOT NULL,
			UNIQUE (org_id, name)
		)`,
		`CREATE TABLE workspaces (
			id TEXT PRIMARY KEY,
			org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
			name TEXT NOT NULL,
			status TEXT NOT NULL,
			auto_resume BOOLEAN NOT NULL DEFAULT TRUE,
			limits TEXT NOT NULL DEFAULT '{}',
			created_at TEXT NOT NULL,
			updated_at TEXT NOT NULL,
			UNIQUE (org_id, name)
		)`,
		`CREATE TABLE tokens (
			id TEXT PRIMARY KEY,
			member_id TEXT NOT NULL REFERENCES members(id) ON DELETE CASCADE,
			workspace_id TEXT REFERENCES workspaces(id) ON DELETE CASCADE,
			name TEXT NOT NULL DEFAULT '',
			prefix TEXT NOT NULL,
			hash BLOB NOT NULL UNIQUE,
			scram_stored_key BLOB NOT NULL,
			scram_server_key BLOB NOT NULL,
			created_at TEXT NOT NULL,
			last_used_at TEXT,
			expires_at TEXT,
			revoked_at TEXT
		)`,
		`CREATE TABLE secrets (
			id TEXT PRIMARY KEY,
			workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
			name TEXT NOT NULL,
			sealed BLOB NOT NULL,
			created_at TEXT NOT NULL,
			updated_at TEXT NOT NULL,
			UNIQUE (workspace_id, name)
		)`,
		`CREATE TABLE connections (
			id TEXT PRIMARY KEY,
			workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
			name TEXT NOT NULL,
			source_type TEXT NOT NULL,
			config TEXT NOT NULL,
			secret_id TEXT REFERENCES secrets(id) ON DELETE SET NULL,
			discovery_status TEXT NOT NULL,
			discovery_error TEXT NOT NULL DEFAULT '',
			discovered_at TEXT,
			created_at TEXT NOT NULL,
			updated_at TEXT NOT NULL,
			UNIQUE (workspace_id, name)
		)`,
		`CREATE TABLE tables (
			id TEXT PRIMARY KEY,
			workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
			connection_id TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
			schema_name TEXT NOT NULL,
			table_name TEXT NOT NULL,
			columns TEXT NOT NULL,
			primary_key TEXT NOT NULL DEFAULT '[]',
			row_estimate BIGINT NOT NULL DEFAULT 0,
			refresh TEXT NOT NULL DEFAULT 'manual',
			incremental_column TEXT NOT NULL DEFAULT '',
			status TEXT NOT NULL,
			current_snapshot_id TEXT,
			last_sync_at TEXT,
			discovered_at TEXT NOT NULL,
			UNIQUE (connection_id, schema_name, table_name)
		)`,
		`CREATE TABLE datasets (
			id TEXT PRIMARY KEY,
			workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
			label TEXT NOT NULL,
			table_name TEXT NOT NULL,
			status TEXT NOT NULL,
			source TEXT NOT NULL,
			current_snapshot_id TEXT,
			error TEXT NOT NULL DEFAULT '',
			created_at TEXT NOT NULL,
			updated_at TEXT NOT NULL,
			UNIQUE (workspace_id, table_name)
		)`,
		`CREATE TABLE snapshots (
			id TEXT PRIMARY KEY,
			workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
			table_id TEXT REFERENCES tables(id) ON DELETE CASCADE,
			dataset_id TEXT REFERENCES datasets(id) ON DELETE CASCADE,
			version BIGINT NOT NULL,
			path TEXT NOT NULL,
			row_count BIGINT NOT NULL,
			size_bytes BIGINT NOT NULL,
			columns TEXT NOT NULL,
			status TEXT NOT NULL,
			watermark TEXT NOT NULL DEFAULT '',
			created_at TEXT NOT NULL,
			retired_at TEXT
		)`,
		`CREATE INDEX snapshots_by_table ON snapshots (table_id, version)`,
		`CREATE INDEX snapshots_by_status ON snapshots (workspace_id, status)`,
		`CREATE TABLE query_runs (
			id TEXT PRIMARY KEY,
			workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
			member_id TEXT NOT NULL DEFAULT '',
			user_name TEXT NOT NULL DEFAULT '',
			source TEXT NOT NULL,
			status TEXT NOT NULL,
			sql_text TEXT NOT NULL,
			sql_hash TEXT NOT NULL,
			snapshot_ids TEXT NOT NULL DEFAULT '[]',
			result_id TEXT NOT NULL DEFAULT '',
			row_count BIGINT NOT NULL DEFAULT 0,
			execution_time_ms BIGINT NOT NULL DEFAULT 0,
			error_message TEXT NOT NULL DEFAULT '',
			created_at TEXT NOT NULL,
			completed_at TEXT
		)`,
		`CREATE INDEX query_runs_by_workspace ON query_runs (workspace_id, created_at)`,
		`CREATE TABLE results (
			id TEXT PRIMARY KEY,
			workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
			query_run_id TEXT NOT NULL DEFAULT '',
			status TEXT NOT NULL,
			path TEXT NOT NULL DEFAULT '',
			columns TEXT NOT NULL DEFAULT '[]',
			row_count BIGINT NOT NULL DEFAULT 0,
			size_bytes BIGINT NOT NULL DEFAULT 0,
			error_message TEXT NOT NULL DEFAULT '',
			created_at TEXT NOT NULL,
			expires_at TEXT
		)`,
		`CREATE TABLE jobs (
			id TEXT PRIMARY KEY,
			workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
			type TEXT NOT NULL,
			status TEXT NOT NULL,
			target TEXT NOT NULL DEFAULT '{}',
			progress_rows BIGINT NOT NULL DEFAULT 0,
			progress_bytes BIGINT NOT NULL DEFAULT 0,
			progress_fraction DOUBLE PRECISION,
			error TEXT NOT NULL DEFAULT '',
			node TEXT NOT NULL DEFAULT '',
			created_at TEXT NOT NULL,
			started_at TEXT,
			completed_at TEXT
		)`,
		`CREATE INDEX jobs_by_workspace ON jobs (workspace_id, created_at)`,
	}},
	{2, "table read times for cache eviction", []string{
		`ALTER TABLE tables ADD COLUMN last_read_at TEXT`,
	}},
	{3, "connections remember a deleted secret", []string{
		// The name of the secret a connection used when that secret was
		// deleted (secret_id is then NULL), so that its syncs can say why
		// they fail, and a new secret of that name is picked up again.
		`ALTER TABLE connections ADD COLUMN missing_secret TEXT NOT NULL DEFAULT ''`,
	}},
	{4, "uploads and saved queries", []string{
		`CREATE TABLE uploads (
			id TEXT PRIMARY KEY,
			workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
			status TEXT NOT NULL,
			size_bytes BIGINT NOT NULL DEFAULT 0,
			content_type TEXT NOT NULL DEFAULT '',
			filename TEXT NOT NULL DEFAULT '',
			sha256 TEXT NOT NULL DEFAULT '',
			path TEXT NOT NULL,
			created_at TEXT NOT NULL
		)`,
		`CREATE INDEX uploads_by_workspace ON uploads (workspace_id, created_at)`,
		`CREATE TABLE saved_queries (
			id TEXT PRIMARY KEY,
			workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
			name TEXT NOT NULL,
			description TEXT NOT NULL DEFAULT '',
			sql_text TEXT NOT NULL,
			version BIGINT NOT NULL,
			created_at TEXT NOT NULL,
			updated_at TEXT NOT NULL,
			UNIQUE (workspace_id, name)
		)`,
		`CREATE TABLE saved_query_versions (
			query_id TEXT NOT NULL REFERENCES saved_queries(id) ON DELETE CASCADE,
			version BIGINT NOT NULL,
			name TEXT NOT NULL,
			description TEXT NOT NULL DEFAULT '',
			sql_text TEXT NOT NULL,
			created_at TEXT NOT NULL,
			PRIMARY KEY (query_id, version)
		)`,
	}},
	{5, "tables keep their indexes and foreign keys", []string{
		// JSON, like columns and primary_key: the primary key's own name
		// upstream, the other indexes, the foreign keys.
		`ALTER TABLE tables ADD COLUMN primary_key_name TEXT NOT NULL DEFAULT ''`,
		`ALTER TABLE tables ADD COLUMN indexes TEXT NOT NULL DEFAULT '[]'`,
		`ALTER TABLE tables ADD COLUMN foreign_keys TEXT NOT NULL DEFAULT '[]'`,
	}},
	{6, "tables keep the upstream's own types of their columns", []string{
		// JSON: the enums (with their labels), domains and composite
		// types the columns have, as discovered; '[]' until the next
		// discovery (the columns are then served as before: text).
		`ALTER TABLE tables ADD COLUMN user_types TEXT NOT NULL DEFAULT '[]'`,
	}},
	{7, "auth version and token lookup by prefix", []string{
		// One row: bumped whenever a token or membership stops working
		// or changes (authversion.go), so that open sessions on every
		// node re-check their principal.
		`CREATE TABLE auth_version (
			id INTEGER PRIMARY KEY,
			version BIGINT NOT NULL
		)`,
		`INSERT INTO auth_version (id, version) VALUES (1, 0)`,
		// pgwire logins narrow the candidates by the token's prefix or
		// by the workspace's organization instead of trying every token.
		`CREATE INDEX tokens_by_prefix ON tokens (prefix)`,
		`CREATE INDEX tokens_by_member ON tokens (member_id)`,
		`CREATE INDEX members_by_org ON members (org_id)`,
	}},
	{8, "incremental syncs merge by key: a lookback window and delete detection", []string{
		// incremental_lookback: how far below the watermark an
		// incremental sync reads again ('' none); detect_deletes: each
		// incremental sync compares the upstream's keys with the cache's.
		`ALTER TABLE tables ADD COLUMN incremental_lookback TEXT NOT NULL DEFAULT ''`,
		`ALTER TABLE tables ADD COLUMN detect_deletes BOOLEAN NOT NULL DEFAULT FALSE`,
	}},
	{9, "a job says what its sync noticed", []string{
		// warnings: one per line (a full sync instead of an incremental
		// one because columns changed, columns held as text, …).
		`ALTER TABLE jobs ADD COLUMN warnings TEXT NOT NULL DEFAULT ''`,
	}},
}

// migrate applies every migration newer than the database's version, each
// in its own transaction, under a cross-process lock.
func (s *Store) migrate(ctx context.Context) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer conn.Close()
	unlock, err := s.be.lockMigrations(ctx, conn)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer unlock()

	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY,
		name TEXT NOT NULL,
		applied_at TEXT NOT NULL
	)`); err != nil {
		return fmt.Errorf("migrate: create schema_migrations: %w", err)
	}
	var current int
	if err := conn.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&current); err != nil {
		return fmt.Errorf("migrate: read version: %w", err)
	}
	if latest := migrations[len(migrations)-1].version; current > latest {
		return fmt.Errorf("migrate: the metastore is at version %d, newer than this binary knows (%d): upgrade Hotdata", current, latest)
	}
	for _, m := range migrations {
		if m.version <= current {
			continue
		}
		if err := s.applyMigration(ctx, conn, m); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) applyMigration(ctx context.Context, conn *sql.Conn, m migration) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migration %d: %w", m.version, err)
	}
	defer tx.Rollback()
	// Another process may have applied it while we waited for the lock.
	var n int
	if err := tx.QueryRowContext(ctx, s.be.rebind(`SELECT COUNT(*) FROM schema_migrations WHERE version = ?`), m.version).Scan(&n); err != nil {
		return fmt.Errorf("migration %d: %w", m.version, err)
	}
	if n > 0 {
		return nil
	}
	for _, stmt := range m.stmts {
		if _, err := tx.ExecContext(ctx, s.be.ddl(stmt)); err != nil {
			return fmt.Errorf("migration %d (%s): %s: %w", m.version, m.name, firstLine(stmt), err)
		}
	}
	if _, err := tx.ExecContext(ctx, s.be.rebind(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`),
		m.version, m.name, fmtTime(time.Now())); err != nil {
		return fmt.Errorf("migration %d: record: %w", m.version, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migration %d: commit: %w", m.version, err)
	}
	return nil
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// SchemaVersion returns the newest applied migration.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v)
	return v, err
}

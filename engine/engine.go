//go:build duckdb_arrow

package engine

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/apache/arrow-go/v18/arrow/array"
	duckdb "github.com/duckdb/duckdb-go/v2"
)

// Limits bound one workspace's database.
type Limits struct {
	MemoryBytes int64 // 0: DuckDB's default (80% of RAM)
	Threads     int   // 0: DuckDB's default (all cores)
}

// Engine is one workspace's DuckDB. It is safe for concurrent use.
type Engine struct {
	dir string
	db  *sql.DB

	mu sync.Mutex
	// catalogs attached so far; mounts by "catalog\x00schema\x00table".
	catalogs map[string]bool
	schemas  map[string]bool
	mounts   map[string]mounted
	closed   bool
}

// Open creates the workspace's in-memory database, locked down to dir.
func Open(ctx context.Context, dir string, limits Limits) (*Engine, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("engine: %w", err)
	}
	tmp := filepath.Join(dir, "tmp", "duckdb")
	if err := os.MkdirAll(tmp, 0o700); err != nil {
		return nil, fmt.Errorf("engine: %w", err)
	}
	connector, err := duckdb.NewConnector("", nil)
	if err != nil {
		return nil, fmt.Errorf("engine: open duckdb: %w", err)
	}
	db := sql.OpenDB(connector)
	e := &Engine{dir: dir, db: db, catalogs: map[string]bool{}, schemas: map[string]bool{}, mounts: map[string]mounted{}}
	if err := e.lockDown(ctx, tmp, limits); err != nil {
		db.Close()
		return nil, err
	}
	return e, nil
}

// lockDown applies the security settings, then locks the configuration.
// Order matters: allowed_directories cannot change once external access
// is off, and nothing can change once the configuration is locked.
func (e *Engine) lockDown(ctx context.Context, tmp string, limits Limits) error {
	stmts := []string{
		"SET GLOBAL allowed_directories = [" + quoteString(e.dir+string(filepath.Separator)) + "]",
		"SET GLOBAL temp_directory = " + quoteString(tmp),
		"SET GLOBAL TimeZone = 'UTC'",
		"SET GLOBAL autoinstall_known_extensions = false",
		"SET GLOBAL autoload_known_extensions = false",
		"SET GLOBAL allow_community_extensions = false",
		"SET GLOBAL allow_persistent_secrets = false",
		"SET GLOBAL enable_external_access = false",
	}
	if limits.MemoryBytes > 0 {
		stmts = append(stmts, fmt.Sprintf("SET GLOBAL memory_limit = '%dB'", limits.MemoryBytes))
	}
	if limits.Threads > 0 {
		stmts = append(stmts, fmt.Sprintf("SET GLOBAL threads = %d", limits.Threads))
	}
	stmts = append(stmts, "SET GLOBAL lock_configuration = true")
	for _, s := range stmts {
		if _, err := e.db.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("engine: lock down (%s): %w", s, err)
		}
	}
	return nil
}

// Mount names one table for queries: catalog.schema.table becomes a view
// over the Parquet files in dir (absolute, inside the workspace folder).
// Mounting the same snapshot again is free.
type Mount struct {
	Catalog, Schema, Table string
	Dir                    string
	// Version orders snapshots of one table: a mount never goes back to
	// an older version than the one in place, so a session holding a
	// slightly stale catalog cannot hide a newer snapshot from others.
	Version int64
}

type mounted struct {
	dir     string
	version int64
}

func mountKey(m Mount) string { return m.Catalog + "\x00" + m.Schema + "\x00" + m.Table }

// EnsureMounted makes every mount current, replacing views whose snapshot
// changed to a newer version.
func (e *Engine) EnsureMounted(ctx context.Context, mounts []Mount) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return ErrClosed
	}
	for _, m := range mounts {
		key := mountKey(m)
		if cur, ok := e.mounts[key]; ok && (cur.dir == m.Dir || cur.version > m.Version) {
			continue
		}
		if !strings.HasPrefix(m.Dir, e.dir+string(filepath.Separator)) {
			return fmt.Errorf("engine: mount %s is outside the workspace folder", m.Dir)
		}
		if !e.catalogs[m.Catalog] {
			if _, err := e.db.ExecContext(ctx, "ATTACH IF NOT EXISTS ':memory:' AS "+QuoteIdent(m.Catalog)); err != nil {
				return fmt.Errorf("engine: attach %s: %w", m.Catalog, err)
			}
			e.catalogs[m.Catalog] = true
		}
		schemaKey := m.Catalog + "\x00" + m.Schema
		if !e.schemas[schemaKey] {
			if _, err := e.db.ExecContext(ctx, "CREATE SCHEMA IF NOT EXISTS "+QuoteIdent(m.Catalog)+"."+QuoteIdent(m.Schema)); err != nil {
				return fmt.Errorf("engine: create schema %s.%s: %w", m.Catalog, m.Schema, err)
			}
			e.schemas[schemaKey] = true
		}
		view := QuoteIdent(m.Catalog) + "." + QuoteIdent(m.Schema) + "." + QuoteIdent(m.Table)
		glob := quoteString(filepath.Join(m.Dir, "*.parquet"))
		if _, err := e.db.ExecContext(ctx, "CREATE OR REPLACE VIEW "+view+" AS SELECT * FROM read_parquet("+glob+")"); err != nil {
			return fmt.Errorf("engine: mount %s.%s.%s: %w", m.Catalog, m.Schema, m.Table, err)
		}
		e.mounts[key] = mounted{dir: m.Dir, version: m.Version}
	}
	return nil
}

// ErrClosed is returned after Close.
var ErrClosed = errors.New("engine: workspace database is closed")

// Query runs one statement and calls fn with its result stream; the
// stream, and every value read from it, is valid only during fn (values
// alias DuckDB's memory: copy what must outlive a batch). Cancelling ctx
// interrupts the query. DuckDB's errors come back as *pgerr.Error.
func (e *Engine) Query(ctx context.Context, query string, args []any, fn func(array.RecordReader) error) error {
	conn, err := e.db.Conn(ctx)
	if err != nil {
		if errors.Is(err, sql.ErrConnDone) {
			return ErrClosed
		}
		return fmt.Errorf("engine: %w", err)
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		ar, err := duckdb.NewArrowFromConn(dc.(driver.Conn))
		if err != nil {
			return fmt.Errorf("engine: %w", err)
		}
		rr, err := ar.QueryContext(ctx, query, args...)
		if err != nil {
			return translate(ctx, err)
		}
		defer rr.Release()
		if err := fn(rr); err != nil {
			return translate(ctx, err)
		}
		return translate(ctx, rr.Err())
	})
}

// Close frees the database and its memory.
func (e *Engine) Close() error {
	e.mu.Lock()
	e.closed = true
	e.mu.Unlock()
	return e.db.Close()
}

// QuoteIdent quotes an identifier for DuckDB.
func QuoteIdent(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

func quoteString(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

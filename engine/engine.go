//go:build duckdb_arrow

package engine

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/apache/arrow-go/v18/arrow/array"
	bindings "github.com/duckdb/duckdb-go-bindings"
)

// OutOfMemoryHint is the hint of a statement stopped by the engine's
// memory limit (53200).
const OutOfMemoryHint = "The statement needs more memory than the workspace's engine may use (its memory_bytes limit, shared out of the server's engine memory budget): " +
	"read fewer columns or rows at once, add a LIMIT, sort or group less, or ask an administrator to raise the workspace's memory_bytes."

// Limits bound one workspace's database.
type Limits struct {
	MemoryBytes int64 // 0: DuckDB's default (80% of RAM)
	Threads     int   // 0: DuckDB's default (all cores)
	// Functions are installed in the database (nil: none).
	Functions *Functions
}

// maxIdleConns bounds the DuckDB connections kept for reuse.
const maxIdleConns = 16

// Engine is one workspace's DuckDB. It is safe for concurrent use.
type Engine struct {
	dir    string
	db     bindings.Database
	limits Limits

	mu     sync.Mutex
	idle   []*Conn
	open   int // connections handed out or idle
	closed bool
	// catalogs attached so far; mounts by "catalog\x00schema\x00table".
	catalogs map[string]bool
	schemas  map[string]bool
	mounts   map[string]mounted
	// states are EnsureState's versions by name.
	states map[string]string
	// fnConn registered the Go functions and lives as long as the
	// engine (see Open).
	fnConn *Conn
	// mountMu serializes catalog DDL (attach, create schema, replace view).
	mountMu sync.Mutex
	// planSlots bounds the statements DuckDB plans at once, abandoned
	// ones included (Conn.Prepare).
	planSlots chan struct{}
}

// ErrClosed is returned after Close.
var ErrClosed = errors.New("engine: workspace database is closed")

// Open creates the workspace's in-memory database, locked down to dir.
func Open(ctx context.Context, dir string, limits Limits) (*Engine, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("engine: %w", err)
	}
	// Spill files go to a folder of this process, so that start-up
	// cleanup in another process sharing the data dir leaves it alone.
	return open(ctx, dir, filepath.Join(dir, "tmp", fmt.Sprintf("duckdb-%d", os.Getpid())), limits)
}

// open opens a database locked down to dir (absolute) that spills to tmp.
func open(ctx context.Context, dir, tmp string, limits Limits) (*Engine, error) {
	if err := os.MkdirAll(tmp, 0o700); err != nil {
		return nil, fmt.Errorf("engine: %w", err)
	}
	var db bindings.Database
	var config bindings.Config
	if bindings.CreateConfig(&config) == bindings.StateError {
		return nil, errors.New("engine: create duckdb config")
	}
	defer bindings.DestroyConfig(&config)
	var errMsg string
	if bindings.OpenExt("", &db, config, &errMsg) == bindings.StateError {
		bindings.Close(&db)
		return nil, fmt.Errorf("engine: open duckdb: %s", errMsg)
	}
	slots := limits.Threads
	if slots <= 0 {
		slots = runtime.NumCPU()
	}
	e := &Engine{dir: dir, db: db, limits: limits, planSlots: make(chan struct{}, slots), catalogs: map[string]bool{}, schemas: map[string]bool{}, mounts: map[string]mounted{}, states: map[string]string{}}
	if err := e.lockDown(ctx, tmp, limits); err != nil {
		e.Close()
		return nil, err
	}
	if limits.Functions != nil {
		c, err := e.Conn(ctx)
		if err != nil {
			e.Close()
			return nil, err
		}
		// The functions keep this connection's Arrow options, which
		// point into its client context: it stays open as long as the
		// engine (a closed one left them dangling, and the functions
		// crashed the process reading their arguments).
		e.fnConn = c
		if err := c.register(limits.Functions); err != nil {
			e.Close()
			return nil, err
		}
	}
	// Connections take their Arrow options when they open: drop the one
	// that applied the settings, so every query sees them.
	e.mu.Lock()
	idle := e.idle
	e.idle, e.open = nil, e.open-len(idle)
	e.mu.Unlock()
	for _, c := range idle {
		c.close()
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
		// PostgreSQL divides integers as integers (7 / 2 = 3).
		"SET GLOBAL integer_division = true",
		// Snapshot files never change (a new snapshot is a new folder):
		// their footers can be read once, not on every query.
		"SET GLOBAL parquet_metadata_cache = true",
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
	return e.exec(ctx, stmts...)
}

// scrub hides the workspace folder and the data dir holding it in a text
// bound for a client (DuckDB's messages quote the paths they read): a
// path names the host's layout and, for the data dir, where other
// organizations' files and the key files live.
func (e *Engine) scrub(text string) string {
	text = strings.ReplaceAll(text, e.dir, "<workspace>")
	if parent := filepath.Dir(e.dir); filepath.Base(parent) == "workspaces" {
		if root := filepath.Dir(parent); len(root) > 1 {
			text = strings.ReplaceAll(text, root, "<data>")
		}
	}
	return text
}

// exec runs statements that return nothing (settings, catalog DDL).
func (e *Engine) exec(ctx context.Context, stmts ...string) error {
	c, err := e.Conn(ctx)
	if err != nil {
		return err
	}
	defer c.Release()
	for _, s := range stmts {
		if err := c.exec(ctx, s); err != nil {
			return fmt.Errorf("engine: %s: %w", e.scrub(s), err)
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
	// Select is the view's select list over the files ("*" when empty),
	// e.g. to rebuild types Parquet cannot hold directly.
	Select string
	// Native, when set, is the snapshot's native copy (WriteNative): a
	// DuckDB database file whose table data holds the same rows, which
	// the view reads instead of the Parquet files (several times faster
	// to scan). Should it not attach, the view reads the Parquet files.
	Native string
	// Key and Columns are the table's key and columns, in the files'
	// order: a folder with delta files (change data capture: deltas.go)
	// is read merged by key, and never through a native copy.
	Key, Columns []string
}

type mounted struct {
	dir     string
	native  string // Mount.Native
	version int64
	alias   string // the attached native copy ("": Parquet)
}

func mountKey(m Mount) string { return m.Catalog + "\x00" + m.Schema + "\x00" + m.Table }

func (cur mounted) same(m Mount) bool { return cur.dir == m.Dir && cur.native == m.Native }

// EnsureMounted makes every mount current, replacing views whose snapshot
// changed to a newer version.
func (e *Engine) EnsureMounted(ctx context.Context, mounts []Mount) error {
	var todo []Mount
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		return ErrClosed
	}
	for _, m := range mounts {
		if cur, ok := e.mounts[mountKey(m)]; ok && (cur.same(m) || cur.version > m.Version) {
			continue
		}
		todo = append(todo, m)
	}
	e.mu.Unlock()
	if len(todo) == 0 {
		return nil
	}
	e.mountMu.Lock()
	defer e.mountMu.Unlock()
	for _, m := range todo {
		if err := e.mount(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

func (e *Engine) mount(ctx context.Context, m Mount) error {
	key := mountKey(m)
	e.mu.Lock()
	cur, ok := e.mounts[key]
	attached, hasSchema := e.catalogs[m.Catalog], e.schemas[m.Catalog+"\x00"+m.Schema]
	e.mu.Unlock()
	if ok && (cur.same(m) || cur.version > m.Version) {
		return nil
	}
	if !e.inside(m.Dir) || m.Native != "" && !e.inside(m.Native) {
		return fmt.Errorf("engine: mount %s is outside the workspace folder", m.Dir)
	}
	var stmts []string
	if !attached {
		stmts = append(stmts, "ATTACH IF NOT EXISTS ':memory:' AS "+QuoteIdent(m.Catalog))
	}
	if !hasSchema {
		stmts = append(stmts, "CREATE SCHEMA IF NOT EXISTS "+QuoteIdent(m.Catalog)+"."+QuoteIdent(m.Schema))
	}
	if err := e.exec(ctx, stmts...); err != nil {
		return err
	}
	e.mu.Lock()
	e.catalogs[m.Catalog] = true
	e.schemas[m.Catalog+"\x00"+m.Schema] = true
	e.mu.Unlock()

	view := QuoteIdent(m.Catalog) + "." + QuoteIdent(m.Schema) + "." + QuoteIdent(m.Table)
	sel := m.Select
	if sel == "" {
		sel = "*"
	}
	next := mounted{dir: m.Dir, native: m.Native, version: m.Version}
	err := errors.New("no native copy")
	from := ""
	if len(m.Key) > 0 {
		base, deltas, lerr := SnapshotFiles(m.Dir)
		if lerr != nil {
			return fmt.Errorf("engine: mount %s.%s.%s: %w", m.Catalog, m.Schema, m.Table, lerr)
		}
		if len(deltas) > 0 && m.Native == "" {
			// Without a native copy (which holds the merged rows), the
			// files are read merged.
			merged, merr := MergedSelect(base, deltas, m.Columns, m.Key)
			if merr != nil {
				return merr
			}
			from = "(" + merged + ")"
		}
	}
	if from != "" {
		err = e.exec(ctx, "CREATE OR REPLACE VIEW "+view+" AS SELECT "+sel+" FROM "+from)
		if err != nil {
			return err
		}
	} else if m.Native != "" {
		next.alias = nativeAlias(m.Native)
		err = e.exec(ctx,
			"ATTACH IF NOT EXISTS "+quoteString(m.Native)+" AS "+QuoteIdent(next.alias)+" (READ_ONLY)",
			"CREATE OR REPLACE VIEW "+view+" AS SELECT "+sel+" FROM "+QuoteIdent(next.alias)+".main.data")
		if err != nil {
			// A copy that does not attach (damaged, or being replaced):
			// read the Parquet files; the mount is not tried again.
			_ = e.exec(context.WithoutCancel(ctx), "DETACH DATABASE IF EXISTS "+QuoteIdent(next.alias))
			next.alias = ""
		}
	}
	if err != nil {
		// The Parquet files: merged when the folder has delta files (its
		// native copy, which holds the merged rows, did not attach).
		base, deltas, lerr := SnapshotFiles(m.Dir)
		if lerr != nil {
			return fmt.Errorf("engine: mount %s.%s.%s: %w", m.Catalog, m.Schema, m.Table, lerr)
		}
		q := "SELECT * FROM read_parquet(" + quoteString(filepath.Join(m.Dir, "*.parquet")) + ")"
		if len(deltas) > 0 {
			if q, err = MergedSelect(base, deltas, m.Columns, m.Key); err != nil {
				return err
			}
		}
		if err := e.exec(ctx, "CREATE OR REPLACE VIEW "+view+" AS SELECT "+sel+" FROM ("+q+")"); err != nil {
			return err
		}
	}
	e.mu.Lock()
	e.mounts[key] = next
	e.mu.Unlock()
	if ok && cur.alias != "" && cur.alias != next.alias {
		// The view no longer reads it; a query still running on it
		// keeps it until the query ends.
		_ = e.exec(context.WithoutCancel(ctx), "DETACH DATABASE IF EXISTS "+QuoteIdent(cur.alias))
	}
	return nil
}

// ReadsNative says whether the view of a mount reads its native copy
// (false: its Parquet files, or not mounted).
func (e *Engine) ReadsNative(m Mount) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	cur, ok := e.mounts[mountKey(m)]
	return ok && cur.alias != ""
}

// inside says whether path is in the workspace folder.
func (e *Engine) inside(path string) bool {
	return strings.HasPrefix(path, e.dir+string(filepath.Separator))
}

// Query prepares and runs one read-only statement and calls fn with its
// result stream. The stream, and every value read from it, is valid only
// during fn (values alias DuckDB's memory: copy what must outlive a
// batch). Cancelling ctx interrupts the query. Errors are *pgerr.Error.
func (e *Engine) Query(ctx context.Context, query string, args []any, fn func(array.RecordReader) error) error {
	c, err := e.Conn(ctx)
	if err != nil {
		return err
	}
	defer c.Release()
	st, err := c.Prepare(ctx, query)
	if err != nil {
		return err
	}
	defer st.Close()
	rows, err := st.Query(ctx, args)
	if err != nil {
		return err
	}
	defer rows.Release()
	if err := fn(rows); err != nil {
		return translate(ctx, err)
	}
	return rows.Err()
}

// Conn takes a connection from the pool (or opens one). Release it when
// done; it serves one goroutine at a time.
func (e *Engine) Conn(ctx context.Context) (*Conn, error) {
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		return nil, ErrClosed
	}
	if n := len(e.idle); n > 0 {
		c := e.idle[n-1]
		e.idle = e.idle[:n-1]
		e.mu.Unlock()
		return c, nil
	}
	e.open++
	e.mu.Unlock()
	var conn bindings.Connection
	if bindings.Connect(e.db, &conn) == bindings.StateError {
		e.mu.Lock()
		e.open--
		e.mu.Unlock()
		return nil, errors.New("engine: connect to duckdb")
	}
	c := &Conn{e: e, conn: conn}
	bindings.ConnectionGetArrowOptions(conn, &c.opts)
	return c, nil
}

func (e *Engine) release(c *Conn) {
	e.mu.Lock()
	if !e.closed && len(e.idle) < maxIdleConns {
		e.idle = append(e.idle, c)
		e.mu.Unlock()
		return
	}
	e.open--
	e.mu.Unlock()
	c.close()
}

// InUse reports whether a connection is handed out: a statement runs, or
// a result stream (an open cursor, a suspended portal) is still held.
func (e *Engine) InUse() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	n := e.open - len(e.idle)
	if e.fnConn != nil {
		n-- // held by the engine itself
	}
	return n > 0
}

// Limits returns the limits the engine was opened with.
func (e *Engine) Limits() Limits { return e.limits }

// Close frees the database and its memory once every connection is back.
func (e *Engine) Close() error {
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		return nil
	}
	e.closed = true
	idle := e.idle
	e.idle = nil
	e.open -= len(idle)
	e.mu.Unlock()
	for _, c := range idle {
		c.close()
	}
	if e.fnConn != nil {
		e.fnConn.close()
	}
	// Connections still handed out close on Release; DuckDB keeps the
	// database alive until its last connection is gone.
	bindings.Close(&e.db)
	return nil
}

// QuoteIdent quotes an identifier for DuckDB.
func QuoteIdent(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

func quoteString(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

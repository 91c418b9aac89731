package main

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"time"

	"github.com/jackc/pgx/v5"

	_ "github.com/duckdb/duckdb-go/v2" // registers the "duckdb" database/sql driver
)

// engine runs one statement and reads its whole result, as a client
// application would.
type engine interface {
	run(ctx context.Context, sql string) (*result, error)
}

// timed runs a statement and measures it end to end: from sending it to
// the last row decoded.
func timed(ctx context.Context, e engine, sql string) (time.Duration, *result, error) {
	start := time.Now()
	res, err := e.run(ctx, sql)
	return time.Since(start), res, err
}

// pgxEngine is a pgx connection in its default mode: the extended protocol,
// each statement prepared once (on its first run) and then bound and
// executed. Used for PostgreSQL and for Hotdata alike.
type pgxEngine struct{ conn *pgx.Conn }

func (e pgxEngine) run(ctx context.Context, sql string) (*result, error) {
	rows, err := e.conn.Query(ctx, sql)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	res := &result{}
	for _, fd := range rows.FieldDescriptions() {
		res.cols = append(res.cols, fd.Name)
	}
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			return nil, err
		}
		res.rows = append(res.rows, vals)
	}
	rows.Close()
	return res, rows.Err()
}

// duckEngine is one connection of an in-process DuckDB.
type duckEngine struct {
	db   *sql.DB
	conn *sql.Conn
}

// openDuckDB opens an in-memory DuckDB with DuckDB's defaults except the
// thread count, and a view per table over what Hotdata's engine reads
// for it: the snapshot's native copy (attached read-only) when natives
// has one, else the Parquet files of its folder.
func openDuckDB(ctx context.Context, threads int, dirs, natives map[string]string) (*duckEngine, error) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return nil, err
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		return nil, err
	}
	e := &duckEngine{db: db, conn: conn}
	stmts := []string{fmt.Sprintf("SET threads = %d", threads)}
	for name, dir := range dirs {
		view := pgx.Identifier{name}.Sanitize()
		if f, ok := natives[name]; ok {
			alias := pgx.Identifier{"native_" + name}.Sanitize()
			stmts = append(stmts, fmt.Sprintf("ATTACH %s AS %s (READ_ONLY)", quoteLiteral(f), alias),
				fmt.Sprintf("CREATE VIEW %s AS SELECT * FROM %s.main.data", view, alias))
			continue
		}
		stmts = append(stmts, fmt.Sprintf("CREATE VIEW %s AS SELECT * FROM read_parquet(%s)",
			view, quoteLiteral(filepath.Join(dir, "*.parquet"))))
	}
	for _, s := range stmts {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			e.close()
			return nil, fmt.Errorf("duckdb: %s: %w", s, err)
		}
	}
	return e, nil
}

func (e *duckEngine) close() {
	e.conn.Close()
	e.db.Close()
}

func (e *duckEngine) run(ctx context.Context, sql string) (*result, error) {
	rows, err := e.conn.QueryContext(ctx, sql)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	res := &result{cols: cols}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		res.rows = append(res.rows, vals)
	}
	return res, rows.Err()
}

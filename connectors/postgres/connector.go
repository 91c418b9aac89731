package postgres

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hotdata-dev/hotdata/connectors"
)

// Connector reads one PostgreSQL database.
type Connector struct {
	cfg      Config
	pool     *pgxpool.Pool // syncs and discovery
	livePool *pgxpool.Pool // live queries (liveParams)
	prep     *prepared     // the live connections' prepared statements
	held     atomic.Int32  // live statements held open (Hold)
	// replCfg is the config of replication connections (cdc.go).
	replCfg *pgconn.Config
}

var _ connectors.Connector = (*Connector)(nil)

// Test runs a trivial query.
func (c *Connector) Test(ctx context.Context) error {
	var one int
	if err := c.pool.QueryRow(ctx, "SELECT 1").Scan(&one); err != nil {
		if ce := c.explain(err); ce != err {
			return ce
		}
		return fmt.Errorf("postgres %s: %w", c.cfg.Host, err)
	}
	return nil
}

// explain turns an error met while connecting into a
// connectors.ConnectError that says what happened (a timeout, a refused
// connection, a login the server refused, …); other errors are returned
// as they are.
func (c *Connector) explain(err error) error {
	var ce *pgconn.ConnectError
	if !errors.As(err, &ce) {
		return err
	}
	reason, ok := connectors.NetworkReason(err)
	var pe *pgconn.PgError
	answered := true
	switch {
	case strings.Contains(err.Error(), "require_auth check failed") && strings.Contains(err.Error(), "requested password "):
		reason = "the server asked for the password in clear text on a connection that may lack TLS: refused " +
			"(use sslmode require or verify-full, or set allow_cleartext_password)"
	case strings.Contains(err.Error(), "require_auth check failed"):
		reason = fmt.Sprintf("the server asked for an authentication method that require_auth %q refuses: %s", c.cfg.RequireAuth, requireAuthReason(err))
	case errors.As(err, &pe) && pe.Code == "28P01":
		reason = fmt.Sprintf("password authentication failed for user %q", c.cfg.User)
	case errors.As(err, &pe) && pe.Code == "28000":
		reason = "the server refused the login: " + pe.Message
	case errors.As(err, &pe):
		reason = "the server refused the connection: " + pe.Message
	case !ok && notPostgres(err):
		reason, answered = "the server does not answer as PostgreSQL does (is this the port of a PostgreSQL server?)", false
	case !ok:
		// The driver's reason without its "failed to connect to …" head.
		reason, answered = ce.Unwrap().Error(), false
	default:
		answered = false
	}
	return &connectors.ConnectError{Addr: net.JoinHostPort(c.cfg.Host, strconv.Itoa(c.cfg.Port)), Reason: reason, Err: err, Answered: answered}
}

// requireAuthReason is pgconn's reason for a require_auth failure ("server
// requested md5 authentication").
func requireAuthReason(err error) string {
	msg := err.Error()
	if i := strings.Index(msg, "server requested"); i >= 0 {
		return msg[i:]
	}
	return "the server's method is not allowed"
}

// Close closes the pool.
func (c *Connector) Close() error {
	c.pool.Close()
	c.livePool.Close()
	return nil
}

// discoverSQL lists readable tables, views and their columns outside the
// system schemas. Partitions are skipped: their parent covers them.
const discoverSQL = `
SELECT n.nspname, c.relname, GREATEST(c.reltuples, 0)::bigint,
       a.attname, format_type(a.atttypid, a.atttypmod), a.atttypid, NOT a.attnotnull
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
  AND NOT c.relispartition
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp\_%'
  AND has_schema_privilege(n.oid, 'USAGE')
  AND has_table_privilege(c.oid, 'SELECT')
  AND (cardinality($1::text[]) = 0 OR n.nspname = ANY($1::text[]))
ORDER BY n.nspname, c.relname, a.attnum`

const primaryKeysSQL = `
SELECT n.nspname, c.relname, a.attname, coalesce(con.conname, '')
FROM pg_catalog.pg_index i
LEFT JOIN pg_catalog.pg_constraint con ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid AND con.contype = 'p'
JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord) ON true
JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
WHERE i.indisprimary
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND (cardinality($1::text[]) = 0 OR n.nspname = ANY($1::text[]))
ORDER BY n.nspname, c.relname, k.ord`

// Discover lists tables, views and materialized views with their columns.
func (c *Connector) Discover(ctx context.Context) ([]connectors.Table, error) {
	schemas := c.cfg.Schemas
	if schemas == nil {
		schemas = []string{}
	}
	rows, err := c.pool.Query(ctx, discoverSQL, schemas)
	if err != nil {
		return nil, fmt.Errorf("discover: %w", c.explain(err))
	}
	var tables []connectors.Table
	index := map[[2]string]int{}
	for rows.Next() {
		var schema, name, col, typ string
		var est int64
		var oid uint32
		var nullable bool
		if err := rows.Scan(&schema, &name, &est, &col, &typ, &oid, &nullable); err != nil {
			rows.Close()
			return nil, fmt.Errorf("discover: %w", err)
		}
		key := [2]string{schema, name}
		i, ok := index[key]
		if !ok {
			i = len(tables)
			index[key] = i
			tables = append(tables, connectors.Table{Schema: schema, Name: name, RowEstimate: est})
		}
		tables[i].Columns = append(tables[i].Columns, connectors.Column{Name: col, DataType: typ, Nullable: nullable, TypeOID: oid})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("discover: %w", err)
	}
	pkRows, err := c.pool.Query(ctx, primaryKeysSQL, schemas)
	if err != nil {
		return nil, fmt.Errorf("discover primary keys: %w", err)
	}
	defer pkRows.Close()
	for pkRows.Next() {
		var schema, name, col, conname string
		if err := pkRows.Scan(&schema, &name, &col, &conname); err != nil {
			return nil, fmt.Errorf("discover primary keys: %w", err)
		}
		if i, ok := index[[2]string{schema, name}]; ok {
			tables[i].PrimaryKey = append(tables[i].PrimaryKey, col)
			tables[i].PrimaryKeyName = conname
		}
	}
	if err := pkRows.Err(); err != nil {
		return nil, fmt.Errorf("discover primary keys: %w", err)
	}
	if err := c.discoverIndexes(ctx, schemas, tables, index); err != nil {
		return nil, err
	}
	if err := c.discoverForeignKeys(ctx, schemas, tables, index); err != nil {
		return nil, err
	}
	if err := c.discoverUserTypes(ctx, tables); err != nil {
		return nil, err
	}
	return tables, nil
}

// notPostgres reports pgconn's errors for a server that answered with
// something else than PostgreSQL's protocol (another database, HTTP).
func notPostgres(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "received unexpected message") || strings.Contains(msg, "invalid body length") ||
		strings.Contains(msg, "unexpected EOF")
}

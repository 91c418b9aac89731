package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/jackc/pglogrepl"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hotdata-dev/hotdata/connectors"
)

// Change data capture with logical replication (pgoutput).
//
// A stream named N is a publication N, holding the tables whose changes
// it carries, and a logical replication slot N, which keeps the WAL from
// the last confirmed position on. Hotdata creates and drops both
// (DropStream). The upstream needs wal_level = logical, and the
// connection's user the REPLICATION attribute and ownership of the
// tables (to add them to the publication), or a superuser.
//
// A table joins a running stream consistently: Track adds it to the
// publication and holds its changes; SnapshotScan creates a temporary
// slot that exports a snapshot, and scans the table in it (the slot's
// consistent point is the scan's position); Activate drops the held
// transactions that committed before that point and releases the rest.

var _ connectors.CDC = (*Connector)(nil)

// OpenStream opens the replication stream name, creating its publication
// and slot when missing.
func (c *Connector) OpenStream(ctx context.Context, name string) (connectors.Stream, error) {
	if err := connectors.CheckStreamName(name); err != nil {
		return nil, err
	}
	if err := c.checkReplication(ctx); err != nil {
		return nil, err
	}
	if err := c.ensurePublication(ctx, name); err != nil {
		return nil, err
	}
	var exists, lost bool
	if err := c.pool.QueryRow(ctx, `SELECT count(*) > 0, COALESCE(bool_or(wal_status = 'lost'), false) FROM pg_replication_slots WHERE slot_name = $1`, name).Scan(&exists, &lost); err != nil {
		return nil, fmt.Errorf("cdc: look up slot %s: %w", name, err)
	}
	if lost {
		// The server removed WAL the slot still needed (max_slot_wal_keep_size):
		// it can never stream again. A new one starts over: its tables
		// are read again.
		if _, err := c.pool.Exec(ctx, `SELECT pg_drop_replication_slot($1)`, name); err != nil {
			return nil, fmt.Errorf("cdc: drop the lost slot %s: %w", name, err)
		}
		exists = false
	}
	conn, err := c.replConn(ctx)
	if err != nil {
		return nil, err
	}
	if !exists {
		if _, err := pglogrepl.CreateReplicationSlot(ctx, conn, name, "pgoutput", pglogrepl.CreateReplicationSlotOptions{Mode: pglogrepl.LogicalReplication}); err != nil {
			conn.Close(context.Background())
			return nil, fmt.Errorf("cdc: create replication slot %s: %w", name, err)
		}
	}
	s := newStream(c, name, conn)
	s.created = !exists
	if err := s.start(ctx); err != nil {
		conn.Close(context.Background())
		return nil, err
	}
	return s, nil
}

// DropStream drops the stream's slot and publication. A slot in use by
// another connection (a stream not yet closed) is waited for a moment.
func (c *Connector) DropStream(ctx context.Context, name string) error {
	if err := connectors.CheckStreamName(name); err != nil {
		return err
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, err := c.pool.Exec(ctx, `SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1`, name)
		var pe *pgconn.PgError
		if errors.As(err, &pe) && pe.Code == "55006" && time.Now().Before(deadline) { // object_in_use
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(200 * time.Millisecond):
			}
			continue
		}
		if err != nil {
			return fmt.Errorf("cdc: drop replication slot %s: %w", name, err)
		}
		break
	}
	if _, err := c.pool.Exec(ctx, `DROP PUBLICATION IF EXISTS `+quoteIdent(name)); err != nil {
		return fmt.Errorf("cdc: drop publication %s: %w", name, err)
	}
	return nil
}

// checkReplication says, before anything is created, why the upstream
// cannot stream changes.
func (c *Connector) checkReplication(ctx context.Context) error {
	var level string
	var canReplicate bool
	err := c.pool.QueryRow(ctx, `SELECT current_setting('wal_level'), (SELECT rolreplication OR rolsuper FROM pg_roles WHERE rolname = current_user)`).Scan(&level, &canReplicate)
	if err != nil {
		if ce := c.explain(err); ce != err {
			return ce
		}
		return fmt.Errorf("cdc: %w", err)
	}
	switch {
	case level != "logical":
		return fmt.Errorf("%w: the upstream's wal_level is %s; change data capture needs wal_level = logical (set it in postgresql.conf and restart the server)", connectors.ErrCDCUnsupported, level)
	case !canReplicate:
		return fmt.Errorf("%w: user %q may not replicate; grant it with ALTER ROLE %s REPLICATION", connectors.ErrCDCUnsupported, c.cfg.User, quoteIdent(c.cfg.User))
	}
	return nil
}

func (c *Connector) ensurePublication(ctx context.Context, name string) error {
	var exists bool
	if err := c.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_publication WHERE pubname = $1)`, name).Scan(&exists); err != nil {
		return fmt.Errorf("cdc: look up publication %s: %w", name, err)
	}
	if exists {
		return nil
	}
	if _, err := c.pool.Exec(ctx, `CREATE PUBLICATION `+quoteIdent(name)); err != nil {
		var pe *pgconn.PgError
		if errors.As(err, &pe) && pe.Code == "42710" { // created meanwhile
			return nil
		}
		return fmt.Errorf("cdc: create publication %s: %w", name, err)
	}
	return nil
}

// publish adds a table to the stream's publication (or removes it); it
// reports whether the table was in it.
func (c *Connector) publish(ctx context.Context, name, schema, table string, add bool) (bool, error) {
	rel := quoteIdent(schema) + "." + quoteIdent(table)
	var in bool
	if err := c.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_publication_tables WHERE pubname = $1 AND schemaname = $2 AND tablename = $3)`,
		name, schema, table).Scan(&in); err != nil {
		return false, fmt.Errorf("cdc: publication %s: %w", name, err)
	}
	if in == add {
		return in, nil
	}
	stmt := `ALTER PUBLICATION ` + quoteIdent(name) + ` ADD TABLE ` + rel
	if !add {
		stmt = `ALTER PUBLICATION ` + quoteIdent(name) + ` DROP TABLE ` + rel
	}
	// In a transaction with a lock timeout: ALTER PUBLICATION waits for
	// a lock on the table, and the stream's status updates wait on it.
	tx, err := c.pool.Begin(ctx)
	if err != nil {
		return in, fmt.Errorf("cdc: publication %s: %w", name, err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	if _, err := tx.Exec(ctx, "SET LOCAL lock_timeout = '10s'"); err != nil {
		return in, fmt.Errorf("cdc: publication %s: %w", name, err)
	}
	_, err = tx.Exec(ctx, stmt)
	if err == nil {
		err = tx.Commit(ctx)
	}
	if err != nil {
		var pe *pgconn.PgError
		if errors.As(err, &pe) && pe.Code == "42501" {
			return in, fmt.Errorf("%w: user %q may not add %s.%s to a publication (it must own the table, or be a superuser)", connectors.ErrCDCUnsupported, c.cfg.User, schema, table)
		}
		return in, fmt.Errorf("cdc: publication %s: %w", name, err)
	}
	return in, nil
}

// published lists the tables of a publication.
func (c *Connector) published(ctx context.Context, name string) ([][2]string, error) {
	rows, err := c.pool.Query(ctx, `SELECT schemaname::text, tablename::text FROM pg_publication_tables WHERE pubname = $1`, name)
	if err != nil {
		return nil, fmt.Errorf("cdc: publication %s: %w", name, err)
	}
	defer rows.Close()
	var out [][2]string
	for rows.Next() {
		var t [2]string
		if err := rows.Scan(&t[0], &t[1]); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// checkStreamable says why a table's changes cannot be applied by its
// primary key from the stream: a partitioned table (its changes come
// under its partitions' names), stored generated columns (not in the
// stream), a replica identity that does not carry the key.
func (c *Connector) checkStreamable(ctx context.Context, t connectors.StreamTable) error {
	var kind, ident string
	var generated int
	var identKey []string
	err := c.pool.QueryRow(ctx, `
SELECT c.relkind::text, c.relreplident::text,
       (SELECT count(*) FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated <> ''),
       COALESCE((SELECT array_agg(a.attname::text ORDER BY a.attname) FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
                 WHERE i.indrelid = c.oid AND i.indisreplident), '{}')
FROM pg_class c WHERE c.oid = (quote_ident($1) || '.' || quote_ident($2))::regclass`, t.Schema, t.Table).Scan(&kind, &ident, &generated, &identKey)
	if err != nil {
		return fmt.Errorf("cdc: %s.%s: %w", t.Schema, t.Table, err)
	}
	switch {
	case kind == "p":
		return fmt.Errorf("%w: %s.%s is partitioned: its changes arrive under its partitions' names; keep it fresh with every or ttl", connectors.ErrCDCUnsupported, t.Schema, t.Table)
	case kind != "r":
		return fmt.Errorf("%w: %s.%s is not a table (views and foreign tables have no changes to stream)", connectors.ErrCDCUnsupported, t.Schema, t.Table)
	case generated > 0:
		return fmt.Errorf("%w: %s.%s has stored generated columns, which PostgreSQL leaves out of its change stream", connectors.ErrCDCUnsupported, t.Schema, t.Table)
	case ident == "n":
		return fmt.Errorf("%w: %s.%s has REPLICA IDENTITY NOTHING: its updates and deletes carry no key (and would fail once published); set REPLICA IDENTITY DEFAULT", connectors.ErrCDCUnsupported, t.Schema, t.Table)
	case ident == "i":
		key := append([]string(nil), t.Key...)
		slices.Sort(key)
		if !slices.Equal(key, identKey) {
			return fmt.Errorf("%w: %s.%s's REPLICA IDENTITY USING INDEX is not its primary key: deletes would not carry the key; set REPLICA IDENTITY DEFAULT", connectors.ErrCDCUnsupported, t.Schema, t.Table)
		}
	}
	return nil
}

// replConn opens a replication connection (replication=database) with
// the connector's settings and dialer.
func (c *Connector) replConn(ctx context.Context) (*pgconn.PgConn, error) {
	cfg := c.replCfg.Copy()
	conn, err := pgconn.ConnectConfig(ctx, cfg)
	if err != nil {
		if ce := c.explain(err); ce != err {
			return nil, ce
		}
		return nil, fmt.Errorf("cdc: replication connection: %w", err)
	}
	return conn, nil
}

// replicationConfig is the connection config of replication connections:
// the pool's, with replication=database and the settings output
// functions print values with.
func replicationConfig(pc *pgxpool.Config) *pgconn.Config {
	rc := pc.ConnConfig.Config.Copy()
	rc.RuntimeParams["replication"] = "database"
	rc.RuntimeParams["application_name"] = "hotdata cdc"
	for k, v := range outputParams {
		rc.RuntimeParams[k] = v
	}
	return rc
}

// outputParams are the settings output functions print values with, on
// sync and replication connections.
var outputParams = map[string]string{"DateStyle": "ISO", "IntervalStyle": "postgres", "TimeZone": "UTC", "extra_float_digits": "3", "bytea_output": "hex"}

// SnapshotScan runs on a stream: see stream.SnapshotScan.

// snapshotScan scans a table in the snapshot a temporary slot exports;
// the scan's position is the slot's consistent point. The replication
// connection that holds the snapshot closes with the scan.
func (c *Connector) snapshotScan(ctx context.Context, req connectors.ScanRequest) (connectors.Scan, pglogrepl.LSN, error) {
	conn, pos, err := c.exportSnapshot(ctx, &req)
	if err != nil {
		return nil, 0, err
	}
	sc, err := c.Scan(ctx, req)
	if err != nil {
		conn.Close(context.Background())
		return nil, 0, err
	}
	return &heldScan{Scan: sc, release: func() { conn.Close(context.Background()) }}, pos, nil
}

// SnapshotParts reads a tracked table in parts (see ScanParts), in a
// snapshot exported by a temporary slot whose consistent point it returns.
func (s *stream) SnapshotParts(ctx context.Context, req connectors.ScanRequest) (connectors.Parts, string, error) {
	if _, err := s.c.partable(ctx, req); err != nil {
		return nil, "", err // before a slot is made for nothing
	}
	conn, pos, err := s.c.exportSnapshot(ctx, &req)
	if err != nil {
		return nil, "", err
	}
	p, err := s.c.ScanParts(ctx, req)
	if err != nil {
		conn.Close(context.Background())
		return nil, "", err
	}
	return &heldParts{Parts: p, release: func() { conn.Close(context.Background()) }}, pos.String(), nil
}

// heldParts is a read in parts that keeps a resource until it is closed.
type heldParts struct {
	connectors.Parts
	release func()
}

func (h *heldParts) Close() error {
	err := h.Parts.Close()
	h.release()
	return err
}

// exportSnapshot creates a temporary slot that exports a snapshot, set
// in req, and returns the replication connection that holds it (close it
// once the read ends) and the slot's consistent point.
func (c *Connector) exportSnapshot(ctx context.Context, req *connectors.ScanRequest) (*pgconn.PgConn, pglogrepl.LSN, error) {
	conn, err := c.replConn(ctx)
	if err != nil {
		return nil, 0, err
	}
	slot := "hotdata_tmp_" + strconv.FormatInt(time.Now().UnixNano(), 10)
	res, err := pglogrepl.CreateReplicationSlot(ctx, conn, slot, "pgoutput",
		pglogrepl.CreateReplicationSlotOptions{Temporary: true, SnapshotAction: "EXPORT_SNAPSHOT", Mode: pglogrepl.LogicalReplication})
	if err != nil {
		conn.Close(context.Background())
		return nil, 0, fmt.Errorf("cdc: snapshot %s.%s: %w", req.Schema, req.Table, err)
	}
	pos, err := pglogrepl.ParseLSN(res.ConsistentPoint)
	if err != nil {
		conn.Close(context.Background())
		return nil, 0, fmt.Errorf("cdc: snapshot %s.%s: consistent point %q: %w", req.Schema, req.Table, res.ConsistentPoint, err)
	}
	req.Snapshot = res.SnapshotName
	return conn, pos, nil
}

// heldScan is a scan that keeps a resource until it is released.
type heldScan struct {
	connectors.Scan
	release func()
	refs    int
}

func (h *heldScan) Retain() { h.refs++; h.Scan.Retain() }

func (h *heldScan) Release() {
	h.Scan.Release()
	if h.refs > 0 {
		h.refs--
		return
	}
	if h.release != nil {
		h.release()
		h.release = nil
	}
}

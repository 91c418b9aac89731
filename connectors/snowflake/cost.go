package snowflake

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/hotdata-dev/hotdata/connectors"
)

// checkCost refuses a full read of a table that INFORMATION_SCHEMA says
// holds more than max_bytes_per_sync bytes. Views (and the emulator's
// tables) have no size there: their reads are not refused.
func (c *Connector) checkCost(ctx context.Context, conn *sql.Conn, d dialect, schema, table string) error {
	tables, err := readTables(ctx, conn, d, []string{schema}, table)
	if err != nil {
		return fmt.Errorf("reading the table's size for max_bytes_per_sync: %w", err)
	}
	for _, t := range tables {
		if t.schema == schema && t.name == table {
			return costError(t.bytes, c.cfg.MaxBytesPerSync)
		}
	}
	return nil
}

// costError is the refusal of a read of size bytes under the cap (nil
// when the size is unknown, -1, or within the cap).
func costError(size, limit int64) error {
	if limit <= 0 || size < 0 || size <= limit {
		return nil
	}
	return fmt.Errorf("%w: the table holds %d bytes (INFORMATION_SCHEMA.TABLES.BYTES), more than max_bytes_per_sync (%d): raise max_bytes_per_sync in the connection's config, or set it to 0 for no cap",
		connectors.ErrTooCostly, size, limit)
}

// historyTimeout bounds the query history lookup that ends a scan.
const historyTimeout = 10 * time.Second

// queryBytes asks Snowflake's query history what a query of the session
// read (BYTES_SCANNED); -1 when it does not say. The emulator keeps no
// such history, and is not asked.
func queryBytes(ctx context.Context, conn *sql.Conn, d dialect, queryID string) int64 {
	if d.duckdb || queryID == "" || conn == nil {
		return -1
	}
	id, err := quoteString(queryID, d)
	if err != nil {
		return -1
	}
	ctx, cancel := context.WithTimeout(ctx, historyTimeout)
	defer cancel()
	var n sql.NullString
	err = conn.QueryRowContext(ctx, `SELECT BYTES_SCANNED FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY_BY_SESSION(RESULT_LIMIT => 1000)) WHERE QUERY_ID = `+id).Scan(&n)
	if err != nil {
		return -1
	}
	return nullInt(n)
}

package files

import (
	"context"
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/hotdata-dev/hotdata/engine"
	"github.com/hotdata-dev/hotdata/internal/pgerr"
)

// DuckDB's store_rejects records the rows a CSV scan skipped in two
// temporary tables of the connection, appending one scan after another
// (https://duckdb.org/docs/stable/data/csv/reading_faulty_csv_files).
// A scan notes the newest scan id before it starts and afterwards counts
// the rows recorded since; the connection runs one statement at a time,
// so those are this scan's.

// lastRejectScan returns the newest scan id in the connection's rejects
// tables, 0 when it has none yet.
func lastRejectScan(ctx context.Context, conn *engine.Conn) (int64, error) {
	var id int64
	err := queryConn(ctx, conn, "SELECT CAST(coalesce(max(scan_id), 0) AS BIGINT) FROM temp.reject_scans", nil,
		func(rec array.RecordReader) error {
			for rec.Next() {
				if b := rec.RecordBatch(); b.NumRows() > 0 {
					id = b.Column(0).(*array.Int64).Value(0)
				}
			}
			return rec.Err()
		})
	if pgerr.Code(err) == pgerr.UndefinedTable {
		return 0, nil
	}
	return id, err
}

// skippedRows summarizes the rows a scan skipped as a warning ("" when
// it skipped none), with the first two lines and what was wrong with them.
func skippedRows(ctx context.Context, conn *engine.Conn, f File, after int64) (string, error) {
	const q = `SELECT CAST(count(*) OVER () AS BIGINT), CAST(line AS BIGINT), msg,
	       (SELECT CAST(count(*) AS BIGINT) FROM temp.reject_errors WHERE scan_id > $1)
	FROM (SELECT line, min(error_message) AS msg FROM temp.reject_errors WHERE scan_id > $1 GROUP BY line)
	ORDER BY line LIMIT 2`
	var rows, recorded int64
	var examples []string
	err := queryConn(ctx, conn, q, []any{after}, func(rr array.RecordReader) error {
		for rr.Next() {
			rec := rr.RecordBatch()
			for i := 0; i < int(rec.NumRows()); i++ {
				rows = rec.Column(0).(*array.Int64).Value(i)
				recorded = rec.Column(3).(*array.Int64).Value(i)
				line := rec.Column(1).(*array.Int64).Value(i)
				examples = append(examples, fmt.Sprintf("line %d: %s", line, problem(rec.Column(2).(*array.String).Value(i))))
			}
		}
		return rr.Err()
	})
	if pgerr.Code(err) == pgerr.UndefinedTable {
		return "", nil // nothing was ever rejected on this connection
	}
	if err != nil || rows == 0 {
		return "", err
	}
	count := fmt.Sprint(rows)
	if recorded >= maxRejects {
		count = "at least " + count
	}
	noun := "rows"
	if rows == 1 {
		noun = "row"
	}
	return fmt.Sprintf("%s: skipped %s bad %s (%s)", f.Path, count, noun, strings.Join(examples, "; ")), nil
}

// queryConn runs one statement on conn and calls fn with its result.
func queryConn(ctx context.Context, conn *engine.Conn, sql string, args []any, fn func(array.RecordReader) error) error {
	st, err := conn.Prepare(ctx, sql)
	if err != nil {
		return err
	}
	defer st.Close()
	rows, err := st.Query(ctx, args)
	if err != nil {
		return err
	}
	defer rows.Release()
	return fn(rows)
}

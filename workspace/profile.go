package workspace

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/hotdata-dev/hotdata/engine"
	"github.com/hotdata-dev/hotdata/metastore"
)

// TableProfile describes the cached snapshot of a table column by column.
type TableProfile struct {
	ConnectionID, Connection, Schema, Table string
	SnapshotID                              string
	SnapshotVersion                         int64
	LastSync                                *time.Time
	RowCount                                int64
	// DistinctApproximate says the distinct counts are HyperLogLog
	// estimates (tables over exactDistinctRows rows) rather than exact.
	DistinctApproximate bool
	Columns             []ColumnProfile
	Elapsed             time.Duration
}

// ColumnProfile is one column's profile. Min, Max and the top values are
// the values' text forms, cut to profileValueChars characters; Min and
// Max are nil when the column holds no value, and they and the top
// values are left out for a column the cache holds as text.
type ColumnProfile struct {
	Name, DataType string
	NullCount      int64
	DistinctCount  int64
	Min, Max       *string
	TopValues      []ValueCount
}

// ValueCount is a value and how many rows hold it.
type ValueCount struct {
	Value string
	Count int64
}

const (
	// exactDistinctRows is the largest table whose distinct values are
	// counted exactly; past it they are estimated (approx_count_distinct).
	exactDistinctRows = 1_000_000
	// profileTopValues is how many of a column's most frequent values a
	// profile lists.
	profileTopValues = 5
	// profileValueChars caps the text of a value in a profile.
	profileValueChars = 200
)

// ProfileTable profiles the cached snapshot of a connection's table: per
// column the nulls, distinct values, min/max and the most frequent
// values. A table never synced (or purged) is 409 TABLE_NOT_CACHED: the
// profile reads the cache, it does not sync.
func (s *Service) ProfileTable(ctx context.Context, p metastore.Principal, ws metastore.Workspace, connRef, schema, table string) (TableProfile, error) {
	if err := requireRole(p, metastore.RoleViewer, "profiling a table"); err != nil {
		return TableProfile{}, err
	}
	c, t, err := s.lookupTable(ctx, ws, connRef, schema, table)
	if err != nil {
		return TableProfile{}, err
	}
	name := c.Name + "." + t.Schema + "." + t.Name
	notCached := newError(KindConflict, "TABLE_NOT_CACHED",
		"%s is not cached: query it, or sync it with POST /v1/refresh {\"connection_id\": %q, \"schema_name\": %q, \"table_name\": %q, \"data\": true, \"include_uncached\": true}, then profile it",
		name, c.Name, t.Schema, t.Name)
	if t.CurrentSnapshotID == "" {
		return TableProfile{}, notCached
	}
	snap, err := s.store.GetSnapshot(ctx, t.CurrentSnapshotID)
	if errors.Is(err, metastore.ErrNotFound) {
		return TableProfile{}, notCached // purged meanwhile
	}
	if err != nil {
		return TableProfile{}, err
	}
	eng, err := s.engineFor(ctx, ws)
	if err != nil {
		return TableProfile{}, err
	}
	if err := eng.EnsureMounted(ctx, []engine.Mount{s.snapshotMount(ws.ID, c.Name, t.Schema, t.Name, &snap, t.PrimaryKey)}); err != nil {
		return TableProfile{}, fmt.Errorf("profile %s: %w", name, err)
	}
	s.noteRead([]string{t.ID})
	start := time.Now()
	out := TableProfile{ConnectionID: c.ID, Connection: c.Name, Schema: t.Schema, Table: t.Name,
		SnapshotID: snap.ID, SnapshotVersion: snap.Version, LastSync: t.LastSyncAt,
		DistinctApproximate: snap.RowCount > exactDistinctRows}
	view := engine.QuoteIdent(c.Name) + "." + engine.QuoteIdent(t.Schema) + "." + engine.QuoteIdent(t.Name)
	if err := s.profileAggregates(ctx, eng, view, snap.Columns, &out); err != nil {
		return TableProfile{}, fmt.Errorf("profile %s: %w", name, err)
	}
	for i := range out.Columns {
		col := &out.Columns[i]
		if col.NullCount == out.RowCount || snap.Columns[i].Text {
			continue
		}
		if col.TopValues, err = topValues(ctx, eng, view, col, out.RowCount, out.DistinctApproximate); err != nil {
			return TableProfile{}, fmt.Errorf("profile %s.%s: %w", name, col.Name, err)
		}
	}
	out.Elapsed = time.Since(start)
	return out, nil
}

// profileAggregates fills the row count and every column's nulls,
// distinct count, min and max in one scan.
func (s *Service) profileAggregates(ctx context.Context, eng *engine.Engine, view string, cols []metastore.Column, out *TableProfile) error {
	distinct := "count(DISTINCT %s)"
	if out.DistinctApproximate {
		distinct = "approx_count_distinct(%s)"
	}
	sel := []string{"count(*)::BIGINT"}
	for _, c := range cols {
		q := engine.QuoteIdent(c.Name)
		minMax := []string{profileText("min(" + q + ")"), profileText("max(" + q + ")")}
		if c.Text {
			// Held as its text, which does not sort as its values
			// ("10.00" < "9.00"): no least and greatest value.
			minMax = []string{"NULL::VARCHAR", "NULL::VARCHAR"}
		}
		sel = append(sel,
			fmt.Sprintf("(count(*) - count(%s))::BIGINT", q),
			fmt.Sprintf(distinct+"::BIGINT", q), minMax[0], minMax[1])
	}
	return eng.Query(ctx, "SELECT "+strings.Join(sel, ", ")+" FROM "+view, nil, func(rr array.RecordReader) error {
		for rr.Next() {
			rec := rr.RecordBatch()
			if rec.NumRows() != 1 {
				continue
			}
			out.RowCount = rec.Column(0).(*array.Int64).Value(0)
			for i, c := range cols {
				base := 1 + 4*i
				out.Columns = append(out.Columns, ColumnProfile{Name: c.Name, DataType: c.DataType,
					NullCount:     rec.Column(base).(*array.Int64).Value(0),
					DistinctCount: rec.Column(base + 1).(*array.Int64).Value(0),
					Min:           optString(rec.Column(base + 2)), Max: optString(rec.Column(base + 3))})
			}
		}
		return rr.Err()
	})
}

// topValues returns a column's most frequent values (ties in the
// column's order) without a hash table of every distinct value: a column
// without repeated values (exact counts) gives its least values; a table
// over exactDistinctRows rows takes its candidates from an approximate
// top-k and counts them exactly; otherwise the values are grouped.
func topValues(ctx context.Context, eng *engine.Engine, view string, col *ColumnProfile, rows int64, approximate bool) ([]ValueCount, error) {
	q := engine.QuoteIdent(col.Name)
	var sql string
	switch {
	case approximate:
		sql = fmt.Sprintf("SELECT %s AS v, count(*)::BIGINT AS n FROM %s WHERE %s IN (SELECT unnest(approx_top_k(%s, %d)) FROM %s) GROUP BY %s ORDER BY n DESC, %s LIMIT %d",
			profileText(q), view, q, q, profileTopValues, view, q, q, profileTopValues)
	case col.DistinctCount == rows-col.NullCount:
		sql = fmt.Sprintf("SELECT %s AS v, 1::BIGINT AS n FROM %s WHERE %s IS NOT NULL ORDER BY %s LIMIT %d",
			profileText(q), view, q, q, profileTopValues)
	default:
		sql = fmt.Sprintf("SELECT %s AS v, count(*)::BIGINT AS n FROM %s WHERE %s IS NOT NULL GROUP BY %s ORDER BY n DESC, %s LIMIT %d",
			profileText(q), view, q, q, q, profileTopValues)
	}
	var out []ValueCount
	err := eng.Query(ctx, sql, nil, func(rr array.RecordReader) error {
		for rr.Next() {
			rec := rr.RecordBatch()
			vs, ns := rec.Column(0), rec.Column(1).(*array.Int64)
			for i := 0; i < int(rec.NumRows()); i++ {
				if v := optStringAt(vs, i); v != nil {
					out = append(out, ValueCount{Value: *v, Count: ns.Value(i)})
				}
			}
		}
		return rr.Err()
	})
	return out, err
}

// profileText is the SQL of expr's text form, cut to profileValueChars.
func profileText(expr string) string {
	return fmt.Sprintf("CASE WHEN length(%[1]s::VARCHAR) > %[2]d THEN left(%[1]s::VARCHAR, %[2]d) || '…' ELSE %[1]s::VARCHAR END", expr, profileValueChars)
}

func optString(a any) *string { return optStringAt(a, 0) }

// optStringAt copies row i of a string column (the engine's memory is
// not ours past the batch); nil for NULL.
func optStringAt(a any, i int) *string {
	s, ok := a.(interface { // String, LargeString, StringView
		Len() int
		IsNull(int) bool
		Value(int) string
	})
	if !ok || s.Len() <= i || s.IsNull(i) {
		return nil
	}
	v := strings.Clone(s.Value(i))
	return &v
}

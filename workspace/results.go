package workspace

import (
	"context"
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/hotdata-dev/hotdata/engine"
)

// sendStrings sends a small all-text result (SHOW, EXPLAIN).
func sendStrings(sink Sink, cols []string, rows [][]string, tag string) error {
	fields := make([]arrow.Field, len(cols))
	for i, c := range cols {
		fields[i] = arrow.Field{Name: c, Type: arrow.BinaryTypes.String, Nullable: true}
	}
	schema := arrow.NewSchema(fields, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	for _, r := range rows {
		for i, v := range r {
			b.Field(i).(*array.StringBuilder).Append(v)
		}
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	if err := sink.Describe(schema); err != nil {
		return err
	}
	if len(rows) > 0 {
		if err := sink.Write(rec); err != nil {
			return err
		}
	}
	if tag == "SHOW" || tag == "EXPLAIN" {
		return sink.Complete(tag)
	}
	return sink.Complete(fmt.Sprintf("%s %d", tag, len(rows)))
}

// explain answers EXPLAIN: a first line naming the route and the
// snapshots read, then the engine's plan.
func (ss *Session) explain(ctx context.Context, engineSQL string, mounts []engine.Mount, snapIDs []string, sink Sink) error {
	eng, err := ss.svc.engineFor(ctx, ss.ws)
	if err != nil {
		return err
	}
	route := "Hotdata route: cached"
	if len(mounts) == 0 {
		route += " (no tables read)"
	}
	var used []string
	for i, m := range mounts {
		format := "parquet"
		if eng.ReadsNative(m) {
			format = "native"
		}
		used = append(used, fmt.Sprintf("%s.%s.%s@v%d (%s, %s)", m.Catalog, m.Schema, m.Table, m.Version, snapIDs[i], format))
	}
	if len(used) > 0 {
		route += ", snapshots: " + strings.Join(used, ", ")
	}
	lines := []string{route}
	if len(ss.lastFreshness) > 0 {
		lines = append(lines, freshnessLine(ss.lastFreshness))
	}
	err = eng.Query(ctx, "EXPLAIN "+engineSQL, nil, func(rr array.RecordReader) error {
		for rr.Next() {
			rec := rr.RecordBatch()
			col := rec.Column(int(rec.NumCols()) - 1)
			for i := 0; i < col.Len(); i++ {
				for _, l := range strings.Split(strings.TrimRight(col.ValueStr(i), "\n"), "\n") {
					lines = append(lines, strings.Clone(l))
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	rows := make([][]string, len(lines))
	for i, l := range lines {
		rows[i] = []string{l}
	}
	return sendStrings(sink, []string{"QUERY PLAN"}, rows, "EXPLAIN")
}

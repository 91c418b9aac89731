package cache

import (
	"context"
	"maps"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/hotdata-dev/hotdata/connectors"
	"github.com/hotdata-dev/hotdata/metastore"
)

// needyConnector serves a table of int64 columns; a column in needs
// holds values its native form cannot: a scan that reads it natively
// yields a batch, then fails with connectors.NeedsTextError.
type needyConnector struct {
	t     *testing.T
	cols  []string
	mu    sync.Mutex
	needs map[string]string
	reqs  []connectors.ScanRequest
}

func (c *needyConnector) Test(context.Context) error                           { return nil }
func (c *needyConnector) Discover(context.Context) ([]connectors.Table, error) { return nil, nil }
func (c *needyConnector) Close() error                                         { return nil }

func (c *needyConnector) Scan(_ context.Context, req connectors.ScanRequest) (connectors.Scan, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.reqs = append(c.reqs, req)
	var fields []arrow.Field
	var fail error
	for _, name := range c.cols {
		meta := arrow.NewMetadata([]string{connectors.MetaSourceType}, []string{"bigint"})
		if reason, ok := req.AsText[name]; ok {
			keys, values := []string{connectors.MetaSourceType, connectors.MetaTextHeld}, []string{"bigint", "true"}
			if reason != "" {
				keys, values = append(keys, connectors.MetaUnavailable), append(values, reason)
			}
			fields = append(fields, arrow.Field{Name: name, Type: arrow.BinaryTypes.String, Nullable: true, Metadata: arrow.NewMetadata(keys, values)})
			continue
		}
		if reason, ok := c.needs[name]; ok && fail == nil {
			fail = &connectors.NeedsTextError{Column: name, Reason: reason}
		}
		fields = append(fields, arrow.Field{Name: name, Type: arrow.PrimitiveTypes.Int64, Nullable: true, Metadata: meta})
	}
	schema := arrow.NewSchema(fields, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	for i := range fields {
		for r := 0; r < 10; r++ {
			switch fb := b.Field(i).(type) {
			case *array.Int64Builder:
				fb.Append(int64(r + 100*len(c.reqs)))
			case *array.StringBuilder:
				fb.Append("text")
			}
		}
	}
	rec := b.NewRecordBatch()
	rr, err := array.NewRecordReader(schema, []arrow.RecordBatch{rec, rec})
	if err != nil {
		c.t.Fatal(err)
	}
	fs := &fakeScan{RecordReader: rr}
	if fail != nil {
		fs.failAfter, fs.failWith = 1, fail
	}
	return fs, nil
}

// TestSyncReadsColumnsAsText: a scan that meets values a column's form
// cannot hold is read again with the column as text, as often as it
// takes; the snapshot records which columns are text and which the cache
// cannot serve; an incremental sync reads the columns as the previous
// snapshot holds them, and turns into a full one when a new column needs
// its text.
func TestSyncReadsColumnsAsText(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	const reason = "it holds 2-dimensional arrays; Hotdata caches one-dimensional arrays with lower bound 1"
	conn := &needyConnector{t: t, cols: []string{"id", "n", "m", "k"}, needs: map[string]string{"n": "", "m": reason}}
	res, err := f.syncer.SyncTable(ctx, SyncRequest{Table: f.table, Connector: conn})
	if err != nil {
		t.Fatal(err)
	}
	if len(conn.reqs) != 3 {
		t.Fatalf("%d scans, want 3 (native, n as text, n and m as text)", len(conn.reqs))
	}
	want := []metastore.Column{{Name: "id", DataType: "bigint", Nullable: true}, {Name: "n", DataType: "bigint", Nullable: true, Text: true},
		{Name: "m", DataType: "bigint", Nullable: true, Text: true, Unavailable: reason}, {Name: "k", DataType: "bigint", Nullable: true}}
	if !reflect.DeepEqual(res.Snapshot.Columns, want) || res.Snapshot.RowCount != 20 {
		t.Fatalf("snapshot %d rows, columns %+v; want 20 rows, %+v", res.Snapshot.RowCount, res.Snapshot.Columns, want)
	}
	if w := strings.Join(res.Warnings, "\n"); !strings.Contains(w, "column m is not served from the cache: "+reason) {
		t.Errorf("warnings %q do not name the unavailable column", res.Warnings)
	}
	if entries, _ := os.ReadDir(f.layout.Tmp(f.table.WorkspaceID)); len(entries) != 0 {
		t.Fatalf("tmp not empty after the restarts: %v", entries)
	}
	snapDir := f.layout.Abs(f.table.WorkspaceID, res.Snapshot.Path)
	if parts, _ := os.ReadDir(snapDir); len(parts) != 1 {
		t.Fatalf("snapshot files %v, want one part", parts)
	}

	// Incremental: the columns as the previous snapshot holds them.
	table := f.table
	table.IncrementalColumn = "id"
	prev := res.Snapshot
	prev.Watermark = "i:5"
	res, err = f.syncer.SyncTable(ctx, SyncRequest{Table: table, Connector: conn, Previous: &prev})
	if err != nil {
		t.Fatal(err)
	}
	last := conn.reqs[len(conn.reqs)-1]
	if !res.Incremental || len(last.Filter) != 1 || !maps.Equal(last.AsText, map[string]string{"n": "", "m": reason}) {
		t.Fatalf("incremental sync: %+v, request %+v", res, last)
	}
	if !reflect.DeepEqual(res.Snapshot.Columns, want) || res.Snapshot.RowCount != 40 || res.Appended != 20 {
		t.Fatalf("incremental snapshot %d rows (%d appended), columns %+v", res.Snapshot.RowCount, res.Appended, res.Snapshot.Columns)
	}

	// A column that needs its text in the new rows: the files already
	// there hold it natively, so the sync reads the table whole.
	conn.needs["k"] = "it holds something"
	prev = res.Snapshot
	n := len(conn.reqs)
	res, err = f.syncer.SyncTable(ctx, SyncRequest{Table: table, Connector: conn, Previous: &prev})
	if err != nil {
		t.Fatal(err)
	}
	reqs := conn.reqs[n:]
	if len(reqs) != 2 || len(reqs[0].Filter) != 1 || len(reqs[1].Filter) != 0 || reqs[1].AsText["k"] != "it holds something" || res.Incremental {
		t.Fatalf("requests %+v, result %+v; want an incremental scan, then a full one with k as text", reqs, res)
	}
	if c := res.Snapshot.Columns[3]; !c.Text || c.Unavailable != "it holds something" || res.Snapshot.RowCount != 20 {
		t.Fatalf("snapshot after the full sync: %d rows, k = %+v", res.Snapshot.RowCount, c)
	}
	if parts, _ := os.ReadDir(f.layout.Abs(f.table.WorkspaceID, res.Snapshot.Path)); len(parts) != 1 {
		t.Fatalf("snapshot files %v, want one part (no links to the old files)", parts)
	}

	// A full sync starts over from the native forms.
	delete(conn.needs, "m")
	n = len(conn.reqs)
	res, err = f.syncer.SyncTable(ctx, SyncRequest{Table: f.table, Connector: conn, Previous: &res.Snapshot})
	if err != nil {
		t.Fatal(err)
	}
	if len(conn.reqs[n].AsText) != 0 || res.Snapshot.Columns[2].Text {
		t.Fatalf("full sync: first request %+v, m = %+v; want m native again", conn.reqs[n], res.Snapshot.Columns[2])
	}
}

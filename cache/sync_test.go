package cache

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/hotdata-dev/hotdata/connectors"
	"github.com/hotdata-dev/hotdata/metastore"
)

// fakeConnector is a function-field mock of connectors.Connector.
type fakeConnector struct {
	ScanFunc func(ctx context.Context, req connectors.ScanRequest) (connectors.Scan, error)
}

func (f *fakeConnector) Test(context.Context) error                           { return nil }
func (f *fakeConnector) Discover(context.Context) ([]connectors.Table, error) { return nil, nil }
func (f *fakeConnector) Close() error                                         { return nil }
func (f *fakeConnector) Scan(ctx context.Context, req connectors.ScanRequest) (connectors.Scan, error) {
	return f.ScanFunc(ctx, req)
}

// fakeScan yields n batches of ids, failing after failAfter batches when
// set (with failWith, or a connection reset).
type fakeScan struct {
	array.RecordReader
	failAfter int
	failWith  error
	served    int
	err       error
}

func (s *fakeScan) Warnings() []string { return []string{"column x is cached as text"} }
func (s *fakeScan) Next() bool {
	if s.failAfter > 0 && s.served == s.failAfter {
		s.err = s.failWith
		if s.err == nil {
			s.err = errors.New("upstream connection reset")
		}
		return false
	}
	if !s.RecordReader.Next() {
		return false
	}
	s.served++
	return true
}
func (s *fakeScan) Err() error {
	if s.err != nil {
		return s.err
	}
	return s.RecordReader.Err()
}

var idSchema = arrow.NewSchema([]arrow.Field{{Name: "id", Type: arrow.PrimitiveTypes.Int64, Nullable: true,
	Metadata: arrow.NewMetadata([]string{connectors.MetaSourceType}, []string{"bigint"})}}, nil)

func batches(t *testing.T, n, rows int) array.RecordReader {
	t.Helper()
	var recs []arrow.RecordBatch
	for b := 0; b < n; b++ {
		bld := array.NewInt64Builder(memory.DefaultAllocator)
		for i := 0; i < rows; i++ {
			bld.Append(int64(b*rows + i))
		}
		arr := bld.NewArray()
		recs = append(recs, array.NewRecordBatch(idSchema, []arrow.Array{arr}, int64(rows)))
	}
	rr, err := array.NewRecordReader(idSchema, recs)
	if err != nil {
		t.Fatal(err)
	}
	return rr
}

type fixture struct {
	store  *metastore.Store
	syncer *Syncer
	pins   *Pins
	layout Layout
	table  metastore.Table
}

func newFixture(t *testing.T) fixture {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	sealer, _ := metastore.NewSealer(bytes.Repeat([]byte{1}, 32))
	store, err := metastore.Open(ctx, "sqlite://"+filepath.Join(dir, "meta.db"), sealer)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	org, _ := store.CreateOrganization(ctx, "o")
	ws, _ := store.CreateWorkspace(ctx, org.ID, "w", metastore.Limits{})
	conn, err := store.CreateConnection(ctx, ws.ID, "sales", "postgres", json.RawMessage(`{}`), "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.ApplyDiscovery(ctx, conn, []metastore.DiscoveredTable{{Schema: "public", Name: "orders", RowEstimate: 300}}); err != nil {
		t.Fatal(err)
	}
	table, _ := store.GetTable(ctx, conn.ID, "public", "orders")
	layout := Layout{DataDir: dir}
	pins := NewPins()
	return fixture{store: store, syncer: NewSyncer(store, layout, "test", pins, slog.New(slog.NewTextHandler(io.Discard, nil))), pins: pins, layout: layout, table: table}
}

func readParquetIDs(t *testing.T, dir string) []int64 {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "part-00000.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pr, err := file.NewParquetReader(f)
	if err != nil {
		t.Fatal(err)
	}
	r, err := pqarrow.NewFileReader(pr, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
	if err != nil {
		t.Fatal(err)
	}
	tbl, err := r.ReadTable(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer tbl.Release()
	var ids []int64
	for _, chunk := range tbl.Column(0).Data().Chunks() {
		ids = append(ids, chunk.(*array.Int64).Int64Values()...)
	}
	return ids
}

func TestSyncPublishes(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	var progress []Progress
	conn := &fakeConnector{ScanFunc: func(context.Context, connectors.ScanRequest) (connectors.Scan, error) {
		return &fakeScan{RecordReader: batches(t, 3, 100)}, nil
	}}
	res, err := f.syncer.SyncTable(ctx, SyncRequest{Table: f.table, Connector: conn, Progress: func(p Progress) { progress = append(progress, p) }})
	if err != nil {
		t.Fatal(err)
	}
	snap := res.Snapshot
	if snap.Version != 1 || snap.RowCount != 300 || snap.SizeBytes == 0 || len(res.Warnings) != 1 {
		t.Fatalf("result = %+v", res)
	}
	if len(snap.Columns) != 1 || snap.Columns[0].DataType != "bigint" {
		t.Fatalf("columns = %+v", snap.Columns)
	}
	if len(progress) != 3 || progress[2].Rows != 300 || progress[2].Fraction == nil || *progress[2].Fraction != 1 {
		t.Fatalf("progress = %+v", progress)
	}
	ids := readParquetIDs(t, f.layout.Abs(f.table.WorkspaceID, snap.Path))
	if len(ids) != 300 || ids[0] != 0 || ids[299] != 299 {
		t.Fatalf("snapshot holds %d ids", len(ids))
	}
	jobs, _ := f.store.ListJobs(ctx, f.table.WorkspaceID, 10, 0)
	if len(jobs) != 1 || jobs[0].Status != metastore.StatusSucceeded || jobs[0].ProgressRows != 300 || jobs[0].Type != JobTypeSync {
		t.Fatalf("job = %+v", jobs)
	}
	if entries, _ := os.ReadDir(f.layout.Tmp(f.table.WorkspaceID)); len(entries) != 0 {
		t.Fatalf("tmp not empty after publish: %v", entries)
	}
}

// TestFailedSyncLeavesNothing: a scan that fails halfway publishes
// nothing, keeps the previous snapshot current, and records the error.
func TestFailedSyncLeavesNothing(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	good := &fakeConnector{ScanFunc: func(context.Context, connectors.ScanRequest) (connectors.Scan, error) {
		return &fakeScan{RecordReader: batches(t, 1, 10)}, nil
	}}
	first, err := f.syncer.SyncTable(ctx, SyncRequest{Table: f.table, Connector: good})
	if err != nil {
		t.Fatal(err)
	}
	bad := &fakeConnector{ScanFunc: func(context.Context, connectors.ScanRequest) (connectors.Scan, error) {
		return &fakeScan{RecordReader: batches(t, 5, 10), failAfter: 2}, nil
	}}
	if _, err := f.syncer.SyncTable(ctx, SyncRequest{Table: f.table, Connector: bad}); err == nil || !bytes.Contains([]byte(err.Error()), []byte("upstream connection reset")) {
		t.Fatalf("failed sync: %v", err)
	}
	table, _ := f.store.GetTableByID(ctx, f.table.ID)
	if table.CurrentSnapshotID != first.Snapshot.ID {
		t.Fatalf("current snapshot moved to %s", table.CurrentSnapshotID)
	}
	jobs, _ := f.store.ListJobs(ctx, f.table.WorkspaceID, 10, 0)
	if jobs[0].Status != metastore.StatusFailed || jobs[0].Error == "" {
		t.Fatalf("failed job = %+v", jobs[0])
	}
	dirs, _ := filepath.Glob(filepath.Join(f.layout.Workspace(f.table.WorkspaceID), "tables", "*", "*", "*", "*"))
	if len(dirs) != 1 {
		t.Fatalf("snapshot folders = %v", dirs)
	}
	if entries, _ := os.ReadDir(f.layout.Tmp(f.table.WorkspaceID)); len(entries) != 0 {
		t.Fatalf("tmp not empty after a failed sync: %v", entries)
	}
}

// TestConcurrentSyncsShare: callers syncing the same table at once share
// one scan.
func TestConcurrentSyncsShare(t *testing.T) {
	f := newFixture(t)
	var scans atomic.Int32
	release := make(chan struct{})
	conn := &fakeConnector{ScanFunc: func(context.Context, connectors.ScanRequest) (connectors.Scan, error) {
		scans.Add(1)
		<-release
		return &fakeScan{RecordReader: batches(t, 1, 5)}, nil
	}}
	results := make(chan SyncResult, 3)
	for range 3 {
		go func() {
			r, err := f.syncer.SyncTable(context.Background(), SyncRequest{Table: f.table, Connector: conn})
			if err != nil {
				t.Error(err)
			}
			results <- r
		}()
	}
	time.Sleep(100 * time.Millisecond)
	close(release)
	ids := map[string]bool{}
	for range 3 {
		ids[(<-results).Snapshot.ID] = true
	}
	if scans.Load() != 1 || len(ids) != 1 {
		t.Fatalf("%d scans, %d snapshots; want one of each", scans.Load(), len(ids))
	}
}

// TestRecover: start-up removes tmp litter and unreferenced snapshot
// folders, and keeps published ones and live writes.
func TestRecover(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ws := f.table.WorkspaceID
	conn := &fakeConnector{ScanFunc: func(context.Context, connectors.ScanRequest) (connectors.Scan, error) {
		return &fakeScan{RecordReader: batches(t, 1, 5)}, nil
	}}
	res, err := f.syncer.SyncTable(ctx, SyncRequest{Table: f.table, Connector: conn})
	if err != nil {
		t.Fatal(err)
	}
	tmp := f.layout.Tmp(ws)
	// A crashed write: a folder with a part file and a lock nobody holds.
	crashed := filepath.Join(tmp, "snap_crashed")
	os.MkdirAll(crashed, 0o700)
	os.WriteFile(filepath.Join(crashed, "part-00000.parquet"), []byte("half"), 0o600)
	os.WriteFile(filepath.Join(tmp, "snap_crashed.lock"), nil, 0o600)
	// A live write of another process: its lock is held.
	lock, err := lockTmp(tmp, "snap_live")
	if err != nil {
		t.Fatal(err)
	}
	defer lock.release()
	os.MkdirAll(filepath.Join(tmp, "snap_live"), 0o700)
	// A snapshot folder renamed into place but never committed, old enough.
	orphan := filepath.Join(f.layout.Workspace(ws), TableDir(f.table.ConnectionID, "public", "orders"), "snap_orphan")
	os.MkdirAll(orphan, 0o700)
	old := time.Now().Add(-time.Hour)
	os.Chtimes(orphan, old, old)
	// A running engine's spill folder is kept; a dead one's goes.
	live := filepath.Join(tmp, fmt.Sprintf("duckdb-%d", os.Getpid()))
	dead := filepath.Join(tmp, "duckdb-999999999")
	os.MkdirAll(live, 0o700)
	os.MkdirAll(dead, 0o700)
	// A fresh one may be a publish in progress elsewhere: kept.
	fresh := filepath.Join(filepath.Dir(orphan), "snap_fresh")
	os.MkdirAll(fresh, 0o700)
	// Partial native copies in a snapshot folder: a dead process's goes
	// (with its WAL), a running one's stays.
	snapDir := f.layout.Abs(ws, res.Snapshot.Path)
	deadCopy := filepath.Join(snapDir, ".native-999999999.duckdb")
	deadWAL := deadCopy + ".wal"
	liveCopy := filepath.Join(snapDir, fmt.Sprintf(".native-%d.duckdb", os.Getpid()))
	for _, p := range []string{deadCopy, deadWAL, liveCopy} {
		os.WriteFile(p, []byte("partial"), 0o600)
	}

	n, err := f.syncer.Recover(ctx, ws)
	if err != nil {
		t.Fatal(err)
	}
	if n != 5 {
		t.Fatalf("removed %d entries, want 5 (crashed write, dead engine's spill folder, orphan, a dead process's partial copy and its WAL)", n)
	}
	for path, want := range map[string]bool{
		deadCopy: false, deadWAL: false, liveCopy: true,
		crashed: false, filepath.Join(tmp, "snap_crashed.lock"): false, orphan: false,
		filepath.Join(tmp, "snap_live"): true, fresh: true, live: true, dead: false, f.layout.Abs(ws, res.Snapshot.Path): true,
	} {
		_, err := os.Stat(path)
		if exists := err == nil; exists != want {
			t.Errorf("%s exists = %v, want %v", path, exists, want)
		}
	}
}

// TestCollectGarbage: retired snapshots go after the grace period unless
// a reader holds them.
func TestCollectGarbage(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ws := f.table.WorkspaceID
	conn := &fakeConnector{ScanFunc: func(context.Context, connectors.ScanRequest) (connectors.Scan, error) {
		return &fakeScan{RecordReader: batches(t, 1, 5)}, nil
	}}
	var snaps []metastore.Snapshot
	for range 3 {
		r, err := f.syncer.SyncTable(ctx, SyncRequest{Table: f.table, Connector: conn})
		if err != nil {
			t.Fatal(err)
		}
		snaps = append(snaps, r.Snapshot)
	}
	if n, _ := f.syncer.CollectGarbage(ctx, ws, time.Hour); n != 0 {
		t.Fatalf("deleted %d within the grace period", n)
	}
	unpin := f.pins.Pin(snaps[0].ID)
	n, err := f.syncer.CollectGarbage(ctx, ws, 0)
	if err != nil || n != 1 {
		t.Fatalf("deleted %d, %v; want 1 (the unpinned retired one)", n, err)
	}
	if _, err := os.Stat(f.layout.Abs(ws, snaps[0].Path)); err != nil {
		t.Fatal("a pinned snapshot was deleted")
	}
	if _, err := os.Stat(f.layout.Abs(ws, snaps[1].Path)); err == nil {
		t.Fatal("an unpinned retired snapshot was kept")
	}
	unpin()
	if n, _ := f.syncer.CollectGarbage(ctx, ws, 0); n != 1 {
		t.Fatalf("after unpin deleted %d, want 1", n)
	}
	if _, err := os.Stat(f.layout.Abs(ws, snaps[2].Path)); err != nil {
		t.Fatal("the current snapshot was deleted")
	}
}

func TestEscapeName(t *testing.T) {
	for in, want := range map[string]string{"orders": "orders", "Orders": "%4Frders", "..": "%2E%2E", "a/b": "a%2Fb", "": "%", "é": "%C3%A9"} {
		if got := escapeName(in); got != want {
			t.Errorf("escapeName(%q) = %q, want %q", in, got, want)
		}
	}
}

package cache

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/dustin/go-humanize"

	"github.com/hotdata-dev/hotdata/connectors"
	"github.com/hotdata-dev/hotdata/engine"
	"github.com/hotdata-dev/hotdata/internal/metrics"
	"github.com/hotdata-dev/hotdata/internal/pgerr"
	"github.com/hotdata-dev/hotdata/metastore"
)

// Store is what the cache needs from the metastore.
type Store interface {
	PublishTableSnapshot(ctx context.Context, snap metastore.Snapshot) (metastore.Snapshot, error)
	PublishTableSnapshots(ctx context.Context, snaps []metastore.Snapshot) ([]metastore.Snapshot, error)
	CreateJob(ctx context.Context, workspaceID, typ string, target any, node string) (metastore.Job, error)
	JobProgress(ctx context.Context, id string, rows, bytes int64, fraction *float64) error
	FinishJob(ctx context.Context, id, status, errText string, warnings ...string) error
	ListSnapshots(ctx context.Context, workspaceID, status string) ([]metastore.Snapshot, error)
	MarkSnapshotDeleted(ctx context.Context, id string) error
	TouchTableSync(ctx context.Context, tableID string) error
	PublishDatasetSnapshot(ctx context.Context, snap metastore.Snapshot, source json.RawMessage) (metastore.Snapshot, error)
	GetSnapshot(ctx context.Context, id string) (metastore.Snapshot, error)
}

var _ Store = (*metastore.Store)(nil)

// JobTypeSync is the job type of a table sync.
const JobTypeSync = "sync"

// Progress is reported while a sync runs.
type Progress struct {
	Rows     int64
	Bytes    int64
	Fraction *float64 // of the row estimate, when there is one
}

// Syncer runs table syncs and owns snapshot files.
type Syncer struct {
	store  Store
	layout Layout
	node   string
	log    *slog.Logger
	pins   *Pins
	// ctx bounds every sync (cancelled by Close); wg waits for them.
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	// flights are the syncs running, by table id, shared by their callers.
	mu      sync.Mutex
	flights map[string]*flight
	// progressEvery throttles job progress writes to the metastore.
	progressEvery time.Duration
	// readers is how many connections a full read of a large table uses
	// at once (see parts.go); 0 reads every table whole.
	readers int
}

// NewSyncer returns a Syncer. node names this process in job records.
func NewSyncer(store Store, layout Layout, node string, pins *Pins, log *slog.Logger) *Syncer {
	ctx, cancel := context.WithCancel(context.Background())
	return &Syncer{store: store, layout: layout, node: node, pins: pins, log: log, progressEvery: 500 * time.Millisecond,
		ctx: ctx, cancel: cancel, flights: map[string]*flight{}, readers: 2}
}

// SetReaders sets how many upstream connections a full read of a large
// table uses at once, where the source reads tables in parts (0: every
// table is read whole, in one statement, and not resumably). Call it
// before the first sync.
func (s *Syncer) SetReaders(n int) { s.readers = max(0, n) }

// Close cancels the syncs running and waits for them to end.
func (s *Syncer) Close() {
	s.mu.Lock()
	s.cancel() // under mu: join adds to wg only before this
	s.mu.Unlock()
	s.wg.Wait()
}

// SyncRequest says which table to sync with which connector.
type SyncRequest struct {
	Table     metastore.Table
	Connector connectors.Connector
	// Previous is the table's current snapshot, if any: with the table's
	// incremental column set, only rows past its watermark are read and
	// appended (a new snapshot sharing the previous one's files).
	Previous *metastore.Snapshot
	// Full reads the whole table even when an incremental sync is possible.
	Full bool
	// Progress, when set, is called as batches are written.
	Progress func(Progress)
	// Snapshot, when set, reads the table instead of Connector.Scan, as
	// of the stream position it returns (change data capture's first
	// read): the snapshot's watermark is that position.
	Snapshot func(ctx context.Context, req connectors.ScanRequest) (connectors.Scan, string, error)
	// SnapshotParts, when set with Snapshot, reads a large table in
	// parts instead (connectors.PartSnapshotter): ErrNotParted falls back
	// to Snapshot.
	SnapshotParts func(ctx context.Context, req connectors.ScanRequest) (connectors.Parts, string, error)
	// Why, when set, says why the table is read (its job's first
	// warning): read again because its columns changed upstream, …
	Why string
}

// SyncResult is a published snapshot and the scan's warnings.
type SyncResult struct {
	Snapshot metastore.Snapshot
	Warnings []string
	// Shared is true when this call waited for a sync another caller started.
	Shared bool
	// Appended is the number of rows an incremental sync added (the
	// snapshot is Previous when it found none); Incremental says whether
	// the sync was one.
	Appended    int64
	Incremental bool
	// JobID is the sync's job record.
	JobID string
}

// SyncTable scans the table and publishes a new snapshot. Concurrent calls
// for the same table share one sync. On any failure nothing is published,
// the previous snapshot keeps serving, and the job records the error.
//
// The shared sync runs on the syncer's context, not on any caller's:
// a caller whose ctx ends stops waiting (with ctx's error) and leaves the
// others waiting; the sync is cancelled only once every caller has left.
// Progress goes to every caller still waiting.
func (s *Syncer) SyncTable(ctx context.Context, req SyncRequest) (SyncResult, error) {
	for {
		f, shared, id, err := s.join(req)
		if err != nil {
			return SyncResult{}, err
		}
		select {
		case <-f.done:
			f.leave(id)
			if f.abandoned() {
				// Every caller had left and the sync was cancelled just
				// as this one joined it: start another.
				if ctx.Err() == nil {
					continue
				}
				return SyncResult{}, ctx.Err()
			}
			res := f.res
			res.Shared = shared
			return res, f.err
		case <-ctx.Done():
			f.leave(id)
			return SyncResult{}, ctx.Err()
		}
	}
}

// join returns the table's running sync, starting one if there is none
// (shared is false then), with the caller watching its progress (id, for
// leave): a sync that starts now reports to the caller from its first
// batch.
func (s *Syncer) join(req SyncRequest) (*flight, bool, int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := req.Table.ID
	if req.Snapshot != nil {
		// A first read for a change stream is as of its own position:
		// never shared.
		key += "\x00" + metastore.NewID(metastore.PrefixSnapshot)
	}
	if f := s.flights[key]; f != nil && !f.abandoned() {
		return f, true, f.watch(req.Progress), nil
	}
	if err := s.ctx.Err(); err != nil {
		return nil, false, 0, fmt.Errorf("sync %s.%s: the syncer is closed: %w", req.Table.Schema, req.Table.Name, err)
	}
	ctx, cancel := context.WithCancel(s.ctx)
	f := &flight{done: make(chan struct{}), cancel: cancel, watchers: map[int]func(Progress){}}
	s.flights[key] = f
	id := f.watch(req.Progress)
	run := req
	run.Progress = f.report
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		res, err := s.observedSync(ctx, run)
		s.mu.Lock()
		if s.flights[key] == f {
			delete(s.flights, key)
		}
		s.mu.Unlock()
		f.res, f.err = res, err
		cancel()
		close(f.done)
	}()
	return f, false, id, nil
}

// flight is one sync shared by the callers waiting for it.
type flight struct {
	done   chan struct{}
	res    SyncResult // set before done closes
	err    error
	cancel context.CancelFunc

	mu       sync.Mutex
	watchers map[int]func(Progress) // by caller; nil funcs for callers without one
	next     int
	left     bool // every caller left before the end: cancelled
}

// watch adds a caller and returns its id for leave.
func (f *flight) watch(progress func(Progress)) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.next++
	f.watchers[f.next] = progress
	return f.next
}

// leave removes a caller; the last one to leave before the end cancels
// the sync, which nobody waits for any more.
func (f *flight) leave(id int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.watchers, id)
	if len(f.watchers) > 0 {
		return
	}
	select {
	case <-f.done:
	default:
		f.left = true
		f.cancel()
	}
}

func (f *flight) abandoned() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.left
}

// report passes progress to every caller still waiting. It runs on the
// sync's goroutine, under f.mu so that a caller that left (and whose
// client may be gone) is never called after leave returned.
func (f *flight) report(p Progress) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, w := range f.watchers {
		if w != nil {
			w(p)
		}
	}
}

// observedSync is syncTable, counted in the process's metrics.
func (s *Syncer) observedSync(ctx context.Context, req SyncRequest) (SyncResult, error) {
	start := time.Now()
	res, err := s.syncTable(ctx, req)
	metrics.Sync(time.Since(start), res.Snapshot.RowCount, err)
	return res, err
}

func (s *Syncer) syncTable(ctx context.Context, req SyncRequest) (SyncResult, error) {
	t := req.Table
	target := map[string]string{"table_id": t.ID, "connection_id": t.ConnectionID, "schema": t.Schema, "table": t.Name}
	job, err := s.store.CreateJob(ctx, t.WorkspaceID, JobTypeSync, target, s.node)
	if err != nil {
		return SyncResult{}, fmt.Errorf("sync %s.%s: %w", t.Schema, t.Name, err)
	}
	start := time.Now()
	res, err := s.writeSnapshot(ctx, job.ID, req)
	res.JobID = job.ID
	if err != nil {
		status := metastore.StatusFailed
		if errors.Is(err, context.Canceled) {
			status = metastore.StatusCanceled
		}
		s.finishJob(job.ID, status, s.layout.Scrub(pgerr.Text(err)))
		return res, fmt.Errorf("sync %s.%s.%s: %w", t.ConnectionName, t.Schema, t.Name, err)
	}
	s.finishJob(job.ID, metastore.StatusSucceeded, "", slices.Clone(res.Warnings)...)
	s.log.Info("table synced", "workspace", t.WorkspaceID, "table", t.ConnectionName+"."+t.Schema+"."+t.Name,
		"snapshot", res.Snapshot.ID, "version", res.Snapshot.Version, "rows", res.Snapshot.RowCount,
		"bytes", res.Snapshot.SizeBytes, "duration", time.Since(start).Round(time.Millisecond))
	return res, nil
}

func (s *Syncer) writeSnapshot(ctx context.Context, jobID string, req SyncRequest) (SyncResult, error) {
	t := req.Table
	snapID := metastore.NewID(metastore.PrefixSnapshot)
	tmpRoot := s.layout.Tmp(t.WorkspaceID)
	lock, err := lockTmp(tmpRoot, snapID)
	if err != nil {
		return SyncResult{}, err
	}
	tmpDir := filepath.Join(tmpRoot, snapID)
	defer func() {
		// Whatever happened, nothing of this write stays in tmp/.
		os.RemoveAll(tmpDir)
		lock.release()
	}()

	prev := req.Previous
	incremental := t.IncrementalColumn != "" && !req.Full && prev != nil && prev.Watermark != "" && req.Snapshot == nil
	// asText are the columns read as the upstream's text output (see
	// connectors.NeedsTextError). A full sync starts with none, so that a
	// column is served in its native form again once the upstream no
	// longer holds values that form cannot; an incremental one appends to
	// the previous snapshot's files, so it reads each column as they hold it.
	asText := map[string]string{}
	if incremental {
		asText = textColumns(prev.Columns)
	} else if s.partsOf(req, new(string)) != nil {
		// A full read that may resume an unfinished one starts with the
		// columns it found held as text, so that its parts match.
		maps.Copy(asText, s.resumeText(t.WorkspaceID, t.ID))
	}
	// notes say why the sync reads the table, and what it decided on its
	// own (read whole, …).
	var notes []string
	if req.Why != "" {
		notes = append(notes, req.Why)
	}
	var (
		scan    connectors.Scan
		tracker *watermarkTracker
		st      WriteStats
		part    int
		// Rows and bytes of the previous snapshot that an incremental
		// sync keeps.
		baseRows, baseBytes int64
		restarts            int
		// position is the stream position of a SyncRequest.Snapshot read.
		position string
		// merge: an incremental sync of a table with a primary key
		// writes its rows as a delta file that replaces rows by key; seq
		// is that file's change sequence.
		merge = len(t.PrimaryKey) > 0
		seq   int64
		// parted is set when the table was read in parts (parts.go).
		parted *partsResult
	)
	defer func() {
		if scan != nil {
			scan.Release()
		}
	}()
	for {
		if scan != nil {
			scan.Release()
			scan = nil
		}
		scanReq := connectors.ScanRequest{Schema: t.Schema, Table: t.Name, AsText: maps.Clone(asText)}
		if incremental {
			v, err := lookbackFilter(prev.Watermark, t.IncrementalLookback)
			if err != nil {
				return SyncResult{}, err
			}
			scanReq.Filter = []connectors.Predicate{{Column: t.IncrementalColumn, Op: ">", Value: v}}
		}
		var lastReport time.Time
		progress := func(rows, bytes int64) {
			p := Progress{Rows: rows, Bytes: bytes}
			if t.RowEstimate > 0 && !incremental {
				f := min(float64(rows)/float64(t.RowEstimate), 1)
				p.Fraction = &f
			}
			if req.Progress != nil {
				req.Progress(p)
			}
			if time.Since(lastReport) >= s.progressEvery {
				lastReport = time.Now()
				if err := s.store.JobProgress(ctx, jobID, rows, bytes, p.Fraction); err != nil {
					s.log.Warn("record sync progress", "job", jobID, "err", err)
				}
			}
		}
		if open := s.partsOf(req, &position); open != nil && !incremental {
			pr, err := s.readParts(ctx, t, open, scanReq, tmpDir, progress)
			var needs *connectors.NeedsTextError
			switch {
			case err == nil:
				parted = &pr
			case errors.As(err, &needs):
				if _, known := asText[needs.Column]; known || restarts >= maxTextRestarts {
					return SyncResult{}, err
				}
				restarts++
				s.log.Info("column needs its text form: table read again", "table", t.ConnectionName+"."+t.Schema+"."+t.Name,
					"column", needs.Column, "unavailable", needs.Reason)
				if err := os.RemoveAll(tmpDir); err != nil {
					return SyncResult{}, err
				}
				asText[needs.Column] = needs.Reason
				continue
			case !errors.Is(err, connectors.ErrNotParted):
				return SyncResult{}, err
			}
			if parted != nil {
				st = pr.stats
				break
			}
		}
		if req.Snapshot != nil {
			var pos string
			if scan, pos, err = req.Snapshot(ctx, scanReq); err != nil {
				return SyncResult{}, err
			}
			position = pos
		} else if scan, err = req.Connector.Scan(ctx, scanReq); err != nil {
			return SyncResult{}, err
		}
		if incremental && !sameColumns(ColumnsOf(scan.Schema()), prev.Columns) {
			// The table changed shape upstream: appending would mix two
			// schemas in one snapshot. Read it whole instead (a widened
			// type too: the change may have rewritten values, ALTER …
			// TYPE … USING, that an incremental read would not see).
			why := "its columns changed upstream (" + columnChanges(prev.Columns, ColumnsOf(scan.Schema())) + "): read whole instead of incrementally"
			s.log.Info("table schema changed: full sync instead of incremental", "table", t.ConnectionName+"."+t.Schema+"."+t.Name, "changes", why)
			notes = append(notes, why)
			incremental, asText = false, map[string]string{}
			continue
		}
		var reader connectors.Scan = scan
		tracker = nil
		if t.IncrementalColumn != "" && !textHeld(scan.Schema(), t.IncrementalColumn) {
			if tracker, err = trackWatermark(scan, t.IncrementalColumn); err != nil {
				return SyncResult{}, err
			}
			reader = tracker
		}

		part, baseRows, baseBytes = 0, 0, 0
		if incremental {
			// The new snapshot holds the previous one's files (hard links:
			// no copy, and they outlive the previous snapshot's deletion).
			files, err := filepath.Glob(filepath.Join(s.layout.Abs(t.WorkspaceID, prev.Path), "*.parquet"))
			if err != nil {
				return SyncResult{}, err
			}
			if err := os.MkdirAll(tmpDir, 0o700); err != nil {
				return SyncResult{}, err
			}
			for _, f := range files {
				if err := os.Link(f, filepath.Join(tmpDir, filepath.Base(f))); err != nil {
					return SyncResult{}, fmt.Errorf("incremental sync: %w", err)
				}
			}
			part = len(files)
			baseRows, baseBytes = prev.RowCount, prev.SizeBytes
		}

		if incremental && merge {
			// Rows of a table with a key replace the cached rows of the
			// same key (an updated row, a row read again by the
			// lookback): a delta file, merged on read (engine/deltas.go).
			seq = time.Now().UnixNano()
			st, err = WriteParquet(filepath.Join(tmpDir, fmt.Sprintf("%s%020d.parquet", engine.DeltaPrefix, seq)), upserts(reader, seq), progress)
		} else {
			st, err = WriteParquet(filepath.Join(tmpDir, fmt.Sprintf("part-%05d.parquet", part)), reader, progress)
		}
		var needs *connectors.NeedsTextError
		if errors.As(err, &needs) {
			if _, known := asText[needs.Column]; known || restarts >= maxTextRestarts {
				return SyncResult{}, err // a connector that breaks its contract
			}
			// A value the column's form cannot hold: read the table
			// again with that column as text. What was written goes (an
			// incremental sync's links too: the previous files hold the
			// column in the other form, so the sync becomes a full one).
			restarts++
			s.log.Info("column needs its text form: table read again", "table", t.ConnectionName+"."+t.Schema+"."+t.Name,
				"column", needs.Column, "unavailable", needs.Reason)
			if err := os.RemoveAll(tmpDir); err != nil {
				return SyncResult{}, err
			}
			incremental = false
			asText[needs.Column] = needs.Reason
			continue
		}
		if err != nil {
			return SyncResult{}, err
		}
		break
	}
	one := 1.0
	if err := s.store.JobProgress(ctx, jobID, st.Rows, st.Bytes, &one); err != nil {
		s.log.Warn("record sync progress", "job", jobID, "err", err)
	}
	var (
		schema       *arrow.Schema
		scanWarnings []string
		tracked      bool
		best         string
	)
	if parted != nil {
		schema, scanWarnings, tracked, best = parted.schema, parted.warnings, parted.tracked, parted.watermark
		if note := parted.resumedNote(); note != "" {
			notes = append(notes, note)
		}
	} else {
		schema, scanWarnings, tracked = scan.Schema(), scan.Warnings(), tracker != nil
		if m, ok := scan.(connectors.MeteredScan); ok && m.BytesScanned() >= 0 {
			notes = append(notes, fmt.Sprintf("the source billed %s (%d bytes) for this read", humanize.IBytes(uint64(m.BytesScanned())), m.BytesScanned()))
		}
		if tracker != nil {
			best = tracker.best
		}
	}
	columns := ColumnsOf(schema)
	warnings := append(append(notes, scanWarnings...), unavailableWarnings(columns)...)
	var mergedRows, mergedBytes int64
	merged := false
	if incremental && merge {
		if st.Rows == 0 {
			os.Remove(filepath.Join(tmpDir, fmt.Sprintf("%s%020d.parquet", engine.DeltaPrefix, seq)))
		}
		if st.Rows > 0 || t.DetectDeletes {
			var deleted int64
			if mergedRows, mergedBytes, deleted, err = s.finishMerge(ctx, t, req.Connector, tmpDir, prev, schema.Fields(), seq); err != nil {
				return SyncResult{}, err
			}
			merged = st.Rows > 0 || deleted > 0
		}
	}
	if incremental && st.Rows == 0 && !merged {
		// Nothing new: the current snapshot stays; the sync time moves on.
		if err := s.store.TouchTableSync(context.WithoutCancel(ctx), t.ID); err != nil {
			return SyncResult{}, err
		}
		return SyncResult{Snapshot: *prev, Warnings: warnings, Incremental: true}, nil
	}
	if t.IncrementalColumn != "" && !tracked {
		warnings = append(warnings, fmt.Sprintf("incremental column %s has values the cache keeps as text (see the column's form), whose order it does not follow: the next sync reads the table whole", t.IncrementalColumn))
	}
	watermark := ""
	if tracked {
		watermark = best
		if incremental {
			watermark = maxWatermark(prev.Watermark, watermark)
		}
	}

	if req.Snapshot != nil {
		// Change data capture reads the table's fields back from here.
		if err := writeSchemaFile(filepath.Join(tmpDir, SchemaFile), schema); err != nil {
			return SyncResult{}, err
		}
	}
	rowCount, sizeBytes := baseRows+st.Rows, baseBytes+st.Bytes
	if merged {
		rowCount, sizeBytes = mergedRows, mergedBytes
	}
	rel := filepath.Join(TableDir(t.ConnectionID, t.Schema, t.Name), snapID)
	final := s.layout.Abs(t.WorkspaceID, rel)
	if err := os.MkdirAll(filepath.Dir(final), 0o700); err != nil {
		return SyncResult{}, fmt.Errorf("publish: %w", err)
	}
	if err := os.Rename(tmpDir, final); err != nil {
		return SyncResult{}, fmt.Errorf("publish: %w", err)
	}
	if err := syncDir(filepath.Dir(final)); err != nil {
		os.RemoveAll(final)
		return SyncResult{}, fmt.Errorf("publish: %w", err)
	}
	snap, err := s.store.PublishTableSnapshot(context.WithoutCancel(ctx), metastore.Snapshot{
		ID: snapID, WorkspaceID: t.WorkspaceID, TableID: t.ID, Path: rel,
		RowCount: rowCount, SizeBytes: sizeBytes, Columns: columns, Watermark: cmp.Or(position, watermark),
	})
	if err != nil {
		s.publishFailed(snapID, final, err)
		return SyncResult{}, err
	}
	res := SyncResult{Snapshot: snap, Warnings: warnings, Incremental: incremental}
	if incremental {
		res.Appended = st.Rows
	} else {
		// A whole read published: an unfinished one has nothing left to
		// resume.
		s.dropResume(t.WorkspaceID, t.ID)
	}
	return res, nil
}

// maxTextRestarts bounds how often one sync reads its table again to
// take a column as text (each restart adds a column, so a connector that
// keeps its contract never reaches it on a table of fewer columns).
const maxTextRestarts = 1000

// columnChanges describes how columns b differ from a: added, dropped
// and retyped columns (a rename is a drop and an add).
func columnChanges(a, b []metastore.Column) string {
	old := map[string]metastore.Column{}
	for _, c := range a {
		old[c.Name] = c
	}
	var out []string
	seen := map[string]bool{}
	for _, c := range b {
		seen[c.Name] = true
		o, ok := old[c.Name]
		switch {
		case !ok:
			out = append(out, "added "+c.Name+" "+c.DataType)
		case o.DataType != c.DataType:
			out = append(out, c.Name+" "+o.DataType+" → "+c.DataType)
		case o.Text != c.Text || o.Unavailable != c.Unavailable:
			out = append(out, c.Name+" held in another form")
		}
	}
	for _, c := range a {
		if !seen[c.Name] {
			out = append(out, "dropped "+c.Name)
		}
	}
	if len(out) == 0 {
		return "reordered"
	}
	return strings.Join(out, ", ")
}

// sameColumns reports whether two snapshots' columns have the same
// names, types and forms (native or text), in order: whether their files
// can make one snapshot.
func sameColumns(a, b []metastore.Column) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Name != b[i].Name || a[i].DataType != b[i].DataType || a[i].Text != b[i].Text || a[i].Unavailable != b[i].Unavailable {
			return false
		}
	}
	return true
}

// textColumns are the columns a snapshot holds as text, as
// ScanRequest.AsText names them.
func textColumns(cols []metastore.Column) map[string]string {
	out := map[string]string{}
	for _, c := range cols {
		if c.Text {
			out[c.Name] = c.Unavailable
		}
	}
	return out
}

// textHeld says whether the scan reads column name as text.
func textHeld(schema *arrow.Schema, name string) bool {
	idx := schema.FieldIndices(name)
	if len(idx) != 1 {
		return false
	}
	v, _ := schema.Field(idx[0]).Metadata.GetValue(connectors.MetaTextHeld)
	return v == "true"
}

// unavailableWarnings say which columns of a snapshot queries cannot read.
func unavailableWarnings(cols []metastore.Column) []string {
	var out []string
	for _, c := range cols {
		if c.Unavailable != "" {
			out = append(out, fmt.Sprintf("column %s is not served from the cache: %s", c.Name, c.Unavailable))
		}
	}
	return out
}

// ColumnsOf describes an Arrow schema as metastore columns, keeping the
// upstream type name when the connector recorded one, and how the
// connector holds the column (connectors.MetaTextHeld, MetaUnavailable).
func ColumnsOf(schema *arrow.Schema) []metastore.Column {
	cols := make([]metastore.Column, schema.NumFields())
	for i, f := range schema.Fields() {
		typ := pgTypeName(f.Type)
		if v, ok := f.Metadata.GetValue(connectors.MetaSourceType); ok {
			typ = v
		}
		cols[i] = metastore.Column{Name: f.Name, DataType: typ, Nullable: f.Nullable}
		if v, _ := f.Metadata.GetValue(connectors.MetaTextHeld); v == "true" {
			cols[i].Text = true
			cols[i].Unavailable, _ = f.Metadata.GetValue(connectors.MetaUnavailable)
		}
	}
	return cols
}

// tmpLock is an exclusive flock held while a write is in progress, so
// that start-up cleanup in another process leaves live writes alone; the
// kernel drops it when the process dies.
type tmpLock struct{ f *os.File }

func lockTmp(tmpRoot, name string) (*tmpLock, error) {
	if err := os.MkdirAll(tmpRoot, 0o700); err != nil {
		return nil, fmt.Errorf("tmp folder: %w", err)
	}
	f, err := os.OpenFile(filepath.Join(tmpRoot, name+".lock"), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("tmp lock: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("tmp lock: %w", err)
	}
	return &tmpLock{f: f}, nil
}

func (l *tmpLock) release() {
	os.Remove(l.f.Name())
	l.f.Close()
}

// Pins counts the readers of each snapshot in this process.
type Pins struct {
	mu     sync.Mutex
	counts map[string]int
}

// NewPins returns an empty pin set.
func NewPins() *Pins { return &Pins{counts: map[string]int{}} }

// Pin marks snapshots as read until the returned func is called.
func (p *Pins) Pin(ids ...string) (unpin func()) {
	p.mu.Lock()
	for _, id := range ids {
		p.counts[id]++
	}
	p.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			p.mu.Lock()
			for _, id := range ids {
				if p.counts[id]--; p.counts[id] <= 0 {
					delete(p.counts, id)
				}
			}
			p.mu.Unlock()
		})
	}
}

// Pinned reports whether a snapshot has a reader.
func (p *Pins) Pinned(id string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.counts[id] > 0
}

// pgTypeName names the PostgreSQL type a column of Arrow type t is served
// as, for columns no connector described (datasets made by a query).
func pgTypeName(t arrow.DataType) string {
	switch t := t.(type) {
	case *arrow.BooleanType:
		return "boolean"
	case *arrow.Int8Type, *arrow.Int16Type, *arrow.Uint8Type:
		return "smallint"
	case *arrow.Int32Type, *arrow.Uint16Type:
		return "integer"
	case *arrow.Int64Type, *arrow.Uint32Type:
		return "bigint"
	case *arrow.Uint64Type:
		return "numeric(20,0)"
	case *arrow.Float16Type, *arrow.Float32Type:
		return "real"
	case *arrow.Float64Type:
		return "double precision"
	case *arrow.Decimal128Type:
		return fmt.Sprintf("numeric(%d,%d)", t.Precision, t.Scale)
	case *arrow.StringType, *arrow.LargeStringType, *arrow.StringViewType:
		return "text"
	case *arrow.BinaryType, *arrow.LargeBinaryType, *arrow.BinaryViewType, *arrow.FixedSizeBinaryType:
		return "bytea"
	case *arrow.Date32Type, *arrow.Date64Type:
		return "date"
	case *arrow.Time32Type, *arrow.Time64Type:
		return "time without time zone"
	case *arrow.TimestampType:
		if t.TimeZone != "" {
			return "timestamp with time zone"
		}
		return "timestamp without time zone"
	case *arrow.MonthDayNanoIntervalType, *arrow.DurationType:
		return "interval"
	case arrow.ListLikeType:
		return pgTypeName(t.Elem()) + "[]"
	case arrow.ExtensionType:
		switch t.ExtensionName() {
		case "arrow.uuid":
			return "uuid"
		case "arrow.json":
			return "json"
		}
		return pgTypeName(t.StorageType())
	}
	return "text"
}

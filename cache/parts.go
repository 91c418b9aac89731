package cache

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sync"
	"syscall"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"golang.org/x/sync/errgroup"

	"github.com/hotdata-dev/hotdata/connectors"
	"github.com/hotdata-dev/hotdata/metastore"
)

// Reading a large table in parts, in parallel and resumably.
//
// A full read of a table whose connector is a connectors.PartScanner is
// read as parts (PostgreSQL: page ranges) by up to Syncer.readers
// connections at once, all in one snapshot. Each part's file goes to the
// table's resume folder (Layout.Resume) as it completes, recorded with
// the part's print in manifest.json. The snapshot is made of links to
// those files; the folder goes once it is published.
//
// A read that dies part way (a crash, a lost connection, a cancel)
// leaves the folder: the table's next full read keeps each recorded part
// whose print is the same in its own snapshot (its rows did not change)
// and reads only the others, so what it publishes is the table as of
// that one snapshot, as a read from scratch would be.

// resumeMaxAge is how long an unfinished read's parts are kept for a
// later read to resume (Recover removes older ones).
const resumeMaxAge = 7 * 24 * time.Hour

// readerWait is how long a reader beyond the first waits for a free
// upstream connection before the read goes on without it.
const readerWait = 2 * time.Second

// resumeManifest records the parts of an unfinished read.
type resumeManifest struct {
	// Columns are the parts' columns: parts of other columns (or forms)
	// are not kept.
	Columns []metastore.Column `json:"columns"`
	// Identity is the read's (connectors.Parts.Identity): parts of
	// another are not kept.
	Identity string              `json:"identity"`
	Parts    map[string]keptPart `json:"parts"`
}

// keptPart is a part's file and what it holds.
type keptPart struct {
	File  string `json:"file"`
	Print string `json:"print"`
	Rows  int64  `json:"rows"`
	Bytes int64  `json:"bytes"`
	// Watermark is the incremental column's greatest value in the part
	// (Tracked: the column was followed).
	Watermark string `json:"watermark,omitempty"`
	Tracked   bool   `json:"tracked,omitempty"`
}

// openParts opens a read in parts.
type openParts func(ctx context.Context, req connectors.ScanRequest) (connectors.Parts, error)

// partsOf returns how a sync reads its table in parts, nil when it does
// not: a change stream's first read sets *position.
func (s *Syncer) partsOf(req SyncRequest, position *string) openParts {
	if s.readers <= 0 {
		return nil
	}
	if req.Snapshot != nil {
		if req.SnapshotParts == nil {
			return nil
		}
		return func(ctx context.Context, r connectors.ScanRequest) (connectors.Parts, error) {
			p, pos, err := req.SnapshotParts(ctx, r)
			if err == nil {
				*position = pos
			}
			return p, err
		}
	}
	if ps, ok := req.Connector.(connectors.PartScanner); ok {
		return ps.ScanParts
	}
	return nil
}

// partsResult is what a read in parts wrote into the snapshot's folder.
type partsResult struct {
	schema    *arrow.Schema
	warnings  []string
	stats     WriteStats
	tracked   bool
	watermark string
	// kept is how many parts (and rows) came from an earlier read.
	kept, parts int
	keptRows    int64
}

// readParts reads the table in parts into dir (part-NNNNN.parquet),
// resuming an earlier read's parts. It returns connectors.ErrNotParted
// when the connector reads the table whole.
func (s *Syncer) readParts(ctx context.Context, t metastore.Table, open openParts, req connectors.ScanRequest, dir string, progress func(rows, bytes int64)) (partsResult, error) {
	read, err := open(ctx, req)
	if err != nil {
		return partsResult{}, err
	}
	defer read.Close()
	res := partsResult{schema: read.Schema(), warnings: read.Warnings()}
	res.tracked = t.IncrementalColumn != "" && !textHeld(res.schema, t.IncrementalColumn)

	rdir := s.layout.Resume(t.WorkspaceID, t.ID)
	if err := os.MkdirAll(rdir, 0o700); err != nil {
		return res, fmt.Errorf("resume folder: %w", err)
	}
	lock, err := tryLock(filepath.Join(rdir, "lock"))
	if err != nil {
		s.log.Warn("read in parts without resuming", "table", t.ID, "err", err)
		lock = nil
	}
	if lock == nil {
		// Another process reads this table now: read without resuming.
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return res, err
		}
		if rdir, err = os.MkdirTemp(dir, "parts-"); err != nil {
			return res, err
		}
	} else {
		defer lock.f.Close() // the file stays: removing it would let two holders in
	}
	m := loadManifest(rdir, ColumnsOf(res.schema), read.Identity())

	list := read.List()
	res.parts = len(list)
	// The parts an earlier read kept, still there, whose prints are
	// checked in this read's snapshot.
	var candidates []string
	for _, name := range list {
		k, ok := m.Parts[name]
		if !ok || k.Tracked != res.tracked {
			continue
		}
		if _, err := os.Stat(filepath.Join(rdir, k.File)); k.File == "" || err == nil {
			candidates = append(candidates, name)
		}
	}
	prints := map[string]string{}
	if len(candidates) > 0 {
		if prints, err = read.Prints(ctx, candidates); err != nil {
			return res, err
		}
	}
	var todo []string
	keep := map[string]keptPart{}
	var baseRows, baseBytes int64
	for _, name := range list {
		if k, ok := m.Parts[name]; ok && prints[name] != "" && k.Print == prints[name] {
			keep[name] = k
			baseRows += k.Rows
			baseBytes += k.Bytes
			continue
		}
		todo = append(todo, name)
	}
	m.Parts = keep
	if err := m.save(rdir); err != nil {
		return res, err
	}
	removeUnlisted(rdir, m)
	res.kept, res.keptRows = len(keep), baseRows

	// Progress adds each part writer's rows to the kept parts'.
	var pmu sync.Mutex
	doneRows, doneBytes := baseRows, baseBytes
	progress(doneRows, doneBytes)
	partProgress := func() func(rows, bytes int64) {
		var lastRows, lastBytes int64
		return func(rows, bytes int64) {
			pmu.Lock()
			defer pmu.Unlock()
			doneRows += rows - lastRows
			doneBytes += bytes - lastBytes
			lastRows, lastBytes = rows, bytes
			progress(doneRows, doneBytes)
		}
	}

	runs := runsOf(list, todo, s.readers)
	queue := make(chan []string, len(runs))
	for _, r := range runs {
		queue <- r
	}
	close(queue)
	var mmu sync.Mutex // m
	keepPart := func(name string, k keptPart) error {
		mmu.Lock()
		defer mmu.Unlock()
		m.Parts[name] = k
		return m.save(rdir)
	}
	g, gctx := errgroup.WithContext(ctx)
	for i := range max(1, min(s.readers, len(runs))) {
		g.Go(func() error {
			r, err := read.Reader(gctx, i, readerWait)
			if errors.Is(err, connectors.ErrNoReader) {
				return nil // the other readers carry on
			}
			if err != nil {
				return err
			}
			defer r.Close()
			for run := range queue {
				if err := s.readRun(gctx, r, run, rdir, res.tracked, t.IncrementalColumn, partProgress, keepPart); err != nil {
					return err
				}
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return res, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return res, err
	}
	for i, p := range list {
		k := m.Parts[p]
		if k.File == "" {
			continue // a part without rows
		}
		if err := os.Link(filepath.Join(rdir, k.File), filepath.Join(dir, fmt.Sprintf("part-%05d.parquet", i))); err != nil {
			return res, fmt.Errorf("read in parts: %w", err)
		}
		res.stats.Rows += k.Rows
		res.stats.Bytes += k.Bytes
		if k.Tracked {
			res.watermark = maxWatermark(res.watermark, k.Watermark)
		}
	}
	if res.stats.Rows == 0 {
		// No part had rows: the snapshot still has a file, of no rows,
		// as a read whole writes.
		w, err := NewParquetWriter(filepath.Join(dir, "part-00000.parquet"), res.schema)
		if err == nil {
			var st WriteStats
			st, err = w.Close()
			res.stats.Bytes = st.Bytes
		}
		if err != nil {
			return res, fmt.Errorf("read in parts: %w", err)
		}
	}
	if lock == nil {
		os.RemoveAll(rdir)
	}
	return res, nil
}

// readRun reads a run of consecutive parts, each to a new file in rdir,
// and passes each part to keep as it completes.
func (s *Syncer) readRun(ctx context.Context, r connectors.PartReader, run []string, rdir string, tracked bool, column string,
	progress func() func(rows, bytes int64), keep func(string, keptPart) error) error {
	sc, err := r.Scan(ctx, run)
	if err != nil {
		return err
	}
	defer sc.Release()
	written := map[string]bool{}
	for more := sc.Next(); more; {
		part := sc.Part()
		b := &partBatches{PartScan: sc, part: part}
		var reader connectors.Scan = b
		var tracker *watermarkTracker
		if tracked {
			if tracker, err = trackWatermark(b, column); err != nil {
				return err
			}
			reader = tracker
		}
		k := keptPart{File: fmt.Sprintf("%s-%d.parquet", part, time.Now().UnixNano()), Tracked: tracked}
		st, err := WriteParquet(filepath.Join(rdir, k.File), reader, progress())
		if err != nil {
			os.Remove(filepath.Join(rdir, k.File))
			return err
		}
		k.Rows, k.Bytes, k.Print = st.Rows, st.Bytes, sc.Print(part)
		if tracker != nil {
			k.Watermark = tracker.best
		}
		if err := keep(part, k); err != nil {
			return err
		}
		written[part] = true
		more = b.more
	}
	if err := sc.Err(); err != nil {
		return err
	}
	for _, part := range run {
		if !written[part] {
			// No rows: kept with its print, without a file.
			if err := keep(part, keptPart{Print: sc.Print(part), Tracked: tracked}); err != nil {
				return err
			}
		}
	}
	return nil
}

// partBatches is the batches of one part of a run's scan, from the
// scan's current batch on; more is set when it stopped at the next
// part's first batch (the scan's current batch then).
type partBatches struct {
	connectors.PartScan
	part    string
	started bool
	more    bool
}

func (b *partBatches) Next() bool {
	if !b.started {
		b.started = true
		return true
	}
	if !b.PartScan.Next() {
		return false
	}
	if b.PartScan.Part() != b.part {
		b.more = true
		return false
	}
	return true
}

// runsOf groups the parts to read into runs of consecutive parts, split
// until there are at least readers of them where parts allow.
func runsOf(list, todo []string, readers int) [][]string {
	index := map[string]int{}
	for i, name := range list {
		index[name] = i
	}
	var runs [][]string
	for _, name := range todo {
		if n := len(runs); n > 0 && index[runs[n-1][len(runs[n-1])-1]]+1 == index[name] {
			runs[n-1] = append(runs[n-1], name)
			continue
		}
		runs = append(runs, []string{name})
	}
	for len(runs) > 0 && len(runs) < readers {
		longest := 0
		for i, r := range runs {
			if len(r) > len(runs[longest]) {
				longest = i
			}
		}
		r := runs[longest]
		if len(r) < 2 {
			break
		}
		half := len(r) / 2
		runs = slices.Insert(runs, longest+1, r[half:])
		runs[longest] = r[:half:half]
	}
	return runs
}

// loadManifest reads rdir's manifest, or returns an empty one when there
// is none or its parts have other columns.
func loadManifest(rdir string, cols []metastore.Column, identity string) *resumeManifest {
	m := &resumeManifest{Columns: cols, Identity: identity, Parts: map[string]keptPart{}}
	old, ok := readManifest(rdir)
	if !ok || !reflect.DeepEqual(old.Columns, cols) || old.Identity != identity || old.Parts == nil {
		return m
	}
	m.Parts = old.Parts
	return m
}

// readManifest reads rdir's manifest, if it has one.
func readManifest(rdir string) (resumeManifest, bool) {
	var m resumeManifest
	b, err := os.ReadFile(filepath.Join(rdir, "manifest.json"))
	if err != nil || json.Unmarshal(b, &m) != nil {
		return resumeManifest{}, false
	}
	return m, true
}

// resumeText are the columns an unfinished read of the table held as
// text (ScanRequest.AsText): a read resuming it starts with them, so that
// its parts match.
func (s *Syncer) resumeText(wsID, tableID string) map[string]string {
	m, ok := readManifest(s.layout.Resume(wsID, tableID))
	if !ok {
		return nil
	}
	return textColumns(m.Columns)
}

// save writes the manifest atomically (a crash leaves the old or the new).
func (m *resumeManifest) save(rdir string) error {
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	tmp := filepath.Join(rdir, "manifest.json.tmp")
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("resume manifest: %w", err)
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return fmt.Errorf("resume manifest: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("resume manifest: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("resume manifest: %w", err)
	}
	if err := os.Rename(tmp, filepath.Join(rdir, "manifest.json")); err != nil {
		return fmt.Errorf("resume manifest: %w", err)
	}
	return syncDir(rdir)
}

// removeUnlisted removes the part files of rdir the manifest does not
// name (parts of another read, a write cut short).
func removeUnlisted(rdir string, m *resumeManifest) {
	files, _ := filepath.Glob(filepath.Join(rdir, "*.parquet"))
	named := map[string]bool{}
	for _, k := range m.Parts {
		named[k.File] = true
	}
	for _, f := range files {
		if !named[filepath.Base(f)] {
			os.Remove(f)
		}
	}
}

// dropResume removes a table's unfinished read (once a sync published).
func (s *Syncer) dropResume(wsID, tableID string) {
	rdir := s.layout.Resume(wsID, tableID)
	lock, err := tryLock(filepath.Join(rdir, "lock"))
	if err != nil || lock == nil {
		return // none, or another process reads into it
	}
	defer lock.f.Close()
	os.RemoveAll(rdir)
}

// removeStaleResumes removes unfinished reads older than resumeMaxAge
// that no process holds, and returns how many.
func removeStaleResumes(root string) int {
	dirs, _ := filepath.Glob(filepath.Join(root, "*"))
	n := 0
	for _, d := range dirs {
		info, err := os.Stat(filepath.Join(d, "manifest.json"))
		if err == nil && time.Since(info.ModTime()) < resumeMaxAge {
			continue
		}
		if err != nil {
			if info, err = os.Stat(d); err != nil || time.Since(info.ModTime()) < orphanAge {
				continue
			}
		}
		lock, err := tryLock(filepath.Join(d, "lock"))
		if err != nil || lock == nil {
			continue // a read holds it
		}
		if os.RemoveAll(d) == nil {
			n++
		}
		lock.f.Close()
	}
	return n
}

// tryLock takes an exclusive flock on path without waiting: nil when
// another holder has it.
//
// The lock is on the file the path names when it returns: a holder that
// removes the folder (dropResume) unlinks the file it locked, so a lock
// taken on that file meanwhile is dropped and taken again on the new one.
func tryLock(path string) (*tmpLock, error) {
	for range 10 {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
		if err != nil {
			return nil, fmt.Errorf("lock: %w", err)
		}
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
			f.Close()
			if errors.Is(err, syscall.EWOULDBLOCK) {
				return nil, nil
			}
			return nil, fmt.Errorf("lock: %w", err)
		}
		var held, named syscall.Stat_t
		if syscall.Fstat(int(f.Fd()), &held) == nil && syscall.Stat(path, &named) == nil && held.Ino == named.Ino && held.Dev == named.Dev {
			return &tmpLock{f: f}, nil
		}
		f.Close()
	}
	return nil, nil
}

// resumedNote says what a read in parts kept from an earlier one.
func (r partsResult) resumedNote() string {
	if r.kept == 0 {
		return ""
	}
	return fmt.Sprintf("resumed an earlier read that did not finish: kept %d of %d parts (%d rows) whose rows had not changed upstream since, and read the other %d",
		r.kept, r.parts, r.keptRows, r.parts-r.kept)
}

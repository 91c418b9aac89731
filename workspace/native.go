package workspace

import (
	"context"
	"os"
	"path/filepath"
	"time"

	"github.com/hotdata-dev/hotdata/engine"
	"github.com/hotdata-dev/hotdata/metastore"
)

// Native copies of snapshots (engine.WriteNative): a statement that reads
// a snapshot without one asks for it, and one background worker makes
// the copies, one at a time, in the workspace's own engine (so within its
// memory and thread limits); statements read the copy from then on. The
// Parquet files stay the snapshot of record.

// nativeQueueLen bounds the copies waiting; past it a request is dropped
// (the next statement reading the snapshot asks again).
const nativeQueueLen = 256

type nativeRequest struct {
	wsID string
	dir  string
	key  []string // the table's key: a folder with delta files is merged by it
}

// nativeQuiet is how long a snapshot with delta files (change data
// capture, merged incremental syncs) must have stood before its native
// copy is made: a table changing every few hundred milliseconds is read
// merged from its files rather than copied each time; once it is quiet,
// its copy is the previous one's with the newer changes applied.
const nativeQuiet = 3 * time.Second

// snapshotMount is the engine mount of a snapshot as catalog.schema.table:
// its native copy when there is one; else its Parquet files, and the copy
// is asked for.
func (s *Service) snapshotMount(wsID, catalog, schema, table string, snap *metastore.Snapshot, key []string) engine.Mount {
	m := engine.Mount{Catalog: catalog, Schema: schema, Table: table,
		Dir: s.layout.Abs(wsID, snap.Path), Version: snap.Version, Select: viewSelect(snap.Columns), Key: key}
	for _, c := range snap.Columns {
		m.Columns = append(m.Columns, c.Name)
	}
	if s.natives == nil {
		return m
	}
	native := filepath.Join(m.Dir, engine.NativeFile)
	if _, seen := s.nativeSeen.get(m.Dir); seen {
		m.Native = native
		return m
	}
	if _, err := os.Stat(native); err == nil {
		s.nativeSeen.put(m.Dir, true) // no stat per statement once it exists
		m.Native = native
		return m
	}
	if len(key) > 0 && s.hasDeltas(m.Dir) {
		if info, err := os.Stat(m.Dir); err != nil || time.Since(info.ModTime()) < nativeQuiet {
			return m // read merged; a later statement asks again
		}
	}
	s.requestNative(wsID, m.Dir, key)
	return m
}

// hasDeltas says whether a snapshot folder holds delta files; folders
// never change, so the answer is kept.
func (s *Service) hasDeltas(dir string) bool {
	if v, ok := s.deltaDirs.Load(dir); ok {
		return v.(bool)
	}
	has := engine.HasDeltas(dir)
	s.deltaDirs.Store(dir, has)
	return has
}

// requestNative queues a snapshot folder for its native copy (once).
func (s *Service) requestNative(wsID, dir string, key []string) {
	s.nativeMu.Lock()
	defer s.nativeMu.Unlock()
	if s.nativePending[dir] || s.nativeDropped[dir] {
		return
	}
	select {
	case s.natives <- nativeRequest{wsID: wsID, dir: dir, key: key}:
		s.nativePending[dir] = true
	default:
	}
}

// nativeLoop makes the copies asked for until ctx ends.
func (s *Service) nativeLoop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case req := <-s.natives:
			s.copyNative(ctx, req)
		}
	}
}

// runningCopy is the copy nativeLoop is making.
type runningCopy struct {
	wsID   string
	cancel context.CancelFunc
	done   chan struct{} // closed once the copy has stopped
}

// copyNative makes one copy. A workspace whose engine is not open
// (suspended, deleted, idle since) or that is being released is skipped:
// the next statement reading the snapshot asks again.
func (s *Service) copyNative(ctx context.Context, req nativeRequest) {
	defer func() {
		s.nativeMu.Lock()
		delete(s.nativePending, req.dir)
		s.nativeMu.Unlock()
	}()
	jctx, cancel := context.WithCancel(ctx)
	defer cancel()
	run := &runningCopy{wsID: req.wsID, cancel: cancel, done: make(chan struct{})}
	s.nativeMu.Lock()
	if s.nativeStopping[req.wsID] {
		s.nativeMu.Unlock()
		return
	}
	s.nativeRunning = run
	s.nativeMu.Unlock()
	defer func() {
		s.nativeMu.Lock()
		s.nativeRunning = nil
		s.nativeMu.Unlock()
		close(run.done)
	}()
	s.mu.Lock()
	oe := s.engines[req.wsID]
	s.mu.Unlock()
	if oe == nil {
		return
	}
	eng := oe.e
	err := eng.WriteNative(jctx, req.dir, req.key)
	if err != nil {
		if jctx.Err() == nil {
			s.log.Warn("native snapshot copy failed; queries read its Parquet files", "dir", req.dir, "err", err)
		}
		return
	}
	s.enforceQuota(jctx, req.wsID) // the copy counts in the cache quota
}

// stopNativeCopies keeps copies from being made in a workspace being
// released (suspended or deleted): it interrupts the one running there
// and waits until it has stopped, so that nothing writes in the
// workspace's folder any more. Call the returned func once the engine is
// closed.
func (s *Service) stopNativeCopies(wsID string) (done func()) {
	s.nativeMu.Lock()
	s.nativeStopping[wsID] = true
	run := s.nativeRunning
	s.nativeMu.Unlock()
	if run != nil && run.wsID == wsID {
		run.cancel()
		<-run.done
	}
	return func() {
		s.nativeMu.Lock()
		delete(s.nativeStopping, wsID)
		s.nativeMu.Unlock()
	}
}

// nativeBytes is the size of a snapshot's native copy (0: none).
func (s *Service) nativeBytes(wsID, snapPath string) int64 {
	st, err := os.Stat(filepath.Join(s.layout.Abs(wsID, snapPath), engine.NativeFile))
	if err != nil {
		return 0
	}
	return st.Size()
}

// dropNative deletes the native copy of a snapshot to keep the cache
// under its quota, and returns the bytes freed; the snapshot is not
// copied again (by this process). Statements read its Parquet files from
// their next mount on.
func (s *Service) dropNative(wsID string, sn metastore.Snapshot) int64 {
	n := s.nativeBytes(wsID, sn.Path)
	if n == 0 {
		return 0
	}
	dir := s.layout.Abs(wsID, sn.Path)
	s.nativeMu.Lock()
	s.nativeDropped[dir] = true
	s.nativeMu.Unlock()
	s.nativeSeen.del(dir)
	if err := os.Remove(filepath.Join(dir, engine.NativeFile)); err != nil {
		s.log.Warn("cache quota: remove a native copy", "dir", dir, "err", err)
		return 0
	}
	s.log.Info("removed a native snapshot copy over the workspace's cache limit; queries read its Parquet files", "dir", dir, "bytes", n)
	return n
}

package cache

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/hotdata-dev/hotdata/metastore"
)

// orphanAge is how old an unreferenced snapshot folder must be before
// Recover removes it: younger ones may belong to a publish in progress in
// another process (renamed, not yet committed).
const orphanAge = 5 * time.Minute

// Recover removes what an interrupted process left in a workspace folder:
// tmp/ entries no live process holds a lock on, and snapshot folders no
// metastore record refers to. It returns how many entries it removed.
func (s *Syncer) Recover(ctx context.Context, wsID string) (int, error) {
	removed := 0
	tmpRoot := s.layout.Tmp(wsID)
	entries, err := os.ReadDir(tmpRoot)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return 0, fmt.Errorf("recover: %w", err)
	}
	for _, e := range entries {
		name := e.Name()
		if strings.HasSuffix(name, ".lock") {
			continue
		}
		if pid, ok := strings.CutPrefix(name, "duckdb-"); ok && processAlive(pid) {
			// A running engine's spill folder.
			continue
		}
		if held(filepath.Join(tmpRoot, name+".lock")) {
			continue
		}
		if err := os.RemoveAll(filepath.Join(tmpRoot, name)); err != nil {
			return removed, fmt.Errorf("recover: %w", err)
		}
		os.Remove(filepath.Join(tmpRoot, name+".lock"))
		removed++
	}
	// Lock files whose write is gone.
	for _, e := range entries {
		if name := e.Name(); strings.HasSuffix(name, ".lock") && !held(filepath.Join(tmpRoot, name)) {
			os.Remove(filepath.Join(tmpRoot, name))
		}
	}

	removed += removeStaleResumes(s.layout.ResumeRoot(wsID))

	snaps, err := s.store.ListSnapshots(ctx, wsID, "")
	if err != nil {
		return removed, fmt.Errorf("recover: %w", err)
	}
	known := map[string]bool{}
	for _, sn := range snaps {
		known[filepath.Clean(sn.Path)] = true
	}
	root := s.layout.Workspace(wsID)
	// tables/<conn>/<schema>/<table>/<snapshot>, datasets/<dataset>/<snapshot>
	dirs, _ := filepath.Glob(filepath.Join(root, "tables", "*", "*", "*", "*"))
	dsDirs, _ := filepath.Glob(filepath.Join(root, "datasets", "*", "*"))
	dirs = append(dirs, dsDirs...)
	for _, d := range dirs {
		rel, err := filepath.Rel(root, d)
		if err != nil {
			continue
		}
		if known[rel] {
			removed += removeDeadNativeTemps(d)
			continue
		}
		info, err := os.Stat(d)
		if err != nil || time.Since(info.ModTime()) < orphanAge {
			continue
		}
		if err := os.RemoveAll(d); err != nil {
			return removed, fmt.Errorf("recover: %w", err)
		}
		removed++
	}
	return removed, nil
}

// removeDeadNativeTemps removes the partial native copies
// (.native-<pid>.duckdb, see engine.WriteNative) that processes no longer
// running left in a snapshot folder, and returns how many.
func removeDeadNativeTemps(dir string) int {
	temps, _ := filepath.Glob(filepath.Join(dir, ".native-*.duckdb*"))
	n := 0
	for _, f := range temps {
		pid := strings.TrimPrefix(filepath.Base(f), ".native-")
		pid, _, _ = strings.Cut(pid, ".")
		if processAlive(pid) {
			continue
		}
		if os.Remove(f) == nil {
			n++
		}
	}
	return n
}

// processAlive reports whether a process id (as text) is running.
func processAlive(pid string) bool {
	n, err := strconv.Atoi(pid)
	if err != nil || n <= 0 {
		return false
	}
	return syscall.Kill(n, 0) == nil
}

// held reports whether another process holds the lock file's flock.
func held(lockPath string) bool {
	f, err := os.OpenFile(lockPath, os.O_RDWR, 0)
	if err != nil {
		return false
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		return true
	}
	_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
	return false
}

// CollectGarbage deletes the files of snapshots retired longer than grace
// ago that no reader in this process holds, and records them as deleted.
// Readers in other processes are covered by the grace period (and by the
// file system: an open file stays readable after it is unlinked).
func (s *Syncer) CollectGarbage(ctx context.Context, wsID string, grace time.Duration) (int, error) {
	retired, err := s.store.ListSnapshots(ctx, wsID, metastore.SnapshotRetired)
	if err != nil {
		return 0, fmt.Errorf("collect garbage: %w", err)
	}
	n := 0
	for _, sn := range retired {
		if sn.RetiredAt == nil || time.Since(*sn.RetiredAt) < grace || s.pins.Pinned(sn.ID) {
			continue
		}
		if err := removeDir(s.layout.Abs(wsID, sn.Path)); err != nil {
			return n, fmt.Errorf("collect garbage: %w", err)
		}
		if err := s.store.MarkSnapshotDeleted(ctx, sn.ID); err != nil && !errors.Is(err, metastore.ErrNotFound) {
			return n, fmt.Errorf("collect garbage: %w", err)
		}
		n++
	}
	return n, nil
}

// removeDir removes a folder and what it holds; a file made in it while
// it goes (a native copy's temporary file, finishing) gets one more try.
func removeDir(dir string) error {
	err := os.RemoveAll(dir)
	if errors.Is(err, syscall.ENOTEMPTY) {
		time.Sleep(100 * time.Millisecond)
		err = os.RemoveAll(dir)
	}
	return err
}

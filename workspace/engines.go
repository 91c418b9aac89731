package workspace

import (
	"context"
	"errors"
	"runtime"
	"time"

	"github.com/hotdata-dev/hotdata/engine"
	"github.com/hotdata-dev/hotdata/internal/metrics"
	"github.com/hotdata-dev/hotdata/internal/pgerr"
	"github.com/hotdata-dev/hotdata/metastore"
	"github.com/hotdata-dev/hotdata/pgfunc"
)

// One tenant must not starve the process: every workspace's engine gets a
// fixed memory limit well below the machine's memory, and the limits of
// the engines open at once add up to at most the process's budget. To
// open an engine past it, the least recently used idle engines (no
// session, no statement, no REST query) are closed; when none is idle the
// statement fails with 53200. Engines idle longer than EngineIdleTimeout
// are closed too; the next statement opens them again.

// openEngine is an engine in the registry.
type openEngine struct {
	e        *engine.Engine
	memory   int64     // its memory_limit, counted against the budget
	lastUsed time.Time // last engineFor, or end of the last session
}

// defaultEngineBudget is three quarters of the machine's memory (4 GB
// when unknown).
func defaultEngineBudget() int64 {
	if n := totalMemory(); n > 0 {
		return n / 4 * 3
	}
	return 4 << 30
}

// defaultEngineThreads: half the cores, so that one workspace's
// statement leaves the others some.
func defaultEngineThreads() int { return max(1, runtime.NumCPU()/2) }

// engineFor returns the workspace's engine, opening it (and cleaning up
// after a previous crash) on first use.
func (s *Service) engineFor(ctx context.Context, ws metastore.Workspace) (*engine.Engine, error) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil, errors.New("service closed")
	}
	if oe, ok := s.engines[ws.ID]; ok {
		oe.lastUsed = time.Now()
		s.mu.Unlock()
		return oe.e, nil
	}
	var evicted []*openEngine
	defer func() {
		// Closing frees memory, which takes a moment: not under mu.
		for _, oe := range evicted {
			oe.e.Close()
		}
	}()
	defer s.mu.Unlock()
	// Suspended: resume (auto_resume) or refuse; fresh limits (lifecycle.go).
	ws, err := s.workspaceForEngineLocked(ctx, ws)
	if err != nil {
		return nil, err
	}
	if err := s.recoverLocked(ctx, ws.ID); err != nil {
		return nil, err
	}
	limits := engine.Limits{MemoryBytes: ws.Limits.MemoryBytes, Threads: ws.Limits.Threads, Functions: pgfunc.Functions()}
	if limits.MemoryBytes == 0 {
		limits.MemoryBytes = s.cfg.EngineMemoryBytes
	}
	limits.MemoryBytes = min(limits.MemoryBytes, s.cfg.EngineMemoryBudget)
	if limits.Threads == 0 {
		limits.Threads = s.cfg.EngineThreads
	}
	for s.engineMemoryLocked()+limits.MemoryBytes > s.cfg.EngineMemoryBudget {
		id := s.leastRecentlyUsedIdleLocked()
		if id == "" {
			return nil, pgerr.New(pgerr.OutOfMemory, "out of memory: the engines of other workspaces use this server's whole engine memory budget").
				WithHint("Retry when other workspaces' sessions and queries have ended, or ask an administrator to raise the server's engine memory budget (HOTDATA_ENGINE_MEMORY_BUDGET) or lower the workspaces' memory_bytes.")
		}
		evicted = append(evicted, s.engines[id])
		delete(s.engines, id)
		s.log.Info("workspace engine closed to make room", "workspace", id, "for", ws.ID)
	}
	e, err := engine.Open(ctx, s.layout.Workspace(ws.ID), limits)
	if err != nil {
		return nil, err
	}
	s.engines[ws.ID] = &openEngine{e: e, memory: limits.MemoryBytes, lastUsed: time.Now()}
	s.reportEnginesLocked()
	s.log.Info("workspace engine opened", "workspace", ws.ID, "memory_bytes", limits.MemoryBytes, "threads", limits.Threads)
	return e, nil
}

// reportEnginesLocked updates the engine metrics; s.mu is held.
func (s *Service) reportEnginesLocked() {
	metrics.Engines(len(s.engines), s.engineMemoryLocked(), s.cfg.EngineMemoryBudget)
}

func (s *Service) engineMemoryLocked() int64 {
	var n int64
	for _, oe := range s.engines {
		n += oe.memory
	}
	return n
}

// idleLocked says whether nothing uses a workspace's engine: no pgwire
// session, no REST query, no statement or result stream.
func (s *Service) idleLocked(id string, oe *openEngine) bool {
	return s.sessions[id] == 0 && !s.queries.isRunning(id) && !oe.e.InUse()
}

func (s *Service) leastRecentlyUsedIdleLocked() string {
	var best string
	var when time.Time
	for id, oe := range s.engines {
		if s.idleLocked(id, oe) && (best == "" || oe.lastUsed.Before(when)) {
			best, when = id, oe.lastUsed
		}
	}
	return best
}

// touchEngine marks a workspace's engine used now (a session ended: the
// idle time counts from then).
func (s *Service) touchEngineLocked(wsID string) {
	if oe, ok := s.engines[wsID]; ok {
		oe.lastUsed = time.Now()
	}
}

// engineIdleLoop closes engines idle for longer than EngineIdleTimeout.
func (s *Service) engineIdleLoop(ctx context.Context) {
	tick := min(max(s.cfg.EngineIdleTimeout/4, 50*time.Millisecond), 30*time.Second)
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		s.closeIdleEngines(time.Now().Add(-s.cfg.EngineIdleTimeout))
	}
}

// closeIdleEngines closes the idle engines last used before cutoff.
func (s *Service) closeIdleEngines(cutoff time.Time) {
	var closing []*openEngine
	s.mu.Lock()
	for id, oe := range s.engines {
		if oe.lastUsed.Before(cutoff) && s.idleLocked(id, oe) {
			closing = append(closing, oe)
			delete(s.engines, id)
			s.log.Info("idle workspace engine closed", "workspace", id)
		}
	}
	s.reportEnginesLocked()
	s.mu.Unlock()
	for _, oe := range closing {
		oe.e.Close()
	}
}

// closeEngine closes a workspace's engine, if open, freeing its memory
// (statements still running finish first); the next query opens it again.
func (s *Service) closeEngine(wsID string) error {
	s.mu.Lock()
	oe, ok := s.engines[wsID]
	delete(s.engines, wsID)
	s.reportEnginesLocked()
	s.mu.Unlock()
	if !ok {
		return nil
	}
	s.log.Info("workspace engine closed", "workspace", wsID)
	return oe.e.Close()
}

package workspace

import (
	"context"
	"errors"
	"sync"

	"github.com/hotdata-dev/hotdata/metastore"
)

// queryGate counts the REST queries running in this process per
// workspace, against the workspace's max_concurrent_queries (pgwire
// sessions have their own cap, max_sessions), and knows which results are
// being written here, so that retention never deletes one mid-write.
// Its zero value is ready to use.
type queryGate struct {
	mu      sync.Mutex
	running map[string]int                     // workspace id -> REST queries running
	writing map[string]struct{}                // result ids being written
	cancels map[string]context.CancelCauseFunc // run id -> its cancel
}

// admit counts a query of ws and marks resultID as being written; the
// returned func undoes both (once). Past the limit (the workspace's, else
// def; 0 means no limit) it fails with KindOverloaded.
func (g *queryGate) admit(ws metastore.Workspace, def int, resultID string) (func(), error) {
	limit := ws.Limits.MaxConcurrentQueries
	if limit == 0 {
		limit = def
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if limit > 0 && g.running[ws.ID] >= limit {
		return nil, newError(KindOverloaded, "TOO_MANY_QUERIES",
			"workspace %q is running %d queries, its limit: retry when one has finished, or raise the workspace's max_concurrent_queries", ws.Name, limit)
	}
	if g.running == nil {
		g.running, g.writing = map[string]int{}, map[string]struct{}{}
	}
	g.running[ws.ID]++
	g.writing[resultID] = struct{}{}
	var once sync.Once
	return func() {
		once.Do(func() {
			g.mu.Lock()
			defer g.mu.Unlock()
			if g.running[ws.ID]--; g.running[ws.ID] <= 0 {
				delete(g.running, ws.ID)
			}
			delete(g.writing, resultID)
		})
	}, nil
}

// isWriting reports whether a query of this process is writing resultID.
func (g *queryGate) isWriting(resultID string) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	_, ok := g.writing[resultID]
	return ok
}

// isRunning reports whether a REST query of the workspace runs here.
func (g *queryGate) isRunning(wsID string) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.running[wsID] > 0
}

// errCanceledByRequest is the cause of a run stopped by CancelQueryRun.
var errCanceledByRequest = errors.New("canceled by request")

// track makes a running query cancelable by its run id; the returned
// func forgets it.
func (g *queryGate) track(runID string, cancel context.CancelCauseFunc) func() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.cancels == nil {
		g.cancels = map[string]context.CancelCauseFunc{}
	}
	g.cancels[runID] = cancel
	return func() {
		g.mu.Lock()
		delete(g.cancels, runID)
		g.mu.Unlock()
	}
}

// cancel stops a running query; false when it does not run here.
func (g *queryGate) cancel(runID string) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	c, ok := g.cancels[runID]
	if ok {
		c(errCanceledByRequest)
	}
	return ok
}

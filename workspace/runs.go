package workspace

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/hotdata-dev/hotdata/metastore"
)

// runRecorder writes pgwire query runs to the metastore in batches, so
// that recording costs a query nothing on its path. When the metastore
// falls behind and the queue is full, runs are dropped and counted.
type runRecorder struct {
	store *metastore.Store
	log   *slog.Logger
	queue chan metastore.QueryRun
	// dropped counts runs the full queue refused: record adds from
	// every session's goroutine while run reads and resets it.
	dropped atomic.Int64
}

const (
	runQueueSize  = 10000
	runBatchSize  = 500
	runFlushEvery = 250 * time.Millisecond
)

func newRunRecorder(store *metastore.Store, log *slog.Logger) *runRecorder {
	return &runRecorder{store: store, log: log, queue: make(chan metastore.QueryRun, runQueueSize)}
}

// record queues a finished run; it never blocks.
func (r *runRecorder) record(run metastore.QueryRun) {
	select {
	case r.queue <- run:
	default:
		r.dropped.Add(1)
	}
}

// run batches queued runs until ctx ends, then writes what is left.
func (r *runRecorder) run(ctx context.Context) {
	t := time.NewTicker(runFlushEvery)
	defer t.Stop()
	batch := make([]metastore.QueryRun, 0, runBatchSize)
	flush := func() {
		if n := r.dropped.Swap(0); n > 0 {
			r.log.Warn("query runs dropped: the metastore could not keep up", "count", n)
		}
		if len(batch) == 0 {
			return
		}
		wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if err := r.store.InsertQueryRuns(wctx, batch); err != nil {
			r.log.Warn("record query runs", "count", len(batch), "err", err)
		}
		batch = batch[:0]
	}
	for {
		select {
		case run := <-r.queue:
			batch = append(batch, run)
			if len(batch) >= runBatchSize {
				flush()
			}
		case <-t.C:
			flush()
		case <-ctx.Done():
			for {
				select {
				case run := <-r.queue:
					batch = append(batch, run)
				default:
					flush()
					return
				}
			}
		}
	}
}

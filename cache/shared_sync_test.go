package cache

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hotdata-dev/hotdata/connectors"
)

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestSharedSyncOutlivesFirstCaller: the caller that started a shared
// sync cancelling (its client's cancel or statement_timeout) stops its
// own wait only; the others get the snapshot, and the scan ran on a
// context no caller's cancel reaches.
func TestSharedSyncOutlivesFirstCaller(t *testing.T) {
	f := newFixture(t)
	var scans atomic.Int32
	var scanCtx atomic.Pointer[context.Context]
	release := make(chan struct{})
	conn := &fakeConnector{ScanFunc: func(ctx context.Context, _ connectors.ScanRequest) (connectors.Scan, error) {
		scans.Add(1)
		scanCtx.Store(&ctx)
		select {
		case <-release:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		return &fakeScan{RecordReader: batches(t, 1, 5)}, nil
	}}
	first, cancelFirst := context.WithCancel(context.Background())
	firstDone := make(chan error, 1)
	go func() {
		_, err := f.syncer.SyncTable(first, SyncRequest{Table: f.table, Connector: conn})
		firstDone <- err
	}()
	waitFor(t, "the scan to start", func() bool { return scans.Load() == 1 })
	type result struct {
		res SyncResult
		err error
	}
	others := make(chan result, 2)
	for range 2 {
		go func() {
			r, err := f.syncer.SyncTable(context.Background(), SyncRequest{Table: f.table, Connector: conn})
			others <- result{r, err}
		}()
	}
	waitFor(t, "the others to join", func() bool {
		f.syncer.mu.Lock()
		defer f.syncer.mu.Unlock()
		fl := f.syncer.flights[f.table.ID]
		if fl == nil {
			return false
		}
		fl.mu.Lock()
		defer fl.mu.Unlock()
		return len(fl.watchers) == 3
	})
	cancelFirst()
	select {
	case err := <-firstDone:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("cancelled caller: %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the cancelled caller is still waiting")
	}
	if err := (*scanCtx.Load()).Err(); err != nil {
		t.Fatalf("the first caller's cancel reached the shared scan: %v", err)
	}
	close(release)
	for range 2 {
		r := <-others
		if r.err != nil || r.res.Snapshot.ID == "" || !r.res.Shared {
			t.Fatalf("a waiting caller: %+v %v, want the shared snapshot", r.res, r.err)
		}
	}
	if scans.Load() != 1 {
		t.Fatalf("%d scans, want 1", scans.Load())
	}
}

// TestSharedSyncCancelledWhenAllLeave: once every caller has stopped
// waiting, the sync is cancelled; a later caller starts a new one.
func TestSharedSyncCancelledWhenAllLeave(t *testing.T) {
	f := newFixture(t)
	var scans atomic.Int32
	block := atomic.Bool{}
	block.Store(true)
	conn := &fakeConnector{ScanFunc: func(ctx context.Context, _ connectors.ScanRequest) (connectors.Scan, error) {
		scans.Add(1)
		if block.Load() {
			<-ctx.Done()
			return nil, ctx.Err()
		}
		return &fakeScan{RecordReader: batches(t, 1, 5)}, nil
	}}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := f.syncer.SyncTable(ctx, SyncRequest{Table: f.table, Connector: conn}); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("timed-out caller: %v", err)
	}
	waitFor(t, "the abandoned sync to end", func() bool {
		f.syncer.mu.Lock()
		defer f.syncer.mu.Unlock()
		return f.syncer.flights[f.table.ID] == nil
	})
	block.Store(false)
	res, err := f.syncer.SyncTable(context.Background(), SyncRequest{Table: f.table, Connector: conn})
	if err != nil || res.Snapshot.ID == "" || res.Shared {
		t.Fatalf("later sync: %+v %v", res, err)
	}
	f.syncer.Close()
	if _, err := f.syncer.SyncTable(context.Background(), SyncRequest{Table: f.table, Connector: conn}); err == nil {
		t.Fatal("a closed syncer started a sync")
	}
}

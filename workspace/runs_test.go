package workspace

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"

	"github.com/hotdata-dev/hotdata/metastore"
)

// TestRunRecorderDropsConcurrently: sessions record runs from their own
// goroutines while the recorder flushes; with the queue full, runs are
// dropped and counted without a data race (run with go test -race).
func TestRunRecorderDropsConcurrently(t *testing.T) {
	sealer, err := metastore.NewSealer(bytes.Repeat([]byte{7}, metastore.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	store, err := metastore.Open(context.Background(), "sqlite://"+filepath.Join(t.TempDir(), "meta.db"), sealer)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	r := &runRecorder{store: store, log: slog.New(slog.NewTextHandler(io.Discard, nil)), queue: make(chan metastore.QueryRun, 1)}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		r.run(ctx)
	}()
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 200 {
				// Runs of an unknown workspace: the insert fails, which
				// does not matter here.
				r.record(metastore.QueryRun{WorkspaceID: "ws_nope"})
			}
		}()
	}
	wg.Wait()
	cancel()
	<-done
}

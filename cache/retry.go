package cache

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/hotdata-dev/hotdata/metastore"
)

// whenMetastoreBack runs fn, a metastore write that must not be lost
// (a job's outcome, settling a publish whose commit is in doubt). When
// the metastore is unavailable it goes on trying in the background
// (metastore.RetryWhileUnavailable) until fn succeeds, fails otherwise,
// or the syncer closes; the syncer owns that goroutine.
func (s *Syncer) whenMetastoreBack(what string, fn func(ctx context.Context) error) {
	// The first try outlives a cancelled sync: its outcome is recorded.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	err := fn(ctx)
	cancel()
	if err == nil {
		return
	}
	if !errors.Is(err, metastore.ErrUnavailable) {
		s.log.Error(what, "err", err)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ctx.Err() != nil {
		s.log.Error(what+": the metastore is unavailable and the server is stopping", "err", err)
		return
	}
	s.log.Warn(what+": the metastore is unavailable; trying again until it is back", "err", err)
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		if err := metastore.RetryWhileUnavailable(s.ctx, fn); err != nil {
			s.log.Error(what, "err", err)
			return
		}
		s.log.Info(what + ": done now that the metastore is back")
	}()
}

// finishJob records a job's outcome, now or once the metastore is back.
func (s *Syncer) finishJob(jobID, status, errText string, warnings ...string) {
	s.whenMetastoreBack("record the outcome of job "+jobID, func(ctx context.Context) error {
		return s.store.FinishJob(ctx, jobID, status, errText, warnings...)
	})
}

// publishFailed cleans up after publishing snapshot snapID (its files at
// final) failed with err. When the metastore could not be reached the
// commit may have happened all the same: the files stay until the
// metastore answers whether the snapshot exists.
func (s *Syncer) publishFailed(snapID, final string, err error) {
	if !errors.Is(err, metastore.ErrUnavailable) {
		os.RemoveAll(final)
		return
	}
	s.whenMetastoreBack("settle the publish of snapshot "+snapID, func(ctx context.Context) error {
		_, gerr := s.store.GetSnapshot(ctx, snapID)
		switch {
		case errors.Is(gerr, metastore.ErrNotFound):
			if rerr := os.RemoveAll(final); rerr != nil {
				return fmt.Errorf("remove the files of unpublished snapshot %s: %w", snapID, rerr)
			}
			return nil
		case gerr != nil:
			return gerr
		}
		s.log.Warn("a snapshot whose publish reported a lost metastore connection was published after all", "snapshot", snapID)
		return nil
	})
}

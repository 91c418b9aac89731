package metastore

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// The auth version is one counter in the metastore, bumped whenever a
// token or a membership stops working or changes (a token revoked, a
// member removed or given another role, an organization or workspace
// deleted). A pgwire session remembers the version its principal was
// loaded at and reloads the principal when the version moved: one cheap
// comparison per statement, and revocation reaches the sessions of every
// node sharing the metastore.

// authCache is a store's last read of the auth version. A bump through
// this store marks it stale at once; bumps through other processes are
// seen within the caller's maxAge.
type authCache struct {
	mu      sync.Mutex
	version int64
	readAt  time.Time
	stale   bool
}

// authChanged bumps the auth version after err (the change's outcome) is
// nil, and returns err or the bump's error.
func (s *Store) authChanged(ctx context.Context, err error) error {
	if err != nil {
		return err
	}
	// The bump comes after the change is committed: whoever sees the new
	// version reloads a principal that reflects it.
	s.auth.mu.Lock()
	s.auth.stale = true
	s.auth.mu.Unlock()
	if _, err := s.exec(ctx, `UPDATE auth_version SET version = version + 1 WHERE id = 1`); err != nil {
		return fmt.Errorf("bump auth version: %w", err)
	}
	s.auth.mu.Lock()
	s.auth.stale = true
	s.auth.mu.Unlock()
	return nil
}

// AuthVersion returns the auth version, read from the metastore when the
// cached value is older than maxAge or this store changed it since.
func (s *Store) AuthVersion(ctx context.Context, maxAge time.Duration) (int64, error) {
	s.auth.mu.Lock()
	defer s.auth.mu.Unlock()
	if !s.auth.stale && !s.auth.readAt.IsZero() && time.Since(s.auth.readAt) < maxAge {
		return s.auth.version, nil
	}
	var v int64
	if err := s.queryRow(ctx, `SELECT version FROM auth_version WHERE id = 1`).Scan(&v); err != nil {
		if errors.Is(err, ErrUnavailable) && !s.auth.stale && !s.auth.readAt.IsZero() {
			// Nobody can revoke anything while the metastore is down, so
			// the last version read still holds; a change made through
			// this store (stale) must be seen, and fails closed. The
			// metastore is asked again after maxAge, not by every caller.
			s.auth.readAt = time.Now()
			return s.auth.version, nil
		}
		return 0, fmt.Errorf("read auth version: %w", err)
	}
	s.auth.version, s.auth.readAt, s.auth.stale = v, time.Now(), false
	return v, nil
}

// TokenByID returns a token by id, whatever its state; a token whose
// member was removed is gone (ErrNotFound).
func (s *Store) TokenByID(ctx context.Context, id string) (Token, error) {
	var t Token
	err := s.queryRow(ctx, `SELECT `+tokenCols+` FROM tokens t WHERE t.id = ?`, id).Scan(scanToken(nil, &t)...)
	return t, notFound("get token", err)
}

//go:build duckdb_arrow

package engine

import (
	"context"
	"fmt"
)

// EnsureState makes a named piece of database state current: setup's
// statements run once per engine (the first time the name is seen),
// fill's whenever version differs from the version last filled. Fill
// runs in one transaction, so a query sees the old state or the new one,
// never half of it. The workspace's emulated pg_catalog is such state.
func (e *Engine) EnsureState(ctx context.Context, name, version string, setup, fill func() []string) error {
	e.mu.Lock()
	cur, ok := e.states[name]
	closed := e.closed
	e.mu.Unlock()
	if closed {
		return ErrClosed
	}
	if ok && cur == version {
		return nil
	}
	e.mountMu.Lock()
	defer e.mountMu.Unlock()
	e.mu.Lock()
	cur, ok = e.states[name]
	e.mu.Unlock()
	if ok && cur == version {
		return nil
	}
	if !ok {
		if err := e.exec(ctx, setup()...); err != nil {
			return fmt.Errorf("engine: set up %s: %w", name, err)
		}
	}
	if err := e.execTx(ctx, fill()); err != nil {
		// Setup is done even when fill failed: do not run it again.
		e.mu.Lock()
		if !ok {
			e.states[name] = ""
		}
		e.mu.Unlock()
		return fmt.Errorf("engine: fill %s: %w", name, err)
	}
	e.mu.Lock()
	e.states[name] = version
	e.mu.Unlock()
	return nil
}

// execTx runs statements in one transaction, rolled back on error.
func (e *Engine) execTx(ctx context.Context, stmts []string) error {
	c, err := e.Conn(ctx)
	if err != nil {
		return err
	}
	defer c.Release()
	if err := c.exec(ctx, "BEGIN TRANSACTION"); err != nil {
		return err
	}
	for _, s := range stmts {
		if err := c.exec(ctx, s); err != nil {
			if rerr := c.exec(context.Background(), "ROLLBACK"); rerr != nil {
				return fmt.Errorf("%w (and rollback: %v)", err, rerr)
			}
			return err
		}
	}
	return c.exec(ctx, "COMMIT")
}

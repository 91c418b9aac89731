package difftest

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// Baseline is the session every block starts from, on every connection,
// before its own setup: the settings a corpus statement may assume.
// TimeZone is pinned because the server's default is the host's.
var Baseline = []string{
	"SET TimeZone = 'UTC'",
	"SET DateStyle = 'ISO, MDY'",
	"SET IntervalStyle = 'postgres'",
	"SET extra_float_digits = 1",
	"SET bytea_output = 'hex'",
}

// Target is one place the corpus runs: PostgreSQL itself, or Hotdata on
// one route.
type Target struct {
	Name    string
	Connect func(ctx context.Context) (*pgconn.PgConn, error)
	// Session runs once per connection, before the baseline (e.g. SET
	// hotdata.freshness).
	Session []string
	// Engine, when set, restarts the engine behind the target when a
	// statement finds it dead, so that one fatal engine error does not
	// decide every later statement.
	Engine Restarter
}

// Restarter restarts an engine that a fatal error invalidated (DuckDB
// refuses every statement after one, until it is reopened). Several
// runners share one: Restart reopens the engine only when nobody has
// since the caller read Generation.
type Restarter interface {
	Generation() int
	Restart(ctx context.Context, seen int, why string) error
}

// EngineDead is what DuckDB says to every statement after a fatal
// error.
const EngineDead = "database has been invalidated because of a previous fatal error"

// Answer is one statement's outcome on one target, in both formats.
type Answer struct {
	Text, Binary Outcome
	// SetupErr is the first error of the session setup of the statement's
	// block, when it failed on this target.
	SetupErr string
	// Restarted: the statement found the engine dead and ran again on a
	// restarted one (the answer is the second run's).
	Restarted bool
}

func (a Answer) engineDead() bool {
	for _, o := range []Outcome{a.Text, a.Binary} {
		if o.Err != nil && strings.Contains(o.Err.Message, EngineDead) {
			return true
		}
	}
	return false
}

// Runner runs areas on one target over one connection, reconnecting
// when a statement loses it.
type Runner struct {
	T      Target
	Binary bool // run the binary pass too
	conn   *pgconn.PgConn
	prev   string // the ID of the statement run before
}

// Close closes the connection.
func (r *Runner) Close() {
	if r.conn != nil {
		_ = r.conn.Close(context.Background())
		r.conn = nil
	}
}

func (r *Runner) connect(ctx context.Context) error {
	if r.conn != nil && !r.conn.IsClosed() {
		return nil
	}
	r.Close()
	c, err := r.T.Connect(ctx)
	if err != nil {
		return fmt.Errorf("connect to %s: %w", r.T.Name, err)
	}
	r.conn = c
	for _, s := range r.T.Session {
		if o := Run(ctx, c, s, Text); o.Err != nil || o.Failure != "" {
			return fmt.Errorf("%s: %s: %s", r.T.Name, s, outcomeErr(o))
		}
	}
	return nil
}

func outcomeErr(o Outcome) string {
	if o.Err != nil {
		return o.Err.Code + " " + o.Err.Message
	}
	return o.Failure
}

// setup applies the baseline and a block's setup, returning the first
// error.
func (r *Runner) setup(ctx context.Context, stmts []string) string {
	first := ""
	for _, s := range append(append([]string(nil), Baseline...), stmts...) {
		o := Run(ctx, r.conn, s, Text)
		if (o.Err != nil || o.Failure != "") && first == "" {
			first = s + ": " + outcomeErr(o)
		}
	}
	return first
}

// RunArea runs every statement of a, returning the answers in the order
// of a.Entries(). An error means the target could not be reached at all.
func (r *Runner) RunArea(ctx context.Context, a Area) ([]Answer, error) {
	var out []Answer
	for _, b := range a.Blocks {
		if err := r.connect(ctx); err != nil {
			return nil, err
		}
		setupErr := r.setup(ctx, b.Setup)
		for _, e := range b.Entries {
			gen := 0
			if r.T.Engine != nil {
				gen = r.T.Engine.Generation()
			}
			ans := r.runOne(ctx, e, setupErr)
			if r.T.Engine != nil && ans.engineDead() {
				why := fmt.Sprintf("dead at %s (the statement before it on that connection: %s)", e.ID(), r.prev)
				if err := r.T.Engine.Restart(ctx, gen, why); err != nil {
					return nil, err
				}
				// A new session on the new engine.
				r.Close()
				if err := r.connect(ctx); err != nil {
					return nil, err
				}
				setupErr = r.setup(ctx, b.Setup)
				ans = r.runOne(ctx, e, setupErr)
				ans.Restarted = true
			}
			out = append(out, ans)
			r.prev = e.ID()
			if r.conn.IsClosed() {
				// A timeout or a crash: the next statement gets a new
				// connection with the block's setup again.
				if err := r.connect(ctx); err != nil {
					return nil, err
				}
				setupErr = r.setup(ctx, b.Setup)
			}
		}
	}
	return out, nil
}

func (r *Runner) runOne(ctx context.Context, e Entry, setupErr string) Answer {
	ans := Answer{SetupErr: setupErr}
	ans.Text = Run(ctx, r.conn, e.SQL, Text)
	if r.Binary {
		if r.conn.IsClosed() {
			ans.Binary.Failure = "not run: the text pass lost the connection"
		} else {
			ans.Binary = Run(ctx, r.conn, e.SQL, Binary)
		}
	}
	return ans
}

package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Pushdown: running a client's query on the upstream itself ("live"
// freshness), passing rows through in the wire formats the client asked
// for. Statements are prepared once per pooled connection under a name
// derived from their text and parameter types, so repeated executions
// skip the upstream's parse and plan.

// prepared tracks, per pooled connection, the statements prepared on it.
type prepared struct {
	mu    sync.Mutex
	names map[*pgconn.PgConn]*connStatements
	// settings are the session settings last applied on a connection
	// (Upstream.Apply), as one string.
	settings map[*pgconn.PgConn]string
	// descs are statement descriptions by statement name (at most
	// maxDescriptions; past it they are forgotten and asked again).
	descs  sync.Map // statement name -> *pgconn.StatementDescription
	ndescs atomic.Int64
	// refused holds statements the upstream would not prepare (they run
	// unprepared instead), at most maxDescriptions of them.
	refused  sync.Map
	nrefused atomic.Int64
}

// maxPrepared bounds the statements prepared on one upstream connection:
// past it the least recently used is deallocated, so that distinct
// statement texts cannot grow an upstream backend's memory without end.
const maxPrepared = 64

// maxDescriptions bounds the descriptions (and refusals) kept per
// connector.
const maxDescriptions = 4096

// connStatements are one connection's prepared statements, least
// recently used first.
type connStatements struct {
	order []string
	set   map[string]bool
}

func (p *prepared) forget(c *pgconn.PgConn) {
	p.mu.Lock()
	delete(p.names, c)
	delete(p.settings, c)
	p.mu.Unlock()
}

// has reports whether name is prepared on c, marking it recently used.
func (p *prepared) has(c *pgconn.PgConn, name string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	cs := p.names[c]
	if cs == nil || !cs.set[name] {
		return false
	}
	for i, n := range cs.order {
		if n == name {
			copy(cs.order[i:], cs.order[i+1:])
			cs.order[len(cs.order)-1] = name
			break
		}
	}
	return true
}

// add records name as prepared on c and returns the statements to
// deallocate to stay within maxPrepared.
func (p *prepared) add(c *pgconn.PgConn, name string) (evict []string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	cs := p.names[c]
	if cs == nil {
		cs = &connStatements{set: map[string]bool{}}
		p.names[c] = cs
	}
	if cs.set[name] {
		return nil
	}
	cs.set[name] = true
	cs.order = append(cs.order, name)
	for len(cs.order) > maxPrepared {
		evict = append(evict, cs.order[0])
		delete(cs.set, cs.order[0])
		cs.order = cs.order[1:]
	}
	return evict
}

// count is how many statements are prepared on c.
func (p *prepared) count(c *pgconn.PgConn) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	if cs := p.names[c]; cs != nil {
		return len(cs.order)
	}
	return 0
}

// storeDesc keeps a description, forgetting them all past the bound.
func (p *prepared) storeDesc(name string, d *pgconn.StatementDescription) {
	if p.ndescs.Add(1) > maxDescriptions {
		p.descs.Clear()
		p.ndescs.Store(1)
	}
	p.descs.Store(name, d)
}

// statementName names a statement by its text and parameter types.
func statementName(sql string, oids []uint32) string {
	h := sha256.New()
	h.Write([]byte(sql))
	var b [4]byte
	for _, o := range oids {
		binary.BigEndian.PutUint32(b[:], o)
		h.Write(b[:])
	}
	return "hd_" + hex.EncodeToString(h.Sum(nil)[:12])
}

// Upstream is a pooled connection lent for one pushed-down statement.
type Upstream struct {
	c    *Connector
	conn *pgxpool.Conn
}

// acquireTimeout bounds the wait for a free live connection.
const acquireTimeout = 10 * time.Second

// ErrBusy is returned when every live connection stays in use past
// acquireTimeout.
var ErrBusy = errors.New("every live connection to the upstream is in use")

// Acquire lends a live connection (see liveParams); Release returns it.
// It waits at most acquireTimeout for one.
func (c *Connector) Acquire(ctx context.Context) (*Upstream, error) {
	actx, cancel := context.WithTimeout(ctx, acquireTimeout)
	defer cancel()
	conn, err := c.livePool.Acquire(actx)
	if err != nil {
		if ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded) {
			return nil, fmt.Errorf("upstream %s: %w (%d connections, busy for %s)", c.cfg.Host, ErrBusy, c.livePool.Config().MaxConns, acquireTimeout)
		}
		return nil, fmt.Errorf("upstream %s: %w", c.cfg.Host, err)
	}
	return &Upstream{c: c, conn: conn}, nil
}

// Abort stops the statement running on the connection without reading
// the rest of its result: the upstream is asked to cancel it and the
// connection is closed (Release then drops it from the pool).
func (u *Upstream) Abort() {
	if u.conn == nil {
		return
	}
	pc := u.conn.Conn().PgConn()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = pc.CancelRequest(ctx)
	u.c.prep.forget(pc)
	_ = pc.Close(ctx)
}

// Hold counts a live statement left open between client requests (an
// SQL cursor, a suspended portal): false when half of the live
// connections are held so already, so that the other half stays free
// for everyone else's statements. Unhold releases it.
func (c *Connector) Hold() bool {
	limit := max(1, c.livePool.Config().MaxConns/2)
	for {
		n := c.held.Load()
		if n >= limit {
			return false
		}
		if c.held.CompareAndSwap(n, n+1) {
			return true
		}
	}
}

// Unhold ends a Hold.
func (c *Connector) Unhold() { c.held.Add(-1) }

// Release returns the connection to the pool. A connection left busy
// (a result not read to its end) is closed instead.
func (u *Upstream) Release() {
	if u.conn == nil {
		return
	}
	if u.conn.Conn().PgConn().IsBusy() {
		u.c.prep.forget(u.conn.Conn().PgConn())
		_ = u.conn.Conn().PgConn().Close(context.Background())
	}
	u.conn.Release()
	u.conn = nil
}

// Apply makes the connection's session settings the client's (TimeZone,
// DateStyle, …: they change how the upstream reads and prints values),
// as name/value pairs in order; a connection already set so is left
// alone.
func (u *Upstream) Apply(ctx context.Context, settings [][2]string) error {
	var key strings.Builder
	var sql strings.Builder
	for _, kv := range settings {
		key.WriteString(kv[0] + "=" + kv[1] + "\x00")
		sql.WriteString("SET " + kv[0] + " = " + quoteLiteral(kv[1]) + "; ")
	}
	pc := u.conn.Conn().PgConn()
	p := u.c.prep
	p.mu.Lock()
	same := p.settings[pc] == key.String()
	p.mu.Unlock()
	if same || len(settings) == 0 {
		return nil
	}
	if _, err := pc.Exec(ctx, sql.String()).ReadAll(); err != nil {
		return err
	}
	p.mu.Lock()
	if p.settings == nil {
		p.settings = map[*pgconn.PgConn]string{}
	}
	p.settings[pc] = key.String()
	p.mu.Unlock()
	return nil
}

// quoteLiteral quotes a SET value as a string literal.
func quoteLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// Busy reports whether the connection is in the middle of a result.
func (u *Upstream) Busy() bool { return u.conn.Conn().PgConn().IsBusy() }

// Describe returns a statement's parameter and result descriptions,
// preparing it on this connection if needed. Descriptions are cached by
// statement, so only the first call per statement reaches the upstream
// when the connection has it already.
func (u *Upstream) Describe(ctx context.Context, sql string, oids []uint32) (*pgconn.StatementDescription, error) {
	name, onConn := statementName(sql, oids), u.connName(sql, oids)
	pc := u.conn.Conn().PgConn()
	if u.c.prep.has(pc, onConn) {
		if d, ok := u.c.prep.descs.Load(name); ok {
			return d.(*pgconn.StatementDescription), nil
		}
	}
	desc, err := pc.Prepare(ctx, onConn, sql, oids)
	if err != nil {
		return nil, err
	}
	for _, old := range u.c.prep.add(pc, onConn) {
		if err := pc.Deallocate(ctx, old); err != nil {
			return nil, err
		}
	}
	u.c.prep.storeDesc(name, desc)
	return desc, nil
}

// connName names a statement as prepared on this connection under the
// settings applied to it: PostgreSQL reads a prepared statement's
// constants ('2024-03-10'::timestamptz) under the TimeZone and
// DateStyle of the moment it prepares it, so a statement prepared under
// other settings must not serve this one.
func (u *Upstream) connName(sql string, oids []uint32) string {
	pc := u.conn.Conn().PgConn()
	u.c.prep.mu.Lock()
	settings := u.c.prep.settings[pc]
	u.c.prep.mu.Unlock()
	return statementName(settings+"\x00"+sql, oids)
}

// CachedDescription returns a statement's description when some
// connection prepared it before, without touching the upstream.
func (c *Connector) CachedDescription(sql string, oids []uint32) *pgconn.StatementDescription {
	if d, ok := c.prep.descs.Load(statementName(sql, oids)); ok {
		return d.(*pgconn.StatementDescription)
	}
	return nil
}

// ExecPrepared runs a statement with parameters in the given formats
// and returns its rows in resultFormats, preparing it first if this
// connection has not.
func (u *Upstream) ExecPrepared(ctx context.Context, sql string, oids []uint32, params [][]byte, paramFormats, resultFormats []int16) (*pgconn.ResultReader, error) {
	if _, err := u.Describe(ctx, sql, oids); err != nil {
		return nil, err
	}
	return u.conn.Conn().PgConn().ExecPrepared(ctx, u.connName(sql, oids), params, paramFormats, resultFormats), nil
}

// Refused reports whether the upstream refused to prepare sql before.
func (c *Connector) Refused(sql string) bool {
	_, ok := c.prep.refused.Load(sql)
	return ok
}

// Refuse remembers that sql cannot be prepared.
func (c *Connector) Refuse(sql string) {
	if c.prep.nrefused.Add(1) > maxDescriptions {
		c.prep.refused.Clear()
		c.prep.nrefused.Store(1)
	}
	c.prep.refused.Store(sql, true)
}

// Exec runs one statement unprepared, with text results. It uses the
// extended protocol, which takes a single statement: text that would
// hold several is an error, never several statements.
func (u *Upstream) Exec(ctx context.Context, sql string) *pgconn.ResultReader {
	return u.conn.Conn().PgConn().ExecParams(ctx, sql, nil, nil, nil, nil)
}

// PreparedCount is how many statements this connection has prepared.
func (u *Upstream) PreparedCount() int { return u.c.prep.count(u.conn.Conn().PgConn()) }

// poolHooks keeps the prepared-statement bookkeeping in step with the pool.
func (c *Connector) poolHooks(pc *pgxpool.Config) {
	pc.BeforeClose = func(conn *pgx.Conn) { c.prep.forget(conn.PgConn()) }
}

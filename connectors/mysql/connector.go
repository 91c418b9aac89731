package mysql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-sql-driver/mysql"

	"github.com/hotdata-dev/hotdata/connectors"
)

// Connector reads the databases of one MySQL or MariaDB server.
type Connector struct {
	cfg Config
	// password is kept for the binlog stream's replica connection.
	password string
	db       *sql.DB
	conns    *connTracker
	// killer sends KILL QUERY for interrupted scans, on a connection of
	// its own so that a full pool cannot hold it up.
	killer *sql.DB
	// kills are the KILL QUERY calls in flight. Close lets them finish
	// (each is bounded by killTimeout): a cancelled kill would leave the
	// server working. mu orders starting one against Close.
	mu     sync.Mutex
	closed bool
	kills  sync.WaitGroup
}

var _ connectors.Connector = (*Connector)(nil)

// Open returns a connector; it does not contact the server until used.
func Open(ctx context.Context, c Config, password string) (*Connector, error) {
	if c.Port == 0 {
		c.Port = 3306
	}
	if c.TLS == "" {
		c.TLS = "preferred"
	}
	if c.PoolSize == 0 {
		c.PoolSize = 16
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	conns := newConnTracker(c.Dial)
	conns.guardKeys = !c.AllowPublicKeyRetrieval
	dc := c.driverConfig(password)
	dc.DialFunc = conns.dial
	drv, err := mysql.NewConnector(dc)
	if err != nil {
		return nil, connectors.InvalidConfig("mysql config: %v", err)
	}
	db := sql.OpenDB(drv)
	db.SetMaxOpenConns(c.PoolSize)
	db.SetMaxIdleConns(min(c.PoolSize, 4))
	db.SetConnMaxIdleTime(5 * time.Minute)
	// Servers drop idle sessions after wait_timeout (8 hours by default);
	// recycling well before that avoids handing out dead connections.
	db.SetConnMaxLifetime(time.Hour)
	killer := sql.OpenDB(drv)
	killer.SetMaxOpenConns(1)
	killer.SetMaxIdleConns(0) // kills are rare: keep no session open for them
	return &Connector{cfg: c, password: password, db: db, conns: conns, killer: killer}, nil
}

// testTimeout bounds Test when the caller's context has no deadline, so
// that a server that accepts connections but never answers fails the test.
const testTimeout = 15 * time.Second

// Test pings the server (connecting and logging in when the pool has no
// open connection).
func (c *Connector) Test(ctx context.Context) error {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, testTimeout)
		defer cancel()
	}
	if err := c.connect(ctx); err != nil {
		return err
	}
	if err := c.db.PingContext(ctx); err != nil {
		return fmt.Errorf("mysql %s: %w", c.cfg.Host, err)
	}
	return nil
}

// connect makes sure the pool can connect (or holds a connection),
// within connectors.ConnectTimeout: a server that accepts connections
// but never completes the handshake fails here with a timeout, rather
// than with the driver's "invalid connection" when the caller gives up.
func (c *Connector) connect(ctx context.Context) error {
	cctx, cancel := context.WithTimeout(ctx, connectors.ConnectTimeout)
	defer cancel()
	conn, err := c.db.Conn(cctx)
	if err == nil {
		return conn.Close() // back to the pool, for what comes next
	}
	if ctx.Err() != nil {
		return err // the caller gave up
	}
	reason, ok := connectors.NetworkReason(err)
	var me *mysql.MySQLError
	answered := false
	switch {
	case cctx.Err() != nil:
		reason, _ = connectors.NetworkReason(context.DeadlineExceeded)
	case errors.As(err, &me) && (me.Number == 1045 || me.Number == 1698):
		reason, answered = fmt.Sprintf("access denied for user %q: %s", c.cfg.User, me.Message), true
	case errors.As(err, &me):
		reason, answered = "the server refused the connection: "+me.Message, true
	case errors.Is(err, mysql.ErrCleartextPassword):
		reason, answered = "the server asked for the password in clear text: refused (set tls required and allow_cleartext_password)", true
	case c.conns.keyRefused.Load() && (errors.Is(err, mysql.ErrInvalidConn) || errors.Is(err, errKeyRetrieval)):
		reason, answered = "the server sent a public key to encrypt the password with over a connection without TLS (caching_sha2_password or sha256_password), which anyone between could have replaced: refused (set tls required, or allow_public_key_retrieval)", true
	case errors.Is(err, mysql.ErrInvalidConn):
		reason = "the server closed the connection during the handshake"
	case !ok:
		reason = err.Error()
	}
	return &connectors.ConnectError{Addr: net.JoinHostPort(c.cfg.Host, strconv.Itoa(c.cfg.Port)), Reason: reason, Err: err, Answered: answered}
}

// Close closes the pool.
func (c *Connector) Close() error {
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
	c.kills.Wait()
	c.killer.Close()
	return c.db.Close()
}

// killTimeout bounds one KILL QUERY, connecting included.
const killTimeout = 5 * time.Second

// killQuery asks the server, in the background, to stop the statement
// running on connection id. Closing a scan's socket stops the client at
// once, but the server only notices when it next writes, which a query
// that computes before sending its first rows (a sort, an aggregate, a
// filter that matches little) may not do for a long time.
func (c *Connector) killQuery(id uint32) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return
	}
	c.kills.Add(1)
	go func() {
		defer c.kills.Done()
		ctx, cancel := context.WithTimeout(context.Background(), killTimeout)
		defer cancel()
		// Best effort: the statement may be over ("Unknown thread id"),
		// and then there is nothing to stop.
		_, _ = c.killer.ExecContext(ctx, "KILL QUERY "+strconv.FormatUint(uint64(id), 10))
	}()
}

// querier is what reading the catalog needs: a pool or one connection.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// isMariaDB tells MariaDB from MySQL: they differ in how JSON columns
// show in information_schema.
func isMariaDB(ctx context.Context, q querier) (bool, error) {
	var v string
	if err := q.QueryRowContext(ctx, "SELECT VERSION()").Scan(&v); err != nil {
		return false, err
	}
	return mariaDBVersion(v), nil
}

// mariaDBVersion reports whether VERSION() names MariaDB
// ("10.11.6-MariaDB-0+deb12u1"); MySQL's is a bare number ("8.4.3").
func mariaDBVersion(v string) bool {
	return strings.Contains(strings.ToLower(v), "mariadb")
}

// quoteIdent quotes a MySQL identifier with backticks.
func quoteIdent(s string) string {
	return "`" + strings.ReplaceAll(s, "`", "``") + "`"
}

// placeholders returns "?, ?, ..." for n values.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

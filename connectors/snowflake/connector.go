package snowflake

import (
	"context"
	"crypto/tls"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	sf "github.com/snowflakedb/gosnowflake"

	"github.com/hotdata-dev/hotdata/connectors"
)

// Connector reads the schemas of one Snowflake database.
type Connector struct {
	cfg       Config
	db        *sql.DB
	transport *http.Transport

	// mu guards the dialect, learnt from the server once.
	mu      sync.Mutex
	dialect *dialect
}

var _ connectors.Connector = (*Connector)(nil)

// driverSetup quiets the driver and turns off what would reach the
// network around env.Dial, once per process: gosnowflake logs through a
// global logger (errors with statement text, in its own format), and
// probes cloud metadata endpoints (169.254.169.254 and others) with its
// own HTTP client to describe the platform at login unless
// SNOWFLAKE_DISABLE_PLATFORM_DETECTION is true (the connector sets it:
// no connection may go around the egress policy).
var driverSetup sync.Once

// Open returns a connector; it does not contact the server until used.
// secret is the password, or for snowflake_jwt the PEM private key.
func Open(ctx context.Context, c Config, secret string) (*Connector, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	dc, err := c.driverConfig(secret)
	if err != nil {
		return nil, err
	}
	driverSetup.Do(func() {
		// Entries made WithContext skip the level's off switch: drop
		// their output too.
		_ = sf.GetLogger().SetLogLevel("OFF")
		sf.GetLogger().SetOutput(io.Discard)
		_ = os.Setenv("SNOWFLAKE_DISABLE_PLATFORM_DETECTION", "true")
	})
	t := newTransport(c.Dial, c.PoolSize)
	dc.Transporter = &attemptTransport{base: t}
	db := sql.OpenDB(&loginConnector{inner: sf.NewConnector(sf.SnowflakeDriver{}, dc), addr: c.Endpoint(), user: c.User})
	db.SetMaxOpenConns(c.PoolSize)
	db.SetMaxIdleConns(min(c.PoolSize, 4))
	// Snowflake ends a session idle for 4 hours; its token lasts an hour
	// and the driver renews it, but a fresh session costs one login.
	db.SetConnMaxIdleTime(5 * time.Minute)
	db.SetConnMaxLifetime(time.Hour)
	return &Connector{cfg: c, db: db, transport: t}, nil
}

// driverConfig is the gosnowflake configuration (without its transport).
// Its session parameters ask for Arrow results, and fix the text forms
// of values read as text (AsText, and every value of a JSON result):
// full fractional seconds, UTC, binaries in hex, geospatial values as
// WKT.
func (c Config) driverConfig(secret string) (sf.Config, error) {
	param := func(v string) *string { return &v }
	dc := sf.Config{
		Account:   c.loginAccount(),
		User:      c.User,
		Database:  c.Database,
		Warehouse: c.Warehouse,
		Role:      c.Role,
		Host:      c.host(),
		Port:      c.Port,
		Protocol:  c.Protocol,
		// A missing database, warehouse or role fails the login rather
		// than the first query.
		ValidateDefaultParameters: sf.ConfigBoolTrue,
		LoginTimeout:              connectors.ConnectTimeout,
		DisableTelemetry:          true,
		Application:               "Hotdata",
		Params: map[string]*string{
			"TIMEZONE": param("UTC"),
			// Literals in filters and live queries are ISO: read them
			// so whatever an account or user set.
			"DATE_INPUT_FORMAT":            param("AUTO"),
			"TIMESTAMP_INPUT_FORMAT":       param("AUTO"),
			"DATE_OUTPUT_FORMAT":           param("YYYY-MM-DD"),
			"TIME_OUTPUT_FORMAT":           param("HH24:MI:SS.FF9"),
			"TIMESTAMP_NTZ_OUTPUT_FORMAT":  param("YYYY-MM-DD HH24:MI:SS.FF9"),
			"TIMESTAMP_LTZ_OUTPUT_FORMAT":  param("YYYY-MM-DD HH24:MI:SS.FF9 TZH:TZM"),
			"TIMESTAMP_TZ_OUTPUT_FORMAT":   param("YYYY-MM-DD HH24:MI:SS.FF9 TZH:TZM"),
			"BINARY_OUTPUT_FORMAT":         param("HEX"),
			"GEOGRAPHY_OUTPUT_FORMAT":      param("WKT"),
			"GEOMETRY_OUTPUT_FORMAT":       param("WKT"),
			"STATEMENT_TIMEOUT_IN_SECONDS": param(strconv.Itoa(int(c.queryTimeout / time.Second))),
			// Arrow even for a user or account set to JSON: the JSON
			// path (text, see decode.go) is the emulator's.
			"GO_QUERY_RESULT_FORMAT": param("ARROW"),
		},
	}
	switch c.Authenticator {
	case authKeyPair:
		key, err := parsePrivateKey(secret)
		if err != nil {
			return sf.Config{}, err
		}
		dc.Authenticator = sf.AuthTypeJwt
		dc.PrivateKey = key
	default:
		if secret == "" {
			return sf.Config{}, connectors.InvalidConfig("snowflake config: a password is required (the connection's secret)")
		}
		dc.Authenticator = sf.AuthTypeSnowflake
		dc.Password = secret
	}
	return dc, nil
}

// newTransport is the HTTP transport of every request the driver makes
// (logins, queries, result chunks from the account's stage), dialling
// through dial. It uses no proxy from the environment, and verifies TLS
// certificates without the driver's OCSP checks, which would reach
// certificate authorities around dial.
func newTransport(dial connectors.DialFunc, poolSize int) *http.Transport {
	if dial == nil {
		d := &net.Dialer{KeepAlive: 30 * time.Second}
		dial = d.DialContext
	}
	return &http.Transport{
		DialContext:         dial,
		TLSClientConfig:     &tls.Config{MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout: connectors.ConnectTimeout,
		MaxIdleConns:        2 * poolSize,
		MaxIdleConnsPerHost: poolSize,
		IdleConnTimeout:     90 * time.Second,
	}
}

// attempt is one login in progress (loginConnector.Connect): the first
// network error its requests met, which ends it at once rather than
// after the driver's retries, and is the reason it failed.
type attempt struct {
	mu     sync.Mutex
	err    error
	cancel context.CancelFunc
}

type attemptKey struct{}

// attemptTransport notes the network errors of login attempts.
type attemptTransport struct{ base http.RoundTripper }

func (t *attemptTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	res, err := t.base.RoundTrip(req)
	if err != nil {
		if a, ok := req.Context().Value(attemptKey{}).(*attempt); ok {
			a.mu.Lock()
			if a.err == nil {
				a.err = err
			}
			a.mu.Unlock()
			a.cancel()
		}
	}
	return res, err
}

func (a *attempt) netErr() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.err
}

// loginConnector makes the pool's sessions: each login is bounded by
// connectors.ConnectTimeout, and a failed one is a
// *connectors.ConnectError that says why.
type loginConnector struct {
	inner driver.Connector
	addr  string
	user  string
}

func (l *loginConnector) Driver() driver.Driver { return l.inner.Driver() }

func (l *loginConnector) Connect(ctx context.Context) (driver.Conn, error) {
	cctx, cancel := context.WithTimeout(ctx, connectors.ConnectTimeout)
	defer cancel()
	a := &attempt{cancel: cancel}
	conn, err := l.inner.Connect(context.WithValue(cctx, attemptKey{}, a))
	if err == nil {
		return conn, nil
	}
	if ctx.Err() != nil {
		return nil, ctx.Err() // the caller gave up
	}
	return nil, l.connectError(err, a.netErr(), cctx.Err() == context.DeadlineExceeded)
}

// connectError says why a login failed. Only Snowflake's own refusals
// (its login error codes, 390xxx) are Answered.
func (l *loginConnector) connectError(err, netErr error, timedOut bool) error {
	var se *sf.SnowflakeError
	var syntax *json.SyntaxError
	answered := false
	var reason string
	switch {
	case netErr != nil:
		var ok bool
		if reason, ok = connectors.NetworkReason(netErr); !ok {
			// Another protocol's server, an answer before the request…
			reason = "the connection failed: " + netErr.Error()
		}
	case timedOut:
		reason, _ = connectors.NetworkReason(context.DeadlineExceeded)
	case errors.As(err, &se) && se.Number >= 390000 && se.Number < 400000:
		reason, answered = fmt.Sprintf("login as %q refused: %s (%d)", l.user, se.Message, se.Number), true
	case errors.As(err, &se) && (se.Number == sf.ErrFailedToAuth || se.Number == sf.ErrCodeFailedToConnect || se.Number == sf.ErrCodeServiceUnavailable):
		status := "an error"
		if len(se.MessageArgs) > 0 {
			status = fmt.Sprintf("HTTP %v", se.MessageArgs[0])
		}
		reason = fmt.Sprintf("the server answered %s to the login, not as Snowflake does (is this the account's host, and the account right?)", status)
	case errors.As(err, &syntax):
		reason = "the server's answer to the login is not Snowflake's"
	default:
		reason = err.Error()
	}
	return &connectors.ConnectError{Addr: l.addr, Reason: reason, Err: err, Answered: answered}
}

// testTimeout bounds Test when the caller's context has no deadline.
const testTimeout = 30 * time.Second

// Test logs in (when the pool holds no session) and runs SELECT 1.
func (c *Connector) Test(ctx context.Context) error {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, testTimeout)
		defer cancel()
	}
	conn, err := c.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	var one sql.NullString
	if err := conn.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("snowflake %s: %w", c.cfg.host(), err)
	}
	if _, err := c.dialectOf(ctx, conn); err != nil {
		return fmt.Errorf("snowflake %s: %w", c.cfg.host(), err)
	}
	return nil
}

// Close closes the sessions.
func (c *Connector) Close() error {
	err := c.db.Close()
	c.transport.CloseIdleConnections()
	return err
}

// dialectOf learns, once, how the server speaks: whether it sends Arrow
// results, and whether it is Snowflake or the emulator's DuckDB (a
// backslash in a string literal escapes the next character in
// Snowflake only: LENGTH('\\') is 1 there, 2 in DuckDB).
func (c *Connector) dialectOf(ctx context.Context, conn *sql.Conn) (dialect, error) {
	c.mu.Lock()
	if c.dialect != nil {
		d := *c.dialect
		c.mu.Unlock()
		return d, nil
	}
	c.mu.Unlock()
	var n sql.NullString
	if err := conn.QueryRowContext(ctx, `SELECT LENGTH('\\')`).Scan(&n); err != nil {
		return dialect{}, err
	}
	d := dialect{duckdb: n.String == "2"}
	err := conn.Raw(func(dc any) error {
		q, ok := dc.(driver.QueryerContext)
		if !ok {
			return errors.New("the driver's connection cannot run queries")
		}
		rows, err := q.QueryContext(sf.WithArrowBatches(ctx), "SELECT 1", nil)
		if err != nil {
			return err
		}
		defer rows.Close()
		sr, ok := rows.(sf.SnowflakeRows)
		if !ok {
			return errors.New("the driver's rows are not Snowflake's")
		}
		_, err = sr.GetArrowBatches()
		if isNonArrow(err) {
			return nil
		}
		d.arrow = err == nil
		return err
	})
	if err != nil {
		return dialect{}, err
	}
	c.mu.Lock()
	c.dialect = &d
	c.mu.Unlock()
	return d, nil
}

// isNonArrow: the server sent a JSON result where Arrow batches were
// asked for.
func isNonArrow(err error) bool {
	var se *sf.SnowflakeError
	return errors.As(err, &se) && se.Number == sf.ErrNonArrowResponseInArrowBatches
}

// session is a connection of the pool with the server's dialect.
func (c *Connector) session(ctx context.Context) (*sql.Conn, dialect, error) {
	conn, err := c.db.Conn(ctx)
	if err != nil {
		return nil, dialect{}, err
	}
	d, err := c.dialectOf(ctx, conn)
	if err != nil {
		conn.Close()
		return nil, dialect{}, err
	}
	return conn, d, nil
}

// quoteIdent quotes an identifier: exactly as written, case included.
func quoteIdent(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// quoteString renders s as a string literal. Snowflake reads a
// backslash in a quoted literal as an escape, so it is doubled along
// with the quote. For DuckDB (the emulator) the literal is dollar-quoted:
// the emulator rewrites the statements its MySQL parser understands,
// and mangles quotes and backslashes in their literals while doing so (a
// doubled quote reaches DuckDB escaped with a backslash, which DuckDB
// does not read); a $$…$$ literal, which DuckDB reads verbatim, keeps
// that parser off the statement. A "$" is spelled apart, as it could
// close or open a dollar quote.
func quoteString(s string, d dialect) (string, error) {
	if strings.IndexByte(s, 0) >= 0 {
		return "", errors.New("a string with a NUL character cannot be written as a literal")
	}
	if !d.duckdb {
		s = strings.ReplaceAll(s, `\`, `\\`)
		return "'" + strings.ReplaceAll(s, "'", "''") + "'", nil
	}
	if s == "" {
		return "''", nil
	}
	parts := strings.Split(s, "$")
	var out []string
	for i, p := range parts {
		if i > 0 {
			out = append(out, "'$'")
		}
		if p != "" {
			out = append(out, "$$"+p+"$$")
		}
	}
	if len(out) == 1 {
		return out[0], nil
	}
	return "(" + strings.Join(out, " || ") + ")", nil
}

package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hotdata-dev/hotdata/connectors"
)

// Config is a PostgreSQL connection's configuration.
type Config struct {
	Host     string `json:"host"`
	Port     int    `json:"port,omitempty"`
	User     string `json:"user"`
	Database string `json:"database"`
	// SSLMode is libpq's sslmode: disable, prefer (default), require,
	// verify-ca or verify-full.
	SSLMode string `json:"sslmode,omitempty"`
	// Schemas limits discovery to these schemas; empty means all.
	Schemas []string `json:"schemas,omitempty"`
	// PoolSize caps the connections Hotdata opens to this server (default
	// 16): half for live queries, the rest for syncs and discovery.
	PoolSize int `json:"pool_size,omitempty"`
	// LiveStatementTimeout bounds each live statement on the upstream
	// (PostgreSQL's statement_timeout; default 15min, 0 for none).
	LiveStatementTimeout string `json:"live_statement_timeout,omitempty"`
	// LiveTempFileLimit bounds the temporary files one live statement
	// may write on the upstream (temp_file_limit; default 256MB, -1 for
	// none). Setting it needs a superuser, or the role's own setting
	// (ALTER ROLE … SET temp_file_limit): without either it is not set.
	LiveTempFileLimit string `json:"live_temp_file_limit,omitempty"`
	// AllowCleartextPassword lets Hotdata answer a server that asks for
	// the password in clear text (AuthenticationCleartextPassword) over
	// a connection that may lack TLS (sslmode disable, allow or prefer).
	// Off, such a request fails the login before the password is sent:
	// anyone on the path, or a server that is not the one meant, would
	// read it.
	AllowCleartextPassword bool `json:"allow_cleartext_password,omitempty"`
	// RequireAuth is libpq's require_auth: the authentication methods
	// the server may ask for ("scram-sha-256" refuses md5 and the rest;
	// "!md5" refuses md5). Without TLS and allow_cleartext_password,
	// "password" is refused whatever it says.
	RequireAuth string `json:"require_auth,omitempty"`

	// Dial makes the connections (nil: pgconn's own dialer).
	Dial connectors.DialFunc `json:"-"`
}

// tlsAlways reports whether sslmode never falls back to a plain connection.
func (c Config) tlsAlways() bool {
	return c.SSLMode == "require" || c.SSLMode == "verify-ca" || c.SSLMode == "verify-full"
}

// Endpoint is host:port, the host in lower case.
func (c Config) Endpoint() string {
	return net.JoinHostPort(strings.ToLower(c.Host), strconv.Itoa(c.Port))
}

var (
	durationSetting = regexp.MustCompile(`^[0-9]+ ?(us|ms|s|min|h|d)?$`)
	sizeSetting     = regexp.MustCompile(`^(-1|[0-9]+ ?(kB|MB|GB|TB)?)$`)
)

var sslModes = map[string]bool{"disable": true, "allow": true, "prefer": true, "require": true, "verify-ca": true, "verify-full": true}

// ParseConfig decodes and validates a config object.
func ParseConfig(raw json.RawMessage) (Config, error) {
	var c Config
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if len(raw) == 0 {
		return c, connectors.InvalidConfig("config is required: {\"host\", \"port\", \"user\", \"database\"}")
	}
	if err := dec.Decode(&c); err != nil {
		return c, connectors.InvalidConfig("postgres config: %v", err)
	}
	if c.Port == 0 {
		c.Port = 5432
	}
	if c.SSLMode == "" {
		c.SSLMode = "prefer"
	}
	if c.PoolSize == 0 {
		c.PoolSize = 16
	}
	c.setLiveDefaults()
	if !durationSetting.MatchString(c.LiveStatementTimeout) {
		return c, connectors.InvalidConfig("postgres config: live_statement_timeout %q is not a duration such as 15min or 30s", c.LiveStatementTimeout)
	}
	if !sizeSetting.MatchString(c.LiveTempFileLimit) {
		return c, connectors.InvalidConfig("postgres config: live_temp_file_limit %q is not a size such as 256MB, or -1", c.LiveTempFileLimit)
	}
	switch {
	case c.Host == "":
		return c, connectors.InvalidConfig("postgres config: host is required")
	case c.User == "":
		return c, connectors.InvalidConfig("postgres config: user is required")
	case c.Database == "":
		return c, connectors.InvalidConfig("postgres config: database is required")
	case c.Port < 1 || c.Port > 65535:
		return c, connectors.InvalidConfig("postgres config: port %d is out of range", c.Port)
	case c.PoolSize < 1 || c.PoolSize > 1000:
		return c, connectors.InvalidConfig("postgres config: pool_size %d is out of range (1 to 1000)", c.PoolSize)
	case !sslModes[c.SSLMode]:
		return c, connectors.InvalidConfig("postgres config: sslmode %q is not one of disable, allow, prefer, require, verify-ca, verify-full", c.SSLMode)
	}
	if _, err := c.requireAuth(); err != nil {
		return c, err
	}
	return c, nil
}

// requireAuth is the require_auth the connections use: the config's,
// with the cleartext password refused unless TLS is certain or the
// config allows it.
func (c Config) requireAuth() (string, error) {
	ra := strings.TrimSpace(c.RequireAuth)
	if ra != "" {
		if _, err := pgconn.ParseConfig("host=localhost require_auth=" + ra); err != nil {
			return "", connectors.InvalidConfig("postgres config: require_auth %q is not libpq's syntax: a list of password, md5, scram-sha-256, gss, sspi, none, or a list of them each with ! to refuse", c.RequireAuth)
		}
	}
	if c.AllowCleartextPassword || c.tlsAlways() {
		return ra, nil
	}
	switch {
	case ra == "":
		return "!password", nil
	case strings.HasPrefix(ra, "!"):
		for _, m := range strings.Split(ra, ",") {
			if strings.TrimSpace(m) == "!password" {
				return ra, nil
			}
		}
		return ra + ",!password", nil
	}
	for _, m := range strings.Split(ra, ",") {
		if strings.TrimSpace(m) == "password" {
			return "", connectors.InvalidConfig("postgres config: require_auth %q allows the password in clear text, which needs sslmode require (or verify-ca, verify-full) or allow_cleartext_password", c.RequireAuth)
		}
	}
	return ra, nil
}

// URL returns the connection URL with password.
func (c Config) URL(password string) string {
	u := url.URL{
		Scheme: "postgres",
		Host:   net.JoinHostPort(c.Host, strconv.Itoa(c.Port)),
		Path:   "/" + c.Database,
	}
	if password != "" {
		u.User = url.UserPassword(c.User, password)
	} else {
		u.User = url.User(c.User)
	}
	q := url.Values{}
	q.Set("sslmode", c.SSLMode)
	q.Set("application_name", "hotdata")
	q.Set("connect_timeout", strconv.Itoa(int(connectors.ConnectTimeout/time.Second)))
	u.RawQuery = q.Encode()
	return u.String()
}

const configSchema = `{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "required": ["host", "user", "database"],
  "additionalProperties": false,
  "properties": {
    "host": {"type": "string", "description": "Host name or IP address of the server"},
    "port": {"type": "integer", "minimum": 1, "maximum": 65535, "default": 5432},
    "user": {"type": "string"},
    "database": {"type": "string"},
    "password": {"type": "string", "writeOnly": true, "description": "Moved into a secret when the connection is created"},
    "sslmode": {"type": "string", "enum": ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"], "default": "prefer"},
    "schemas": {"type": "array", "items": {"type": "string"}, "description": "Only discover these schemas"},
    "pool_size": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 16, "description": "Most connections Hotdata opens to this server (half of them for live queries)"},
    "live_statement_timeout": {"type": "string", "default": "15min", "description": "statement_timeout of live queries on this server (0: none)"},
    "live_temp_file_limit": {"type": "string", "default": "256MB", "description": "temp_file_limit of live queries on this server (-1: none; set only when the user may set it)"},
    "allow_cleartext_password": {"type": "boolean", "default": false, "description": "Send the password to a server that asks for it in clear text even when sslmode lets the connection go without TLS"},
    "require_auth": {"type": "string", "description": "libpq's require_auth: the authentication methods the server may ask for, e.g. scram-sha-256 (refuses md5), or !md5; the cleartext password is refused without TLS unless allow_cleartext_password"}
  }
}`

// Type registers the connector.
var Type = connectors.Type{
	Name:          "postgres",
	Label:         "PostgreSQL",
	ConfigSchema:  json.RawMessage(configSchema),
	SecretField:   "password",
	DefaultSchema: func(json.RawMessage) string { return "public" },
	Open: func(ctx context.Context, raw json.RawMessage, secret string, env connectors.Env) (connectors.Connector, error) {
		c, err := ParseConfig(raw)
		if err != nil {
			return nil, err
		}
		c.Dial = env.Dial
		return Open(ctx, c, secret)
	},
	Endpoint: func(raw json.RawMessage) (string, error) {
		c, err := ParseConfig(raw)
		if err != nil {
			return "", err
		}
		return c.Endpoint(), nil
	},
	SecretBinding: func(raw json.RawMessage) (string, error) {
		c, err := ParseConfig(raw)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("%s sslmode=%s cleartext=%t require_auth=%s", c.Endpoint(), c.SSLMode, c.AllowCleartextPassword, c.RequireAuth), nil
	},
}

// Open returns a connector; it does not contact the server until used.
func Open(ctx context.Context, c Config, password string) (*Connector, error) {
	pc, err := pgxpool.ParseConfig(c.URL(password))
	if err != nil {
		return nil, connectors.InvalidConfig("postgres config: %v", err)
	}
	if c.PoolSize == 0 {
		c.PoolSize = 16
	}
	c.setLiveDefaults()
	if c.Dial != nil {
		pc.ConnConfig.DialFunc = pgconn.DialFunc(c.Dial)
	}
	// libpq's require_auth: pgconn refuses a method the policy excludes
	// before it writes the password (and fails the login).
	if pc.ConnConfig.RequireAuth, err = c.requireAuth(); err != nil {
		return nil, err
	}
	// Live queries get their own connections (half of the pool): their
	// session settings never reach a sync's, and they are pinned to what
	// a client's statement may do there (liveParams).
	live := max(1, c.PoolSize/2)
	lc := pc.Copy()
	pc.MaxConns = int32(max(1, c.PoolSize-live))
	pc.MaxConnIdleTime = 5 * time.Minute
	lc.MaxConns = int32(live)
	lc.MaxConnIdleTime = time.Minute
	// Syncs (and the change stream, which copies these settings) read
	// text-held values as the same text whatever the upstream role's
	// defaults, and whenever they were read: parts of one snapshot may
	// come from reads days apart, and a stream's changes must match them.
	for k, v := range outputParams {
		pc.ConnConfig.RuntimeParams[k] = v
	}
	for k, v := range liveParams {
		lc.ConnConfig.RuntimeParams[k] = v
	}
	lc.ConnConfig.RuntimeParams["statement_timeout"] = c.LiveStatementTimeout
	// An idle live cursor left in a transaction ends upstream after this.
	lc.ConnConfig.RuntimeParams["idle_in_transaction_session_timeout"] = "10min"
	limit := c.LiveTempFileLimit
	lc.AfterConnect = func(ctx context.Context, conn *pgx.Conn) error {
		// temp_file_limit is a superuser's setting: a role that may not
		// set it keeps its own (ALTER ROLE … SET temp_file_limit).
		_, err := conn.Exec(ctx, "SET temp_file_limit = "+quoteLiteral(limit))
		var pe *pgconn.PgError
		if errors.As(err, &pe) && pe.Code == "42501" {
			return nil
		}
		return err
	}
	conn := &Connector{cfg: c, prep: &prepared{names: map[*pgconn.PgConn]*connStatements{}}, replCfg: replicationConfig(pc)}
	conn.poolHooks(lc)
	pool, err := pgxpool.NewWithConfig(ctx, pc)
	if err != nil {
		return nil, fmt.Errorf("postgres connector: %w", err)
	}
	livePool, err := pgxpool.NewWithConfig(ctx, lc)
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres connector: %w", err)
	}
	conn.pool, conn.livePool = pool, livePool
	return conn, nil
}

// setLiveDefaults fills the live query limits left empty.
func (c *Config) setLiveDefaults() {
	if c.LiveStatementTimeout == "" {
		c.LiveStatementTimeout = "15min"
	}
	if c.LiveTempFileLimit == "" {
		c.LiveTempFileLimit = "256MB"
	}
}

// liveParams are the session settings of a live query's connection, set
// at its start: unqualified functions, operators and types resolve among
// PostgreSQL's built-ins only (Hotdata qualifies table names), string
// literals are standard (a backslash cannot end one), and every
// transaction is read-only.
var liveParams = map[string]string{
	"search_path":                   "pg_catalog",
	"standard_conforming_strings":   "on",
	"default_transaction_read_only": "on",
}

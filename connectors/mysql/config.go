package mysql

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"strconv"
	"strings"

	"github.com/go-sql-driver/mysql"

	"github.com/hotdata-dev/hotdata/connectors"
)

// Config is a MySQL or MariaDB connection's configuration. The password
// is never part of it: it comes from the connection's secret.
type Config struct {
	Host     string `json:"host"`
	Port     int    `json:"port,omitempty"`
	User     string `json:"user"`
	Database string `json:"database"`
	// TLS is disable, preferred (default: TLS when the server offers it,
	// without verifying its certificate), required (TLS with a verified
	// certificate) or skip-verify (TLS, certificate not verified).
	TLS string `json:"tls,omitempty"`
	// Schemas lists the databases to discover; empty means Database only.
	Schemas []string `json:"schemas,omitempty"`
	// PoolSize caps the connections Hotdata opens to this server, shared
	// by discovery and scans (default 16).
	PoolSize int `json:"pool_size,omitempty"`
	// AllowCleartextPassword lets Hotdata answer a server that asks for
	// the password in clear text (mysql_clear_password, as PAM and LDAP
	// logins do). It needs tls required or skip-verify: the password
	// never travels in clear over a connection without TLS.
	AllowCleartextPassword bool `json:"allow_cleartext_password,omitempty"`
	// AllowPublicKeyRetrieval lets Hotdata encrypt the password with a
	// public key the server sends over a connection without TLS
	// (caching_sha2_password and sha256_password; keyguard.go), as
	// JDBC's allowPublicKeyRetrieval does. Off, such a login is refused.
	AllowPublicKeyRetrieval bool `json:"allow_public_key_retrieval,omitempty"`

	// Dial makes the connections (nil: a plain net.Dialer).
	Dial connectors.DialFunc `json:"-"`
}

// Endpoint is host:port, the host in lower case.
func (c Config) Endpoint() string {
	return net.JoinHostPort(strings.ToLower(c.Host), strconv.Itoa(c.Port))
}

// driverTLS maps a config's tls value to go-sql-driver's tls parameter
// ("" for an unknown value). The driver's "preferred" falls back to
// plain text when the server offers no TLS and does not verify it.
func driverTLS(mode string) string {
	switch mode {
	case "disable":
		return "false"
	case "preferred":
		return "preferred"
	case "required":
		return "true"
	case "skip-verify":
		return "skip-verify"
	}
	return ""
}

// ParseConfig decodes and validates a config object.
func ParseConfig(raw json.RawMessage) (Config, error) {
	var c Config
	if len(raw) == 0 {
		return c, connectors.InvalidConfig("config is required: {\"host\", \"port\", \"user\", \"database\"}")
	}
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return c, connectors.InvalidConfig("mysql config: %v", err)
	}
	if dec.More() {
		return c, connectors.InvalidConfig("mysql config: trailing data after the config object")
	}
	if c.Port == 0 {
		c.Port = 3306
	}
	if c.TLS == "" {
		c.TLS = "preferred"
	}
	if c.PoolSize == 0 {
		c.PoolSize = 16
	}
	return c, c.Validate()
}

// Validate checks a config with its defaults applied.
func (c Config) Validate() error {
	switch {
	case c.Host == "":
		return connectors.InvalidConfig("mysql config: host is required")
	case c.User == "":
		return connectors.InvalidConfig("mysql config: user is required")
	case c.Database == "":
		return connectors.InvalidConfig("mysql config: database is required")
	case c.Port < 1 || c.Port > 65535:
		return connectors.InvalidConfig("mysql config: port %d is out of range", c.Port)
	case c.PoolSize < 1 || c.PoolSize > 1000:
		return connectors.InvalidConfig("mysql config: pool_size %d is out of range (1 to 1000)", c.PoolSize)
	case driverTLS(c.TLS) == "":
		return connectors.InvalidConfig("mysql config: tls %q is not one of disable, preferred, required, skip-verify", c.TLS)
	case c.AllowCleartextPassword && c.TLS != "required" && c.TLS != "skip-verify":
		return connectors.InvalidConfig("mysql config: allow_cleartext_password needs tls required or skip-verify (tls %s may go without TLS)", c.TLS)
	}
	for _, s := range c.Schemas {
		if s == "" {
			return connectors.InvalidConfig("mysql config: schemas holds an empty name")
		}
	}
	return nil
}

// discoverSchemas are the databases Discover lists.
func (c Config) discoverSchemas() []string {
	if len(c.Schemas) > 0 {
		return c.Schemas
	}
	return []string{c.Database}
}

// driverConfig is the go-sql-driver configuration for this connection.
func (c Config) driverConfig(password string) *mysql.Config {
	dc := mysql.NewConfig()
	dc.User = c.User
	dc.Passwd = password
	dc.Net = "tcp"
	dc.Addr = net.JoinHostPort(c.Host, strconv.Itoa(c.Port))
	dc.DBName = c.Database
	dc.TLSConfig = driverTLS(c.TLS)
	// Validate allows it only with TLS that cannot fall back to plain text.
	dc.AllowCleartextPasswords = c.AllowCleartextPassword
	dc.AllowOldPasswords = false
	dc.Timeout = connectors.ConnectTimeout
	// Filter values are sent as escaped literals in the text protocol,
	// whose rows sql.RawBytes reads without a copy per value; prepared
	// statements would switch the rows to the binary protocol.
	dc.InterpolateParams = true
	dc.ConnectionAttributes = "program_name:hotdata"
	// The driver logs what it also returns as errors (and a closed
	// socket, which is how a scan stops early); keep it off stderr.
	dc.Logger = log.New(io.Discard, "", 0)
	// Sent as one SET when a connection opens. TIMESTAMP values then
	// arrive in UTC. A scan's reader may pause while it writes a batch:
	// a longer net_write_timeout keeps the server from dropping it.
	dc.Params = map[string]string{
		"time_zone":         "'+00:00'",
		"net_write_timeout": "600",
	}
	// The handshake already asks for utf8mb4 (the driver's default
	// collation), so text arrives as UTF-8 without a SET NAMES.
	return dc
}

const configSchema = `{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "required": ["host", "user", "database"],
  "additionalProperties": false,
  "properties": {
    "host": {"type": "string", "description": "Host name or IP address of the server"},
    "port": {"type": "integer", "minimum": 1, "maximum": 65535, "default": 3306},
    "user": {"type": "string"},
    "database": {"type": "string", "description": "The default database: <connection>.<table> names its tables"},
    "password": {"type": "string", "writeOnly": true, "description": "Moved into a secret when the connection is created"},
    "tls": {"type": "string", "enum": ["disable", "preferred", "required", "skip-verify"], "default": "preferred",
            "description": "preferred: TLS when the server offers it, unverified; required: TLS with a verified certificate; skip-verify: TLS, unverified"},
    "schemas": {"type": "array", "items": {"type": "string", "minLength": 1}, "description": "Databases to discover (default: just database)"},
    "pool_size": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 16, "description": "Most connections Hotdata opens to this server"},
    "allow_cleartext_password": {"type": "boolean", "default": false, "description": "Answer a server that asks for the password in clear text (mysql_clear_password); needs tls required or skip-verify"},
    "allow_public_key_retrieval": {"type": "boolean", "default": false, "description": "Without TLS, encrypt the password with a public key the server sends (caching_sha2_password, sha256_password); anyone between can replace that key, so prefer tls required"}
  }
}`

// Type registers the connector.
var Type = connectors.Type{
	Name:          "mysql",
	Label:         "MySQL / MariaDB",
	ConfigSchema:  json.RawMessage(configSchema),
	SecretField:   "password",
	DefaultSchema: defaultSchema,
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
		return fmt.Sprintf("%s tls=%s cleartext=%t public_key_retrieval=%t", c.Endpoint(), c.TLS, c.AllowCleartextPassword, c.AllowPublicKeyRetrieval), nil
	},
}

// defaultSchema is the configured database. It reads the field even from
// a config that fails validation, so that catalogs still show a name.
func defaultSchema(raw json.RawMessage) string {
	var c struct {
		Database string `json:"database"`
	}
	_ = json.Unmarshal(raw, &c)
	return c.Database
}

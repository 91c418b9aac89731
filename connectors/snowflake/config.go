package snowflake

import (
	"context"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/hotdata-dev/hotdata/connectors"
)

// Config is a Snowflake connection's configuration. The password or
// private key is never part of it: it comes from the connection's secret.
type Config struct {
	// Account is the account identifier ("myorg-myaccount", or a locator
	// with its region: "xy12345.us-east-1").
	Account  string `json:"account"`
	User     string `json:"user"`
	Database string `json:"database"`
	// Schemas lists the schemas to discover, as Snowflake stores their
	// names (upper case unless created quoted); empty means every schema
	// of Database but INFORMATION_SCHEMA.
	Schemas   []string `json:"schemas,omitempty"`
	Warehouse string   `json:"warehouse,omitempty"`
	Role      string   `json:"role,omitempty"`
	// Authenticator is snowflake (password, the default) or snowflake_jwt
	// (key pair: the secret is an unencrypted PKCS#8 or PKCS#1 RSA
	// private key in PEM).
	Authenticator string `json:"authenticator,omitempty"`
	// Host, Port and Protocol locate the server: by default
	// <account>.snowflakecomputing.com, 443, https. An emulator is
	// reached over http.
	Host     string `json:"host,omitempty"`
	Port     int    `json:"port,omitempty"`
	Protocol string `json:"protocol,omitempty"`
	// PoolSize caps the sessions Hotdata opens (default 8).
	PoolSize int `json:"pool_size,omitempty"`
	// MaxBytesPerSync refuses a full read of a table whose
	// INFORMATION_SCHEMA.TABLES.BYTES is larger (0: no cap).
	MaxBytesPerSync int64 `json:"max_bytes_per_sync,omitempty"`
	// QueryTimeout bounds one statement on the server
	// (STATEMENT_TIMEOUT_IN_SECONDS; "1h" by default).
	QueryTimeout string `json:"query_timeout,omitempty"`

	// Dial makes the connections (nil: a plain net.Dialer).
	Dial connectors.DialFunc `json:"-"`

	queryTimeout time.Duration
}

// Authenticators.
const (
	authPassword = "snowflake"
	authKeyPair  = "snowflake_jwt"
)

// Defaults.
const (
	defaultDomain       = ".snowflakecomputing.com"
	defaultPoolSize     = 8
	defaultQueryTimeout = time.Hour
	// defaultSchema is the schema every Snowflake database starts with.
	defaultSchema = "PUBLIC"
)

// accountRE is an account identifier: an account locator with its
// region and cloud ("xy12345.us-east-2.aws") or an organization's
// account name ("myorg-myaccount"); it becomes part of a host name.
var accountRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)

// hostRE is a host name or an IPv4 address (IPv6 addresses are checked
// with net.ParseIP).
var hostRE = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9])?$`)

// ParseConfig decodes and validates a config object.
func ParseConfig(raw json.RawMessage) (Config, error) {
	var c Config
	if len(raw) == 0 {
		return c, connectors.InvalidConfig(`config is required: {"account", "user", "database"}`)
	}
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return c, connectors.InvalidConfig("snowflake config: %v", err)
	}
	if dec.More() {
		return c, connectors.InvalidConfig("snowflake config: trailing data after the config object")
	}
	if err := c.Validate(); err != nil {
		return c, err
	}
	if c.Protocol == "http" && !loopbackHost(c.Host) {
		// The password (or the key's JWT) would cross the network in
		// clear text: a connection made through the API may use http
		// only for an emulator on this machine.
		return c, connectors.InvalidConfig("snowflake config: protocol http is allowed only for a host on this machine (an emulator): use https")
	}
	return c, nil
}

// Validate checks the config and fills in its defaults.
func (c *Config) Validate() error {
	if c.Authenticator == "" {
		c.Authenticator = authPassword
	}
	if c.Protocol == "" {
		c.Protocol = "https"
	}
	if c.Port == 0 {
		c.Port = 443
	}
	if c.PoolSize == 0 {
		c.PoolSize = defaultPoolSize
	}
	switch {
	case c.Account == "":
		return connectors.InvalidConfig("snowflake config: account is required")
	case !accountRE.MatchString(c.Account):
		return connectors.InvalidConfig("snowflake config: account %q is not an account identifier (such as myorg-myaccount or xy12345.us-east-1)", c.Account)
	case c.User == "":
		return connectors.InvalidConfig("snowflake config: user is required")
	case c.Database == "":
		return connectors.InvalidConfig("snowflake config: database is required")
	case c.Authenticator != authPassword && c.Authenticator != authKeyPair:
		return connectors.InvalidConfig("snowflake config: authenticator %q is not snowflake (password) or snowflake_jwt (key pair)", c.Authenticator)
	case c.Protocol != "https" && c.Protocol != "http":
		return connectors.InvalidConfig("snowflake config: protocol %q is not https or http", c.Protocol)

	case c.Host != "" && !validHost(c.Host):
		return connectors.InvalidConfig("snowflake config: host %q is not a host name or IP address (no scheme, port or path)", c.Host)
	case c.Port < 1 || c.Port > 65535:
		return connectors.InvalidConfig("snowflake config: port %d is out of range", c.Port)
	case c.PoolSize < 1 || c.PoolSize > 1000:
		return connectors.InvalidConfig("snowflake config: pool_size %d is out of range (1 to 1000)", c.PoolSize)
	case c.MaxBytesPerSync < 0:
		return connectors.InvalidConfig("snowflake config: max_bytes_per_sync must be 0 (no cap) or more")
	}
	for _, s := range c.Schemas {
		if s == "" {
			return connectors.InvalidConfig("snowflake config: schemas holds an empty name")
		}
	}
	c.queryTimeout = defaultQueryTimeout
	if c.QueryTimeout != "" {
		d, err := time.ParseDuration(c.QueryTimeout)
		if err != nil || d < time.Second {
			return connectors.InvalidConfig("snowflake config: query_timeout %q is not a duration of a second or more (e.g. 30m)", c.QueryTimeout)
		}
		c.queryTimeout = d
	}
	return nil
}

func validHost(h string) bool {
	return net.ParseIP(h) != nil || hostRE.MatchString(h)
}

// host is the server's host name: Host, else <account>.snowflakecomputing.com.
func (c Config) host() string {
	if c.Host != "" {
		return c.Host
	}
	return c.Account + defaultDomain
}

// Endpoint is host:port, the host in lower case.
func (c Config) Endpoint() string {
	return net.JoinHostPort(strings.ToLower(c.host()), strconv.Itoa(c.Port))
}

// loginAccount is the account name the login request carries: the
// account identifier without the region and cloud of a locator
// ("xy12345.us-east-1" logs in as xy12345; the region is in the host).
func (c Config) loginAccount() string {
	a, _, _ := strings.Cut(c.Account, ".")
	return a
}

// defaultSchema is the schema "<connection>.<table>" names: the first
// configured schema, else PUBLIC.
func (c Config) defaultSchema() string {
	if len(c.Schemas) > 0 {
		return c.Schemas[0]
	}
	return defaultSchema
}

// discoverSchemas are the schemas Discover lists (nil: all but
// INFORMATION_SCHEMA).
func (c Config) discoverSchemas() []string { return c.Schemas }

// parsePrivateKey reads a key-pair secret: an RSA private key in PEM,
// PKCS#8 ("PRIVATE KEY") or PKCS#1 ("RSA PRIVATE KEY"). Its errors
// never quote the secret.
func parsePrivateKey(secret string) (*rsa.PrivateKey, error) {
	block, _ := pem.Decode([]byte(strings.TrimSpace(secret)))
	if block == nil {
		return nil, connectors.InvalidConfig("snowflake config: authenticator snowflake_jwt needs the private key in PEM (-----BEGIN PRIVATE KEY-----) as the secret")
	}
	switch block.Type {
	case "ENCRYPTED PRIVATE KEY":
		return nil, connectors.InvalidConfig("snowflake config: the private key is encrypted, which is not supported: store it decrypted (openssl pkcs8 -topk8 -nocrypt)")
	case "RSA PRIVATE KEY":
		if _, encrypted := block.Headers["Proc-Type"]; encrypted {
			return nil, connectors.InvalidConfig("snowflake config: the private key is encrypted, which is not supported: store it decrypted (openssl pkcs8 -topk8 -nocrypt)")
		}
		k, err := x509.ParsePKCS1PrivateKey(block.Bytes)
		if err != nil {
			return nil, connectors.InvalidConfig("snowflake config: the private key is not a valid PKCS#1 RSA key")
		}
		return k, nil
	case "PRIVATE KEY":
		k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
		if err != nil {
			return nil, connectors.InvalidConfig("snowflake config: the private key is not a valid PKCS#8 key")
		}
		rk, ok := k.(*rsa.PrivateKey)
		if !ok {
			return nil, connectors.InvalidConfig("snowflake config: the private key is a %s key; Snowflake key pairs are RSA", keyKind(k))
		}
		return rk, nil
	}
	return nil, connectors.InvalidConfig("snowflake config: the secret's PEM block is a %q, not a PRIVATE KEY", block.Type)
}

func keyKind(k any) string {
	switch k.(type) {
	case *ecdsa.PrivateKey:
		return "ECDSA"
	case ed25519.PrivateKey:
		return "Ed25519"
	case *ecdh.PrivateKey:
		return "ECDH"
	}
	return "non-RSA"
}

const configSchema = `{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "required": ["account", "user", "database"],
  "additionalProperties": false,
  "properties": {
    "account": {"type": "string", "description": "Account identifier: myorg-myaccount, or a locator with its region (xy12345.us-east-1)"},
    "user": {"type": "string"},
    "database": {"type": "string", "description": "The database whose schemas are discovered"},
    "password": {"type": "string", "writeOnly": true, "description": "The password, or for snowflake_jwt the PEM private key; moved into a secret when the connection is created"},
    "schemas": {"type": "array", "items": {"type": "string", "minLength": 1}, "description": "Schemas to discover, as Snowflake stores their names (default: all but INFORMATION_SCHEMA)"},
    "warehouse": {"type": "string", "description": "Warehouse that runs the queries (default: the user's)"},
    "role": {"type": "string", "description": "Role to use (default: the user's)"},
    "authenticator": {"type": "string", "enum": ["snowflake", "snowflake_jwt"], "default": "snowflake", "description": "snowflake: password; snowflake_jwt: key pair (unencrypted RSA private key in PEM as the secret)"},
    "host": {"type": "string", "description": "Server host (default <account>.snowflakecomputing.com)"},
    "port": {"type": "integer", "minimum": 1, "maximum": 65535, "default": 443},
    "protocol": {"type": "string", "enum": ["https", "http"], "default": "https", "description": "http sends credentials in clear: for emulators only"},
    "pool_size": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 8, "description": "Most sessions Hotdata opens to this account"},
    "max_bytes_per_sync": {"type": "integer", "minimum": 0, "default": 0, "description": "Refuse a full read of a table larger than this many bytes (INFORMATION_SCHEMA.TABLES.BYTES; 0: no cap)"},
    "query_timeout": {"type": "string", "default": "1h", "description": "Longest a statement may run on the server (STATEMENT_TIMEOUT_IN_SECONDS)"}
  }
}`

// Type registers the connector.
var Type = connectors.Type{
	Name:          "snowflake",
	Label:         "Snowflake",
	ConfigSchema:  json.RawMessage(configSchema),
	SecretField:   "password",
	DefaultSchema: defaultSchemaOf,
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
		return fmt.Sprintf("%s://%s authenticator=%s", c.Protocol, c.Endpoint(), c.Authenticator), nil
	},
}

// defaultSchemaOf is the first configured schema, else PUBLIC. It reads
// the field even from a config that fails validation, so that catalogs
// still show a name.
func defaultSchemaOf(raw json.RawMessage) string {
	var c struct {
		Schemas []string `json:"schemas"`
	}
	_ = json.Unmarshal(raw, &c)
	if len(c.Schemas) > 0 && c.Schemas[0] != "" {
		return c.Schemas[0]
	}
	return defaultSchema
}

// loopbackHost reports whether host names this machine (localhost, or a
// loopback address).
func loopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.Unmap().IsLoopback()
}

package bigquery

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/hotdata-dev/hotdata/connectors"
)

// Config is a BigQuery connection's config object.
type Config struct {
	// ProjectID is the project that runs (and is billed for) queries,
	// and holds the datasets unless DataProject names another.
	ProjectID string `json:"project_id"`
	// DataProject holds the datasets to discover ("" = ProjectID).
	DataProject string `json:"data_project,omitempty"`
	// Datasets to discover (empty: every dataset of the project the
	// credentials can list). They are the connection's schemas.
	Datasets []string `json:"datasets,omitempty"`
	// Location is where query jobs run (US, EU, a region); "" lets
	// BigQuery pick from the datasets.
	Location string `json:"location,omitempty"`
	// Endpoint overrides the REST endpoint (a private endpoint, or an
	// emulator: "http://127.0.0.1:9050"). Without credentials, requests
	// go unauthenticated, which only an emulator accepts.
	Endpoint string `json:"endpoint,omitempty"`
	// StorageAPI reads tables through the BigQuery Storage Read API
	// (Arrow over gRPC) instead of tabledata.list; default true.
	StorageAPI *bool `json:"storage_api,omitempty"`
	// StorageEndpoint overrides the Storage Read API's host:port.
	StorageEndpoint string `json:"storage_endpoint,omitempty"`
	// MaxBytesPerSync refuses a sync that BigQuery estimates would bill
	// more bytes than this (0: no cap).
	MaxBytesPerSync int64 `json:"max_bytes_per_sync,omitempty"`
	// QueryTimeout bounds one query job ("10m" by default).
	QueryTimeout string `json:"query_timeout,omitempty"`

	queryTimeout time.Duration
}

// defaultEndpoint is BigQuery's REST endpoint.
const defaultEndpoint = "https://bigquery.googleapis.com"

// ParseConfig decodes and validates a config object.
func ParseConfig(raw json.RawMessage) (Config, error) {
	var c Config
	if len(raw) == 0 {
		return c, connectors.InvalidConfig(`config is required: {"project_id": …}`)
	}
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return c, connectors.InvalidConfig("bigquery config: %v", err)
	}
	if dec.More() {
		return c, connectors.InvalidConfig("bigquery config: trailing data after the config object")
	}
	return c, c.Validate()
}

// Validate checks the config and fills in defaults.
func (c *Config) Validate() error {
	if c.ProjectID == "" {
		return connectors.InvalidConfig("bigquery config: project_id is required")
	}
	if c.DataProject == "" {
		c.DataProject = c.ProjectID
	}
	for _, p := range []string{c.ProjectID, c.DataProject} {
		if !projectRE.MatchString(p) {
			return connectors.InvalidConfig("bigquery config: %q is not a project ID (letters, digits, -, and an optional domain: prefix)", p)
		}
	}
	for _, d := range c.Datasets {
		if d == "" {
			return connectors.InvalidConfig("bigquery config: datasets holds an empty name")
		}
		if !datasetRE.MatchString(d) {
			return connectors.InvalidConfig("bigquery config: %q is not a dataset name (letters, digits and _)", d)
		}
	}
	if c.Endpoint != "" {
		u, err := url.Parse(c.Endpoint)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return connectors.InvalidConfig("bigquery config: endpoint %q is not an http(s) URL", c.Endpoint)
		}
	}
	if c.StorageEndpoint != "" {
		host, _, err := net.SplitHostPort(c.StorageEndpoint)
		if err != nil {
			return connectors.InvalidConfig("bigquery config: storage_endpoint %q is not host:port", c.StorageEndpoint)
		}
		// The credentials go to both endpoints, and a secret is bound to
		// the connection's endpoint host: a Storage API endpoint on
		// another host would carry them elsewhere.
		if rest, _ := url.Parse(c.restURL()); !strings.EqualFold(host, rest.Hostname()) {
			return connectors.InvalidConfig("bigquery config: storage_endpoint must be on the endpoint's host (%s)", rest.Hostname())
		}
	}
	if c.MaxBytesPerSync < 0 {
		return connectors.InvalidConfig("bigquery config: max_bytes_per_sync must be 0 (no cap) or more")
	}
	c.queryTimeout = 10 * time.Minute
	if c.QueryTimeout != "" {
		d, err := time.ParseDuration(c.QueryTimeout)
		if err != nil || d <= 0 {
			return connectors.InvalidConfig("bigquery config: query_timeout %q is not a positive duration (e.g. 10m)", c.QueryTimeout)
		}
		c.queryTimeout = d
	}
	return nil
}

// storageAPI reports whether reads go through the Storage Read API.
func (c Config) storageAPI() bool { return c.StorageAPI == nil || *c.StorageAPI }

// restURL is the REST endpoint's URL.
func (c Config) restURL() string {
	if c.Endpoint != "" {
		return c.Endpoint
	}
	return defaultEndpoint
}

// insecure reports whether the endpoint is plain HTTP (an emulator):
// the Storage API's gRPC then goes without TLS too.
func (c Config) insecure() bool { return strings.HasPrefix(c.restURL(), "http://") }

// Endpoint is host:port of the REST endpoint.
func (c Config) endpointAddr() string {
	u, err := url.Parse(c.restURL())
	if err != nil {
		return ""
	}
	port := u.Port()
	if port == "" {
		port = "443"
		if u.Scheme == "http" {
			port = "80"
		}
	}
	return net.JoinHostPort(strings.ToLower(u.Hostname()), port)
}

const configSchema = `{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "required": ["project_id"],
  "additionalProperties": false,
  "properties": {
    "project_id": {"type": "string", "description": "Project that runs and is billed for the queries (and holds the datasets unless data_project says otherwise)"},
    "data_project": {"type": "string", "description": "Project holding the datasets, when not project_id (public datasets: bigquery-public-data)"},
    "datasets": {"type": "array", "items": {"type": "string", "minLength": 1}, "description": "Datasets to discover (default: every dataset the credentials can list); each is a schema"},
    "location": {"type": "string", "description": "Where query jobs run (US, EU, a region); default: BigQuery picks it from the datasets"},
    "credentials_json": {"type": "string", "writeOnly": true, "description": "A service account key file's JSON; moved into a secret when the connection is created"},
    "endpoint": {"type": "string", "description": "REST endpoint (default https://bigquery.googleapis.com); an http:// URL (an emulator) goes without TLS"},
    "storage_api": {"type": "boolean", "default": true, "description": "Read tables through the Storage Read API (Arrow over gRPC); off: tabledata.list, slower but not billed"},
    "storage_endpoint": {"type": "string", "description": "Storage Read API host:port (default bigquerystorage.googleapis.com:443)"},
    "max_bytes_per_sync": {"type": "integer", "minimum": 0, "default": 0, "description": "Refuse a sync that BigQuery estimates would bill more bytes than this (0: no cap)"},
    "query_timeout": {"type": "string", "default": "10m", "description": "Longest a query job may run"}
  }
}`

// Type registers BigQuery as a source type.
var Type = connectors.Type{
	Name:          "bigquery",
	Label:         "Google BigQuery",
	ConfigSchema:  json.RawMessage(configSchema),
	SecretField:   "credentials_json",
	DefaultSchema: defaultSchema,
	Open: func(ctx context.Context, raw json.RawMessage, secret string, env connectors.Env) (connectors.Connector, error) {
		c, err := ParseConfig(raw)
		if err != nil {
			return nil, err
		}
		return Open(ctx, c, secret, env.Dial)
	},
	Endpoint: func(raw json.RawMessage) (string, error) {
		c, err := ParseConfig(raw)
		if err != nil {
			return "", err
		}
		return c.endpointAddr(), nil
	},
	// The key's tokens go to the REST endpoint and the Storage API's,
	// over TLS unless the endpoint is http://.
	SecretBinding: func(raw json.RawMessage) (string, error) {
		c, err := ParseConfig(raw)
		if err != nil {
			return "", err
		}
		scheme, storage := "https", c.StorageEndpoint
		if c.insecure() {
			scheme = "http"
		}
		if storage == "" {
			storage = "bigquerystorage.googleapis.com:443"
		}
		return fmt.Sprintf("%s://%s storage=%s", scheme, c.endpointAddr(), strings.ToLower(storage)), nil
	},
}

// defaultSchema is the first configured dataset ("" when none is named:
// tables are then named <connection>.<dataset>.<table>).
func defaultSchema(raw json.RawMessage) string {
	var c struct {
		Datasets []string `json:"datasets"`
	}
	_ = json.Unmarshal(raw, &c)
	if len(c.Datasets) > 0 {
		return c.Datasets[0]
	}
	return ""
}

// projectRE and datasetRE are BigQuery's rules for the names, which go
// into request paths: nothing else may.
var (
	projectRE = regexp.MustCompile(`^([a-z][a-z0-9.-]*:)?[a-z0-9][a-z0-9-]{0,62}$`)
	datasetRE = regexp.MustCompile(`^[A-Za-z0-9_]+$`) // at most 1,024 characters
)

// validTable reports whether a table name can go into a request path
// (BigQuery's names are letters, marks, numbers, connectors, dashes and
// spaces; never a slash or a dot segment).
func validTable(name string) bool {
	return name != "" && name != "." && name != ".." && !strings.ContainsAny(name, "/\\?#%")
}

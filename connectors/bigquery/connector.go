package bigquery

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"cloud.google.com/go/bigquery"
	bqstorage "cloud.google.com/go/bigquery/storage/apiv1"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/google"
	"google.golang.org/api/googleapi"
	"google.golang.org/api/iterator"
	"google.golang.org/api/option"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/hotdata-dev/hotdata/connectors"
)

// Connector reads the datasets of one BigQuery project.
type Connector struct {
	cfg Config
	// rest is the REST API (metadata, jobs, tabledata.list);
	// storageRead, when the Storage Read API is on, reads whole tables.
	rest        *bigquery.Client
	storageRead *bqstorage.BigQueryReadClient
	// storageDownUntil (Unix nanoseconds) is set when the Storage Read
	// API failed: reads go through REST until then.
	storageDownUntil atomic.Int64
}

var _ connectors.Connector = (*Connector)(nil)

// Open returns a connector: secret is a service account key's JSON ("":
// unauthenticated, for an emulator's endpoint only). Every connection
// it makes goes through dial (nil: a plain net.Dialer). It does not
// contact BigQuery.
func Open(ctx context.Context, cfg Config, secret string, dial connectors.DialFunc) (*Connector, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if dial == nil {
		d := &net.Dialer{Timeout: connectors.ConnectTimeout}
		dial = d.DialContext
	}
	base := &http.Transport{
		DialContext:           failFast(dial),
		ForceAttemptHTTP2:     true,
		TLSHandshakeTimeout:   connectors.ConnectTimeout,
		ResponseHeaderTimeout: 5 * time.Minute,
		MaxIdleConnsPerHost:   8,
		IdleConnTimeout:       90 * time.Second,
	}
	opts := []option.ClientOption{option.WithEndpoint(cfg.restURL() + "/bigquery/v2/")}
	grpcOpts := []option.ClientOption{option.WithGRPCDialOption(grpc.WithContextDialer(func(ctx context.Context, addr string) (net.Conn, error) {
		return failFast(dial)(ctx, "tcp", addr)
	}))}
	if cfg.StorageEndpoint != "" {
		grpcOpts = append(grpcOpts, option.WithEndpoint(cfg.StorageEndpoint))
	}
	if strings.TrimSpace(secret) == "" {
		if cfg.Endpoint == "" {
			return nil, connectors.InvalidConfig("bigquery: credentials are required: give a service account key's JSON as the connection's secret (config.credentials_json)")
		}
		opts = append(opts, option.WithoutAuthentication(), option.WithHTTPClient(&http.Client{Transport: base}))
		grpcOpts = append(grpcOpts, option.WithoutAuthentication())
	} else {
		if err := checkKey(secret); err != nil {
			return nil, err
		}
		if cfg.insecure() {
			return nil, connectors.InvalidConfig("bigquery: an http:// endpoint would send the key's tokens in clear text: use https (http is for an emulator, without credentials)")
		}
		// Token requests go through the same dialer (oauth2.HTTPClient).
		tokenCtx := context.WithValue(context.Background(), oauth2.HTTPClient, &http.Client{Transport: base, Timeout: time.Minute})
		// Only service account keys: other credential types (external
		// accounts) may name files or programs on this host.
		creds, err := google.CredentialsFromJSONWithType(tokenCtx, []byte(secret), google.ServiceAccount, bigquery.Scope)
		if err != nil {
			return nil, connectors.InvalidConfig("bigquery: the secret is not a service account key's JSON (%s)", credsReason(err))
		}
		opts = append(opts, option.WithHTTPClient(&http.Client{Transport: &oauth2.Transport{Source: creds.TokenSource, Base: base}}))
		grpcOpts = append(grpcOpts, option.WithTokenSource(creds.TokenSource))
	}
	if cfg.insecure() {
		grpcOpts = append(grpcOpts, option.WithGRPCDialOption(grpc.WithTransportCredentials(insecure.NewCredentials())))
	}
	rest, err := bigquery.NewClient(ctx, cfg.ProjectID, opts...)
	if err != nil {
		return nil, connectors.InvalidConfig("bigquery: %v", err)
	}
	c := &Connector{cfg: cfg, rest: rest}
	if cfg.storageAPI() {
		// gRPC connects lazily: nothing is contacted here.
		sr, err := bqstorage.NewBigQueryReadClient(ctx, append(grpcOpts, option.WithScopes(bigquery.Scope))...)
		if err != nil {
			rest.Close()
			return nil, connectors.InvalidConfig("bigquery storage read client: %v", err)
		}
		c.storageRead = sr
	}
	if cfg.Location != "" {
		rest.Location = cfg.Location
	}
	return c, nil
}

// credsReason says why a key did not parse, without echoing any of it.
func credsReason(err error) string {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "unexpected end of JSON"), strings.Contains(msg, "invalid character"):
		return "it is not valid JSON"
	case strings.Contains(msg, "credential type"):
		return "only service_account keys are accepted"
	case strings.Contains(msg, "private key"):
		return "its private_key does not parse"
	}
	return "it does not parse as one"
}

// testTimeout bounds Test when the caller's context has no deadline.
const testTimeout = 15 * time.Second

// Test checks that BigQuery answers and the credentials can read the
// project's datasets.
func (c *Connector) Test(ctx context.Context) error {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, testTimeout)
		defer cancel()
	}
	if len(c.cfg.Datasets) > 0 {
		_, err := c.rest.DatasetInProject(c.cfg.DataProject, c.cfg.Datasets[0]).Metadata(ctx)
		return c.wrap(ctx, err)
	}
	it := c.rest.Datasets(ctx)
	it.ProjectID = c.cfg.DataProject
	if _, err := it.Next(); err != nil && !errors.Is(err, iterator.Done) {
		return c.wrap(ctx, err)
	}
	return nil
}

// wrap turns a client error into what users read: an API error as
// BigQuery states it, a network failure as a ConnectError.
func (c *Connector) wrap(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	var de *dialError
	if errors.As(err, &de) {
		return &connectors.ConnectError{Addr: c.cfg.endpointAddr(), Reason: de.reason, Err: err}
	}
	var ge *googleapi.Error
	if errors.As(err, &ge) {
		msg := ge.Message
		if msg == "" && len(ge.Errors) == 0 {
			// Not Google's JSON error: whatever answered is not
			// BigQuery, and must read as an unreachable port does.
			return &connectors.ConnectError{Addr: c.cfg.endpointAddr(), Reason: fmt.Sprintf("the server answered HTTP %d, not as BigQuery does", ge.Code), Err: err}
		}
		if msg == "" {
			msg = http.StatusText(ge.Code)
		}
		switch ge.Code {
		case http.StatusUnauthorized, http.StatusForbidden:
			return &connectors.ConnectError{Addr: c.cfg.endpointAddr(), Reason: "BigQuery refused the credentials: " + msg, Err: err, Answered: true}
		}
		return fmt.Errorf("bigquery: %s (HTTP %d)", msg, ge.Code)
	}
	if errors.Is(ctx.Err(), context.Canceled) {
		return err
	}
	if ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded) {
		return &connectors.ConnectError{Addr: c.cfg.endpointAddr(), Reason: "timed out waiting for BigQuery to answer (is the endpoint reachable?)", Err: err}
	}
	if reason, ok := connectors.NetworkReason(err); ok {
		return &connectors.ConnectError{Addr: c.cfg.endpointAddr(), Reason: reason, Err: err}
	}
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		return &connectors.ConnectError{Addr: c.cfg.endpointAddr(), Reason: "Google refused the service account's token request: " + re.ErrorCode, Err: err, Answered: true}
	}
	return fmt.Errorf("bigquery: %w", err)
}

// Close releases the clients.
func (c *Connector) Close() error {
	err := c.rest.Close()
	if c.storageRead != nil {
		err = errors.Join(err, c.storageRead.Close())
	}
	return err
}

// quoteIdent quotes a GoogleSQL identifier with backticks.
func quoteIdent(s string) string {
	return "`" + strings.NewReplacer("\\", "\\\\", "`", "\\`").Replace(s) + "`"
}

// tableRef is a table's full name in GoogleSQL.
func (c *Connector) tableRef(dataset, table string) string {
	return quoteIdent(c.cfg.DataProject) + "." + quoteIdent(dataset) + "." + quoteIdent(table)
}

// dialError is a failed connection attempt. The client library retries
// requests whose error (or any error it wraps) says "connection
// refused" or is a timeout, with backoff, until the caller's context
// ends; an unreachable endpoint should fail the request at once
// instead, saying why (the sync or health check is what retries). So a
// dialError keeps only the reason, and wraps nothing.
type dialError struct {
	addr   string
	reason string
}

func (e *dialError) Error() string { return "cannot connect to " + e.addr + ": " + e.reason }

// failFast wraps dial so that its errors are dialErrors.
func failFast(dial connectors.DialFunc) connectors.DialFunc {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := dial(ctx, network, addr)
		if err == nil || ctx.Err() != nil {
			return conn, err
		}
		reason, ok := connectors.NetworkReason(err)
		switch {
		case errors.Is(err, syscall.ECONNREFUSED):
			reason = "the server refused the connection (is it running, and listening on that port?)"
		case !ok:
			reason = "dial failed"
		}
		return nil, &dialError{addr: addr, reason: reason}
	}
}

// checkKey checks that secret is a service account key whose private
// key parses, so that a broken key fails when the connection is made
// rather than at its first token request. Errors never quote the key.
func checkKey(secret string) error {
	var k struct {
		Type        string `json:"type"`
		ClientEmail string `json:"client_email"`
		PrivateKey  string `json:"private_key"`
		TokenURI    string `json:"token_uri"`
	}
	bad := func(why string) error {
		return connectors.InvalidConfig("bigquery: the secret is not a service account key's JSON (%s)", why)
	}
	if err := json.Unmarshal([]byte(secret), &k); err != nil {
		return bad("it is not valid JSON")
	}
	if k.Type != "service_account" {
		return bad("only service_account keys are accepted")
	}
	if k.ClientEmail == "" {
		return bad("client_email is missing")
	}
	block, _ := pem.Decode([]byte(k.PrivateKey))
	if block == nil {
		return bad("private_key is not a PEM key")
	}
	if _, err := x509.ParsePKCS8PrivateKey(block.Bytes); err != nil {
		if _, err := x509.ParsePKCS1PrivateKey(block.Bytes); err != nil {
			return bad("private_key does not parse")
		}
	}
	if k.TokenURI != "" {
		if u, err := url.Parse(k.TokenURI); err != nil || u.Scheme != "https" || u.Host == "" {
			return bad("token_uri is not an https URL")
		}
	}
	return nil
}

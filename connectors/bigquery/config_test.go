package bigquery

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"math/big"
	"strings"
	"testing"

	"cloud.google.com/go/bigquery"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/hotdata-dev/hotdata/connectors"
)

// TestConfig: configs that can never work are refused before anything
// is contacted, and a secret that is not a service account key is
// refused without being echoed.
func TestConfig(t *testing.T) {
	for _, c := range []struct{ raw, want string }{
		{`{}`, "project_id is required"},
		{`{"project_id": "pp", "bogus": 1}`, "unknown field"},
		{`{"project_id": "pp", "endpoint": "ftp://x"}`, "not an http(s) URL"},
		{`{"project_id": "pp", "storage_endpoint": "nohost"}`, "not host:port"},
		// The key would go to another host than the secret is bound to.
		{`{"project_id": "pp", "storage_endpoint": "evil.example:443"}`, "on the endpoint's host"},
		{`{"project_id": "pp", "endpoint": "http://127.0.0.1:9050", "storage_endpoint": "10.0.0.1:9060"}`, "on the endpoint's host"},
		{`{"project_id": "pp", "max_bytes_per_sync": -1}`, "max_bytes_per_sync"},
		{`{"project_id": "pp", "query_timeout": "soon"}`, "query_timeout"},
		{`{"project_id": "pp", "datasets": [""]}`, "empty name"},
		// Names go into request paths.
		{`{"project_id": "pp", "datasets": ["../app"]}`, "not a dataset name"},
		{`{"project_id": "../../projects/x"}`, "not a project ID"},
		{`{"project_id": "pp", "data_project": "a/b"}`, "not a project ID"},
	} {
		_, err := Type.Open(context.Background(), json.RawMessage(c.raw), "", connectors.Env{})
		if !errors.Is(err, connectors.ErrInvalidConfig) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.raw, err, c.want)
		}
	}
	// No credentials and no emulator endpoint.
	if _, err := Type.Open(context.Background(), json.RawMessage(`{"project_id": "pp"}`), "", connectors.Env{}); !errors.Is(err, connectors.ErrInvalidConfig) ||
		!strings.Contains(err.Error(), "credentials are required") {
		t.Errorf("no credentials: %v", err)
	}
	for _, secret := range []string{
		`{"type": "external_account", "credential_source": {"executable": {"command": "/bin/sh -c id"}}}`,
		`{"type": "authorized_user", "client_secret": "s3cr3t-value"}`,
		`{"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----\nnot-a-key-s3cr3t\n-----END PRIVATE KEY-----\n"}`,
		`s3cr3t not json`,
	} {
		_, err := Type.Open(context.Background(), json.RawMessage(`{"project_id": "pp"}`), secret, connectors.Env{})
		if !errors.Is(err, connectors.ErrInvalidConfig) || strings.Contains(err.Error(), "s3cr3t") || strings.Contains(err.Error(), "/bin/sh") {
			t.Errorf("secret %.30q: %v", secret, err)
		}
	}
	// Tokens never travel over plain http.
	if _, err := Type.Open(context.Background(), json.RawMessage(`{"project_id": "pp", "endpoint": "http://bigquery.googleapis.com:443"}`), validKey(t), connectors.Env{}); !errors.Is(err, connectors.ErrInvalidConfig) || !strings.Contains(err.Error(), "clear text") {
		t.Errorf("credentials over http: %v", err)
	}
	ep, err := Type.Endpoint(json.RawMessage(`{"project_id": "pp"}`))
	if err != nil || ep != "bigquery.googleapis.com:443" {
		t.Errorf("endpoint %q, %v", ep, err)
	}
	if s := Type.DefaultSchema(json.RawMessage(`{"project_id": "pp", "datasets": ["sales", "b"]}`)); s != "sales" {
		t.Errorf("default schema %q", s)
	}
}

// TestParameterizedTypes: NUMERIC(P,S), BIGNUMERIC(P,S) and STRING(N)
// keep their parameters (the emulator drops them, so this is checked
// from a schema as BigQuery describes it).
func TestParameterizedTypes(t *testing.T) {
	for _, c := range []struct {
		f     *bigquery.FieldSchema
		arrow string
		oid   uint32
		name  string
		value bigquery.Value
		cell  string
	}{
		{&bigquery.FieldSchema{Name: "a", Type: bigquery.NumericFieldType, Precision: 12, Scale: 2}, "decimal(12, 2)", 1700, "numeric(12,2)", ratOf("-1234567890.1"), "-1234567890.1"},
		{&bigquery.FieldSchema{Name: "b", Type: bigquery.BigNumericFieldType, Precision: 38, Scale: 38}, "decimal(38, 38)", 1700, "numeric(38,38)", ratOf("0.5"), "0.5"},
		{&bigquery.FieldSchema{Name: "c", Type: bigquery.BigNumericFieldType, Precision: 50, Scale: 10}, "utf8", 1700, "numeric(50,10)", ratOf("1.5"), "1.5000000000"},
		{&bigquery.FieldSchema{Name: "d", Type: bigquery.StringFieldType, MaxLength: 10}, "utf8", 1043, "character varying(10)", "abc", "abc"},
		{&bigquery.FieldSchema{Name: "e", Type: bigquery.NumericFieldType, Precision: 10, Scale: 2, Repeated: true}, "list<item: decimal(10, 2), nullable>", 1231, "numeric(10,2)[]", []bigquery.Value{ratOf("1.25")}, "[1.25]"},
	} {
		col := planColumn(c.f, false, "")
		oid, name := servedType(c.f)
		if col.field.Type.String() != c.arrow || oid != c.oid || name != c.name {
			t.Errorf("%s: %s, %d %s; want %s, %d %s", typeName(c.f), col.field.Type, oid, name, c.arrow, c.oid, c.name)
			continue
		}
		b := array.NewBuilder(memory.DefaultAllocator, col.field.Type)
		if err := col.appendValue(b, c.value); err != nil {
			t.Errorf("%s: %v", typeName(c.f), err)
			continue
		}
		a := b.NewArray()
		if got := cellText(a, 0); got != c.cell {
			t.Errorf("%s: %q, want %q", typeName(c.f), got, c.cell)
		}
		a.Release()
		b.Release()
	}
}

func ratOf(s string) *big.Rat {
	r, _ := new(big.Rat).SetString(s)
	return r
}

// TestServiceAccountKey: a well-formed key opens a connector (without
// contacting Google).
func TestServiceAccountKey(t *testing.T) {
	c, err := Type.Open(context.Background(), json.RawMessage(`{"project_id": "pp"}`), validKey(t), connectors.Env{})
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
}

// validKey is a well-formed service account key's JSON.
func validKey(t *testing.T) string {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	secret, _ := json.Marshal(map[string]string{"type": "service_account", "client_email": "hd@p.iam.gserviceaccount.com",
		"private_key": string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})), "token_uri": "https://oauth2.googleapis.com/token"})
	return string(secret)
}

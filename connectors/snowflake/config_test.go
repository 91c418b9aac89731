package snowflake

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"net"
	"reflect"
	"strings"
	"testing"

	"github.com/hotdata-dev/hotdata/connectors"
)

func TestParseConfig(t *testing.T) {
	for _, c := range []struct {
		raw  string
		want string // "" = valid; else part of the error
	}{
		{`{"account": "myorg-acct", "user": "u", "database": "DB"}`, ""},
		{`{"account": "xy12345.us-east-1", "user": "u", "database": "DB", "schemas": ["PUBLIC", "Mixed"], "warehouse": "WH", "role": "R",
		   "authenticator": "snowflake_jwt", "pool_size": 4, "max_bytes_per_sync": 1000000, "query_timeout": "30m"}`, ""},
		{`{"account": "test", "user": "u", "database": "DB", "host": "127.0.0.1", "port": 8080, "protocol": "http"}`, ""},
		{``, "config is required"},
		{`{"account": "a", "user": "u", "database": "d", "extra": 1}`, `unknown field "extra"`},
		{`{"account": "a", "user": "u", "database": "d"} {}`, "trailing data"},
		{`{"user": "u", "database": "d"}`, "account is required"},
		{`{"account": "my account", "user": "u", "database": "d"}`, "is not an account identifier"},
		{`{"account": "https://x.snowflakecomputing.com", "user": "u", "database": "d"}`, "is not an account identifier"},
		{`{"account": "a", "database": "d"}`, "user is required"},
		{`{"account": "a", "user": "u"}`, "database is required"},
		{`{"account": "a", "user": "u", "database": "d", "authenticator": "oauth"}`, `authenticator "oauth" is not snowflake (password) or snowflake_jwt`},
		{`{"account": "a", "user": "u", "database": "d", "protocol": "ftp"}`, `protocol "ftp" is not https or http`},
		// Credentials in clear text cross no network.
		{`{"account": "a", "user": "u", "database": "d", "protocol": "http"}`, "protocol http is allowed only for a host on this machine"},
		{`{"account": "a", "user": "u", "database": "d", "host": "10.0.0.5", "protocol": "http"}`, "protocol http is allowed only for a host on this machine"},
		{`{"account": "a", "user": "u", "database": "d", "host": "https://a.example.com"}`, "is not a host name"},
		{`{"account": "a", "user": "u", "database": "d", "host": "a.example.com:443"}`, "is not a host name"},
		{`{"account": "a", "user": "u", "database": "d", "port": 70000}`, "port 70000 is out of range"},
		{`{"account": "a", "user": "u", "database": "d", "pool_size": 1001}`, "pool_size 1001 is out of range"},
		{`{"account": "a", "user": "u", "database": "d", "max_bytes_per_sync": -1}`, "max_bytes_per_sync must be 0"},
		{`{"account": "a", "user": "u", "database": "d", "query_timeout": "soon"}`, `query_timeout "soon" is not a duration`},
		{`{"account": "a", "user": "u", "database": "d", "query_timeout": "500ms"}`, `query_timeout "500ms" is not a duration`},
		{`{"account": "a", "user": "u", "database": "d", "schemas": ["A", ""]}`, "schemas holds an empty name"},
	} {
		_, err := ParseConfig(json.RawMessage(c.raw))
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v", c.raw, err)
		case c.want != "" && (err == nil || !errors.Is(err, connectors.ErrInvalidConfig) || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: error %v, want an invalid config saying %q", c.raw, err, c.want)
		}
	}
}

// TestConfigSchema: the JSON Schema is valid and names every field of
// Config (and the secret's), no more.
func TestConfigSchema(t *testing.T) {
	var schema struct {
		Properties map[string]json.RawMessage `json:"properties"`
		Required   []string                   `json:"required"`
	}
	if err := json.Unmarshal(Type.ConfigSchema, &schema); err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{Type.SecretField: true}
	rt := reflect.TypeOf(Config{})
	for i := 0; i < rt.NumField(); i++ {
		if name, _, _ := strings.Cut(rt.Field(i).Tag.Get("json"), ","); name != "" && name != "-" {
			want[name] = true
		}
	}
	for name := range schema.Properties {
		if !want[name] {
			t.Errorf("the schema has %q, which Config has not", name)
		}
		delete(want, name)
	}
	if len(want) > 0 {
		t.Errorf("the schema lacks %v", want)
	}
	if strings.Join(schema.Required, ",") != "account,user,database" {
		t.Errorf("required %v", schema.Required)
	}
}

func TestConfigDefaults(t *testing.T) {
	c, err := ParseConfig(json.RawMessage(`{"account": "XY12345.us-east-1", "user": "u", "database": "d"}`))
	if err != nil {
		t.Fatal(err)
	}
	if c.Endpoint() != "xy12345.us-east-1.snowflakecomputing.com:443" || c.Protocol != "https" || c.Authenticator != authPassword ||
		c.PoolSize != 8 || c.queryTimeout.String() != "1h0m0s" || c.loginAccount() != "XY12345" {
		t.Errorf("defaults: %+v endpoint %s", c, c.Endpoint())
	}
	if got, err := Type.Endpoint(json.RawMessage(`{"account": "a", "user": "u", "database": "d", "host": "LocalHost", "port": 8080, "protocol": "http"}`)); err != nil || got != "localhost:8080" {
		t.Errorf("Endpoint: %q, %v", got, err)
	}
	for raw, want := range map[string]string{
		`{"account": "a", "user": "u", "database": "d"}`:                          "PUBLIC",
		`{"account": "a", "user": "u", "database": "d", "schemas": ["S1", "S2"]}`: "S1",
		`{"schemas": ["RAW"], "nonsense": true}`:                                  "RAW",
	} {
		if got := Type.DefaultSchema(json.RawMessage(raw)); got != want {
			t.Errorf("DefaultSchema(%s) = %q, want %q", raw, got, want)
		}
	}
}

// TestOpenSecrets: Open checks the secret without contacting the server,
// and never quotes it.
func TestOpenSecrets(t *testing.T) {
	rsaPEM, rsaKey := rsaKeyPEM(t)
	pkcs1 := string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(rsaKey)}))
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ecDER, _ := x509.MarshalPKCS8PrivateKey(ec)
	ecPEM := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: ecDER}))
	for _, c := range []struct {
		auth, secret, want string
	}{
		{authPassword, "hunter2", ""},
		{authPassword, "", "a password is required"},
		{authKeyPair, rsaPEM, ""},
		{authKeyPair, "  \n" + rsaPEM + "\n", ""},
		{authKeyPair, pkcs1, ""},
		{authKeyPair, "hunter2-not-a-key", "needs the private key in PEM"},
		{authKeyPair, "", "needs the private key in PEM"},
		{authKeyPair, "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHDBOBgkqhkiG9w0BBQ0wQTApBgkqhkiG9w0BBQwwHAQI\n-----END ENCRYPTED PRIVATE KEY-----\n", "encrypted, which is not supported"},
		{authKeyPair, ecPEM, "ECDSA key; Snowflake key pairs are RSA"},
		{authKeyPair, "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n", "not a valid PKCS#8 key"},
		{authKeyPair, "-----BEGIN CERTIFICATE-----\nbm90IGEga2V5\n-----END CERTIFICATE-----\n", `"CERTIFICATE", not a PRIVATE KEY`},
	} {
		cfg := Config{Account: "a", User: "u", Database: "d", Authenticator: c.auth}
		conn, err := Open(context.Background(), cfg, c.secret)
		if conn != nil {
			conn.Close()
		}
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s %.20q: %v", c.auth, c.secret, err)
		case c.want != "" && (err == nil || !errors.Is(err, connectors.ErrInvalidConfig) || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s %.20q: error %v, want an invalid config saying %q", c.auth, c.secret, err, c.want)
		}
		if err != nil && c.secret != "" && strings.Contains(err.Error(), strings.TrimSpace(c.secret)) {
			t.Errorf("the error quotes the secret: %v", err)
		}
	}
}

// TestTypeOpen: the registered type opens a connector whose connections
// go through env.Dial.
func TestTypeOpen(t *testing.T) {
	dialled := make(chan string, 10)
	env := connectors.Env{Dial: func(ctx context.Context, network, addr string) (net.Conn, error) {
		dialled <- addr
		return nil, errors.New("refused by the test")
	}}
	c, err := Type.Open(context.Background(), json.RawMessage(`{"account": "acct", "user": "u", "database": "d"}`), "pw", env)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Test(context.Background()); err == nil {
		t.Fatal("Test succeeded through a dialer that refuses")
	}
	if addr := <-dialled; addr != "acct.snowflakecomputing.com:443" {
		t.Errorf("dialled %s", addr)
	}
	if _, err := Type.Open(context.Background(), json.RawMessage(`{"account": "acct"}`), "pw", env); !errors.Is(err, connectors.ErrInvalidConfig) {
		t.Errorf("Open of an incomplete config: %v", err)
	}
}

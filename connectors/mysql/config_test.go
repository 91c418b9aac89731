package mysql

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"

	"github.com/hotdata-dev/hotdata/connectors"
)

// configFor turns a test database DSN (testenv.MySQL) into a config.
func configFor(t *testing.T, dsn string) Config {
	t.Helper()
	dc, err := mysql.ParseDSN(dsn)
	if err != nil {
		t.Fatal(err)
	}
	host, portText, err := net.SplitHostPort(dc.Addr)
	if err != nil {
		t.Fatal(err)
	}
	port, _ := strconv.Atoi(portText)
	return Config{Host: host, Port: port, User: dc.User, Database: dc.DBName, TLS: "disable"}
}

// execAll runs statements on one session of a test database, so that
// SET statements apply to the ones after them.
func execAll(t *testing.T, dsn string, stmts ...string) {
	t.Helper()
	db, err := sql.Open("mysql", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, s := range stmts {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			t.Fatalf("exec %.60q: %v", s, err)
		}
	}
}

// openTest opens a connector on a test database.
func openTest(t *testing.T, dsn string) *Connector {
	t.Helper()
	c, err := Open(context.Background(), configFor(t, dsn), "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func TestParseConfig(t *testing.T) {
	good := `{"host":"db","user":"u","database":"d"}`
	c, err := ParseConfig(json.RawMessage(good))
	if err != nil || c.Port != 3306 || c.TLS != "preferred" || c.PoolSize != 16 {
		t.Fatalf("ParseConfig = %+v, %v", c, err)
	}
	if got := c.discoverSchemas(); strings.Join(got, ",") != "d" {
		t.Errorf("default schemas %v, want [d]", got)
	}
	full := `{"host":"db","port":3307,"user":"u","database":"d","tls":"skip-verify","pool_size":4,"schemas":["d","e"]}`
	c, err = ParseConfig(json.RawMessage(full))
	if err != nil || c.Port != 3307 || c.TLS != "skip-verify" || c.PoolSize != 4 || strings.Join(c.discoverSchemas(), ",") != "d,e" {
		t.Fatalf("ParseConfig(%s) = %+v, %v", full, c, err)
	}
	for _, bad := range []string{``, `{}`, `null`, `[1]`, `{"host":"db","user":"u"}`, `{"host":"db","database":"d"}`,
		`{"user":"u","database":"d"}`, `{"host":"db","user":"u","database":"d","port":70000}`,
		`{"host":"db","user":"u","database":"d","port":-1}`, `{"host":"db","user":"u","database":"d","port":"3306"}`,
		`{"host":"db","user":"u","database":"d","tls":"maybe"}`, `{"host":"db","user":"u","database":"d","sslmode":"disable"}`,
		`{"host":"db","user":"u","database":"d","password":"pw"}`, `{"host":"db","user":"u","database":"d","pool_size":0.5}`,
		`{"host":"db","user":"u","database":"d","pool_size":5000}`, `{"host":"db","user":"u","database":"d","schemas":[""]}`,
		`{"host":"db","user":"u","database":"d"} {}`} {
		if _, err := ParseConfig(json.RawMessage(bad)); !errors.Is(err, connectors.ErrInvalidConfig) {
			t.Errorf("ParseConfig(%s) = %v, want ErrInvalidConfig", bad, err)
		}
	}
}

func TestType(t *testing.T) {
	if Type.Name != "mysql" || Type.SecretField != "password" {
		t.Fatalf("Type = %+v", Type)
	}
	var schema map[string]any
	if err := json.Unmarshal(Type.ConfigSchema, &schema); err != nil {
		t.Fatalf("config schema is not JSON: %v", err)
	}
	if got := Type.DefaultSchema(json.RawMessage(`{"host":"db","user":"u","database":"shop"}`)); got != "shop" {
		t.Errorf("DefaultSchema = %q, want shop", got)
	}
	if _, err := Type.Open(context.Background(), json.RawMessage(`{"host":"db"}`), "", connectors.Env{}); !errors.Is(err, connectors.ErrInvalidConfig) {
		t.Errorf("Open of a bad config: %v", err)
	}
}

// TestOpenDoesNotConnect opens a connector on an address nothing
// answers: Open succeeds at once, and Test fails within its context.
func TestOpenDoesNotConnect(t *testing.T) {
	start := time.Now()
	// 192.0.2.0/24 is TEST-NET-1 (RFC 5737): never routed.
	c, err := Type.Open(context.Background(), json.RawMessage(`{"host":"192.0.2.1","user":"u","database":"d"}`), "pw", connectors.Env{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if d := time.Since(start); d > time.Second {
		t.Fatalf("Open took %v", d)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start = time.Now()
	if err := c.Test(ctx); err == nil {
		t.Fatal("Test succeeded against an unreachable host")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("Test ignored its context's deadline: %v", d)
	}
}

// TestCleartextPasswordNeedsTLS: the driver answers mysql_clear_password
// only when the config opts in, and opting in needs TLS that cannot fall
// back to plain text.
func TestCleartextPasswordNeedsTLS(t *testing.T) {
	for _, c := range []struct {
		raw     string
		invalid bool
		allowed bool
	}{
		{`{"host":"db","user":"u","database":"d"}`, false, false},
		{`{"host":"db","user":"u","database":"d","tls":"disable"}`, false, false},
		{`{"host":"db","user":"u","database":"d","allow_cleartext_password":true}`, true, false},
		{`{"host":"db","user":"u","database":"d","tls":"disable","allow_cleartext_password":true}`, true, false},
		{`{"host":"db","user":"u","database":"d","tls":"required","allow_cleartext_password":true}`, false, true},
	} {
		cfg, err := ParseConfig(json.RawMessage(c.raw))
		if c.invalid {
			if !errors.Is(err, connectors.ErrInvalidConfig) {
				t.Errorf("%s: %v, want ErrInvalidConfig", c.raw, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", c.raw, err)
		}
		dc := cfg.driverConfig("pw")
		if dc.AllowCleartextPasswords != c.allowed || dc.AllowOldPasswords {
			t.Errorf("%s: AllowCleartextPasswords %v, AllowOldPasswords %v; want %v, false", c.raw, dc.AllowCleartextPasswords, dc.AllowOldPasswords, c.allowed)
		}
	}
}

package snowflake

import (
	"context"
	"database/sql"
	"net"
	"testing"

	sf "github.com/snowflakedb/gosnowflake"

	"github.com/hotdata-dev/hotdata/internal/testenv"
)

// emulatorPassword: the emulator accepts any user with any non-empty
// password.
const emulatorPassword = "emulator"

// startEmulator starts github.com/nnnkkk7/snowflake-emulator and returns
// a config for it (database TEST_DB, over http).
func startEmulator(t *testing.T) Config {
	t.Helper()
	e := testenv.StartSnowflakeEmulator(t)
	cfg := Config{Account: "test", User: "hotdata", Database: "TEST_DB", Host: "127.0.0.1", Port: e.Port, Protocol: "http"}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("emulator log:\n%s", e.Log())
		}
	})
	return cfg
}

// execAll runs statements on the server of cfg with the driver alone
// (the fixture's DDL and DML).
func execAll(t *testing.T, cfg Config, stmts ...string) {
	t.Helper()
	dc, err := cfg.driverConfig(emulatorPassword)
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(sf.NewConnector(sf.SnowflakeDriver{}, dc))
	defer db.Close()
	for _, s := range stmts {
		if _, err := db.ExecContext(context.Background(), s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// openConnector opens a connector on cfg, closed when the test ends.
func openConnector(t *testing.T, cfg Config, secret string) *Connector {
	t.Helper()
	c, err := Open(context.Background(), cfg, secret)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// closedPort is a loopback port nothing listens on.
func closedPort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	return port
}

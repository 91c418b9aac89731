package snowflake

import (
	"context"
	"testing"

	"github.com/hotdata-dev/hotdata/connectors"
	"github.com/hotdata-dev/hotdata/connectors/connectortest"
)

// fixtureSQL makes the suite's tables on the emulator, in its DuckDB
// SQL (range() stands in for Snowflake's GENERATOR).
var fixtureSQL = []string{
	`CREATE SCHEMA IF NOT EXISTS PUBLIC`,
	`CREATE TABLE PUBLIC.items (id INTEGER PRIMARY KEY, name VARCHAR, amount DECIMAL(12,2), created TIMESTAMP, active BOOLEAN)`,
	`INSERT INTO PUBLIC.items VALUES
		(1, 'widget', 19.99, '2024-03-01 12:30:45.123456', true),
		(2, 'gadget ünïcode ✓', -0.01, '1999-12-31 23:59:59', false),
		(3, NULL, NULL, NULL, NULL),
		(4, '', 1234567890.12, '2024-02-29 00:00:00', true)`,
	`CREATE TABLE PUBLIC.big (id INTEGER, label VARCHAR)`,
	`INSERT INTO PUBLIC.big SELECT i, 'row ' || i FROM range(1, 100001) t(i)`,
}

// TestConformance runs the connector suite against the Snowflake
// emulator. Its DuckDB does not know SHOW PRIMARY KEYS, so no primary
// key is discovered; it logs in any user, so a wrong login cannot be
// tested here (see connect_test.go).
func TestConformance(t *testing.T) {
	cfg := startEmulator(t)
	execAll(t, cfg, fixtureSQL...)
	connectortest.Run(t, connectortest.Source{
		TextForms: true,
		Schema:    "PUBLIC",
		Open: func(t *testing.T) connectors.Connector {
			c, err := Open(context.Background(), cfg, emulatorPassword)
			if err != nil {
				t.Fatal(err)
			}
			return c
		},
		Broken: func(t *testing.T) connectors.Connector {
			bad := cfg
			bad.Port = closedPort(t)
			c, err := Open(context.Background(), bad, emulatorPassword)
			if err != nil {
				t.Fatal(err)
			}
			return c
		},
	})
}

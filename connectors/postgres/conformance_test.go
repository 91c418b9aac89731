package postgres

import (
	"context"
	"testing"

	"github.com/hotdata-dev/hotdata/connectors"
	"github.com/hotdata-dev/hotdata/connectors/connectortest"
	"github.com/hotdata-dev/hotdata/internal/testenv"
)

// TestConformance runs the connector suite against a real PostgreSQL.
func TestConformance(t *testing.T) {
	db := testenv.Postgres(t)
	testenv.PostgresExec(t, db,
		`CREATE TABLE items (id integer PRIMARY KEY, name text, amount numeric(12,2), created timestamp, active boolean)`,
		`INSERT INTO items VALUES
			(1, 'widget', 19.99, '2024-03-01 12:30:45.123456', true),
			(2, 'gadget ünïcode ✓', -0.01, '1999-12-31 23:59:59', false),
			(3, NULL, NULL, NULL, NULL),
			(4, '', 1234567890.12, '2024-02-29 00:00:00', true)`,
		`CREATE TABLE big AS SELECT i AS id, 'row ' || i AS label FROM generate_series(1, 100000) i`)
	testenv.PostgresExec(t, db, connectortest.LinesSQL...)
	testenv.PostgresExec(t, db, `ANALYZE`)
	cfg := configFor(t, db)
	connectortest.Run(t, connectortest.Source{
		TextForms: true,
		Schema:    "public", PrimaryKeys: true, Constraints: true,
		Open: func(t *testing.T) connectors.Connector {
			c, err := Open(context.Background(), cfg, "")
			if err != nil {
				t.Fatal(err)
			}
			return c
		},
		Host: cfg.Host, Port: cfg.Port, User: cfg.User,
		OpenAt: func(t *testing.T, host string, port int, user string) connectors.Connector {
			at := cfg
			at.Host, at.Port, at.User = host, port, user
			c, err := Open(context.Background(), at, "")
			if err != nil {
				t.Fatal(err)
			}
			return c
		},
		Broken: func(t *testing.T) connectors.Connector {
			bad := cfg
			bad.Database = "no_such_database_here"
			c, err := Open(context.Background(), bad, "")
			if err != nil {
				t.Fatal(err)
			}
			return c
		},
	})
}

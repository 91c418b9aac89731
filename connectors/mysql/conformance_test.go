package mysql

import (
	"context"
	"testing"

	"github.com/hotdata-dev/hotdata/connectors"
	"github.com/hotdata-dev/hotdata/connectors/connectortest"
	"github.com/hotdata-dev/hotdata/internal/testenv"
)

// bigTableSQL fills big with 1..100000 by crossing five copies of the
// digits, which needs no recursion limit (MySQL stops recursive CTEs at
// 1000 rows by default).
const bigTableSQL = `INSERT INTO big
SELECT n, CONCAT('row ', n) FROM (
  SELECT 1 + a.d + 10*b.d + 100*c.d + 1000*e.d + 10000*f.d AS n
  FROM digits a, digits b, digits c, digits e, digits f) x`

// TestConformance runs the connector suite against a real MariaDB/MySQL.
func TestConformance(t *testing.T) {
	dsn := testenv.MySQL(t)
	execAll(t, dsn,
		`CREATE TABLE items (id int PRIMARY KEY, name text, amount decimal(12,2), created datetime(6), active boolean)`,
		`INSERT INTO items VALUES
			(1, 'widget', 19.99, '2024-03-01 12:30:45.123456', true),
			(2, 'gadget ünïcode ✓', -0.01, '1999-12-31 23:59:59', false),
			(3, NULL, NULL, NULL, NULL),
			(4, '', 1234567890.12, '2024-02-29 00:00:00', true)`,
		`CREATE TABLE digits (d int)`,
		`INSERT INTO digits VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)`,
		`CREATE TABLE big (id int, label text)`,
		bigTableSQL)
	execAll(t, dsn, connectortest.LinesSQL...)
	execAll(t, dsn, `ANALYZE TABLE items, big`)
	cfg := configFor(t, dsn)
	connectortest.Run(t, connectortest.Source{
		TextForms: true,
		Schema:    cfg.Database, PrimaryKeys: true, Constraints: true,
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

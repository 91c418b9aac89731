package files

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hotdata-dev/hotdata/connectors"
	"github.com/hotdata-dev/hotdata/connectors/connectortest"
)

// TestConformance runs the connector suite over the fixture written as
// files: items as Parquet with exact types, big as CSV.
func TestConformance(t *testing.T) {
	dir := t.TempDir()
	writeParquet(t, filepath.Join(dir, "items.parquet"), `
		SELECT CAST(id AS INTEGER) AS id, CAST(name AS VARCHAR) AS name, CAST(amount AS DECIMAL(12,2)) AS amount,
		       CAST(created AS TIMESTAMP) AS created, CAST(active AS BOOLEAN) AS active
		FROM (VALUES
			(1, 'widget', 19.99, '2024-03-01 12:30:45.123456', true),
			(2, 'gadget ünïcode ✓', -0.01, '1999-12-31 23:59:59', false),
			(3, NULL, NULL, NULL, NULL),
			(4, '', 1234567890.12, '2024-02-29 00:00:00', true))
		AS t(id, name, amount, created, active)`)
	var big strings.Builder
	big.WriteString("id,label\n")
	for i := 1; i <= connectortest.BigRows; i++ {
		fmt.Fprintf(&big, "%d,row %d\n", i, i)
	}
	writeFile(t, dir, "big.csv", big.String())

	cfg := Config{Root: dir, Limits: testLimits, Files: []File{
		{Table: connectortest.ItemsTable, Path: "items.parquet"},
		{Table: connectortest.BigTable, Path: "big.csv"},
	}}
	connectortest.Run(t, connectortest.Source{
		Schema: DefaultSchema,
		Open: func(t *testing.T) connectors.Connector {
			c, err := Open(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			return c
		},
		Broken: func(t *testing.T) connectors.Connector {
			bad := cfg
			bad.Files = []File{{Table: "gone", Path: "no_such_file.csv"}}
			c, err := Open(context.Background(), bad)
			if err != nil {
				t.Fatal(err)
			}
			return c
		},
	})

	// The fixture's types are served as their PostgreSQL names.
	c := openFiles(t, dir, cfg.Files...)
	got := strings.Join(columnsOf(t, c, connectortest.ItemsTable), ", ")
	want := "id integer 23, name text 25, amount numeric(12,2) 1700, created timestamp without time zone 1114, active boolean 16"
	if got != want {
		t.Errorf("items columns:\n got %s\nwant %s", got, want)
	}
	tables, err := c.Discover(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, tb := range tables {
		switch tb.Name {
		case connectortest.ItemsTable:
			if tb.RowEstimate != 4 {
				t.Errorf("items row estimate %d, want 4 (exact from Parquet)", tb.RowEstimate)
			}
		case connectortest.BigTable:
			if tb.RowEstimate < connectortest.BigRows/2 || tb.RowEstimate > connectortest.BigRows*2 {
				t.Errorf("big row estimate %d, want about %d", tb.RowEstimate, connectortest.BigRows)
			}
		}
	}
}

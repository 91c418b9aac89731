package postgres

import (
	"context"
	"strings"
	"testing"

	"github.com/hotdata-dev/hotdata/connectors"
	"github.com/hotdata-dev/hotdata/internal/testenv"
)

// scanAll reads a whole table through the connector and returns the
// scan's error.
func scanAll(t *testing.T, c *Connector, table string) error {
	t.Helper()
	sc, err := c.Scan(context.Background(), connectors.ScanRequest{Schema: "public", Table: table})
	if err != nil {
		return err
	}
	defer sc.Release()
	for sc.Next() {
	}
	return sc.Err()
}

// TestScanArraySpecialElements: an array element with no form in the
// list's element type (an infinite date, a NaN numeric) used to end the
// whole process with a panic (the list entry was appended, then a NULL
// for the special value beside it).
func TestScanArraySpecialElements(t *testing.T) {
	dbURL := testenv.Postgres(t)
	testenv.PostgresExec(t, dbURL,
		`CREATE TABLE dates (id int, da date[])`,
		`INSERT INTO dates VALUES (1, '{2024-01-01}'), (2, '{infinity,2024-01-02}')`,
		`CREATE TABLE nums (id int, na numeric(6,2)[])`,
		`INSERT INTO nums VALUES (1, '{1.5}'), (2, '{2.5,NaN}')`)
	c, err := Open(context.Background(), configFor(t, dbURL), "")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for _, table := range []string{"dates", "nums"} {
		t.Run(table, func(t *testing.T) {
			err := scanAll(t, c, table)
			if err == nil || !strings.Contains(err.Error(), "column na") && !strings.Contains(err.Error(), "column da") {
				t.Fatalf("scan %s: %v, want an error naming the column", table, err)
			}
		})
	}
}

package postgres

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/hotdata-dev/hotdata/connectors"
	"github.com/hotdata-dev/hotdata/internal/testenv"
)

// scanRows reads a whole table through the connector: each row's cells
// as cell renders them (lists as [a b]), and the scan's error.
func scanRows(t *testing.T, c *Connector, req connectors.ScanRequest) ([][]string, error) {
	t.Helper()
	sc, err := c.Scan(context.Background(), req)
	if err != nil {
		return nil, err
	}
	defer sc.Release()
	var rows [][]string
	for sc.Next() {
		rec := sc.RecordBatch()
		for r := 0; r < int(rec.NumRows()); r++ {
			var row []string
			for ci := 0; ci < int(rec.NumCols()); ci++ {
				row = append(row, listCell(rec.Column(ci), r))
			}
			rows = append(rows, row)
		}
	}
	return rows, sc.Err()
}

func listCell(a arrow.Array, i int) string {
	l, ok := a.(*array.List)
	if !ok || l.IsNull(i) {
		return cell(a, i)
	}
	start, end := l.ValueOffsets(i)
	var parts []string
	for j := start; j < end; j++ {
		parts = append(parts, cell(l.ListValues(), int(j)))
	}
	return "[" + strings.Join(parts, " ") + "]"
}

// TestScanArraySpecialElements: an array element with no form in the
// list's element type (an infinite date, a NaN numeric) used to end the
// whole process with a panic (the list entry was appended, then a NULL
// for the special value beside it). Infinite dates now have their form.
func TestScanArraySpecialElements(t *testing.T) {
	dbURL := testenv.Postgres(t)
	testenv.PostgresExec(t, dbURL,
		`CREATE TABLE dates (id int, da date[])`,
		`INSERT INTO dates VALUES (1, '{2024-01-01}'), (2, '{infinity,2024-01-02,-infinity}')`,
		`CREATE TABLE nums (id int, na numeric(6,2)[])`,
		`INSERT INTO nums VALUES (1, '{1.5}'), (2, '{2.5,NaN}')`)
	c, err := Open(context.Background(), configFor(t, dbURL), "")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	rows, err := scanRows(t, c, connectors.ScanRequest{Schema: "public", Table: "dates"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := fmt.Sprint(rows), "[[1 [2024-01-01]] [2 [infinity 2024-01-02 -infinity]]]"; got != want {
		t.Errorf("dates = %s, want %s", got, want)
	}
	if _, err := scanRows(t, c, connectors.ScanRequest{Schema: "public", Table: "nums"}); err == nil || !strings.Contains(err.Error(), "column na") {
		t.Fatalf("scan nums: %v, want an error naming the column", err)
	}
}

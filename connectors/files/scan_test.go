package files

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/hotdata-dev/hotdata/connectors"
)

// TestScanLifecycle: scans run side by side, and neither a scan released
// early nor a failed one leaves the connector unusable.
func TestScanLifecycle(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("id,label\n")
	for i := 1; i <= 20_000; i++ {
		fmt.Fprintf(&b, "%d,row %d\n", i, i)
	}
	writeFile(t, dir, "big.csv", b.String())
	writeFile(t, dir, "bad.csv", badCSV)
	c := openFiles(t, dir, File{Table: "big", Path: "big.csv"},
		File{Table: "bad", Path: "bad.csv", Columns: []ColumnType{{Name: "qty", Type: "integer"}}})
	ctx := context.Background()

	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() {
			res, err := tryScan(c, connectors.ScanRequest{Schema: DefaultSchema, Table: "big", BatchRows: 3000})
			if err == nil && len(res.rows) != 20_000 {
				err = fmt.Errorf("%d rows", len(res.rows))
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("concurrent scan %d: %v", i, err)
		}
	}

	s, err := c.Scan(ctx, connectors.ScanRequest{Schema: DefaultSchema, Table: "big", BatchRows: 100})
	if err != nil {
		t.Fatal(err)
	}
	if !s.Next() || s.RecordBatch().NumRows() != 100 {
		t.Fatalf("first batch: %v", s.Err())
	}
	s.Release() // before the end

	if _, err := tryScan(c, connectors.ScanRequest{Schema: DefaultSchema, Table: "bad"}); err == nil {
		t.Fatal("scan of a bad file succeeded")
	}
	if res := scanTable(t, c, "big", "label"); len(res.rows) != 20_000 || res.rows[19_999][0] != "row 20000" {
		t.Errorf("after an early release and a failure: %d rows", len(res.rows))
	}
	c.Close()
	if _, err := c.Scan(ctx, connectors.ScanRequest{Schema: DefaultSchema, Table: "big"}); err == nil {
		t.Error("scan after Close succeeded")
	}
}

package bigquery

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/hotdata-dev/hotdata/connectors"
	"github.com/hotdata-dev/hotdata/connectors/connectortest"
	"github.com/hotdata-dev/hotdata/internal/testenv"
)

const testProject = "hotdata-test"

// emulator starts the BigQuery emulator with dataset ds and returns a
// config that reads it (the Storage Read API on or off).
func emulator(t *testing.T, ds string, storage bool) (*testenv.Emulator, Config) {
	t.Helper()
	e := testenv.StartBigQueryEmulator(t, testProject)
	cfg := Config{ProjectID: testProject, Datasets: []string{ds}, Endpoint: "http://" + e.Addr(),
		StorageAPI: &storage, StorageEndpoint: fmt.Sprintf("127.0.0.1:%d", e.GRPCPort)}
	testenv.BigQueryDataset(t, e, ds)
	return e, cfg
}

func openConnector(t *testing.T, cfg Config) connectors.Connector {
	t.Helper()
	c, err := Open(context.Background(), cfg, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// conformanceFixture makes the suite's items and big tables in ds.
func conformanceFixture(t *testing.T, e *testenv.Emulator, ds string) {
	testenv.BigQueryExec(t, e,
		"CREATE TABLE "+ds+".items (id INT64 NOT NULL, name STRING, amount NUMERIC(12,2), created DATETIME, active BOOL)",
		"INSERT INTO "+ds+`.items (id, name, amount, created, active) VALUES
			(1, 'widget', NUMERIC '19.99', DATETIME '2024-03-01 12:30:45.123456', true),
			(2, 'gadget ünïcode ✓', NUMERIC '-0.01', DATETIME '1999-12-31 23:59:59', false),
			(3, NULL, NULL, NULL, NULL),
			(4, '', NUMERIC '1234567890.12', DATETIME '2024-02-29 00:00:00', true)`,
		"CREATE TABLE "+ds+".big (id INT64, label STRING)",
		"INSERT INTO "+ds+".big (id, label) SELECT n, CONCAT('row ', CAST(n AS STRING)) FROM UNNEST(GENERATE_ARRAY(1, 100000)) AS n")
}

// TestConformance runs the connector suite against the BigQuery
// emulator, reading through tabledata.list and query jobs (the REST
// path). TestConformanceStorage does the same over the Storage Read API.
func TestConformance(t *testing.T) {
	const ds = "shop"
	e, cfg := emulator(t, ds, false)
	conformanceFixture(t, e, ds)
	connectortest.Run(t, connectortest.Source{
		Schema:    ds,
		TextForms: true,
		Open:      func(t *testing.T) connectors.Connector { return openConnector(t, cfg) },
		Broken: func(t *testing.T) connectors.Connector {
			bad := cfg
			bad.Endpoint = fmt.Sprintf("http://127.0.0.1:%d", closedPort(t))
			bad.Datasets = []string{"no_such_dataset"}
			return openConnector(t, bad)
		},
	})
}

// closedPort is a loopback port nothing listens on.
func closedPort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	return port
}

// TestConformanceStorage runs the suite with the Storage Read API on:
// whole-table reads go over it (or fall back to tabledata.list when the
// emulator's read session fails, which the scan's warnings say).
func TestConformanceStorage(t *testing.T) {
	const ds = "shop"
	e, cfg := emulator(t, ds, true)
	conformanceFixture(t, e, ds)
	c := openConnector(t, cfg)
	defer c.Close()
	scan, err := c.Scan(context.Background(), connectors.ScanRequest{Schema: ds, Table: connectortest.BigTable})
	if err != nil {
		t.Fatal(err)
	}
	var n, sum int64
	for scan.Next() {
		ids := scan.RecordBatch().Column(0).(*array.Int64)
		for i := range ids.Len() {
			sum += ids.Value(i)
			n++
		}
	}
	if scan.Err() != nil || len(scan.Warnings()) > 0 || n != connectortest.BigRows || sum != connectortest.BigRows*(connectortest.BigRows+1)/2 {
		t.Fatalf("storage read: %d rows (id sum %d), err %v, warnings %q", n, sum, scan.Err(), scan.Warnings())
	}
	scan.Release()
	connectortest.Run(t, connectortest.Source{
		Schema:    ds,
		TextForms: true,
		Open:      func(t *testing.T) connectors.Connector { return openConnector(t, cfg) },
	})
}

// TestCost: a filtered read reports the bytes BigQuery billed, and
// max_bytes_per_sync refuses a read whose dry run says it would bill
// more, before anything runs.
func TestCost(t *testing.T) {
	const ds = "shop"
	e, cfg := emulator(t, ds, false)
	conformanceFixture(t, e, ds)
	ctx := context.Background()
	filter := []connectors.Predicate{{Column: "id", Op: ">", Value: int64(50_000)}}
	c := openConnector(t, cfg)
	defer c.Close()
	scan, err := c.Scan(ctx, connectors.ScanRequest{Schema: ds, Table: connectortest.BigTable, Filter: filter})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for scan.Next() {
		n += int(scan.RecordBatch().NumRows())
	}
	billed := scan.(connectors.MeteredScan).BytesScanned()
	scan.Release()
	if n != 50_000 || billed <= 0 {
		t.Fatalf("read %d rows, billed %d bytes", n, billed)
	}

	capped := cfg
	capped.MaxBytesPerSync = billed - 1
	cc := openConnector(t, capped)
	defer cc.Close()
	if _, err := cc.Scan(ctx, connectors.ScanRequest{Schema: ds, Table: connectortest.BigTable, Filter: filter}); !errors.Is(err, connectors.ErrTooCostly) ||
		!strings.Contains(err.Error(), fmt.Sprint(billed-1)) {
		t.Fatalf("over the cap: %v", err)
	}
	capped.MaxBytesPerSync = billed
	ok := openConnector(t, capped)
	defer ok.Close()
	s2, err := ok.Scan(ctx, connectors.ScanRequest{Schema: ds, Table: connectortest.BigTable, Filter: filter})
	if err != nil {
		t.Fatalf("at the cap: %v", err)
	}
	s2.Release()
}
